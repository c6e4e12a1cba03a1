"""Compact JSON: no spaces, non-ASCII kept, the same text for the same data."""

from __future__ import annotations

import json

from kotacerdas.core.jsontext import compact_json


def test_compact_json_has_no_spaces_and_keeps_unicode() -> None:
    data = {"nama": "Kab. Bandung", "tahun": [2017, 2018], "catatan": "“belum” — é"}
    text = compact_json(data)
    assert text == '{"nama":"Kab. Bandung","tahun":[2017,2018],"catatan":"“belum” — é"}'
    assert json.loads(text) == data
