"""Fingerprints of text: the one digest every cache key, page fingerprint and source digest uses."""

from __future__ import annotations

import hashlib


def digest_of(text: str) -> str:
    """A short, stable fingerprint of some text (a lone surrogate is hashed, never an error)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
