"""sitemap.xml and robots.txt, computed from the same page list the build renders.

The sitemap lists every HTML page of the site map except the 404 page, by absolute URL under the
base path, with ``lastmod`` from the page's content date (never the build date, so the file only
changes when content does). Each language edition has its own sitemap; every entry names its
twins in all editions (``xhtml:link rel="alternate" hreflang``), as search engines ask. Drafts
and future announcements are not in the page list unless the build asked for them, so they
cannot leak here.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from kotacerdas.core import urls, xmltext
from kotacerdas.core.lines import one_line
from kotacerdas.core.urls import Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(site_urls: Urls, pages: Iterable[tuple[str, dt.date | None]],
                editions: Iterable[tuple[str, Urls]] = ()) -> bytes:
    """The sitemaps.org 0.9 document for (route, content date) pairs, sorted by URL, with each
    page's twins in the given (language, URLs) editions when there is more than one."""
    editions = list(editions)
    twins = [*editions, ("x-default", editions[0][1])] if len(editions) > 1 else []
    element = xmltext.element
    entries = []
    for route, updated in sorted(pages, key=lambda pair: pair[0]):
        if route == urls.NOT_FOUND:
            continue
        parts = [element(2, "loc", text=site_urls.absolute(route))]
        if updated is not None:
            parts.append(element(2, "lastmod", text=updated.isoformat()))
        parts += [element(2, "xhtml:link", [("rel", "alternate"), ("hreflang", language),
                                            ("href", twin.absolute(route))])
                  for language, twin in twins]
        entries.append(element(1, "url", children=parts))
    namespaces = [("xmlns", SITEMAP_NS), *([("xmlns:xhtml", XHTML_NS)] if twins else [])]
    return xmltext.document(element(0, "urlset", namespaces, children=entries))


def robots_txt(editions: Iterable[Urls]) -> bytes:
    """Allow everything and point to every edition's sitemap.

    On a GitHub Pages project site this file sits under the project path, where crawlers do not
    look; it still documents the sitemaps and takes effect when the site moves to its own domain.
    A base URL cannot add a rule: each address stays on its own line (``lines.one_line``).
    """
    lines = "".join(f"Sitemap: {one_line(u.absolute(urls.SITEMAP))}\n" for u in editions)
    return f"User-agent: *\nAllow: /\n\n{lines}".encode("utf-8")
