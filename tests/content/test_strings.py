"""Interface-string files are read and checked by the content stage, where they are written:
a mistake is reported at its line, before any model is built."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, FixtureSite, spy
from kotacerdas.build import session
from kotacerdas.content.strings import read_strings
from kotacerdas.core.errors import ContentError, Problems


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


def test_earlier_folders_win_and_the_builtin_strings_say_what_each_may_use(tmp_path: Path) -> None:
    """Read from the folders alone: no model, no templates are needed to check them."""
    own = tmp_path / "templates"
    (own / "strings").mkdir(parents=True)
    (own / "strings" / "id.yaml").write_text('tag_count: "{count} pengumuman"\n'
                                             'news_title: "{jumlah}"\n', encoding="utf-8")
    problems = Problems(tmp_path)
    strings = read_strings("id", [own, REPO / "templates"], problems)
    assert strings["tag_count"] == "{count} pengumuman"
    assert strings["search_title"] == read_strings("id", [REPO / "templates"], Problems(REPO))[
        "search_title"]
    assert [str(p) for p in problems.items] == [(
        "templates/strings/id.yaml:2: 'news_title' uses {jumlah}, which this string is not given; "
        "it can use no placeholders")]


def test_a_strings_problem_stops_the_build_before_the_model(site: FixtureSite,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Found with the content problems: nothing downstream runs on strings that did not pass."""
    site.write("templates/strings/en.yaml", 'tag_count: "{count:,} items"\n')

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was built although the strings had a problem")

    monkeypatch.setattr(session, "build_model", no_model)
    with pytest.raises(ContentError) as caught:
        session.render_site(site.root)
    assert [str(p) for p in caught.value.problems] == [(
        "templates/strings/en.yaml:1: 'tag_count' contains '{count:,}', which is not a "
        "placeholder: placeholders are written {name} only, without ':', '.', '[' or '!' "
        "(e.g. {count}); other braces cannot be used")]


def test_settled_strings_are_read_once_and_an_edit_is_read_again(
        site: FixtureSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a memo (the preview's), a settled strings file is not read again, its problems
    are still reported on every build, and an edit or a file changed too recently to be known
    by its stamp is read afresh."""
    from kotacerdas.content import read, strings as module
    from kotacerdas.core.locations import template_dirs
    from kotacerdas.core.memo import Memo
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)  # every file counts as settled at once
    reads = spy(monkeypatch, module, "_read_strings", record=lambda language, *a: language)
    site.write("templates/strings/id.yaml", "news_title: Kabar {nama}\n")  # a wrong placeholder
    memo, dirs = Memo(), template_dirs(site.root)
    first = Problems(site.root)
    one = read_strings("id", dirs, first, memo=memo)
    again = Problems(site.root)
    assert read_strings("id", dirs, again, memo=memo) is one and reads == ["id"]
    assert first.items and again.items == first.items  # reported on every build
    site.write("templates/strings/id.yaml", "news_title: Kabar terbaru\n")
    fixed = Problems(site.root)
    assert read_strings("id", dirs, fixed, memo=memo)["news_title"] == "Kabar terbaru"
    assert reads == ["id", "id"] and not fixed.items
    monkeypatch.setattr(read, "SETTLED_NS", 10**18)  # nothing is settled: always read
    read_strings("id", dirs, Problems(site.root), memo=memo)
    read_strings("id", dirs, Problems(site.root), memo=memo)
    assert reads == ["id", "id", "id", "id"]
