"""Whole builds of fixture sites: subpath-safe, deterministic, atomic, drafts and future left out."""

from __future__ import annotations

import shutil

import pytest

from conftest import SHARED, FixtureSite, run_build, tree, write_site
from htmlcheck import broken_links, pages, soup

BASE = "https://contoh.github.io/kota-cerdas/"


def test_every_internal_link_resolves_under_the_subpath(built: FixtureSite) -> None:
    assert broken_links(built.output, BASE) == []
    home = soup(built.output / "index.html")
    assert home.find("link", rel="stylesheet")["href"].startswith("/kota-cerdas/assets/style.css?v=")
    assert (built.output / "404.html").is_file()
    assert soup(built.output / "404.html").find("a", class_="site-title")["href"] == "/kota-cerdas/"


def test_base_url_override_moves_every_link(site: FixtureSite) -> None:
    result = site.run("build", "--base-url", "https://lain.example/jalur/")
    assert result.returncode == 0, result.stderr
    assert broken_links(site.output, "https://lain.example/jalur/") == []
    for page in pages(site.output):
        for a in soup(page).find_all(href=True):
            href = a["href"]
            assert not href.startswith("/kota-cerdas/"), (page, href)


def test_root_base_url(site: FixtureSite) -> None:
    result = site.run("build", "--base-url", "https://smartcity.example.id")
    assert result.returncode == 0, result.stderr
    assert broken_links(site.output, "https://smartcity.example.id/") == []


def test_builds_are_byte_identical(site: FixtureSite, tmp_path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert site.run("build", "--output", str(a)).returncode == 0
    assert site.run("build", "--output", str(b)).returncode == 0
    assert tree(a) == tree(b)


def test_failed_build_leaves_previous_output_untouched(built: FixtureSite) -> None:
    before = tree(built.output)
    built.write("content/regions/kota-bandung.yaml", "name: [\n")
    result = built.run("build")
    assert result.returncode == 1
    assert "content/regions/kota-bandung.yaml:" in result.stderr
    assert tree(built.output) == before
    assert not [p for p in built.root.iterdir() if p.name.startswith(".output")]


def test_template_error_is_reported_with_file_and_line(built: FixtureSite) -> None:
    before = tree(built.output)
    built.write("templates/tag.html", '{% extends "base.html" %}\n{% block content %}\n{{ nothing.here }}\n{% endblock %}\n')
    result = built.run("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "templates/tag.html:3: template error while rendering /topik/" in result.stderr
    built.write("templates/tag.html", "{% block content %}\n{% if %}\n")
    result = built.run("build")
    assert "templates/tag.html:2: template syntax error" in result.stderr
    assert tree(built.output) == before


def test_site_templates_override_builtin_ones(site: FixtureSite) -> None:
    site.write("templates/404.html", '{% extends "base.html" %}{% block content %}<h1>Tidak ada</h1>{% endblock %}')
    assert site.run("build").returncode == 0
    assert "<h1>Tidak ada</h1>" in (site.output / "404.html").read_text()
    assert "Gerakan" not in (site.output / "404.html").read_text().split("<main")[1]


def test_drafts_and_future_items_need_the_flag(site: FixtureSite) -> None:
    site.write("content/news/2999-01-01-masa-depan.md", "---\ntitle: Nanti\ndate: 2999-01-01\nsummary: S\ntags: [rahasia]\n---\nx\n")
    site.write("content/news/2020-01-01-konsep.md", "---\ntitle: Konsep\ndate: 2020-01-01\nsummary: S\ndraft: true\n---\nx\n")
    assert site.run("build").returncode == 0
    assert not (site.output / "berita/masa-depan").exists()
    assert not (site.output / "berita/konsep").exists()
    assert not (site.output / "topik/rahasia").exists()
    assert "Konsep" not in (site.output / "berita/index.html").read_text()
    assert site.run("build", "--drafts").returncode == 0
    assert (site.output / "berita/masa-depan/index.html").is_file()
    assert (site.output / "berita/konsep/index.html").is_file()


def test_news_pagination(built: FixtureSite) -> None:
    first = soup(built.output / "berita/index.html")
    assert [a.text for a in first.select(".news-list h2 a")] == ["Tahap tiga", "Tahap dua"]
    second = soup(built.output / "berita/halaman/2/index.html")
    assert [a.text for a in second.select(".news-list h2 a")] == ["Peluncuran gerakan"]
    assert second.select_one('.pagination a[aria-current="page"]').text == "2"


def test_check_writes_nothing(site: FixtureSite) -> None:
    result = site.run("check")
    assert result.returncode == 0
    assert not site.output.exists()


def test_site_without_templates_or_reference_uses_builtin_and_derives_provinces(tmp_path) -> None:
    site = write_site(tmp_path / "s", reference=False)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert (site.output / "provinsi/di-yogyakarta/index.html").is_file()
    assert broken_links(site.output, BASE) == []


def test_output_folder_that_would_destroy_the_site_is_refused(site: FixtureSite) -> None:
    for target in (str(site.root), str(site.root.parent), str(site.root / "content" / "x"), "/"):
        result = site.run("build", "--output", target)
        assert result.returncode == 2, target
        assert "error:" in result.stderr
    assert (site.root / "content/regions/kota-bandung.yaml").is_file()


def test_usage_errors_exit_2(site: FixtureSite) -> None:
    assert site.run("build", "--base-url", "kota-cerdas").returncode == 2
    assert run_build("build", "--nonsense").returncode == 2
    assert run_build("build", "--site", "/does/not/exist").returncode == 2
    assert run_build("--help").returncode == 0


def test_benchmark_corpus_builds(tmp_path) -> None:
    """The corpus that ../shared/bench/make_corpus.py writes is valid content for us."""
    maker = SHARED / "bench" / "make_corpus.py"
    if not maker.is_file():
        pytest.skip("../shared/bench is not beside this checkout")
    import subprocess
    import sys
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, str(maker), str(corpus), "--news", "30", "--regions", "40",
                    "--seed", "3"], check=True, capture_output=True)
    result = run_build("build", "--site", str(corpus))
    assert result.returncode == 0, result.stderr
    assert "40 participants, 30 announcements" in result.stdout
    # The corpus links to made-up pages on its own host; under another host they are external.
    result = run_build("build", "--site", str(corpus), "--base-url", "https://bench.example/sub/")
    assert broken_links(corpus / "output", "https://bench.example/sub/") == []
    shutil.rmtree(corpus)


def test_hostile_front_matter_is_escaped_everywhere(site: FixtureSite) -> None:
    site.write("content/news/2019-05-15-tahap-tiga.md", """\
        ---
        title: '"><script>alert(1)</script>'
        date: 2019-05-15
        summary: "</title><img src=x onerror=alert(1)> & ' \\" <b>"
        tags: [peluncuran]
        sources:
          - title: "<svg onload=alert(1)>"
            url: "https://example.org/?a=1&b=<x>"
        ---
        Teks <script>alert(2)</script>
        """)
    site.write("content/regions/kota-bandung.yaml", """\
        name: Kota Bandung
        type: kota
        province: Jawa Barat
        code: "32.73"
        cohort: 2017
        note: "<a href='javascript:alert(1)'>x</a>"
        summary: "<iframe src=//evil>"
        quick_wins: ["<style>*{}</style>"]
        website: "https://bandung.go.id/\\"onmouseover=\\"alert(1)"
        """)
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    for path in pages(site.output):
        doc = soup(path)
        for script in doc.find_all("script"):
            # only JSON-LD data blocks and our own script files, never editors' text
            assert script.get("type") == "application/ld+json" or \
                script.get("src", "").startswith("/kota-cerdas/assets/"), (path, script)
        assert not doc.find_all(["img", "iframe", "style", "object", "embed"]), path
        for svg in doc.find_all("svg"):
            assert "alert" not in str(svg), path  # charts and maps are ours, drawn from numbers
        for tag in doc.find_all(True):
            assert not [a for a in tag.attrs if a.startswith("on")], (path, tag)
            assert not str(tag.get("href", "")).lower().startswith("javascript"), (path, tag)
    page = soup(site.output / "berita/tahap-tiga/index.html")
    assert page.h1.text == '"><script>alert(1)</script>'
    assert page.title.text.startswith('"><script>alert(1)</script>')
    assert page.find("meta", attrs={"name": "description"})["content"] == "</title><img src=x onerror=alert(1)> & ' \" <b>"
    assert page.select_one(".sources a")["href"] == "https://example.org/?a=1&b=<x>"
