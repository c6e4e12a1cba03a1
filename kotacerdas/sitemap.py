"""sitemap.xml and robots.txt, computed from the same page list the build renders.

The sitemap lists every HTML page of the site map except the 404 page, by absolute URL under the
base path, with ``lastmod`` from the page's content date (never the build date, so the file only
changes when content does). Drafts and future announcements are not in the page list unless the
build asked for them, so they cannot leak here.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Iterable

from . import urls
from .urls import Urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(site_urls: Urls, pages: Iterable[tuple[str, dt.date | None]]) -> bytes:
    """The sitemaps.org 0.9 document for (route, content date) pairs, sorted by URL."""
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for route, updated in sorted(pages, key=lambda pair: pair[0]):
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = site_urls.absolute(route)
        if updated is not None:
            ET.SubElement(entry, "lastmod").text = updated.isoformat()
    ET.indent(root)
    return (b'<?xml version="1.0" encoding="utf-8"?>\n'
            + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n")


def robots_txt(site_urls: Urls) -> bytes:
    """Allow everything and point to the sitemap.

    On a GitHub Pages project site this file sits under the project path, where crawlers do not
    look; it still documents the sitemap and takes effect when the site moves to its own domain.
    """
    return (f"User-agent: *\nAllow: /\n\nSitemap: {site_urls.absolute(urls.SITEMAP)}\n").encode("utf-8")
