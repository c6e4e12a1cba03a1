"""What citizens read about each participation, on every page type of both editions: its status in
plain words, withdrawn rounds explained and never counted, notes in the reader's language, and no
research note anywhere. Read from a built fixture site the way a browser would."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EDITIONS, REPO, STATUS_REGIONS, FixtureSite, spy, strings
from htmlcheck import soup

from kotacerdas.model.i18n import Catalogue

PREFIX = "/kota-cerdas/"
RESEARCH_NOTES = ("conflicting sources", "RISET-ANGKATAN-2017", "RISET-YOGYA-2017",
                  "RISET-YOGYA-2018", "RISET-KABBANDUNG")
"""Words that appear only in the fixture's research_note fields."""
NOTES = {
    "id": {"depok": "Dua sumber menyebut tahun yang berbeda.",
           "yogya-2017": "Disebut pada Mei 2017, lalu dibatalkan; bergabung pada 2018.",
           "yogya-2018": "Hadir dalam forum daerah peserta 2018.",
           "round-2017": "Tahap I dimulai di Makassar."},
    "en": {"depok": "Two sources give different years.",
           "yogya-2017": "Named in May 2017, then cancelled; joined in 2018.",
           "yogya-2018": "Attended the 2018 participants' forum.",
           "round-2017": "Stage I began in Makassar."},
}
KAB_BANDUNG_NOTE = "Tercantum dalam daftar Mei 2018, tetapi digantikan daerah lain."  # no note_en


@pytest.fixture
def output(status_output: Path) -> Path:
    """The fixture site with a withdrawn, an inferred and a withdrawn-only region, built."""
    return status_output


def page(output: Path, prefix: str, route: str):  # noqa: ANN201 (BeautifulSoup)
    return soup(output / prefix / route / "index.html")


def item(doc, slug: str, prefix: str, within: str = "main .region-list"):  # noqa: ANN001, ANN201
    """The list item that links to a region's page."""
    link = doc.select_one(f"{within} a[href='{PREFIX}{prefix}daerah/{slug}/']")
    return link.find_parent("li") if link else None


def text(node) -> str:  # noqa: ANN001
    return " ".join(node.get_text(" ").split())


@pytest.mark.parametrize("prefix,language", EDITIONS)
def test_unverified_says_so_and_why_on_every_page_type(output: Path, prefix: str,
                                                       language: str) -> None:
    t, notes = strings(language), NOTES[language]
    badge = t["unverified_badge"]
    depok = page(output, prefix, "daerah/kota-depok")
    assert depok.select_one(".warning")
    rounds = {li.a.text: li for li in depok.select("#keikutsertaan + ul.rounds > li")}
    label = t["cohort_title"].format(year=2018)
    assert badge in text(rounds[label]) and notes["depok"] in text(rounds[label])
    confirmed = rounds[t["cohort_title"].format(year=2017)]
    assert not confirmed.select(".badge") and badge not in text(confirmed)
    bandung = page(output, prefix, "daerah/kota-bandung")
    assert not bandung.select(".warning, .badge") and badge not in text(bandung.main)
    for route in ("angkatan/2018", "provinsi/jawa-barat", "daerah"):
        listing = page(output, prefix, route)
        li = item(listing, "kota-depok", prefix)
        assert li.select_one(".badge-warning") and badge in text(li), route
        assert notes["depok"] in text(li), route
        if route != "provinsi/jawa-barat":
            yogya = item(listing, "kota-yogyakarta", prefix)
            assert badge in text(yogya) and notes["yogya-2018"] in text(yogya), route
    round_page = page(output, prefix, "angkatan/2018")
    assert not item(round_page, "kabupaten-gunungkidul", prefix).select(".badge")
    assert sum(1 for li in round_page.select("main .region-list li") if li.select(".badge")) == 2


@pytest.mark.parametrize("prefix,language", EDITIONS)
def test_a_withdrawn_round_is_explained_and_not_counted(output: Path, prefix: str,
                                                        language: str) -> None:
    t, notes = strings(language), NOTES[language]
    yogya = page(output, prefix, "daerah/kota-yogyakarta")
    withdrawn = yogya.select_one("ul.rounds li.round-withdrawn")
    assert withdrawn.a["href"] == f"{PREFIX}{prefix}angkatan/2017/"
    assert t["withdrawn_round"].format(year=2017) in text(withdrawn)
    assert notes["yogya-2017"] in text(withdrawn)
    assert not withdrawn.select(".badge")  # not an unverified participation: not a participation
    facts = {dt.text: dd for dt, dd in zip(yogya.select(".facts dt"), yogya.select(".facts dd"))}
    assert [a.text for a in facts[t["field_cohorts"]].select("a")] == ["2018"]
    round_page = page(output, prefix, "angkatan/2017")
    complete = t["cohort_complete"].format(known=2, announced=25)
    assert complete in text(round_page.select_one(".completeness"))
    assert round_page.select_one("meter")["value"] == "2"
    assert item(round_page, "kota-yogyakarta", prefix) is None
    apart = item(round_page, "kota-yogyakarta", prefix, "#tidak-ikut-serta ~ ul.withdrawn-list")
    assert notes["yogya-2017"] in text(apart)
    home = page(output, prefix, "")
    assert [s.text for s in home.select(".stat-number")] == ["4", "5", "2", "2"]
    rows = {tr.th.a.text: [td.text for td in tr.select("td")]
            for tr in page(output, prefix, "data").select("#kelengkapan-angkatan ~ div tbody tr")}
    assert rows == {"2017": ["25", "2", "0", "1", "23"], "2018": ["50", "3", "2", "1", "47"]}


@pytest.mark.parametrize("prefix,language", EDITIONS)
def test_a_region_with_only_withdrawn_rounds_keeps_its_page_and_is_counted_nowhere(
        output: Path, prefix: str, language: str) -> None:
    t = strings(language)
    own = page(output, prefix, "daerah/kabupaten-bandung")
    assert t["withdrawn_only_title"] in own.select_one(".warning").text
    note = own.select_one("ul.rounds li.round-withdrawn .note")
    assert note.text == KAB_BANDUNG_NOTE and note.get("lang") == ("id" if language == "en" else None)
    directory = page(output, prefix, "daerah")
    assert item(directory, "kabupaten-bandung", prefix) is None
    assert item(directory, "kabupaten-bandung", prefix, "#tidak-ikut-serta ~ ul.withdrawn-list")
    assert "4" in text(directory.select_one(".lead"))
    province = page(output, prefix, "provinsi/jawa-barat")
    counted = Catalogue(language, t)("province_count", count=2, total=3)
    assert counted in text(province.select_one(".lead"))
    assert "Kabupaten Bandung" not in [li.text for li in province.select("main ul.columns li")]
    assert item(province, "kabupaten-bandung", prefix, "#tidak-ikut-serta ~ ul.withdrawn-list")
    round_page = page(output, prefix, "angkatan/2018")
    assert t["cohort_complete"].format(known=3, announced=50) in text(round_page.select_one(".completeness"))
    assert item(round_page, "kabupaten-bandung", prefix) is None
    index = json.loads((output / prefix / "cari" / "indeks.json").read_text(encoding="utf-8"))
    entry = next(e for e in index["items"] if e["t"] == "Kabupaten Bandung")
    assert entry["y"] == "wilayah-non-peserta" and entry["u"] == f"{PREFIX}{prefix}daerah/kabupaten-bandung/"


@pytest.mark.parametrize("prefix,language", EDITIONS)
def test_notes_are_shown_in_the_readers_language(output: Path, prefix: str, language: str) -> None:
    notes, other = NOTES[language], NOTES["id" if language == "en" else "en"]
    yogya = text(page(output, prefix, "daerah/kota-yogyakarta").main)
    assert notes["yogya-2017"] in yogya and notes["yogya-2018"] in yogya
    assert other["yogya-2017"] not in yogya and other["yogya-2018"] not in yogya
    round_page = page(output, prefix, "angkatan/2017")
    note = round_page.select_one(".completeness ~ p.note")
    assert note.text == notes["round-2017"] and note.get("lang") is None
    assert [a["href"] for a in round_page.select("#sumber + ol.sources a")] == ["https://example.org/2017"]
    untranslated = page(output, prefix, "angkatan/2018").select_one(".completeness ~ p.note")
    assert untranslated.text == "Tahap II dimulai di Jakarta."
    assert untranslated.get("lang") == ("id" if language == "en" else None)


def test_no_research_note_and_no_flag_word_in_any_output_file(output: Path) -> None:
    """Every file of both editions: pages, search index, feeds, sitemaps, open data."""
    content = "".join(p.read_text(encoding="utf-8") for p in (output.parent / "content").rglob("*.yaml"))
    assert all(words in content for words in RESEARCH_NOTES)  # the notes are there to leak
    files = [p for p in output.rglob("*") if p.is_file()]
    assert any(p.name == "keikutsertaan.csv" for p in files)
    for path in files:
        body = path.read_bytes().decode("utf-8", errors="replace")
        for words in RESEARCH_NOTES:
            assert words not in body, (path.relative_to(output), words)
        assert not re.search(r"\b(UNCERTAIN|INFERRED)\b", body), path.relative_to(output)
        if path.suffix == ".html":
            assert "Catatan riset" not in body and "Research note" not in body, path


@pytest.mark.parametrize("prefix,language", EDITIONS)
def test_data_page_explains_the_four_statuses(output: Path, prefix: str, language: str) -> None:
    t = strings(language)
    doc = page(output, prefix, "data")
    terms = [dt.text for dt in doc.select("#arti-status ~ dl.statuses dt")]
    assert terms == [t[f"status_name_{s}"] for s in ("confirmed", "uncertain", "inferred",
                                                      "withdrawn")]
    headers = [th.text for th in doc.select("#kelengkapan-angkatan ~ div thead th")]
    assert headers == [t["col_year"], t["col_announced"], t["col_known"], t["col_unverified"],
                       t["col_withdrawn"], t["col_missing"]]
    sources = {li.a.text: [a["href"] for a in li.select("a")[1:]]
               for li in doc.select("#sumber-angkatan + ul li")}
    assert sources == {"2017": ["https://example.org/2017"], "2018": ["https://example.org/2018"]}


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_a_province_and_a_round_are_dated_by_the_regions_they_list(site: FixtureSite,
                                                                 prefix: str) -> None:
    """A province's or a round's "last updated" is the newest ``updated`` of the regions it
    names, a withdrawn one included; one that names no dated region shows none (and the sitemap
    gives it no lastmod). The footer still gives the site's newest date on every page."""
    site.write("content/regions/kabupaten-bandung.yaml",
               STATUS_REGIONS["kabupaten-bandung"] + "updated: 2026-11-12\n")
    bandung = site.root / "content/regions/kota-bandung.yaml"
    bandung.write_text(bandung.read_text() + "updated: 2026-11-10\n")
    assert site.run("build").returncode == 0
    out = site.output

    def own_date(route: str) -> str | None:
        found = page(out, prefix, route).select_one(".page-updated time")
        return found["datetime"] if found else None

    assert own_date("provinsi/jawa-barat") == "2026-11-12"  # Kabupaten Bandung, withdrawn-only
    assert own_date("provinsi/daerah-istimewa-yogyakarta") is None  # Gunungkidul has no date
    assert own_date("angkatan/2017") == "2026-11-10"
    assert own_date("angkatan/2018") == "2026-11-12"
    newest = own_date("")
    assert newest is not None and newest >= "2026-11-12"
    for route in ("provinsi/jawa-barat", "provinsi/daerah-istimewa-yogyakarta", "angkatan/2017"):
        footer = page(out, prefix, route).select_one("footer.site-footer time")
        assert footer["datetime"] == newest, route
    sitemap = (out / prefix / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>[^<]*/(provinsi/[^<]*)/</loc>\s*(?:<lastmod>([^<]*))?",
                              sitemap))
    assert lastmod == {"provinsi/jawa-barat": "2026-11-12",
                       "provinsi/daerah-istimewa-yogyakarta": ""}


def test_a_site_without_status_regions_shows_no_withdrawn_section(built: FixtureSite) -> None:
    for route in ("daerah", "angkatan/2017", "provinsi/jawa-barat"):
        assert not page(built.output, "", route).select("#tidak-ikut-serta, .withdrawn-list"), route



# --- what a static page depends on: the template that renders it ------------------------------

NEWS_LIST = '<ul id="uji-daftar">{% for n in site.news %}<li>{{ n.title }}</li>{% endfor %}</ul>'
"""Every announcement's title, from the global ``site`` (the whole model)."""
LISTING = '{% extends "page.html" %}{% block extra %}' + NEWS_LIST + '{% endblock %}\n'
"""A site's own page-tentang.html that lists every announcement."""


def _retitled(site: FixtureSite) -> str:
    """Give an announcement a new title; the title."""
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace('title: "', 'title: "Judul baru ', 1))
    return "Judul baru"


def _rendering(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The routes rendered from now on (in this process: no forked workers)."""
    from kotacerdas.core import parallel
    from kotacerdas.render.renderer import Renderer
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    return spy(monkeypatch, Renderer, "render",
               record=lambda self, spec: self.model.urls.prefix + spec.route)


@pytest.mark.parametrize("cached", [False, True], ids=["preview", "cached build"])
def test_a_news_edit_renders_a_page_template_that_lists_news_and_not_the_generic_page(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool) -> None:
    """page-<slug>.html may show any of the model, so it follows every edit; a page the built-in
    page.html renders shows only itself and the chrome, so a news edit leaves it be."""
    import datetime as dt

    from conftest import tree
    from kotacerdas.build.pipeline import build
    from kotacerdas.preview.incremental import Builder
    today, out = dt.date(2026, 11, 28), tmp_path / "out"
    site.write("templates/page-tentang.html", LISTING)
    builder = Builder(site.root, out, today=today)

    def again() -> None:
        if cached:
            build(site.root, out, today=today, cache_dir=tmp_path / "cache")
        else:
            assert builder.rebuild().ok

    again()
    rendered = _rendering(monkeypatch)
    title = _retitled(site)
    again()
    assert {"tentang/", "en/tentang/", "data/", "en/data/"} <= set(rendered)
    assert not {"kontak/", "en/kontak/"} & set(rendered)
    assert title in (out / "tentang/index.html").read_text()
    build(site.root, tmp_path / "full", today=today)
    assert tree(out) == tree(tmp_path / "full")


def test_a_sites_own_page_html_follows_every_edit(site: FixtureSite, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A site's own page.html may read the whole model too: its pages follow a news edit."""
    import datetime as dt

    from kotacerdas.preview.incremental import Builder
    generic = (REPO / "templates/page.html").read_text()
    site.write("templates/page.html", generic.replace("{% block extra %}",
                                                      NEWS_LIST + "{% block extra %}", 1))
    builder = Builder(site.root, tmp_path / "out", today=dt.date(2026, 11, 28))
    assert builder.rebuild().ok
    rendered = _rendering(monkeypatch)
    title = _retitled(site)
    assert builder.rebuild().ok
    assert {"kontak/", "en/kontak/"} <= set(rendered)
    assert title in (tmp_path / "out/kontak/index.html").read_text()


def test_without_the_template_folders_every_page_may_show_anything(site: FixtureSite) -> None:
    """The site map called without ``templates`` (tests, tools) gives every page wide deps;
    with the built-in templates a static page shows itself, the data page its downloads too."""
    import datetime as dt

    from kotacerdas.content.load import load_site
    from kotacerdas.core.locations import template_dirs, template_files
    from kotacerdas.model.site import build_model
    from kotacerdas.site.pages import PageSpec, site_pages
    today = dt.date(2026, 11, 28)
    model = build_model(load_site(site.root, today), today=today)
    catalogue = Catalogue(model.language, strings(model.language))

    def deps(templates: object) -> dict[str, int | None]:
        return {s.route: None if s.deps is None else len(s.deps)
                for s in site_pages(model, catalogue, None, templates)
                if isinstance(s, PageSpec) and s.template.endswith("|page.html")}

    narrow = deps(template_files(template_dirs(site.root)))
    assert narrow == {"tentang/": 1, "data/": 5, "kontak/": 1}  # data: regions, reference,
    assert deps(None) == {"tentang/": None, "data/": None, "kontak/": None}  # pages, news facts
    pages = [s for s in site_pages(model, catalogue) if isinstance(s, PageSpec)]
    assert all(s.deps is None for s in pages) and len(pages) > 20


def _incremental(site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 cached: bool) -> tuple[Callable[[], set[str]], Path]:
    """(build, output): each call builds ``site`` incrementally into the output, as the preview
    or as a cached build does, checks that the output is then a full build's, and gives the
    pages it rendered."""
    import datetime as dt

    from conftest import tree
    from kotacerdas.build.pipeline import build
    from kotacerdas.preview.incremental import Builder
    today, out = dt.date(2026, 11, 28), tmp_path / "out"
    builder = Builder(site.root, out, today=today)
    rendered = _rendering(monkeypatch)

    def again() -> set[str]:
        rendered.clear()
        if cached:
            build(site.root, out, today=today, cache_dir=tmp_path / "cache")
        else:
            assert builder.rebuild().ok
        made = set(rendered)
        build(site.root, tmp_path / "full", today=today)
        assert tree(out) == tree(tmp_path / "full")
        return made

    return again, out


LISTINGS = ("", "berita/", "topik/peluncuran/", "topik/angkatan-2018/", "daerah/kota-depok/",
            "daerah/kabupaten-gunungkidul/")
"""The pages that list 2018-05-08-tahap-dua: the home page's latest, the news list, its two
topics and its two regions."""


@pytest.mark.parametrize("cached", [False, True], ids=["preview", "cached build"])
def test_a_body_edit_renders_the_announcement_alone_and_a_title_edit_every_list(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool) -> None:
    """A list shows an announcement's title, date, summary and translation state, never its
    text (SiteModel.listed_facts): a body edit renders its page in each edition and no list,
    no topic, region, home or data page; a title edit renders every one of them; each time the
    output is a full build's."""
    again, out = _incremental(site, tmp_path, monkeypatch, cached)
    again()
    _edit(site, "content/news/2018-05-08-tahap-dua.md", "Teks.", "Teks yang baru.")
    assert sorted(again()) == ["berita/tahap-dua/", "en/berita/tahap-dua/"]
    assert "Teks yang baru." in (out / "berita/tahap-dua/index.html").read_text()
    _edit(site, "content/news/2018-05-08-tahap-dua.md", 'title: "Tahap dua"',
          'title: "Tahap baru"')
    rendered = again()
    for route in (*LISTINGS, *(f"en/{route}" for route in LISTINGS)):
        assert route in rendered
        assert "Tahap baru" in (out / route / "index.html").read_text(), route
    assert {"data/", "en/data/"} <= set(rendered)  # its downloads list every announcement


REGION_LISTS = ("", "daerah/", "provinsi/", "provinsi/jawa-barat/", "angkatan/",
                "angkatan/2018/")
"""The pages that list kota-depok and explain its round of 2018, which is not yet verified."""


@pytest.mark.parametrize("cached", [False, True], ids=["preview", "cached build"])
def test_a_regions_sources_edit_renders_its_page_alone_and_a_round_note_edit_every_list(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool) -> None:
    """Lists, counts and the map show what SiteModel.listed_regions names of a region: editing
    its sources renders its own page (and the data page, whose downloads list them) in each
    edition and no list; editing the note of a round the lists explain renders every one of
    them; each time the output is a full build's."""
    again, out = _incremental(site, tmp_path, monkeypatch, cached)
    again()
    _edit(site, "content/regions/kota-depok.yaml", "sources: [https://example.org/depok]",
          "sources: [https://example.org/depok, https://example.org/depok-baru]")
    assert sorted(again()) == ["daerah/kota-depok/", "data/", "en/daerah/kota-depok/",
                               "en/data/"]
    assert "depok-baru" in (out / "daerah/kota-depok/index.html").read_text()
    _edit(site, "content/regions/kota-depok.yaml", "Dua sumber menyebut tahun yang berbeda.",
          "Dua sumber menyebut dua tahun yang berbeda.")
    made = again()
    for route in (*REGION_LISTS, *(f"en/{route}" for route in REGION_LISTS)):
        assert route in made, route
    for route in ("daerah/", "provinsi/jawa-barat/", "angkatan/2018/"):
        assert "dua tahun yang berbeda" in (out / route / "index.html").read_text(), route


@pytest.mark.parametrize("template,old,new", [
    ("macros.html", "<p{{ lang }}>{{ n.summary }}</p>",  # shared: every page may show anything
     '<p{{ lang }}>{{ n.summary }}</p><div class="uji">{{ n.body }}</div>'),
    ("region.html", "{% if news %}",  # one page template: the pages it renders
     '{% for n in news %}<div class="uji">{{ n.body }}</div>{% endfor %}{% if news %}'),
])
def test_a_sites_own_template_that_shows_a_body_follows_a_body_edit(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str,
        old: str, new: str) -> None:
    """What a page depends on is known for the built-in templates only: a site's own template
    may read the whole model, so the pages it renders (all pages, for one that others import,
    extend or include) follow every edit, as a full build has them."""
    import datetime as dt

    from conftest import tree
    from kotacerdas.build.pipeline import build
    from kotacerdas.preview.incremental import Builder
    today, out = dt.date(2026, 11, 28), tmp_path / "out"
    _own_copy(site, template, old, new)
    builder = Builder(site.root, out, today=today)
    assert builder.rebuild().ok
    rendered = _rendering(monkeypatch)
    _edit(site, "content/news/2018-05-08-tahap-dua.md", "Teks.", "Teks yang baru.")
    assert builder.rebuild().ok
    assert "daerah/kota-depok/" in rendered
    assert "Teks yang baru." in (out / "daerah/kota-depok/index.html").read_text()
    assert ("kontak/" in rendered) == (template == "macros.html")
    build(site.root, tmp_path / "full", today=today)
    assert tree(out) == tree(tmp_path / "full")


def test_a_copy_of_the_built_in_templates_is_not_the_sites_own(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site that copied every built-in template into its templates/ renders what the built-in
    ones would (core/locations.own_templates compares the bytes): a body edit still renders the
    announcement's page alone, and one changed byte in a shared template makes every page
    follow every edit."""
    import datetime as dt
    import shutil

    from kotacerdas.preview.incremental import Builder
    shutil.copytree(REPO / "templates", site.root / "templates", dirs_exist_ok=True)
    builder = Builder(site.root, tmp_path / "out", today=dt.date(2026, 11, 28))
    assert builder.rebuild().ok
    rendered = _rendering(monkeypatch)
    _edit(site, "content/news/2018-05-08-tahap-dua.md", "Teks.", "Teks yang baru.")
    assert builder.rebuild().ok
    assert sorted(set(rendered)) == ["berita/tahap-dua/", "en/berita/tahap-dua/"]
    _edit(site, "templates/macros.html", "{# Shared fragments.", "{# Shared fragments, ours.")
    assert builder.rebuild().ok
    rendered.clear()
    _edit(site, "content/news/2018-05-08-tahap-dua.md", "Teks yang baru.", "Teks lagi.")
    assert builder.rebuild().ok
    assert {"kontak/", "daerah/kota-depok/", "en/berita/"} <= set(rendered)


def test_the_templates_built_in_templates_share_are_listed() -> None:
    """as_read gives every page wide deps when a site has its own version of a template that
    built-in ones extend, import or include: each such reference must be in pages.SHARED."""
    import jinja2
    import jinja2.meta

    from kotacerdas.core.locations import BUILTIN_TEMPLATES
    from kotacerdas.site.pages import is_shared
    env = jinja2.Environment()
    referenced = {name for path in BUILTIN_TEMPLATES.rglob("*.html")
                  for name in jinja2.meta.find_referenced_templates(env.parse(path.read_text()))}
    assert None not in referenced  # a computed name could be any template
    assert {"base.html", "macros.html", "page.html", "partials/meta.html"} <= referenced
    assert all(is_shared(name) for name in referenced), referenced
    assert not is_shared("region.html") and not is_shared("page-data.html")


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_list_page_links_to_every_list_page_in_its_edition(
        site: FixtureSite, language: str) -> None:
    """The list pages' links are made once, through the edition's own addresses, and each list
    page marks itself among them."""
    import datetime as dt

    from kotacerdas.content.load import load_site
    from kotacerdas.model.site import build_model
    from kotacerdas.site.pages import news_list
    today = dt.date(2026, 11, 28)
    model = build_model(load_site(site.root, today), today=today, language=language)
    lists = list(news_list(model, Catalogue(model.language, strings(model.language)),
                           model.listed_facts()))
    expected = tuple((i, f"{PREFIX}{model.urls.prefix}berita/" + ("" if i == 1 else
                                                                   f"halaman/{i}/"))
                     for i in range(1, len(lists) + 1))
    assert len(lists) > 1 and all(spec.context["links"] is lists[0].context["links"]
                                  for spec in lists)
    assert lists[0].context["links"] == expected


# --- what a save makes again (site_pages and the fingerprints keep the rest in the session's memo)

ANNOUNCEMENT = "content/news/2018-05-08-tahap-dua.md"
"""An announcement that names two regions (kota-depok, kabupaten-gunungkidul)."""


def _own_copy(site: FixtureSite, rel: str, old: str, new: str) -> None:
    """The site's own copy of a built-in template or strings file, with one change."""
    text = (REPO / "templates" / rel).read_text()
    assert old in text
    site.write(f"templates/{rel}", text.replace(old, new, 1))


def _edit(site: FixtureSite, rel: str, old: str, new: str) -> None:
    path = site.root / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _renamed_depok(site: FixtureSite) -> None:
    """A region's new name (the reference data's with it: a region's name is its official one)."""
    _edit(site, "content/reference/kabupaten-kota.yaml", "name: Kota Depok, short_name: Depok",
          "name: Kota Depok Raya, short_name: Depok Raya")
    _edit(site, "content/regions/kota-depok.yaml", "name: Kota Depok", "name: Kota Depok Raya")


EDITS = {  # what the announcement's page is made from → (an edit of it, what its page shows then)
    "its title": (lambda s: _edit(s, ANNOUNCEMENT, 'title: "Tahap dua"', 'title: "Tahap baru"'),
                  "berita/tahap-dua/", "Tahap baru"),
    "its text": (lambda s: _edit(s, ANNOUNCEMENT, "Teks.", "Teks yang baru."),
                 "berita/tahap-dua/", "Teks yang baru."),
    "its date": (lambda s: _edit(s, ANNOUNCEMENT, "date: 2018-05-08\n",
                                 "date: 2018-05-08\nupdated: 2019-03-04\n"),
                 "berita/tahap-dua/", "2019-03-04"),
    "a region it names": (lambda s: _renamed_depok(s), "berita/tahap-dua/", "Kota Depok Raya"),
    "an interface string": (lambda s: _own_copy(s, "strings/id.yaml", 'news_title: "Berita"',
                                                'news_title: "Kabar"'),
                            "berita/tahap-dua/", "Kabar"),
    "its template": (lambda s: _own_copy(s, "announcement.html", "<h1", '<h1 data-uji="ya"'),
                     "berita/tahap-dua/", 'data-uji="ya"'),
    "the base URL": (lambda s: _edit(s, "site_config.yaml", "/kota-cerdas/", "/portal-lain/"),
                     "berita/tahap-dua/", "/portal-lain/berita/"),
    "its translation": (lambda s: s.write(ANNOUNCEMENT.replace(".md", ".en.md"),
                                          '---\ntitle: "Stage two"\nsummary: "It began."\n---\n\n'
                                          "Text.\n"),
                        "en/berita/tahap-dua/", "Stage two"),
}


@pytest.mark.parametrize("what", EDITS)
def test_an_edit_of_what_an_announcement_shows_renders_it_again(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str) -> None:
    """The preview keeps each announcement's spec and each page's fingerprint by all they are
    made from: an edit of any of it renders the page again, as a full build has it."""
    import datetime as dt

    from conftest import tree
    from kotacerdas.build.pipeline import build
    from kotacerdas.preview.incremental import Builder
    today, out = dt.date(2026, 11, 28), tmp_path / "out"
    builder = Builder(site.root, out, today=today)
    assert builder.rebuild().ok
    edit, route, shown = EDITS[what]
    assert shown not in (out / route / "index.html").read_text()
    rendered = _rendering(monkeypatch)
    edit(site)
    assert builder.rebuild().ok
    assert route in rendered
    assert shown in (out / route / "index.html").read_text()
    build(site.root, tmp_path / "full", today=today)
    assert tree(out) == tree(tmp_path / "full")


def test_an_unrelated_edit_leaves_an_announcement_and_the_listings_be(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another announcement's text, a region it does not name: its page, the search index and
    the sitemap are not made again (their inputs are kept: announcement_page, listed_facts)."""
    import datetime as dt

    from kotacerdas.outputs import search, sitemap
    from kotacerdas.preview.incremental import Builder
    builder = Builder(site.root, tmp_path / "out", today=dt.date(2026, 11, 28))
    assert builder.rebuild().ok
    rendered = _rendering(monkeypatch)
    indexes = spy(monkeypatch, search, "index_json")
    sitemaps = spy(monkeypatch, sitemap, "sitemap_xml")
    _edit(site, "content/news/2017-05-22-peluncuran.md", "\n---\n", "\n---\n\nKalimat baru.\n")
    _edit(site, "content/regions/kota-bandung.yaml", "summary: Bandung", "summary: Kota Bandung")
    assert builder.rebuild().ok
    assert "berita/peluncuran/" in rendered and "daerah/kota-bandung/" in rendered
    assert not {"berita/tahap-dua/", "en/berita/tahap-dua/"} & set(rendered)
    assert len(indexes) == 2 and sitemaps == []  # the index reads every region (both editions)
    rendered.clear()
    indexes.clear()
    _edit(site, "content/news/2017-05-22-peluncuran.md", "\n---\n", "\n---\n\nLagi.\n")
    assert builder.rebuild().ok
    assert "berita/peluncuran/" in rendered and "berita/tahap-dua/" not in rendered
    assert indexes == sitemaps == []  # its text is in no listing
