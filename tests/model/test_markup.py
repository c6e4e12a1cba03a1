"""Editors' Markdown is untrusted: nothing executable or styled survives, site links follow the base path."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, spy
from kotacerdas.model.markup import ConversionFailed, Converter, template_ids
from kotacerdas.core.urls import Urls, is_safe_link

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](java&#x09;script:alert(1))",
    "[a](  javascript:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<p onclick="alert(1)" style="color:red">x</p>',
    "<iframe src='https://evil.example'></iframe>",
    "<form action='https://evil.example'><input name=q></form>",
    "<style>body{background:url(https://evil.example)}</style>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<div style=\"background-image:url('javascript:alert(1)')\">x</div>",
    "<base href='https://evil.example/'>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<link rel=stylesheet href='https://evil.example/x.css'>",
    "<!-- <script>alert(1)</script> -->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
]


@pytest.fixture(scope="module")
def convert() -> Converter:
    return Converter(Urls("https://contoh.github.io/kota-cerdas/").site_link)


@pytest.mark.parametrize("source", HOSTILE)
def test_nothing_executable_survives(convert: Converter, source: str) -> None:
    html = convert.to_html(f"Teks.\n\n{source}\n\nAkhir.").lower()
    for bad in ("<script", "onerror", "onload", "onclick", "javascript:", "vbscript:", "data:text",
                "<iframe", "<form", "<input", "<style", "style=", "<object", "<embed", "<base",
                "<meta", "<link", "<svg", "<math", "<img", "evil.example"):
        assert bad not in html, (source, html)
    assert "akhir." in html


def test_site_links_follow_the_base_path(convert: Converter) -> None:
    html = convert.to_html("[a](/daerah/kota-bandung/) [b](https://example.org/) [c](#bagian) "
                           '<a href="/data/">d</a> [e](mailto:info@example.org)')
    assert 'href="/kota-cerdas/daerah/kota-bandung/"' in html
    assert 'href="/kota-cerdas/data/"' in html
    assert 'href="https://example.org/"' in html
    assert 'href="#bagian"' in html
    assert 'href="mailto:info@example.org"' in html


def test_headings_never_compete_with_the_title(convert: Converter) -> None:
    html = convert.to_html("# Satu\n\n## Dua\n\ntext")
    assert "<h1" not in html
    assert '<h2 id="satu">Satu</h2>' in html and '<h3 id="dua">Dua</h3>' in html


def test_tables_and_lists_are_kept(convert: Converter) -> None:
    html = convert.to_html("| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n- y\n\n> kutipan")
    assert "<table>" in html and "<th>a</th>" in html and "<li>x</li>" in html and "<blockquote>" in html


# --- links are checked after the last change, the way a browser reads them ----------------------

UNICODE_SPACES = ["\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029",
                  "\u202f", "\u205f", "\u3000"]
"""Every code point above U+007F that Python's str.strip() removes (and browsers keep)."""
SCHEMES = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java&#x09;script:alert(1)",
           "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]


def _links(html: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, decoded value) of every attribute of the HTML, as a browser parses it."""
    from html.parser import HTMLParser

    found: list[tuple[str, str, str]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((tag, name, value or "") for name, value in attrs)

    parser = Collect(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return found


def _assert_safe(html: str) -> None:
    for tag, name, value in _links(html):
        assert not name.startswith("on"), (tag, name, html)
        if name in ("href", "src", "xlink:href", "action", "formaction", "srcset", "poster"):
            assert is_safe_link(value), (tag, name, value, html)


@pytest.mark.parametrize("space", UNICODE_SPACES, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("form", ["entity", "literal", "reference"])
def test_unicode_space_before_javascript_loses_the_link(convert: Converter, space: str,
                                                        form: str) -> None:
    """The reported bypass: nh3 saw a relative link, str.strip() then made it javascript:."""
    written = f"&#x{ord(space):x};" if form != "literal" else space
    source = (f"[Unduh][r]\n\n[r]: {written}javascript:alert(document.domain)" if form == "reference"
              else f'<a href="{written}javascript:alert(document.domain)">Unduh</a>')
    html = convert.to_html(source)
    assert "javascript:" not in html and "href" not in html, html
    assert "Unduh" in html


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("prefix", ["&#x3000;", "&#xa0;", "&#x2029;", "&#x01;", "&#x1f;&#x20;",
                                    "&#x0b;"])
def test_no_prefix_lets_another_scheme_through(convert: Converter, prefix: str, scheme: str) -> None:
    """Unicode spaces, and C0 controls (which browsers strip before reading the scheme)."""
    html = convert.to_html(f'<a href="{prefix}{scheme}">x</a> [y]({prefix}{scheme})')
    _assert_safe(html)
    assert "href" not in html, html


def test_a_link_made_unsafe_by_the_site_link_rewrite_is_dropped() -> None:
    """The check runs on what the sanitizer writes, after every rewrite, not on the input."""
    convert = Converter(lambda href: "java\tscript:alert(1)" if href.startswith("/") else href)
    html = convert.to_html("[a](/daerah/x/) [b](https://example.org/)")
    assert '<a>a</a>' in html and 'href="https://example.org/"' in html


def test_surrounding_ascii_spaces_are_still_trimmed(convert: Converter) -> None:
    """What browsers strip is stripped, so an editor's stray space still works as a site link."""
    html = convert.to_html('<a href=" /data/ ">d</a> <a href="\t/daerah/\n">e</a>')
    assert 'href="/kota-cerdas/data/"' in html and 'href="/kota-cerdas/daerah/"' in html


FUZZ_EXAMPLES = int(os.environ.get("KC_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES * 3, deadline=None, database=None,
                derandomize=not os.environ.get("KC_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow])
PREFIXES = ["", " ", "\t", *UNICODE_SPACES[::3], "&#x3000;", "&#xa0;", "&#x01;", "&#9;", "&#10;",
            "&#x200b;", "&#xfeff;", "%20"]
DANGEROUS = [*SCHEMES, "jav&#x0A;ascript:alert(1)", "&#106;avascript:alert(1)",
             "javascript&colon;alert(1)", "data:image/svg+xml;base64,PHN2Zz4=", "file:///etc/passwd",
             "//evil.example/", "https://ok.example/", "/daerah/x/"]
SHAPES = ["[x]({})", '[x]({} "t")', '<a href="{}">x</a>', "<a href='{}'>x</a>", "<a href={}>x</a>",
          "[x][r]\n\n[r]: {}", "<{}>", '<img src="{}" onerror="alert(1)">', '<a href="{}" onclick="x">',
          '<svg><a xlink:href="{}">x</a></svg>', '<form action="{}"><button formaction="{}">',
          '<area href="{}">', "![i]({})"]
NOISE = ['<details open ontoggle="alert(1)">', "<x onclick=alert(1)>y</x>", "<p onmouseover='x'>p</p>",
         '"><svg onload=alert(1)>', "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
         "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "**b**", "# H", "- li",
         "> q", "`c`", "\n\n", " ", "&#", "<!--", "-->", "]]>", "\\"]
fragments = st.one_of(
    st.builds(lambda shape, prefix, target: shape.replace("{}", prefix + target),
              st.sampled_from(SHAPES), st.sampled_from(PREFIXES), st.sampled_from(DANGEROUS)),
    st.sampled_from(NOISE))


@FUZZ
@given(st.lists(fragments, min_size=1, max_size=8), st.sampled_from(["", " ", "\n", "\n\n"]))
def test_fuzz_no_unsafe_link_or_handler_survives(convert: Converter, parts: list[str],
                                                 glue: str) -> None:
    _assert_safe(convert.to_html(glue.join(parts)))


def test_the_fuzz_checker_would_see_a_bypass() -> None:
    """The assertion above is not vacuous: it fails on what the old filter produced."""
    with pytest.raises(AssertionError):
        _assert_safe('<p><a href="javascript:alert(1)">x</a></p>')
    with pytest.raises(AssertionError):
        _assert_safe('<p><a href=" \x01JAVA\tSCRIPT:x">x</a></p>')
    with pytest.raises(AssertionError):
        _assert_safe('<p onclick="x">x</p>')


# --- a document the libraries cannot convert is a ConversionFailed, and nothing is left behind --

def test_recursion_is_a_conversion_failure_and_the_next_document_is_right() -> None:
    convert = Converter(lambda h: h)
    with pytest.raises(ConversionFailed, match="nests lists"):
        convert.to_html("* " * 10000 + "a\n")  # mdlimits refuses this before it gets here
    assert convert.to_html("# a\n\n[x](/y) *b*") == '<h2 id="a">a</h2>\n<p><a href="/y">x</a> <em>b</em></p>'


def test_a_converter_builds_its_markdown_instance_on_its_first_conversion(monkeypatch) -> None:
    """A converter that converts nothing (every text in the Markdown cache) costs nothing."""
    made = spy(monkeypatch, Converter, "_markdown", record=lambda self: self)
    convert = Converter(lambda h: h)
    assert made == []
    convert.to_html("a")
    convert.to_html("b")
    assert made == [convert]


# --- heading ids never repeat an id of the page templates ---------------------------------------

@pytest.fixture(scope="module")
def reserved() -> Converter:
    return Converter(Urls("https://contoh.github.io/kota-cerdas/").site_link,
                     template_ids([REPO / "templates"]))


def test_template_ids_come_from_the_templates() -> None:
    rule = template_ids([REPO / "templates"])
    for taken in ("konten-utama", "sumber", "berita-terkait", "cari-situs", "unduh-data",
                  "prov-jawa-barat", "peta-judul", "tidak-ditemukan-en"):
        assert rule.fullmatch(taken), taken
    for free in ("rincian", "sumber-data", "cara-daerah-bergabung", "how-a-region-joins", "prov",
                 "konten-utama_1", "x-judul_1"):
        assert not rule.fullmatch(free), free


@pytest.mark.parametrize("heading, expected", [
    ("# Konten utama", "konten-utama_1"),     # the skip link's target, <main id>
    ("## Sumber", "sumber_1"),                # the sources section's aria-labelledby
    ("## Cari situs", "cari-situs_1"),        # the search field in every page's header
    ("## Unduh data", "unduh-data_1"),        # the data page, which shows content/pages/data.md
    ("### Prov Jawa Barat", "prov-jawa-barat_1"),  # an id a template builds from a slug
    ("## Rincian", "rincian"),                # everything else keeps its id: links point at them
    ("## Cara daerah bergabung", "cara-daerah-bergabung"),
])
def test_headings_move_past_template_ids(reserved: Converter, heading: str, expected: str) -> None:
    assert f'id="{expected}"' in reserved.to_html(heading)


def test_a_repeated_reserved_heading_gets_the_next_number(reserved: Converter) -> None:
    html = reserved.to_html("## Sumber\n\n## Sumber\n\n## Sumber_1")
    assert re.findall(r'id="([^"]+)"', html) == ["sumber_1", "sumber_2", "sumber_3"]


def test_a_template_id_written_in_html_is_dropped(reserved: Converter) -> None:
    html = reserved.to_html('<h2 id="konten-utama">A</h2>\n\n<h2 id="rincian">B</h2>')
    assert "konten-utama" not in html and 'id="rincian"' in html


# --- heading ids without toc's unused table of contents (model/headingids.py) -------------------

TOC_DOCUMENTS = [
    "## Rincian\n\nTeks.\n\n### Rincian\n\n## Rincian",
    "# Judul *miring* dan `kode`\n\n## A &amp; B\n\n## [Tautan](/daerah/)",
    "[TOC]\n\n## Satu\n\n### Dua\n\n## Tiga",
    "Teks\n\n> [TOC]\n\n## Di bawah kutipan",
    "Sebut [TOC] di tengah kalimat.\n\n## Bagian",
    "    [TOC]\n\n## Dalam kode\n\n```\n[TOC]\n```",
    "* [TOC]\n* dua\n\n## Daftar",
    "## [TOC]\n\nJudul yang berisi penanda.",
    "<h2 id=\"ada\">Sudah</h2>\n\n## Sumber\n\n## Sumber",
]


@pytest.mark.parametrize("source", TOC_DOCUMENTS)
def test_heading_ids_are_those_of_the_toc_extension(reserved: Converter, source: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The same HTML as Python-Markdown's own toc extension, '[TOC]' marker and all."""
    from markdown.extensions.toc import TocExtension

    import kotacerdas.model.headingids as headingids

    ours = reserved.to_html(source)
    monkeypatch.setattr(headingids, "HeadingIds", TocExtension)
    stock = Converter(Urls("https://contoh.github.io/kota-cerdas/").site_link,
                      template_ids([REPO / "templates"]))
    assert stock.to_html(source) == ours
    assert stock._md.treeprocessors["toc"].__class__ is not reserved._md.treeprocessors["toc"].__class__


def test_a_marker_still_becomes_the_list_of_sections(convert: Converter) -> None:
    html = convert.to_html("[TOC]\n\n## Satu\n\n## Dua")
    assert '<a href="#satu">Satu</a>' in html and "[TOC]" not in html
