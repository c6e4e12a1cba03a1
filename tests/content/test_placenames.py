"""Kemendagri place names: one prefix rule for sorting, searching and matching, and search.js
reads a query the way the index keys were made."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest

from conftest import REPO
from kotacerdas.content.placenames import PREFIXES, kind_of, match_key, normalize, place_key
from kotacerdas.model.site import region_sort_key

SEARCH_JS = REPO / "templates" / "assets" / "search.js"
NAMES = ["Kabupaten Bandung", "Kab. Bandung", "kab bandung", "Kota Bandung", "Kotamadya Bandung",
         "Kodya Bandung", "Kota Administrasi Jakarta Pusat", "Kota Adm. Jakarta Pusat",
         "Kabupaten Administrasi Kepulauan Seribu", "Provinsi Jawa Barat", "Kab. Toli-Toli",
         "Kabupaten Gunung Kidul", "Bumi Sérpong – Damai", "Kota", "Kab.", "  KOTA   BOGOR "]


@pytest.mark.parametrize(("name", "key", "kind"), [
    ("Kabupaten Bandung", "bandung", "kabupaten"),
    ("Kab. Bandung", "bandung", "kabupaten"),
    ("Kab.Bandung", "bandung", "kabupaten"),
    ("Kota Bandung", "bandung", "kota"),
    ("Kotamadya Bandung", "bandung", "kota"),
    ("Kodya Bandung", "bandung", "kota"),
    ("Kota Administrasi Jakarta Selatan", "jakarta selatan", "kota"),
    ("Kota Adm. Jakarta Selatan", "jakarta selatan", "kota"),
    ("Kabupaten Administrasi Kepulauan Seribu", "kepulauan seribu", "kabupaten"),
    ("Provinsi Jawa Barat", "jawa barat", None),
    ("Gunungkidul", "gunungkidul", None),
    ("Kotabaru", "kotabaru", None),
    ("Kota", "kota", None),
])
def test_every_prefix_form_is_one_name(name: str, key: str, kind: str | None) -> None:
    assert place_key(name) == key
    assert match_key(name) == key.replace(" ", "")
    assert kind_of(name) == kind


def test_matching_ignores_spaces_case_and_diacritics() -> None:
    assert match_key("Kabupaten Gunung Kidul") == match_key("kab. GUNUNGKIDUL") == "gunungkidul"
    assert match_key("Kota Bau-Bau") == match_key("Kota Baubau")
    assert match_key("Kabupaten Pidië") == "pidie"


def test_the_directory_sorts_kab_and_kota_with_their_place_whatever_the_prefix() -> None:
    """Before the rules were one, 'Kab. Bandung' and 'Kotamadya Bogor' sorted under K."""
    regions = [SimpleNamespace(name=n, type=t) for n, t in [
        ("Kotamadya Bogor", "kota"), ("Kota Bandung", "kota"), ("Kab. Bandung", "kabupaten"),
        ("Kabupaten Kepulauan Seribu", "kabupaten"), ("Kota Administrasi Jakarta Pusat", "kota"),
        ("Kabupaten Bekasi", "kabupaten"), ("Kota Kediri", "kota")]]
    ordered = [r.name for r in sorted(regions, key=region_sort_key)]  # type: ignore[arg-type]
    assert ordered == ["Kab. Bandung", "Kota Bandung", "Kabupaten Bekasi", "Kotamadya Bogor",
                       "Kota Administrasi Jakarta Pusat", "Kota Kediri", "Kabupaten Kepulauan Seribu"]


def _js_part(pattern: str) -> str:
    """One piece of search.js's source (the test fails when search.js no longer has it)."""
    found = re.search(pattern, SEARCH_JS.read_text(encoding="utf-8"), re.S)
    assert found, f"search.js no longer has {pattern!r}"
    return found.group(0)


def test_search_js_drops_the_same_prefix_words() -> None:
    listed = _js_part(r"var PREFIXES = \[[^\]]*\];")
    assert set(re.findall(r'"([a-z]+)"', listed)) == PREFIXES


def test_search_js_reads_a_query_as_the_index_keys_were_made() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (Debian: apt-get install nodejs)")
    script = "\n".join([
        _js_part(r"var PREFIXES = \[[^\]]*\];"),
        _js_part(r"function normalize\(text\) \{.*?\n  \}"),
        f"var names = {json.dumps(NAMES)};",
        "console.log(JSON.stringify(names.map(function (query) {",
        '  var full = normalize(query).split(" "), bare = full.slice();',
        _js_part(r"while \(bare\.length > 1 && PREFIXES[^\n]*"),
        '  return [normalize(query), bare.join(" ")];',
        "})));"])
    result = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [[normalize(n), place_key(n)] for n in NAMES]
