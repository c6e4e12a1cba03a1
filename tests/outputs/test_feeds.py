"""News feeds, read the way feed readers read them: feedparser for Atom and RSS, json for JSON Feed."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CONFIG, FixtureSite
from htmlcheck import pages, soup
from kotacerdas.outputs.feeds import absolute_links, jakarta_time, rfc822, rss_text

BASE = "https://contoh.github.io/kota-cerdas/"
REAL_BASE = "https://kominfo.github.io/kota-cerdas/"
NEWEST_FIRST = ["Tahap tiga", "Tahap dua", "Peluncuran gerakan"]
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
HOSTILE = '</script><script>alert(1)</script> ]]> & <b>"kutip"</b> &amp; <!--'


def parse(path: Path) -> feedparser.FeedParserDict:
    """Parse a feed file as a reader would, failing on anything that is not well-formed."""
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def shown(detail: feedparser.FeedParserDict) -> str:
    """A text field as a reader shows it: HTML is rendered (and must hold no element), plain
    text is shown as it is."""
    if detail.type == "text/html":
        doc = BeautifulSoup(detail.value, "html.parser")
        assert doc.find() is None, detail.value
        return doc.get_text()
    assert detail.type == "text/plain", detail.type
    return detail.value


def output_of(output: Path, url: str, base: str = BASE) -> Path:
    """The file in output/ that serves an absolute URL of the site."""
    assert url.startswith(base), url
    rel = url[len(base):].split("#")[0]
    return output / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def json_feed(path: Path) -> dict:
    """A JSON Feed 1.1, checked for the fields the specification requires."""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert list(data)[0] == "version"
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["items"], list)
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item["content_html"], str) and item["content_html"]
        assert RFC3339.match(item["date_published"]), item["date_published"]
        assert RFC3339.match(item["date_modified"]), item["date_modified"]
    return data


def test_site_feeds_list_every_announcement_newest_first(built: FixtureSite) -> None:
    out = built.output / "berita"
    atom, rss, jf = parse(out / "atom.xml"), parse(out / "rss.xml"), json_feed(out / "feed.json")
    assert atom.version == "atom10" and rss.version == "rss20"
    for feed in (atom, rss):
        assert [e.title for e in feed.entries] == NEWEST_FIRST
    assert [i["title"] for i in jf["items"]] == NEWEST_FIRST
    assert atom.feed.title == rss.feed.title == jf["title"] == "Berita | Portal Uji"
    assert atom.feed.language == rss.feed.language == jf["language"] == "id"
    # Self links and home pages are absolute and under the base path.
    assert jf["feed_url"] == BASE + "berita/feed.json"
    assert jf["home_page_url"] == atom.feed.link == rss.feed.link == BASE + "berita/"
    assert [link.href for link in atom.feed.links if link.rel == "self"] == [BASE + "berita/atom.xml"]
    assert [link.href for link in rss.feed.links if link.rel == "self"] == [BASE + "berita/rss.xml"]


def test_entries_carry_dates_ids_categories_and_full_content(built: FixtureSite) -> None:
    out = built.output / "berita"
    atom, rss, jf = parse(out / "atom.xml"), parse(out / "rss.xml"), json_feed(out / "feed.json")
    url = BASE + "berita/tahap-dua/"
    a, r, j = atom.entries[1], rss.entries[1], jf["items"][1]
    assert a.id == a.link == r.id == r.link == j["id"] == j["url"] == url
    assert a.published == a.updated == j["date_published"] == "2018-05-08T00:00:00+07:00"
    assert r.published == "Tue, 08 May 2018 00:00:00 +0700"
    assert r.published_parsed == a.published_parsed == (2018, 5, 7, 17, 0, 0, 0, 127, 0)
    assert [t.term for t in a.tags] == [t.term for t in r.tags] == j["tags"] == \
        ["peluncuran", "angkatan-2018"]
    assert a.summary == r.summary == j["summary"] == "Tahap dua dimulai."
    for body in (a.content[0].value, r.content[0].value, j["content_html"]):
        assert '<h2 id="rincian">Rincian</h2>' in body
    # The editor's root-relative link becomes absolute, with the base path, and resolves.
    first = jf["items"][2]["content_html"]
    assert 'href="https://contoh.github.io/kota-cerdas/daerah/kota-bandung/"' in first
    assert atom.entries[2].content[0].value == rss.entries[2].content[0].value == first
    # The feed's own date is its newest item's, not the time of the build.
    assert atom.feed.updated == "2019-05-15T00:00:00+07:00"
    assert rss.feed.updated == "Wed, 15 May 2019 00:00:00 +0700"


def test_every_feed_link_resolves_to_a_built_page(built: FixtureSite) -> None:
    feeds = sorted(built.output.rglob("atom.xml")) + sorted(built.output.rglob("rss.xml"))
    assert len(feeds) == 12  # the site's and two topics', in each of the two editions
    for path in feeds:
        feed = parse(path)
        for entry in feed.entries:
            assert output_of(built.output, entry.link).is_file(), entry.link
        assert output_of(built.output, feed.feed.link).is_file(), feed.feed.link
        for link in feed.feed.links:
            assert output_of(built.output, link.href).is_file(), link.href


def test_topic_feeds_contain_only_that_topic(built: FixtureSite) -> None:
    for tag, titles in {"peluncuran": ["Tahap dua", "Peluncuran gerakan"],
                        "angkatan-2018": ["Tahap dua"]}.items():
        folder = built.output / "topik" / tag
        atom, rss, jf = parse(folder / "atom.xml"), parse(folder / "rss.xml"), json_feed(folder / "feed.json")
        assert [e.title for e in atom.entries] == [e.title for e in rss.entries] == \
            [i["title"] for i in jf["items"]] == titles
        for entry in atom.entries + rss.entries:
            assert tag in [t.term for t in entry.tags]
        assert jf["feed_url"] == f"{BASE}topik/{tag}/feed.json"
        assert atom.feed.link == f"{BASE}topik/{tag}/"
        assert atom.feed.title == f"Topik: {tag} | Portal Uji"
    assert not (built.output / "topik" / "atom.xml").exists()


def test_drafts_and_future_announcements_never_reach_a_feed(site: FixtureSite) -> None:
    site.write("content/news/2019-06-01-rahasia.md", """\
        ---
        title: "Draf rahasia"
        date: 2019-06-01
        summary: "Belum terbit."
        tags: [peluncuran, rahasia]
        draft: true
        ---

        Teks.
        """)
    site.write("content/news/2099-01-01-masa-depan.md", """\
        ---
        title: "Berita masa depan"
        date: 2099-01-01
        summary: "Belum waktunya."
        tags: [peluncuran]
        ---

        Teks.
        """)
    assert site.run("build").returncode == 0
    everything = b"".join(p.read_bytes() for p in site.output.rglob("*")
                          if p.is_file() and p.suffix in (".xml", ".json"))
    assert b"rahasia" not in everything and b"masa-depan" not in everything
    assert [e.title for e in parse(site.output / "berita" / "atom.xml").entries] == NEWEST_FIRST
    assert not (site.output / "topik" / "rahasia").exists()
    # The same content built with --drafts does show them, so the check above can fail.
    out = site.root / "drafts-out"
    assert site.run("build", "--drafts", "--output", str(out)).returncode == 0
    titles = [e.title for e in parse(out / "berita" / "atom.xml").entries]
    assert titles[:2] == ["Berita masa depan", "Draf rahasia"]
    assert parse(out / "topik" / "rahasia" / "rss.xml").entries[0].title == "Draf rahasia"


def test_feed_items_limits_each_feed_to_the_newest(site: FixtureSite) -> None:
    site.write("site_config.yaml", CONFIG + "feed_items: 2\n")
    site.write("content/news/2017-05-22-peluncuran.md",
               (site.root / "content/news/2017-05-22-peluncuran.md").read_text()
               .replace("tags: [peluncuran]", "tags: [peluncuran]\nupdated: 2020-02-03"))
    assert site.run("build").returncode == 0
    atom = parse(site.output / "berita" / "atom.xml")
    assert [e.title for e in atom.entries] == NEWEST_FIRST[:2]
    assert len(json_feed(site.output / "berita" / "feed.json")["items"]) == 2
    # The topic feed's newest item (by update) dates the feed; the site feed no longer lists it.
    topic = parse(site.output / "topik" / "peluncuran" / "atom.xml")
    assert topic.feed.updated == "2020-02-03T00:00:00+07:00"
    assert topic.entries[1].updated == "2020-02-03T00:00:00+07:00"
    assert topic.entries[1].published == "2017-05-22T00:00:00+07:00"
    assert json_feed(site.output / "topik" / "peluncuran" / "feed.json")["items"][1]["date_modified"] \
        == "2020-02-03T00:00:00+07:00"
    assert atom.feed.updated == "2019-05-15T00:00:00+07:00"


def test_hostile_front_matter_keeps_every_feed_well_formed(site: FixtureSite) -> None:
    site.write("content/news/2019-05-15-tahap-tiga.md", f"""\
        ---
        title: '{HOSTILE.replace("'", "''")}'
        date: 2019-05-15
        summary: 'Ringkasan ]]> & <i>miring</i>'
        ---

        Teks dengan ]]&gt; dan <script>alert(1)</script> serta [bagian](#rincian). \ufffe
        """)  # (control characters such as \x01 never get this far: test_load refuses them)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    for name in ("atom.xml", "rss.xml"):
        path = site.output / "berita" / name
        ET.fromstring(path.read_bytes())  # well-formed XML
        entry = parse(path).entries[0]
        assert shown(entry.title_detail) == HOSTILE
        assert shown(entry.summary_detail) == "Ringkasan ]]> & <i>miring</i>"
        assert "<script" not in entry.content[0].value
        assert f'href="{BASE}berita/tahap-tiga/#rincian"' in entry.content[0].value
    item = json_feed(site.output / "berita" / "feed.json")["items"][0]
    assert item["title"] == HOSTILE


def test_feeds_are_autodiscoverable_from_every_page(built: FixtureSite) -> None:
    site_feeds = [("application/atom+xml", "/kota-cerdas/berita/atom.xml"),
                  ("application/rss+xml", "/kota-cerdas/berita/rss.xml"),
                  ("application/feed+json", "/kota-cerdas/berita/feed.json")]
    checked = 0
    for path in pages(built.output):
        doc = soup(path)
        feeds = [link for link in doc.head.find_all("link", rel="alternate")
                 if not link.get("hreflang")]
        links = [(link["type"], link["href"]) for link in feeds]
        assert all(link.get("title") for link in feeds), path
        rel = path.relative_to(built.output).as_posix()
        edition = "en/" if rel.startswith("en/") else ""
        match = re.fullmatch(r"(?:en/)?topik/([^/]+)/index\.html", rel)
        expected = site_feeds + ([(typ, href.replace("/berita/", f"/topik/{match[1]}/"))
                                  for typ, href in site_feeds] if match else [])
        expected = [(typ, href.replace("/kota-cerdas/", f"/kota-cerdas/{edition}"))
                    for typ, href in expected]
        assert links == expected, rel
        for _, href in links:
            assert (built.output / href.removeprefix("/kota-cerdas/")).is_file()
        checked += 1
    assert checked > 20


def test_feeds_are_byte_identical_across_builds(built: FixtureSite) -> None:
    before = {p: p.read_bytes() for p in built.output.rglob("*") if p.suffix in (".xml", ".json")}
    assert built.run("build").returncode == 0
    assert {p: p.read_bytes() for p in built.output.rglob("*") if p.suffix in (".xml", ".json")} == before


@pytest.mark.parametrize("html, expected", [
    ('<a href="/kota-cerdas/daerah/x/">x</a>', f'<a href="{BASE}daerah/x/">x</a>'),
    ('<a href="#bagian">x</a>', f'<a href="{BASE}berita/y/#bagian">x</a>'),
    ('<a href="lain/">x</a>', f'<a href="{BASE}berita/y/lain/">x</a>'),
    ('<a href="https://example.org/a?b=1&amp;c=2">x</a>', '<a href="https://example.org/a?b=1&amp;c=2">x</a>'),
    ('<a href="mailto:a@b.id">x</a>', '<a href="mailto:a@b.id">x</a>'),
    ('<a title="/tidak/" href="//cdn.example/x">x</a>', '<a title="/tidak/" href="https://cdn.example/x">x</a>'),
    # whatever a body holds, a link that is not web, mail, phone or relative is dropped
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#x6a;avascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" \x01JAVA&#9;SCRIPT:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,x">x</a> <a href="vbscript:x">y</a>', "<a>x</a> <a>y</a>"),
])
def test_absolute_links(html: str, expected: str) -> None:
    assert absolute_links(html, BASE + "berita/y/") == expected


@pytest.mark.parametrize("title, summary", [
    ("Tahap tiga", "A <img src=x onerror=alert(1)> B"),     # the reported instance
    ("Kota <b>Bandung</b>", "Kota A <2020> <i>miring</i>"),  # a title; a '<' that is no tag
    ("AT&T &amp; R&D &copy", "Harga &lt;5&gt; & lain-lain"),  # text that looks like entities
])
def test_every_feed_shows_titles_and_summaries_as_written(site: FixtureSite, title: str,
                                                          summary: str) -> None:
    """RSS readers read description (and often title) as HTML: it must show the text, not
    markup; Atom and JSON Feed declare text."""
    site.write("site_config.yaml", CONFIG.replace('title: "Portal Uji"', 'title: "Portal <Uji> & Co"'))
    site.write("content/news/2019-05-15-tahap-tiga.md", "---\n" + yaml.safe_dump(
        {"title": title, "date": dt.date(2019, 5, 15), "summary": summary}) + "---\n\nTeks.\n")
    assert site.run("build", "--no-cache").returncode == 0
    for name in ("rss.xml", "atom.xml"):
        feed = parse(site.output / "berita" / name)
        assert shown(feed.feed.title_detail) == "Berita | Portal <Uji> & Co", name
        entry = feed.entries[0]
        assert (shown(entry.title_detail), shown(entry.summary_detail)) == (title, summary), name
    item = json_feed(site.output / "berita" / "feed.json")["items"][0]
    assert (item["title"], item["summary"]) == (title, summary)


def test_plain_rss_text_is_written_as_it_is(site: FixtureSite) -> None:
    """Text an HTML reading would show the same is not escaped twice, so readers that take RSS
    titles as plain text show 'Kominfo & Bappenas', not 'Kominfo &amp; Bappenas'."""
    site.write("content/news/2019-05-15-tahap-tiga.md", "---\ntitle: Kominfo & Bappenas\n"
               "date: 2019-05-15\nsummary: Satu & dua\n---\n\nTeks.\n")
    assert site.run("build", "--no-cache").returncode == 0
    rss = (site.output / "berita" / "rss.xml").read_text(encoding="utf-8")
    assert "<title>Kominfo &amp; Bappenas</title>" in rss
    assert "<description>Satu &amp; dua</description>" in rss
    assert rss_text("Kominfo & Bappenas") == "Kominfo & Bappenas"
    assert rss_text("A <b>") == "A &lt;b&gt;" and rss_text("&amp;") == "&amp;amp;"


def test_real_site_feeds(real_site: Path) -> None:
    news = sorted((real_site / "berita").glob("*/index.html"))
    published = {p.parent.name for p in news} - {"halaman"}
    atom, rss = parse(real_site / "berita" / "atom.xml"), parse(real_site / "berita" / "rss.xml")
    jf = json_feed(real_site / "berita" / "feed.json")
    assert len(atom.entries) == len(rss.entries) == len(jf["items"]) == min(20, len(published))
    slugs = [e.link.removeprefix(REAL_BASE + "berita/").strip("/") for e in atom.entries]
    assert set(slugs) <= published
    dates = [dt.date.fromisoformat(e.published[:10]) for e in atom.entries]
    assert dates == sorted(dates, reverse=True)
    for entry in atom.entries:
        assert output_of(real_site, entry.link, REAL_BASE).is_file()
        page = soup(output_of(real_site, entry.link, REAL_BASE))
        assert page.h1.text == entry.title
        assert entry.content[0].value.strip()
        for href in re.findall(r'href="([^"]+)"', entry.content[0].value):
            assert re.match(r"^(https?:|mailto:|tel:)", href), href
            if href.startswith(REAL_BASE):
                assert output_of(real_site, href, REAL_BASE).is_file(), href
    for folder in sorted((real_site / "topik").iterdir()):
        if folder.is_dir():
            tag = folder.name
            for entry in parse(folder / "atom.xml").entries:
                assert tag in [t.term for t in entry.tags]
            json_feed(folder / "feed.json")


def test_rss_dates_are_what_the_email_library_writes() -> None:
    """rfc822 writes RSS dates itself (importing ``email`` costs a one-edit build 7 ms): every
    day of 1999-2032 (leap days, each weekday and month) and the first and last dates Python has
    come out as ``email.utils.format_datetime`` writes them."""
    days = [dt.date(1999, 1, 1) + dt.timedelta(days=n) for n in range(34 * 366)]
    for day in [*days, dt.date(1, 1, 1), dt.date(9999, 12, 30)]:
        assert rfc822(day) == email.utils.format_datetime(jakarta_time(day)), day
