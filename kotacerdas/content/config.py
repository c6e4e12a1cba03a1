"""The site's configuration: ``site_config.yaml``."""

from __future__ import annotations

import os
from pathlib import Path

from kotacerdas.content import schemas
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.content.read import by_stamp, check, read_yaml, reported
from kotacerdas.content.types import SiteConfig
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo


def load_config(path: Path, problems: Problems, parsed: ParseCache | None = None,
                memo: Memo | None = None) -> SiteConfig | None:
    """Read and validate ``site_config.yaml``; ``memo`` keeps the outcome of an earlier build of
    the same file (read.by_stamp)."""
    if not os.path.lexists(path):
        problems.add(path, None, "is missing; every site needs a site_config.yaml with at least "
                                 "'title' and 'base_url'")
        return None
    return by_stamp(path, "config", problems, memo, lambda found: _config(path, found, parsed))


def _config(path: Path, problems: Problems, parsed: ParseCache | None) -> SiteConfig | None:
    """load_config, reading the file now."""
    data = read_yaml(path, problems, parsed=parsed)
    if not isinstance(data, dict):
        if not reported(problems, path):
            problems.add(path, 1, "must be a set of 'field: value' lines" + (
                ", with at least 'title' and 'base_url'" if data is None else ""))
        return None
    if not check(data, schemas.CONFIG, problems, path, parsed):
        return None
    base = data["base_url"]
    return SiteConfig(
        title=data["title"], base_url=base if base.endswith("/") else base + "/",
        description=data.get("description", ""), language=data.get("language", "id"),
        timezone=data.get("timezone", "Asia/Jakarta"), news_per_page=data.get("news_per_page", 10),
        feed_items=data.get("feed_items", 20), organisation=dict(data.get("organisation", {})),
        contact=dict(data.get("contact", {})), repository=data.get("repository"),
        translations={lang: dict(fields or {})
                      for lang, fields in (data.get("translations") or {}).items()})
