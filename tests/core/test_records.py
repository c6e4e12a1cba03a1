"""Records behave as frozen dataclasses do: each behaviour is compared with ``dataclasses``
itself, on twin classes declared the same way."""

from __future__ import annotations

import copy
import dataclasses
import functools
import pickle
from typing import Any, ClassVar  # noqa: F401  (dataclasses reads "ClassVar[str]" through this name)

import pytest

from kotacerdas.core.records import FrozenError, field, fields, is_record, record, replace

def _twins(**options: Any) -> tuple[type, type]:
    """The same class made a record and a dataclass (frozen unless options say otherwise)."""
    def body(cls: type) -> None:
        cls.__annotations__ = {"a": "int", "b": "str", "c": "tuple[int, ...]", "d": "float",
                               "kind": "ClassVar[str]"}
        cls.b = "b"  # type: ignore[attr-defined]
        cls.c = None  # replaced below by each library's field
        cls.d = 0.5  # type: ignore[attr-defined]
        cls.kind = "shared"  # type: ignore[attr-defined]

    frozen, order = options.get("frozen", True), options.get("order", False)

    class R:
        """A record."""
    body(R)
    R.c = field(default_factory=tuple)  # type: ignore[attr-defined]

    class D:
        """A dataclass."""
    body(D)
    D.c = dataclasses.field(default_factory=tuple)  # type: ignore[attr-defined]
    return (record(frozen=frozen, order=order)(R),
            dataclasses.dataclass(frozen=frozen, order=order)(D))


@pytest.mark.parametrize("args,kwargs", [((1,), {}), ((1, "x"), {}), ((1,), {"d": 2.0}),
                                         ((), {"a": 3, "c": (1, 2)}), ((1, "x", (4,), 0.25), {})])
def test_init_defaults_equality_hash_and_repr_are_a_dataclasss(args: tuple, kwargs: dict) -> None:
    R, D = _twins()
    r, d = R(*args, **kwargs), D(*args, **kwargs)
    assert vars(r) == vars(d) and list(vars(r)) == list(vars(d))
    assert repr(r).replace("R(", "D(", 1) == repr(d)
    assert r == R(*args, **kwargs) and hash(r) == hash(R(*args, **kwargs))
    assert hash(r) == hash(dataclasses.astuple(d))  # the same tuple of values
    assert r != R(9) and r != d and (r == object()) is False
    assert R.kind == "shared" and "kind" not in vars(r)
    assert [f.name for f in fields(R)] == [f.name for f in dataclasses.fields(D)]
    assert R.__match_args__ == D.__match_args__  # type: ignore[attr-defined]


@pytest.mark.parametrize("args,kwargs", [((), {}), ((1, "x", (), 1.0, 5), {}), ((1,), {"e": 1}),
                                         ((1,), {"a": 1})])
def test_a_wrong_call_fails_as_a_dataclasss_does(args: tuple, kwargs: dict) -> None:
    R, D = _twins()
    with pytest.raises(TypeError) as made:
        R(*args, **kwargs)
    with pytest.raises(TypeError) as expected:
        D(*args, **kwargs)
    assert str(made.value).replace(".R.", ".D.") == str(expected.value)


def test_a_frozen_record_refuses_assignment_and_deletion() -> None:
    R, _ = _twins()
    r = R(1)
    for change in (lambda: setattr(r, "a", 2), lambda: setattr(r, "new", 2),
                   lambda: delattr(r, "a")):
        with pytest.raises(FrozenError):
            change()
    assert r.a == 1 and isinstance(FrozenError("x"), AttributeError)


def test_a_mutable_record_changes_and_is_unhashable() -> None:
    R, D = _twins(frozen=False)
    r = R(1)
    r.a = 2
    assert r == R(2) and R.__hash__ is None and D.__hash__ is None


def test_order_is_the_fields_values_in_order() -> None:
    R, D = _twins(order=True)
    values = [(2, "a"), (1, "z"), (1, "b"), (2, "a", (1,))]
    assert [tuple(vars(x).values()) for x in sorted(R(*v) for v in values)] == \
        [tuple(vars(x).values()) for x in sorted(D(*v) for v in values)]
    assert (R(1) <= R(1)) and (R(2) > R(1)) and not (R(1) >= R(2))
    with pytest.raises(TypeError):
        R(1) < D(1)


def test_replace_and_fields() -> None:
    R, _ = _twins()
    r = R(1, "x")
    assert replace(r, b="y") == R(1, "y") and replace(r) == r and replace(r) is not r
    assert [f.name for f in fields(r)] == ["a", "b", "c", "d"]
    assert is_record(R) and is_record(r) and not is_record(object())
    with pytest.raises(TypeError):
        fields(object())


def test_a_field_outside_init_and_post_init() -> None:
    @record
    class Counted:
        """A record whose __post_init__ sets what __init__ leaves out."""
        text: str
        size: int = field(init=False, compare=False, repr=False)
        seen: tuple[str, ...] = field(init=False, default=())

        def __post_init__(self) -> None:
            object.__setattr__(self, "size", len(self.text))

    c = Counted("abc")
    assert (c.size, c.seen, repr(c)) == (3, (), "test_a_field_outside_init_and_post_init."
                                                 "<locals>.Counted(text='abc', seen=())")
    assert replace(c, text="ab").size == 2 and c == Counted("abc")
    with pytest.raises(ValueError):
        replace(c, size=1)


def test_cached_property_copy_and_pickle() -> None:
    c = Picklable(2)
    assert c.doubled == 4 and vars(c)["doubled"] == 4  # cached in the frozen record's __dict__
    for back in (pickle.loads(pickle.dumps(Picklable(2))), copy.copy(c), copy.deepcopy(c)):
        assert back == Picklable(2) and type(back) is Picklable
        with pytest.raises(FrozenError):
            back.n = 3  # type: ignore[misc]


@record
class Picklable:
    """Module level, so pickle finds it."""
    n: int

    @functools.cached_property
    def doubled(self) -> int:
        return self.n * 2


def test_records_refuse_what_dataclasses_refuse_and_what_they_do_not_support() -> None:
    with pytest.raises(ValueError):
        @record
        class Shared:
            items: list[int] = []
    with pytest.raises(TypeError):
        @record
        class Misordered:
            a: int = 1
            b: int  # type: ignore[misc]
    with pytest.raises(TypeError):
        @record
        class Slotted:
            __slots__ = ("a",)
            a: int
    with pytest.raises(TypeError):
        @record(order=True)
        class Ordered:
            a: int

            def __lt__(self, other: object) -> bool:
                return True
    with pytest.raises(ValueError):
        field(default=1, default_factory=int)


def test_a_subclass_adds_its_fields_after_its_bases() -> None:
    @record
    class Base:
        a: int
        b: int = 0

    @record
    class Child(Base):
        c: int = 1

    assert [f.name for f in fields(Child)] == ["a", "b", "c"]
    assert Child(1, 2, 3) == Child(1, 2, 3) != Base(1, 2)
    assert vars(Child(5)) == {"a": 5, "b": 0, "c": 1}

