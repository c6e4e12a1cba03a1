"""News feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 for all announcements and for each topic.

Every feed carries the newest ``feed_items`` announcements with their full sanitized body, links
made absolute (feed readers have no base path), dates at midnight in Asia/Jakarta, and ids that
are the announcement's absolute URL so they never change. A feed's own date is its newest item's,
never the build time, so two builds of the same content give the same bytes.

XML is written as text in ElementTree's layout (core/xmltext.py, which escapes text and
attributes); characters XML 1.0 cannot carry at all are dropped first, so no title or body can
make a feed ill-formed.

Text is declared for what it is: Atom's title, subtitle and summary are text constructs of type
text, JSON Feed's title and summary are plain text, and bodies are HTML (Atom type="html",
content_html, content:encoded). RSS 2.0 declares nothing; its description is HTML to readers and
many read titles as HTML too, so every RSS text element whose HTML reading would differ from the
text ('<', '&amp;') is escaped for HTML (``rss_text``), and every other one is written as it is,
which shows the same in readers that take it for plain text.

Every href and src of a body is checked once more after it was made absolute (``absolute_links``):
a link that is not relative, http(s), mailto or tel is removed.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Callable, Sequence
from urllib.parse import urljoin, urlsplit

from kotacerdas.core import urls, xmltext
from kotacerdas.core.jsontext import pretty_json
from kotacerdas.core.urls import is_safe_link
from kotacerdas.content.types import NewsItem
from kotacerdas.model.i18n import Catalogue
from kotacerdas.core.clock import JAKARTA
from kotacerdas.core.memo import Memo
from kotacerdas.core.records import record
from kotacerdas.model.site import SiteModel

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
EPOCH = dt.date(1970, 1, 1)
"""Date of a feed with no items and a site with no dates (Atom requires one; it must not be now)."""

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LINK_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


@record
class Feed:
    """One feed: which announcements, what it is called, and the HTML page it mirrors."""

    title: str
    description: str
    page_route: str
    tag: str | None
    items: tuple[NewsItem, ...]

    def route(self, name: str) -> str:
        """Route of this feed in one format (urls.FEED_ATOM, FEED_RSS or FEED_JSON)."""
        return urls.feed(name, self.tag)


@record
class Format:
    """A feed format: its file name, media type (for autodiscovery) and producer."""

    name: str
    label: str
    media_type: str
    produce: Callable[[SiteModel, Feed, Memo | None], bytes]


def site_feed(m: SiteModel, t: Catalogue) -> Feed:
    """All announcements."""
    return Feed(f"{t('news_title')} | {m.config.title}", t("news_description"), urls.NEWS, None,
                m.news[:m.config.feed_items])


def tag_feed(m: SiteModel, t: Catalogue, tag: str) -> Feed:
    """The announcements with one topic."""
    return Feed(f"{t('tag_title', tag=tag)} | {m.config.title}", t("tag_description", tag=tag),
                urls.tag(tag), tag, m.news_by_tag.get(tag, ())[:m.config.feed_items])


def feed_files(m: SiteModel, t: Catalogue, memo: Memo | None = None
               ) -> list[tuple[str, Callable[[], bytes], tuple[str, ...]]]:
    """(route, producer, the digests of its announcements) of every feed file: the site's feeds,
    then each topic's. A feed shows nothing else but site-wide parts (title, publisher).
    ``memo`` keeps each entry's HTML with absolute links (core/memo.py)."""
    feeds = [site_feed(m, t), *(tag_feed(m, t, tag) for tag in m.tags)]
    return [(feed.route(fmt.name), _bind(fmt.produce, m, feed, memo),
             tuple(n.digest for n in feed.items))
            for feed in feeds for fmt in FORMATS]


def _bind(produce: Callable[[SiteModel, Feed, Memo | None], bytes], m: SiteModel, feed: Feed,
          memo: Memo | None) -> Callable[[], bytes]:
    return lambda: produce(m, feed, memo)


# --- shared pieces ------------------------------------------------------------------------------

def jakarta_time(day: dt.date) -> dt.datetime:
    """Midnight of a content date in Asia/Jakarta: dates in content are Jakarta calendar days."""
    return dt.datetime.combine(day, dt.time(), JAKARTA)


def rfc3339(day: dt.date) -> str:
    """'2021-12-31T00:00:00+07:00' (Atom, JSON Feed, JSON-LD)."""
    return jakarta_time(day).isoformat()


def rfc822(day: dt.date) -> str:
    """'Fri, 31 Dec 2021 00:00:00 +0700' (RSS 2.0), with English names whatever the locale:
    what ``email.utils.format_datetime`` gives, without importing ``email`` (7 ms)."""
    offset = jakarta_time(day).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return (f"{_DAYS[day.weekday()]}, {day.day:02d} {_MONTHS[day.month - 1]} {day.year:04d} "
            f"00:00:00 {sign}{hours:02d}{minutes:02d}")


def feed_updated(m: SiteModel, feed: Feed) -> dt.date:
    """The newest item's date (last update or publication): the feed changes only with content."""
    return max((n.last_updated for n in feed.items), default=m.site_updated or EPOCH)


def absolute_links(body: str, page_url: str) -> str:
    """Resolve every href/src of sanitized HTML against the page's absolute URL.

    Feed readers show content away from the site, where '/kota-cerdas/daerah/…' or '#bagian'
    would point nowhere; links that already carry a scheme (https:, mailto:) are left alone.
    Whatever the result, a link that is not safe (``urls.is_safe_link``) is dropped.
    """
    def fix(match: re.Match[str]) -> str:
        value = match.group(2)
        if not urlsplit(html.unescape(value)).scheme:
            value = urljoin(page_url, value)
        if not is_safe_link(html.unescape(value)):
            return ""
        return match.group(1) + value + match.group(3)
    return _LINK_ATTR.sub(fix, body)


def entry_html(m: SiteModel, item: NewsItem, memo: Memo | None = None) -> str:
    """An announcement's full body, as the page shows it, with absolute links (kept in ``memo``
    for the same body at the same address: every feed that lists it shows the same)."""
    page = m.urls.absolute(urls.announcement(item.slug))
    body = m.html[f"news:{item.slug}"]
    return (memo or Memo()).get(("feed-entry", page, body), lambda: absolute_links(body, page))


def publisher(m: SiteModel) -> tuple[str, str]:
    """(name, URL) of who publishes the announcements: the organisation, else the site."""
    org = m.config.organisation or {}
    return (str(org.get("name") or m.config.title),
            str(org.get("website") or m.urls.absolute(urls.HOME)))


def rss_text(text: str) -> str:
    """Plain text for an RSS element, escaped for HTML when a reader that reads it as HTML
    would show something else ('<b>', '&amp;'); otherwise as it is, right in every reader."""
    return html.escape(text, quote=False) if "<" in text or html.unescape(text) != text else text


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry, even escaped (control characters, U+FFFE/FFFF)."""
    return _NOT_XML.sub("", text)


def _element(depth: int, tag: str, attributes: Sequence[tuple[str, str]] = (),
             text: str | None = None, children: Sequence[str] = ()) -> str:
    """xmltext.element, every value and text ``_clean``ed first."""
    return xmltext.element(depth, tag, [(name, _clean(value)) for name, value in attributes],
                           None if text is None else _clean(text), children)


# --- the three formats --------------------------------------------------------------------------

def atom(m: SiteModel, feed: Feed, memo: Memo | None = None) -> bytes:
    """Atom 1.0 (RFC 4287)."""
    e = _element
    self_url = m.urls.absolute(feed.route(urls.FEED_ATOM))
    name, uri = publisher(m)
    head = [e(1, "title", text=feed.title), e(1, "subtitle", text=feed.description),
            e(1, "id", text=self_url),
            e(1, "link", [("rel", "self"), ("type", "application/atom+xml"), ("href", self_url)]),
            e(1, "link", [("rel", "alternate"), ("type", "text/html"),
                          ("href", m.urls.absolute(feed.page_route))]),
            e(1, "updated", text=rfc3339(feed_updated(m, feed))),
            e(1, "author", children=[e(2, "name", text=name), e(2, "uri", text=uri)])]
    entries = []
    for item in feed.items:
        url = m.urls.absolute(urls.announcement(item.slug))
        own = [("xml:lang", item.lang)] if item.lang != m.config.language else []  # not yet
        entries.append(e(1, "entry", own, children=[  # translated: the original's language
            e(2, "title", text=item.title), e(2, "id", text=url),
            e(2, "link", [("rel", "alternate"), ("type", "text/html"), ("href", url)]),
            e(2, "published", text=rfc3339(item.date)),
            e(2, "updated", text=rfc3339(item.last_updated)),
            *[e(2, "category", [("term", tag), ("label", tag),
                                ("scheme", m.urls.absolute(urls.TAGS))]) for tag in item.tags],
            e(2, "summary", text=item.summary),
            e(2, "content", [("type", "html")], text=entry_html(m, item, memo))]))
    return xmltext.document(e(0, "feed", [("xmlns", ATOM_NS), ("xml:lang", m.config.language)],
                              children=[*head, *entries]))


def rss(m: SiteModel, feed: Feed, memo: Memo | None = None) -> bytes:
    """RSS 2.0 with content:encoded for the full body and atom:link rel=self."""
    e = _element
    channel = [e(2, "title", text=rss_text(feed.title)),
               e(2, "link", text=m.urls.absolute(feed.page_route)),
               e(2, "description", text=rss_text(feed.description)),
               e(2, "language", text=m.config.language),
               e(2, "lastBuildDate", text=rfc822(feed_updated(m, feed))),
               e(2, "atom:link", [("rel", "self"), ("type", "application/rss+xml"),
                                  ("href", m.urls.absolute(feed.route(urls.FEED_RSS)))])]
    for item in feed.items:
        url = m.urls.absolute(urls.announcement(item.slug))
        channel.append(e(2, "item", children=[
            e(3, "title", text=rss_text(item.title)), e(3, "link", text=url),
            e(3, "guid", [("isPermaLink", "true")], text=url),
            e(3, "pubDate", text=rfc822(item.date)),
            *[e(3, "category", [("domain", m.urls.absolute(urls.TAGS))], text=rss_text(tag))
              for tag in item.tags],
            e(3, "description", text=rss_text(item.summary)),
            e(3, "content:encoded", text=entry_html(m, item, memo))]))
    return xmltext.document(e(0, "rss", [("version", "2.0"), ("xmlns:atom", ATOM_NS),
                                         ("xmlns:content", CONTENT_NS)],
                              children=[e(1, "channel", children=channel)]))


def json_feed(m: SiteModel, feed: Feed, memo: Memo | None = None) -> bytes:
    """JSON Feed 1.1; keys in the order the specification lists them, version first."""
    name, uri = publisher(m)
    items = []
    for item in feed.items:
        url = m.urls.absolute(urls.announcement(item.slug))
        entry: dict[str, str | list[str]] = {
            "id": url, "url": url, "title": item.title, "content_html": entry_html(m, item, memo),
            "summary": item.summary, "date_published": rfc3339(item.date),
            "date_modified": rfc3339(item.last_updated)}
        if item.tags:
            entry["tags"] = list(item.tags)
        if item.lang != m.config.language:
            entry["language"] = item.lang
        items.append(entry)
    data = {"version": JSON_FEED_VERSION, "title": feed.title,
            "home_page_url": m.urls.absolute(feed.page_route),
            "feed_url": m.urls.absolute(feed.route(urls.FEED_JSON)),
            "description": feed.description, "language": m.config.language,
            "authors": [{"name": name, "url": uri}], "items": items}
    return (pretty_json(data) + "\n").encode("utf-8")


FORMATS = (
    Format(urls.FEED_ATOM, "Atom", "application/atom+xml", atom),
    Format(urls.FEED_RSS, "RSS", "application/rss+xml", rss),
    Format(urls.FEED_JSON, "JSON Feed", "application/feed+json", json_feed),
)
"""The formats every feed is published in, in the order pages list them."""
