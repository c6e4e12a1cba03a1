"""Interface strings are text with {name} placeholders, never format strings, and are checked
where they are written."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import REPO, FixtureSite
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


@pytest.mark.parametrize("text, shown", [
    ("{count:>5000000}", "{count:>5000000}"),            # the reported instance: 20 MB of spaces
    ("Ada {count.__class__.__mro__}", "{count.__class__.__mro__}"),   # Python's internals
    ("{0} berita", "{0}"), ("{count!r} berita", "{count!r}"), ("{count[0]} berita", "{count[0]}"),
    ("{{count}} berita", "{}"), ("berita }", "}"),
])
def test_a_format_string_is_reported_at_its_line(site: FixtureSite, text: str, shown: str) -> None:
    site.write("templates/strings/id.yaml", f"news_title: Berita\ntag_count: {yaml.safe_dump(text).strip()}\n")
    result = site.run("build", "--no-cache")
    assert result.returncode == 1
    assert f"templates/strings/id.yaml:2: 'tag_count' contains '{shown}', which is not a " \
           "placeholder: placeholders are written {name} only" in result.stderr
    assert not site.output.exists()


def test_a_plural_form_is_checked_at_its_own_line(site: FixtureSite) -> None:
    site.write("templates/strings/en.yaml",
               'tag_count:\n  one: "{count} item"\n  other: "{count:,} items"\n')
    result = site.run("build", "--no-cache")
    assert result.returncode == 1
    assert "templates/strings/en.yaml:3: 'tag_count' contains '{count:,}'" in result.stderr


def test_a_placeholder_the_string_is_not_given_is_reported_there(site: FixtureSite) -> None:
    """It used to fail at the template line (templates/tags.html:6), far from the mistake."""
    site.write("templates/strings/id.yaml", 'tag_count: "{jumlah} berita"\nnews_title: "{count}"\n')
    result = site.run("build", "--no-cache")
    assert result.returncode == 1
    assert "templates/strings/id.yaml:1: 'tag_count' uses {jumlah}, which this string is not " \
           "given; it can use {count}" in result.stderr
    assert "templates/strings/id.yaml:2: 'news_title' uses {count}, which this string is not " \
           "given; it can use no placeholders" in result.stderr
    assert "templates/tags.html" not in result.stderr


def test_a_valid_override_still_renders(site: FixtureSite) -> None:
    site.write("templates/strings/id.yaml", 'tag_count: "{count} pengumuman"\n')
    assert site.run("build", "--no-cache").returncode == 0
    assert "1 pengumuman" in (site.output / "topik" / "index.html").read_text(encoding="utf-8")
