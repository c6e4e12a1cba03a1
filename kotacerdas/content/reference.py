"""Reference data from ``content/reference/``: provinces, kabupaten/kota, rounds (cohorts) and
the provinces' boundaries for the map; without it, what the regions imply."""

from __future__ import annotations

import difflib
import json
import os
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from kotacerdas.content import schemas, stored
from kotacerdas.content.fields import sources_of
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.core.digest import digest_of
from kotacerdas.content.read import (by_stamp, check, folder_files, read_text, read_yaml,
                                     reported, settled_stamp, site_entries)
from kotacerdas.core.records import record
from kotacerdas.content.types import Cohort, Kabkota, Province, ProvinceShape, Region
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo
from kotacerdas.core.slugs import slugify
from kotacerdas.content import geojson as geo

REFERENCE_FILES = ("provinces.yaml", "kabupaten-kota.yaml", "cohorts.yaml")
SHAPES_FILE = "provinces.geojson"  # optional, beside the reference YAML: boundaries for the map


def load_reference(folder: Path, problems: Problems
                    ) -> tuple[tuple[Province, ...], tuple[Kabkota, ...], tuple[Cohort, ...], bool]:
    """Provinces, kabupaten/kota and rounds from ``content/reference/`` (all optional)."""
    return reference_from(reference_files(folder, problems), folder, problems)


@record
class ReferenceData:
    """What content/reference/ gives a build, checked across its files."""

    files: tuple[str, ...]
    """The reference files that were read and passed their schema."""
    provinces: tuple[Province, ...]
    kabkota: tuple[Kabkota, ...]
    cohorts: tuple[Cohort, ...]
    present: bool
    """Whether the site has content/reference/ at all."""
    kabkota_digest: str
    """A digest of ``kabkota`` (514 records: made once, not on every build)."""


def reference_data(folder: Path, problems: Problems, parsed: ParseCache | None = None,
                   memo: Memo | None = None) -> ReferenceData:
    """The reference files read and checked across files (reference_files, reference_from).
    With ``memo``, settled files that an earlier build read (the same stamps, the same list of
    names in the folder) give that build's data and problems without being derived again."""
    stamps = tuple(settled_stamp(folder / name) for name in REFERENCE_FILES) if memo else ()
    if memo is None or None in stamps:
        return _reference_data(folder, problems, parsed, memo)
    return memo.checked(("reference", stamps, site_entries(folder, memo)), problems,
                        lambda found: _reference_data(folder, found, parsed, memo))


def _reference_data(folder: Path, problems: Problems, parsed: ParseCache | None,
                    memo: Memo | None) -> ReferenceData:
    """reference_data, derived now."""
    loaded = reference_files(folder, problems, parsed, memo)
    provinces, kabkota, cohorts, present = reference_from(loaded, folder, problems)
    return ReferenceData(tuple(loaded), provinces, kabkota, cohorts, present,
                         digest_of(repr(kabkota)))


def reference_files(folder: Path, problems: Problems, parsed: ParseCache | None = None,
                    memo: Memo | None = None) -> dict[str, list[Any]]:
    """The reference files that were read and passed their schema, by name; every other file of
    the folder is named by a problem. Empty when the site has no content/reference/. ``memo``
    keeps each file's data from an earlier build of the same file (read.by_stamp)."""
    loaded: dict[str, list[Any]] = {}
    if not folder.is_dir():
        return loaded
    known = (*REFERENCE_FILES, SHAPES_FILE)
    for path in folder_files(folder, ".yaml", problems, also=(SHAPES_FILE,), memo=memo):
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
        data = by_stamp(path, ("reference", name), problems, memo,
                        lambda found: _reference_file(path, schema, parsed, found))
        if data is not None:
            loaded[name] = data
    return loaded


def _reference_file(path: Path, schema: dict[str, Any], parsed: ParseCache | None,
                    problems: Problems) -> Any:
    """One reference file's data when it read and passed ``schema``, else None."""
    data = read_yaml(path, problems, parsed=parsed)
    if data is None:
        if not reported(problems, path):
            problems.add(path, 1, "is empty; convert the reference data again with "
                                  "`python build.py import-reference DATA_DIR`")
        return None
    return data if check(data, schema, problems, path, parsed) else None


def reference_from(loaded: dict[str, list[Any]], folder: Path, problems: Problems
                    ) -> tuple[tuple[Province, ...], tuple[Kabkota, ...], tuple[Cohort, ...], bool]:
    """The reference data from its files' data, checked across files."""
    if not folder.is_dir():
        return (), (), (), False
    paths = {name: folder / name for name in REFERENCE_FILES}
    provinces = tuple(Province(code=p["code"], name=p["name"], slug=slugify(p["name"]),
                               lat=p.get("lat"), lon=p.get("lon"),
                               aliases=tuple(p.get("aliases", ())))
                      for p in loaded.get("provinces.yaml", []))
    kabkota = tuple(Kabkota(code=k["code"], name=k["name"],
                            short_name=k.get("short_name", k["name"]), type=k["type"],
                            province_code=k["province_code"], lat=k.get("lat"), lon=k.get("lon"))
                    for k in loaded.get("kabupaten-kota.yaml", []))
    cohorts = tuple(Cohort(year=c["year"], announced=c["announced"], stage=c.get("stage", ""),
                           sources=sources_of(c["sources"]), note=c.get("note", ""),
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
                         f"{k.name} names province code {k.province_code}, which is not in "
                         "provinces.yaml")
    return provinces, kabkota, tuple(sorted(cohorts, key=lambda c: c.year)), True


@record
class ProvinceNames:
    """The provinces by name or alias, in any case: the one rule for reading a region's
    'province' field (the loader's checks and the model both look it up here)."""

    by_name: dict[str, Province]

    @classmethod
    def of(cls, provinces: Iterable[Province]) -> ProvinceNames:
        """Each province under its name and each of its aliases (a later one wins a shared name)."""
        return cls({name.casefold(): p for p in provinces for name in (p.name, *p.aliases)})

    def get(self, name: str) -> Province | None:
        """The province called ``name``, or None."""
        return self.by_name.get(name.casefold())

    def __getitem__(self, name: str) -> Province:
        """The province called ``name`` (a region that passed the loader's checks has one)."""
        return self.by_name[name.casefold()]


def load_shapes(path: Path, provinces: tuple[Province, ...], problems: Problems,
                memo: Memo | None = None) -> tuple[tuple[ProvinceShape, ...], str]:
    """Province boundaries for the map (optional file), checked lightly; and a digest of the file
    (empty when it was not read). ``memo`` keeps the shapes read from the same text before."""
    if not os.path.lexists(path) or path.is_symlink() or path.is_dir():
        return (), ""  # a link or a folder of this name is reported by the folder's checks
    memo = memo or Memo()
    found = by_stamp(path, stored.SHAPES, problems, memo,
                     lambda found: _shapes_file(path, memo, found))
    if found is None:
        return (), ""
    shapes, digest = found
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
    return shapes, digest


def _shapes_file(path: Path, memo: Memo, problems: Problems
                 ) -> tuple[tuple[ProvinceShape, ...], str] | None:
    """The shapes of the boundaries file and the digest of its text, read now (None when it
    cannot be read or is no JSON)."""
    text = read_text(path, problems)
    if text is None:
        return None
    digest = digest_of(text)
    shapes, errors, readable = memo.get(("province-shapes", digest), lambda: _shapes_in(text))
    for line, message in errors:
        problems.add(path, line, message)
    return (shapes, digest) if readable else None


def _shapes_in(text: str) -> tuple[tuple[ProvinceShape, ...], tuple[tuple[int | None, str], ...],
                                   bool]:
    """The shapes a GeoJSON text holds, its problems as (line, message), and whether it was
    JSON at all."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        return (), ((line, f"is not valid GeoJSON: {exc}; convert it again with "
                           "`python build.py import-reference DATA_DIR`"),), False
    shapes, errors = geo.parse_geojson(data)
    return shapes, tuple((None, message) for message in errors), True


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def provinces_from_regions(regions: tuple[Region, ...]) -> tuple[Province, ...]:
    """Without reference data, the provinces are the ones the regions name."""
    prefixes: dict[str, Counter[str]] = defaultdict(Counter)
    for r in regions:
        prefixes[r.province][r.code[:2]] += 1
    return tuple(sorted((Province(code=c.most_common(1)[0][0], name=name, slug=slugify(name))
                         for name, c in prefixes.items()), key=lambda p: p.code))


def complete_cohorts(cohorts: tuple[Cohort, ...], regions: tuple[Region, ...]
                     ) -> tuple[Cohort, ...]:
    """Add a round (with unknown announced size) for every year a region names but the reference
    lacks (a withdrawn round too: the region was named for it)."""
    known = {c.year for c in cohorts}
    extra = {p.year for r in regions for p in r.rounds} - known
    return tuple(sorted(cohorts + tuple(Cohort(year=y) for y in extra), key=lambda c: c.year))
