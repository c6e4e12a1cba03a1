"""Records: the package's data classes (typed fields, defaults, frozen, compared by value).

A record behaves as a ``dataclasses.dataclass(frozen=True)`` does: the same ``__init__``
signature and errors, ``==``, ``hash``, ordering on request, ``repr``, ``__post_init__``,
``field(default_factory=...)``, ``replace`` and ``fields``, and type checkers read it as a
dataclass (PEP 681). What it does not do is compile. Python 3.11's ``dataclasses`` writes six
methods of each frozen class out as source and compiles each one, about 1 ms a class on a
2-core machine, and importing it imports ``inspect`` (about 10 ms). A one-edit build defines 45
classes: 28-43 ms of a 0.4 s build, measured, before any work. A record compiles one method, its
``__init__``: that one runs for every item a build reads, so it is written out for speed.
Equality, hashing, ordering and ``repr`` are shared functions over the values of the fields.
``tests/core/test_records.py`` checks every behaviour against ``dataclasses`` itself.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, TypeVar, dataclass_transform, overload

C = TypeVar("C", bound=type)
T = TypeVar("T")

_MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "MISSING"})()
"""No default (a field must be given)."""
_FACTORY: Any = type("_Factory", (), {"__repr__": lambda self: "<factory>"})()
"""The default of a parameter whose field has a default_factory: call the factory."""


class FrozenError(AttributeError):
    """A field of a frozen record was assigned or deleted."""


class Field:
    """One field of a record: its name, default and whether __init__, repr and == use it."""

    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default: Any = _MISSING, default_factory: Any = _MISSING,
                 init: bool = True, repr: bool = True, compare: bool = True) -> None:
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("a field cannot have both a default and a default_factory")
        self.name = ""
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.compare = init, repr, compare

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, default={self.default!r}, init={self.init})"


@overload
def field(*, default: T, init: bool = True, repr: bool = True, compare: bool = True) -> T: ...
@overload
def field(*, default_factory: Callable[[], T], init: bool = True, repr: bool = True,
          compare: bool = True) -> T: ...
@overload
def field(*, init: bool = True, repr: bool = True, compare: bool = True) -> Any: ...
def field(*, default: Any = _MISSING, default_factory: Any = _MISSING, init: bool = True,
          repr: bool = True, compare: bool = True) -> Any:
    """A field with more than a plain default (as ``dataclasses.field``)."""
    return Field(default, default_factory, init, repr, compare)


@overload
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: C, /) -> C: ...
@overload
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(*, frozen: bool = True, order: bool = False) -> Callable[[C], C]: ...
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: Any = None, /, *, frozen: bool = True, order: bool = False) -> Any:
    """Make ``cls`` a record: frozen unless ``frozen=False`` (then unhashable, as a dataclass
    with eq), ordered by its fields' values when ``order=True``."""
    if cls is None:
        return lambda c: _make(c, frozen, order)
    return _make(cls, frozen, order)


def fields(thing: Any) -> tuple[Field, ...]:
    """The fields of a record or record class, in __init__'s order."""
    try:
        found: tuple[Field, ...] = thing.__record_fields__
    except AttributeError:
        raise TypeError(f"{thing!r} is not a record") from None
    return found


def is_record(thing: Any) -> bool:
    """Whether ``thing`` is a record or a record class."""
    return hasattr(thing, "__record_fields__")


def replace(item: T, /, **changes: Any) -> T:
    """A copy of ``item`` with ``changes`` (through __init__, so __post_init__ runs)."""
    for f in fields(item):
        if not f.init:
            if f.name in changes:
                raise ValueError(f"field {f.name} is set by __init__ itself and cannot be replaced")
        elif f.name not in changes:
            changes[f.name] = getattr(item, f.name)
    made: T = item.__class__(**changes)
    return made


# --- making a class a record ---------------------------------------------------------------------

def _make(cls: type, frozen: bool, order: bool) -> type:
    """Collect the fields, then add __init__ and the shared methods the class lacks."""
    own = cls.__dict__
    if "__slots__" in own:
        raise TypeError(f"{cls.__name__} has __slots__: a record keeps its fields in __dict__")
    found = _collect(cls)
    cls.__record_fields__ = found  # type: ignore[attr-defined]
    setattr(cls, "__match_args__", tuple(f.name for f in found if f.init))
    if "__init__" not in own:
        cls.__init__ = _init(cls, found)  # type: ignore[misc]
    shown = [f.name for f in found if f.repr]
    if "__repr__" not in own:
        cls.__repr__ = _repr(shown)  # type: ignore[assignment, method-assign]
    values = _values([f.name for f in found if f.compare])
    if "__eq__" not in own:
        cls.__eq__ = _eq(values)  # type: ignore[assignment, method-assign]
    if order:
        for name in ("__lt__", "__le__", "__gt__", "__ge__"):
            if name in own:
                raise TypeError(f"{cls.__name__} defines {name}: a record with order=True makes it")
            setattr(cls, name, _compare(name, values))
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if frozen:
        for name in ("__setattr__", "__delattr__"):
            if name in own:
                raise TypeError(f"{cls.__name__} defines {name}: a frozen record makes it")
        names = frozenset(f.name for f in found)
        cls.__setattr__ = _frozen_setattr(cls, names)  # type: ignore[assignment, method-assign]
        cls.__delattr__ = _frozen_delattr(cls, names)  # type: ignore[assignment, method-assign]
        if not explicit_hash:
            cls.__hash__ = _hash(values)  # type: ignore[assignment, method-assign]
    elif not explicit_hash:
        cls.__hash__ = None  # type: ignore[assignment]  # mutable and compared by value
    return cls


def _collect(cls: type) -> tuple[Field, ...]:
    """Fields of the record bases first, then the class's own annotations, in order; a class
    attribute holding a Field becomes its default (or goes), as with dataclasses."""
    collected: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get("__record_fields__", ()):
            collected[f.name] = f
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        kind = annotation if isinstance(annotation, str) else repr(annotation)
        if kind.startswith(("ClassVar", "typing.ClassVar")):
            continue
        if kind.startswith(("InitVar", "dataclasses.InitVar", "KW_ONLY", "dataclasses.KW_ONLY")):
            raise TypeError(f"{cls.__name__}.{name}: records have no {kind.split('[')[0]}")
        value = cls.__dict__.get(name, _MISSING)
        f = value if isinstance(value, Field) else Field(default=value)
        f.name = name
        if isinstance(value, Field):
            if f.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, f.default)
        if f.default is not _MISSING and f.default.__class__.__hash__ is None:
            raise ValueError(f"mutable default {type(f.default).__name__} for field {name} "
                             "is not allowed: use default_factory")
        collected[name] = f
    given = False
    for f in collected.values():
        if not f.init:
            continue
        if f.default is not _MISSING or f.default_factory is not _MISSING:
            given = True
        elif given:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    return tuple(collected.values())


def _init(cls: type, found: tuple[Field, ...]) -> Callable[..., None]:
    """Compile ``__init__``: each field stored straight into the instance's __dict__ (what
    ``object.__setattr__`` does for these plain classes, without a call per field)."""
    space: dict[str, Any] = {"__FACTORY": _FACTORY}
    params, body = ["self"], ["  __own = self.__dict__"]
    for f in found:
        if f.default is not _MISSING:
            space[f"__d_{f.name}"] = f.default
        if f.default_factory is not _MISSING:
            space[f"__f_{f.name}"] = f.default_factory
        if f.init:
            if f.default is not _MISSING:
                params.append(f"{f.name}=__d_{f.name}")
                value = f.name
            elif f.default_factory is not _MISSING:
                params.append(f"{f.name}=__FACTORY")
                value = f"__f_{f.name}() if {f.name} is __FACTORY else {f.name}"
            else:
                params.append(f.name)
                value = f.name
        elif f.default is not _MISSING:
            value = f"__d_{f.name}"
        elif f.default_factory is not _MISSING:
            value = f"__f_{f.name}()"
        else:
            continue  # set by __post_init__
        body.append(f"  __own[{f.name!r}] = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    exec(f"def __init__({', '.join(params)}):\n" + "\n".join(body) + "\n", space)
    made: Callable[..., None] = space["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    made.__module__ = cls.__module__
    return made


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The compared fields' values as a tuple (what a dataclass's __eq__ and __hash__ use)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda item: (one(item),)
    return lambda item: ()


def _repr(names: list[str]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({inner})"
    return __repr__


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, object], bool]:
    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            same: bool = values(self) == values(other)
            return same
        return NotImplemented
    return __eq__


def _compare(name: str, values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    test = getattr(tuple, name)

    def compare(self: Any, other: Any) -> Any:  # a bool, or NotImplemented
        if other.__class__ is self.__class__:
            result: bool = test(values(self), values(other))
            return result
        return NotImplemented
    compare.__name__ = name
    return compare


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))
    return __hash__


def _frozen_setattr(cls: type, names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]
    return __setattr__


def _frozen_delattr(cls: type, names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]
    return __delattr__
