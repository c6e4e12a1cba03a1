"""The one text digest: stable (cache keys and page fingerprints depend on it) and total."""

from __future__ import annotations

import hashlib

from kotacerdas.core.digest import digest_of


def test_digest_is_a_short_blake2b_of_the_utf8_text() -> None:
    text = "Kota Bandung — Gerakan Menuju Smart City"
    assert digest_of(text) == hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
    assert len(digest_of("")) == 24 and digest_of("a") != digest_of("b")


def test_a_lone_surrogate_is_hashed_not_an_error() -> None:
    assert digest_of("\udcff") != digest_of("\udcfe")
