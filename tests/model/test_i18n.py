"""Interface strings are text with {name} placeholders, never format strings (the files are
checked in tests/content/test_strings.py)."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import REPO
from kotacerdas.model.i18n import Catalogue, fill

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def builtin(language: str) -> dict:
    return yaml.safe_load((REPO / "templates" / "strings" / f"{language}.yaml").read_text("utf-8"))


def texts(entry: str | dict) -> list[str]:
    return list(entry.values()) if isinstance(entry, dict) else [entry]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_builtin_string_renders_as_it_did_with_format(language: str) -> None:
    """The same text as str.format gave, for numbers, words and the plural forms."""
    for key, entry in builtin(language).items():
        for text in texts(entry):
            for values in ({n: 1234 for n in PLACEHOLDER.findall(text)},
                           {n: f"<{n}> & “x”" for n in PLACEHOLDER.findall(text)}):
                if values:
                    assert fill(text, values) == text.format(**values), (key, text)


def test_the_builtin_languages_offer_the_same_placeholders() -> None:
    """What a string may use is its built-in text's placeholders: the two must agree."""
    english, indonesian = builtin("en"), builtin("id")
    assert english.keys() == indonesian.keys()
    for key in english:
        used = [{n for t in texts(e) for n in PLACEHOLDER.findall(t)} for e in (english[key], indonesian[key])]
        assert used[0] == used[1], key


def test_fill_knows_only_names() -> None:
    assert fill("{count} dari {total}", {"count": 3, "total": "5"}) == "3 dari 5"
    assert fill("{count:>9} {count.real} {0} {count!r}", {"count": 3}) == "{count:>9} {count.real} {0} {count!r}"
    with pytest.raises(KeyError):
        fill("{nope}", {"count": 1})
    assert Catalogue("id", {"x": "{count} berita"})("x") == "{count} berita"  # filled in by search.js
