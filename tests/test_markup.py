"""Editors' Markdown is untrusted: nothing executable or styled survives, site links follow the base path."""

from __future__ import annotations

import pytest

from kotacerdas.markup import Converter
from kotacerdas.urls import Urls

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
