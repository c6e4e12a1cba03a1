"""Slugs: the only characters that may appear in a file name or URL segment we write."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = r"[a-z0-9]+(-[a-z0-9]+)*"
"""The slug rule, unanchored: the schemas and the open-data package anchor it as they need."""
SLUG_RE = re.compile(f"^{SLUG_PATTERN}$")


def slugify(text: str) -> str:
    """'Kota Pangkal Pinang' → 'kota-pangkal-pinang' (accents folded, everything else a hyphen)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def is_slug(text: str) -> bool:
    """True for lower-case ASCII letters, digits and single inner hyphens only."""
    return bool(SLUG_RE.fullmatch(text))
