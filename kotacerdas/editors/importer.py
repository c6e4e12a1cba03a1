"""Importers: the Kemendagri reference CSVs and the participants spreadsheet into content/.

``import_regions`` is meant to be rerun whenever the spreadsheet grows: it creates missing region
files, adds new rounds (with their sources and notes) to existing ones, never touches fields an
editor wrote by hand, and refuses rows it cannot match to a Kemendagri code.

Both importers work all-or-nothing: every input is read and checked first (the CSV's encoding and
structure, each cell against the schema of the field it becomes, every region file the import
would touch), then the files about to be written are loaded by the build's own loader from a
scratch copy of the site. Any problem, and nothing is written; the problems are raised together
as one ``ContentError`` (``path:line: message``). Every write goes through ``writeguard``;
a file is created only with ``exclusive=True``, so "created" can never replace anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from kotacerdas.content import schemas
from kotacerdas.content.placenames import kind_of, match_key
from kotacerdas.content.types import Kabkota
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.core.errors import ContentError, Problem, Problems
from kotacerdas.core.slugs import slugify
from kotacerdas.content.validate import check as check_schema
from kotacerdas.core.writeguard import UnsafeWrite, target, write_bytes
from kotacerdas.editors.regionfiles import RegionFile, normal_code, region_files
from kotacerdas.content.yamlsafe import dump
from kotacerdas.core.records import field, record

UNVERIFIED_MARK = re.compile(r"\b(UNCERTAIN|INFERRED)\b")
PROVINCE_ALIASES = {"31": ["DKI Jakarta", "Daerah Khusus Jakarta"],
                    "34": ["DI Yogyakarta", "DIY", "Yogyakarta"]}
REGION_FIELD_ORDER = ("name", "type", "province", "code", "cohort", "sources", "note", "note_en",
                      "aliases", "website", "coordinates", "summary", "masterplan_status",
                      "quick_wins", "updated")
ROUND_FIELD_ORDER = ("year", "status", "note", "note_en", "research_note", "sources")
CITATIONS_FILE = "citations.csv"
"""Beside a participants or cohorts spreadsheet: the title, publisher, date and language of each
source address (../shared/data/v2/citations.csv)."""
REGIONS_DIR = "content/regions"
REFERENCE_DIR = "content/reference"
MAX_INPUT_BYTES = 20_000_000
SAVE_AS_UTF8 = ("open it and save it again as UTF-8: in Excel, File → Save As → "
                "'CSV UTF-8 (Comma delimited) (*.csv)'; in LibreOffice, File → Save As → "
                "'Text CSV (.csv)' with character set 'Unicode (UTF-8)' (accepted: UTF-8, with or "
                "without BOM)")


# --- reading spreadsheets -----------------------------------------------------------------

@record
class Column:
    """One column an importer reads; only ``multiline`` columns may hold line breaks."""

    name: str
    required: bool = False
    multiline: bool = False


@record
class Row:
    """One record of a spreadsheet: the line it starts on and its cells (stripped) by column."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell of ``column``, empty when the column is absent."""
        return self.cells.get(column, "")


def read_table(path: Path, columns: tuple[Column, ...], problems: Problems) -> list[Row]:
    """The records of a CSV file that passed every structural check; problems at their lines.

    Separated by ',' (or ';', when the first line clearly uses it, as Excel does in locales that
    write decimal commas). A quote that is never closed, a record with more or fewer cells than
    the first line names, a line break in a cell that cannot hold one, and control characters are
    problems of the record's first line, never silently merged into one cell.
    """
    text = _csv_text(path, problems)
    if text is None:
        return []
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delimiter = _delimiter(first_line, columns)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    end = 0
    try:
        header = _header(path, next(reader, []), first_line, columns, problems)
        end = reader.line_num
        if header is None:
            return []
        for cells in reader:
            start, end = end + 1, reader.line_num
            row = _row(path, start, end, header, cells, delimiter, columns, problems)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        problems.add(path, end + 1, _csv_error(exc, reader.line_num))
    return rows


def _csv_text(path: Path, problems: Problems) -> str | None:
    """The file as text if it is a UTF-8 file of reasonable size, else a problem saying how to fix
    it."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        problems.add(path, None, "is missing")
        return None
    except OSError as exc:
        problems.add(path, None, f"cannot be read: {exc.strerror}")
        return None
    if not stat.S_ISREG(info.st_mode):
        problems.add(path, None, "is not a regular file; give the path of a .csv file")
        return None
    if info.st_size > MAX_INPUT_BYTES:
        problems.add(path, None, f"is {info.st_size:,} bytes; a spreadsheet for this import is far "
                                 f"smaller (limit {MAX_INPUT_BYTES:,}): is it the right file?")
        return None
    raw = path.read_bytes()
    head = raw[:2000]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(0) * 4 > len(head):
        problems.add(path, 1, "is UTF-16 text (what Excel's 'Unicode Text' writes), not UTF-8; "
                              + SAVE_AS_UTF8)
        return None
    if b"\x00" in raw:
        problems.add(path, raw[: raw.index(b"\x00")].count(b"\n") + 1,
                     "contains a NUL byte, so it is not a text CSV; " + SAVE_AS_UTF8)
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        shown = bytes([byte]).decode("cp1252", "replace")
        problems.add(path, raw[: exc.start].count(b"\n") + 1,
                     f"is not UTF-8: this line has the byte 0x{byte:02X} ('{shown}' in "
                     "Windows-1252, the encoding of Excel's plain 'CSV (Comma delimited)'); "
                     + SAVE_AS_UTF8)
        return None


def _delimiter(first_line: str, columns: tuple[Column, ...]) -> str:
    """',' unless splitting the first line at ';' names more of the importer's columns."""
    known = {c.name for c in columns}

    def named(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return len(known & {c.strip().lower() for c in cells})

    return ";" if named(";") > named(",") else ","


def _header(path: Path, cells: list[str], first_line: str, columns: tuple[Column, ...],
            problems: Problems) -> list[str] | None:
    """The column names of the first line (stripped, lower case); None when required ones are
    missing."""
    names = [c.strip().lower() for c in cells]
    wanted = ", ".join(c.name for c in columns)
    if not any(names):
        problems.add(path, 1, f"is empty; its first line must name the columns: {wanted}")
        return None
    if len(names) == 1 and "\t" in first_line:
        problems.add(path, 1, "is separated by tabs (Excel's 'Text' or 'Unicode Text'), not "
                              "commas; save the sheet as 'CSV UTF-8 (Comma delimited) (*.csv)'")
        return None
    known = {c.name for c in columns}
    for i, name in enumerate(names):
        if name and name in names[:i]:
            problems.add(path, 1, f"names the column '{name}' twice; keep one")
        elif name and name not in known:
            problems.add(path, 1, f"has the column '{name}', which this import does not read; "
                                  f"remove or rename it (columns: {wanted})")
    missing = [c.name for c in columns if c.required and c.name not in names]
    if missing:
        problems.add(path, 1, f"missing column(s) {', '.join(missing)}; the first line must name "
                              f"the columns, separated by commas: {wanted}")
        return None
    return names


def _row(path: Path, start: int, end: int, header: list[str], cells: list[str], delimiter: str,
         columns: tuple[Column, ...], problems: Problems) -> Row | None:
    """One record's cells by column; None when it is blank, or (with a problem) when its cells
    cannot be told apart. A row with a problem in one cell is still returned, to be checked
    further: any problem stops the import before it writes."""
    if not any(c.strip() for c in cells):
        return None
    span = (f" (this record runs from line {start} to line {end}: a quote (\") opened and never "
            "closed joins the lines after it into one cell; close it or remove it)"
            if end > start else "")
    if len(cells) != len(header):
        problems.add(path, start, f"has {len(cells)} cells, but the first line names "
                                  f"{len(header)} columns{span}; every row needs one cell per "
                                  "column")
        return None
    multiline = {c.name for c in columns if c.multiline}
    out: dict[str, str] = {}
    for i, (name, value) in enumerate(zip(header, cells)):
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        if not name:
            if value:
                problems.add(path, start, f"has a value in column {i + 1}, which has no name on "
                                          "the first line; name the column or empty the cell")
            continue
        if "\n" in value and name not in multiline:
            problems.add(path, start, f"the '{name}' cell holds a line break{span}; it must be "
                                      "one line")
            return None  # its cells are not the ones the columns name: nothing more to check
        if any(line.count(delimiter) >= len(header) - 1 for line in value.split("\n")[1:]):
            problems.add(path, start, f"the '{name}' cell holds lines that look like whole rows"
                                      f"{span}")
            return None
        bad = next((ch for ch in value if ch != "\n" and unicodedata.category(ch) == "Cc"), None)
        if bad is not None:  # reported, and the row still checked: the import stops anyway
            problems.add(path, start, f"the '{name}' cell holds the invisible control character "
                                      f"U+{ord(bad):04X} (pasted from another program?); delete it")
        out[name] = value
    return Row(start, out)


def _csv_error(exc: csv.Error, line: int) -> str:
    """What a csv module error means for the editor."""
    text = str(exc)
    if "field larger than field limit" in text:
        return (f"a cell is longer than {csv.field_size_limit():,} characters, far more than any "
                "field needs (or a quote (\") is never closed): shorten it")
    if "unexpected end of data" in text:
        return ("a quote (\") opened in this record is never closed, so the rest of the file would "
                "be read as one cell: close the quote or remove it")
    if "expected after" in text:
        return (f"a quote (\") opened in this record is closed in the middle of a cell "
                f"(line {line}); a quoted cell must end at its quote, and a quote inside it is "
                "written twice (\"\")")
    return f"cannot be read as CSV ({text}); save the sheet again as 'CSV UTF-8 (Comma delimited)'"


def _check_cells(path: Path, row: Row, values: dict[str, Any], schema: dict[str, Any],
                 problems: Problems) -> bool:
    """Check a row's converted cells with the schema of the content field each becomes."""
    found = Problems(Path("."))
    ok = check_schema({k: v for k, v in values.items() if v not in ("", None)}, schema, found, path)
    for p in found.items:
        problems.add(path, row.line, f"column {p.message}")
    return ok


def _number(path: Path, row: Row, column: str, problems: Problems, whole: bool) -> Any:
    """A cell as a whole number (year, count) or a decimal (degrees), or None with a problem."""
    value = row.get(column)
    if whole and value.isdecimal():
        return int(value)
    if not whole and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
        return float(value)
    if whole:
        problems.add(path, row.line, f"column '{column}': '{value}' is not a whole number; write "
                                     "digits only, e.g. 2019")
    else:
        comma = " (use a dot, not a comma, before the decimals)" if "," in value else ""
        problems.add(path, row.line, f"column '{column}': '{value}' is not a number{comma}; write "
                                     "degrees as e.g. -6.91")
    return None


# --- the build's verdict, and writing -------------------------------------------------------

def _load_problems(site: Path, today: dt.date) -> list[Problem]:
    """Every problem the build's loader finds in the site as it is (on ``today``)."""
    from kotacerdas.content.load import load_site

    try:
        load_site(site, today)
    except ContentError as exc:
        return exc.problems
    return []


def _refusals(site: Path, planned: dict[str, bytes], before: list[Problem], today: dt.date
              ) -> list[Problem]:
    """What the build would refuse once ``planned`` (site-relative path → bytes) is written.

    The planned files are put into a scratch copy of the site's content and loaded by the build's
    own loader: every problem in a planned file counts, and every problem elsewhere that the site
    does not have today (a new reference that no longer names a region's code).
    """
    with tempfile.TemporaryDirectory(prefix="kc-import-") as tmp:
        copy = Path(tmp) / "site"
        copy.mkdir()
        try:
            if (site / "content").is_dir():
                shutil.copytree(site / "content", copy / "content", symlinks=True,
                                ignore=_special_files)
            if (site / "site_config.yaml").exists():
                shutil.copy2(site / "site_config.yaml", copy / "site_config.yaml",
                             follow_symlinks=False)
        except (shutil.Error, OSError) as exc:
            return [Problem("content", 0, f"could not be copied to check the import against the "
                                          f"build ({exc}); fix the files named, then import again")]
        for rel, data in planned.items():
            write_bytes(copy, rel, data)
        after = _load_problems(copy, today)
    known = set(before)
    out = []
    for p in after:
        if p.path in planned:
            out.append(Problem(p.path, 0, f"the build would refuse the file this import writes: "
                                          f"{p.message}"))
        elif p not in known:
            out.append(Problem(p.path, p.line, f"after this import: {p.message}"))
    return out


def _special_files(folder: str, names: list[str]) -> set[str]:
    """Names the scratch copy skips: neither folders, files nor links (a FIFO would block the
    copy)."""
    skip = set()
    for name in names:
        mode = os.lstat(os.path.join(folder, name)).st_mode
        if not (stat.S_ISDIR(mode) or stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            skip.add(name)
    return skip


def _unsafe_targets(site: Path, rels: list[str], problems: Problems) -> None:
    """Check every target with the write guard before the first write, so none is half done."""
    for rel in rels:
        try:
            target(site, rel)
        except UnsafeWrite as exc:
            for p in exc.problems:
                problems.add(p.path, p.line, p.message)


def _write_all(site: Path, files: list[tuple[str, bytes, bool]]) -> None:
    """Write (relative path, bytes, create) through the write guard; a create never replaces."""
    for rel, data, create in files:
        try:
            write_bytes(site, rel, data, exclusive=create)
        except FileExistsError:
            raise ContentError([Problem(rel, 0, "appeared while the import ran and was not "
                                                "written over; run the import again")]) from None


# --- reference data -----------------------------------------------------------------------

WILAYAH_COLUMNS = (Column("kode", True), Column("level", True), Column("name", True),
                   Column("short_name"), Column("province_code", True), Column("province_name"),
                   Column("lat", True), Column("lon", True))
COHORT_COLUMNS = (Column("year", True), Column("announced", True), Column("stage"),
                  Column("source_url"), Column("note", multiline=True),
                  # version 2: several sources, notes per language, the researchers' note
                  Column("sources"), Column("catatan", multiline=True),
                  Column("note_en", multiline=True), Column("research_note", multiline=True))
LEVELS = ("provinsi", "kabupaten", "kota")

_province = schemas.PROVINCES["items"]["properties"]
_kabkota = schemas.KABKOTA["items"]["properties"]
_cohort = schemas.COHORTS["items"]["properties"]
_URL = schemas.SOURCE["anyOf"][0]
PROVINCE_CELLS = {"type": "object", "properties": {
    "kode": _province["code"], "name": _province["name"], "lat": _province["lat"],
    "lon": _province["lon"]}}
KABKOTA_CELLS = {"type": "object", "properties": {
    "kode": _kabkota["code"], "name": _kabkota["name"], "short_name": _kabkota["short_name"],
    "province_code": _kabkota["province_code"], "lat": _kabkota["lat"], "lon": _kabkota["lon"]}}
COHORT_CELLS = {"type": "object", "properties": {
    "year": _cohort["year"], "announced": _cohort["announced"], "stage": _cohort["stage"],
    "source_url": _URL, "note": _cohort["research_note"], "catatan": _cohort["note"],
    "note_en": _cohort["note_en"], "research_note": _cohort["research_note"]}}


def import_reference(data_dir: Path, site: Path, today: dt.date | None = None) -> list[Path]:
    """Convert wilayah.csv and cohorts.csv into content/reference/*.yaml, copy provinces.geojson
    when present; return the files written. Nothing is written unless all of it is plausible
    and the build accepts the result with the site's regions."""
    problems = Problems(site)
    provinces, kabkota = _areas(data_dir / "wilayah.csv", problems)
    cohorts = _cohorts(data_dir / "cohorts.csv", _citations(data_dir / CITATIONS_FILE, problems),
                       problems)
    header = ("# Converted from ../shared/data/{src} by `python build.py import-reference`.\n"
              "# {what}\n")
    planned: dict[str, bytes] = {}
    for name, src, what, data in (
            ("provinces.yaml", "wilayah.csv", f"The {len(provinces)} provinces, Kemendagri codes, "
                                              "centroids (MIT, cahyadsn/wilayah).", provinces),
            ("kabupaten-kota.yaml", "wilayah.csv", "All kabupaten/kota, Kemendagri codes, "
                                                   "centroids (MIT, cahyadsn/wilayah).", kabkota),
            ("cohorts.yaml", "cohorts.csv", "Announced size of each yearly round, with its source.",
             cohorts)):
        planned[f"{REFERENCE_DIR}/{name}"] = (header.format(src=src, what=what)
                                              + dump(data)).encode()
    shapes = data_dir / "provinces.geojson"
    if shapes.is_file():  # boundaries for the map: copied as they are, simplified at build time
        if shapes.stat().st_size > MAX_INPUT_BYTES:
            problems.add(shapes, None,
                         f"is over {MAX_INPUT_BYTES:,} bytes; simplify the boundaries")
        else:
            planned[f"{REFERENCE_DIR}/provinces.geojson"] = shapes.read_bytes()
    _unsafe_targets(site, list(planned), problems)
    problems.raise_if_any()
    today = today or today_in_jakarta()
    refused = _refusals(site, planned, _load_problems(site, today), today)
    if refused:
        raise ContentError(refused)
    _write_all(site, [(rel, data, False) for rel, data in planned.items()])
    return [site / rel for rel in planned]


def _areas(path: Path, problems: Problems) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Provinces and kabupaten/kota from wilayah.csv, each row checked; refuses an implausible
    set."""
    known = len(problems.items)
    rows = read_table(path, WILAYAH_COLUMNS, problems)
    provinces: list[dict[str, Any]] = []
    kabkota: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in rows:
        level, kode = row.get("level").lower(), row.get("kode")
        if level not in LEVELS:
            problems.add(path, row.line, f"column 'level': '{row.get('level')}' must be one of "
                                         f"{', '.join(LEVELS)}")
            continue
        if kode in seen:
            problems.add(path, row.line, f"kode {kode} is also on line {seen[kode]}; keep one row")
            continue
        seen[kode] = row.line
        lat = _number(path, row, "lat", problems, whole=False)
        lon = _number(path, row, "lon", problems, whole=False)
        values: dict[str, Any] = {**row.cells, "lat": lat, "lon": lon}
        if level == "provinsi":
            if _check_cells(path, row, values, PROVINCE_CELLS, problems) and None not in (lat, lon):
                provinces.append({"code": kode, "name": row.get("name"),
                                  **({"aliases": PROVINCE_ALIASES[kode]} if kode in PROVINCE_ALIASES
                                     else {}), "lat": lat, "lon": lon})
            continue
        if not _check_cells(path, row, values, KABKOTA_CELLS, problems) or None in (lat, lon):
            continue
        if not kode.startswith(row.get("province_code") + "."):
            problems.add(path, row.line, f"kode {kode} does not start with its province_code "
                                         f"{row.get('province_code')}; fix one of them")
            continue
        kabkota.append({"code": kode, "name": row.get("name"),
                        **({"short_name": row.get("short_name")} if row.get("short_name") else {}),
                        "type": level, "province_code": row.get("province_code"),
                        "lat": lat, "lon": lon})
    if len(problems.items) == known:  # a set with broken rows is incomplete anyway
        _plausible_areas(path, provinces, kabkota, problems)
    return provinces, kabkota


def _plausible_areas(path: Path, provinces: list[dict[str, Any]], kabkota: list[dict[str, Any]],
                     problems: Problems) -> None:
    """A reference set with no province, no kabupaten/kota, or a province without any, is cut
    short."""
    if not provinces:
        problems.add(path, None, "has no row with level 'provinsi'; the reference data needs every "
                                 "province (is it the right file, cut short?)")
    if not kabkota:
        problems.add(path, None, "has no row with level 'kabupaten' or 'kota'; the reference data "
                                 "needs every kabupaten/kota (is it the right file, cut short?)")
        return
    codes = {p["code"] for p in provinces}
    for k in kabkota:
        if provinces and k["province_code"] not in codes:
            problems.add(path, None, f"{k['name']} ({k['code']}) has province_code "
                                     f"{k['province_code']}, which no 'provinsi' row has")
    used = {k["province_code"] for k in kabkota}
    for p in provinces:
        if p["code"] not in used:
            problems.add(path, None, f"province {p['code']} ({p['name']}) has no kabupaten/kota "
                                     "row; the file looks cut short")


def _cohorts(path: Path, citations: dict[str, dict[str, Any]], problems: Problems
             ) -> list[dict[str, Any]]:
    """The yearly rounds from cohorts.csv, each row checked; at least one."""
    known = len(problems.items)
    rows = read_table(path, COHORT_COLUMNS, problems)
    cohorts: list[dict[str, Any]] = []
    seen: dict[int, int] = {}
    for row in rows:
        year = _number(path, row, "year", problems, whole=True)
        announced = _number(path, row, "announced", problems, whole=True)
        if year is None or announced is None:
            continue
        if not _check_cells(path, row, {**row.cells, "year": year, "announced": announced},
                            COHORT_CELLS, problems):
            continue
        if year in seen:
            problems.add(path, row.line, f"year {year} is also on line {seen[year]}; keep one row")
            continue
        seen[year] = row.line
        item: dict[str, Any] = {"year": year, "announced": announced}
        if row.get("stage"):
            item["stage"] = row.get("stage")
        urls = row.get("sources").split() or ([row.get("source_url")] if row.get("source_url")
                                                else [])
        if not urls:
            problems.add(path, row.line, f"year {year} has no source; fill in 'sources' (or "
                                         "'source_url') with the address that gives its size")
            continue
        item["sources"] = [citations.get(u, u) for u in dict.fromkeys(urls)]
        for key, column in (("note", "catatan"), ("note_en", "note_en"),
                            ("research_note", "research_note"), ("research_note", "note")):
            if row.get(column) and key not in item:
                item[key] = row.get(column)
        cohorts.append(item)
    if not cohorts and len(problems.items) == known:
        problems.add(path, None, "has no rounds; the reference data needs one row per yearly round "
                                 "(year, announced, stage, source_url, note)")
    return cohorts


# --- participants -------------------------------------------------------------------------

PARTICIPANT_COLUMNS = (Column("name", True), Column("type"), Column("province"),
                       Column("cohort_year", True), Column("source_url"),
                       Column("note", multiline=True), Column("kode"), Column("official_name"),
                       # version 2 of the data: a status, several sources, notes per language
                       Column("status"), Column("sources"), Column("catatan", multiline=True),
                       Column("note_en", multiline=True), Column("research_note", multiline=True))
"""Version 1 has source_url and an English working note (note, flagged UNCERTAIN or INFERRED);
version 2 has status, sources (separated by spaces), catatan, note_en and research_note."""
_region = schemas.REGION["properties"]
_round = schemas.ROUND["properties"]
PARTICIPANT_CELLS = {"type": "object", "properties": {
    "name": _region["aliases"]["items"], "cohort_year": _round["year"], "source_url": _URL,
    "note": _round["research_note"], "status": _round["status"], "catatan": _round["note"],
    "note_en": _round["note_en"], "research_note": _round["research_note"]}}
CITATION_COLUMNS = (Column("url", True), Column("title"), Column("publisher"), Column("date"),
                    Column("language"), Column("verified"))


@record(frozen=False)
class ImportReport:
    """What an import did, for the editor to read."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One entry per file touched, then totals (the CLI prints each as one line)."""
        lines = [f"created {p}" for p in self.created] + [f"updated {p}" for p in self.updated]
        lines.append(f"{len(self.created)} created, {len(self.updated)} updated, "
                     f"{len(self.unchanged)} unchanged")
        return lines

    def summary(self) -> str:
        """The report as text."""
        return "\n".join(self.lines())


@record(frozen=False)
class _Participation:
    """The rows of the spreadsheet that belong to one Kemendagri code."""

    ref: Kabkota
    years: dict[int, dict[str, Any]] = field(default_factory=dict)  # year → round mapping
    lines: dict[int, int] = field(default_factory=dict)  # year → CSV line
    alias: str | None = None


def import_regions(csv_path: Path, site: Path, kabkota: tuple[Kabkota, ...],
                   province_names: dict[str, str], today: dt.date) -> ImportReport:
    """Create or extend content/regions/*.yaml from a participants CSV; changed files get
    ``updated: today``. All or nothing: raises ContentError, writing nothing, on any problem."""
    problems = Problems(site)
    citations = _citations(csv_path.parent / CITATIONS_FILE, problems)
    groups = _participations(csv_path, read_table(csv_path, PARTICIPANT_COLUMNS, problems),
                             kabkota, province_names, citations, problems)
    files = region_files(site / REGIONS_DIR, problems)
    before = _load_problems(site, today)
    report = ImportReport()
    planned: dict[str, tuple[bytes, bool]] = {}
    for code in sorted(groups):
        p = groups[code]
        where = f"{problems.display(csv_path)}:{min(p.lines.values())}"
        plan = _plan_region(p, files, site, province_names, today, before, where, problems)
        if plan is None:
            continue
        rel, text, create = plan
        if text is None:
            report.unchanged.append(rel)
            continue
        planned[rel] = (text.encode("utf-8"), create)
        (report.created if create else report.updated).append(rel)
    _unsafe_targets(site, list(planned), problems)
    problems.raise_if_any()
    refused = _refusals(site, {rel: data for rel, (data, _) in planned.items()}, before, today)
    if refused:
        raise ContentError(refused)
    _write_all(site, [(rel, data, create) for rel, (data, create) in planned.items()])
    return report


def _citations(path: Path, problems: Problems) -> dict[str, dict[str, Any]]:
    """Citations by address from a citations.csv beside the spreadsheet (none when absent): only
    the fields it knows, never an invented title."""
    if not path.is_file():
        return {}
    out: dict[str, dict[str, Any]] = {}
    for row in read_table(path, CITATION_COLUMNS, problems):
        item: dict[str, Any] = {"url": row.get("url")}
        for column in ("title", "publisher", "language"):
            if row.get(column):
                item[column] = row.get(column)
        if row.get("date"):
            try:
                item["date"] = dt.date.fromisoformat(row.get("date"))
            except ValueError:
                problems.add(path, row.line, f"date '{row.get('date')}' is not written YYYY-MM-DD")
                continue
        found = Problems(Path("."))
        if not check_schema(item, schemas.SOURCE["anyOf"][1], found, path):
            for x in found.items:
                problems.add(path, row.line, f"column {x.message}")
            continue
        out[item["url"]] = item
    return out


def _round_of(row: Row, year: int, citations: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One row as a round of the region file: version 2's status and notes as they are; version
    1's note is the researchers' (English, for maintainers), its UNCERTAIN/INFERRED flag the
    status."""
    urls = row.get("sources").split() or ([row.get("source_url")] if row.get("source_url")
                                            else [])
    flag = UNVERIFIED_MARK.search(row.get("note"))
    item: dict[str, Any] = {
        "year": year, "status": row.get("status") or (flag.group(1).lower() if flag else ""),
        "note": row.get("catatan"), "note_en": row.get("note_en"),
        "research_note": row.get("research_note") or row.get("note"),
        "sources": [citations.get(u, u) for u in dict.fromkeys(urls)]}
    return {k: v for k, v in item.items() if v not in ("", [], "confirmed")}


def _participations(csv_path: Path, rows: list[Row], kabkota: tuple[Kabkota, ...],
                    province_names: dict[str, str], citations: dict[str, dict[str, Any]],
                    problems: Problems) -> dict[str, _Participation]:
    """The spreadsheet's rows grouped by the Kemendagri region each one names, every row checked."""
    by_code = {k.code: k for k in kabkota}
    by_name: dict[str, list[Kabkota]] = defaultdict(list)
    for k in kabkota:
        by_name[match_key(k.name)].append(k)
    groups: dict[str, _Participation] = {}
    for row in rows:
        year = _number(csv_path, row, "cohort_year", problems, whole=True)
        ref = _match(csv_path, row, by_code, by_name, province_names, problems)
        if year is None or ref is None or not _check_cells(
                csv_path, row, {**row.cells, "cohort_year": year}, PARTICIPANT_CELLS, problems):
            continue
        group = groups.setdefault(ref.code, _Participation(ref))
        entry = _round_of(row, year, citations)
        if year in group.years and group.years[year] != entry:
            problems.add(csv_path, row.line, f"{ref.name} {year} is also on line "
                                             f"{group.lines[year]} with another source or note; "
                                             "keep one row per region and round")
            continue
        group.years[year] = entry
        group.lines.setdefault(year, row.line)
        name = row.get("name")
        if name.casefold() != ref.name.casefold():
            group.alias = name
    return groups


def _match(csv_path: Path, row: Row, by_code: dict[str, Kabkota], by_name: dict[str, list[Kabkota]],
           province_names: dict[str, str], problems: Problems) -> Kabkota | None:
    """The Kemendagri region a row names: its kode, which must agree with its (official) name and
    type, or else that name (with type and province to tell namesakes apart). A ``name`` beside an
    ``official_name`` becomes an alias, so it may be another spelling but not another region."""
    name, official = row.get("name"), row.get("official_name")
    kind = row.get("type").lower() or kind_of(official or name)
    if kind not in (None, "kota", "kabupaten"):
        problems.add(csv_path, row.line,
                     f"column 'type': '{row.get('type')}' must be kota or kabupaten")
        return None
    named = [k for k in by_name.get(match_key(official or name), [])
             if kind is None or k.type == kind]
    kode = row.get("kode")
    if kode:
        ref = by_code.get(normal_code(kode) or "")
        if ref is None:
            problems.add(csv_path, row.line, f"kode '{kode}' is not a Kemendagri kabupaten/kota "
                                             "code (see content/reference/kabupaten-kota.yaml); "
                                             "fix it, or empty the cell to match by name")
            return None
        if ref not in named:
            near = f"; {named[0].name} is kode {named[0].code}" if len(named) == 1 else ""
            problems.add(csv_path, row.line, f"kode {ref.code} is {ref.name} ({ref.type}), but the "
                                             f"row names '{official or name}'"
                                             f"{f' ({kind})' if kind else ''}{near}: fix the kode "
                                             "or the name")
            return None
    else:
        if len(named) > 1 and row.get("province"):
            province = row.get("province").casefold()
            named = [k for k in named
                     if province_names.get(k.province_code, "").casefold() == province]
        if len(named) != 1:
            why = "several" if named else "no"
            problems.add(csv_path, row.line, f"'{official or name}' matches {why} Kemendagri "
                                             "kabupaten/kota; put its code (e.g. 32.73) in the "
                                             "'kode' column, or remove the row")
            return None
        ref = named[0]
    if official and name and not _names(name, ref):
        own = kind_of(name)
        other = [k for k in by_name.get(match_key(name), []) if own is None or k.type == own]
        if other:  # the other spelling is another region's name: it would become ref's alias
            say = "kode and official_name say" if kode else "official_name says"
            problems.add(csv_path, row.line, f"name '{name}' is {other[0].name} (kode "
                                             f"{other[0].code}), but {say} {ref.name}: fix one "
                                             "of them")
            return None
    return ref


def _names(name: str, ref: Kabkota) -> bool:
    """Whether a spelling names this region: its name without prefix, and no other type's prefix."""
    return match_key(name) == match_key(ref.name) and kind_of(name) in (None, ref.type)


def _plan_region(p: _Participation, files: list[RegionFile], site: Path,
                 province_names: dict[str, str], today: dt.date, before: list[Problem], where: str,
                 problems: Problems) -> tuple[str, str | None, bool] | None:
    """(file, new text or None when unchanged, whether it is created) for one region; None, with
    problems, when the file to write is not certainly this region's."""
    ref = p.ref
    rel = f"{REGIONS_DIR}/{slugify(ref.name)}.yaml"
    same = [f for f in files if f.code == ref.code]
    if len(same) > 1:
        for f in same:
            problems.add(f.path, f.code_line, f"code {ref.code} ({ref.name}) is in "
                                              f"{len(same)} region files; keep one (row {where})")
        return None
    if not same:
        occupant = next((f for f in files  # casefold: one file on macOS and Windows disks
                         if f.path.name.casefold() == rel.rsplit("/", 1)[1]), None)
        if occupant is not None:
            problems.add(occupant.path, occupant.code_line, _not_this_region(occupant, ref, where))
            return None
        data = _new_region(p, province_names, today)
        return rel, dump(data), True
    f = same[0]
    own = f.path.relative_to(site).as_posix()
    if not _same_region(f, ref, where, problems):
        return None
    invalid = [x for x in before if x.path == own]
    if invalid:
        for x in invalid:
            problems.add(x.path, x.line, f"{x.message} (fix this first: the import adds row "
                                         f"{where} to this file)")
        return None
    merged = _merged_region(p, dict(f.data), today)
    return own, None if merged is None else dump(merged), False


def _same_region(f: RegionFile, ref: Kabkota, where: str, problems: Problems) -> bool:
    """Whether a file with the region's code is certainly that region: quoted code, same name and
    type."""
    raw = f.data.get("code")
    if raw != ref.code:
        fix = (f"code: {raw} must be quoted" if not isinstance(raw, str)
               else f"code: \"{raw}\" must be written")
        problems.add(f.path, f.code_line, f"{fix}: code: \"{ref.code}\" (then the import can add "
                                          f"row {where} to this file)")
        return False
    name, kind = f.data.get("name"), f.data.get("type")
    if not isinstance(name, str) or name.casefold() != ref.name.casefold() or kind != ref.type:
        problems.add(f.path, f.code_line, f"has code {ref.code}, which is {ref.name} ({ref.type}) "
                                          f"in the Kemendagri list, but names '{name}' ({kind}): "
                                          f"fix the code or the name (row {where} is for "
                                          f"{ref.name})")
        return False
    return True


def _not_this_region(f: RegionFile, ref: Kabkota, where: str) -> str:
    """Why the file where a new region would go cannot be written over, and what to fix."""
    raw = f.data.get("code")
    head = (f"is where the import would create {ref.name} (code \"{ref.code}\", row {where}), "
            "but this file")
    if raw is None:
        return (f"{head} has no code: if it is {ref.name}, add code: \"{ref.code}\", otherwise "
                "rename it")
    if f.code is None:
        return (f"{head} has code {raw!r}, which is not a Kemendagri code: if it is {ref.name}, "
                f"write code: \"{ref.code}\"")
    return (f"{head} has code \"{f.code}\": the code differs from the Kemendagri code for this "
            f"name: if it is {ref.name}, write code: \"{ref.code}\", otherwise rename the file")


def _cohort_field(rounds: list[Any]) -> Any:
    """A region's ``cohort``: a plain year when it is the only round and has no details."""
    return rounds[0] if len(rounds) == 1 and isinstance(rounds[0], int) else rounds


def _plain(round_: dict[str, Any]) -> Any:
    """A round without details is written as its year."""
    return round_["year"] if set(round_) == {"year"} else round_


def _new_region(p: _Participation, province_names: dict[str, str], today: dt.date
                ) -> dict[str, Any]:
    """A new region file's fields, from the reference data and the region's rows."""
    data: dict[str, Any] = {
        "name": p.ref.name, "type": p.ref.type,
        "province": province_names.get(p.ref.province_code, ""), "code": p.ref.code,
        "cohort": _cohort_field([_plain(p.years[y]) for y in sorted(p.years)])}
    if p.alias:
        data["aliases"] = [p.alias]
    if p.ref.lat is not None and p.ref.lon is not None:
        data["coordinates"] = [p.ref.lat, p.ref.lon]
    data["updated"] = today
    return data


def _merged_region(p: _Participation, data: dict[str, Any], today: dt.date
                   ) -> dict[str, Any] | None:
    """A valid existing file's fields with the new rounds, sources and alias added (every other
    field kept as it is); None when nothing is new. A round already in the file keeps what it
    says; only what it lacks (status, notes, sources) is filled in from the spreadsheet."""
    before = dump(data)
    old = data.get("cohort")
    items = old if isinstance(old, list) else [old] if old is not None else []
    rounds = {(i if isinstance(i, int) else i["year"]): i for i in items}
    for year in sorted(p.years):
        imported = p.years[year]
        have = rounds.get(year)
        if have is None or isinstance(have, int):
            rounds[year] = _plain(imported)
            continue
        merged = dict(have)
        for key in ("status", "note", "note_en", "research_note"):
            if key in imported and key not in merged:
                merged[key] = imported[key]
        sources = list(merged.get("sources", []))
        urls = {x if isinstance(x, str) else x.get("url") for x in sources}
        extra = [x for x in imported.get("sources", [])
                 if (x if isinstance(x, str) else x["url"]) not in urls]
        if extra:
            merged["sources"] = sources + extra
        rounds[year] = {k: merged[k] for k in ROUND_FIELD_ORDER if k in merged}
    data["cohort"] = _cohort_field([rounds[y] for y in sorted(rounds)])
    if p.alias and p.alias not in data.get("aliases", []) and p.alias != data.get("name"):
        data["aliases"] = list(data.get("aliases", [])) + [p.alias]
    if dump(data) == before:
        return None
    data["updated"] = today
    ordered = {k: data[k] for k in REGION_FIELD_ORDER if k in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return ordered
