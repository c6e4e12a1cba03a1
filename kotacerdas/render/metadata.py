"""What a page tells machines about itself: feed autodiscovery, Open Graph, Twitter card, JSON-LD.

``page_meta`` looks only at the page spec (its route, title, description, dates and the content in
its context) and the site configuration, which are exactly what the page's fingerprint covers, so
incremental rebuilds stay correct. ``jsonld`` serializes structured data so that no text from
front matter can end the <script> element it sits in.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from kotacerdas.outputs import feeds
from kotacerdas.core import urls
from kotacerdas.content.types import NewsItem, Province, Region, Source
from kotacerdas.core.records import record
from kotacerdas.model.i18n import Catalogue
from kotacerdas.model.site import SiteModel
from kotacerdas.site.pages import PageSpec

SCHEMA = "https://schema.org"
LOCALES = {"id": "id_ID", "en": "en_GB"}
KEMENDAGRI = "Kode wilayah Kemendagri"

JsonLd = dict[str, Any]


@record
class FeedLink:
    """A <link rel="alternate"> to a feed."""

    media_type: str
    title: str
    route: str


@record
class PageMeta:
    """Everything base.html puts in <head> besides title, description and canonical."""

    feeds: tuple[FeedLink, ...]
    open_graph: tuple[tuple[str, str], ...]
    """<meta property=… content=…> pairs."""
    twitter: tuple[tuple[str, str], ...]
    """<meta name=… content=…> pairs."""
    json_ld: tuple[JsonLd, ...]


def page_meta(m: SiteModel, t: Catalogue, spec: PageSpec) -> PageMeta:
    """The machine-readable description of one page."""
    feed_list = [feeds.site_feed(m, t)]
    tag = spec.context.get("tag")
    if isinstance(tag, str) and spec.route == urls.tag(tag):
        feed_list.append(feeds.tag_feed(m, t, tag))
    links = tuple(FeedLink(fmt.media_type, t("feed_link", title=f.title, format=fmt.label),
                           f.route(fmt.name)) for f in feed_list for fmt in feeds.FORMATS)
    if spec.route == urls.NOT_FOUND:  # served at any unknown address: it describes no URL
        return PageMeta(links, (), (), ())
    return PageMeta(links, open_graph(m, spec), twitter_card(m, spec), json_ld(m, spec))


def _title(m: SiteModel, spec: PageSpec) -> str:
    return spec.title if spec.route else m.config.title


def open_graph(m: SiteModel, spec: PageSpec) -> tuple[tuple[str, str], ...]:
    """Open Graph: what link previews in chat apps and social networks show."""
    item = spec.context.get("item")
    news = item if isinstance(item, NewsItem) else None
    tags: list[tuple[str, str]] = [
        ("og:type", "website" if news is None else "article"),
        ("og:title", _title(m, spec)),
        ("og:url", m.urls.absolute(spec.route)),
        ("og:site_name", m.config.title),
        ("og:locale", LOCALES.get(m.config.language, m.config.language)),
        *(("og:locale:alternate", LOCALES.get(lang, lang))
          for lang, _ in m.editions if lang != m.config.language),
    ]
    if spec.description:
        tags.insert(2, ("og:description", spec.description))
    if news is not None:
        tags.append(("article:published_time", feeds.rfc3339(news.date)))
        tags.append(("article:modified_time", feeds.rfc3339(news.last_updated)))
        tags.extend(("article:tag", tag) for tag in news.tags)
    return tuple(tags)


def twitter_card(m: SiteModel, spec: PageSpec) -> tuple[tuple[str, str], ...]:
    """A text-only summary card (the site has no images to show)."""
    tags = [("twitter:card", "summary"), ("twitter:title", _title(m, spec))]
    if spec.description:
        tags.append(("twitter:description", spec.description))
    return tuple(tags)


def json_ld(m: SiteModel, spec: PageSpec) -> tuple[JsonLd, ...]:
    """schema.org data for the pages about one thing: the site, an announcement, a region."""
    item, region = spec.context.get("item"), spec.context.get("region")
    if spec.route == urls.HOME:
        return (site_graph(m),)
    if isinstance(item, NewsItem) and spec.route == urls.announcement(item.slug):
        return (news_article(m, item, spec.context.get("regions") or ()),)
    if isinstance(region, Region) and spec.route == urls.region(region.slug):
        return (administrative_area(m, region, spec.context.get("province")),)
    return ()


def organisation(m: SiteModel) -> JsonLd:
    """The government body behind the site (``organisation`` in site_config.yaml)."""
    org = m.config.organisation or {}
    name, url = feeds.publisher(m)
    data: JsonLd = {"@type": "GovernmentOrganization",
                    "@id": m.urls.absolute(urls.HOME) + "#organisasi", "name": name, "url": url}
    if org.get("short_name"):
        data["alternateName"] = str(org["short_name"])
    if org.get("address"):
        data["address"] = str(org["address"])
    return data


def site_graph(m: SiteModel) -> JsonLd:
    """The home page: the website and the GovernmentOrganization that publishes it."""
    org = organisation(m)
    website = {"@type": "WebSite", "@id": m.urls.absolute(urls.HOME) + "#situs",
               "name": m.config.title, "url": m.urls.absolute(urls.HOME),
               "inLanguage": m.config.language, "publisher": {"@id": org["@id"]}}
    if m.config.description:
        website["description"] = m.config.description
    return {"@context": SCHEMA, "@graph": [org, website]}


def news_article(m: SiteModel, item: NewsItem, regions: Any) -> JsonLd:
    """An announcement, with the sources it is based on and the regions it names."""
    url = m.urls.absolute(urls.announcement(item.slug))
    org = organisation(m)
    publisher = {k: org[k] for k in ("@type", "@id", "name", "url")}
    data: JsonLd = {
        "@context": SCHEMA, "@type": "NewsArticle", "headline": item.title,
        "description": item.summary, "url": url, "mainEntityOfPage": url,
        "datePublished": feeds.rfc3339(item.date), "dateModified": feeds.rfc3339(item.last_updated),
        "inLanguage": item.lang, "publisher": publisher, "author": publisher,
    }
    if item.tags:
        data["keywords"] = list(item.tags)
    if item.sources:
        data["isBasedOn"] = [creative_work(s) for s in item.sources]
    mentioned = [{"@type": "AdministrativeArea", "name": r.name,
                  "url": m.urls.absolute(urls.region(r.slug))}
                 for r in regions if isinstance(r, Region)]
    if mentioned:
        data["mentions"] = mentioned
    return data


def creative_work(source: Source) -> JsonLd:
    """A cited source: a web page, or a citation without a stable address."""
    data: JsonLd = {"@type": "CreativeWork"}
    if source.title and source.title != source.url:
        data["name"] = source.title
    if source.url:
        data["url"] = source.url
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.date:
        data["datePublished"] = source.date.isoformat()
    return data


def administrative_area(m: SiteModel, region: Region, province: Province | None) -> JsonLd:
    """A participating kabupaten/kota: Kemendagri code, province, centre coordinates."""
    data: JsonLd = {
        "@context": SCHEMA, "@type": "AdministrativeArea", "name": region.name,
        "identifier": {"@type": "PropertyValue", "propertyID": KEMENDAGRI, "value": region.code},
        "url": m.urls.absolute(urls.region(region.slug)),
    }
    if region.aliases:
        data["alternateName"] = list(region.aliases)
    if region.summary:
        data["description"] = region.summary
    if isinstance(province, Province):
        data["containedInPlace"] = {
            "@type": "AdministrativeArea", "name": province.name,
            "identifier": {"@type": "PropertyValue", "propertyID": KEMENDAGRI,
                           "value": province.code},
            "url": m.urls.absolute(urls.province(province.slug))}
    point = region.coordinates or _centroid(m, region.code)
    if point is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]}
    if region.website:
        data["sameAs"] = region.website
    return data


def _centroid(m: SiteModel, code: str) -> tuple[float, float] | None:
    """The reference list's centre point for a Kemendagri code, when it has one."""
    for k in m.content.kabkota:
        if k.code == code and k.lat is not None and k.lon is not None:
            return (k.lat, k.lon)
    return None


def jsonld(data: JsonLd) -> Markup:
    """JSON for a <script type="application/ld+json"> element that no string can break out of.

    Inside <script> HTML knows no escapes, so '</script>' in a title would end the element. JSON
    lets '<', '>' and '&' be written as \\u003c, \\u003e and \\u0026: parsers read the same text,
    and the HTML parser never sees a tag or character reference.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
