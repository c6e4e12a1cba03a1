"""JSON text as the site writes it: compact for the caches and the search index, indented (two
spaces) for the downloads and the JSON Feed. Both keep non-ASCII as it is (UTF-8)."""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function json.dumps itself uses
from typing import Any, NamedTuple

_FLOAT_WORDS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


class Texts(NamedTuple):
    """JSON data and the long texts it refers to (by position, as its maker encodes that), kept
    apart so that a store can keep the texts as raw UTF-8 instead of JSON strings: a JSON parser
    reads escaped strings far slower than ``bytes.decode`` reads plain text (build/cache.py)."""

    value: Any
    texts: tuple[str, ...]


def compact_json(data: Any) -> str:
    """``data`` as JSON without spaces and with non-ASCII kept as is: the smallest exact text."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def pretty_json(data: Any) -> str:
    """Exactly ``json.dumps(data, ensure_ascii=False, indent=2)``, about three times faster.

    With ``indent`` the standard library leaves its C encoder for a Python generator per
    nesting level; a download of every announcement spent most of its time there. This writes
    the same text (same separators, numbers, escapes, errors for what JSON cannot hold) with
    one list of parts and the C string escaper.
    """
    out: list[str] = []
    _value(data, out, "\n")
    return "".join(out)


def _value(o: Any, out: list[str], newline: str) -> None:
    """Append one value at the nesting ``newline`` stands for (a newline and its indent)."""
    if isinstance(o, str):
        out.append(encode_basestring(o))
    elif o is None:
        out.append("null")
    elif o is True:
        out.append("true")
    elif o is False:
        out.append("false")
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, (list, tuple)):
        _list(o, out, newline)
    elif isinstance(o, dict):
        _dict(o, out, newline)
    else:
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def _list(items: list[Any] | tuple[Any, ...], out: list[str], newline: str) -> None:
    if not items:
        out.append("[]")
        return
    inner = newline + "  "
    separator = "," + inner
    out.append("[" + inner)
    first = True
    for item in items:
        if first:
            first = False
        else:
            out.append(separator)
        kind = type(item)
        if kind is str:  # the common cases without a call
            out.append(encode_basestring(item))
        elif kind is int:
            out.append(int.__repr__(item))
        else:
            _value(item, out, inner)
    out.append(newline + "]")


def _dict(items: dict[Any, Any], out: list[str], newline: str) -> None:
    if not items:
        out.append("{}")
        return
    inner = newline + "  "
    separator = "," + inner
    out.append("{" + inner)
    first = True
    for key, item in items.items():
        name = encode_basestring(key if type(key) is str else _key(key)) + ": "
        if first:
            first = False
        else:
            name = separator + name
        kind = type(item)
        if kind is str:
            out.append(name + encode_basestring(item))
        elif kind is int:
            out.append(name + int.__repr__(item))
        elif item is None:
            out.append(name + "null")
        else:
            out.append(name)
            _value(item, out, inner)
    out.append(newline + "}")


def _key(key: Any) -> str:
    """A dict key as json.dumps writes it (strings, numbers, true/false/null; nothing else)."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _float(o: float) -> str:
    """A float as json.dumps writes it (allow_nan: NaN and the infinities as JavaScript names)."""
    if o != o:
        return "NaN"
    return _FLOAT_WORDS.get(o) or float.__repr__(o)
