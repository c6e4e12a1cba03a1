"""Load and validate a site folder: configuration, reference data, regions, news, pages.

Every problem in the run is collected and raised together as one ``ContentError``; nothing
downstream runs on content that did not pass, and no file found in content/ is left out without a
problem naming it (``_account_for_every_file``). Reading rules that protect the build live here
too: file names must be slugs, symlinks, pipes and devices are refused, every input file is read
by ``read_file`` (regular files only, size checked before reading), text must be UTF-8 without
invisible control characters.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import json
import os
import re
import stat
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterator

from kotacerdas.render import geo
from kotacerdas.content import mdlimits, schemas
from kotacerdas.content.types import (CONFIRMED, Cohort, Content, Kabkota, NewsItem, Page, Participation, Province, ProvinceShape, Region, SiteConfig, Source, Translation)
from kotacerdas.core.errors import Problems
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.core.slugs import is_slug, slugify
from kotacerdas.content.validate import check as check_schema
from kotacerdas.content.yamlsafe import LineDict, find_invisible, line_of
from kotacerdas.content.yamlsafe import load as load_yaml

MAX_FILE_BYTES = 1_000_000
MAX_YAML_VALUES = 200_000  # the reference list of 514 kabupaten/kota holds about 5,000
NEWS_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)\.md$")
TRANSLATION_NAME = re.compile(r"^(.+)\.([a-z]{2})\.md$")  # tentang.en.md beside tentang.md
REFERENCE_FILES = ("provinces.yaml", "kabupaten-kota.yaml", "cohorts.yaml")
SHAPES_FILE = "provinces.geojson"  # optional, beside the reference YAML: boundaries for the map
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_NONBLOCK", 0))
"""Open for reading without following a symlink or waiting on a pipe (where the system can)."""
CONTENT_FOLDERS = {"news": ".md", "pages": ".md", "reference": ".yaml", "regions": ".yaml"}
"""The folders of content/ and the files they hold; nothing else in content/ is read."""
FOLDER_NAMES = {"berita": "news", "pengumuman": "news", "halaman": "pages", "daerah": "regions",
                "peserta": "regions", "wilayah": "regions", "referensi": "reference"}
"""Indonesian names an editor may give a content folder (the site's own addresses use them)."""


def load_site(site: Path, today: dt.date, parsed: ParseCache | None = None) -> Content:
    """Read everything under ``site``; raise ContentError listing every problem found.

    ``today`` is the date in Asia/Jakarta that the caller builds for (loading never reads the
    clock): no 'updated' date may be later. Every file found in content/ ends up in the
    returned content or named by a problem; none is left out without a word. ``parsed``
    reuses and records parsed files (parsecache.py).
    """
    with parse_cache(parsed):
        return _load_site(site, today)


def _load_site(site: Path, today: dt.date) -> Content:
    """load_site's body, run with the parse cache in place."""
    problems = Problems(site)
    content_dir = site / "content"
    _refuse_special_files(content_dir, problems)
    _refuse_special_files(site / "templates", problems)
    _check_content_folder(content_dir, problems)
    config = load_config(site / "site_config.yaml", problems)
    reference_dir = content_dir / "reference"
    reference = _reference_files(reference_dir, problems)
    provinces, kabkota, cohorts, has_reference = _reference_from(reference, reference_dir, problems)
    shapes, shapes_digest = load_shapes(reference_dir / SHAPES_FILE, provinces, problems)
    regions = _load_regions(content_dir / "regions", problems, today)
    news_files, news_translated = _split_translations(content_dir / "news", problems)
    page_files, pages_translated = _split_translations(content_dir / "pages", problems)
    news = _load_news(news_files, problems, {r.slug for r in regions}, today)
    pages = _load_pages(page_files, problems, today)
    translations = (_load_translations("news", news_translated, news, config, problems, today)
                    + _load_translations("page", pages_translated, pages, config, problems, today))
    if not has_reference:
        provinces = _provinces_from_regions(regions)
    _check_regions(regions, provinces, kabkota, has_reference, problems)
    _check_province_slugs(provinces, regions, content_dir, has_reference, problems)
    _check_news_slugs(news, problems)
    cohorts = _complete_cohorts(cohorts, regions)
    loaded = {problems.display(reference_dir / name) for name in reference}
    if shapes_digest:
        loaded.add(problems.display(reference_dir / SHAPES_FILE))
    _account_for_every_file(content_dir, problems,
                            loaded | {x.path for x in (*regions, *news, *pages, *translations)})
    problems.raise_if_any()
    assert config is not None
    return Content(config=config, provinces=provinces, kabkota=kabkota, cohorts=cohorts,
                   regions=regions, news=news, pages=pages, has_reference=has_reference,
                   reference_digest=digest_of(repr((provinces, kabkota, cohorts, shapes_digest))),
                   province_shapes=shapes, translations=translations)


def digest_of(text: str) -> str:
    """A short, stable fingerprint of some text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


# --- reading files ------------------------------------------------------------------------

def read_file(path: Path, problems: Problems, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of one input file: every file the build reads comes through here, so none can
    hang it (a named pipe waits forever for a writer) or fill memory before its size is known."""
    try:
        kind = _special_kind(os.lstat(path).st_mode)
        if kind is not None:
            problems.add(path, None, _not_a_file(kind))
            return None
        fd = os.open(path, _READ_FLAGS)  # should it have become a pipe since, this does not wait
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(fd)
            kind = _special_kind(st.st_mode)
            if kind is not None:
                problems.add(path, None, _not_a_file(kind))
                return None
            raw = f.read(limit + 1) if st.st_size <= limit else b""
    except OSError as exc:
        problems.add(path, None, f"cannot be read: {exc.strerror or exc}")
        return None
    if st.st_size > limit or len(raw) > limit:  # (a file can grow, or not know its size)
        size = f"{st.st_size:,} bytes" if st.st_size > limit else f"more than {limit:,} bytes"
        problems.add(path, None, f"is {size}; content files must be under {limit:,} bytes, "
                                 "split it or remove pasted data")
        return None
    return raw


def _special_kind(mode: int) -> str | None:
    """What a file that is not a plain file is (a symlink, pipe, socket, device, folder), else None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a device"


def _not_a_file(kind: str) -> str:
    """The one message for an input that is not a plain file (the walk and the reader agree)."""
    if kind == "a symbolic link":
        return "is a symbolic link; replace it with a real file"
    if kind == "a folder":
        return "is a folder, not a file; rename or remove it, and save the file in its place"
    return f"is {kind}, not a normal file; delete it, and save the file you meant as an ordinary one"


def read_text(path: Path, problems: Problems) -> str | None:
    """Read an editor's file as text: UTF-8 (BOM allowed), any line ending, bounded size, and no
    invisible control characters (yamlsafe.find_invisible)."""
    raw = read_file(path, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(path, line, "is not UTF-8 text; save the file with UTF-8 encoding "
                                 "(in most editors: Save with Encoding → UTF-8)")
        return None
    if "\x00" in text:
        problems.add(path, text[: text.index("\x00")].count("\n") + 1,
                     "contains a NUL character; this is not a text file")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    invisible = find_invisible(text)
    if invisible is not None:
        at, message = invisible
        problems.add(path, text.count("\n", 0, at) + 1, message)
        return None
    return text


def read_yaml(path: Path, problems: Problems, text: str | None = None, offset: int = 0) -> Any:
    """Parse a YAML file (or front matter) and record syntax errors and duplicate keys."""
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None
    key = None
    if _parsed is not None:
        key, data = _parsed.lookup(text, offset)
        if data is not None:
            return data
    data, yaml_problems = load_yaml(text, offset)
    for p in yaml_problems:
        problems.add(path, p.line, p.message)
    if data is not None and _expands_too_far(data):
        problems.add(path, offset + 1, f"uses YAML anchors (&) and aliases (*) that expand to more "
                                       f"than {MAX_YAML_VALUES:,} values or refer to themselves; "
                                       "write the values out instead")
        return None
    if _parsed is not None and key is not None and data is not None and not yaml_problems:
        _parsed.remember(key, data)
    return None if yaml_problems and data is None else data


def check(data: Any, schema: dict[str, Any], problems: Problems, path: Any) -> bool:
    """Validate ``data`` against ``schema`` (validate.check), unless it is cached data that
    already passed that schema in an earlier build."""
    if _parsed is not None and _parsed.validated(data, schema):
        return True
    ok = check_schema(data, schema, problems, path)
    if ok and _parsed is not None:
        _parsed.passed(data, schema)
    return ok


_parsed: ParseCache | None = None


@contextlib.contextmanager
def parse_cache(cache: ParseCache | None) -> Iterator[ParseCache | None]:
    """Within the block, ``read_yaml`` and ``check`` reuse and record parsed files (parsecache.py)."""
    global _parsed
    before, _parsed = _parsed, cache
    try:
        yield cache
    finally:
        _parsed = before


def _expands_too_far(data: Any) -> bool:
    """Whether parsed YAML holds more than MAX_YAML_VALUES values once aliases are followed.

    A few lines of nested aliases ('billion laughs') or an alias to itself parse instantly but
    make every later step (validation, error messages) run for hours or recurse without end.
    """
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_YAML_VALUES:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def split_front_matter(path: Path, text: str, problems: Problems) -> tuple[Any, str] | None:
    """Split '---' YAML front matter from the Markdown body and parse it."""
    # Line by line with find(), not split(): only the front matter's lines are looked at.
    end = text.find("\n")
    if (text if end < 0 else text[:end]).strip() != "---":
        problems.add(path, 1, "must start with a line '---', then the fields (title: …), then "
                              "another line '---', then the text")
        return None
    first = pos = end + 1
    while end >= 0:
        end = text.find("\n", pos)
        if (text[pos:] if end < 0 else text[pos:end]).rstrip() in ("---", "..."):
            data = read_yaml(path, problems, text[first:pos] if pos > first else "\n", offset=1)
            return data, "" if end < 0 else text[end + 1:]
        pos = end + 1
    problems.add(path, 1, "front matter is not closed; add a line '---' after the last field")
    return None


def _refuse_special_files(folder: Path, problems: Problems) -> None:
    """Git can commit symbolic links; one in content/ or templates/ could publish any file of
    the machine that builds the site. A named pipe, socket or device there (local only) would
    hang a read or be skipped without a word: each is reported."""
    name = folder.name
    if folder.is_symlink():
        problems.add(folder, None, f"is a symbolic link; {name}/ must be a real folder of the "
                                   "site, not a pointer to files elsewhere")
        return
    if not folder.exists():
        return
    stack = [str(folder)]  # os.scandir, not rglob: a site has thousands of files
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        problems.add(entry.path, None, f"is a symbolic link; {name} must be real "
                                                       f"files inside {name}/")
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif not entry.is_file(follow_symlinks=False):
                        kind = _special_kind(entry.stat(follow_symlinks=False).st_mode)
                        problems.add(entry.path, None, _not_a_file(kind or "a device"))
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            continue


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of a folder that the site is made of, sorted: all but dot-files (.gitkeep)."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as found:  # file types without a stat call per file
        return sorted((e for e in found if not e.name.startswith(".")), key=lambda e: e.name)


def _files(folder: Path, suffix: str, problems: Problems, also: tuple[str, ...] = ()) -> list[Path]:
    """The content files of one folder, sorted; stray files are reported, dot-files ignored."""
    out = []
    for entry in _entries(folder):
        if entry.is_symlink():
            continue
        path = folder / entry.name
        if entry.is_dir():
            problems.add(path, None, f"unexpected folder; {folder.name}/ holds only *{suffix} files")
        elif not path.name.endswith(suffix) and path.name not in also:
            problems.add(path, None, f"unexpected file; files in {folder.name}/ must end in {suffix}")
        else:
            out.append(path)
    _case_duplicates(out, problems)
    return out


def _check_content_folder(content_dir: Path, problems: Problems) -> None:
    """Only the folders of CONTENT_FOLDERS are read: anything else in content/ would be left out
    of the site without a word, so each is reported, with where it probably belongs."""
    known = ", ".join(f"{name}/" for name in sorted(CONTENT_FOLDERS))
    for entry in _entries(content_dir):
        path = content_dir / entry.name
        if entry.is_symlink():
            continue  # reported by _refuse_special_files
        if entry.name in CONTENT_FOLDERS:
            if not entry.is_dir(follow_symlinks=False):
                problems.add(path, None, f"must be a folder (content/{entry.name}/) holding "
                                         f"*{CONTENT_FOLDERS[entry.name]} files, not a file")
            continue
        if entry.is_dir(follow_symlinks=False):
            near = FOLDER_NAMES.get(entry.name.lower()) or next(iter(difflib.get_close_matches(
                entry.name.lower(), list(CONTENT_FOLDERS), n=1)), None)
            tip = f"did you mean content/{near}/? " if near else ""
            problems.add(path, None, f"unknown folder: nothing in it is read; {tip}content/ holds "
                                     f"only the folders {known}")
        else:
            problems.add(path, None, f"is not read: files go into a folder of content/; "
                                     f"{_home_of(entry.name)}")


def _home_of(name: str) -> str:
    """Where a file found directly in content/ probably belongs, as advice."""
    if NEWS_NAME.match(name):
        return f"move it to content/news/{name} if it is an announcement"
    if name.endswith(".md"):
        return f"move it to content/pages/{name} if it is a page, or to content/news/"
    if name in REFERENCE_FILES or name == SHAPES_FILE:
        return f"move it to content/reference/{name}"
    if name.endswith(".yaml"):
        return f"move it to content/regions/{name} if it is a region"
    return "content/ holds only the folders news/, pages/, reference/ and regions/"


def _account_for_every_file(content_dir: Path, problems: Problems, loaded: set[str]) -> None:
    """The last guard against silent loss: every file in the content folders was loaded into
    the site or is named by a problem saying why not; any other file is reported here."""
    named = {p.path for p in problems.items}
    for folder in CONTENT_FOLDERS:
        for entry in _entries(content_dir / folder):
            path = content_dir / folder / entry.name
            shown = problems.display(path)
            if shown not in loaded and shown not in named:
                problems.add(path, None, "was not read into the site, and no other problem says "
                                         "why; check that it is complete, and tell the site's "
                                         "developers: the generator should have named the reason")


def _reported(problems: Problems, path: Path) -> bool:
    """Whether a problem already names ``path`` (so leaving the file out loses nothing silently)."""
    shown = problems.display(path)
    return any(p.path == shown for p in problems.items)


def _check_updated(path: Path, data: LineDict, problems: Problems, today: dt.date,
                   latest: dt.date | None = None) -> None:
    """An 'updated' date after today would be shown as the site's last update and in the sitemap.
    ``latest`` allows a later one (an announcement scheduled for a later day)."""
    updated = data.get("updated")
    limit = max(today, latest) if latest else today
    if isinstance(updated, dt.date) and updated > limit:
        later = f" and after the announcement's date {limit.isoformat()}" if limit > today else ""
        problems.add(path, line_of(data, ["updated"]),
                     f"'updated' is {updated.isoformat()}, after today ({today.isoformat()})"
                     f"{later}; write the date of the last change, which cannot be in the future")


def _case_duplicates(paths: list[Path], problems: Problems) -> None:
    by_lower: dict[str, list[Path]] = defaultdict(list)
    for p in paths:
        by_lower[p.name.lower()].append(p)
    for group in by_lower.values():
        for p in group[1:]:
            problems.add(p, None, f"differs from {group[0].name} only in upper/lower case; GitHub "
                                  "Pages treats them as two pages, most laptops as one: rename one")


def _sources(data: Any) -> tuple[Source, ...]:
    out = []
    for item in data or []:
        if isinstance(item, str):
            out.append(Source(title=item, url=item))
        else:
            out.append(Source(title=item.get("title", ""), url=item.get("url"),
                              publisher=item.get("publisher"), date=item.get("date"),
                              language=item.get("language")))
    return tuple(out)


# --- configuration ------------------------------------------------------------------------

def load_config(path: Path, problems: Problems) -> SiteConfig | None:
    """Read and validate ``site_config.yaml``."""
    if not os.path.lexists(path):
        problems.add(path, None, "is missing; every site needs a site_config.yaml with at least "
                                 "'title' and 'base_url'")
        return None
    data = read_yaml(path, problems)
    if not isinstance(data, dict):
        if not _reported(problems, path):
            problems.add(path, 1, "must be a set of 'field: value' lines" + (
                ", with at least 'title' and 'base_url'" if data is None else ""))
        return None
    if not check(data, schemas.CONFIG, problems, path):
        return None
    base = data["base_url"]
    return SiteConfig(
        title=data["title"], base_url=base if base.endswith("/") else base + "/",
        description=data.get("description", ""), language=data.get("language", "id"),
        timezone=data.get("timezone", "Asia/Jakarta"), news_per_page=data.get("news_per_page", 10),
        feed_items=data.get("feed_items", 20), organisation=dict(data.get("organisation", {})),
        contact=dict(data.get("contact", {})), repository=data.get("repository"),
        translations={lang: dict(fields or {})
                      for lang, fields in (data.get("translations") or {}).items()})


# --- reference data -----------------------------------------------------------------------

def load_reference(folder: Path, problems: Problems
                    ) -> tuple[tuple[Province, ...], tuple[Kabkota, ...], tuple[Cohort, ...], bool]:
    """Provinces, kabupaten/kota and rounds from ``content/reference/`` (all optional)."""
    return _reference_from(_reference_files(folder, problems), folder, problems)


def _reference_files(folder: Path, problems: Problems) -> dict[str, list[Any]]:
    """The reference files that were read and passed their schema, by name; every other file of
    the folder is named by a problem. Empty when the site has no content/reference/."""
    loaded: dict[str, list[Any]] = {}
    if not folder.is_dir():
        return loaded
    known = (*REFERENCE_FILES, SHAPES_FILE)
    for path in _files(folder, ".yaml", problems, also=(SHAPES_FILE,)):
        if path.name not in known:
            near = difflib.get_close_matches(path.name, known, n=1)
            tip = f"did you mean {near[0]}? " if near else ""
            problems.add(path, None, f"unexpected file; {tip}content/reference/ holds only "
                                     f"{', '.join(known)}")
    for name, schema in zip(REFERENCE_FILES, (schemas.PROVINCES, schemas.KABKOTA, schemas.COHORTS)):
        path = folder / name
        if not os.path.lexists(path):
            problems.add(path, None, "is missing; content/reference/ needs provinces.yaml, "
                                     "kabupaten-kota.yaml and cohorts.yaml")
            continue
        data = read_yaml(path, problems)
        if data is None:
            if not _reported(problems, path):
                problems.add(path, 1, "is empty; convert the reference data again with "
                                      "`python build.py import-reference DATA_DIR`")
        elif check(data, schema, problems, path):
            loaded[name] = data
    return loaded


def _reference_from(loaded: dict[str, list[Any]], folder: Path, problems: Problems
                    ) -> tuple[tuple[Province, ...], tuple[Kabkota, ...], tuple[Cohort, ...], bool]:
    """The reference data from its files' data, checked across files."""
    if not folder.is_dir():
        return (), (), (), False
    paths = {name: folder / name for name in REFERENCE_FILES}
    provinces = tuple(Province(code=p["code"], name=p["name"], slug=slugify(p["name"]),
                               lat=p.get("lat"), lon=p.get("lon"), aliases=tuple(p.get("aliases", ())))
                      for p in loaded.get("provinces.yaml", []))
    kabkota = tuple(Kabkota(code=k["code"], name=k["name"], short_name=k.get("short_name", k["name"]),
                            type=k["type"], province_code=k["province_code"], lat=k.get("lat"),
                            lon=k.get("lon"))
                    for k in loaded.get("kabupaten-kota.yaml", []))
    cohorts = tuple(Cohort(year=c["year"], announced=c["announced"], stage=c.get("stage", ""),
                           sources=_sources(c["sources"]), note=c.get("note", ""),
                           note_en=c.get("note_en", ""), research_note=c.get("research_note", ""))
                    for c in loaded.get("cohorts.yaml", []))
    for items, key, path in ((provinces, "code", paths["provinces.yaml"]),
                             (kabkota, "code", paths["kabupaten-kota.yaml"]),
                             (cohorts, "year", paths["cohorts.yaml"])):
        for value, n in Counter(getattr(i, key) for i in items).items():
            if n > 1:
                problems.add(path, None, f"{key} {value} is listed {n} times; keep one")
    codes = {p.code for p in provinces}
    for k in kabkota:
        if provinces and k.province_code not in codes:
            problems.add(paths["kabupaten-kota.yaml"], None,
                         f"{k.name} names province code {k.province_code}, which is not in provinces.yaml")
    return provinces, kabkota, tuple(sorted(cohorts, key=lambda c: c.year)), True


def load_shapes(path: Path, provinces: tuple[Province, ...], problems: Problems
                ) -> tuple[tuple[ProvinceShape, ...], str]:
    """Province boundaries for the map (optional file), checked lightly; and a digest of the file
    (empty when it was not read)."""
    if not os.path.lexists(path) or path.is_symlink() or path.is_dir():
        return (), ""  # a link or a folder of this name is reported by the folder's checks
    text = read_text(path, problems)
    if text is None:
        return (), ""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        problems.add(path, line, f"is not valid GeoJSON: {exc}; convert it again with "
                                 "`python build.py import-reference DATA_DIR`")
        return (), ""
    shapes, errors = geo.parse_geojson(data)
    for message in errors:
        problems.add(path, None, message)
    codes = {p.code for p in provinces}
    for s in shapes:
        if codes and s.code not in codes:
            problems.add(path, None, f"kode {s.code} ({s.name}) is not a province code in "
                                     "provinces.yaml; fix the code or remove the feature")
    drawn = {s.code for s in shapes}
    for p in provinces:
        if shapes and p.code not in drawn:
            problems.add(path, None, f"has no boundary for {p.name} (kode {p.code}); the map "
                                     "would leave it out: add a feature with that kode")
    return shapes, digest_of(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _provinces_from_regions(regions: tuple[Region, ...]) -> tuple[Province, ...]:
    """Without reference data, the provinces are the ones the regions name."""
    prefixes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in regions:
        prefixes[r.province][r.code[:2]] += 1
    return tuple(sorted((Province(code=c.most_common(1)[0][0], name=name, slug=slugify(name))
                         for name, c in prefixes.items()), key=lambda p: p.code))


def _complete_cohorts(cohorts: tuple[Cohort, ...], regions: tuple[Region, ...]) -> tuple[Cohort, ...]:
    """Add a round (with unknown announced size) for every year a region names but the reference
    lacks (a withdrawn round too: the region was named for it)."""
    known = {c.year for c in cohorts}
    extra = {p.year for r in regions for p in r.rounds} - known
    return tuple(sorted(cohorts + tuple(Cohort(year=y) for y in extra), key=lambda c: c.year))


# --- regions ------------------------------------------------------------------------------

def _load_regions(folder: Path, problems: Problems, today: dt.date) -> tuple[Region, ...]:
    regions = []
    for path in _files(folder, ".yaml", problems):
        slug = path.name[: -len(".yaml")]
        if not is_slug(slug):
            problems.add(path, None, f"file name '{path.name}' may only use a-z, 0-9 and single "
                                     f"hyphens; rename it, e.g. {slugify(slug) or 'kota-contoh'}.yaml")
            continue
        text = read_text(path, problems)
        if text is None:
            continue
        data = read_yaml(path, problems, text)
        if not isinstance(data, dict):
            if not _reported(problems, path):
                problems.add(path, 1, ("has no fields (it is empty, only comments, or '~'); it "
                                       if data is None else "") +
                             "must be a set of 'field: value' lines (name:, type:, province:, "
                             "code:, cohort:)")
            continue
        if not check(data, schemas.REGION, problems, path):
            continue
        _check_updated(path, data, problems, today)
        rounds = _rounds(data, path, problems)
        coords = data.get("coordinates")
        if coords is not None and not (-12 <= coords[0] <= 7 and 94 <= coords[1] <= 143):
            problems.add(path, line_of(data, ["coordinates"]),
                         "'coordinates' must be [latitude, longitude] inside Indonesia, "
                         "e.g. [-6.91, 107.61]; check the order")
        regions.append(Region(
            slug=slug, name=data["name"], type=data["type"], province=data["province"],
            code=data["code"], rounds=rounds, path=problems.display(path),
            sources=_sources(data.get("sources")), note=data.get("note", ""),
            note_en=data.get("note_en", ""),
            aliases=tuple(data.get("aliases", ())), website=data.get("website"),
            coordinates=tuple(coords) if coords else None,  # type: ignore[arg-type]
            summary=data.get("summary", ""), masterplan_status=data.get("masterplan_status", ""),
            quick_wins=tuple(data.get("quick_wins", ())), updated=data.get("updated"),
            digest=digest_of(slug + "\n" + text)))
    return tuple(regions)


def _rounds(data: dict[str, Any], path: Path, problems: Problems) -> tuple[Participation, ...]:
    """A region's 'cohort' (a year, or a list of years and round mappings) as rounds by year;
    a year given twice is a problem at its second line."""
    items = data["cohort"] if isinstance(data["cohort"], list) else [data["cohort"]]
    first_line: dict[int, int] = {}
    rounds = []
    for i, item in enumerate(items):
        where = ["cohort", i] if isinstance(data["cohort"], list) else ["cohort"]
        p = Participation(year=item) if isinstance(item, int) else Participation(
            year=item["year"], status=item.get("status", CONFIRMED), note=item.get("note", ""),
            note_en=item.get("note_en", ""), research_note=item.get("research_note", ""),
            sources=_sources(item.get("sources")))
        line = line_of(data, where)
        if p.year in first_line:
            before = first_line[p.year]
            also = f" (also on line {before})" if before and before != line else ""
            problems.add(path, line, f"'cohort' lists {p.year} twice{also}; give each year once, "
                                     "with its status, notes and sources together")
            continue
        first_line[p.year] = line
        rounds.append(p)
    return tuple(sorted(rounds, key=lambda p: p.year))


def _check_province_slugs(provinces: tuple[Province, ...], regions: tuple[Region, ...],
                          content_dir: Path, has_reference: bool, problems: Problems) -> None:
    """A province's name becomes its folder; a name with no letter or digit would become the
    province index's own address (provinsi//) and silently replace it."""
    for p in provinces:
        if is_slug(p.slug):
            continue
        where = [content_dir / "reference" / "provinces.yaml"] if has_reference else \
            [r.path for r in regions if r.province == p.name]
        for path in where:
            problems.add(path, None, f"province name '{p.name}' has no letters or digits to make "
                                     "its web address from; write the province's real name")


def _check_regions(regions: tuple[Region, ...], provinces: tuple[Province, ...],
                   kabkota: tuple[Kabkota, ...], has_reference: bool, problems: Problems) -> None:
    """Codes unique; with reference data, code, name, type and province must agree with it."""
    by_code: dict[str, list[Region]] = defaultdict(list)
    for r in regions:
        by_code[r.code].append(r)
    for code, group in by_code.items():
        for r in group[1:]:
            problems.add(r.path, None, f"code {code} is also used by {group[0].path}; each region "
                                       "has its own Kemendagri code and one file")
    if not has_reference:
        return
    province_by_name = {}
    for p in provinces:
        for name in (p.name, *p.aliases):
            province_by_name[name.casefold()] = p
    reference = {k.code: k for k in kabkota}
    for r in regions:
        province = province_by_name.get(r.province.casefold())
        if province is None:
            near = difflib.get_close_matches(r.province, [p.name for p in provinces], n=1)
            tip = f"did you mean '{near[0]}'? " if near else ""
            problems.add(r.path, None, f"province '{r.province}' is not one of the 38 provinces; "
                                       f"{tip}see content/reference/provinces.yaml")
        ref = reference.get(r.code)
        if ref is None:
            problems.add(r.path, None, f"code {r.code} is not a Kemendagri kabupaten/kota code; "
                                       "look it up in content/reference/kabupaten-kota.yaml")
            continue
        if province is not None and ref.province_code != province.code:
            problems.add(r.path, None, f"code {r.code} belongs to province code {ref.province_code}, "
                                       f"not {r.province} ({province.code}); fix the code or the province")
        if r.name.casefold() != ref.name.casefold():
            problems.add(r.path, None, f"name '{r.name}' differs from the Kemendagri name "
                                       f"'{ref.name}' for code {r.code}; use '{ref.name}' and put "
                                       "other spellings under 'aliases'")
        if r.type != ref.type:
            problems.add(r.path, None, f"type '{r.type}' differs from Kemendagri ('{ref.type}') "
                                       f"for code {r.code}")


# --- news and pages -----------------------------------------------------------------------

def _split_translations(folder: Path, problems: Problems) -> tuple[list[Path], list[Path]]:
    """The Markdown files of a folder: originals, and translations named ``<name>.<lang>.md``."""
    originals, translations = [], []
    for path in _files(folder, ".md", problems):
        (translations if TRANSLATION_NAME.match(path.name) else originals).append(path)
    return originals, translations


def _markdown_files(paths: list[Path], problems: Problems, schema: dict[str, Any]
                    ) -> list[tuple[Path, LineDict, str, str]]:
    out = []
    for path in paths:
        text = read_text(path, problems)
        if text is None:
            continue
        split = split_front_matter(path, text, problems)
        if split is None:
            continue
        data, body = split
        first = text.count("\n", 0, len(text) - len(body))  # lines before the body
        for line, message in mdlimits.hazards(body):
            problems.add(path, first + line, message)
        if not isinstance(data, dict):
            if not _reported(problems, path):
                problems.add(path, 2, _no_fields(data, schema))
            continue
        if check(data, schema, problems, path):
            out.append((path, data, body, digest_of(path.name + "\n" + text)))
    return out


def _no_fields(data: Any, schema: dict[str, Any]) -> str:
    """What to write when a file's front matter is not a set of fields."""
    if data is None:
        needed = ", ".join(f"{name}:" for name in schema["required"])
        return (f"front matter has no fields (it is empty, only comments, or '~'), so nothing "
                f"would be published; write {needed} between the two '---' lines")
    return "front matter must be 'field: value' lines (title:, date:, …)"


def _load_news(paths: list[Path], problems: Problems, region_slugs: set[str], today: dt.date
               ) -> tuple[NewsItem, ...]:
    items = []
    for path, data, body, digest in _markdown_files(paths, problems, schemas.NEWS):
        m = NEWS_NAME.match(path.name)
        if not m or not is_slug(m.group(2)):
            problems.add(path, None, "file name must be YYYY-MM-DD-<slug>.md using only a-z, 0-9 "
                                     "and single hyphens after the date, e.g. "
                                     "2021-12-31-kominfo-umumkan-48-daerah.md")
            continue
        try:
            file_date = dt.date.fromisoformat(m.group(1))
        except ValueError:
            problems.add(path, None, f"file name starts with {m.group(1)}, which is not a real date")
            continue
        if file_date != data["date"]:
            problems.add(path, line_of(data, ["date"]),
                         f"date {data['date'].isoformat()} differs from the date in the file name "
                         f"({m.group(1)}); make them the same")
        if data.get("updated") and data["updated"] < data["date"]:
            problems.add(path, line_of(data, ["updated"]), "'updated' is before 'date'; an update "
                                                           "comes after publication")
        _check_updated(path, data, problems, today, latest=data["date"])
        items.append(NewsItem(
            slug=m.group(2), title=data["title"], date=data["date"], summary=data["summary"],
            body=body, path=problems.display(path), tags=tuple(data.get("tags", ())),
            regions=tuple(data.get("regions", ())), sources=_sources(data.get("sources")),
            updated=data.get("updated"), draft=data.get("draft", False), digest=digest))
        for i, slug in enumerate(data.get("regions", ())):
            if slug not in region_slugs:
                near = difflib.get_close_matches(slug, sorted(region_slugs), n=1)
                tip = f"did you mean '{near[0]}'? " if near else ""
                problems.add(path, line_of(data, ["regions", i]),
                             f"region '{slug}' does not exist; {tip}use the file name of a "
                             "region in content/regions/ (without .yaml)")
    return tuple(items)


def _check_news_slugs(news: tuple[NewsItem, ...], problems: Problems) -> None:
    """Two announcements may not share a slug, whatever their dates."""
    by_slug: dict[str, list[NewsItem]] = defaultdict(list)
    for n in news:
        by_slug[n.slug].append(n)
    for slug, group in by_slug.items():
        for n in group[1:]:
            problems.add(n.path, None, f"slug '{slug}' is also used by {group[0].path}; both would "
                                       f"be /berita/{slug}/: give one a different name")


def _load_pages(paths: list[Path], problems: Problems, today: dt.date) -> tuple[Page, ...]:
    pages = []
    for path, data, body, digest in _markdown_files(paths, problems, schemas.PAGE):
        slug = path.name[: -len(".md")]
        if not is_slug(slug):
            problems.add(path, None, f"file name '{path.name}' may only use a-z, 0-9 and single "
                                     "hyphens, e.g. tentang.md")
            continue
        _check_updated(path, data, problems, today)
        pages.append(Page(slug=slug, title=data["title"], body=body, path=problems.display(path),
                          summary=data.get("summary", ""), updated=data.get("updated"), digest=digest))
    return tuple(pages)


def _load_translations(kind: str, paths: list[Path], originals: tuple[NewsItem, ...] | tuple[Page, ...],
                       config: SiteConfig | None, problems: Problems, today: dt.date
                       ) -> tuple[Translation, ...]:
    """Translations of announcements or pages; each needs its original and a configured edition."""
    by_file = {Path(o.path).name: o for o in originals}
    schema = schemas.NEWS_TRANSLATION if kind == "news" else schemas.PAGE_TRANSLATION
    out = []
    for path, data, body, digest in _markdown_files(paths, problems, schema):
        name, language = TRANSLATION_NAME.match(path.name).groups()  # type: ignore[union-attr]
        original = by_file.get(name + ".md")
        if language not in schemas.TRANSLATED_LANGUAGES:
            problems.add(path, None, f"'.{language}.md' names a language this site has no edition "
                                     f"for; translations are named <name>."
                                     f"{'|'.join(schemas.TRANSLATED_LANGUAGES)}.md")
            continue
        if config is not None and language not in config.translations:
            problems.add(path, None, f"site_config.yaml has no '{language}' edition; add "
                                     f"'translations:' with '{language}:' to it, or remove this file")
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
        _check_updated(path, data, problems, today,
                       latest=original.date if isinstance(original, NewsItem) else None)
        out.append(Translation(kind=kind, slug=original.slug, language=language,
                               title=data["title"], body=body, path=problems.display(path),
                               original_path=original.path, summary=data.get("summary", ""),
                               updated=data.get("updated"), digest=digest))
    return tuple(out)
