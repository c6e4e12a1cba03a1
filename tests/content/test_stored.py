"""Outcomes kept between builds by stamp: they come back exactly, with their problems, or not at
all."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kotacerdas.content import stored
from kotacerdas.content.stored import StoredMemo, decode, encode, stored_name
from kotacerdas.content.types import NewsItem, Participation, ProvinceShape, Region, Source
from kotacerdas.core.errors import Problem, Problems
from kotacerdas.core.jsontext import Texts

DAY = dt.date(2026, 11, 28)
STAMP = ("site/content/news/a.md", 64769, 1234, 99, 1_000, 2_000)
ITEM = NewsItem(slug="a", title="Judul – é", date=dt.date(2021, 1, 2), summary="s",
                body="Isi\n\nbaris 🙂\n", path="content/news/2021-01-02-a.md",
                tags=("x",), regions=("kota-bandung",),
                sources=(Source("t", "https://e.org", None, dt.date(2020, 1, 1), "id"),),
                updated=dt.date(2021, 2, 3), digest="d", front_matter="---\ntitle: x\n---\n")
REGION = Region(slug="kota-bandung", name="Kota Bandung", type="kota", province="Jawa Barat",
                code="32.73", rounds=(Participation(2017), Participation(2018, note="n")),
                path="content/regions/kota-bandung.yaml", coordinates=(-6.91, 107.61),
                updated=None, digest="e")


SHAPES = ((ProvinceShape("32", "Jawa Barat", ((((106.5, -6.25), (107.0, -6.5), (108.0, -7.0),
                                                  (106.5, -6.25)),),)),), "digest")


@pytest.mark.parametrize("value", [None, (ITEM, (3,)), REGION, (REGION, 1.5, True, "x"), SHAPES,
                                   ((1, 2), ()), ((), (1,)), ((1,), ("a", None))])
def test_an_outcome_comes_back_equal_and_of_the_same_types(value: object) -> None:
    back = decode(json.loads(json.dumps(encode(value))))
    assert back == value and repr(back) == repr(value)


@pytest.mark.parametrize("value", [[1], {"a": 1}, dt.datetime(2021, 1, 1), Path("x")])
def test_what_cannot_come_back_exactly_is_not_stored(value: object) -> None:
    with pytest.raises(stored.Unstorable):
        encode(value)


@pytest.mark.parametrize("data", [[1], {"t": 1}, {"c": "Path", "f": []}, {"c": "Source", "f": []},
                                  {"u": []}, {"u": [[]]}, {"u": [[1, [2]]]}, {"u": [1]},
                                  {"c": "Source", "f": ["t"], "x": 1}, {"d": 5}])
def test_what_encode_cannot_have_written_does_not_decode(data: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        decode(data)


def test_only_outcomes_of_stored_kinds_are_kept() -> None:
    assert stored_name(((stored.NEWS, DAY), STAMP)) is not None
    assert stored_name(((stored.REGION, DAY), STAMP)) is not None
    assert stored_name((stored.SHAPES, STAMP)) is not None
    assert stored_name(("text", STAMP)) is None
    assert stored_name((("page", DAY), STAMP)) is None
    assert stored_name(((stored.NEWS, DAY), None)) is None


def test_a_stored_outcome_is_used_and_reports_its_problems(tmp_path: Path) -> None:
    key = ((stored.NEWS, DAY), STAMP)
    first = StoredMemo()
    problems = Problems(tmp_path)

    def make(found: Problems) -> object:
        found.add(tmp_path / "content/news/a.md", 4, "pesan")
        return (ITEM, (3,))

    assert first.checked(key, problems, make) == (ITEM, (3,))
    assert [str(p) for p in problems.items] == ["content/news/a.md:4: pesan"]
    saved = json.loads(json.dumps(first.used))
    again = StoredMemo(saved)
    for _ in range(2):
        problems = Problems(tmp_path)
        assert again.checked(key, problems, lambda found: pytest.fail("made again")) == \
            (ITEM, (3,))
        assert problems.items == [Problem("content/news/a.md", 4, "pesan")]
    assert again.used == saved, "what was used is what the next build keeps"


@pytest.mark.parametrize("entry", [None, [], [1], [encode(ITEM), [1]], [{"c": "Nope", "f": []}, []],
                                   [encode(ITEM), [{"c": "Source", "f": ["t", None, None, None,
                                                                         None]}]]])
def test_a_stored_entry_of_a_wrong_shape_is_made_again(tmp_path: Path, entry: object) -> None:
    key = ((stored.REGION, DAY), STAMP)
    memo = StoredMemo({stored_name(key): entry} if entry is not None else {})
    assert memo.checked(key, Problems(tmp_path), lambda found: REGION) == REGION
    assert memo.used == {stored_name(key): [encode(REGION), []]}


def test_other_keys_are_an_ordinary_memo(tmp_path: Path) -> None:
    memo = StoredMemo()
    assert memo.checked(("text", STAMP), Problems(tmp_path), lambda found: "teks") == "teks"
    assert memo.checked(("text", STAMP), Problems(tmp_path), lambda found: "lain") == "teks"
    assert memo.used == {}


def test_long_texts_are_stored_apart_and_come_back_through_a_store(tmp_path: Path) -> None:
    """An announcement's body and front matter (LONG_TEXT characters or more) leave the JSON for
    the store's raw text (build/cache.py reads that several times faster), and the outcome and
    its problems come back equal through a real store; short strings stay in the JSON."""
    from kotacerdas.build import cache

    long = NewsItem(**{**ITEM.__dict__, "body": "Isi \u2014 \U0001f642\n" * 40,
                       "front_matter": "---\ntitle: " + "x" * stored.LONG_TEXT + "\n---\n"})
    key = ((stored.NEWS, DAY), STAMP)
    first = StoredMemo()
    first.checked(key, Problems(tmp_path), lambda found: (long, (3,)))
    entry = first.used[stored_name(key)]
    assert type(entry) is Texts and entry.texts == (long.body, long.front_matter)
    assert long.title in json.dumps(entry.value, ensure_ascii=False)
    path = tmp_path / cache.FILES_FILE
    cache.read_store(path, cache.code_digest()).save(first.used)
    again = StoredMemo(cache.read_store(path, cache.code_digest()).items)
    back = again.checked(key, Problems(tmp_path), lambda found: pytest.fail("made again"))
    assert back == (long, (3,)) and repr(back) == repr((long, (3,)))


@pytest.mark.parametrize("texts", [(), ("a",)])
def test_a_reference_to_a_text_that_is_not_there_does_not_decode(texts: tuple) -> None:
    with pytest.raises((ValueError, TypeError)):
        decode({"c": "Source", "f": [{"s": 1}, None, None, None, "id"]}, texts)
