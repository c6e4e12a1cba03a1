"""The one URL helper: every internal link is built here, so a subpath in base_url always holds.

A *route* is a path inside the site with no leading slash ("daerah/kota-bandung/"; "" is home).
``Urls.path`` turns it into a root-relative URL under the base path ("/kota-cerdas/daerah/…"),
``Urls.absolute`` into a full URL for canonical links and feeds, and ``output_file`` into the
file that holds it ("daerah/kota-bandung/index.html"). The route functions below are the only
place that knows what the site's URLs look like.

Whether a link may be published at all is decided here too, once: ``is_safe_link``, as a browser
reads the link (and as a more lenient reader would).

Each language edition has its own ``Urls`` with a prefix ("en/" for English, "" for the default
language), so the same routes give every edition the same structure under its own folder; files
shared by all editions (theme assets, security.txt) go through ``Urls.root``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
"""The only schemes a link in published HTML may have (besides none: a relative link)."""


class Urls:
    """Builds internal URLs under the base path of ``base_url``."""

    def __init__(self, base_url: str, prefix: str = ""):
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.origin = f"{parts.scheme}://{parts.netloc}"
        path = parts.path or "/"
        self.base_path = path if path.endswith("/") else path + "/"
        self.prefix = prefix

    @property
    def root(self) -> Urls:
        """The URLs of files every edition shares (no language prefix)."""
        return Urls(self.base_url) if self.prefix else self

    def edition(self, prefix: str) -> Urls:
        """The same site's URLs in the edition with another prefix."""
        return Urls(self.base_url, prefix)

    def path(self, route: str) -> str:
        """Root-relative URL of a route, e.g. '/kota-cerdas/en/daerah/kota-bandung/'."""
        return self.base_path + self.prefix + route.lstrip("/")

    def file(self, route: str) -> str:
        """The file in output/ that serves a route of this edition."""
        return output_file(self.prefix + route)

    def absolute(self, route: str) -> str:
        """Full URL of a route, for canonical links, feeds and sitemaps."""
        return self.origin + self.path(route)

    def site_link(self, href: str) -> str:
        """Put an editor's root-relative link ('/data/') under the base path; others unchanged."""
        if href.startswith("/") and not href.startswith("//"):
            if href.startswith(self.base_path) and self.base_path != "/":
                return href
            return self.path(href)
        return href


_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_INVISIBLE = ("Zs", "Zl", "Zp", "Cc", "Cf")
_ALLOWED = SAFE_SCHEMES | {""}


def as_browser_reads(href: str) -> str:
    """An href or src value as a browser's URL parser starts on it (WHATWG URL): without C0
    controls and spaces at either end, and without tabs and newlines anywhere. Unicode spaces
    (U+00A0, U+3000, …) stay: to a browser they are part of a relative URL."""
    return href.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)


def scheme(href: str) -> str:
    """The scheme a browser gives a link ('https', 'javascript'; '' for a relative link)."""
    m = _SCHEME.match(as_browser_reads(href))
    return m.group()[:-1].lower() if m else ""


def is_safe_link(href: str) -> bool:
    """Whether a link (its decoded attribute value) is relative or http(s), mailto or tel.

    Decided the way a browser parses it, and also the way a more lenient reader would, one that
    drops every space, control and invisible format character (as Python's ``str.strip`` and some
    feed readers do): U+3000 followed by ``javascript:`` is a harmless relative link to a browser,
    but not to such a reader, so it is refused too.
    """
    if scheme(href) not in _ALLOWED:
        return False
    if href.isascii() and href.isprintable() and " " not in href:
        return True  # printable ASCII but the space: nothing in it is invisible, nothing dropped
    lenient = "".join(c for c in href if unicodedata.category(c) not in _INVISIBLE)
    return scheme(lenient) in _ALLOWED


def output_file(route: str) -> str:
    """The file in output/ that serves a route: pretty URLs end in '/' and live in index.html."""
    return route + "index.html" if route.endswith("/") or route == "" else route


# --- the site's routes (Bahasa Indonesia, pretty URLs) ------------------------------------

HOME = ""
DIRECTORY = "daerah/"
PROVINCES = "provinsi/"
COHORTS = "angkatan/"
NEWS = "berita/"
TAGS = "topik/"
NOT_FOUND = "404.html"
MAP = "peta/"
SEARCH = "cari/"
SEARCH_INDEX = "cari/indeks.json"
ASSETS = "assets/"
SECURITY_TXT = ".well-known/security.txt"
"""RFC 9116: where to report a vulnerability (GitHub Pages serves dot-folders as-is)."""


def region(slug: str) -> str:
    """A participant's page."""
    return f"{DIRECTORY}{slug}/"


def province(slug: str) -> str:
    """A province's page."""
    return f"{PROVINCES}{slug}/"


def cohort(year: int) -> str:
    """A yearly round's page."""
    return f"{COHORTS}{year}/"


def news_page(number: int) -> str:
    """Page N of the announcement list (page 1 is the list itself)."""
    return NEWS if number == 1 else f"{NEWS}halaman/{number}/"


def announcement(slug: str) -> str:
    """One announcement."""
    return f"{NEWS}{slug}/"


def tag(slug: str) -> str:
    """The announcements with one tag."""
    return f"{TAGS}{slug}/"


def static_page(slug: str) -> str:
    """A page from content/pages/."""
    return f"{slug}/"


def asset(name: str) -> str:
    """A theme file copied from templates/assets/."""
    return ASSETS + name


DATA = "data/"


def data_file(name: str) -> str:
    """An open data download beside the data page (data/peserta.csv, data/datapackage.json)."""
    return DATA + name


# Feeds and files for crawlers. A feed lives beside the page it mirrors: the site's feeds under
# berita/, a topic's under topik/<tag>/.
FEED_ATOM = "atom.xml"
FEED_RSS = "rss.xml"
FEED_JSON = "feed.json"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def feed(name: str, tag_slug: str | None = None) -> str:
    """A news feed file ('berita/atom.xml'), or one topic's ('topik/<tag>/atom.xml')."""
    return (tag(tag_slug) if tag_slug else NEWS) + name
