"""What ``build`` keeps of each settled file between runs: its outcome, by its stamp.

The preview's memo (core/memo.py) keeps in memory the outcome of each file it read (the record
and the problems), by the file's settled stamp (read.by_stamp). ``build`` starts a new process
each time; a ``StoredMemo`` also finds those outcomes in what the last successful build saved
(build/cache.py keeps them, signed, in ``.build-cache/``), so an unchanged settled file is
stat'ed, not read. Only some kinds are kept (announcements, regions, the map's boundaries:
``STORED``), as JSON
(never pickle): the plain records of types.py field by field, dates, tuples, and nothing else.
So are the texts a build derives through ``Memo.text`` (an announcement's search entry, its
row of berita.json, the digest of what lists show of it), by their key, which names all they
are made from: a title edit makes the search index and berita.json from one new entry each.

A stamp names the file's path, device, inode, size and both times, and only a settled one is
ever a key (read.SETTLED_NS, git's rule for "racy" files): a file changed since, within the same
tick of the clock or not, or a stamp from another machine or checkout (another device or inode,
another change time, which nobody can set back) never matches. An entry that does not decode to
exactly what ``encode`` writes is a miss: the file is read.
"""

from __future__ import annotations

import binascii
import datetime as dt
import functools
import struct
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from kotacerdas.content.types import NewsItem, Participation, ProvinceShape, Region, Source
from kotacerdas.core.errors import Problem, Problems
from kotacerdas.core.jsontext import Texts
from kotacerdas.core.lazytext import Span, text_of
from kotacerdas.core.memo import Memo
from kotacerdas.core.records import fields

T = TypeVar("T")

NEWS = "news"
REGION = "region"
SHAPES = "province-shapes"
STORED = (NEWS, REGION, SHAPES)
"""The by_stamp kinds whose outcomes are kept (keyed by the kind, or by (kind, day)): thousands
of files each, or one that costs much to check (the map's boundaries)."""
_CLASSES: dict[str, type] = {c.__name__: c for c in (NewsItem, Region, Participation, Source,
                                                     ProvinceShape, Problem)}
_SCALARS = frozenset((str, int, float, bool, type(None)))
LONG_TEXT = 200
"""Strings this long or longer (an announcement's body and front matter) are stored apart
(``Texts``): the store keeps them as raw UTF-8, which reads several times faster than JSON."""


class Unstorable(Exception):
    """A value this module will not store (a type it cannot restore exactly)."""


def stored_name(key: Hashable) -> str | None:
    """The entry name of a memo key whose outcome is kept (a by_stamp key of a STORED kind),
    else None."""
    if type(key) is not tuple or len(key) != 2 or type(key[1]) is not tuple:
        return None
    head = _head(key[0])
    return None if head is None else _named(head, key[1])


def _head(what: object) -> str | None:
    """The start of the entry names of by_stamp's ``key`` ``what`` (its parts as text), or None
    for a kind that is not kept."""
    parts = what if type(what) is tuple else (what,)
    if not parts or parts[0] not in STORED:
        return None
    words = [p if type(p) is str else _iso(p) for p in parts
             if type(p) is str or type(p) is dt.date]  # (a list: this runs for every file)
    return "\0".join(words) if len(words) == len(parts) else None


def text_name(key: object) -> str | None:
    """The entry name of a ``Memo.text`` key (texts only; '=' first, which no by_stamp entry's
    name starts with), else None."""
    if type(key) is not tuple or len(key) < 2 or not all(type(part) is str for part in key):
        return None
    return "=" + "\0".join(key)


def _named(head: str, stamp: tuple[object, ...]) -> str:
    """An entry name: its head and the stamp's parts as text, joined by NUL (no path holds
    one)."""
    return head + ("\0%s" * len(stamp)) % stamp


@functools.lru_cache(maxsize=64)
def _iso(day: dt.date) -> str:
    """A day's ISO text, written once for the thousands of keys of one build's day."""
    return day.isoformat()


def encode(value: Any, texts: list[str] | None = None) -> Any:
    """An outcome as plain JSON data; raises Unstorable for anything decode cannot restore
    exactly. A date becomes {"d": ISO date}, a tuple {"t": [items]} (one of non-empty tuples of
    scalars {"w": [their length, the rows' items one after another]} when all are as long, which
    JSON reads as one flat list and zip cuts into rows: the map's 18,000 points in 9 ms, not 18;
    {"p": [their length, the items packed]} when every item is a float, see ``_packed``; else
    {"u": [rows]}), a record of types.py {"c": class name, "f": [its fields in order]}; with
    ``texts``, a string of LONG_TEXT characters or more is appended there and becomes
    {"s": its position}."""
    t = type(value)
    if t is str and texts is not None and len(value) >= LONG_TEXT:
        texts.append(value)
        return {"s": len(texts) - 1}
    if t in _SCALARS:
        return value
    if t is dt.date:
        return {"d": value.isoformat()}
    if t is tuple and value and all(type(v) is tuple and v and _SCALARS.issuperset(map(type, v))
                                    for v in value):  # rows of scalars (a ring of the map's points)
        width = len(value[0])
        if all(len(v) == width for v in value):
            flat = [x for v in value for x in v]
            if all(type(x) is float for x in flat):
                return {"p": [width, encode(_packed(flat), texts)]}
            return {"w": [width, *flat]}
        return {"u": [list(v) for v in value]}
    if t is tuple:
        return {"t": [encode(v, texts) for v in value]}
    if _CLASSES.get(t.__name__) is t:
        return {"c": t.__name__, "f": [encode(getattr(value, f.name), texts) for f in fields(t)]}
    raise Unstorable(t.__name__)


def _packed(floats: list[float]) -> str:
    """Floats as the base64 of their IEEE 754 doubles, little-endian: the map's points come back
    from it bit for bit, -0.0 and NaN too, and several times faster than JSON parses their
    digits (the real site's 36,000 coordinates: 7 ms of every cached build as JSON, 3 ms so,
    rows made)."""
    return binascii.b2a_base64(struct.pack("<%dd" % len(floats), *floats),
                               newline=False).decode("ascii")


def _unpacked(text: str, width: int) -> tuple[tuple[float, ...], ...]:
    """The rows of ``width`` floats of ``_packed``'s text; raises ValueError for a text it cannot
    have written."""
    data = binascii.a2b_base64(text, strict_mode=True)
    if not data or len(data) % (8 * width):
        raise ValueError("not packed rows")
    return tuple(struct.iter_unpack("<%dd" % width, data))


def decode(data: Any, texts: tuple[str, ...] = ()) -> Any:
    """The inverse of ``encode`` (``texts`` being what it appended); raises ValueError (or
    TypeError, IndexError) for anything it cannot have written."""
    return data if type(data) in _SCALARS else _decoded(data, texts)


def _decoded(data: Any, texts: tuple[str, ...]) -> Any:
    """decode for all but a scalar: the dict's one key (or its two) says the one way it can have
    been written, tested in the order of how often each comes (one call per dict, no more)."""
    if type(data) is not dict:
        raise ValueError("not an encoded value")
    if len(data) == 1:
        [(tag, inner)] = data.items()
        if tag == "t" and type(inner) is list:
            if _SCALARS.issuperset(map(type, inner)):
                return tuple(inner)
            return tuple([v if type(v) in _SCALARS else _decoded(v, texts) for v in inner])
        if tag == "s" and type(inner) is int and 0 <= inner < len(texts):
            return texts[inner]
        if tag == "d" and type(inner) is str:
            return _day(inner)
        if tag == "w" and type(inner) is list and len(inner) > 1 and type(inner[0]) is int \
                and inner[0] > 0 and (len(inner) - 1) % inner[0] == 0 \
                and _SCALARS.issuperset(map(type, inner)):
            items = iter(inner)
            next(items)  # the rows' length
            return tuple(zip(*[items] * inner[0]))
        if tag == "p" and type(inner) is list and len(inner) == 2 and type(inner[0]) is int \
                and inner[0] > 0:
            packed = decode(inner[1], texts)
            if type(packed) is str:
                return _unpacked(packed, inner[0])
        if tag == "u" and type(inner) is list and inner and all(
                type(r) is list and r and _SCALARS.issuperset(map(type, r)) for r in inner):
            return tuple([tuple(r) for r in inner])
        raise ValueError("not an encoded value")
    name = data.get("c")
    plan = _PLANS.get(name) if len(data) == 2 and type(name) is str else None
    values = data.get("f")
    if plan is None or type(values) is not list or len(values) != len(plan[1]):
        raise ValueError("not an encoded value")
    cls, names = plan
    made: Any = object.__new__(cls)  # the fields __init__ would set, in its order, without its call
    own = made.__dict__
    for field, v in zip(names, values):
        own[field] = v if type(v) in _SCALARS else _decoded(v, texts)
    return made


@functools.lru_cache(maxsize=4096)
def _day(text: str) -> dt.date:
    """The date of {"d": text}, exactly as isoformat writes it (fromisoformat takes other forms
    too); the same few thousand days come back in every announcement, so each is parsed once."""
    day = dt.date.fromisoformat(text)
    if day.isoformat() != text:
        raise ValueError("not an encoded date")
    return day


def _plan(cls: type) -> tuple[type, tuple[str, ...]]:
    """The class and its fields in order, for a record whose __init__ only sets its fields
    (decode sets them itself: no __post_init__, no field outside __init__; a record has no
    slots, so its __dict__ takes them)."""
    if hasattr(cls, "__post_init__") or not all(f.init for f in fields(cls)):
        raise TypeError(f"{cls.__name__} cannot be restored field by field")
    return cls, tuple(f.name for f in fields(cls))


_PLANS = {name: _plan(cls) for name, cls in _CLASSES.items()}
"""What decode makes of {"c": name, "f": values}: the class, and the fields the values are
for, in order."""


class StoredMemo(Memo):
    """A memo that also finds the outcomes an earlier build saved (``stored``: entry name →
    encoded (value, problems)), and records in ``used`` the entries this build asked for or
    made: what the next build may find."""

    def __init__(self, stored: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.stored = stored or {}
        self.used: dict[str, Any] = {}
        self._what: object = None
        self._head: str | None = None

    def _name(self, key: Hashable) -> str | None:
        """stored_name, its head worked out again only for another ``what`` than the last: a
        by_stamp loop asks with one key object for all its files, and the same object (kept
        alive here) has the same head (one is only made of str and date parts in a tuple,
        none of which can change)."""
        if type(key) is not tuple or len(key) != 2 or type(key[1]) is not tuple:
            return None
        what, stamp = key
        if what is not self._what:
            self._what, self._head = what, _head(what)
        return None if self._head is None else _named(self._head, stamp)

    def checked(self, key: Hashable, problems: Problems, make: Callable[[Problems], T]) -> T:
        """As Memo.checked; an outcome of a STORED kind comes from ``stored`` when it is there
        (its problems reported as if the file had been read), else it is made and recorded."""
        name = self._name(key)
        if name is None or Memo.has(self, key):  # the preview decodes it once
            if name is not None and name in self.stored:
                self.used[name] = self.stored[name]
            return super().checked(key, problems, make)
        entry = self.stored.get(name)
        restored = None if entry is None else _restore(entry)
        if restored is not None:
            self.used[name] = entry
            kept: T = self.take(key, restored, problems)
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

    def text(self, key: tuple[str, ...], make: Callable[[], str]) -> str:
        """As Memo.text; the text comes from ``stored`` when the last build kept it, and is
        recorded in ``used`` either way (a text of this build is kept for the next)."""
        name = text_name(key)
        if name is None:
            return super().text(key, make)
        entry = self.stored.get(name)
        kept: str | Span | None = entry if type(entry) in (str, Span) else None
        if kept is not None and not Memo.has(self, key):
            value = super().text(key, lambda: text_of(kept))
        else:
            value = super().text(key, make)
        self.used.setdefault(name, value if kept is None else kept)  # a Span: saved as its bytes
        return value

    def known_text(self, key: tuple[str, ...]) -> str | None:
        """As Memo.known_text; also a text the last build kept (not kept for the next by this)."""
        found = super().known_text(key)
        if found is not None:
            return found
        name = text_name(key)
        entry = self.stored.get(name) if name is not None else None
        return text_of(entry) if isinstance(entry, (str, Span)) else None

    def has(self, key: Hashable) -> bool:
        """As Memo.has; an outcome the last build saved is at hand too (read.by_stamp_ahead
        leaves its file to the serial loop, which restores it)."""
        return Memo.has(self, key) or (name := self._name(key)) is not None \
            and name in self.stored

    def settle(self) -> None:
        """As Memo.settle; what was stored is in memory from now on, and ``used`` was saved
        (pipeline: the cache is written before the build settles), so neither is kept."""
        super().settle()
        self.stored, self.used = {}, {}


def _restore(entry: Any) -> tuple[Any, tuple[Problem, ...]] | None:
    """(value, problems) from a stored entry, or None when it is not what StoredMemo.checked
    writes."""
    texts: tuple[str, ...] = ()
    if type(entry) is Texts:
        entry, texts = entry
    if type(entry) is not list or len(entry) != 2 or type(entry[1]) is not list:
        return None
    try:
        value = decode(entry[0], texts)
        found = tuple([_decoded(p, texts) for p in entry[1]]) if entry[1] else ()
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if found and any(type(p) is not Problem for p in found):
        return None
    return value, found
