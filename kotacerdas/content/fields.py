"""Fields that several kinds of content file share: sources, and the 'updated' date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kotacerdas.content.types import Source
from kotacerdas.content.yamlsafe import line_of
from kotacerdas.core.errors import Problems


def check_updated(path: Path, data: Mapping[str, Any], problems: Problems, today: dt.date,
                   latest: dt.date | None = None) -> None:
    """An 'updated' date after today would be shown as the site's last update and in the sitemap.
    ``latest`` allows a later one (an announcement scheduled for a later day)."""
    updated = data.get("updated")
    limit = max(today, latest) if latest else today
    if isinstance(updated, dt.date) and updated > limit:
        later = f" and after the announcement's date {limit.isoformat()}" if limit > today else ""
        problems.add(path, line_of(data, ["updated"]),
                     f"'updated' is {updated.isoformat()}, after today ({today.isoformat()})"
                     f"{later}; write the date of the last change, which cannot be in the future")


def sources_of(data: Any) -> tuple[Source, ...]:
    out = []
    for item in data or []:
        if isinstance(item, str):
            out.append(Source(title=item, url=item))
        else:
            out.append(Source(title=item.get("title", ""), url=item.get("url"),
                              publisher=item.get("publisher"), date=item.get("date"),
                              language=item.get("language")))
    return tuple(out)
