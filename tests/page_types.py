"""One representative page per page type of a built site, found in the output itself.

Page types are not listed by hand: a new section (search, map, open data, …) is covered by the
browser, CSP and weight tests as soon as the build writes it. A type is the shape of an output
path with everything below the top-level folder replaced by '*': ``daerah/*/index.html`` (every
region), ``berita/*/*/index.html`` (list pages 2…N), ``tentang/index.html`` (one static page).
A language edition's pages are typed under its prefix: ``en/daerah/*/index.html``, so every test
that walks the page types covers every edition.
The representative of a type is its largest file, which shows the most of what the template can
show (notes, long tables, many sources), so it is the hardest case for reflow, weight and axe.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from kotacerdas.content.schemas import TRANSLATED_LANGUAGES


def page_type(rel: str) -> str:
    """'daerah/kota-bandung/index.html' → 'daerah/*/index.html'; top-level files are their own type."""
    parts = PurePosixPath(rel).parts
    if len(parts) > 1 and parts[0] in TRANSLATED_LANGUAGES:
        return parts[0] + "/" + page_type("/".join(parts[1:]))
    if len(parts) <= 2:
        return rel
    return "/".join((parts[0], *("*" for _ in parts[1:-1]), parts[-1]))


def representative_pages(output: Path) -> dict[str, str]:
    """{page type: relative path of its largest page}, sorted by type, for every HTML page type."""
    best: dict[str, tuple[int, str]] = {}
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(rel).parts):
            continue
        kind = page_type(rel)
        size = path.stat().st_size
        if kind not in best or size > best[kind][0]:
            best[kind] = (size, rel)
    return {kind: best[kind][1] for kind in sorted(best)}


def route_of(rel: str) -> str:
    """The URL path (under the base path) that serves an output file: 'daerah/x/index.html' → 'daerah/x/'."""
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[: -len("index.html")]
    return rel


EDITION_TYPES = ("index.html", "daerah/index.html", "daerah/*/index.html", "provinsi/*/index.html",
                 "angkatan/*/index.html", "berita/index.html", "berita/*/index.html",
                 "topik/*/index.html", "tentang/index.html")
REQUIRED_TYPES = ("404.html", *EDITION_TYPES, *(f"{lang}/{kind}" for lang in TRANSLATED_LANGUAGES
                                                 for kind in EDITION_TYPES))
"""Types the real site must have, in every edition; a test fails if enumeration ever misses one."""

LANGUAGE_PREFIXES = {"": "id", **{f"{lang}/": lang for lang in TRANSLATED_LANGUAGES}}


def language_of(rel: str) -> str:
    """The language edition an output file belongs to: 'en/daerah/x/index.html' → 'en'."""
    first = rel.split("/", 1)[0]
    return first if "/" in rel and first in TRANSLATED_LANGUAGES else "id"
