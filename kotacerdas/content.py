"""Plain dataclasses for loaded, validated content. No behaviour beyond small derived facts.

``digest`` fields hold a hash of the source file's text: they let later stages tell what changed
between two builds without comparing whole objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a web address, or a citation (title, publisher, date, language);
    ``title`` is empty when the headline is unknown, never invented."""

    title: str
    url: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    language: str | None = None
    """The language the cited page is written in ('id', 'en'), when known."""


@dataclass(frozen=True)
class Province:
    """One of Indonesia's provinces (Kemendagri two-digit code)."""

    code: str
    name: str
    slug: str
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()


Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # outer ring first, then holes


@dataclass(frozen=True)
class ProvinceShape:
    """A province's boundary from ``content/reference/provinces.geojson``: [lon, lat] rings."""

    code: str
    name: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Kabkota:
    """One kabupaten or kota from the Kemendagri reference list, participant or not."""

    code: str
    name: str
    short_name: str
    type: str
    province_code: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Cohort:
    """A yearly round of the movement and the number of regions announced for it."""

    year: int
    announced: int | None = None
    stage: str = ""
    source: Source | None = None
    note: str = ""


@dataclass(frozen=True)
class Region:
    """A participating kabupaten/kota, from ``content/regions/<slug>.yaml``."""

    slug: str
    name: str
    type: str
    province: str
    code: str
    cohorts: tuple[int, ...]
    path: str
    unverified_cohorts: tuple[int, ...] = ()
    sources: tuple[Source, ...] = ()
    note: str = ""
    note_lang: str = "id"
    aliases: tuple[str, ...] = ()
    website: str | None = None
    coordinates: tuple[float, float] | None = None
    summary: str = ""
    masterplan_status: str = ""
    quick_wins: tuple[str, ...] = ()
    updated: dt.date | None = None
    digest: str = ""

    @property
    def unverified(self) -> bool:
        """True when any of its rounds is not directly stated by a source."""
        return bool(self.unverified_cohorts)


@dataclass(frozen=True)
class NewsItem:
    """An announcement, from ``content/news/YYYY-MM-DD-<slug>.md``."""

    slug: str
    title: str
    date: dt.date
    summary: str
    body: str
    path: str
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    updated: dt.date | None = None
    draft: bool = False
    digest: str = ""
    lang: str = "id"
    """The language its title, summary and body are written in (see Translation)."""
    translation: str = ""
    """In a translated edition: 'current', 'outdated' or 'missing' (the original is shown)."""
    original_updated: dt.date | None = None
    """In a translated edition: when the original was last changed (shown if outdated)."""

    @property
    def last_updated(self) -> dt.date:
        """The later of the publication and update dates."""
        return self.updated or self.date


@dataclass(frozen=True)
class Page:
    """A static page, from ``content/pages/<slug>.md``."""

    slug: str
    title: str
    body: str
    path: str
    summary: str = ""
    updated: dt.date | None = None
    digest: str = ""
    lang: str = "id"
    translation: str = ""
    original_updated: dt.date | None = None


@dataclass(frozen=True)
class Translation:
    """An announcement or page in another language: ``<name>.<lang>.md`` beside its original.

    It carries only text (title, summary, body); dates, topics, regions and sources come from the
    original. It is *outdated* when the original was updated after the translation was.
    """

    kind: str  # "news" or "page"
    slug: str
    language: str
    title: str
    body: str
    path: str
    original_path: str
    summary: str = ""
    updated: dt.date | None = None
    digest: str = ""


@dataclass(frozen=True)
class SiteConfig:
    """``site_config.yaml`` with defaults filled in."""

    title: str
    base_url: str
    description: str = ""
    language: str = "id"
    timezone: str = "Asia/Jakarta"
    news_per_page: int = 10
    feed_items: int = 20
    organisation: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, Any] = field(default_factory=dict)
    repository: str | None = None
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Other editions by language ('en'), each with its own title/description if given."""

    @property
    def languages(self) -> tuple[str, ...]:
        """Every edition's language, the default one first."""
        return (self.language, *sorted(self.translations))


@dataclass(frozen=True)
class Content:
    """Everything loaded from a site folder, validated and cross-checked."""

    config: SiteConfig
    provinces: tuple[Province, ...]
    kabkota: tuple[Kabkota, ...]
    cohorts: tuple[Cohort, ...]
    regions: tuple[Region, ...]
    news: tuple[NewsItem, ...]
    pages: tuple[Page, ...]
    has_reference: bool = False
    reference_digest: str = ""
    province_shapes: tuple[ProvinceShape, ...] = ()
    translations: tuple[Translation, ...] = ()
