"""Compact JSON text: how the caches and the search index write JSON (no spaces, UTF-8 kept)."""

from __future__ import annotations

import json
from typing import Any


def compact_json(data: Any) -> str:
    """``data`` as JSON without spaces and with non-ASCII kept as is: the smallest exact text."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
