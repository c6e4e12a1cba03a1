"""Open data downloads: participants, rounds, provinces and announcements as CSV, JSON and GeoJSON,
the Frictionless ``datapackage.json`` that describes them, and the metadata the data page shows.

Every file is computed from the same ``SiteModel`` the HTML pages are rendered from, so a number in
a download is the number on the page. Field descriptions and units come from the interface catalogue
(``data_field_*``, ``data_unit_*``), so the data page and the Table Schemas say the same thing.
Output is deterministic: rows in a fixed order, fixed key order, no timestamps.

Satu Data Indonesia asks for open formats, a published schema and Kemendagri codes as reference
codes: ``kode_wilayah`` and ``kode_provinsi`` are those codes, and the CSV follows RFC 4180 (CRLF,
quoting as needed, UTF-8 without BOM, one header row).

CSV files are opened in spreadsheets, which run a cell that looks like a formula. Every text cell
of a CSV goes through ``spreadsheet_text`` (OWASP's advice for CSV injection: a leading ``'``);
number columns are typed in the Table Schema and never changed, JSON keeps the text as it is, and
the package and the data page say so (``data_csv_text_cells``).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
from typing import Any, Callable, Mapping, Sequence

from kotacerdas.core import urls
from kotacerdas.core.jsontext import pretty_json
from kotacerdas.core.memo import Memo
from kotacerdas.core.slugs import SLUG_RE
from kotacerdas.content.types import (CONFIRMED, INFERRED, UNCERTAIN, WITHDRAWN, NewsItem,
                                      Participation, Region, Source)
from kotacerdas.core.records import field, record
from kotacerdas.model.i18n import Catalogue
from kotacerdas.model.site import SiteModel

PACKAGE_NAME = "gerakan-menuju-smart-city"
DATAPACKAGE = "datapackage.json"

# Where the Kemendagri reference data comes from (../shared/data/SOURCES.md). Both are MIT-licensed.
REFERENCE_SOURCES = (
    ("cahyadsn/wilayah", "https://github.com/cahyadsn/wilayah"),
    ("cahyadsn/wilayah_boundaries", "https://github.com/cahyadsn/wilayah_boundaries"),
)
MIT = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT"}

STATUS_CODES = {CONFIRMED: "terkonfirmasi", UNCERTAIN: "tahun_belum_pasti",
                INFERRED: "disimpulkan", WITHDRAWN: "tidak_ikut_serta"}
"""A round's status as the open data writes it (Indonesian, like every other name in it)."""

MEDIATYPES = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}
LABELS = {"csv": "CSV", "json": "JSON", "geojson": "GeoJSON"}


# --- table definitions ----------------------------------------------------------------------


@record
class Column:
    """One field of a table, as the Table Schema and the data page describe it.

    ``type`` is the Table Schema type in CSV; ``json_type`` the type in JSON when it differs
    (lists are joined into one text cell in CSV and stay lists in JSON). ``sep`` joins a list
    in CSV. The description is the catalogue string ``data_field_<key or name>``; ``unit`` names
    the catalogue string ``data_unit_<unit>``.
    """

    name: str
    type: str
    constraints: dict[str, Any] = field(default_factory=dict)
    format: str | None = None
    json_type: str | None = None
    sep: str = ";"
    unit: str | None = None
    key: str | None = None

    def description(self, t: Catalogue) -> str:
        """What the field holds, in the site's language."""
        return t(f"data_field_{self.key or self.name}")


@record
class Table:
    """A table published as one or more files (CSV, JSON, GeoJSON) under data/."""

    name: str
    columns: tuple[Column, ...]
    formats: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """(field, referenced table, referenced field); the reference is to that table's CSV."""

    def filename(self, fmt: str) -> str:
        return f"{self.name}.{fmt}"


REQUIRED = {"required": True}
YEAR = {"minimum": 2000, "maximum": 2100}
COUNT = {"minimum": 0}
SLUG = SLUG_RE.pattern
YEARS = r"^\d{4}(;\d{4})*$"

PESERTA = Table("peserta", (
    Column("kode_wilayah", "string", {**REQUIRED, "unique": True, "pattern": r"^\d{2}\.\d{2}$"}),
    Column("slug", "string", {**REQUIRED, "unique": True, "pattern": SLUG}, key="peserta_slug"),
    Column("nama", "string", REQUIRED, key="peserta_nama"),
    Column("jenis", "string", {**REQUIRED, "enum": ["kabupaten", "kota"]}),
    Column("kode_provinsi", "string", {**REQUIRED, "pattern": r"^\d{2}$"}),
    Column("provinsi", "string", REQUIRED),
    Column("angkatan", "string", {**REQUIRED, "pattern": YEARS}, json_type="array", unit="year"),
    Column("tahun_belum_terverifikasi", "string", {"pattern": YEARS}, json_type="array",
           unit="year"),
    Column("lintang", "number", {"minimum": -90, "maximum": 90}, unit="degree"),
    Column("bujur", "number", {"minimum": -180, "maximum": 180}, unit="degree"),
    Column("situs_web", "string", format="uri"),
    Column("sumber", "string", json_type="array", sep=" ", key="peserta_sumber"),
    Column("catatan", "string", key="peserta_catatan"),
    Column("catatan_en", "string", key="peserta_catatan_en"),
    Column("diperbarui", "date", key="peserta_diperbarui"),
    Column("url", "string", {**REQUIRED, "unique": True}, format="uri", key="peserta_url"),
), ("csv", "json", "geojson"), ("kode_wilayah",), (("kode_provinsi", "provinsi", "kode_provinsi"),))

ANGKATAN = Table("angkatan", (
    Column("tahun", "integer", {**REQUIRED, "unique": True, **YEAR}, unit="year"),
    Column("tahap", "string"),
    Column("diumumkan", "integer", COUNT, unit="regions"),
    Column("tercatat", "integer", {**REQUIRED, **COUNT}, unit="regions"),
    Column("belum_terverifikasi", "integer", {**REQUIRED, **COUNT}, unit="regions"),
    Column("tidak_ikut_serta", "integer", {**REQUIRED, **COUNT}, unit="regions"),
    Column("belum_tercatat", "integer", COUNT, unit="regions"),
    Column("sumber", "string", json_type="array", sep=" ", key="angkatan_sumber"),
    Column("catatan", "string", key="angkatan_catatan"),
    Column("catatan_en", "string", key="angkatan_catatan_en"),
    Column("url", "string", {**REQUIRED, "unique": True}, format="uri", key="angkatan_url"),
), ("csv", "json"), ("tahun",))

KEIKUTSERTAAN = Table("keikutsertaan", (
    Column("kode_wilayah", "string", {**REQUIRED, "pattern": r"^\d{2}\.\d{2}$"},
           key="keikutsertaan_kode_wilayah"),
    Column("nama", "string", REQUIRED, key="keikutsertaan_nama"),
    Column("tahun", "integer", {**REQUIRED, **YEAR}, unit="year", key="keikutsertaan_tahun"),
    Column("status", "string", {**REQUIRED, "enum": list(STATUS_CODES.values())}),
    Column("catatan", "string", key="keikutsertaan_catatan"),
    Column("catatan_en", "string", key="keikutsertaan_catatan_en"),
    Column("sumber", "string", json_type="array", sep=" ", key="keikutsertaan_sumber"),
    Column("url", "string", REQUIRED, format="uri", key="keikutsertaan_url"),
), ("csv", "json"), ("kode_wilayah", "tahun"), (("tahun", "angkatan", "tahun"),))
"""One row per region and round it names, withdrawn rounds included. Not keyed to ``peserta``:
a region whose every round was withdrawn has rows here but is not a participant."""

PROVINSI = Table("provinsi", (
    Column("kode_provinsi", "string", {**REQUIRED, "unique": True, "pattern": r"^\d{2}$"},
           key="provinsi_kode"),
    Column("nama", "string", REQUIRED, key="provinsi_nama"),
    Column("slug", "string", {**REQUIRED, "unique": True, "pattern": SLUG}, key="provinsi_slug"),
    Column("lintang", "number", {"minimum": -90, "maximum": 90}, unit="degree",
           key="provinsi_lintang"),
    Column("bujur", "number", {"minimum": -180, "maximum": 180}, unit="degree",
           key="provinsi_bujur"),
    Column("jumlah_kabupaten_kota", "integer", COUNT, unit="regions"),
    Column("jumlah_peserta", "integer", {**REQUIRED, **COUNT}, unit="regions"),
    Column("url", "string", {**REQUIRED, "unique": True}, format="uri", key="provinsi_url"),
), ("csv",), ("kode_provinsi",))

BERITA = Table("berita", (
    Column("slug", "string", {**REQUIRED, "unique": True}, key="berita_slug"),
    Column("judul", "string", REQUIRED),
    Column("tanggal", "date", REQUIRED),
    Column("diperbarui", "date", key="berita_diperbarui"),
    Column("ringkasan", "string", REQUIRED),
    Column("topik", "array"),
    Column("daerah", "array"),
    Column("sumber", "array", key="berita_sumber"),
    Column("url", "string", {**REQUIRED, "unique": True}, format="uri", key="berita_url"),
), ("json",), ("slug",))

TABLES = (PESERTA, KEIKUTSERTAAN, ANGKATAN, PROVINSI, BERITA)


# --- rows: one function per table, values as JSON would hold them ---------------------------


def _source(s: Source) -> dict[str, Any]:
    """A citation; ``judul`` is empty when the headline is unknown (never the address)."""
    return {"judul": s.known_title or None, "url": s.url, "penerbit": s.publisher,
            "tanggal": s.date.isoformat() if s.date else None, "bahasa": s.language}


def _region_row(m: SiteModel, r: Region) -> dict[str, Any]:
    province = m.province_of[r.slug]
    lat, lon = r.coordinates if r.coordinates else (None, None)
    return {
        "kode_wilayah": r.code, "slug": r.slug, "nama": r.name, "jenis": r.type,
        "kode_provinsi": province.code, "provinsi": province.name,
        "angkatan": sorted(r.cohorts), "tahun_belum_terverifikasi": sorted(r.unverified_cohorts),
        "lintang": lat, "bujur": lon, "situs_web": r.website,
        "sumber": [_source(s) for s in r.all_sources], "catatan": r.note or None,
        "catatan_en": r.note_en or None,
        "diperbarui": r.updated.isoformat() if r.updated else None,
        "url": m.urls.absolute(urls.region(r.slug)),
    }


def participant_rows(m: SiteModel) -> list[dict[str, Any]]:
    """One row per participating kabupaten/kota, ordered by Kemendagri code."""
    return [_region_row(m, r) for r in sorted(m.regions, key=lambda r: (r.code, r.slug))]


def _participation_row(m: SiteModel, r: Region, p: Participation) -> dict[str, Any]:
    """A region's round as its page shows it: status, the notes for readers, its own sources."""
    return {
        "kode_wilayah": r.code, "nama": r.name, "tahun": p.year, "status": STATUS_CODES[p.status],
        "catatan": p.note or None, "catatan_en": p.note_en or None,
        "sumber": [_source(s) for s in p.sources], "url": m.urls.absolute(urls.region(r.slug)),
    }


def participation_rows(m: SiteModel) -> list[dict[str, Any]]:
    """One row per region and round its file names (withdrawn ones too), by code and year."""
    every = sorted((*m.regions, *m.withdrawn_only), key=lambda r: (r.code, r.slug))
    return [_participation_row(m, r, p) for r in every for p in r.rounds]


def round_rows(m: SiteModel) -> list[dict[str, Any]]:
    """One row per yearly round: announced size against the participants recorded."""
    return [{
        "tahun": c.cohort.year, "tahap": c.cohort.stage or None, "diumumkan": c.cohort.announced,
        "tercatat": c.known, "belum_terverifikasi": c.unverified,
        "tidak_ikut_serta": len(c.withdrawn), "belum_tercatat": c.missing,
        "sumber": [_source(s) for s in c.cohort.sources],
        "catatan": c.cohort.note or None, "catatan_en": c.cohort.note_en or None,
        "url": m.urls.absolute(urls.cohort(c.cohort.year)),
    } for c in sorted(m.cohorts, key=lambda c: c.cohort.year)]


def province_rows(m: SiteModel) -> list[dict[str, Any]]:
    """One row per province (Kemendagri code), with its number of participants."""
    kabkota: dict[str, int] = {}
    for k in m.content.kabkota:
        kabkota[k.province_code] = kabkota.get(k.province_code, 0) + 1
    return [{
        "kode_provinsi": p.code, "nama": p.name, "slug": p.slug, "lintang": p.lat, "bujur": p.lon,
        "jumlah_kabupaten_kota": kabkota.get(p.code) if m.content.has_reference else None,
        "jumlah_peserta": len(m.regions_in_province.get(p.slug, ())),
        "url": m.urls.absolute(urls.province(p.slug)),
    } for p in sorted(m.provinces, key=lambda p: p.code)]


def _announcement_row(m: SiteModel, n: NewsItem) -> dict[str, Any]:
    """One announcement as berita lists it: its facts, its sources, its page."""
    return {
        "slug": n.slug, "judul": n.title, "tanggal": n.date.isoformat(),
        "diperbarui": n.updated.isoformat() if n.updated else None, "ringkasan": n.summary,
        "topik": list(n.tags), "daerah": list(n.regions), "sumber": [_source(s) for s in n.sources],
        "url": m.urls.absolute(urls.announcement(n.slug)),
    }


def announcement_rows(m: SiteModel, memo: Memo | None = None) -> list[dict[str, Any]]:
    """The published announcements (the same ones the news pages show), newest first: one row
    per ``m.news``, in its order, each kept in ``memo`` under its file's digest and the edition's
    address (``_announcement_key``): the table that grows with the site and changes with every
    news edit makes one row again for a title edit."""
    memo = Memo() if memo is None else memo
    return [_kept_row(m, n, memo) for n in m.news]


def _kept_row(m: SiteModel, n: NewsItem, memo: Memo) -> dict[str, Any]:
    """One announcement's row, kept in ``memo`` under ``_announcement_key``."""
    return memo.get(("berita-row", *_announcement_key(m, n)),
                    functools.partial(_announcement_row, m, n))


def _announcement_key(m: SiteModel, n: NewsItem) -> tuple[str, ...]:
    """What an announcement's row is made from: its file (and translation), the edition's
    address."""
    return (n.digest, *_address(m))


ROWS: dict[str, Callable[[SiteModel], list[dict[str, Any]]]] = {
    "peserta": participant_rows, "keikutsertaan": participation_rows, "angkatan": round_rows,
    "provinsi": province_rows,
}
"""The tables made whole, from every region and the reference data; berita is made one
announcement at a time (``announcement_rows``)."""

Rows = tuple[dict[str, Any], ...]
"""A table's rows as a memo keeps them: shared by every build that asks, so never changed."""


def table_inputs(table: Table, m: SiteModel) -> tuple[str | bool, ...]:
    """Everything a table of ``ROWS`` is made from: the regions and the reference data
    (provinces, kabupaten/kota, rounds), and the edition's address, which every row's URL
    carries."""
    return (table.name, m.fingerprints["regions"], m.fingerprints["reference"],
            m.content.has_reference, *_address(m))


def _address(m: SiteModel) -> tuple[str, str, str]:
    """What the URL in a row is made from (``Urls.absolute``): origin, base path, edition."""
    return (m.urls.origin, m.urls.base_path, m.urls.prefix)


def table_rows(table: Table, m: SiteModel, memo: Memo | None = None) -> Rows:
    """A table's rows, kept in ``memo`` under what they are made from (each announcement's
    alone, each other table whole under ``table_inputs``): a save that leaves them alone gathers
    nothing again."""
    memo = Memo() if memo is None else memo
    if table is BERITA:  # row by row, as berita.json's texts are made (_row_text)
        return tuple(announcement_rows(m, memo))
    return memo.get(("rows", *table_inputs(table, m)), lambda: tuple(ROWS[table.name](m)))


# --- serialisation --------------------------------------------------------------------------


def _json_bytes(data: Any) -> bytes:
    """Stable, readable JSON: fixed key order, UTF-8 text (not \\u escapes), final newline."""
    return (pretty_json(data) + "\n").encode("utf-8")


def _json_row(row: dict[str, Any]) -> str:
    """One row as a table's JSON file holds it: one level in, as ``_json_bytes`` of the rows."""
    return "  " + pretty_json(row).replace("\n", "\n  ")


def _json_table(texts: Sequence[str]) -> bytes:
    """A table's JSON file from its rows' texts (``_json_row``): what ``_json_bytes`` writes for
    the rows themselves."""
    return (("[\n" + ",\n".join(texts) + "\n]" if texts else "[]") + "\n").encode("utf-8")


def _announcements_json(m: SiteModel, memo: Memo) -> bytes:
    """berita.json, from each announcement's row text kept in ``memo`` under what its row is
    made from (``announcement_rows``): a title edit makes and encodes one row again, and a build
    that finds the other texts saved (content/stored.StoredMemo) makes no other row."""
    return _json_table([memo.text(("berita-json", *_announcement_key(m, n)),
                                  functools.partial(_row_text, m, n, memo)) for n in m.news])


def _row_text(m: SiteModel, n: NewsItem, memo: Memo) -> str:
    """One announcement's row text (``_json_row``), from its row as ``announcement_rows``
    keeps it."""
    return _json_row(_kept_row(m, n, memo))


def _csv_cell(column: Column, value: Any) -> str:
    """A value as CSV text: empty for none, lists joined, a source by its web address."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return value.get("url") or ""
    if isinstance(value, list):
        parts = [(v.get("url") or "") if isinstance(v, dict) else str(v) for v in value]
        return column.sep.join(p for p in parts if p)
    return str(value)


FORMULA_STARTS = "=+-@\uff1d\uff0b\uff0d\uff20"
"""What makes a spreadsheet read a cell as a formula: = + - @ (OWASP, CSV injection), and their
full-width forms ＝ ＋ － ＠, which some spreadsheets (East Asian input) take for the same."""


def spreadsheet_text(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula, with a leading apostrophe so that
    it shows as text: one starting with a formula character (also after white space), a TAB or
    a CR. A cell that already starts with an apostrophe gets one too, so removing the first
    apostrophe of every text cell that has one always gives the original text back."""
    first = text.lstrip()[:1]
    if text[:1] in ("\t", "\r", "'") or (first and first in FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(table: Table, rows: Sequence[dict[str, Any]]) -> bytes:
    """RFC 4180: header row, CRLF line ends, fields quoted only when needed, UTF-8 without BOM;
    text cells safe to open in a spreadsheet (numbers, dates and lists of years stay as they
    are)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        cells = [(c, _csv_cell(c, row[c.name])) for c in table.columns]
        writer.writerow([spreadsheet_text(text) if c.type == "string" else text
                         for c, text in cells])
    return buffer.getvalue().encode("utf-8")


def to_geojson(rows: Sequence[dict[str, Any]]) -> bytes:
    """Participants with coordinates as GeoJSON Points ([longitude, latitude], WGS 84)."""
    keep = ("kode_wilayah", "slug", "nama", "jenis", "kode_provinsi", "provinsi", "angkatan",
            "tahun_belum_terverifikasi", "url")
    features = [{
        "type": "Feature",
        "id": row["kode_wilayah"],
        "geometry": {"type": "Point", "coordinates": [row["bujur"], row["lintang"]]},
        "properties": {k: row[k] for k in keep},
    } for row in rows if row["lintang"] is not None and row["bujur"] is not None]
    return _json_bytes({"type": "FeatureCollection", "features": features})


def _encode(table: Table, fmt: str, rows: Sequence[dict[str, Any]]) -> bytes:
    if fmt == "csv":
        return to_csv(table, rows)
    if fmt == "geojson":
        return to_geojson(rows)
    return _json_bytes(rows)


# --- the data package -----------------------------------------------------------------------


def _schema_field(column: Column, fmt: str, t: Catalogue) -> dict[str, Any]:
    typ = column.json_type if fmt == "json" and column.json_type else column.type
    description = column.description(t)
    if column.unit:
        description += " " + t("data_unit_sentence", unit=t(f"data_unit_{column.unit}"))
    out: dict[str, Any] = {"name": column.name, "type": typ, "description": description}
    if column.format and typ == column.type:
        out["format"] = column.format
    constraints = dict(column.constraints)
    if typ != column.type:  # a list or object in JSON: the CSV text pattern does not apply
        constraints.pop("pattern", None)
    if constraints:
        out["constraints"] = constraints
    return out


def _schema(table: Table, fmt: str, t: Catalogue) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [_schema_field(c, fmt, t) for c in table.columns],
                              "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": [f], "reference": {"resource": ref, "fields": [rf]}}
                                 for f, ref, rf in table.foreign_keys]
    return schema


def resource_name(table: Table, fmt: str) -> str:
    """The CSV (or a table's only file) carries the table's name; other formats add theirs."""
    return table.name if fmt == table.formats[0] else f"{table.name}-{fmt}"


def _licenses(table: Table, m: SiteModel) -> list[dict[str, str]] | None:
    """Only the reference tables have a licence the data's owners chose (MIT, Cahya DSN)."""
    return [MIT] if table is PROVINSI and m.content.has_reference else None


def _sources(table: Table, m: SiteModel, t: Catalogue) -> list[dict[str, str]]:
    out = []
    if m.content.has_reference and table in (PESERTA, PROVINSI):
        out += [{"title": title, "path": path} for title, path in REFERENCE_SOURCES]
    if table is not PROVINSI:
        out.append({"title": t(f"data_sources_{table.name}")})
    return out


def datapackage(m: SiteModel, t: Catalogue, files: dict[str, bytes]) -> bytes:
    """Frictionless Data Package v1 describing every download, with its SHA-256 hash.

    No ``bytes``: frictionless 5 does not count the bytes of JSON tables and would report a
    mismatch; the hash pins the exact file anyway, and the data page shows the sizes.
    """
    resources = []
    for table in TABLES:
        for fmt in table.formats:
            data = files[table.filename(fmt)]
            res: dict[str, Any] = {
                "name": resource_name(table, fmt), "path": table.filename(fmt),
                "title": t(f"data_title_{table.name}") + f" ({LABELS[fmt]})",
                "description": t(f"data_about_{table.name}")
                               + (" " + t("data_csv_text_cells") if fmt == "csv" else ""),
                "format": fmt, "mediatype": MEDIATYPES[fmt], "encoding": "utf-8",
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
            }
            if fmt == "geojson":
                res["profile"] = "data-resource"
            else:
                res["profile"] = "tabular-data-resource"
                res["schema"] = _schema(table, fmt, t)
            if fmt == "csv":
                res["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                                  "doubleQuote": True, "header": True}
            licenses = _licenses(table, m)
            if licenses:
                res["licenses"] = licenses
            sources = _sources(table, m, t)
            if sources:
                res["sources"] = sources
            resources.append(res)
    org = m.config.organisation or {}
    package: dict[str, Any] = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": m.config.title,
        "description": t("data_package_description"),
        "homepage": m.urls.absolute(urls.DATA),
        "keywords": ["smart city", "kabupaten", "kota", "Indonesia", "Kemendagri"],
        "sources": ([{"title": title, "path": path} for title, path in REFERENCE_SOURCES]
                    if m.content.has_reference else [])
                   + [{"title": t("data_sources_peserta")}],
    }
    if org.get("name"):
        package["contributors"] = [{"title": org["name"], "role": "publisher",
                                    **({"path": org["website"]} if org.get("website") else {})}]
    package["resources"] = resources
    return _json_bytes(package)


# --- everything at once, and what the data page shows ---------------------------------------


def produce_all(m: SiteModel, t: Catalogue, memo: Memo | None = None) -> dict[str, bytes]:
    """Every download by file name under data/ (the data package last, since it hashes the rest).

    The site map computes them once per edition and hands the result to the data page
    (``datasets``, ``package_download``) and to each download (``producers``). ``memo`` keeps
    each table's rows and files under the inputs they are made from (``table_rows``), so an
    unchanged table costs a look-up.
    """
    memo = Memo() if memo is None else memo
    files: dict[str, bytes] = {}
    for table in TABLES:
        if table is BERITA:  # row by row, in its one format (json)
            files.update({table.filename(fmt): _announcements_json(m, memo)
                          for fmt in table.formats})
            continue
        rows = table_rows(table, m, memo)
        for fmt in table.formats:
            files[table.filename(fmt)] = memo.get(("download", fmt, *table_inputs(table, m)),
                                                  functools.partial(_encode, table, fmt, rows))
    files[DATAPACKAGE] = datapackage(m, t, files)
    return files


@record
class Download:
    """One file link on the data page."""

    route: str
    name: str
    format: str
    mediatype: str
    size: int


@record
class FieldDoc:
    """One row of a dataset's field table on the data page."""

    name: str
    type: str
    description: str
    unit: str


@record
class Dataset:
    """A documented dataset on the data page: files, fields, licence, sources, completeness."""

    name: str
    title: str
    about: str
    downloads: tuple[Download, ...]
    fields: tuple[FieldDoc, ...]
    licence: str
    sources: tuple[tuple[str, str | None], ...]
    completeness: tuple[str, ...]
    missing: tuple[Region, ...] = ()
    """Participants left out of the GeoJSON because they have no coordinates (never invented)."""


def _type_label(column: Column, table: Table, t: Catalogue) -> str:
    label = t(f"data_type_{column.type}")
    if column.json_type and "json" in table.formats:
        return t("data_type_both", csv=label, json=t(f"data_type_{column.json_type}"))
    return label


def _completeness(table: Table, m: SiteModel, t: Catalogue, memo: Memo | None = None
                  ) -> tuple[str, ...]:
    """Computed facts about how complete a table is (the same counts as its rows, the same rows
    the downloads are made from: ``table_rows``; berita's from the announcements its rows are
    made of, one each, whose 'sumber' and 'daerah' are their sources and regions: a build that
    finds its row texts saved makes no row)."""
    if table is BERITA:
        news = m.news
        return (
            t("data_complete_berita", count=len(news)),
            t("data_complete_berita_sources", count=sum(1 for n in news if n.sources),
              total=len(news)),
            t("data_complete_berita_regions", count=sum(1 for n in news if n.regions),
              total=len(news)),
        )
    rows = table_rows(table, m, memo)
    if table is PESERTA:
        return (
            t("data_complete_peserta", count=len(rows)),
            t("data_complete_unverified",
              count=sum(1 for r in rows if r["tahun_belum_terverifikasi"])),
            t("data_complete_coordinates", count=sum(1 for r in rows if r["lintang"] is not None),
              total=len(rows)),
            t("data_complete_website", count=sum(1 for r in rows if r["situs_web"]),
              total=len(rows)),
            t("data_complete_sources", count=sum(1 for r in rows if r["sumber"]), total=len(rows)),
        )
    if table is KEIKUTSERTAAN:
        withdrawn = sum(1 for r in rows if r["status"] == STATUS_CODES[WITHDRAWN])
        unverified = sum(1 for r in rows if r["status"] in (STATUS_CODES[UNCERTAIN],
                                                           STATUS_CODES[INFERRED]))
        return (
            t("data_complete_keikutsertaan", count=len(rows) - withdrawn, withdrawn=withdrawn),
            t("data_complete_keikutsertaan_unverified", count=unverified),
            t("data_complete_keikutsertaan_sources", count=sum(1 for r in rows if r["sumber"]),
              total=len(rows)),
        )
    if table is ANGKATAN:
        sized = [r for r in rows if r["diumumkan"]]
        return (
            t("data_complete_angkatan", count=len(rows), sized=len(sized)),
            t("data_complete_angkatan_full",
              count=sum(1 for r in sized if r["belum_tercatat"] == 0), sized=len(sized)),
            t("data_complete_angkatan_missing",
              missing=sum(r["belum_tercatat"] or 0 for r in rows),
              announced=sum(r["diumumkan"] or 0 for r in rows)),
            t("data_complete_angkatan_withdrawn",
              count=sum(r["tidak_ikut_serta"] for r in rows)),
        )
    if table is PROVINSI:
        return (t("data_complete_provinsi", count=len(rows),
                  covered=sum(1 for r in rows if r["jumlah_peserta"])),)
    raise AssertionError(f"no completeness for {table.name}")  # every table is named above


def datasets(m: SiteModel, t: Catalogue, files: Mapping[str, bytes], memo: Memo | None = None
             ) -> tuple[Dataset, ...]:
    """What the data page documents for each table, computed from the files it links to
    (``produce_all``) and the rows they were made from (``memo``, as ``produce_all``'s)."""
    out = []
    for table in TABLES:
        downloads = tuple(Download(urls.data_file(table.filename(fmt)), table.filename(fmt),
                                   LABELS[fmt], MEDIATYPES[fmt], len(files[table.filename(fmt)]))
                          for fmt in table.formats)
        fields = tuple(FieldDoc(c.name, _type_label(c, table, t), c.description(t),
                                t(f"data_unit_{c.unit}") if c.unit else "")
                       for c in table.columns)
        sources = [(s["title"], s.get("path")) for s in _sources(table, m, t)]
        licence = t(f"data_licence_{table.name}")
        if table in (PESERTA, KEIKUTSERTAAN, PROVINSI) and not m.content.has_reference:
            licence = t("data_licence_unknown")
        missing = tuple(r for r in m.regions if r.coordinates is None) if table is PESERTA else ()
        out.append(Dataset(table.name, t(f"data_title_{table.name}"), t(f"data_about_{table.name}"),
                           downloads, fields, licence, tuple(sources),
                           _completeness(table, m, t, memo), missing))
    return tuple(out)


def package_download(files: Mapping[str, bytes]) -> Download:
    """The datapackage.json link on the data page (``files`` from ``produce_all``)."""
    return Download(urls.data_file(DATAPACKAGE), DATAPACKAGE, "JSON", MEDIATYPES["json"],
                    len(files[DATAPACKAGE]))


def producers(files: Callable[[], Mapping[str, bytes]]) -> dict[str, Callable[[], bytes]]:
    """Route → function producing the file, for the site map's ``DataFile`` entries; ``files``
    gives ``produce_all``'s result (computed when first asked for)."""
    names = [table.filename(fmt) for table in TABLES for fmt in table.formats] + [DATAPACKAGE]
    return {urls.data_file(name): _producer(files, name) for name in names}


def _producer(files: Callable[[], Mapping[str, bytes]], name: str) -> Callable[[], bytes]:
    """One download's bytes, taken from the shared result (a closure per name)."""
    return lambda: files()[name]
