"""Checks across files: the folders of content/, codes, names and slugs that must agree, and the
ledger that every file found was loaded or named by a problem."""

from __future__ import annotations

import difflib
from collections import defaultdict
from pathlib import Path

from kotacerdas.content.documents import NEWS_NAME
from kotacerdas.content.read import FOLDER, LINK, site_entries
from kotacerdas.content.reference import REFERENCE_FILES, SHAPES_FILE, ProvinceNames
from kotacerdas.content.types import Kabkota, NewsItem, Province, Region
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo
from kotacerdas.core.slugs import is_slug

CONTENT_FOLDERS = {"news": ".md", "pages": ".md", "reference": ".yaml", "regions": ".yaml"}
"""The folders of content/ and the files they hold; nothing else in content/ is read."""
FOLDER_NAMES = {"berita": "news", "pengumuman": "news", "halaman": "pages", "daerah": "regions",
                "peserta": "regions", "wilayah": "regions", "referensi": "reference"}
"""Indonesian names an editor may give a content folder (the site's own addresses use them)."""


def check_content_folder(content_dir: Path, problems: Problems, memo: Memo | None = None) -> None:
    """Only the folders of CONTENT_FOLDERS are read: anything else in content/ would be left out
    of the site without a word, so each is reported, with where it probably belongs."""
    known = ", ".join(f"{name}/" for name in sorted(CONTENT_FOLDERS))
    for name, kind in site_entries(content_dir, memo):
        path = content_dir / name
        if kind == LINK:
            continue  # reported by refuse_special_files
        if name in CONTENT_FOLDERS:
            if kind != FOLDER:
                problems.add(path, None, f"must be a folder (content/{name}/) holding "
                                         f"*{CONTENT_FOLDERS[name]} files, not a file")
            continue
        if kind == FOLDER:
            near = FOLDER_NAMES.get(name.lower()) or next(iter(difflib.get_close_matches(
                name.lower(), list(CONTENT_FOLDERS), n=1)), None)
            tip = f"did you mean content/{near}/? " if near else ""
            problems.add(path, None, f"unknown folder: nothing in it is read; {tip}content/ holds "
                                     f"only the folders {known}")
        else:
            problems.add(path, None, f"is not read: files go into a folder of content/; "
                                     f"{_home_of(name)}")


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


def account_for_every_file(content_dir: Path, problems: Problems, loaded: set[str],
                           memo: Memo | None = None) -> None:
    """The last guard against silent loss: every file in the content folders was loaded into
    the site or is named by a problem saying why not; any other file is reported here."""
    named = {p.path for p in problems.items}
    for folder in CONTENT_FOLDERS:
        base = problems.display(content_dir / folder)
        for name, _ in site_entries(content_dir / folder, memo):
            shown = f"{base}/{name}"  # as problems.display shows the file's path
            if shown not in loaded and shown not in named:
                problems.add(content_dir / folder / name, None,
                             "was not read into the site, and no other problem says why; check "
                             "that it is complete, and tell the site's developers: the "
                             "generator should have named the reason")


def check_province_slugs(provinces: tuple[Province, ...], regions: tuple[Region, ...],
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


def check_regions(regions: tuple[Region, ...], provinces: tuple[Province, ...],
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
    province_by_name = ProvinceNames.of(provinces)
    reference = {k.code: k for k in kabkota}
    for r in regions:
        province = province_by_name.get(r.province)
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
            problems.add(r.path, None, f"code {r.code} belongs to province code "
                                       f"{ref.province_code}, not {r.province} ({province.code}); "
                                       "fix the code or the province")
        if r.name.casefold() != ref.name.casefold():
            problems.add(r.path, None, f"name '{r.name}' differs from the Kemendagri name "
                                       f"'{ref.name}' for code {r.code}; use '{ref.name}' and put "
                                       "other spellings under 'aliases'")
        if r.type != ref.type:
            problems.add(r.path, None, f"type '{r.type}' differs from Kemendagri ('{ref.type}') "
                                       f"for code {r.code}")


def check_news_slugs(news: tuple[NewsItem, ...], problems: Problems) -> None:
    """Two announcements may not share a slug, whatever their dates."""
    first: dict[str, NewsItem] = {}
    for n in news:
        other = first.setdefault(n.slug, n)
        if other is not n:
            problems.add(n.path, None, f"slug '{n.slug}' is also used by {other.path}; both would "
                                       f"be /berita/{n.slug}/: give one a different name")
