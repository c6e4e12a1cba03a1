"""Every link the site publishes, in pages, feeds, JSON-LD and open data, is safe as a browser (and a
more lenient reader) would read it; the reported bypass reaches none of them."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

import feedparser
import pytest

from conftest import FixtureSite
from kotacerdas.core.urls import is_safe_link, scheme

NEWS = "content/news/2019-05-15-tahap-tiga.md"
HEAD = '---\ntitle: "Tahap tiga"\ndate: 2019-05-15\nsummary: "Tahap tiga."\n---\n\n'
LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "xlink:href")
URL_KEYS = ("url", "sameAs", "@id", "item", "mainEntityOfPage", "homepage", "path", "home_page_url",
            "feed_url", "id", "external_url")


class _Attributes(HTMLParser):
    """Every link attribute of a document, decoded as a browser decodes it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value is not None:
                self.found.append(value)
            elif name == "srcset" and value:
                self.found += [c.strip().split(" ")[0] for c in value.split(",")]
        self._in_ld = tag == "script" and ("type", "application/ld+json") in attrs
        if self._in_ld:
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_ld:
            self.json_ld[-1] += data


def html_links(text: str) -> tuple[list[str], list[str]]:
    """(link attribute values, JSON-LD blocks) of an HTML document or fragment."""
    parser = _Attributes()
    parser.feed(text)
    parser.close()
    return parser.found, parser.json_ld


def json_urls(data: Any) -> Iterator[str]:
    """Every string under a URL-ish key of JSON data."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in URL_KEYS and isinstance(value, str):
                yield value
            elif key in URL_KEYS and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from json_urls(value)
    elif isinstance(data, list):
        for value in data:
            yield from json_urls(value)


def published_links(output: Path) -> Iterator[tuple[str, str]]:
    """(file, link) for every link anywhere in a built site."""
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if path.suffix == ".html":
            links, blocks = html_links(path.read_text(encoding="utf-8"))
            yield from ((rel, link) for link in links)
            for block in blocks:
                yield from ((rel, url) for url in json_urls(json.loads(block)))
        elif path.suffix == ".xml":
            text = path.read_text(encoding="utf-8")
            yield from ((rel, m) for m in re.findall(r'<link[^>]*\bhref="([^"]*)"', text))
            feed = feedparser.parse(path.read_bytes())
            for entry in feed.entries:
                for content in entry.get("content", []):
                    yield from ((rel, link) for link in html_links(content.value)[0])
        elif path.suffix in (".json", ".geojson"):
            data = json.loads(path.read_text(encoding="utf-8"))
            yield from ((rel, url) for url in json_urls(data))
            for item in data.get("items", []) if isinstance(data, dict) else []:
                yield from ((rel, link) for link in html_links(item.get("content_html", ""))[0])
        elif path.suffix == ".csv":
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
                yield from ((rel, v) for k, v in row.items() if k and "url" in k and v)


BYPASSES = """\
<a href="&#x3000;javascript:alert(document.domain)">Unduh</a>
<a href="\u3000javascript:alert(document.domain)">Unduh literal</a>
<a href="&#x01;javascript:alert(3)">C0</a> <a href="&#xa0;data:text/html,x">data</a>
<a href="&#x2029;vbscript:msgbox(1)">vb</a>

[Unduh lagi][r] dan [bagian](#rincian).

## Rincian

[r]: &#x3000;javascript:alert(2)
"""


def test_unicode_space_before_javascript_is_removed(site: FixtureSite) -> None:
    """The reported repro, with its second forms: in the page and in all three feeds."""
    site.write(NEWS, HEAD + BYPASSES)
    assert site.run("build", "--no-cache").returncode == 0
    for rel in ("berita/tahap-tiga/index.html", "en/berita/tahap-tiga/index.html",
                "berita/feed.json", "berita/atom.xml", "berita/rss.xml"):
        text = (site.output / rel).read_text(encoding="utf-8").lower()
        for bad in ("javascript:", "data:text", "vbscript:"):
            assert bad not in text, (rel, bad)
        assert "unduh" in text and "#rincian" in text, rel
    result = site.run("check")
    assert result.returncode == 0, result.stderr


def test_every_published_link_is_safe(site: FixtureSite) -> None:
    """Pages, JSON-LD, the three feeds and the open data: no link has a scheme other than
    http(s), mailto or tel; the URL fields that reach them are http(s) by their schema
    (tests/core/test_urls.py), and bodies by the sanitizer."""
    site.write("site_config.yaml", (site.root / "site_config.yaml").read_text(encoding="utf-8") + """\
organisation: {name: Kominfo, website: "https://x.example/\\"onmouseover=alert(1)//"}
contact: {email: a@b.id, feedback_url: "https://x.example/\\"><svg/onload=alert(7)>"}
repository: "https://github.com/x/y"
""")
    site.write("content/regions/kota-bandung.yaml",
               (site.root / "content/regions/kota-bandung.yaml").read_text(encoding="utf-8")
               + 'website: "https://bandung.go.id/?a=1&b=<x>"\n')
    site.write(NEWS, HEAD + BYPASSES + "\n[surat](mailto:a@b.id) [telepon](tel:+62211234)\n")
    assert site.run("build", "--no-cache").returncode == 0
    links = list(published_links(site.output))
    assert len(links) > 500
    kinds = {scheme(link) for _, link in links}
    assert {"https", "mailto", "tel", ""} <= kinds <= {"http", "https", "mailto", "tel", ""}
    unsafe = [(rel, link) for rel, link in links if not is_safe_link(link)]
    assert unsafe == []
    for suffix in (".xml", ".json", ".csv", ".html"):
        assert any(rel.endswith(suffix) for rel, _ in links), suffix


@pytest.mark.parametrize("field", ["organisation: {name: K, website: \"\\u3000javascript:alert(1)\"}",
                                   "repository: \" https://x.example/\"",
                                   "contact: {feedback_url: \"javascript:alert(1)//https://\"}"])
def test_a_url_field_that_is_not_a_web_address_is_refused(site: FixtureSite, field: str) -> None:
    site.write("site_config.yaml",
               (site.root / "site_config.yaml").read_text(encoding="utf-8") + field + "\n")
    result = site.run("build", "--no-cache")
    assert result.returncode == 1
    assert "site_config.yaml:" in result.stderr and "must be a full web address" in result.stderr
