"""The site model: loaded content cross-referenced and grouped, Markdown turned into safe HTML.

Built once per build from ``Content``; everything the pages need (who is in which province and
round, which announcements name a region, headline numbers) is computed here, not in templates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from functools import partial

from kotacerdas.content.placenames import place_key
from kotacerdas.content.types import (CONFIRMED, Cohort, Content, Kabkota, NewsItem, Page,
                                      Province, Region, SiteConfig)
from kotacerdas.core.records import field, record
from kotacerdas.content.reference import ProvinceNames
from kotacerdas.core.errors import ContentError, Problem
from kotacerdas.core.digest import digest_of, digest_of_values
from kotacerdas.core.lazytext import MarkdownCache, Span, text_of
from kotacerdas.core.memo import Memo
from kotacerdas.model.markup import NO_IDS, ConversionFailed, Converter
from kotacerdas.core.parallel import map_indexed
from kotacerdas.model.editions import localize
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.core.urls import Urls

class Html(Mapping[str, str]):
    """Each document's HTML by its key ('news:<slug>', 'page:<slug>'), looked up in the Markdown
    cache only when a page asks for it: a build that renders a few pages decodes only their HTML
    (core/lazytext.py). ``source`` names what a document's HTML is made of without it."""

    def __init__(self, cache: Mapping[tuple[str, str], str | Span],
                 sources: dict[str, tuple[str, str]]) -> None:
        self._cache, self._sources = cache, sources

    def __getitem__(self, key: str) -> str:
        return text_of(self._cache[self._sources[key]])

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def source(self, key: str) -> tuple[str, str]:
        """(where, text digest): the base path and heading ids, and the Markdown text, that
        the document's HTML is a function of."""
        return self._sources[key]

    def lazy(self, key: str) -> Callable[[], str]:
        """The document's HTML, made when called: it holds the cache's value as it is (maybe
        still bytes), not this mapping, so a page spec kept from build to build (the preview's
        memo) keeps no earlier build's cache alive."""
        return partial(text_of, self._cache[self._sources[key]])


@record
class CohortSummary:
    """A round with the participants we know of and how that compares with the announced size."""

    cohort: Cohort
    regions: tuple[Region, ...]
    """The regions that took part (withdrawn rounds are not participations)."""
    unverified: int
    withdrawn: tuple[Region, ...] = ()
    """The regions named for the round that did not take part in it: listed apart, not counted."""

    @property
    def known(self) -> int:
        """Participants recorded for the round."""
        return len(self.regions)

    @property
    def missing(self) -> int | None:
        """How many announced participants are not yet recorded (None when the size is unknown)."""
        if self.cohort.announced is None:
            return None
        return max(self.cohort.announced - self.known, 0)


@record
class SiteModel:
    """Everything the page list and templates read; immutable once built."""

    content: Content
    urls: Urls
    regions: tuple[Region, ...]
    news: tuple[NewsItem, ...]
    pages: tuple[Page, ...]
    provinces: tuple[Province, ...]
    cohorts: tuple[CohortSummary, ...]
    province_of: dict[str, Province]
    regions_in_province: dict[str, tuple[Region, ...]]
    news_by_tag: dict[str, tuple[NewsItem, ...]]
    news_by_region: dict[str, tuple[NewsItem, ...]]
    html: Html
    site_updated: dt.date | None
    region_by_slug: dict[str, Region] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    editions: tuple[tuple[str, Urls], ...] = ()
    """Every language edition's language and URLs, the default first (this one among them)."""
    withdrawn_only: tuple[Region, ...] = ()
    """Regions whose every round was withdrawn: not participants (not in ``regions``), but they
    keep a page that says so."""
    kabkota_in_province: dict[str, tuple[Kabkota, ...]] = field(default_factory=dict)
    """The reference data's kabupaten/kota by their province's code (in the reference's order)."""
    markdown_sources: frozenset[str] = frozenset()
    """This edition's keys in the Markdown cache: the digests of its Markdown texts and of the
    files they come from (see TEXT_DIGESTS)."""

    @property
    def config(self) -> SiteConfig:
        """The site configuration as this edition sees it (its language, title, description)."""
        return self.content.config

    @property
    def language(self) -> str:
        """This edition's language."""
        return self.content.config.language

    @property
    def data_language(self) -> str:
        """The language the region and reference data are written in (the default edition's)."""
        return self.editions[0][0] if self.editions else self.language

    @property
    def is_default(self) -> bool:
        """True for the default-language edition, which also holds the site-wide files."""
        return self.urls.prefix == ""

    @property
    def tags(self) -> tuple[str, ...]:
        """Every tag used by a published announcement, alphabetically."""
        return tuple(sorted(self.news_by_tag))

    def listed_facts(self, memo: Memo | None = None) -> dict[str, str]:
        """Each published announcement's slug → the digest of everything about it except its
        text (title, dates, summary, topics, regions, sources, translation state): what a
        listing shows of it. ``memo`` keeps each one's by its digest and edition (of which an
        announcement is a function: site/pages.announcement_page), so a save hashes only the
        announcements it changed."""
        memo = Memo() if memo is None else memo
        return {n.slug: memo.text(("news-facts", self.language, self.data_language, n.digest),
                                 partial(_facts, n)) for n in self.news}

    def listed_regions(self, memo: Memo | None = None) -> dict[str, str]:
        """Each region's slug (withdrawn-only ones too) → the digest of what a list, a count or
        the map shows of it: name, type, province, code, coordinates, every round's year and
        status, and the notes of the rounds lists explain (not yet verified, or withdrawn: the
        macros ``why`` and ``withdrawn_list``); not a confirmed round's note or any sources,
        nor its general notes, website, aliases, summary, masterplan or quick wins, which its
        own page alone shows. ``memo`` keeps each by its digest."""
        memo = Memo() if memo is None else memo
        return {r.slug: memo.text(("region-facts", r.digest), partial(_region_facts, r))
                for r in (*self.regions, *self.withdrawn_only)}


def facts_digest(facts: Mapping[str, str]) -> str:
    """One digest of what lists show of all the announcements, or of all the regions
    (SiteModel.listed_facts, listed_regions)."""
    return digest_of(" ".join(facts.values()))


def _facts(n: NewsItem) -> str:
    """The digest of what listings show of one announcement (SiteModel.listed_facts): its fields
    as plain values, dates by their ISO text and each source field by field, which
    digest_of_values takes as they are (a record's or a date's repr costs far more)."""
    return digest_of_values((n.slug, n.title, _iso(n.date), _iso(n.updated), n.summary, n.tags,
                             n.regions, tuple([(s.title, s.url, s.publisher, _iso(s.date),
                                                s.language) for s in n.sources]), n.lang,
                             n.translation, _iso(n.original_updated)))


def _region_facts(r: Region) -> str:
    """The digest of what lists show of one region (SiteModel.listed_regions), as plain values."""
    return digest_of_values((r.slug, r.name, r.type, r.province, r.code, r.coordinates,
                             tuple([(p.year, p.status) if p.status == CONFIRMED else
                                    (p.year, p.status, p.note, p.note_en) for p in r.rounds])))


def _iso(day: dt.date | None) -> str | None:
    """A date as its ISO text (None stays None)."""
    return None if day is None else day.isoformat()


TEXT_DIGESTS = "text"
"""The Markdown cache's index: (TEXT_DIGESTS, a document's digest) → the digest of its Markdown
text, the key of its HTML (HTML entries are keyed by a base path, which starts with '/')."""


def region_sort_key(region: Region) -> tuple[str, str]:
    """Sort by place name without its prefix (placenames.place_key), so 'Bandung' kab and kota sit
    together."""
    return (place_key(region.name), region.type)


def build_model(content: Content, base_url: str | None = None, drafts: bool = False,
                today: dt.date | None = None,
                markdown_cache: MarkdownCache | None = None,
                language: str | None = None, reserved_ids: re.Pattern[str] = NO_IDS) -> SiteModel:
    """Cross-reference the content and convert its Markdown, for one language edition.

    ``markdown_cache`` maps (base path, digest of the Markdown text) to HTML from an earlier
    build (and, TEXT_DIGESTS, a document's digest to its text's), so a rebuild converts only the
    texts that changed; the caller owns it and may share it between builds.
    ``language`` picks the edition (default: the site's language; see model/editions.py).
    ``reserved_ids`` are the ids the templates use, which headings must not take
    (markup.template_ids). A document that cannot be converted is a ContentError naming its file.
    """
    languages = content.config.languages
    default_urls = Urls(base_url or content.config.base_url)
    editions = tuple((lang, default_urls.edition("" if i == 0 else f"{lang}/"))
                     for i, lang in enumerate(languages))
    language = language or languages[0]
    urls = dict(editions)[language]
    original = content
    content = localize(content, language)
    today = today or today_in_jakarta()
    news = tuple(sorted((n for n in content.news if drafts or (not n.draft and n.date <= today)),
                        key=lambda n: (n.date, n.slug), reverse=True))
    every_region = tuple(sorted(content.regions, key=region_sort_key))
    regions = tuple(r for r in every_region if r.participant)
    province_by_name = ProvinceNames.of(content.provinces)
    province_of = {r.slug: province_by_name[r.province] for r in every_region}
    in_province: dict[str, list[Region]] = defaultdict(list)
    for r in regions:
        in_province[province_of[r.slug].slug].append(r)
    cohorts = cohort_summaries(content.cohorts, regions, every_region)
    kabkota: dict[str, list[Kabkota]] = defaultdict(list)
    for k in content.kabkota:
        kabkota[k.province_code].append(k)
    by_tag: dict[str, list[NewsItem]] = defaultdict(list)
    by_region: dict[str, list[NewsItem]] = defaultdict(list)
    for n in news:
        for t in n.tags:
            by_tag[t].append(n)
        for slug in n.regions:
            by_region[slug].append(n)
    cache = markdown_cache if markdown_cache is not None else {}
    documents = [(f"news:{n.slug}", n.digest, n.body, n.path) for n in news] + \
                [(f"page:{p.slug}", p.digest, p.body, p.path) for p in content.pages]
    # HTML is kept by the digest of the text itself, so a change to the front matter converts
    # nothing; links in it differ per base path and edition, heading ids with the templates' ids
    texts = {file: _text_digest(cache, file, body) for _, file, body, _ in documents}
    where = urls.base_path + urls.prefix + " " + digest_of(reserved_ids.pattern)
    todo = {texts[file]: body for _, file, body, _ in documents
            if (where, texts[file]) not in cache}
    converted = dict(zip(todo, _convert_all(list(todo.values()), urls, reserved_ids)))
    failed = [Problem(path, 0, str(converted[texts[file]])) for _, file, _, path in documents
              if isinstance(converted.get(texts[file]), ConversionFailed)]
    if failed:
        raise ContentError(failed)
    cache.update({(where, text): h for text, h in converted.items() if isinstance(h, str)})
    cache.update({(TEXT_DIGESTS, file): text for file, text in texts.items()})
    html = Html(cache, {key: (where, texts[file]) for key, file, _, _ in documents})
    published = {n.slug for n in news}  # the originals' dates: one "last updated" for all editions
    dates = [n.last_updated for n in original.news if n.slug in published] + \
            [p.updated for p in original.pages if p.updated] + \
            [r.updated for r in every_region if r.updated]
    stats = {
        "participants": len(regions),
        "participations": sum(len(r.cohorts) for r in regions),
        "unverified": sum(1 for r in regions if r.unverified),
        "provinces_covered": len(in_province),
        "provinces": len(content.provinces),
        "cohorts": sum(1 for c in cohorts if c.known),
        "kabkota": len(content.kabkota),
    }
    return SiteModel(
        content=content, urls=urls, regions=regions, news=news,
        pages=tuple(sorted(content.pages, key=lambda p: p.slug)),
        provinces=tuple(sorted(content.provinces, key=lambda p: p.code)), cohorts=cohorts,
        province_of=province_of, regions_in_province={k: tuple(v) for k, v in in_province.items()},
        news_by_tag={k: tuple(v) for k, v in by_tag.items()},
        news_by_region={k: tuple(v) for k, v in by_region.items()},
        html=html, site_updated=max(dates) if dates else None,
        region_by_slug={r.slug: r for r in every_region}, stats=stats,
        fingerprints=_fingerprints(content, every_region, news), editions=editions,
        withdrawn_only=tuple(r for r in every_region if not r.participant),
        kabkota_in_province={code: tuple(ks) for code, ks in kabkota.items()},
        markdown_sources=frozenset(texts) | frozenset(texts.values()))


def cohort_summaries(cohorts: tuple[Cohort, ...], regions: tuple[Region, ...],
                     every_region: tuple[Region, ...]) -> tuple[CohortSummary, ...]:
    """Each round with its participants (in ``regions``' order), how many of them no source
    states, and the regions named for it that withdrew: one pass over the regions, not one per
    round."""
    taking: dict[int, list[Region]] = defaultdict(list)
    unverified: dict[int, int] = defaultdict(int)
    withdrawn: dict[int, list[Region]] = defaultdict(list)
    for r in regions:
        for year in dict.fromkeys(r.cohorts):
            taking[year].append(r)
        for year in dict.fromkeys(r.unverified_cohorts):
            unverified[year] += 1
    for r in every_region:
        for year in dict.fromkeys(p.year for p in r.withdrawn):
            withdrawn[year].append(r)
    return tuple(CohortSummary(c, tuple(taking[c.year]), unverified[c.year],
                               tuple(withdrawn[c.year])) for c in cohorts)


def _text_digest(cache: MarkdownCache, file: str, text: str) -> str:
    """The digest of a document's Markdown text, under which its HTML is kept: the one an earlier
    build recorded for the same file digest, so an unchanged file's text is not hashed again
    (every body of every edition, each build, would cost about 13 ms per 1,000 announcements)."""
    known = cache.get((TEXT_DIGESTS, file))
    return text_of(known) if known else digest_of(text)


def _convert_all(texts: list[str], urls: Urls, reserved_ids: re.Pattern[str]
                 ) -> list[str | ConversionFailed]:
    """Each text's HTML, or why it failed; the converter (and with it Python-Markdown) is made
    only when there is a text to convert, so a build whose bodies all come from the Markdown cache
    never imports it."""
    if not texts:
        return []
    converter = Converter(urls.site_link, reserved_ids)
    return map_indexed(lambda i: _convert(converter, texts[i]), len(texts))


def _convert(converter: Converter, text: str) -> str | ConversionFailed:
    """One document's HTML, or why it failed (returned, so a forked worker can hand it back)."""
    try:
        return converter.to_html(text)
    except ConversionFailed as exc:
        return exc


def _fingerprints(content: Content, regions: tuple[Region, ...], news: tuple[NewsItem, ...]
                  ) -> dict[str, str]:
    """Digests of whole collections, for pages that show all of one (directory, tag index, …)."""
    parts = {
        "reference": content.reference_digest,
        "regions": digest_of(" ".join(r.digest for r in regions)),
        "news": digest_of(" ".join(n.digest for n in news)),
        "pages": digest_of(" ".join(p.digest for p in content.pages)),
        "config": digest_of(repr(content.config)),
    }
    parts["site"] = digest_of(repr(sorted(parts.items())))
    return parts


def markdown_in_use(models: list[SiteModel], cache: MarkdownCache
                    ) -> MarkdownCache:
    """The entries of a Markdown cache that the editions' documents still use (the rest is
    dropped), each as it is: HTML no page asked for stays bytes (core/lazytext.py)."""
    live = frozenset().union(*(m.markdown_sources for m in models))
    return {k: v for k, v in cache.items() if k[1] in live}
