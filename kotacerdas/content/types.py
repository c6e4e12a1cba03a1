"""Plain records (core/records.py) of loaded, validated content: no behaviour but derived facts.

``digest`` fields hold a hash of the source file's text: they let later stages tell what changed
between two builds without comparing whole objects.
"""

from __future__ import annotations

import datetime as dt
from kotacerdas.core.records import field, record
from functools import cached_property
from typing import Any


@record
class Source:
    """Where a fact comes from: a web address, or a citation (title, publisher, date, language);
    ``title`` is empty when the headline is unknown, never invented."""

    title: str
    url: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    language: str | None = None
    """The language the cited page is written in ('id', 'en'), when known."""

    @property
    def known_title(self) -> str:
        """The headline, or '' when it is unknown (a bare address is not a title)."""
        return self.title if self.title and self.title != self.url else ""


@record
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


@record
class ProvinceShape:
    """A province's boundary from ``content/reference/provinces.geojson``: [lon, lat] rings."""

    code: str
    name: str
    polygons: tuple[Polygon, ...]


@record
class Kabkota:
    """One kabupaten or kota from the Kemendagri reference list, participant or not."""

    code: str
    name: str
    short_name: str
    type: str
    province_code: str
    lat: float | None = None
    lon: float | None = None


@record
class Cohort:
    """A yearly round of the movement and the number of regions announced for it."""

    year: int
    announced: int | None = None
    stage: str = ""
    sources: tuple[Source, ...] = ()
    note: str = ""
    note_en: str = ""
    research_note: str = ""
    """The researchers' working note: kept for maintainers, never rendered or published."""


CONFIRMED, UNCERTAIN, INFERRED, WITHDRAWN = "confirmed", "uncertain", "inferred", "withdrawn"
STATUSES = (CONFIRMED, UNCERTAIN, INFERRED, WITHDRAWN)
"""A round's status in a region file: stated by a source; suggested without the year being
stated; deduced (from a group count, an event); named for the round but did not take part."""


@record
class Participation:
    """A region in one yearly round: its status, its notes and the sources that say so."""

    year: int
    status: str = CONFIRMED
    note: str = ""
    """The note for citizens, in Bahasa Indonesia."""
    note_en: str = ""
    """The same note in English."""
    research_note: str = ""
    """The researchers' working note: kept for maintainers, never rendered or published."""
    sources: tuple[Source, ...] = ()

    @property
    def took_part(self) -> bool:
        """False for a withdrawn round: named for it, but not a participation."""
        return self.status != WITHDRAWN

    @property
    def unverified(self) -> bool:
        """True when no source states the participation in this year (uncertain, inferred)."""
        return self.status in (UNCERTAIN, INFERRED)


def note_in(item: Participation | Region | Cohort, language: str) -> tuple[str, str]:
    """(text, its language) of an item's note for a reader of ``language``: the note written in
    that language, else the other one (so a reader sees it marked as another language); never
    the research note."""
    own, other = (item.note_en, item.note) if language == "en" else (item.note, item.note_en)
    if own:
        return own, "en" if language == "en" else "id"
    if other:
        return other, "id" if language == "en" else "en"
    return "", ""


@record
class Region:
    """A participating kabupaten/kota, from ``content/regions/<slug>.yaml``."""

    slug: str
    name: str
    type: str
    province: str
    code: str
    rounds: tuple[Participation, ...]
    """Every round the region file names, by year, withdrawn ones included."""
    path: str
    sources: tuple[Source, ...] = ()
    note: str = ""
    """An editor's general note for citizens, in Bahasa Indonesia."""
    note_en: str = ""
    """The same note in English."""
    aliases: tuple[str, ...] = ()
    website: str | None = None
    coordinates: tuple[float, float] | None = None
    summary: str = ""
    masterplan_status: str = ""
    quick_wins: tuple[str, ...] = ()
    updated: dt.date | None = None
    digest: str = ""

    @cached_property
    def cohorts(self) -> tuple[int, ...]:
        """The years it took part in: its rounds that were not withdrawn."""
        return tuple(p.year for p in self.rounds if p.took_part)

    @cached_property
    def participations(self) -> tuple[Participation, ...]:
        """Its rounds that were not withdrawn."""
        return tuple(p for p in self.rounds if p.took_part)

    @cached_property
    def unverified_cohorts(self) -> tuple[int, ...]:
        """The years it took part in that no source states directly (uncertain, inferred)."""
        return tuple(p.year for p in self.rounds if p.unverified)

    @cached_property
    def withdrawn(self) -> tuple[Participation, ...]:
        """The rounds it was named for but did not take part in."""
        return tuple(p for p in self.rounds if not p.took_part)

    @property
    def participant(self) -> bool:
        """False when every round it names was withdrawn: it keeps a page, but is counted
        nowhere."""
        return bool(self.cohorts)

    @property
    def unverified(self) -> bool:
        """True when any of its rounds is not directly stated by a source."""
        return bool(self.unverified_cohorts)

    def round(self, year: int) -> Participation | None:
        """Its round of one year, if it names that year."""
        return next((p for p in self.rounds if p.year == year), None)

    @property
    def all_sources(self) -> tuple[Source, ...]:
        """Every source of the region once: its rounds' (by year), then its general ones."""
        seen: dict[object, Source] = {}
        for s in (*(s for p in self.rounds for s in p.sources), *self.sources):
            seen.setdefault(s.url or (s.title, s.publisher), s)
        return tuple(seen.values())


@record
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
    front_matter: str = ""
    """The file's text before the body (its '---' lines and fields), as read: with ``body``, the
    link check finds a link's line in the file without reading content/ again."""
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


@record
class Page:
    """A static page, from ``content/pages/<slug>.md``."""

    slug: str
    title: str
    body: str
    path: str
    summary: str = ""
    updated: dt.date | None = None
    digest: str = ""
    front_matter: str = ""
    """The file's text before the body (its '---' lines and fields), as read: with ``body``, the
    link check finds a link's line in the file without reading content/ again."""
    lang: str = "id"
    translation: str = ""
    original_updated: dt.date | None = None


@record
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
    front_matter: str = ""
    """The file's text before the body (its '---' lines and fields), as read: with ``body``, the
    link check finds a link's line in the file without reading content/ again."""


@record
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


@record
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
    shapes_digest: str = ""
    """The digest of the boundaries file's text, which names ``province_shapes`` (empty without
    one): what the map's projection is kept under (render/geo.projected)."""
    translations: tuple[Translation, ...] = ()
