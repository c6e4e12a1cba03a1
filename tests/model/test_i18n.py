"""Interface strings are text with {name} placeholders, never format strings (the files are
checked in tests/content/test_strings.py)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml

from conftest import REPO
from kotacerdas.model import i18n
from kotacerdas.model.i18n import Catalogue, Formats, fill

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


def _formatted(t: Catalogue) -> list[str]:
    """Every kind of format a catalogue makes, a few times each."""
    day = dt.date(2021, 12, 31)
    return [t.date(day), t.date(day, "medium"), t.date(day, "month"), t.number(1234),
            t.number(1234.5), t.number(1.0), t.plural(1), t.plural(2), t.plural("1.234"),
            t.date(day), t.number(1234)]


def _no_babel() -> None:
    raise AssertionError("Babel was asked")


@pytest.mark.parametrize("language", ["id", "en"])
def test_what_an_earlier_build_formatted_comes_back_without_babel(
        monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    """A Formats from what another build made gives the very texts Babel gave, and never asks
    it (build/cache.py keeps them); another language's are other formats."""
    first = Catalogue(language, {}, formats=Formats())
    made = _formatted(first)
    assert made[:2] == (["31 Desember 2021", "31 Des 2021"] if language == "id" else
                        ["31 December 2021", "31 Dec 2021"])
    assert len(first.formats.used) == 9  # each asked for once, the repeats aside
    monkeypatch.setattr(i18n, "_babel", _no_babel)
    for module_cache in (i18n._date, i18n._number, i18n._locale):
        module_cache.cache_clear()
    again = Catalogue(language, {}, formats=Formats(first.formats.live(everything=True)))
    assert _formatted(again) == made
    other = "en" if language == "id" else "id"
    with pytest.raises(AssertionError, match="Babel was asked"):
        Catalogue(other, {}, formats=again.formats).date(dt.date(2021, 12, 31))


def test_a_number_is_formatted_by_its_value_and_its_type() -> None:
    """1, 1.0 and True are equal in Python, and a dictionary takes one for another: the key
    and the stored name carry the type."""
    t = Catalogue("id", {}, formats=Formats())
    assert [t.number(1), t.number(1.0), t.number(1.5)] == ["1", "1", "1,5"]
    assert len({name for name in t.formats.used if "\0n\0" in name}) == 3


def test_a_full_build_keeps_what_it_asked_for_and_an_incremental_one_the_rest_too() -> None:
    """``live``: a build that made every page asked for every format it needs, so what it did
    not ask for is dropped; one that made a few keeps the earlier builds' as well."""
    earlier = Catalogue("id", {}, formats=Formats())
    earlier.date(dt.date(2020, 1, 1))
    earlier.date(dt.date(2020, 1, 2))
    formats = Formats({**earlier.formats.live(everything=True), "broken": 3})
    assert "broken" not in formats.known  # only texts are formats
    now = Catalogue("id", {}, formats=formats)
    now.date(dt.date(2020, 1, 2))
    now.date(dt.date(2020, 1, 3))
    assert [v for v in formats.live(everything=True).values()] == ["2 Januari 2020",
                                                                   "3 Januari 2020"]
    assert sorted(formats.live(everything=False).values()) == [
        "1 Januari 2020", "2 Januari 2020", "3 Januari 2020"]
