"""Importers: the Kemendagri reference CSVs and the participants spreadsheet into content/.

``import_regions`` is meant to be rerun whenever the spreadsheet grows: it creates missing region
files, adds new rounds (with their sources and notes) to existing ones, never touches fields an
editor wrote by hand, and reports the rows it cannot match to a Kemendagri code.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .content import Kabkota
from .errors import ContentError, Problems
from .load import read_yaml
from .slugs import slugify
from .yamlsafe import dump

UNVERIFIED_MARK = re.compile(r"\b(UNCERTAIN|INFERRED)\b")
PROVINCE_ALIASES = {"31": ["DKI Jakarta", "Daerah Khusus Jakarta"],
                    "34": ["DI Yogyakarta", "DIY", "Yogyakarta"]}
REGION_FIELD_ORDER = ("name", "type", "province", "code", "cohort", "unverified_cohorts", "sources",
                      "note", "note_lang", "aliases", "website", "coordinates", "summary",
                      "masterplan_status", "quick_wins", "updated")


# --- reference data -----------------------------------------------------------------------

def import_reference(data_dir: Path, site: Path) -> list[Path]:
    """Convert wilayah.csv and cohorts.csv into content/reference/*.yaml, copy provinces.geojson
    when present; return the files written."""
    rows = list(csv.DictReader((data_dir / "wilayah.csv").open(encoding="utf-8", newline="")))
    provinces = [{"code": r["kode"], "name": r["name"],
                  **({"aliases": PROVINCE_ALIASES[r["kode"]]} if r["kode"] in PROVINCE_ALIASES else {}),
                  "lat": float(r["lat"]), "lon": float(r["lon"])}
                 for r in rows if r["level"] == "provinsi"]
    kabkota = [{"code": r["kode"], "name": r["name"], "short_name": r["short_name"],
                "type": r["level"], "province_code": r["province_code"],
                "lat": float(r["lat"]), "lon": float(r["lon"])}
               for r in rows if r["level"] in ("kabupaten", "kota")]
    cohorts = []
    for r in csv.DictReader((data_dir / "cohorts.csv").open(encoding="utf-8", newline="")):
        item: dict[str, Any] = {"year": int(r["year"]), "announced": int(r["announced"])}
        if r["stage"]:
            item["stage"] = r["stage"]
        item["source"] = r["source_url"]
        if r["note"]:
            item["note"] = r["note"]
        cohorts.append(item)
    out = site / "content" / "reference"
    out.mkdir(parents=True, exist_ok=True)
    header = ("# Converted from ../shared/data/{src} by `python build.py import-reference`.\n"
              "# {what}\n")
    written = []
    for name, src, what, data in (
            ("provinces.yaml", "wilayah.csv", "The 38 provinces, Kemendagri codes, centroids (MIT, cahyadsn/wilayah).", provinces),
            ("kabupaten-kota.yaml", "wilayah.csv", "All kabupaten/kota, Kemendagri codes, centroids (MIT, cahyadsn/wilayah).", kabkota),
            ("cohorts.yaml", "cohorts.csv", "Announced size of each yearly round, with its source.", cohorts)):
        path = out / name
        path.write_text(header.format(src=src, what=what) + dump(data), encoding="utf-8")
        written.append(path)
    shapes = data_dir / "provinces.geojson"
    if shapes.is_file():  # boundaries for the map: copied as they are, simplified at build time
        path = out / "provinces.geojson"
        path.write_bytes(shapes.read_bytes())
        written.append(path)
    return written


# --- participants -------------------------------------------------------------------------

@dataclass
class ImportReport:
    """What an import did, for the editor to read."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One entry per file touched, then totals and the rows that need attention."""
        lines = [f"created {p}" for p in self.created] + [f"updated {p}" for p in self.updated]
        lines.append(f"{len(self.created)} created, {len(self.updated)} updated, "
                     f"{len(self.unchanged)} unchanged, {len(self.unmatched)} rows not matched")
        return lines + self.unmatched

    def summary(self) -> str:
        """The report as text (an entry quoting the spreadsheet may itself hold a line break)."""
        return "\n".join(self.lines())


@dataclass
class _Participation:
    """The rows of the spreadsheet that belong to one Kemendagri code."""

    ref: Kabkota
    years: dict[int, tuple[str, str]] = field(default_factory=dict)  # year → (source, note)
    alias: str | None = None


def _normal(name: str) -> str:
    """Name key that ignores case, spaces and the Kabupaten/Kab./Kota/Administrasi prefixes."""
    name = re.sub(r"^(kabupaten|kab\.?|kota)\s+(administrasi\s+)?", "", name.strip().casefold())
    return re.sub(r"[^a-z0-9]", "", name)


def import_regions(csv_path: Path, site: Path, kabkota: tuple[Kabkota, ...],
                   province_names: dict[str, str], today: dt.date) -> ImportReport:
    """Create or extend content/regions/*.yaml from a participants CSV; changed files get ``updated: today``."""
    report = ImportReport()
    by_code = {k.code: k for k in kabkota}
    by_name: dict[tuple[str, str], list[Kabkota]] = defaultdict(list)
    for k in kabkota:
        by_name[(_normal(k.name), k.type)].append(k)
    groups: dict[str, _Participation] = {}
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"name", "cohort_year"} - set(reader.fieldnames or ())
        if missing:
            report.unmatched.append(f"{csv_path}:1: missing column(s) {', '.join(sorted(missing))}")
            return report
        for row in reader:
            where = f"{csv_path}:{reader.line_num}"
            name = (row.get("name") or "").strip()
            try:
                year = int((row.get("cohort_year") or "").strip())
            except ValueError:
                report.unmatched.append(f"{where}: cohort_year '{row.get('cohort_year')}' is not a year")
                continue
            ref = by_code.get((row.get("kode") or "").strip())
            if ref is None:
                kind = (row.get("type") or "").strip().lower() or ("kota" if name.lower().startswith("kota") else "kabupaten")
                candidates = by_name.get((_normal(row.get("official_name") or name), kind), [])
                province = (row.get("province") or "").strip().casefold()
                if len(candidates) > 1 and province:
                    candidates = [k for k in candidates
                                  if province_names.get(k.province_code, "").casefold() == province]
                if len(candidates) != 1:
                    why = "several" if candidates else "no"
                    report.unmatched.append(f"{where}: '{name}' matches {why} Kemendagri kabupaten/kota; "
                                            "put its code (e.g. 32.73) in the 'kode' column")
                    continue
                ref = candidates[0]
            group = groups.setdefault(ref.code, _Participation(ref))
            if name and name.casefold() != ref.name.casefold():
                group.alias = name
            group.years[year] = ((row.get("source_url") or "").strip(), (row.get("note") or "").strip())
    existing = _existing_regions(site / "content" / "regions")
    for code in sorted(groups):
        _write_region(groups[code], existing.get(code), site, province_names, today, report)
    return report


def _existing_regions(folder: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Region files already present, by code (whatever their file name)."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    if not folder.is_dir():
        return found
    problems = Problems(folder)
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml(path, problems)
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            found[data["code"]] = (path, dict(data))
    if problems:
        raise ContentError(problems.items)
    return found


def _note(years: dict[int, tuple[str, str]], only: list[int]) -> str:
    notes = [(y, years[y][1]) for y in only if years[y][1]]
    if len(years) == 1 and notes:
        return notes[0][1]
    return "\n".join(f"{y}: {n}" for y, n in notes)


def _write_region(p: _Participation, existing: tuple[Path, dict[str, Any]] | None, site: Path,
                  province_names: dict[str, str], today: dt.date, report: ImportReport) -> None:
    years = sorted(p.years)
    unverified = [y for y in years if UNVERIFIED_MARK.search(p.years[y][1])]
    sources = list(dict.fromkeys(p.years[y][0] for y in years if p.years[y][0]))
    if existing is None:
        path = site / "content" / "regions" / f"{slugify(p.ref.name)}.yaml"
        data: dict[str, Any] = {
            "name": p.ref.name, "type": p.ref.type,
            "province": province_names.get(p.ref.province_code, ""), "code": p.ref.code,
            "cohort": years[0] if len(years) == 1 else years}
        if unverified:
            data["unverified_cohorts"] = unverified
        if sources:
            data["sources"] = sources
        note = _note(p.years, years)
        if note:
            data["note"] = note
            data["note_lang"] = "en"
        if p.alias:
            data["aliases"] = [p.alias]
        if p.ref.lat is not None and p.ref.lon is not None:
            data["coordinates"] = [p.ref.lat, p.ref.lon]
        data["updated"] = today
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(data), encoding="utf-8")
        report.created.append(path.relative_to(site).as_posix())
        return
    path, data = existing
    before = dump(data)
    old = data.get("cohort")
    old_years = sorted(old if isinstance(old, list) else [old] if old is not None else [])
    new_years = [y for y in years if y not in old_years]
    if new_years:
        merged = sorted(old_years + new_years)
        data["cohort"] = merged[0] if len(merged) == 1 else merged
        new_unverified = [y for y in new_years if y in unverified]
        if new_unverified:
            data["unverified_cohorts"] = sorted(set(data.get("unverified_cohorts", [])) | set(new_unverified))
        added_note = _note(p.years, new_years) if len(merged) == len(new_years) else \
            "\n".join(f"{y}: {p.years[y][1]}" for y in new_years if p.years[y][1])
        if added_note:
            data["note"] = (data["note"].rstrip() + "\n" + added_note) if data.get("note") else added_note
            data.setdefault("note_lang", "en")
    old_sources = list(data.get("sources", []))
    urls = {s if isinstance(s, str) else s.get("url") for s in old_sources}
    extra = [s for y in new_years for s in [p.years[y][0]] if s and s not in urls]
    if extra:
        data["sources"] = old_sources + list(dict.fromkeys(extra))
    if p.alias and p.alias not in data.get("aliases", []) and p.alias != data.get("name"):
        data["aliases"] = list(data.get("aliases", [])) + [p.alias]
    rel = path.relative_to(site).as_posix()
    if dump(data) == before:
        report.unchanged.append(rel)
    else:
        data["updated"] = today
        ordered = {k: data[k] for k in REGION_FIELD_ORDER if k in data}
        ordered.update({k: v for k, v in data.items() if k not in ordered})
        path.write_text(dump(ordered), encoding="utf-8")
        report.updated.append(rel)
