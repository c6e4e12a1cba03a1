"""sitemap.xml and robots.txt, checked against the pages the build actually wrote."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EDITIONS, FixtureSite
from htmlcheck import pages

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://contoh.github.io/kota-cerdas/"


def edition_sitemap(output: Path, prefix: str = "") -> list[tuple[str, str | None]]:
    """(loc, lastmod) of every <url> of one edition's sitemap, in file order; the file must be a
    sitemaps.org urlset."""
    root = ET.fromstring((output / prefix / "sitemap.xml").read_bytes())
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    found = []
    for url in root.findall("s:url", NS):
        lastmod = url.find("s:lastmod", NS)
        found.append((url.find("s:loc", NS).text, None if lastmod is None else lastmod.text))
    assert [loc for loc, _ in found] == sorted(loc for loc, _ in found)
    return found


def sitemap(output: Path) -> list[tuple[str, str | None]]:
    """(loc, lastmod) of every <url> in every edition's sitemap."""
    return [entry for prefix, _ in EDITIONS if (output / prefix / "sitemap.xml").is_file()
            for entry in edition_sitemap(output, prefix)]


def page_urls(output: Path, base: str) -> set[str]:
    """The address of every HTML page in output/ except 404.html."""
    found = set()
    for path in pages(output):
        rel = path.relative_to(output).as_posix()
        if rel == "404.html":
            continue
        found.add(base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return found


def test_sitemap_lists_exactly_the_html_pages_but_404(built: FixtureSite) -> None:
    entries = sitemap(built.output)
    locs = [loc for loc, _ in entries]
    assert len(set(locs)) == len(locs)
    assert set(locs) == page_urls(built.output, BASE)
    assert BASE + "404.html" not in locs and BASE in locs
    assert not any(loc.endswith((".xml", ".json", ".txt")) for loc in locs)


def test_lastmod_comes_from_content_dates(built: FixtureSite) -> None:
    lastmod = dict(sitemap(built.output))
    assert lastmod[BASE + "berita/peluncuran/"] == "2017-05-22"
    assert lastmod[BASE + "berita/tahap-tiga/"] == "2019-05-15"
    assert lastmod[BASE + "tentang/"] == "2026-11-01"
    assert lastmod[BASE + "kontak/"] is None  # no date in its front matter: no lastmod at all
    assert lastmod[BASE + "topik/angkatan-2018/"] == "2018-05-08"
    assert lastmod[BASE] == "2026-11-02"  # the newest content date of the site


def test_drafts_and_future_pages_are_not_listed(site: FixtureSite) -> None:
    site.write("content/news/2019-06-01-rahasia.md",
               "---\ntitle: Draf\ndate: 2019-06-01\nsummary: S.\ndraft: true\n---\n\nTeks.\n")
    site.write("content/news/2099-01-01-masa-depan.md",
               "---\ntitle: Nanti\ndate: 2099-01-01\nsummary: S.\n---\n\nTeks.\n")
    assert site.run("build").returncode == 0
    locs = {loc for loc, _ in sitemap(site.output)}
    assert BASE + "berita/rahasia/" not in locs and BASE + "berita/masa-depan/" not in locs
    assert locs == page_urls(site.output, BASE)
    out = site.root / "with-drafts"
    assert site.run("build", "--drafts", "--output", str(out)).returncode == 0
    assert {BASE + "berita/rahasia/", BASE + "berita/masa-depan/"} <= {loc for loc, _ in sitemap(out)}


def test_robots_txt_points_to_the_sitemap(built: FixtureSite) -> None:
    assert (built.output / "robots.txt").read_text(encoding="utf-8") == \
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\nSitemap: {BASE}en/sitemap.xml\n"


def test_base_url_without_a_path(site: FixtureSite) -> None:
    assert site.run("build", "--base-url", "https://smartcity.example.go.id").returncode == 0
    locs = {loc for loc, _ in sitemap(site.output)}
    assert locs == page_urls(site.output, "https://smartcity.example.go.id/")
    assert "Sitemap: https://smartcity.example.go.id/sitemap.xml\n" in \
        (site.output / "robots.txt").read_text(encoding="utf-8")


def test_real_site_sitemap(real_site: Path) -> None:
    base = "https://kominfo.github.io/kota-cerdas/"
    entries = sitemap(real_site)
    assert {loc for loc, _ in entries} == page_urls(real_site, base)
    assert len(entries) == len(pages(real_site)) - 1
    assert dict(entries)[base + "tentang/"] == "2026-11-28"
    assert (real_site / "robots.txt").read_text(encoding="utf-8").endswith(
        f"Sitemap: {base}sitemap.xml\nSitemap: {base}en/sitemap.xml\n")


def test_robots_txt_keeps_each_address_on_its_line() -> None:
    """A base URL cannot add a rule: urlsplit drops TAB, CR and LF, the writer escapes the rest."""
    from kotacerdas.outputs.sitemap import robots_txt
    from kotacerdas.core.urls import Urls

    for breaker in ("\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1c", "\n"):
        base = Urls(f"https://contoh.go.id/a{breaker}Disallow: /{breaker}/")
        lines = robots_txt([base, base.edition("en/")]).decode("utf-8").splitlines()
        assert [line.split(":")[0] for line in lines] == ["User-agent", "Allow", "", "Sitemap", "Sitemap"]
        assert not any(line.startswith("Disallow") for line in lines), breaker


def _element_tree_sitemap(site_urls, pages, editions=()) -> bytes:
    """The sitemap as ElementTree writes it, indented: what sitemap_xml's text must equal."""
    from kotacerdas.core import urls
    from kotacerdas.outputs.sitemap import SITEMAP_NS, XHTML_NS

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
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


_ROUTE_TEXT = "abz/-_.~%&<>\"'\t\r\n é丁🙂"


@settings(max_examples=300, deadline=None)
@given(routes=st.lists(st.tuples(st.text(_ROUTE_TEXT, max_size=12),
                                 st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
                       max_size=6),
       base=st.sampled_from(["https://contoh.go.id/", "https://x.github.io/a&b<c>/",
                             'https://x.github.io/"q"/é/', "http://h:8000"]),
       languages=st.lists(st.sampled_from(["id", "en", "x&\"<"]), max_size=3, unique=True),
       with_404=st.booleans())
def test_the_sitemap_text_is_what_element_tree_writes(routes, base, languages, with_404) -> None:
    """sitemap_xml writes its text directly; for any routes (characters XML escapes, white
    space, non-ASCII, none at all, the 404 page left out), base URLs and editions it is byte for
    byte ElementTree's indented document, and it parses back to the same addresses (a CR in
    character data read as a line end, as XML reads it)."""
    from kotacerdas.core import urls
    from kotacerdas.core.urls import Urls
    from kotacerdas.outputs.sitemap import sitemap_xml

    site_urls = Urls(base)
    pages = dict(routes)
    if with_404:
        pages[urls.NOT_FOUND] = None
    editions = [(language, site_urls.edition("" if i == 0 else f"{language}/"))
                for i, language in enumerate(languages)]
    written = sitemap_xml(site_urls, pages.items(), editions)
    assert written == _element_tree_sitemap(site_urls, pages.items(), editions)
    locs = [loc.text for loc in ET.fromstring(written).findall("s:url/s:loc", NS)]
    assert locs == [site_urls.absolute(r).replace("\r\n", "\n").replace("\r", "\n")
                    for r in sorted(pages) if r != urls.NOT_FOUND]  # XML's line ends


def test_the_real_sitemaps_are_what_element_tree_writes(real_site: Path) -> None:
    """Both editions of the real site: the pages each lists (read back from it) written by
    ElementTree are its bytes."""
    from kotacerdas.core.urls import Urls

    base = "https://kominfo.github.io/kota-cerdas/"
    editions = [(language, Urls(base, prefix)) for prefix, language in EDITIONS]
    for prefix, _ in EDITIONS:
        data = (real_site / prefix / "sitemap.xml").read_bytes()
        listed = []
        for url in ET.fromstring(data).findall("s:url", NS):
            lastmod = url.find("s:lastmod", NS)
            listed.append((url.find("s:loc", NS).text[len(base + prefix) - 1:],
                           None if lastmod is None else dt.date.fromisoformat(lastmod.text)))
        assert len(listed) > 300
        assert data == _element_tree_sitemap(Urls(base, prefix), listed, editions)
