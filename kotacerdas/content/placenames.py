"""Kemendagri place names: the one rule for the "Kabupaten"/"Kota" prefix of a name.

Kemendagri writes a kabupaten as "Kabupaten Bandung" and a kota as "Kota Bandung" (Jakarta's as
"Kota Administrasi Jakarta Pusat"); people also write "Kab. Bandung", "Kotamadya"/"Kodya" (the
old word for a kota), "Adm.", "Provinsi" before a province, or no prefix at all. A name is read
as its words (``normalize``), with the leading prefix words dropped (the last word always stays,
so "Kota" alone is a name). Every caller uses that one reading: the directory's sort order
(``place_key``), the search keys (``place_key``; ``templates/assets/search.js`` applies the same
``normalize`` and ``PREFIXES`` to the query, tests/content/test_placenames.py keeps them in step),
and the importer's and ``new region``'s matching (``match_key``, ``kind_of``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

KINDS = {"kabupaten": "kabupaten", "kab": "kabupaten",
         "kota": "kota", "kotamadya": "kota", "kodya": "kota"}
"""The words that say which kind of region a name is."""
QUALIFIERS = ("administrasi", "adm")
"""The word between the kind and the name of Jakarta's kota and kabupaten."""
PREFIXES = frozenset({*KINDS, *QUALIFIERS, "provinsi", "prov"})
"""Words people put before a place name, or leave out; dropped from names and queries."""


@functools.lru_cache(maxsize=16384)  # pure, and asked again for the same names on every build
def normalize(text: str) -> str:
    """Lowercase, diacritics removed, anything but letters and digits a single space."""
    text = re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFKD", text.lower()))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _name_words(name: str) -> list[str]:
    """The words of a name after its leading prefix words (the last word stays)."""
    words = normalize(name).split()
    while len(words) > 1 and words[0] in PREFIXES:
        words.pop(0)
    return words


def place_key(name: str) -> str:
    """A place name as searched and sorted: 'Kab. Bandung' and 'Kabupaten Bandung' → 'bandung'."""
    return " ".join(_name_words(name))


def match_key(name: str) -> str:
    """A place name as matched against the reference: its key without spaces, so that
    'Gunung Kidul' is 'Gunungkidul'."""
    return "".join(_name_words(name))


def kind_of(name: str) -> str | None:
    """'kabupaten' or 'kota' when the name starts with a word that says so, else None."""
    words = normalize(name).split()
    return KINDS.get(words[0]) if len(words) > 1 else None
