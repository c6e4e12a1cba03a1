"""The participating regions: one ``content/regions/<slug>.yaml`` each, with its rounds."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from kotacerdas.content import schemas, stored
from kotacerdas.content.fields import check_updated, sources_of
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.core.digest import digest_of
from kotacerdas.content.read import (by_stamp, by_stamp_ahead, check, folder_files, read_text,
                                     read_yaml, reported)
from kotacerdas.content.types import CONFIRMED, Participation, Region
from kotacerdas.content.yamlsafe import line_of
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo
from kotacerdas.core.slugs import is_slug, slugify


def load_regions(folder: Path, problems: Problems, today: dt.date, parsed: ParseCache | None = None,
                 memo: Memo | None = None) -> tuple[Region, ...]:
    """Every region file of ``folder``, checked; a file with a problem is left out. ``memo``
    keeps each file's outcome from an earlier build of the same file (read.by_stamp) or the same
    text on the same day."""
    memo = Memo() if memo is None else memo
    paths = folder_files(folder, ".yaml", problems, memo=memo)

    def make(path: Path, found: Problems) -> Region | None:
        """One region file's outcome, read now."""
        return _region_file(path, today, parsed, memo, found)

    key = (stored.REGION, today)
    by_stamp_ahead(paths, key, problems, memo, parsed, make)
    regions = []
    for path in paths:
        region = by_stamp(path, key, problems, memo, lambda found: make(path, found))
        if region is not None:
            regions.append(region)
    return tuple(regions)


def _region_file(path: Path, today: dt.date, parsed: ParseCache | None, memo: Memo,
                 problems: Problems) -> Region | None:
    """One region file's record, read now (None when it has a problem that leaves it out)."""
    slug = path.name[: -len(".yaml")]
    if not is_slug(slug):
        problems.add(path, None, f"file name '{path.name}' may only use a-z, 0-9 and single "
                                 f"hyphens; rename it, e.g. "
                                 f"{slugify(slug) or 'kota-contoh'}.yaml")
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    return memo.checked(("region", os.fspath(path), digest_of(text), today), problems,
                        lambda found: _region(path, slug, text, today, parsed, found))


def _region(path: Path, slug: str, text: str, today: dt.date, parsed: ParseCache | None,
            problems: Problems) -> Region | None:
    """One region file's record (None when it has a problem that leaves it out): a function of
    the file's name and text and of the day alone."""
    data = read_yaml(path, problems, text, parsed=parsed)
    if not isinstance(data, dict):
        if not reported(problems, path):
            problems.add(path, 1, ("has no fields (it is empty, only comments, or '~'); it "
                                   if data is None else "") +
                         "must be a set of 'field: value' lines (name:, type:, province:, "
                         "code:, cohort:)")
        return None
    if not check(data, schemas.REGION, problems, path, parsed):
        return None
    check_updated(path, data, problems, today)
    rounds = _rounds(data, path, problems)
    coords = data.get("coordinates")
    if coords is not None and not (-12 <= coords[0] <= 7 and 94 <= coords[1] <= 143):
        problems.add(path, line_of(data, ["coordinates"]),
                     "'coordinates' must be [latitude, longitude] inside Indonesia, "
                     "e.g. [-6.91, 107.61]; check the order")
    return Region(
        slug=slug, name=data["name"], type=data["type"], province=data["province"],
        code=data["code"], rounds=rounds, path=problems.display(path),
        sources=sources_of(data.get("sources")), note=data.get("note", ""),
        note_en=data.get("note_en", ""),
        aliases=tuple(data.get("aliases", ())), website=data.get("website"),
        coordinates=tuple(coords) if coords else None,
        summary=data.get("summary", ""), masterplan_status=data.get("masterplan_status", ""),
        quick_wins=tuple(data.get("quick_wins", ())), updated=data.get("updated"),
        digest=digest_of(slug + "\n" + text))


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
            sources=sources_of(item.get("sources")))
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
