"""Kemendagri place names: the "Kabupaten"/"Kota" prefix rules in one place.

Kemendagri writes a kabupaten as "Kabupaten Bandung" and a kota as "Kota Bandung" (Jakarta's as
"Kota Administrasi Jakarta Pusat"); people also write "Kab. Bandung", "Kotamadya"/"Kodya" (the
old word for a kota), "Adm." or no prefix at all. Each caller here reads a name its own way, for now:
the sort key of the directory, the importer's and ``new region``'s name matching, and the search
keys (mirrored in ``templates/assets/search.js``).
"""

from __future__ import annotations

import re
import unicodedata

# --- the directory's sort order ---------------------------------------------------------------


def sort_name(name: str) -> str:
    """The name the directory sorts by: without its Kabupaten/Kota prefix, case folded."""
    return re.sub(r"^(Kabupaten|Kota)\s+(Administrasi\s+)?", "", name).casefold()


# --- the importer's name matching ---------------------------------------------------------------


def importer_key(name: str) -> str:
    """Name key that ignores case, spaces and the Kabupaten/Kab./Kota/Administrasi prefixes."""
    name = re.sub(r"^(kabupaten|kab\.?|kota)\s+(administrasi\s+)?", "", name.strip().casefold())
    return re.sub(r"[^a-z0-9]", "", name)


def prefix_kind(name: str) -> str | None:
    """kota/kabupaten from a name's prefix (Kota, Kabupaten, Kab.); None without one."""
    name = name.casefold()
    if re.match(r"kota\s", name):
        return "kota"
    if re.match(r"(kabupaten|kab\.?)\s", name):
        return "kabupaten"
    return None


# --- ``new region``'s name matching ---------------------------------------------------------------

_PREFIX = re.compile(r"^(kabupaten|kab\.?|kotamadya|kodya|kota)(\s+adm(?:inistrasi|\.)?)?\s+",
                     re.IGNORECASE)


def kind_and_core(name: str) -> tuple[str | None, str]:
    """('kota'|'kabupaten'|None, the name without its prefix, casefolded, letters and digits only)."""
    text = " ".join(name.split())
    m = _PREFIX.match(text)
    kind = None
    if m:
        kind = "kabupaten" if m.group(1).lower().startswith("kab") else "kota"
        text = text[m.end():]
    return kind, re.sub(r"[^0-9a-z]", "", text.casefold())


# --- search keys (search.js applies the same normalize and PREFIXES to the query) -----------------

PREFIXES = frozenset({"kabupaten", "kab", "kota", "kotamadya", "kodya", "administrasi", "adm",
                      "provinsi", "prov"})
"""Words people put before a place name, or leave out; dropped from names and queries."""


def normalize(text: str) -> str:
    """Lowercase, diacritics removed, anything but letters and digits a single space."""
    text = re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFKD", text.lower()))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def place_key(name: str) -> str:
    """A place name as searched: normalized, leading prefix words dropped (the last word stays)."""
    words = normalize(name).split()
    while len(words) > 1 and words[0] in PREFIXES:
        words.pop(0)
    return " ".join(words)
