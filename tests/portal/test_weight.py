"""Weight budgets and no third-party requests, by counting bytes in output/ and in a real browser.

Budgets (gzip, level 6, as a web server sends them): each page with everything it loads under
100 KB (the map page under 250 KB), all CSS under 30 KB, all JavaScript under 20 KB. Citizens
read this on phones over slow, metered connections.

Two views of "everything it loads": the markup (stylesheets, scripts, icons, images, frames and
every url() inside the CSS), checked for every page of the site; and what Chromium actually
requests when it opens one page of each type, which also catches files a script fetches (the
search index) and proves that no request leaves the site's own origin.
"""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

from htmlcheck import pages
from kotacerdas.core import urls
from page_types import representative_pages, route_of

BASE_URL = "https://kominfo.github.io/kota-cerdas/"
PAGE_BUDGET = 100_000
MAP_BUDGET = 250_000
CSS_BUDGET = 30_000
JS_BUDGET = 20_000
MAP_ROUTE = getattr(urls, "MAP", "peta/")
SEARCH_ROUTE = getattr(urls, "SEARCH", "cari/")

LOADED_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
                "prefetch", "manifest", "mask-icon"}
SRC_TAGS = ("script", "img", "iframe", "frame", "embed", "source", "audio", "video", "track",
            "input", "image", "use", "feimage")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)


def gz(data: bytes) -> int:
    """Bytes on the wire when served gzip-compressed."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def subresources(html: str, page_url: str) -> list[str]:
    """Absolute URLs of everything a browser loads for this markup (not links one can follow)."""
    doc = BeautifulSoup(html, "html.parser")
    found = []
    for link in doc.find_all("link", href=True):
        if LOADED_LINKS & {r.lower() for r in link.get("rel", [])}:
            found.append(link["href"])
    for tag in doc.find_all(SRC_TAGS):
        for attr in ("src", "href", "xlink:href", "poster", "data"):
            if tag.has_attr(attr):
                found.append(tag[attr])
        for attr in ("srcset", "imagesrcset"):
            if tag.has_attr(attr):
                found += [c.strip().split()[0] for c in tag[attr].split(",") if c.strip()]
    for tag in doc.find_all(["object"], data=True):
        found.append(tag["data"])
    return [urljoin(page_url, u.strip()) for u in found
            if not u.strip().lower().startswith(("data:", "#"))]


def css_urls(css: str, css_url: str) -> list[str]:
    """Absolute URLs of the files a stylesheet pulls in (fonts, images, imports)."""
    out = []
    for m in CSS_URL.finditer(css):
        value = (m.group(2) or m.group(4) or "").strip()
        if value and not value.lower().startswith("data:") and not value.startswith("#"):
            out.append(urljoin(css_url, value))
    return out


def is_own(url: str) -> bool:
    """Whether a URL is a file of this site (same origin and under the base path)."""
    return url.startswith(BASE_URL)


def local_file(output: Path, url: str) -> Path:
    rel = unquote(urlsplit(url).path)[len(urlsplit(BASE_URL).path):]
    return output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def page_cost(output: Path, rel: str) -> tuple[int, list[str]]:
    """(gzip bytes of the page and every file it loads, the third-party URLs it would load)."""
    html = (output / rel).read_text(encoding="utf-8")
    page_url = urljoin(BASE_URL, route_of(rel))
    total, foreign, seen = gz(html.encode("utf-8")), [], set()
    todo = subresources(html, page_url)
    while todo:
        url = urlsplit(todo.pop())._replace(query="", fragment="").geturl()
        if url in seen:
            continue
        seen.add(url)
        if not is_own(url):
            foreign.append(url)
            continue
        path = local_file(output, url)
        if not path.is_file():
            continue  # a broken reference: tests/portal/test_real_site.py reports those
        data = path.read_bytes()
        total += gz(data)
        if path.suffix == ".css":
            todo += css_urls(data.decode("utf-8"), url)
    return total, foreign


def test_every_page_is_within_budget_and_first_party_only(real_site: Path) -> None:
    over, foreign = [], []
    for path in pages(real_site):
        rel = path.relative_to(real_site).as_posix()
        cost, outside = page_cost(real_site, rel)
        budget = MAP_BUDGET if route_of(rel) == MAP_ROUTE else PAGE_BUDGET
        if cost > budget:
            over.append(f"{rel}: {cost:,} bytes gzip > {budget:,}")
        foreign += [f"{rel} loads {u}" for u in outside]
    assert not foreign, "\n".join(foreign[:40])
    assert not over, "\n".join(over)


def test_css_and_javascript_totals(real_site: Path) -> None:
    css = sum(gz(p.read_bytes()) for p in real_site.rglob("*.css"))
    js = sum(gz(p.read_bytes()) for p in real_site.rglob("*.js")) + \
        sum(gz(p.read_bytes()) for p in real_site.rglob("*.mjs"))
    assert 0 < css < CSS_BUDGET, f"all CSS is {css:,} bytes gzip"
    assert js < JS_BUDGET, f"all JavaScript is {js:,} bytes gzip"


def test_stylesheets_and_svgs_load_nothing_from_elsewhere(real_site: Path) -> None:
    found = []
    for path in sorted(real_site.rglob("*.css")):
        url = urljoin(BASE_URL, path.relative_to(real_site).as_posix())
        found += [f"{path.name}: {u}" for u in css_urls(path.read_text(encoding="utf-8"), url)
                  if not is_own(u)]
    for path in sorted(real_site.rglob("*.svg")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {u}" for u in re.findall(r"""(?:href|src)\s*=\s*["']\s*((?:https?:)?//[^"']+)""", text)]
        found += [f"{path.name}: {u}" for u in css_urls(text, BASE_URL) if not is_own(u)]
    assert not found, found


def test_the_checks_see_third_party_and_heavy_pages(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.css").write_text("@import 'b.css'; p{background:url(//cdn.example/x.png)}")
    (tmp_path / "assets" / "b.css").write_text("@font-face{src:url('https://fonts.example/f.woff2')}")
    (tmp_path / "assets" / "big.js").write_bytes(random.Random(0).randbytes(PAGE_BUDGET))
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="/kota-cerdas/assets/a.css?v=1">'
        '<link rel="alternate" href="https://elsewhere.example/feed.xml">'
        '<script src="https://cdn.example/x.js"></script><script src="assets/big.js"></script>'
        '</head><body><a href="https://elsewhere.example/">a link is fine</a>'
        '<img alt="" srcset="https://img.example/1.png 1x, /kota-cerdas/i.png 2x">'
        '<iframe title="t" src="https://video.example/"></iframe></body></html>')
    cost, foreign = page_cost(tmp_path, "index.html")
    assert sorted(foreign) == ["https://cdn.example/x.js", "https://cdn.example/x.png",
                               "https://fonts.example/f.woff2", "https://img.example/1.png",
                               "https://video.example/"]
    assert cost > PAGE_BUDGET


def test_a_browser_requests_only_first_party_files_within_budget(
        chromium, real_site: Path, real_site_url: str) -> None:
    """What Chromium fetches for one page of each type, scripts included."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(real_site_url))
    context = chromium.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    # Anything leaving the machine is recorded, then refused, so the test never goes online.
    context.route(re.compile(r"^(?!" + re.escape(origin) + r"/).*"), lambda route: route.abort())
    failures = []
    try:
        for kind, rel in representative_pages(real_site).items():
            requested.clear()
            query = "?q=bandung" if route_of(rel) == SEARCH_ROUTE else ""
            page.goto(real_site_url + route_of(rel) + query)
            page.wait_for_load_state("networkidle")
            outside = [u for u in requested if not u.startswith(origin + "/")
                       and not u.startswith("data:")]
            total = 0
            for url in dict.fromkeys(requested):
                if url.startswith(real_site_url):
                    path = local_file(real_site, BASE_URL + url[len(real_site_url):].split("?")[0])
                    if path.is_file():
                        total += gz(path.read_bytes())
            budget = MAP_BUDGET if route_of(rel) == MAP_ROUTE else PAGE_BUDGET
            if outside:
                failures.append(f"{rel}: requested {outside}")
            if total > budget:
                failures.append(f"{rel}: {total:,} bytes gzip requested > {budget:,}")
            if total == 0:
                failures.append(f"{rel}: no request was seen; the measurement is broken")
    finally:
        context.close()
    assert not failures, "\n".join(failures)
