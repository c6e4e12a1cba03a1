"""What ``build`` keeps of each settled file between runs: its outcome, by its stamp.

The preview's memo (core/memo.py) keeps in memory the outcome of each file it read (the record
and the problems), by the file's settled stamp (read.by_stamp). ``build`` starts a new process
each time; a ``StoredMemo`` also finds those outcomes in what the last successful build saved
(build/cache.py keeps them, signed, in ``.build-cache/``), so an unchanged settled file is
stat'ed, not read. Only some kinds are kept (announcements, regions, the map's boundaries:
``STORED``), as JSON
(never pickle): the plain dataclasses of types.py field by field, dates, tuples, and nothing else.

A stamp names the file's path, device, inode, size and both times, and only a settled one is
ever a key (read.SETTLED_NS, git's rule for "racy" files): a file changed since, within the same
tick of the clock or not, or a stamp from another machine or checkout (another device or inode,
another change time, which nobody can set back) never matches. An entry that does not decode to
exactly what ``encode`` writes is a miss: the file is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import fields
from typing import Any, TypeVar

from kotacerdas.content.types import NewsItem, Participation, ProvinceShape, Region, Source
from kotacerdas.core.errors import Problem, Problems
from kotacerdas.core.jsontext import Texts
from kotacerdas.core.memo import Memo

T = TypeVar("T")

NEWS = "news"
REGION = "region"
SHAPES = "province-shapes"
STORED = (NEWS, REGION, SHAPES)
"""The by_stamp kinds whose outcomes are kept (keyed by the kind, or by (kind, day)): thousands
of files each, or one that costs much to check (the map's boundaries)."""
_CLASSES: dict[str, type] = {c.__name__: c for c in (NewsItem, Region, Participation, Source,
                                                     ProvinceShape, Problem)}
_FIELDS = {name: len(fields(cls)) for name, cls in _CLASSES.items()}
_SCALARS = frozenset((str, int, float, bool, type(None)))
LONG_TEXT = 200
"""Strings this long or longer (an announcement's body and front matter) are stored apart
(``Texts``): the store keeps them as raw UTF-8, which reads several times faster than JSON."""


class Unstorable(Exception):
    """A value this module will not store (a type it cannot restore exactly)."""


def stored_name(key: Hashable) -> str | None:
    """The entry name of a memo key whose outcome is kept (a by_stamp key of a STORED kind),
    else None."""
    if type(key) is not tuple or len(key) != 2:
        return None
    what, stamp = key
    parts = what if type(what) is tuple else (what,)
    if not parts or parts[0] not in STORED or type(stamp) is not tuple \
            or not all(type(p) is str or type(p) is dt.date for p in parts):
        return None
    return "\0".join([*(p if type(p) is str else p.isoformat() for p in parts),
                       *map(str, stamp)])  # no path holds a NUL


def encode(value: Any, texts: list[str] | None = None) -> Any:
    """An outcome as plain JSON data; raises Unstorable for anything decode cannot restore
    exactly. A date becomes {"d": ISO date}, a tuple {"t": [items]} (one of non-empty tuples of
    scalars {"u": [rows]}), a dataclass of types.py {"c": class name, "f": [its fields in
    order]}; with ``texts``, a string of LONG_TEXT characters or more is appended there and
    becomes {"s": its position}."""
    t = type(value)
    if t is str and texts is not None and len(value) >= LONG_TEXT:
        texts.append(value)
        return {"s": len(texts) - 1}
    if t in _SCALARS:
        return value
    if t is dt.date:
        return {"d": value.isoformat()}
    if t is tuple and value and all(type(v) is tuple and v and _SCALARS.issuperset(map(type, v))
                                    for v in value):
        return {"u": [list(v) for v in value]}  # rows of scalars (a ring of the map's points)
    if t is tuple:
        return {"t": [encode(v, texts) for v in value]}
    if _CLASSES.get(t.__name__) is t:
        return {"c": t.__name__, "f": [encode(getattr(value, f.name), texts) for f in fields(t)]}
    raise Unstorable(t.__name__)


def decode(data: Any, texts: tuple[str, ...] = ()) -> Any:
    """The inverse of ``encode`` (``texts`` being what it appended); raises ValueError (or
    TypeError, IndexError) for anything it cannot have written."""
    t = type(data)
    if t in _SCALARS:
        return data
    if t is not dict:
        raise ValueError("not an encoded value")
    if len(data) == 1 and type(data.get("s")) is int and 0 <= data["s"] < len(texts):
        return texts[data["s"]]
    if len(data) == 1 and type(data.get("d")) is str:
        return dt.date.fromisoformat(data["d"])
    if len(data) == 1 and type(data.get("u")) is list:
        rows = data["u"]
        if not all(type(r) is list and r and _SCALARS.issuperset(map(type, r)) for r in rows) \
                or not rows:
            raise ValueError("not encoded rows")
        return tuple([tuple(r) for r in rows])
    if len(data) == 1 and type(data.get("t")) is list:
        return tuple([v if type(v) in _SCALARS else decode(v, texts) for v in data["t"]])
    name = data.get("c") if len(data) == 2 else None
    values = data.get("f")
    if name not in _CLASSES or type(values) is not list or len(values) != _FIELDS[name]:
        raise ValueError("not an encoded value")
    return _CLASSES[name](*[v if type(v) in _SCALARS else decode(v, texts) for v in values])


class StoredMemo(Memo):
    """A memo that also finds the outcomes an earlier build saved (``stored``: entry name →
    encoded (value, problems)), and records in ``used`` the entries this build asked for or
    made: what the next build may find."""

    def __init__(self, stored: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.stored = stored or {}
        self.used: dict[str, Any] = {}

    def checked(self, key: Hashable, problems: Problems, make: Callable[[Problems], T]) -> T:
        """As Memo.checked; an outcome of a STORED kind comes from ``stored`` when it is there
        (its problems reported as if the file had been read), else it is made and recorded."""
        name = stored_name(key)
        if name is None or Memo.has(self, key):  # the preview decodes it once
            if name is not None and name in self.stored:
                self.used[name] = self.stored[name]
            return super().checked(key, problems, make)
        restored = _restore(self.stored.get(name))
        if restored is not None:
            self.used[name] = self.stored[name]
            value, found = restored
            kept: T = super().checked(key, problems,
                                      lambda collector: _replay(value, found, collector))
            return kept
        collector = Problems(problems.root)
        made = super().checked(key, collector, make)
        problems.items.extend(collector.items)
        texts: list[str] = []
        try:
            entry = [encode(made, texts), [encode(p, texts) for p in collector.items]]
        except (Unstorable, RecursionError):
            return made
        self.used[name] = Texts(entry, tuple(texts)) if texts else entry
        return made

    def has(self, key: Hashable) -> bool:
        """As Memo.has; an outcome the last build saved is at hand too (read.by_stamp_ahead
        leaves its file to the serial loop, which restores it)."""
        return Memo.has(self, key) or (name := stored_name(key)) is not None \
            and name in self.stored

    def settle(self) -> None:
        """As Memo.settle; what was stored is in memory from now on, and ``used`` was saved
        (pipeline: the cache is written before the build settles), so neither is kept."""
        super().settle()
        self.stored, self.used = {}, {}


def _restore(entry: Any) -> tuple[Any, list[Problem]] | None:
    """(value, problems) from a stored entry, or None when it is absent or not what
    StoredMemo.checked writes."""
    texts: tuple[str, ...] = ()
    if type(entry) is Texts:
        entry, texts = entry
    if type(entry) is not list or len(entry) != 2 or type(entry[1]) is not list:
        return None
    try:
        value = decode(entry[0], texts)
        found = [decode(p, texts) for p in entry[1]]
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if any(type(p) is not Problem for p in found):
        return None
    return value, found


def _replay(value: T, found: list[Problem], problems: Problems) -> T:
    """A restored outcome, its problems recorded as the file's own."""
    problems.items.extend(found)
    return value
