"""Fingerprints of text: the one digest every cache key, page fingerprint and source digest uses."""

from __future__ import annotations

import hashlib
import marshal
from typing import Any


def digest_of(text: str) -> str:
    """A short, stable fingerprint of some text (a lone surrogate is hashed, never an error)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def digest_of_values(values: tuple[Any, ...]) -> str:
    """A fingerprint of plain values (str, int, bool, None, float, bytes, tuples of them), as
    exact as that of their ``repr`` and several times cheaper: ``marshal`` format 2 writes each by
    its type and value alone, never by which objects are shared or interned. What marshal does
    not take (a subclass of str, a date) falls back on the ``repr`` of the whole, tagged apart."""
    try:
        data = b"m" + marshal.dumps(values, 2)
    except ValueError:
        data = b"r" + repr(values).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=12).hexdigest()
