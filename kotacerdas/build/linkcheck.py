"""Check the rendered site in memory: every internal link and #anchor leads somewhere.

Works on the rendered files ({output path: bytes}) before anything is written, so ``check``
can refuse a broken link the way it refuses a broken field. Internal links (root-relative,
relative, or absolute on the site's own origin) must resolve to a rendered file under the base
path, as a static server such as GitHub Pages would serve it; a ``#fragment`` must match an
``id`` on the target page. External links are collected for listing and never fetched: the
check must work offline and give the same answer every time.

When a broken link comes from an editor's Markdown, the problem points at the source file and
line (``sources`` maps an output file to the file it was made from); otherwise it points at
the built page, because the link came from a template.

Two more things every page must get right are checked on the way: an id appears only once on a
page (a second one makes links and aria references find the wrong place), and no href or src has
a scheme other than http(s), mailto or tel (``urls.is_safe_link``), whoever wrote it.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import defaultdict
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Iterable, Mapping
from urllib.parse import unquote, urljoin, urlsplit

from kotacerdas.core.errors import Problem
from kotacerdas.core.records import field, record
from kotacerdas.core.urls import is_safe_link

if TYPE_CHECKING:
    from kotacerdas.content.types import NewsItem, Page
    from kotacerdas.model.site import SiteModel

LINK_ATTRIBUTES = ("href", "src")
SKIPPED_SCHEMES = ("mailto", "tel")
_XML_LINK = re.compile(r'<loc>\s*([^<\s]+)\s*</loc>|<link\b[^>]*?\bhref="([^"]+)"')


@record
class Source:
    """The editor's file an output page was made from: where to point a problem."""

    path: str
    body: str
    """The Markdown body, as the loader read it."""
    front_matter: str = ""
    """The file's text before the body (the '---' lines and fields)."""
    prefix: str = ""
    """The language edition's prefix of the page ('en/'), which the build added to its links."""


@record(frozen=False)
class LinkReport:
    """What the link check found."""

    problems: list[Problem] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)
    """External URL → output pages that link to it (sorted), for listing; never fetched."""
    checked: int = 0
    """Internal links checked."""


@record(frozen=False)
class _Page:
    links: list[tuple[str, int]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    id_lines: dict[str, int] = field(default_factory=dict)
    """Where each id first appears."""
    duplicates: list[tuple[str, int]] = field(default_factory=list)
    """(id, line) of every id already used earlier on the page."""


class _Collector(HTMLParser):
    """Collects href/src/srcset values with their line, and every id (and a[name])."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name in LINK_ATTRIBUTES:
                self.page.links.append((value, line))
            elif name == "srcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.page.links.append((url, line))
            elif name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
                if name == "id" and value in self.page.id_lines:
                    self.page.duplicates.append((value, line))
                elif name == "id":
                    self.page.id_lines[value] = line

    handle_startendtag = handle_starttag


def _parse_html(data: bytes) -> _Page:
    collector = _Collector()
    collector.feed(data.decode("utf-8", errors="replace"))
    collector.close()
    return collector.page


def _parse_xml(data: bytes) -> _Page:
    """Links in feeds and sitemaps: <loc>…</loc> and <link href="…">, not the escaped HTML
    inside feed entries (those links are checked on the pages they come from)."""
    text = data.decode("utf-8", errors="replace")
    page = _Page()
    for m in _XML_LINK.finditer(text):
        page.links.append((html.unescape(m.group(1) or m.group(2)),
                           text.count("\n", 0, m.start()) + 1))
    return page


def page_url(base_path: str, output_path: str) -> str:
    """The URL path a browser shows for an output file ('daerah/x/index.html' →
    '/base/daerah/x/')."""
    if output_path == "index.html" or output_path.endswith("/index.html"):
        output_path = output_path[: -len("index.html")]
    return base_path + output_path


def _route_of(output_path: str) -> str:
    """An output file as the address an editor writes: 'daerah/x/index.html' → '/daerah/x/'."""
    if output_path == "index.html" or output_path.endswith("/index.html"):
        return "/" + output_path[: -len("index.html")]
    return "/" + output_path


class _Checker:
    def __init__(self, files: Mapping[str, bytes], base_url: str, extra: Iterable[str],
                 sources: Mapping[str, Source], output_label: str):
        parts = urlsplit(base_url)
        self.scheme, self.netloc = parts.scheme, parts.netloc
        path = parts.path or "/"
        self.base_path = path if path.endswith("/") else path + "/"
        self.files = set(files) | set(extra)
        self.sources = sources
        self.output_label = output_label.rstrip("/")
        self.pages: dict[str, _Page] = {}
        for name in sorted(files):
            if name.endswith(".html"):
                self.pages[name] = _parse_html(files[name])
            elif name.endswith(".xml"):
                self.pages[name] = _parse_xml(files[name])
        self.report = LinkReport()
        self._routes: list[str] | None = None
        # Template links broken on many pages are reported once: (url, reason) → pages.
        self._template_problems: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        self._external: dict[str, set[str]] = defaultdict(set)
        # A content file shown in several editions has its broken link reported once, from
        # the default edition when it has it: (file, line, link as written) → problem.
        self._content_problems: dict[tuple[str, int, str], tuple[str, Problem]] = {}
        # A repeated id, by (id, content file or ""): (page, line, line of its first use).
        self._duplicate_ids: dict[tuple[str, str], list[tuple[str, int, int]]] = defaultdict(list)

    # --- resolving --------------------------------------------------------------------

    def _target(self, path: str) -> str | None:
        """The output file a URL path under the base path is served from, if it exists."""
        rel = path[len(self.base_path):]
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in self.files:
            return rel
        if rel + "/index.html" in self.files:  # GitHub Pages redirects /x to /x/
            return rel + "/index.html"
        return None

    def routes(self) -> list[str]:
        if self._routes is None:
            self._routes = sorted(_route_of(f) for f in self.files if not f.startswith("assets/"))
        return self._routes

    def check_page(self, name: str, page: _Page) -> None:
        here = page_url(self.base_path, name)
        source = self.sources.get(name)
        for value, line in page.duplicates:
            self._duplicate_ids[(value, source.path if source else "")].append(
                (name, line, page.id_lines[value]))
        for value, line in page.links:
            if not is_safe_link(value):
                self._problem(name, line, value, "unsafe",
                              f"link to {value!r} is not a web address (https://…), mailto:, tel: "
                              "or a site address, and a browser or feed reader could run it as a "
                              "program: remove it")
                continue
            value = value.strip()
            try:
                parts = urlsplit(value)
                urljoin(here, parts.path)
            except ValueError:
                self._problem(name, line, value, "invalid",
                              f"link to {value} is not a valid web address; check its brackets "
                              "and spelling")
                continue
            scheme = parts.scheme.lower()
            if scheme in SKIPPED_SCHEMES or value == "":
                continue
            if parts.netloc or scheme:
                same_site = parts.netloc == self.netloc and scheme in ("", "http", "https")
                if not same_site:
                    self._external[value].add(name)
                    continue
            self.report.checked += 1
            if parts.path:
                path = unquote(urljoin(here, parts.path))
            elif name.endswith(".xml"):
                continue
            else:
                path = here
            if not path.startswith(self.base_path):
                self._problem(name, line, value, "outside",
                              f"link to {value} points outside the site, which lives under "
                              f"{self.base_path}; write site addresses from the site root, "
                              "e.g. /daerah/kota-bandung/")
                continue
            target = self._target(path)
            if target is None:
                self._missing_page(name, line, value, path, relative=not parts.path.startswith("/")
                                   and not scheme and bool(parts.path))
                continue
            fragment = unquote(parts.fragment)
            if fragment and fragment.lower() != "top" and target in self.pages \
                    and target.endswith(".html") and fragment not in self.pages[target].ids:
                self._missing_id(name, line, value, target, fragment)

    # --- problems ---------------------------------------------------------------------

    def _shown(self, value: str, prefix: str = "") -> str:
        """A link as the editor wrote it: without the base path (and edition prefix) the build
        added."""
        for added in (self.base_path + prefix, self.base_path):
            if added != "/" and value.startswith(added):
                return "/" + value[len(added):]
        return value

    def _missing_page(self, name: str, line: int, value: str, path: str, relative: bool) -> None:
        wanted = "/" + path[len(self.base_path):]
        near = difflib.get_close_matches(wanted, self.routes(), n=1, cutoff=0.8)
        tip = f" (did you mean {near[0]}?)" if near else ""
        if relative:
            tip += f"; a link without a leading '/' is read relative to this page's address, " \
                   f"so it points to {wanted}: write site addresses from the site root, " \
                   f"e.g. /{value}"
        self._problem(name, line, value, "missing",
                      f"link to {self._shown(value)} leads to a page that does not exist{tip}; "
                      "fix the address or remove the link")

    def _missing_id(self, name: str, line: int, value: str, target: str, fragment: str) -> None:
        near = difflib.get_close_matches(fragment, sorted(self.pages[target].ids), n=1, cutoff=0.6)
        tip = f" (did you mean #{near[0]}?)" if near else ""
        where = "this page" if target == name else f"the page {_route_of(target)}"
        self._problem(name, line, value, "anchor",
                      f"link to {self._shown(value)}: {where} has no heading or element with id "
                      f"'{fragment}'{tip}; a heading's id comes from its text, e.g. "
                      "'## Rincian Program' becomes #rincian-program")

    def _problem(self, name: str, line: int, value: str, reason: str, message: str) -> None:
        source = self.sources.get(name)
        if source is not None:
            shown = self._shown(value, source.prefix)
            found = find_line(source.body, list(dict.fromkeys([value, self._shown(value), shown])),
                              source.front_matter)
            if found:
                key = (source.path, found, shown)
                if key not in self._content_problems or not source.prefix:
                    if source.prefix:  # say it the way the editor writes it, without 'en/'
                        message = message.replace(self._shown(value), shown, 1).replace(
                            f"(did you mean /{source.prefix}", "(did you mean /")
                    self._content_problems[key] = (source.prefix,
                                                   Problem(source.path, found, message))
                return
        self._template_problems[(value, message)].append((name, line))

    def finish(self) -> LinkReport:
        self.report.problems.extend(problem for _, problem in self._content_problems.values())
        for (value, source), where in sorted(self._duplicate_ids.items()):
            name, line, first = where[0]
            others = len({page for page, _, _ in where} - {name})
            more = f" (the same on {others} other built page{'s' * (others > 1)})" if others else ""
            cause = (f"if it is a heading's id from {source}, change that heading's text or an "
                     "HTML id there" if source else
                     "it comes from a template or generated data: give one of the elements "
                     "another id")
            self.report.problems.append(Problem(
                f"{self.output_label}/{name}", line,
                f"built page: the id '{value}' is used again here, after line {first}{more}; an id "
                f"may appear only once on a page, because links and screen readers use it to find "
                f"one place: {cause}"))
        for (value, message), places in sorted(self._template_problems.items()):
            name, line = places[0]
            more = f" (the same link is on {len(places) - 1} other built page" \
                   f"{'s' if len(places) > 2 else ''})" if len(places) > 1 else ""
            self.report.problems.append(Problem(
                f"{self.output_label}/{name}", line,
                f"built page: {message}{more}; the link comes from a template or generated "
                "data, not from a content file"))
        self.report.problems.sort()
        self.report.external = {url: sorted(pages) for url, pages in sorted(self._external.items())}
        return self.report


def find_line(body: str, needles: list[str], front_matter: str = "") -> int:
    """The 1-based line of the file where one of the URLs appears as a whole link, preferring the
    body.

    The front matter (the text before the body) is searched last, since Markdown links are in
    the body; 0 when the URL does not appear (it came from somewhere else).
    """
    patterns = [re.compile(r"(?<![\w/.#-])" + re.escape(n) + r"(?![\w/.#-])") for n in needles]
    first = front_matter.count("\n")
    for start, text in ((first, body), (0, front_matter)):
        for i, line in enumerate(text.split("\n"), start=start + 1):
            if any(p.search(line) for p in patterns):
                return i
    return 0


def check_links(files: Mapping[str, bytes], base_url: str, extra: Iterable[str] = (),
                sources: Mapping[str, Source] | None = None,
                output_label: str = "output") -> LinkReport:
    """Check every internal link and fragment of the rendered files; list external links.

    ``files`` are the rendered outputs by path; ``extra`` names further files the build writes
    (theme assets); ``sources`` maps output paths to the content file they came from;
    ``output_label`` prefixes built-page paths in problems (the output folder's name).
    """
    checker = _Checker(files, base_url, extra, sources or {}, output_label)
    for name, page in checker.pages.items():
        checker.check_page(name, page)
    return checker.finish()


def content_sources(model: SiteModel) -> dict[str, Source]:
    """Output page → the Markdown file it was made from (announcements and static pages), with
    the text the loader read: nothing is read from content/ again."""
    from kotacerdas.core import urls

    items: list[tuple[str, NewsItem | Page]] = [
        *((urls.announcement(n.slug), n) for n in model.news),
        *((urls.static_page(p.slug), p) for p in model.pages)]
    return {model.urls.file(route): Source(item.path, item.body, item.front_matter,
                                           model.urls.prefix)
            for route, item in items}
