"""``python build.py new announcement|region …``: start a content file the right way.

The file lists every field of its schema (``schemas.NEWS`` / ``schemas.REGION``): the ones we
can fill are filled, the others are commented out with the schema's Indonesian description and
an example, so an editor sees what each field means without opening the documentation. The
result passes ``python build.py check`` as it is. A new announcement is a draft, so it cannot be
published by accident before its summary and text are written. A region is filled from the
Kemendagri reference data. Existing files are never overwritten.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from pathlib import Path

from kotacerdas.content import schemas
from kotacerdas.content.placenames import kind_of, match_key
from kotacerdas.core import writeguard
from kotacerdas.content.types import Kabkota, Province
from kotacerdas.core.errors import Problems, UsageError
from kotacerdas.editors.regionfiles import readable_file_with_code
from kotacerdas.content.reference import load_reference
from kotacerdas.core.slugs import slugify

MAX_SLUG = 60
SUMMARY_PLACEHOLDER = "RINGKASAN BELUM DITULIS: ganti teks ini dengan satu-dua kalimat."
BODY_PLACEHOLDER = """\
Tulis isi pengumuman di sini, dengan Markdown. Contoh:

## Subjudul

Paragraf biasa. Tautan ke halaman lain di situs ini ditulis dari akar situs, misalnya
[Kota Bandung](/daerah/kota-bandung/); tautan ke situs lain ditulis lengkap, misalnya
[Komdigi](https://www.komdigi.go.id).
"""

NEWS_EXAMPLES: dict[str, str] = {
    "tags": "tags: [masterplan, evaluasi]",
    "regions": "regions: [kota-bandung, kabupaten-banyuwangi]",
    "sources": "sources:\n  - https://www.komdigi.go.id/berita/contoh",
}
REGION_EXAMPLES: dict[str, str] = {
    "sources": "sources:\n  - https://www.komdigi.go.id/berita/contoh\n"
               "  - {{title: \"Siaran pers\", publisher: \"Kominfo\", date: {today}}}",
    "note": "note: \"Catatan tentang data daerah ini.\"",
    "note_en": "note_en: \"The same note in English.\"",
    "aliases": "aliases: [\"{alias}\"]",
    "website": "website: https://www.contoh.go.id",
    "summary": "summary: \"Ringkasan program smart city daerah ini.\"",
    "masterplan_status": "masterplan_status: \"ditetapkan perkada\"",
    "quick_wins": "quick_wins:\n  - \"Nama program quick win\"",
}

ROUND_EXAMPLE = """\
# Angkatan yang belum pasti, atau yang batal diikuti, ditulis dengan keterangannya:
# cohort:
#   - 2017
#   - year: {year}
#     status: uncertain  # confirmed (bawaan), uncertain, inferred, atau withdrawn
#     note: "Catatan untuk pembaca: mengapa belum pasti."
#     note_en: "The same note in English."
#     research_note: "Catatan kerja peneliti; tidak ditampilkan."
#     sources:
#       - https://www.komdigi.go.id/berita/contoh"""


class Refusal(Exception):
    """The file cannot be created (it exists, or the name is unknown or ambiguous): exit status
    1."""


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML), Unicode kept."""
    return json.dumps(text, ensure_ascii=False)


def _commented(example: str, description: str) -> list[str]:
    """An optional field, commented out: its description, then an example to uncomment."""
    return [f"# {description}"] + [f"# {line}" for line in example.split("\n")]


def _create(site: Path, rel: str, text: str) -> Path:
    """Write a new file through the write guard, never over an existing one."""
    with writeguard.reporting(f"the folder {(site / rel).parent}", "nothing was written"):
        try:
            return writeguard.write_bytes(site, rel, text.encode("utf-8"), exclusive=True)
        except FileExistsError:
            raise Refusal(f"{rel} already exists; edit that file, or choose another title or "
                          "date (nothing was overwritten)") from None


def _refuse_existing(path: Path, site: Path) -> None:
    if path.exists() or path.is_symlink():
        raise Refusal(f"{path.relative_to(site).as_posix()} already exists; edit that file, or "
                      "choose another title or date (nothing was overwritten)")


# --- announcements ------------------------------------------------------------------------

def news_slug(title: str) -> str:
    """The file-name slug of a title, cut at a word boundary to at most MAX_SLUG characters."""
    slug = slugify(title)
    if len(slug) > MAX_SLUG:
        slug = (slug[:MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG + 1]
                else slug[:MAX_SLUG])
    return slug.strip("-")


def announcement_text(title: str, date: dt.date) -> str:
    """A new announcement: every NEWS field, filled or commented out with its description."""
    props = schemas.NEWS["properties"]
    filled = {
        "title": f"title: {_quote(title)}",
        "date": f"date: {date.isoformat()}",
        "summary": f"summary: {_quote(SUMMARY_PLACEHOLDER)}",
        "draft": "draft: true",
    }
    lines = ["---",
             "# Pengumuman baru. Isi ringkasan (summary) dan teks di bawah garis '---' kedua.",
             "# Kolom yang diawali '#' bersifat opsional: hapus '#' di depannya untuk memakainya.",
             "# Selama 'draft: true', pengumuman tidak diterbitkan; ubah ke 'draft: false' "
             "bila siap."]
    for name, schema in props.items():
        desc = schema.get("description", "")
        if name in filled:
            lines.append(f"# {desc}")
            lines.append(filled[name])
        elif name == "updated":
            lines += _commented(f"updated: {date.isoformat()}", desc)
        else:
            lines += _commented(NEWS_EXAMPLES[name], desc)
    lines += ["---", "", BODY_PLACEHOLDER]
    return "\n".join(lines)


def new_announcement(site: Path, title: str, date: dt.date) -> Path:
    """Create content/news/<date>-<slug>.md; refuse to overwrite."""
    title = " ".join(title.split())
    if not title:
        raise UsageError("give the announcement a title, e.g. "
                         "python build.py new announcement \"Forum Smart City 2026\"")
    slug = news_slug(title)
    if not slug:
        raise UsageError(f"the title '{title}' has no letters or digits to make a file name from; "
                         "use a title with words")
    rel = f"content/news/{date.isoformat()}-{slug}.md"
    path = writeguard.target(site, rel)  # a linked content/ or content/news is refused first
    _refuse_existing(path, site)
    same_slug = sorted((site / "content" / "news").glob(f"*-{slug}.md"))
    for other in same_slug:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}-" + re.escape(slug) + r"\.md", other.name):
            raise Refusal(f"{other.relative_to(site).as_posix()} already uses the name '{slug}' "
                          f"(both would be /berita/{slug}/); edit that file, or choose another "
                          "title")
    return _create(site, rel, announcement_text(title, date))


# --- regions ------------------------------------------------------------------------------

def find_kabkota(name: str, kabkota: tuple[Kabkota, ...]) -> Kabkota:
    """The kabupaten/kota an editor means: forgiving about case, spaces and Kab./Kota prefixes.

    Also accepts a Kemendagri code ("32.73"). Refuses an unknown or ambiguous name with
    suggestions.
    """
    wanted = name.strip()
    by_code = {k.code: k for k in kabkota}
    if wanted in by_code:
        return by_code[wanted]
    kind, core = kind_of(wanted), match_key(wanted)
    if not core:
        raise UsageError("give the name of a kabupaten or kota, e.g. "
                         "python build.py new region \"Kota Bandung\"")
    same_core = [k for k in kabkota
                 if core in (match_key(k.name), match_key(k.short_name))]
    matches = [k for k in same_core if kind is None or k.type == kind]
    if len(matches) == 1:
        return matches[0]
    if matches:
        options = " or ".join(f"\"{k.name}\"" for k in sorted(matches, key=lambda k: k.name))
        raise Refusal(f"'{wanted}' is more than one kabupaten/kota: say {options}")
    names = sorted(k.name for k in kabkota)
    near = sorted(k.name for k in same_core) or difflib.get_close_matches(wanted, names, n=3,
                                                                          cutoff=0.6)
    if not near:
        by_core = {match_key(k.name): k.name for k in kabkota}
        near = [by_core[c]
                for c in difflib.get_close_matches(core, sorted(by_core), n=3, cutoff=0.6)]
    tip = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    raise Refusal(f"'{wanted}' is not a kabupaten/kota in content/reference/kabupaten-kota.yaml"
                  f"{tip} (write the name as Kemendagri does, e.g. 'Kota Bandung', or give its "
                  "code, e.g. 32.73)")


def region_text(ref: Kabkota, province: Province | None, year: int, today: dt.date) -> str:
    """A new region file: every REGION field, filled from the reference data or commented out."""
    props = schemas.REGION["properties"]
    filled: dict[str, str] = {
        "name": f"name: {_quote(ref.name)}",
        "type": f"type: {ref.type}",
        "province": f"province: {_quote(province.name if province else '')}",
        "code": f"code: {_quote(ref.code)}",
        "cohort": f"cohort: {year}  # PERIKSA: tahun angkatan menurut sumber, "
                  "mis. 2017 atau [2017, 2021]"
                  + "".join(f"\n{line}" for line in ROUND_EXAMPLE.format(year=year).split("\n")),
        "updated": f"updated: {today.isoformat()}",
    }
    if ref.lat is not None and ref.lon is not None:
        filled["coordinates"] = f"coordinates: [{ref.lat}, {ref.lon}]"
    lines = [f"# {ref.name}: daerah peserta Gerakan Menuju Smart City.",
             "# Nama, jenis, provinsi, kode dan koordinat diisi dari data referensi Kemendagri.",
             "# Periksa 'cohort' dan tambahkan sumber (sources) yang menyebut daerah ini "
             "sebagai peserta.",
             "# Kolom yang diawali '#' bersifat opsional: hapus '#' di depannya untuk memakainya."]
    examples = {k: v.format(year=year, today=today.isoformat(), alias=ref.short_name)
                for k, v in REGION_EXAMPLES.items()}
    examples["coordinates"] = "coordinates: [-6.91, 107.61]"
    for name, schema in props.items():
        desc = schema.get("description", "")
        if name in filled:
            lines += [f"# {desc}", filled[name]]
        else:
            lines += _commented(examples[name], desc)
    return "\n".join(lines) + "\n"


def new_region(site: Path, name: str, today: dt.date) -> Path:
    """Create content/regions/<slug>.yaml for a kabupaten/kota of the reference data."""
    problems = Problems(site)
    provinces, kabkota, _, has_reference = load_reference(site / "content" / "reference", problems)
    if problems:
        raise UsageError("content/reference/ has problems; run 'python build.py check' first:\n"
                         + "\n".join(str(p) for p in problems.items))
    if not has_reference or not kabkota:
        raise UsageError("content/reference/ is missing; run 'python build.py import-reference "
                         "DIR' first, or write the region file by hand")
    ref = find_kabkota(name, kabkota)
    rel = f"content/regions/{slugify(ref.name)}.yaml"
    path = writeguard.target(site, rel)  # a linked content/ or content/regions is refused first
    folder = path.parent
    _refuse_existing(path, site)
    other = readable_file_with_code(folder, ref.code)
    if other is not None:
        raise Refusal(f"{ref.name} ({ref.code}) already has {other.relative_to(site).as_posix()}; "
                      "edit that file (nothing was overwritten)")
    province = next((p for p in provinces if p.code == ref.province_code), None)
    return _create(site, rel, region_text(ref, province, today.year, today))
