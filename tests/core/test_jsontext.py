"""JSON text: compact (no spaces, non-ASCII kept), and indented exactly as json.dumps does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import write_site
from kotacerdas.core.jsontext import compact_json, pretty_json


def test_compact_json_has_no_spaces_and_keeps_unicode() -> None:
    data = {"nama": "Kab. Bandung", "tahun": [2017, 2018], "catatan": "“belum” — é"}
    text = compact_json(data)
    assert text == '{"nama":"Kab. Bandung","tahun":[2017,2018],"catatan":"“belum” — é"}'
    assert json.loads(text) == data

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
            | st.text() | st.sampled_from(["\ud800", "\u2028", "é\"\\\n\t\x00", ""]))
_KEYS = st.text() | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner) | st.tuples(inner, inner)
                     | st.dictionaries(_KEYS, inner), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_pretty_json_is_exactly_the_standard_librarys_indented_text(data: object) -> None:
    assert pretty_json(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_pretty_json_writes_a_sites_json_files_as_json_dumps_does(tmp_path: Path) -> None:
    """Every JSON file of a built site (downloads, feeds), read back and written again, is the
    same text."""
    from kotacerdas.build.session import render_site
    rendered, _ = render_site(write_site(tmp_path).root)
    files = [rel for rel in rendered.kept if rel.endswith(".json")]
    assert any(rel.endswith("data/datapackage.json") for rel in files) and len(files) > 5
    for rel in files:
        data = json.loads(rendered.kept[rel])
        assert pretty_json(data) == json.dumps(data, ensure_ascii=False, indent=2), rel


def test_pretty_json_refuses_what_json_cannot_hold() -> None:
    for bad in ({"a": {1, 2}}, [object()], {(1, 2): "tuple key"}):
        with pytest.raises(TypeError):
            json.dumps(bad, ensure_ascii=False, indent=2)
        with pytest.raises(TypeError):
            pretty_json(bad)
