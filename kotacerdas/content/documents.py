"""The Markdown documents: announcements (``content/news/``), pages (``content/pages/``) and
their translations (``<name>.<lang>.md`` beside the original)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Any, Callable, Hashable, Sequence, TypeVar

from kotacerdas.content import mdlimits, schemas, stored
from kotacerdas.content.fields import check_updated, sources_of
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.core.digest import digest_of
from kotacerdas.content.read import (by_stamp, by_stamp_ahead, check, folder_files, read_text,
                                     reported, site_entries, split_front_matter)
from kotacerdas.content.types import NewsItem, Page, SiteConfig, Translation
from kotacerdas.content.yamlsafe import line_of
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo
from kotacerdas.core.slugs import is_slug

NEWS_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)\.md$")
TRANSLATION_NAME = re.compile(r"^(.+)\.([a-z]{2})\.md$")  # tentang.en.md beside tentang.md


def split_translations(folder: Path, problems: Problems, memo: Memo | None = None
                       ) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """The Markdown files of a folder: originals, and translations named ``<name>.<lang>.md``.
    With ``memo``, the same list of names gives the same answer as before."""
    if memo is None:
        return _split(folder, problems, None)
    return memo.checked(("markdown-files", os.fspath(folder), site_entries(folder, memo)),
                        problems, lambda found: _split(folder, found, memo))


def _split(folder: Path, problems: Problems, memo: Memo | None
           ) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """split_translations, listing the folder."""
    originals: list[Path] = []
    translations: list[Path] = []
    for path in folder_files(folder, ".md", problems, memo=memo):
        (translations if TRANSLATION_NAME.match(path.name) else originals).append(path)
    return tuple(originals), tuple(translations)


Document = tuple[Path, dict[str, Any], str, str, str]
"""A Markdown file that read, split and passed its schema: path, fields, body, digest, and the
text before the body."""
R = TypeVar("R")


def _markdown_files(paths: Sequence[Path], problems: Problems, schema: dict[str, Any],
                    parsed: ParseCache | None, memo: Memo | None,
                    record: Callable[[Document, Problems], R | None], key: Hashable
                    ) -> list[R]:
    """What ``record`` makes of each file that read, split and passed ``schema`` (a function of
    the document and of what ``key`` names alone: the kind of file, the day). ``memo`` keeps each
    file's outcome from an earlier build of the same file (read.by_stamp) or the same text (the
    fields must then be read, never changed)."""
    memo = Memo() if memo is None else memo

    def make(path: Path, found: Problems) -> R | None:
        """One file's outcome, read now."""
        return _document(path, schema, parsed, memo, record, found)

    by_stamp_ahead(paths, key, problems, memo, parsed, make)
    out: list[R] = []
    for path in paths:
        made = by_stamp(path, key, problems, memo, lambda found: make(path, found))
        if made is not None:
            out.append(made)
    return out


def _document(path: Path, schema: dict[str, Any], parsed: ParseCache | None, memo: Memo,
              record: Callable[[Document, Problems], R | None], problems: Problems) -> R | None:
    """What ``record`` makes of one file, read now."""
    text = read_text(path, problems)
    if text is None:
        return None
    key = ("markdown", schema.get("title", ""), os.fspath(path), digest_of(text))  # not the text
    document = memo.checked(key, problems,
                            lambda found: _markdown_file(path, text, schema, parsed, found))
    return None if document is None else record(document, problems)


def _as_is(document: Document, problems: Problems) -> Document:
    """The record of a page or translation before its checks across files: the document."""
    return document


def _markdown_file(path: Path, text: str, schema: dict[str, Any], parsed: ParseCache | None,
                   problems: Problems) -> Document | None:
    """One Markdown file split and checked: a function of its name and text."""
    split = split_front_matter(path, text, problems, parsed)
    if split is None:
        return None
    data, body = split
    front_matter = text[:len(text) - len(body)]
    first = front_matter.count("\n")  # lines before the body
    for line, message in mdlimits.hazards(body):
        problems.add(path, first + line, message)
    if not isinstance(data, dict):
        if not reported(problems, path):
            problems.add(path, 2, _no_fields(data, schema))
        return None
    if not check(data, schema, problems, path, parsed):
        return None
    return path, data, body, digest_of(path.name + "\n" + text), front_matter


def _no_fields(data: Any, schema: dict[str, Any]) -> str:
    """What to write when a file's front matter is not a set of fields."""
    if data is None:
        needed = ", ".join(f"{name}:" for name in schema["required"])
        return (f"front matter has no fields (it is empty, only comments, or '~'), so nothing "
                f"would be published; write {needed} between the two '---' lines")
    return "front matter must be 'field: value' lines (title:, date:, …)"


def load_news(paths: Sequence[Path], problems: Problems, region_slugs: set[str], today: dt.date,
              parsed: ParseCache | None = None, memo: Memo | None = None
              ) -> tuple[NewsItem, ...]:
    """The announcements that passed every check; each names only existing regions. ``memo``
    keeps each file's record from an earlier build of the same file on the same day."""
    items = []
    for item, lines in _markdown_files(paths, problems, schemas.NEWS, parsed, memo,
                                       lambda d, found: _news_record(d, today, found),
                                       (stored.NEWS, today)):
        items.append(item)
        for slug, line in zip(item.regions, lines):
            if slug not in region_slugs:
                near = difflib.get_close_matches(slug, sorted(region_slugs), n=1)
                tip = f"did you mean '{near[0]}'? " if near else ""
                problems.add(item.path, line,
                             f"region '{slug}' does not exist; {tip}use the file name of a "
                             "region in content/regions/ (without .yaml)")
    return tuple(items)


def _news_record(document: Document, today: dt.date, problems: Problems
                 ) -> tuple[NewsItem, tuple[int, ...]] | None:
    """An announcement's record and the line of each region it names (for the check across
    files), or None when its name leaves it out."""
    item = _news_item(document, today, problems)
    if item is None:
        return None
    return item, tuple(line_of(document[1], ["regions", i]) for i in range(len(item.regions)))


def _news_item(document: Document, today: dt.date, problems: Problems) -> NewsItem | None:
    """One announcement's record (None when its name leaves it out), with the problems of its
    own: a function of the file's name and text and of the day alone."""
    path, data, body, digest, front_matter = document
    m = NEWS_NAME.match(path.name)
    if not m or not is_slug(m.group(2)):
        problems.add(path, None, "file name must be YYYY-MM-DD-<slug>.md using only a-z, 0-9 "
                                 "and single hyphens after the date, e.g. "
                                 "2021-12-31-kominfo-umumkan-48-daerah.md")
        return None
    try:
        file_date = dt.date.fromisoformat(m.group(1))
    except ValueError:
        problems.add(path, None, f"file name starts with {m.group(1)}, which is not a real date")
        return None
    if file_date != data["date"]:
        problems.add(path, line_of(data, ["date"]),
                     f"date {data['date'].isoformat()} differs from the date in the file name "
                     f"({m.group(1)}); make them the same")
    if data.get("updated") and data["updated"] < data["date"]:
        problems.add(path, line_of(data, ["updated"]), "'updated' is before 'date'; an update "
                                                       "comes after publication")
    check_updated(path, data, problems, today, latest=data["date"])
    return NewsItem(
        slug=m.group(2), title=data["title"], date=data["date"], summary=data["summary"],
        body=body, path=problems.display(path), tags=tuple(data.get("tags", ())),
        regions=tuple(data.get("regions", ())), sources=sources_of(data.get("sources")),
        updated=data.get("updated"), draft=data.get("draft", False), digest=digest,
        front_matter=front_matter)


def load_pages(paths: Sequence[Path], problems: Problems, today: dt.date,
               parsed: ParseCache | None = None, memo: Memo | None = None) -> tuple[Page, ...]:
    """The static pages that passed every check."""
    pages = []
    for path, data, body, digest, front_matter in _markdown_files(paths, problems, schemas.PAGE,
                                                                  parsed, memo, _as_is, "page"):
        slug = path.name[: -len(".md")]
        if not is_slug(slug):
            problems.add(path, None, f"file name '{path.name}' may only use a-z, 0-9 and single "
                                     "hyphens, e.g. tentang.md")
            continue
        check_updated(path, data, problems, today)
        pages.append(Page(slug=slug, title=data["title"], body=body, path=problems.display(path),
                          summary=data.get("summary", ""), updated=data.get("updated"),
                          digest=digest, front_matter=front_matter))
    return tuple(pages)


def load_translations(kind: str, paths: Sequence[Path],
                      originals: tuple[NewsItem, ...] | tuple[Page, ...], config: SiteConfig | None,
                      problems: Problems, today: dt.date, parsed: ParseCache | None = None,
                      memo: Memo | None = None) -> tuple[Translation, ...]:
    """Translations of announcements or pages; each needs its original and a configured edition."""
    if not paths:
        return ()
    by_file = {o.path.rpartition("/")[2]: o for o in originals}  # paths as problems.display shows
    schema = schemas.NEWS_TRANSLATION if kind == "news" else schemas.PAGE_TRANSLATION
    out = []
    for path, data, body, digest, front_matter in _markdown_files(paths, problems, schema, parsed,
                                                                  memo, _as_is,
                                                                  ("translation", kind)):
        name, language = TRANSLATION_NAME.match(path.name).groups()  # type: ignore[union-attr]
        original = by_file.get(name + ".md")
        if language not in schemas.TRANSLATED_LANGUAGES:
            problems.add(path, None, f"'.{language}.md' names a language this site has no edition "
                                     f"for; translations are named <name>."
                                     f"{'|'.join(schemas.TRANSLATED_LANGUAGES)}.md")
            continue
        if config is not None and language not in config.translations:
            problems.add(path, None, f"site_config.yaml has no '{language}' edition; add "
                                     f"'translations:' with '{language}:' to it, or remove this "
                                     "file")
            continue
        if original is None and os.path.lexists(path.parent / (name + ".md")):
            problems.add(path, None, f"is not published while its original {name}.md has "
                                     "problems (listed for that file); fix those first")
            continue
        if original is None:
            problems.add(path, None, f"is a translation of {name}.md, which does not exist in "
                                     f"{path.parent.name}/; give it the same name as its original "
                                     f"plus .{language}.md")
            continue
        check_updated(path, data, problems, today,
                       latest=original.date if isinstance(original, NewsItem) else None)
        out.append(Translation(kind=kind, slug=original.slug, language=language,
                               title=data["title"], body=body, path=problems.display(path),
                               original_path=original.path, summary=data.get("summary", ""),
                               updated=data.get("updated"), digest=digest,
                               front_matter=front_matter))
    return tuple(out)
