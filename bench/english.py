"""The benchmark corpus as a two-edition site: the English edition and one translation per file.

    add_english_edition(CORPUS, seed)       (bench/run.py --translations)

``../shared/bench/make_corpus.py`` writes a one-edition site (Bahasa Indonesia). This adds what
the real site has for its English edition, in our content format (README, "Translations"):
``translations: {en: …}`` in ``site_config.yaml`` and ``<name>.en.md`` beside every announcement
and page, holding only text (title, summary, Markdown body); date, tags and regions come from the
original. The English text is the original with every word replaced by an English word drawn
from ``random.Random(f"{seed}:{file name}")``, so it keeps the original's Markdown (headings,
lists, tables, links with their addresses, emphasis) and about its length, and the same corpus
and seed always give byte-identical translations.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import yaml

LANGUAGE = "en"
CONFIG = ("translations:\n"
          f"  {LANGUAGE}:\n"
          '    title: "Smart City Movement Portal"\n'
          '    description: "Synthetic benchmark corpus, English edition."\n')
TRANSLATION_NAME = re.compile(r"\.[a-z]{2}\.md$")
"""A translation's file name (``<name>.<lang>.md``, README "Content layout"). Matched here, not
imported from ``kotacerdas``: the harness runs the generator as a user does, importing none of
it."""

WORDS = ("government region city regency service citizen community data application development "
         "infrastructure transport health education innovation programme office system "
         "information area centre command collaboration training policy strategy plan budget "
         "network internet village district school clinic market waste water drainage street "
         "light camera security tourism economy environment permit tax levy population support "
         "dashboard portal platform sensor flood traffic parking terminal harbour airport "
         "cooperative farmer fisher business student volunteer operator server integration "
         "governance regulation evaluation monitoring indicator result target improve develop "
         "build prepare launch apply integrate strengthen accelerate extend encourage optimise "
         "monitor assess draft adopt train assist invite use deliver simplify renew arrange "
         "integrated digital smart sustainable open transparent effective efficient inclusive "
         "modern responsive safe comfortable resilient creative productive joint participatory "
         "which and for in on with through as also by will has for at to from so because still "
         "already more this next year week month quarter early end soon gradually").split()
WORD = re.compile(r"\]\([^)\s]*\)|[A-Za-z]+")
"""A link's address (kept as it is) or a word (replaced)."""
FIELDS = ("title", "summary")
"""The front-matter fields a translation carries (the rest comes from the original)."""


def add_english_edition(corpus: Path, seed: int) -> int:
    """Make ``corpus`` a two-edition site; returns how many translation files were written."""
    config = corpus / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").rstrip("\n") + "\n" + CONFIG,
                      encoding="utf-8")
    written = 0
    for folder in ("news", "pages"):
        for original in originals(corpus / "content" / folder):
            text = original.read_text(encoding="utf-8")
            rng = random.Random(f"{seed}:{original.name}")
            target = original.with_name(original.name[:-3] + f".{LANGUAGE}.md")
            target.write_text(translation(text, rng), encoding="utf-8")
            written += 1
    return written


def originals(folder: Path) -> list[Path]:
    """The untranslated Markdown files of a content folder, by name (none if it is missing)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if not TRANSLATION_NAME.search(p.name))


def translation(original: str, rng: random.Random) -> str:
    """The translation file of one original: its text fields and body in English words."""
    _, front, body = original.split("---\n", 2)
    fields = yaml.safe_load(front)
    head = [f"{key}: " + json.dumps(english(str(fields[key]), rng), ensure_ascii=False)
            for key in FIELDS if key in fields]
    return "---\n" + "".join(line + "\n" for line in head) + "---\n" + english(body, rng)


def english(text: str, rng: random.Random) -> str:
    """Every word of ``text`` replaced by an English one of the same case; the rest kept."""
    return WORD.sub(lambda m: _word(m.group(0), rng), text)


def _word(found: str, rng: random.Random) -> str:
    """One replacement: a link address stays, a word becomes a random English word."""
    if found.startswith("]("):
        return found
    word = rng.choice(WORDS)
    if len(found) > 1 and found.isupper():
        return word.upper()
    return word.capitalize() if found[0].isupper() else word
