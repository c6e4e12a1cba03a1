"""The link check: internal links and #anchors of the rendered site resolve; problems point at the
editor's file and line; external links are listed, never fetched."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import REPO, FixtureSite, run_build
from kotacerdas.build.linkcheck import Source, check_links, find_line

BASE = "https://contoh.github.io/kota-cerdas/"

BROKEN_NEWS = """\
---
title: "Tautan rusak"
date: 2019-06-01
summary: "Berita dengan tautan yang salah."
---

Paragraf pertama dengan [tautan yang benar](/daerah/kota-bandung/).

Lihat [daerah yang tidak ada](/daerah/tidak-ada/) dan
[bagian yang tidak ada](#no-such-id).

Tautan ke [rincian tahap dua](/berita/tahap-dua/#rincian) benar.
"""


def _source(path: str, text: str) -> Source:
    """The Source the loader gives for a file's text: the body is what follows the second '---'."""
    head, line, body = text.partition("\n---\n")
    return Source(path, body, head + line)


def _page(body: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head>{head}</head><body>\n{body}\n</body></html>").encode()


# --- the check command on a fixture site --------------------------------------------------

def test_sources_are_the_text_the_loader_read(site: FixtureSite) -> None:
    """The link check maps links to lines from the loaded content (BOM and CRLF as the loader
    read them, translations in their edition), not from content/, which it never reads again."""
    import datetime as dt
    import shutil

    from kotacerdas.build.linkcheck import content_sources
    from kotacerdas.content.load import load_site
    from kotacerdas.model.site import build_model

    site.write("content/news/2019-06-01-tautan-rusak.md",
               b"\xef\xbb\xbf" + BROKEN_NEWS.replace("\n", "\r\n").encode())
    today = dt.date(2030, 1, 1)
    content = load_site(site.root, today)
    models = [build_model(content, today=today, language=lang) for lang in content.config.languages]
    shutil.rmtree(site.root / "content")
    news = content_sources(models[0])["berita/tautan-rusak/index.html"]
    assert (news.path, news.front_matter + news.body, news.prefix) == (
        "content/news/2019-06-01-tautan-rusak.md", BROKEN_NEWS, "")
    translated = [s for m in models[1:] for s in content_sources(m).values() if ".en.md" in s.path]
    assert translated and all(s.prefix == "en/" and s.front_matter.startswith("---\n")
                              for s in translated)


def test_markdown_links_are_reported_at_the_source_line(site: FixtureSite) -> None:
    site.write("content/news/2019-06-01-tautan-rusak.md", BROKEN_NEWS)
    result = site.run("check")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("content/")]
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("content/news/2019-06-01-tautan-rusak.md:9: link to /daerah/tidak-ada/ "
                               "leads to a page that does not exist")
    assert lines[1].startswith("content/news/2019-06-01-tautan-rusak.md:10: link to #no-such-id: "
                               "this page has no heading or element with id 'no-such-id'")
    assert "2 problems found" in result.stderr


def test_github_format_prints_annotations(site: FixtureSite) -> None:
    site.write("content/news/2019-06-01-tautan-rusak.md", BROKEN_NEWS)
    env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(site.root)}
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--site", str(site.root)],
                            cwd=REPO, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 1
    annotations = [ln for ln in result.stdout.splitlines() if ln.startswith("::error ")]
    assert annotations[0].startswith("::error file=content/news/2019-06-01-tautan-rusak.md,line=9,"
                                     "title=Kota Cerdas::link to /daerah/tidak-ada/ leads")
    assert annotations[1].startswith("::error file=content/news/2019-06-01-tautan-rusak.md,line=10,")
    assert len(annotations) == 2
    text = site.run("check", "--format", "text")
    assert "::error" not in text.stdout + text.stderr


def test_suggests_the_nearest_page_and_the_nearest_anchor(site: FixtureSite) -> None:
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\n---\n\n## Alamat Kantor\n\n"
               "[Bandung](/daerah/kota-bandungg/) dan [alamat](#alamat-kantr).\n")
    result = site.run("check")
    assert result.returncode == 1
    assert "content/pages/kontak.md:7: link to /daerah/kota-bandungg/ leads to a page that does " \
           "not exist (did you mean /daerah/kota-bandung/?)" in result.stderr
    assert "(did you mean #alamat-kantor?)" in result.stderr


def test_relative_link_explains_the_leading_slash(site: FixtureSite) -> None:
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\n---\n\nLihat [data](data/).\n")
    result = site.run("check")
    assert result.returncode == 1
    assert "content/pages/kontak.md:5: link to data/ leads to a page that does not exist" in result.stderr
    assert "write site addresses from the site root, e.g. /data/" in result.stderr


def test_good_links_and_anchors_pass_and_external_links_are_listed(site: FixtureSite) -> None:
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\n---\n\n## Alamat\n\n"
               "[Atas](#alamat), [data](/data/), [tahap dua](/berita/tahap-dua/#rincian), "
               "[luar](https://example.org/luar).\n")
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    assert "external links were not checked" in result.stdout
    listed = site.run("check", "--external")
    assert "https://example.org/luar  (on en/kontak/index.html and 1 more)" in listed.stdout


def test_the_real_site_has_no_broken_internal_link() -> None:
    result = run_build("check", "--site", str(REPO))
    assert result.returncode == 0, result.stderr
    assert "internal links and anchors resolve" in result.stdout


# --- check_links on rendered files in memory ------------------------------------------------

def test_template_links_point_at_the_built_page_once() -> None:
    files = {f"p{i}/index.html": _page('<a href="/kota-cerdas/hilang/">x</a>') for i in range(3)}
    report = check_links(files, BASE)
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.path == "output/p0/index.html" and problem.line == 2
    assert "link to /hilang/ leads to a page that does not exist" in problem.message
    assert "on 2 other built pages" in problem.message and "template" in problem.message


def test_resolves_like_a_static_server() -> None:
    files = {
        "index.html": _page('<a href="/kota-cerdas/">home</a><a href="/kota-cerdas/data">no slash</a>'
                            '<a href="https://contoh.github.io/kota-cerdas/data/#unduh">abs</a>'
                            '<a href="data/">relative</a><a href="?q=1">query</a><a href="#top">top</a>'
                            '<img src="/kota-cerdas/assets/logo.svg?v=1" alt="">'
                            '<img srcset="/kota-cerdas/assets/logo.svg 1x, /kota-cerdas/assets/x.png 2x" alt="">'
                            '<a href="mailto:a@b.id">m</a><a href="tel:+62">t</a>'
                            '<a href="https://example.org/a">ext</a><a href="//cdn.example/x.js">ext2</a>',
                            '<link rel="stylesheet" href="/kota-cerdas/assets/style.css?v=abc">'),
        "data/index.html": _page('<h2 id="unduh">Unduh</h2><a href="../">up</a>'),
        "data/berkas.csv": b"a,b\n",
        "sitemap.xml": b'<urlset><url><loc>https://contoh.github.io/kota-cerdas/data/</loc></url>'
                       b'<url><loc>https://contoh.github.io/kota-cerdas/hilang/</loc></url></urlset>',
    }
    report = check_links(files, BASE, extra=["assets/logo.svg", "assets/style.css"])
    messages = [(p.path, p.message.split(";")[0]) for p in report.problems]
    assert messages == [
        ("output/index.html", "built page: link to /assets/x.png leads to a page that does not exist"),
        ("output/sitemap.xml", "built page: link to https://contoh.github.io/kota-cerdas/hilang/ leads to "
                               "a page that does not exist"),
    ], messages
    assert sorted(report.external) == ["//cdn.example/x.js", "https://example.org/a"]
    assert report.external["https://example.org/a"] == ["index.html"]


def test_fragments_on_other_pages_and_outside_the_base_path() -> None:
    files = {
        "index.html": _page('<a href="/kota-cerdas/data/#unduh">ok</a>\n'
                            '<a href="/kota-cerdas/data/#hilang">bad</a>\n'
                            '<a href="/lain/">outside</a>\n<a name="lama"></a><a href="#lama">old</a>'),
        "data/index.html": _page('<h2 id="unduh">Unduh</h2>'),
    }
    report = check_links(files, BASE)
    assert [(p.line, p.message.split(";")[0]) for p in report.problems] == [
        (3, "built page: link to /data/#hilang: the page /data/ has no heading or element with id 'hilang'"),
        (4, "built page: link to /lain/ points outside the site, which lives under /kota-cerdas/"),
    ]


def test_sources_map_problems_to_content_files() -> None:
    text = BROKEN_NEWS
    files = {"berita/x/index.html": _page('<a href="/kota-cerdas/daerah/tidak-ada/">a</a>'
                                          '<a href="#no-such-id">b</a>'
                                          '<a href="/kota-cerdas/daerah/template-only/">c</a>')}
    report = check_links(files, BASE, sources={"berita/x/index.html": _source("content/news/x.md", text)})
    assert [(p.path, p.line) for p in report.problems] == [
        ("content/news/x.md", 9), ("content/news/x.md", 10), ("output/berita/x/index.html", 2)]


def test_find_line_matches_whole_links_and_prefers_the_body() -> None:
    front_matter, body = "---\ntitle: x\nsources:\n  - /data/\n---\n", "\n[a](/data/lain/) [b](/data/)\n"
    assert find_line(body, ["/data/"], front_matter) == 7
    assert find_line(body, ["/data/lain/"], front_matter) == 7
    assert find_line(body, ["/tidak/"], front_matter) == 0
    assert find_line("", ["/data/"], front_matter) == 4  # a link only in the fields
    assert find_line("\n[a](/data/lainnya/)\n", ["/data/"], "---\ntitle: x\n---\n") == 0


def test_an_unparseable_address_is_a_problem_not_a_crash() -> None:
    report = check_links({"index.html": _page('<a href="http://[rusak/">x</a>')}, BASE)
    assert [p.message.split(";")[0] for p in report.problems] == [
        "built page: link to http://[rusak/ is not a valid web address"]


# --- every id appears once on a page; no link runs code -----------------------------------------

SOURCES_NEWS = """\
---
title: "Tahap tiga"
date: 2019-05-15
summary: "Tahap tiga."
sources:
  - https://example.org/tiga
---

# Konten utama

Teks. [Lompat](#konten-utama_1)

## Sumber

## Cari situs
"""


def test_headings_never_take_a_template_id(site: FixtureSite) -> None:
    """The reported instance (the skip link's and the sources section's ids), the header's search
    field, and the data page's downloads, which the page shows below content/pages/data.md."""
    site.write("content/news/2019-05-15-tahap-tiga.md", SOURCES_NEWS)
    site.write("content/pages/data.md", "---\ntitle: Data\nupdated: 2026-11-02\n---\n\n## Unduh data\n")
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    assert site.run("build").returncode == 0
    page = (site.output / "berita/tahap-tiga/index.html").read_text(encoding="utf-8")
    for taken in ("konten-utama", "sumber", "cari-situs"):
        assert page.count(f'id="{taken}"') == 1, taken
        assert page.count(f'id="{taken}_1"') == 1, taken
    assert 'aria-labelledby="sumber"' in page
    data = (site.output / "data/index.html").read_text(encoding="utf-8")
    assert data.count('id="unduh-data"') == 1 and 'id="unduh-data_1"' in data


def test_check_reports_an_id_used_twice(site: FixtureSite) -> None:
    """The next member of the class: an HTML heading's id that a Markdown heading repeats."""
    site.write("content/news/2019-05-15-tahap-tiga.md", "---\ntitle: Tahap tiga\ndate: 2019-05-15\n"
               "summary: Tahap tiga.\n---\n\n<h2 id=\"rincian\">Rincian</h2>\n\n## Rincian\n")
    result = site.run("check")
    assert result.returncode == 1
    assert re.search(r"output/berita/tahap-tiga/index\.html:\d+: built page: the id 'rincian' is "
                     r"used again here, after line \d+ \(the same on 1 other built page\); an id "
                     r"may appear only once on a page", result.stderr), result.stderr
    assert "a heading's id from content/news/2019-05-15-tahap-tiga.md" in result.stderr


def test_an_id_a_template_repeats_is_reported_once_for_all_pages() -> None:
    files = {f"p{i}/index.html": _page('<main id="isi">\n<h2 id="isi">x</h2></main>')
             for i in range(3)}
    report = check_links(files, BASE)
    [problem] = report.problems
    assert (problem.path, problem.line) == ("output/p0/index.html", 3)
    assert "the id 'isi' is used again here, after line 2 (the same on 2 other built pages)" \
        in problem.message and "template" in problem.message


@pytest.mark.parametrize("link", ['<a href="javascript:alert(1)">x</a>',
                                  '<a href="\u3000javascript:alert(1)">x</a>',
                                  '<img src="data:text/html,x" alt="">',
                                  '<a href=" VBScript:x">x</a>'])
def test_a_link_that_runs_code_is_a_problem(link: str) -> None:
    """Whoever wrote it: the sanitizer keeps them out of bodies, check keeps them out of templates."""
    report = check_links({"index.html": _page(link + '<a href="mailto:a@b.id">m</a>')}, BASE)
    [problem] = report.problems
    assert "could run it as a program: remove it" in problem.message
