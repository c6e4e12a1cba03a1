"""The list of pages the site has. ``site_pages`` reads as the site map: one line per section.

Each page is a ``PageSpec``: its route, the template that renders it, its title, breadcrumbs,
last-updated date and the data its template needs. Nothing here renders or writes.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Iterator, Mapping, TypeVar

from kotacerdas.outputs import feeds, opendata, search, sitemap
from kotacerdas.core import urls
from kotacerdas.content.types import NewsItem, Page, Province, Region
from kotacerdas.model.i18n import Catalogue
from kotacerdas.core.digest import digest_of_values
from kotacerdas.core.lines import one_line
from kotacerdas.core.locations import own_templates
from kotacerdas.core.memo import Memo
from kotacerdas.core.records import field, record, replace
from kotacerdas.model.site import CohortSummary, SiteModel, facts_digest

Crumbs = tuple[tuple[str, str], ...]
T = TypeVar("T")


@record
class PageSpec:
    """One output page: where it lives and what its template receives."""

    route: str
    template: str
    title: str
    breadcrumbs: Crumbs = ()
    updated: dt.date | None = None
    description: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    deps: tuple[str, ...] | None = None
    """Digests of the content this page shows; None means it may show anything (always rebuilt
    when any content changes). Used to re-render only what an edit affects."""
    lang: str = ""
    """The language of the page's own text (announcements and pages; see model/editions.py)."""
    later: Callable[[], dict[str, Any]] | None = None
    """More of what its template receives, made only when the page is rendered: values from
    inputs ``deps`` names, too slow to make in every build (the data page's downloads)."""

    def values(self) -> dict[str, Any]:
        """Everything the template receives besides the spec itself (``page``)."""
        return {**self.context, **self.later()} if self.later else self.context


@record
class DataFile:
    """One output file that is not an HTML page (feed, sitemap, download): bytes from a function.

    ``produce`` must be a pure function of the model, so output stays byte-identical across builds.
    """

    route: str
    produce: Callable[[], bytes]
    deps: tuple[str, ...] | None = None
    """As PageSpec.deps: with it, a file whose inputs did not change is not produced again."""


Templates = Mapping[str, Path]
"""Each template name the template folders hold → the file that renders it (the first folder
that has it: core/locations.template_files)."""

GENERIC_PAGE = "page.html"


def site_pages(m: SiteModel, t: Catalogue, memo: Memo | None = None,
               templates: Templates | None = None) -> list[PageSpec | DataFile]:
    """Every page and file of one language edition, in one list: this is the site map.

    Every edition has the same pages under its own prefix (urls.py); the default edition also
    holds the files the whole site shares (hosting files, security.txt, the 404 page, robots.txt).
    ``memo`` keeps the downloads made from unchanged rows (core/memo.py); ``templates`` tells
    which template renders each page (without it, every page may show anything: as_read).
    """
    downloads = functools.cache(functools.partial(opendata.produce_all, m, t, memo))  # data page
    facts, places = m.listed_facts(memo), m.listed_regions(memo)
    listings = _listings(m, facts)
    pages: list[PageSpec | DataFile] = [
        home(m, t, facts, places),
        directory(m, t, places),
        *(region_page(m, t, r, facts) for r in (*m.regions, *m.withdrawn_only)),
        province_index(m, t, places),
        *(province_page(m, t, p, places) for p in m.provinces),
        cohort_index(m, t, places),
        *(cohort_page(m, t, c, places) for c in m.cohorts),
        *news_list(m, t, facts),
        *announcements(m, t, places, memo),
        tag_index(m, t),
        *(tag_page(m, t, tag, facts) for tag in m.tags),
        *(static_page(m, t, p, downloads, listings, memo) for p in m.pages),
        search_page(m, t),
        search_index(m, t, listings, memo),
        *(DataFile(route, produce, listings)
          for route, produce in opendata.producers(downloads).items()),
        *([map_page(m, t, places)] if m.content.province_shapes else []),
        *(DataFile(route, produce, deps) for route, produce, deps in feeds.feed_files(m, t, memo)),
    ]
    shared: list[PageSpec | DataFile] = (
        [*hosting_files(m), *security_txt(m), not_found(m, t)] if m.is_default else [])
    return as_read([*pages, *shared, *crawler_files(m, pages, memo)], templates)


SHARED = ("base.html", "macros.html", GENERIC_PAGE, "partials/")
"""The templates (a name, or a folder ending in '/') that built-in templates extend, import or
include (page-data.html extends page.html); tests/site/test_pages.py checks the list."""


def as_read(pages: list[PageSpec | DataFile], templates: Templates | None
            ) -> list[PageSpec | DataFile]:
    """The pages with the dependencies their templates give them. A spec's ``deps`` name what
    the built-in template that renders it shows; a site's own template (core/locations.
    own_templates: a copy of a built-in one is not) may read the whole model (the global
    ``site``), so a page it renders depends on everything (``deps`` None), and so does every
    page when the site has its own version of a template the built-in ones share (``SHARED``),
    or when ``templates`` is unknown."""
    own = set() if templates is None else own_templates(dict(templates))
    if templates is not None and not own:
        return pages
    every = templates is None or any(is_shared(name) for name in own)

    def wide(spec: PageSpec) -> bool:
        return every or _rendered_by(spec.template, templates or {}) in own

    return [replace(p, deps=None) if isinstance(p, PageSpec) and p.deps is not None and wide(p)
            else p for p in pages]


def is_shared(name: str) -> bool:
    """Whether built-in templates extend, import or include a template (``SHARED``)."""
    return any(name == s or s.endswith("/") and name.startswith(s) for s in SHARED)


def _rendered_by(names: str, templates: Templates) -> str | None:
    """Which of a spec's templates renders it ('page-data.html|page.html': the first there)."""
    return next((n for n in names.split("|") if n in templates), None)


def crawler_files(m: SiteModel, pages: list[PageSpec | DataFile], memo: Memo | None = None
                  ) -> list[DataFile]:
    """sitemap.xml listing every HTML page of the edition with its other-language twins, and
    (in the default edition) robots.txt naming every edition's sitemap; ``memo`` keeps the
    digest of the list it shows, which a save seldom changes."""
    listed = tuple([(p.route, p.updated) for p in pages if isinstance(p, PageSpec)])
    shown = _kept(memo, ("sitemap-pages", listed), functools.partial(_listed_digest, listed))
    others = [u for _, u in m.editions]
    files = [DataFile(urls.SITEMAP, lambda: sitemap.sitemap_xml(m.urls, listed, m.editions),
                      (shown,))]
    if m.is_default:
        files.append(DataFile(urls.ROBOTS, lambda: sitemap.robots_txt(others)))
    return files


def _listed_digest(listed: tuple[tuple[str, dt.date | None], ...]) -> str:
    """The digest of the pages the sitemap lists, each by route and ISO date (a date's repr
    costs far more, once per page of the site)."""
    return digest_of_values(tuple([(route, None if day is None else day.isoformat())
                                   for route, day in listed]))


def _home(t: Catalogue) -> Crumbs:
    return ((t("nav_home"), urls.HOME),)


def _all(m: SiteModel, *collections: str) -> tuple[str, ...]:
    """Dependency on whole collections ('regions', 'news', 'reference', …)."""
    return tuple(m.fingerprints[c] for c in collections)


def _each(items: Iterable[Region | NewsItem | Page]) -> tuple[str, ...]:
    """Dependency on each of the given items."""
    return tuple([i.digest for i in items])


def _places(places: Mapping[str, str], regions: Iterable[Region] | None = None
            ) -> tuple[str, ...]:
    """Dependency on what lists, counts and the map show of the given regions, or of all of them
    (SiteModel.listed_regions: not what a region's own page alone shows, so editing a region's
    sources or general note renders its page and none of the lists)."""
    if regions is None:
        return (facts_digest(places),)
    return tuple([places[r.slug] for r in regions])


def _shown(items: Iterable[NewsItem], facts: Mapping[str, str]) -> tuple[str, ...]:
    """Dependency on what a listing shows of each of the given announcements (not their text:
    SiteModel.listed_facts), so editing a body renders its own page and none of the lists."""
    return tuple([facts[n.slug] for n in items])


def _kept(memo: Memo | None, key: Hashable, make: Callable[[], T]) -> T:
    """What ``make`` makes from exactly what ``key`` names: kept in ``memo`` when there is one
    (the interface strings a key names are looked up before, so a missing one is reported)."""
    return make() if memo is None else memo.get(key, make)


def _latest(items: tuple[NewsItem, ...]) -> dt.date | None:
    return max([n.last_updated for n in items], default=None)  # a list: cheaper than a generator


def _newest(regions: Iterable[Region]) -> dt.date | None:
    """The newest ``updated`` of the regions a page lists: the page's own "last updated" (the
    site's newest date is the footer's, and would date a province nothing changed in today)."""
    return max([r.updated for r in regions if r.updated], default=None)


def home(m: SiteModel, t: Catalogue, facts: Mapping[str, str], places: Mapping[str, str]
         ) -> PageSpec:
    """What the movement is, the headline numbers, the latest announcements, ways in."""
    return PageSpec(urls.HOME, "home.html", m.config.title, (), m.site_updated,
                    m.config.description, {"latest": m.news[:5]},
                    _places(places) + _all(m, "reference") + _shown(m.news[:5], facts))


def directory(m: SiteModel, t: Catalogue, places: Mapping[str, str]) -> PageSpec:
    """All participants, grouped by province."""
    return PageSpec(urls.DIRECTORY, "directory.html", t("directory_title"), _home(t),
                    m.site_updated, t("directory_description"),
                    deps=_places(places) + _all(m, "reference"))


def region_page(m: SiteModel, t: Catalogue, r: Region, facts: Mapping[str, str]) -> PageSpec:
    """One region file: every field, each round with its status, province, sources, announcements
    (a region whose every round was withdrawn has one too, saying it is not a participant)."""
    news = m.news_by_region.get(r.slug, ())
    return PageSpec(urls.region(r.slug), "region.html", r.name,
                    (*_home(t), (t("directory_title"), urls.DIRECTORY)), r.updated,
                    r.summary or t("region_description", name=r.name, province=r.province),
                    {"region": r, "province": m.province_of[r.slug], "news": news},
                    (r.digest, *_all(m, "reference"), *_shown(news, facts)))


def province_index(m: SiteModel, t: Catalogue, places: Mapping[str, str]) -> PageSpec:
    """The 38 provinces with their number of participants."""
    return PageSpec(urls.PROVINCES, "provinces.html", t("provinces_title"), _home(t),
                    m.site_updated, t("provinces_description"),
                    deps=_places(places) + _all(m, "reference"))


def province_page(m: SiteModel, t: Catalogue, p: Province, places: Mapping[str, str]
                  ) -> PageSpec:
    """The participants of one province."""
    regions = m.regions_in_province.get(p.slug, ())
    named = tuple(r for r in m.withdrawn_only if m.province_of[r.slug] == p)
    return PageSpec(urls.province(p.slug), "province.html", t("province_title", name=p.name),
                    (*_home(t), (t("provinces_title"), urls.PROVINCES)),
                    _newest((*regions, *named)),
                    t("province_description", name=p.name, count=len(regions)),
                    {"province": p, "regions": regions, "named": named,
                     "kabkota": m.kabkota_in_province.get(p.code, ())},
                    _all(m, "reference") + _places(places, regions) + _places(places, named))


def cohort_index(m: SiteModel, t: Catalogue, places: Mapping[str, str]) -> PageSpec:
    """Every yearly round with its completeness."""
    return PageSpec(urls.COHORTS, "cohorts.html", t("cohorts_title"), _home(t), m.site_updated,
                    t("cohorts_description"), deps=_places(places) + _all(m, "reference"))


def cohort_page(m: SiteModel, t: Catalogue, c: CohortSummary, places: Mapping[str, str]
                ) -> PageSpec:
    """One round: its participants and how complete our list is against the announced size."""
    return PageSpec(urls.cohort(c.cohort.year), "cohort.html",
                    t("cohort_title", year=c.cohort.year),
                    (*_home(t), (t("cohorts_title"), urls.COHORTS)),
                    _newest((*c.regions, *c.withdrawn)),
                    t("cohort_description", year=c.cohort.year), {"summary": c},
                    _all(m, "reference") + _places(places, c.regions)
                    + _places(places, c.withdrawn))


def news_list(m: SiteModel, t: Catalogue, facts: Mapping[str, str]) -> Iterator[PageSpec]:
    """The announcements, newest first, ``news_per_page`` to a page; every list page links to
    every other (``links``: each page's number and address, made once for all of them)."""
    size = m.config.news_per_page
    chunks = [m.news[i:i + size] for i in range(0, len(m.news), size)] or [()]
    links = tuple([(number, m.urls.path(urls.news_page(number)))
                   for number in range(1, len(chunks) + 1)])
    home_crumbs = _home(t)
    list_crumbs = (*home_crumbs, (t("news_title"), urls.NEWS))
    description = t("news_description")
    for number, items in enumerate(chunks, start=1):
        title = t("news_title") if number == 1 else t("news_title_page", number=number)
        crumbs = home_crumbs if number == 1 else list_crumbs
        yield PageSpec(urls.news_page(number), "news_list.html", title, crumbs, _latest(items),
                       description,
                       {"items": items, "number": number, "count": len(chunks), "links": links,
                        "previous": urls.news_page(number - 1) if number > 1 else None,
                        "next": urls.news_page(number + 1) if number < len(chunks) else None},
                       (str(len(chunks)), *_shown(items, facts)))


def announcements(m: SiteModel, t: Catalogue, places: Mapping[str, str],
                  memo: Memo | None = None) -> Iterator[PageSpec]:
    """Each announcement's page, all under the same breadcrumbs (looked up once)."""
    crumbs = (*_home(t), (t("news_title"), urls.NEWS))
    edition = (m.language, m.data_language)
    return (announcement_page(m, n, crumbs, edition, places, memo) for n in m.news)


def announcement_page(m: SiteModel, n: NewsItem, crumbs: Crumbs, edition: tuple[str, str],
                      places: Mapping[str, str], memo: Memo | None = None) -> PageSpec:
    """One announcement with its sources and the regions it names (by name: it depends on
    what lists show of them, ``places``, not on their sources or notes).

    ``memo`` keeps its spec by what it is made of, so a save makes only the specs it changed:
    an item is a function of its digest (its file's name and text, documents._news_item; with
    its translation's in another edition, editions._localized) and of the ``edition``'s and the
    originals' language, and so is a region of its digest."""
    key = f"news:{n.slug}"
    regions = tuple([m.region_by_slug[s] for s in n.regions])
    deps = (n.digest, *_places(places, regions))
    make = functools.partial(_announcement_spec, m, n, crumbs, regions, deps, key)
    return _kept(memo, ("announcement-page", edition, n.digest, *[r.digest for r in regions],
                        m.html.source(key), crumbs), make)


def _announcement_spec(m: SiteModel, n: NewsItem, crumbs: Crumbs, regions: tuple[Region, ...],
                       deps: tuple[str, ...], key: str) -> PageSpec:
    """An announcement's spec (announcement_page), its body made only when it is rendered."""
    return PageSpec(urls.announcement(n.slug), "announcement.html", n.title, crumbs,
                    n.last_updated, n.summary, {"item": n, "regions": regions}, deps, n.lang,
                    later=functools.partial(_body, m.html.lazy(key)))


def _body(html: Callable[[], str]) -> dict[str, Any]:
    """An announcement's body, for its template, made only when the page is rendered."""
    return {"body": html()}


def tag_index(m: SiteModel, t: Catalogue) -> PageSpec:
    """Every topic with its number of announcements (what it shows is all it depends on)."""
    return PageSpec(urls.TAGS, "tags.html", t("tags_title"),
                    (*_home(t), (t("news_title"), urls.NEWS)), _latest(m.news),
                    t("tags_description"),
                    deps=(repr([(tag, len(m.news_by_tag[tag])) for tag in m.tags]),))


def tag_page(m: SiteModel, t: Catalogue, tag: str, facts: Mapping[str, str]) -> PageSpec:
    """The announcements with one topic."""
    items = m.news_by_tag[tag]
    return PageSpec(urls.tag(tag), "tag.html", t("tag_title", tag=tag),
                    (*_home(t), (t("news_title"), urls.NEWS), (t("tags_title"), urls.TAGS)),
                    _latest(items), t("tag_description", tag=tag), {"tag": tag, "items": items},
                    _shown(items, facts))


def page_templates(slug: str) -> tuple[str, ...]:
    """The templates that may render a static page: its own page-<slug>.html if there is one,
    else the generic page (the first that exists renders it)."""
    return (f"page-{slug}.html", GENERIC_PAGE)


def static_page(m: SiteModel, t: Catalogue, p: Page, downloads: Callable[[], dict[str, bytes]],
                listings: tuple[str, ...] = (), memo: Memo | None = None) -> PageSpec:
    """A page from content/pages/; templates/page-<slug>.html may add computed parts (the data
    page: ``downloads``, the open-data files, made from what ``listings`` names)."""
    names = page_templates(p.slug)
    data = urls.static_page(p.slug) == urls.DATA
    later = functools.partial(_data_page, m, t, downloads, memo) if data else None
    return PageSpec(urls.static_page(p.slug), "|".join(names), p.title, _home(t), p.updated,
                    p.summary, {"doc": p, "body": m.html[f"page:{p.slug}"]},
                    (p.digest, *(listings if data else ())), p.lang, later)


def search_page(m: SiteModel, t: Catalogue) -> PageSpec:
    """The search box; search.js fills in results, and without it the page links to the lists."""
    return PageSpec(urls.SEARCH, "search.html", t("search_title"), _home(t), None,
                    t("search_description"),  # links to the section of /tentang/ on joining
                    deps=_each(p for p in m.pages if p.slug == "tentang"))


def search_index(m: SiteModel, t: Catalogue, listings: tuple[str, ...],
                 memo: Memo | None = None) -> DataFile:
    """What the search page searches: every region, kabupaten/kota, announcement and page
    (``listings``: what it reads, _listings)."""
    return DataFile(urls.SEARCH_INDEX, lambda: search.index_json(m, t, memo), listings)


def _listings(m: SiteModel, facts: Mapping[str, str]) -> tuple[str, ...]:
    """What the search index and the open data read: all regions, reference data and pages, and
    the announcements without their text (``facts``: editing a body leaves them be)."""
    return (*_all(m, "regions", "reference", "pages"), facts_digest(facts))


def _data_page(m: SiteModel, t: Catalogue, downloads: Callable[[], dict[str, bytes]],
               memo: Memo | None) -> dict[str, Any]:
    """The data page documents every download (outputs/opendata.py) below its text, from the
    same files the downloads are (made when the page is rendered: PageSpec.later)."""
    files = downloads()
    return {"datasets": opendata.datasets(m, t, files, memo),
            "package": opendata.package_download(files)}


def hosting_files(m: SiteModel) -> list[DataFile]:
    """GitHub Pages files: an empty .nojekyll (serve the files as they are, no Jekyll pass) and,
    when the site lives on its own domain, CNAME naming it.

    The custom domain is derived from the base URL being built (site_config.yaml, or the address
    ``actions/configure-pages`` reports): an https host that is not *.github.io, not localhost or
    an IP address, with no path. No extra setting can disagree with base_url that way.
    """
    files = [DataFile(".nojekyll", lambda: b"")]
    domain = custom_domain(m.urls.origin, m.urls.base_path)
    if domain:
        files.append(DataFile("CNAME", lambda: domain.encode("ascii") + b"\n"))
    return files


def custom_domain(origin: str, base_path: str) -> str | None:
    """The custom domain GitHub Pages would serve this site from, or None."""
    scheme, _, host = origin.partition("://")
    host = host.split(":", 1)[0].lower()
    if scheme != "https" or base_path != "/" or not host or "." not in host:
        return None
    if host.endswith(".github.io") or host == "localhost" or host.replace(".", "").isdigit() \
            or host.startswith("["):
        return None
    return host


def map_page(m: SiteModel, t: Catalogue, places: Mapping[str, str]) -> PageSpec:
    """The province map, large, with the same provinces as a list (only with provinces.geojson)."""
    return PageSpec(urls.MAP, "map.html", t("map_title"), _home(t), m.site_updated,
                    t("map_description"), deps=_places(places) + _all(m, "reference"))


def security_contacts(m: SiteModel) -> list[str]:
    """Contact URIs for security.txt, from site_config.yaml's contact (e-mail first)."""
    contact = m.config.contact
    found = [f"mailto:{contact['email']}"] if contact.get("email") else []
    return found + ([contact["feedback_url"]] if contact.get("feedback_url") else [])


def security_txt(m: SiteModel) -> Iterator[DataFile]:
    """RFC 9116 security.txt, when the site has a contact and dated content; no text from the
    configuration can add a line (``lines.one_line``), so every field is one the portal wrote.

    Expires is one year after the newest content date rather than a clock reading, so builds
    stay byte-identical; a site left unedited for a year then says its contacts may be stale.
    """
    contacts = security_contacts(m)
    if not contacts or m.site_updated is None:
        return
    expires = m.site_updated + dt.timedelta(days=365)
    lines = [f"# {one_line(m.config.title)}: how to report a security vulnerability (RFC 9116).",
             *(f"Contact: {one_line(c)}" for c in contacts),
             f"Expires: {expires.isoformat()}T00:00:00Z",
             "Preferred-Languages: id, en",
             f"Canonical: {one_line(m.urls.absolute(urls.SECURITY_TXT))}"]
    yield DataFile(urls.SECURITY_TXT, lambda: ("\n".join(lines) + "\n").encode("utf-8"))


def not_found(m: SiteModel, t: Catalogue) -> PageSpec:
    """The page GitHub Pages serves for any unknown address."""
    return PageSpec(urls.NOT_FOUND, "404.html", t("not_found_title"), _home(t), None,
                    t("not_found_description"), deps=())
