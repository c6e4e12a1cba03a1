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
import xml.etree.ElementTree as ET
from typing import Iterable

from kotacerdas.core import urls
from kotacerdas.core.lines import one_line
from kotacerdas.core.urls import Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(site_urls: Urls, pages: Iterable[tuple[str, dt.date | None]],
                editions: Iterable[tuple[str, Urls]] = ()) -> bytes:
    """The sitemaps.org 0.9 document for (route, content date) pairs, sorted by URL, with each
    page's twins in the given (language, URLs) editions when there is more than one."""
    editions = list(editions)
    attributes = {"xmlns": SITEMAP_NS}
    if len(editions) > 1:
        attributes["xmlns:xhtml"] = XHTML_NS
    root = ET.Element("urlset", attributes)
    for route, updated in sorted(pages, key=lambda pair: pair[0]):
        if route == urls.NOT_FOUND:
            continue
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = site_urls.absolute(route)
        if updated is not None:
            ET.SubElement(entry, "lastmod").text = updated.isoformat()
        if len(editions) > 1:
            for language, twin in [*editions, ("x-default", editions[0][1])]:
                ET.SubElement(entry, "xhtml:link", {"rel": "alternate", "hreflang": language,
                                                    "href": twin.absolute(route)})
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)  # typeshed says Any
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def robots_txt(editions: Iterable[Urls]) -> bytes:
    """Allow everything and point to every edition's sitemap.

    On a GitHub Pages project site this file sits under the project path, where crawlers do not
    look; it still documents the sitemaps and takes effect when the site moves to its own domain.
    A base URL cannot add a rule: each address stays on its own line (``lines.one_line``).
    """
    lines = "".join(f"Sitemap: {one_line(u.absolute(urls.SITEMAP))}\n" for u in editions)
    return f"User-agent: *\nAllow: /\n\n{lines}".encode("utf-8")
