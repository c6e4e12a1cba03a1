"""Parsed YAML kept between builds: an unchanged file is neither parsed nor validated again.

Entries are keyed by a digest of the exact YAML text (and the line it starts on), so an entry can
only ever stand for the text it was made from. An entry holds the parsed data in a JSON form that
keeps every type (dates, times, numbers, booleans, non-text keys) and every line number
(``LineDict``/``LineList``), and the schemas the data already passed. Only text that parsed without
any problem is stored; a file with a YAML problem is parsed again on every build, so its messages
are exactly those of a build without cache, and so are the messages of a schema check that fails
(the check runs again on the restored data, which is equal to freshly parsed data, lines included).
Cross-file checks never come from here: they run over everything on every build. Entries come
back only when signed with this user's key (``cache.Seal``), and one that does not decode to
exactly the shape ``encode`` writes is a miss: the file is parsed again.
"""

from __future__ import annotations

import datetime as dt
import json
import weakref
from typing import Any, Callable, TypeVar

from kotacerdas.content.yamlsafe import LineDict, LineList
from kotacerdas.core.digest import digest_of
from kotacerdas.core.jsontext import compact_json

T = TypeVar("T")


class Unstorable(Exception):
    """Data this module will not store (an unusual YAML type, or one object reachable twice)."""


def key_of(text: str, offset: int) -> str:
    """The entry key of some YAML text starting ``offset`` lines down its file."""
    return digest_of(f"{offset}\0{text}")


_SCALARS = frozenset((str, int, float, bool, type(None)))


def encode(data: Any) -> Any:
    """Parsed YAML → plain JSON data; raises Unstorable for anything it cannot restore exactly.

    Scalars stay as they are; a mapping becomes {"m": [line, key, value, key line, …]}, a
    sequence {"s": [line, item, item line, …]}, a date {"d": "2021-12-31"}, a date with a time
    {"t": ISO 8601}. Flat lists keep the file small and quick to read.
    """
    seen: set[int] = set()

    def enc(x: Any) -> Any:
        t = type(x)
        if t in _SCALARS:
            return x
        if t is dt.date:
            return {"d": x.isoformat()}
        if t is dt.datetime:
            return {"t": x.isoformat()}
        if id(x) in seen:
            raise Unstorable("shared")
        seen.add(id(x))
        if t is LineDict:
            flat = [x.line]
            lines = x.lines
            for k, v in x.items():
                flat += (enc(k), enc(v), lines.get(k))
            return {"m": flat}
        if t is LineList:
            if len(x.lines) != len(x):
                raise Unstorable("lines")
            flat = [x.line]
            for v, line in zip(x, x.lines):
                flat += (enc(v), line)
            return {"s": flat}
        raise Unstorable(t.__name__)

    return enc(data)


_new_dict = dict.__new__
_new_list = list.__new__


def decode(data: Any) -> Any:
    """The inverse of ``encode``: fresh objects, equal to the parsed ones, lines included.

    Raises ValueError (or TypeError) for anything ``encode`` cannot have written: a restored
    entry has exactly the shape of freshly parsed data, or it is not restored at all.
    """
    if type(data) is not dict:
        if type(data) in _SCALARS:
            return data
        raise ValueError("not an encoded value")
    if len(data) != 1:
        raise ValueError("not an encoded value")
    flat = data.get("m")
    if flat is not None:
        if type(flat) is not list or len(flat) % 3 != 1 or type(flat[0]) is not int:
            raise ValueError("not an encoded mapping")
        out = _new_dict(LineDict)
        lines: dict[Any, int] = {}
        it = iter(flat)
        out.line = next(it)
        for k, v, line in zip(it, it, it):
            if type(k) is dict:
                k = decode(k)
            out[k] = v if type(v) in _SCALARS else decode(v)
            if line is not None:
                if type(line) is not int:
                    raise ValueError("not a line number")
                lines[k] = line
        out.lines = lines
        return out
    flat = data.get("s")
    if flat is not None:
        if type(flat) is not list or len(flat) % 2 != 1 or type(flat[0]) is not int:
            raise ValueError("not an encoded sequence")
        seq = _new_list(LineList)
        it = iter(flat)
        seq.line = next(it)
        seq.lines = flat[2::2]
        if any(type(line) is not int for line in seq.lines):
            raise ValueError("not a line number")
        seq.extend([v if type(v) in _SCALARS else decode(v) for v in flat[1::2]])
        return seq
    if type(data.get("d")) is str:
        return dt.date.fromisoformat(data["d"])
    if type(data.get("t")) is str:
        return dt.datetime.fromisoformat(data["t"])
    raise ValueError("not an encoded value")


class RawJSON(str):
    """Text that is already JSON (written into the store as it is)."""


def entry_line(key: str, entry: Any) -> str:
    """One line of the parse cache's store: [key, {"d": data, "v": [schemas passed]}]."""
    dumps = compact_json
    if type(entry) is dict and type(entry.get("d")) is RawJSON:
        return f'[{dumps(key)},{{"d":{entry["d"]},"v":{dumps(entry.get("v", []))}}}]'
    return dumps([key, entry])


class ParseCache:
    """The entries one build may use and the ones it made or used (what the next build keeps:
    read back from the store, or handed on in memory as they are)."""

    def __init__(self, entries: dict[str, Any] | None = None):
        self.entries: dict[str, Any] = entries or {}
        self.used: dict[str, Any] = {}
        self._by_id: dict[int, tuple[Any, dict[str, Any]]] = {}  # (weak reference, entry)
        self._schemas: dict[int, tuple[Any, str]] = {}

    def lookup(self, text: str, offset: int) -> tuple[str, Any]:
        """(key, restored data) for text parsed before, else (key, None)."""
        key = key_of(text, offset)
        entry = self.entries.get(key)
        if type(entry) is not dict:
            return key, None
        try:  # an entry made earlier in this process (the preview's session) holds JSON text
            stored = json.loads(entry["d"]) if type(entry.get("d")) is RawJSON else entry["d"]
            data = decode(stored)
            valid = entry.get("v", [])
            if type(valid) is not list or any(type(v) is not str for v in valid):
                return key, None
        except (KeyError, TypeError, ValueError, AttributeError, StopIteration, RecursionError):
            return key, None  # not what encode writes: parsed again, like a miss
        if data is None:
            return key, None
        entry = {"d": stored, "v": list(valid)}
        self.used[key] = entry
        self._by_id[id(data)] = (_ref(data), entry)
        return key, data

    def remember(self, key: str, data: Any) -> None:
        """Store freshly parsed data that had no problem."""
        try:
            encoded = encode(data)
        except (Unstorable, RecursionError):
            return
        # Kept as JSON text, not as objects: the cycle collector of forked render workers
        # would otherwise touch (and so copy) thousands of small lists in every worker.
        entry = {"d": RawJSON(compact_json(encoded)),
                 "v": []}
        self.used[key] = entry
        self._by_id[id(data)] = (_ref(data), entry)

    def recorded(self, work: Callable[[], T]) -> tuple[T, dict[str, Any]]:
        """What ``work`` gives, and the entries it made or used, which are kept only once handed
        back (``adopt``): a forked worker's would be lost with it, and the parent (one of the
        workers) adopts every file's in the files' order, whichever process made them."""
        kept, self.used = self.used, {}
        try:
            return work(), self.used
        finally:
            self.used = kept

    def adopt(self, entries: dict[str, Any]) -> None:
        """Keep for the next build entries that ``recorded`` gave in another process."""
        self.used.update(entries)

    def validated(self, data: Any, schema: Any) -> bool:
        """Whether this very data object is restored data that already passed ``schema``."""
        found = self._by_id.get(id(data))
        return found is not None and found[0]() is data and self._schema_id(schema) in found[1]["v"]

    def passed(self, data: Any, schema: Any) -> None:
        """Record that ``data`` passed ``schema``."""
        found = self._by_id.get(id(data))
        if found is not None and found[0]() is data:
            sid = self._schema_id(schema)
            if sid not in found[1]["v"]:
                found[1]["v"].append(sid)

    def _schema_id(self, schema: Any) -> str:
        known = self._schemas.get(id(schema))
        if known is None or known[0] is not schema:
            known = self._schemas[id(schema)] = (schema, digest_of(repr(schema)))
        return known[1]


def _ref(data: Any) -> Any:
    """A weak reference where the type allows one (mappings and lists), else a strong one."""
    try:
        return weakref.ref(data)
    except TypeError:
        return lambda: data
