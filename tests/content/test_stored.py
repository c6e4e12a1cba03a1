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
from kotacerdas.build import cache
from kotacerdas.core import lazytext, records
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
                                   ((1, 2), ()), ((), (1,)), ((1,), ("a", None)),
                                   ((1, 2), (3,)), ((1, 2, 3), (4, 5, 6)), ((True,), (None,)),
                                   (("a", 1.5), ("b", -0.0)), ((1,),)])
def test_an_outcome_comes_back_equal_and_of_the_same_types(value: object) -> None:
    back = decode(json.loads(json.dumps(encode(value))))
    assert back == value and repr(back) == repr(value)


def test_rows_of_one_length_are_kept_as_one_flat_list() -> None:
    """The map's rings (every point a pair of floats) are one packed text each, which reads
    fastest; rows of one length that are not all floats are one JSON list; rows of several
    lengths keep their own lists."""
    assert encode(((1.5, 2.5), (3.5, 4.5))) == {"p": [2, stored._packed([1.5, 2.5, 3.5, 4.5])]}
    assert encode(((1, 2.5), (3.5, 4.5))) == {"w": [2, 1, 2.5, 3.5, 4.5]}
    assert encode(((True, 2.5),)) == {"w": [2, True, 2.5]}
    assert encode(((1, 2), (3,))) == {"u": [[1, 2], [3]]}
    text = json.dumps(encode(SHAPES))
    assert text.count('"p"') == 1 and '"w"' not in text and '"u"' not in text


@pytest.mark.parametrize("rows", [((1.5, -0.0), (float("inf"), -float("inf"))),
                                  ((5e-324, 1.7976931348623157e308, 0.1),),
                                  tuple((i / 7, -i / 3) for i in range(400))])
def test_packed_floats_come_back_bit_for_bit(rows: tuple[tuple[float, ...], ...]) -> None:
    """Through a store's JSON, long packed texts kept apart: the same doubles, -0.0 and the
    extremes included (and NaN, whose bits compare where its value does not)."""
    import struct

    for value in (rows, ((float("nan"), 1.0),)):
        texts: list[str] = []
        back = decode(json.loads(json.dumps(encode(value, texts))), tuple(texts))
        assert [struct.pack("<d", x) for row in back for x in row] == \
            [struct.pack("<d", x) for row in value for x in row]
        assert [len(row) for row in back] == [len(row) for row in value]
    texts = []
    encode(rows, texts)
    assert bool(texts) == (len(rows) == 400)  # a long packed text is stored apart


def test_a_derived_text_is_kept_by_its_key_for_the_next_build(tmp_path: Path) -> None:
    """Memo.text: what one build makes is in ``used`` under a name no by_stamp entry has; a
    StoredMemo of the next build (read back through a store, so as a Span) hands it out without
    making it, and keeps it for the build after; a key that is not all texts is not kept."""
    key = ("search-entry", "digest", "/", "", "id")
    first = StoredMemo()
    assert first.text(key, lambda: '{"t":"Judul – é"}') == '{"t":"Judul – é"}'
    assert first.text(("search-entry", 1), lambda: "x") == "x"
    [name] = first.used
    assert name == stored.text_name(key) and name.startswith("=")
    assert stored.stored_name(((stored.NEWS, DAY), STAMP)) != name
    store = cache.Store(tmp_path / "files.jsonl", "code")
    store.save(first.used)
    back = cache.read_store(tmp_path / "files.jsonl", "code").items
    assert type(back[name]) is lazytext.Span
    second = StoredMemo(back)
    assert second.text(key, lambda: pytest.fail("made again")) == '{"t":"Judul – é"}'
    assert second.used == {name: back[name]}
    assert second.text(("search-entry", "other", "/", "", "id"), lambda: "new") == "new"
    third = StoredMemo(back)
    assert third.known_text(key) == '{"t":"Judul – é"}' and third.used == {}  # found, not kept
    assert third.known_text(("search-entry", "none", "/", "", "id")) is None


@pytest.mark.parametrize("value", [[1], {"a": 1}, dt.datetime(2021, 1, 1), Path("x")])
def test_what_cannot_come_back_exactly_is_not_stored(value: object) -> None:
    with pytest.raises(stored.Unstorable):
        encode(value)


@pytest.mark.parametrize("data", [[1], {"t": 1}, {"c": "Path", "f": []}, {"c": "Source", "f": []},
                                  {"u": []}, {"u": [[]]}, {"u": [[1, [2]]]}, {"u": [1]},
                                  {"w": [2]}, {"w": [2, 1, 2, 3]}, {"w": [0]}, {"w": [1, [2]]},
                                  {"w": [True, 1]}, {"w": [1.0, 1]}, {"w": [-1, 1]}, {"w": 2},
                                  {"p": [2]}, {"p": [2, 5]}, {"p": [0, "AAAAAAAA8D8="]},
                                  {"p": [True, "AAAAAAAA8D8="]}, {"p": [1.0, "AAAAAAAA8D8="]},
                                  {"p": [-1, "AAAAAAAA8D8="]}, {"p": [2, "AAAAAAAA8D8="]},
                                  {"p": [1, "AAAAAAAA8D"]}, {"p": [1, "AAAAAAAA8D8"]},
                                  {"p": [1, "AAAA"]}, {"p": [1, ""]}, {"p": [1, "AAAAAAAA8D8=="]},
                                  {"p": [1, "AAAAAAAA 8D8="]}, {"p": [1, "ÄAAAAAAA8D8="]},
                                  {"p": [1, {"t": []}]}, {"p": [1, {"s": 0}]},
                                  {"p": "AAAAAAAA8D8="}, {"p": [1, "AAAAAAAA8D8=", 1]},
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


def _twin_checks(back: object, read: object) -> None:
    """``back`` cannot be told from ``read``: equal, same hash, repr, type, fields (in their
    order) and a working records.replace, all the way down."""
    assert type(back) is type(read) and back == read and hash(back) == hash(read)
    assert repr(back) == repr(read)
    if records.is_record(read):
        assert list(vars(back).items()) == list(vars(read).items())
        assert records.replace(back) == read
        for f in records.fields(read):
            _twin_checks(getattr(back, f.name), getattr(read, f.name))
    elif type(read) is tuple:
        for b, r in zip(back, read):  # type: ignore[call-overload]
            _twin_checks(b, r)


@pytest.mark.parametrize("value", [ITEM, REGION, SHAPES[0][0], Problem("a.md", 3, "pesan"),
                                   Source("t", "https://e.org", None, dt.date(2020, 1, 1))])
def test_a_restored_record_is_the_read_one_in_every_way(value: object) -> None:
    """Restored without its __init__ (stored.py sets the fields itself): nothing tells it from
    the record made by reading the file, and it stays frozen."""
    texts: list[str] = []
    back = decode(json.loads(json.dumps(encode(value, texts))), tuple(texts))
    _twin_checks(back, value)
    with pytest.raises(records.FrozenError):
        back.path = "x"  # type: ignore[attr-defined]


def test_only_classes_whose_init_just_sets_their_fields_are_restored_field_by_field() -> None:
    @records.record
    class Checked:
        a: int

        def __post_init__(self) -> None:
            pass

    @records.record
    class Derived:
        a: int
        b: int = records.field(init=False, default=0)

    for cls in (Checked, Derived):
        with pytest.raises(TypeError):
            stored._plan(cls)


_ITEM_FIELDS = encode(ITEM)["f"]


@pytest.mark.parametrize("data", [
    {}, {"x": 1}, {"s": 1}, {"s": -1}, {"s": True}, {"s": 0.0}, {"s": "0"}, {"d": "20210102"},
    {"d": "2021-W01-1"}, {"d": "2021-1-2"}, {"d": None}, {"t": "ab"}, {"t": [[1]]},
    {"t": [(1,)]}, {"t": [{"x": 1}]}, {"u": [[1], []]}, {"u": [[1], 2]}, {"u": "ab"},
    {"w": [2, 1]}, {"w": [1, {"x": 1}]}, {"w": []}, {"w": "ab"},
    {"t": [1], "d": "2021-01-02"}, {"c": 1, "f": []}, {"c": ["Source"], "f": ["t"] * 5},
    {"c": "Source", "g": ["t"] * 5}, {"c": "Source", "f": ("t",) * 5},
    {"c": "NewsItem", "f": _ITEM_FIELDS[:-1]}, {"c": "NewsItem", "f": [*_ITEM_FIELDS, None]},
    {"c": "Source", "f": ["t", None, None, {"d": "x"}, None]},
    {"c": "Source", "f": ["t", None, None, [2020], None]},
    {"c": "Source", "f": ["t", None, None, dt.date(2020, 1, 1), None]}])
def test_each_shape_encode_cannot_have_written_does_not_decode(data: object) -> None:
    """Every way a stored value can be wrong, one by one (a date in another ISO form, a text
    reference out of range or not an int, a class of too few or too many fields, a value that
    is no JSON): none decodes."""
    with pytest.raises((ValueError, TypeError)):
        decode(data, ("a",))


@pytest.mark.parametrize("entry", [
    [{"t": [{"c": "Nope", "f": []}]}, []], [encode(REGION), [{"s": 0}]], [encode(REGION), {}],
    [encode(REGION), [encode(Problem("a", 1, "m")), 1]], [encode(REGION), [], []],
    Texts([encode(REGION), [{"s": 1}]], ("a",)), Texts([{"s": 1}, []], ("a",)),
    [{"c": "Region", "f": [*encode(REGION)["f"][:-1], [1]]}, []]])
def test_a_malformed_entry_of_each_shape_is_read_again(tmp_path: Path, entry: object) -> None:
    key = ((stored.REGION, DAY), STAMP)
    memo = StoredMemo({stored_name(key): entry})
    problems = Problems(tmp_path)
    assert memo.checked(key, problems, lambda found: REGION) == REGION
    assert problems.items == []
    assert memo.used == {stored_name(key): [encode(REGION), []]}, "the entry made now is kept"


@pytest.mark.parametrize("key", [
    ((stored.NEWS, DAY), STAMP), ((stored.REGION, DAY), STAMP), (stored.SHAPES, STAMP),
    ((stored.NEWS, DAY, "x"), STAMP), ((stored.NEWS,), STAMP), ((stored.NEWS, DAY), ()),
    ((stored.NEWS, DAY), ("a", 1.5, None, True)), ((), STAMP), ((stored.NEWS, 1), STAMP),
    ((stored.NEWS, dt.datetime(2026, 1, 1)), STAMP), (("text", DAY), STAMP), (stored.NEWS,),
    "news", ((stored.NEWS, DAY), [1])])
def test_an_entry_name_is_the_parts_and_the_stamp_joined(key: object) -> None:
    """The names the store keeps (written by earlier builds, read by the next) are as they were:
    a STORED key's parts and stamp, as text, joined by NUL; any other key has none."""
    if type(key) is not tuple or len(key) != 2:
        assert stored_name(key) is None
        return
    what, stamp = key
    parts = what if type(what) is tuple else (what,)
    ok = bool(parts) and parts[0] in stored.STORED and type(stamp) is tuple \
        and all(type(p) in (str, dt.date) for p in parts)
    assert stored_name(key) == ("\0".join([*(p if type(p) is str else p.isoformat()
                                             for p in parts), *map(str, stamp)])
                                if ok else None)


def test_a_memo_names_each_entry_as_stored_name_does_whatever_kind_came_before(
        tmp_path: Path) -> None:
    """StoredMemo works an entry name's head out once per kind of key in a row: keys of several
    kinds, each its own object or an equal one, in turn, are named as stored_name names them."""
    memo = StoredMemo()
    keys = [((stored.NEWS, DAY), STAMP), ((stored.REGION, DAY), STAMP), (("text", DAY), STAMP),
            ((stored.NEWS, DAY), (*STAMP[:-1], 3)), (stored.SHAPES, STAMP), ("text", STAMP),
            ((stored.NEWS, dt.date(2026, 11, 29)), STAMP), ((stored.NEWS, DAY), ("b", 1))]
    for key in keys:
        memo.checked(key, Problems(tmp_path), lambda found: 1)
    assert memo.used == {stored_name(k): [1, []] for k in keys if stored_name(k) is not None}
    assert len(memo.used) == 6
