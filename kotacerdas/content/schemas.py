"""JSON Schemas for every kind of content file: the contract that editors' files must meet.

One schema per file kind drives validation (``validate``), and later the scaffolding of new files.
Descriptions are in Bahasa Indonesia because editors read them. ``x-message`` gives the error to
show when a ``pattern`` or ``anyOf`` fails, since the generic wording would not help an editor.
``x-removed`` names fields an earlier format had, with what to write instead.
"""

from __future__ import annotations

from typing import Any

from kotacerdas.content.types import STATUSES
from kotacerdas.core.slugs import SLUG_PATTERN

SLUG = rf"^(?!.*\n){SLUG_PATTERN}$"  # (?!.*\n): no line break anywhere, not even a final one
CODE = r"^[0-9]{2}\.[0-9]{2}$(?!\n)"
URL = r"^https?://[^\s/$.?#][^\s]*$(?!\n)"  # (?!\n): Python's $ also matches before a final newline

_slug = {"type": "string", "pattern": SLUG,
         "x-message": "must be a slug: lower-case letters a-z, digits and single hyphens, "
                      "e.g. 'kota-bandung'"}
_url = {"type": "string", "pattern": URL,
        "x-message": "must be a full web address starting with https:// (or http://)"}
_year = {"type": "integer", "minimum": 2000, "maximum": 2100}
_text = {"type": "string", "minLength": 1}

SOURCE: dict[str, Any] = {
    "description": "Sumber: alamat web, atau kutipan {url, title, publisher, date, language}; "
                   "judul boleh kosong bila tidak diketahui (jangan mengarang judul).",
    "anyOf": [
        _url,
        {"type": "object", "additionalProperties": False,
         "anyOf": [{"required": ["url"]}, {"required": ["title"]}],
         "properties": {"title": _text, "url": _url, "publisher": _text, "date": {"type": "date"},
                        "language": {"enum": ["id", "en"]}}},
    ],
    "x-message": "must be a web address (https://…) or a citation with 'url' and optional "
                 "'title', 'publisher', 'date', 'language' (id or en)",
}
_sources = {"type": "array", "items": SOURCE, "description": SOURCE["description"]}

_notes = {
    "note": {**_text, "description": "Catatan untuk pembaca, dalam bahasa Indonesia (singkat, "
                                     "dengan kata-kata sendiri)."},
    "note_en": {**_text, "description": "Catatan yang sama dalam bahasa Inggris."},
    "research_note": {**_text, "description": "Catatan kerja peneliti untuk pengelola; tidak "
                                              "pernah ditampilkan di situs atau data terbuka."},
}

# Typed keywords apply only to their own type, so one schema takes a year or a round mapping
# without anyOf, and an error inside a round is reported as itself, on its own line.
ROUND: dict[str, Any] = {
    "type": ["integer", "object"], "minimum": 2000, "maximum": 2100,
    "required": ["year"], "additionalProperties": False,
    "properties": {
        "year": {**_year, "description": "Tahun angkatan, mis. 2021."},
        "status": {"enum": list(STATUSES),
                   "description": "confirmed (bawaan: sumber menyatakannya), uncertain (sumber "
                                  "menyiratkan, tahunnya tidak dinyatakan), inferred "
                                  "(disimpulkan), withdrawn (disebut untuk angkatan ini tetapi "
                                  "tidak ikut)."},
        **_notes,
        "sources": _sources,
    },
    "x-message": "must be a year such as 2017, or a round such as {year: 2021, status: uncertain, "
                 "note: \"…\"}",
}
_ROUNDS = {
    "type": ["integer", "array"], "minimum": 2000, "maximum": 2100, "minItems": 1,
    "items": ROUND,
    "x-message": "must be a year such as 2017, or a list of years and rounds such as "
                 "[2017, {year: 2021, status: uncertain}]",
}

REGION: dict[str, Any] = {
    "title": "region",
    "type": "object",
    "required": ["name", "type", "province", "code", "cohort"],
    "additionalProperties": False,
    "properties": {
        "name": {**_text, "description": "Nama resmi Kemendagri, mis. 'Kota Bandung'."},
        "type": {"enum": ["kota", "kabupaten"], "description": "kota atau kabupaten."},
        "province": {**_text, "description": "Nama provinsi, mis. 'Jawa Barat'."},
        "code": {"type": "string", "pattern": CODE,
                 "description": "Kode Kemendagri, mis. \"32.73\".",
                 "x-message": "must be a Kemendagri code in quotes, two digits, a dot and two "
                              "digits, e.g. \"32.73\""},
        "cohort": {**_ROUNDS,
                   "description": "Angkatan: satu tahun, atau daftar yang setiap butirnya tahun "
                                  "(terkonfirmasi) atau {year, status, note, note_en, "
                                  "research_note, sources}, mis. 2017 atau "
                                  "[2017, {year: 2021, status: uncertain, note: \"…\"}]."},
        "sources": _sources,
        "note": {**_text, "description": "Catatan umum tentang data daerah ini, dalam bahasa "
                                         "Indonesia."},
        "note_en": {**_text, "description": "Catatan yang sama dalam bahasa Inggris."},
        "aliases": {"type": "array", "items": _text, "uniqueItems": True,
                    "description": "Ejaan lain nama daerah, mis. 'Kabupaten Gunung Kidul'."},
        "website": {**_url, "description": "Situs resmi pemerintah daerah."},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                        "description": "[lintang, bujur], mis. [-6.91, 107.61]."},
        "summary": {**_text, "description": "Ringkasan program smart city daerah ini."},
        "masterplan_status": {**_text,
                              "description": "Status masterplan, mis. 'ditetapkan perkada'."},
        "quick_wins": {"type": "array", "items": _text, "description": "Program quick win."},
        "updated": {"type": "date", "description": "Tanggal data daerah ini terakhir diperbarui."},
    },
    "x-removed": {
        "unverified_cohorts": "mark each of those rounds in 'cohort' instead, e.g. "
                              "cohort: [2017, {year: 2018, status: uncertain, note: \"…\"}] "
                              "(status: inferred when the year was deduced); then delete this line",
        "note_lang": "write the note for readers in Bahasa Indonesia under 'note' and in English "
                     "under 'note_en'; a researchers' working note goes under 'research_note' of "
                     "its round in 'cohort'; then delete this line",
    },
}

NEWS: dict[str, Any] = {
    "title": "announcement",
    "type": "object",
    "required": ["title", "date", "summary"],
    "additionalProperties": False,
    "properties": {
        "title": {**_text, "description": "Judul pengumuman."},
        "date": {"type": "date",
                 "description": "Tanggal terbit, YYYY-MM-DD (sama dengan nama berkas)."},
        "summary": {**_text, "description": "Ringkasan satu-dua kalimat."},
        "tags": {"type": "array", "items": _slug, "uniqueItems": True,
                 "description": "Topik, huruf kecil dengan tanda hubung, mis. "
                                "[masterplan, evaluasi]."},
        "regions": {"type": "array", "items": _slug, "uniqueItems": True,
                    "description": "Slug daerah peserta yang disebut, mis. [kota-bandung]."},
        "sources": _sources,
        "updated": {"type": "date", "description": "Tanggal pembaruan terakhir, bila ada."},
        "draft": {"type": "boolean", "description": "true = belum diterbitkan."},
    },
}

PAGE: dict[str, Any] = {
    "title": "page",
    "type": "object",
    "required": ["title"],
    "additionalProperties": False,
    "properties": {
        "title": {**_text, "description": "Judul halaman."},
        "summary": {**_text, "description": "Ringkasan satu kalimat."},
        "updated": {"type": "date", "description": "Tanggal halaman terakhir ditinjau."},
    },
}

_FROM_ORIGINAL = ("a translation holds only title, summary, updated and the text; date, tags, "
                  "regions and sources come from the Indonesian original: remove this line")


def _translation(title: str, required: list[str]) -> dict[str, Any]:
    """A translation's front matter: text only; facts come from the original."""
    return {
        "title": title, "type": "object", "required": required, "additionalProperties": False,
        "x-unknown": _FROM_ORIGINAL,
        "properties": {
            "title": {**_text, "description": "Judul dalam bahasa terjemahan."},
            "summary": {**_text, "description": "Ringkasan dalam bahasa terjemahan."},
            "updated": {"type": "date", "description": "Tanggal terjemahan terakhir disesuaikan "
                                                       "dengan aslinya."},
        },
    }


NEWS_TRANSLATION = _translation("translated announcement", ["title", "summary"])
PAGE_TRANSLATION = _translation("translated page", ["title"])

TRANSLATED_LANGUAGES = ("en",)

_organisation = {
    "type": "object", "additionalProperties": False, "required": ["name"],
    "properties": {"name": _text, "short_name": _text, "address": _text, "website": _url},
}
_contact = {
    "type": "object", "additionalProperties": False,
    "properties": {"email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+$(?!\n)",
                             "x-message": "must be an e-mail address"},
                   "phone": _text, "feedback_url": _url},
}

_title = {**_text, "pattern": r"^(?!.*\n)[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$",
          "x-message": "must be one line of text, with no line break or control character: "
                       "write the whole title on one line"}
"""The site's title also heads security.txt; the lookahead refuses a final newline, which '$'
alone would let through."""

CONFIG: dict[str, Any] = {
    "title": "site configuration",
    "type": "object",
    "required": ["title", "base_url"],
    "additionalProperties": False,
    "properties": {
        "title": _title,
        "description": _text,
        "base_url": _url,
        "language": {"enum": ["id"]},
        "timezone": {"enum": ["Asia/Jakarta"]},
        "news_per_page": {"type": "integer", "minimum": 1, "maximum": 100},
        "feed_items": {"type": "integer", "minimum": 1, "maximum": 1000},
        "organisation": _organisation,
        "contact": _contact,
        "repository": _url,
        "translations": {
            "type": "object", "propertyNames": {"enum": list(TRANSLATED_LANGUAGES)},
            "description": "Edisi bahasa lain, mis. en: {description: …}.",
            "additionalProperties": {
                "type": ["object", "null"], "additionalProperties": False,
                "properties": {"title": _title, "description": _text,
                               "organisation": {**_organisation, "required": []}}},
        },
    },
}

PROVINCES: dict[str, Any] = {
    "type": "array",
    "items": {"type": "object", "required": ["code", "name"], "additionalProperties": False,
              "properties": {"code": {"type": "string", "pattern": r"^[0-9]{2}$",
                                      "x-message": "must be a two-digit code in quotes, "
                                                   "e.g. \"32\""},
                             "name": _text, "aliases": {"type": "array", "items": _text},
                             "lat": {"type": "number"}, "lon": {"type": "number"}}},
}

KABKOTA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "object", "required": ["code", "name", "type", "province_code"],
              "additionalProperties": False,
              "properties": {"code": REGION["properties"]["code"], "name": _text,
                             "short_name": _text, "type": {"enum": ["kota", "kabupaten"]},
                             "province_code": {"type": "string", "pattern": r"^[0-9]{2}$",
                                               "x-message": "must be a two-digit code in quotes"},
                             "lat": {"type": "number"}, "lon": {"type": "number"}}},
}

COHORTS: dict[str, Any] = {
    "type": "array",
    "items": {"type": "object", "required": ["year", "announced", "sources"],
              "additionalProperties": False,
              "properties": {"year": _year, "announced": {"type": "integer", "minimum": 0},
                             "stage": {"type": "string"},
                             "sources": {**_sources, "minItems": 1}, **_notes},
              "x-removed": {"source": "a round lists its sources now: write 'sources:' with one "
                                      "'- https://…' line (or citation) per source instead"}},
}
