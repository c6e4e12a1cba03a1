"""The English edition: same structure under /en/, twins linked both ways, translations or marked
originals, locale-correct dates and numbers, per-language sitemap, feeds, search and open data,
and the completeness report of ``check``."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import feedparser

from conftest import CONFIG, FixtureSite
from htmlcheck import pages, soup
from kotacerdas.model.i18n import Catalogue

BASE = "https://contoh.github.io/kota-cerdas/"
SITE_FILES = ("404.html", "robots.txt", ".nojekyll")


def rel(built: FixtureSite, path) -> str:  # noqa: ANN001
    return path.relative_to(built.output).as_posix()


def route(rel_path: str) -> str:
    return rel_path[: -len("index.html")] if rel_path.endswith("index.html") else rel_path


# --- structure and links between the editions ---------------------------------------------

def test_every_page_has_its_twin_linked_both_ways(built: FixtureSite) -> None:
    indonesian = {rel(built, p) for p in pages(built.output) if not rel(built, p).startswith("en/")}
    english = {rel(built, p)[3:] for p in pages(built.output) if rel(built, p).startswith("en/")}
    assert english == indonesian - {"404.html"}  # the same structure; one 404 for the whole site
    for path in sorted(indonesian - {"404.html"}):
        for language, here, twin in (("id", path, "en/" + path), ("en", "en/" + path, path)):
            doc = soup(built.output / here)
            assert doc.html["lang"] == language
            alternates = {link["hreflang"]: link["href"]
                          for link in doc.head.find_all("link", rel="alternate", hreflang=True)}
            assert alternates == {"id": BASE + route(path), "en": BASE + "en/" + route(path),
                                  "x-default": BASE + route(path)}, here
            (switch,) = doc.select(".language-switch a")
            other = "en" if language == "id" else "id"
            assert switch["href"] == "/kota-cerdas/" + route(twin), here
            assert switch["lang"] == switch["hreflang"] == other
            assert switch.text == {"en": "English", "id": "Bahasa Indonesia"}[other]


def test_site_wide_files_exist_once_at_the_root(built: FixtureSite) -> None:
    for name in SITE_FILES:
        assert (built.output / name).is_file(), name
        assert not (built.output / "en" / name).exists(), name
    page = soup(built.output / "404.html")
    english = page.select_one("main section[lang=en]")
    assert english.h2.text == "Page not found"
    assert english.find("a", href="/kota-cerdas/en/")
    assert page.select_one(".language-switch a")["href"] == "/kota-cerdas/en/"
    # theme files are shared too: English pages load them from the root
    css = soup(built.output / "en" / "index.html").find("link", rel="stylesheet")["href"]
    assert css.startswith("/kota-cerdas/assets/style.css?v=")


def test_a_site_without_translations_has_one_edition(site: FixtureSite) -> None:
    site.write("site_config.yaml", CONFIG.split("translations:")[0])
    for name in ("news/2017-05-22-peluncuran.en.md", "pages/tentang.en.md", "pages/data.en.md"):
        site.remove(f"content/{name}")
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert not (site.output / "en").exists()
    home = soup(site.output / "index.html")
    assert not home.select(".language-switch") and not home.find("link", hreflang=True)
    assert "xhtml" not in (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert (site.output / "robots.txt").read_text(encoding="utf-8").count("Sitemap:") == 1


# --- what the English pages show -----------------------------------------------------------

def test_translated_announcement_is_shown_in_english(built: FixtureSite) -> None:
    page = soup(built.output / "en" / "berita" / "peluncuran" / "index.html")
    assert page.h1.text == "Launch of the movement" and not page.h1.get("lang")
    assert not page.select(".notice")
    assert page.select_one(".lead").text == "The movement was launched."
    assert page.select_one("main .meta time").text == "22 May 2017"
    # a root-relative link in the translation leads to the English twin of the page
    assert page.select_one(".prose a")["href"] == "/kota-cerdas/en/daerah/kota-bandung/"
    # date, topics, regions and sources come from the original
    assert [a.text for a in page.select(".tags a")] == ["peluncuran"]
    assert page.select_one(".tags a")["lang"] == "id"
    assert page.select_one("#sumber + ol a")["href"] == "https://example.org/berita"
    indonesian = soup(built.output / "berita" / "peluncuran" / "index.html")
    assert indonesian.select_one("main .meta time").text == "22 Mei 2017"


def test_untranslated_announcement_shows_the_original_marked_indonesian(built: FixtureSite) -> None:
    page = soup(built.output / "en" / "berita" / "tahap-dua" / "index.html")
    assert page.html["lang"] == "en"
    assert page.h1.text == "Tahap dua" and page.h1["lang"] == "id"
    assert page.select_one(".prose")["lang"] == "id" and page.select_one(".lead")["lang"] == "id"
    assert "not been translated" in page.select_one(".notice").text
    assert page.select_one("nav.breadcrumbs a[aria-current]")["lang"] == "id"
    listing = soup(built.output / "en" / "berita" / "index.html")
    heading = listing.find("a", href="/kota-cerdas/en/berita/tahap-dua/").parent
    assert heading["lang"] == "id"
    assert "not yet translated" in heading.find_next_sibling("p").text
    translated = listing.find("a", href="/kota-cerdas/en/berita/peluncuran/")
    assert translated is None or not translated.parent.get("lang")


def test_outdated_translation_says_so_and_links_the_original(built: FixtureSite) -> None:
    page = soup(built.output / "en" / "data" / "index.html")
    notice = page.select_one(".notice")
    assert "updated on 2 November 2026" in notice.text
    link = notice.find("a")
    assert link["href"] == "/kota-cerdas/data/" and link["hreflang"] == "id"
    assert page.h1.text == "Data" and not page.h1.get("lang")
    kontak = soup(built.output / "en" / "kontak" / "index.html")  # no translation at all
    assert kontak.h1["lang"] == "id" and "not been translated" in kontak.select_one(".notice").text
    footer = {a.text: a.get("lang") for a in kontak.select("footer nav a")}
    assert footer["About"] is None and footer["Kontak"] == "id"


def test_interface_dates_and_numbers_follow_the_locale() -> None:
    english, indonesian = Catalogue("en", {}), Catalogue("id", {})
    import datetime as dt
    day = dt.date(2021, 12, 31)
    assert english.date(day) == "31 December 2021" and indonesian.date(day) == "31 Desember 2021"
    assert english.date(day, "medium") == "31 Dec 2021"
    assert english.number(1234) == "1,234" and indonesian.number(1234) == "1.234"
    assert english.number(3.5) == "3.5" and indonesian.number(3.5) == "3,5"


def test_english_catalogue_has_every_key_with_the_same_placeholders() -> None:
    import string

    import yaml

    from conftest import REPO

    def load(language: str) -> dict[str, str]:
        return yaml.safe_load((REPO / "templates/strings" / f"{language}.yaml").read_text("utf-8"))

    def fields(text: str | dict[str, str]) -> list[str]:
        forms = text.values() if isinstance(text, dict) else [text]
        found = {tuple(sorted(f for _, f, _, _ in string.Formatter().parse(t) if f)) for t in forms}
        assert len(found) == 1, text  # every plural form fills the same placeholders
        return list(found.pop())

    indonesian, english = load("id"), load("en")
    assert set(english) == set(indonesian)
    assert {k: fields(v) for k, v in english.items()} == {k: fields(v) for k, v in indonesian.items()}
    plural = {k: v for k, v in english.items() if isinstance(v, dict)}
    assert plural and all(set(v) == {"one", "other"} for v in plural.values())


def test_counts_take_the_plural_form_of_the_language(built: FixtureSite) -> None:
    english = {a.text: a.find_next_sibling("span").text
               for a in soup(built.output / "en" / "topik" / "index.html").select(".tags a")}
    assert english == {"angkatan-2018": "(1 news item)", "peluncuran": "(2 news items)"}
    indonesian = {a.text: a.find_next_sibling("span").text
                  for a in soup(built.output / "topik" / "index.html").select(".tags a")}
    assert indonesian == {"angkatan-2018": "(1 berita)", "peluncuran": "(2 berita)"}


def test_a_plural_entry_needs_other(site: FixtureSite) -> None:
    site.write("templates/strings/en.yaml", "tag_count:\n  one: \"{count} item\"\n  lots: \"x\"\n")
    result = site.run("build")
    assert result.returncode == 1
    assert "templates/strings/en.yaml:1: 'tag_count' lists plural forms, which must include " \
           "'other' and may only be zero, one, two, few, many, other (not lots)" in result.stderr


# --- per-language files ------------------------------------------------------------------

def test_each_edition_has_its_own_sitemap_with_alternates(built: FixtureSite) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    for prefix in ("", "en/"):
        root = ET.fromstring((built.output / prefix / "sitemap.xml").read_bytes())
        locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
        assert locs and all(loc.startswith(BASE + prefix) for loc in locs)
        if not prefix:
            assert not any(loc.startswith(BASE + "en/") for loc in locs)
        for url in root.findall("s:url", ns):
            loc = url.find("s:loc", ns).text
            path = loc[len(BASE + prefix):]
            links = {x.get("hreflang"): x.get("href") for x in url.findall("x:link", ns)}
            assert links == {"id": BASE + path, "en": BASE + "en/" + path, "x-default": BASE + path}


def test_english_feeds_mark_untranslated_entries(built: FixtureSite) -> None:
    feed = feedparser.parse((built.output / "en" / "berita" / "atom.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.language == "en" and feed.feed.link == BASE + "en/berita/"
    titles = {e.title: e.title_detail.language for e in feed.entries}
    assert titles == {"Tahap tiga": "id", "Tahap dua": "id", "Launch of the movement": "en"}
    assert all(e.link.startswith(BASE + "en/berita/") for e in feed.entries)
    rss = feedparser.parse((built.output / "en" / "berita" / "rss.xml").read_bytes())
    assert not rss.bozo and rss.feed.language == "en"
    data = json.loads((built.output / "en" / "berita" / "feed.json").read_text(encoding="utf-8"))
    assert data["language"] == "en"
    assert {i["title"]: i.get("language") for i in data["items"]} == \
        {"Tahap tiga": "id", "Tahap dua": "id", "Launch of the movement": None}
    home = soup(built.output / "en" / "index.html")
    feeds = [link["href"] for link in home.head.find_all("link", rel="alternate", type=True)]
    assert feeds == ["/kota-cerdas/en/berita/atom.xml", "/kota-cerdas/en/berita/rss.xml",
                     "/kota-cerdas/en/berita/feed.json"]


def test_english_search_index_points_to_english_pages(built: FixtureSite) -> None:
    page = soup(built.output / "en" / "cari" / "index.html")
    box = page.select_one("[data-search]")
    assert box["data-index"] == "/kota-cerdas/en/cari/indeks.json"
    assert box["data-type-peserta"] == "Participant"
    index = json.loads((built.output / "en" / "cari" / "indeks.json").read_text(encoding="utf-8"))
    internal = [i["u"] for i in index["items"]]
    assert internal and all(u.startswith("/kota-cerdas/en/") for u in internal)
    titles = {i["t"] for i in index["items"] if i["y"] == "berita"}
    assert "Launch of the movement" in titles and "Tahap dua" in titles


def test_open_data_per_edition(built: FixtureSite) -> None:
    for prefix in ("", "en/"):
        rows = list(csv.DictReader(io.StringIO(
            (built.output / prefix / "data" / "peserta.csv").read_text(encoding="utf-8-sig"))))
        assert rows and all(r["url"].startswith(BASE + prefix + "daerah/") for r in rows)
        package = json.loads((built.output / prefix / "data" / "datapackage.json").read_text("utf-8"))
        assert package["homepage"] == BASE + prefix + "data/"
    news = json.loads((built.output / "en" / "data" / "berita.json").read_text(encoding="utf-8"))
    english = {r["slug"]: r["judul"] for r in (news if isinstance(news, list) else news["data"])}
    assert english["peluncuran"] == "Launch of the movement" and english["tahap-dua"] == "Tahap dua"
    page = soup(built.output / "en" / "data" / "index.html")
    assert page.find("a", href="/kota-cerdas/en/data/peserta.csv")


# --- errors and the completeness report ---------------------------------------------------

def test_translation_mistakes_are_reported_with_how_to_fix_them(site: FixtureSite) -> None:
    site.write("content/news/2019-06-01-hilang.en.md", "---\ntitle: Lost\nsummary: S.\n---\n\nText.\n")
    site.write("content/news/2018-05-08-tahap-dua.en.md",
               "---\ntitle: Stage two\nsummary: S.\ndate: 2018-05-08\n---\n\nText.\n")
    site.write("content/pages/kontak.fr.md", "---\ntitle: Contact\n---\n\nTexte.\n")
    site.write("content/pages/tentang.en.md", "---\nsummary: No title.\n---\n\nText.\n")
    result = site.run("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    err = result.stderr
    assert "content/news/2019-06-01-hilang.en.md: is a translation of 2019-06-01-hilang.md, " \
           "which does not exist in news/" in err
    assert "content/news/2018-05-08-tahap-dua.en.md:4: unknown field 'date'; a translation holds " \
           "only title, summary, updated and the text; date, tags, regions and sources come from " \
           "the Indonesian original" in err
    assert "content/pages/kontak.fr.md: '.fr.md' names a language this site has no edition for" in err
    assert "content/pages/tentang.en.md:" in err and "title" in err
    assert "4 problems found; nothing was written." in err
    assert not site.output.exists()


def test_a_translation_needs_its_edition_in_the_config(site: FixtureSite) -> None:
    site.write("site_config.yaml", CONFIG.split("translations:")[0])
    result = site.run("build")
    assert result.returncode == 1
    assert "content/pages/tentang.en.md: site_config.yaml has no 'en' edition; add " \
           "'translations:' with 'en:' to it, or remove this file" in result.stderr


def test_a_page_may_not_take_an_editions_address(site: FixtureSite) -> None:
    site.write("content/pages/en.md", "---\ntitle: En\n---\n\nTeks.\n")
    result = site.run("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "en/index.html would be written by two language editions" in result.stderr


def test_check_lists_exactly_the_missing_and_outdated_translations(site: FixtureSite) -> None:
    site.write("templates/strings/id.yaml", 'hanya_di_situs_ini: "Teks khusus situs ini"\n')
    # an announcement whose original was updated after its translation
    original = (site.root / "content/news/2017-05-22-peluncuran.md").read_text(encoding="utf-8")
    site.write("content/news/2017-05-22-peluncuran.md",
               original.replace("date: 2017-05-22\n", "date: 2017-05-22\nupdated: 2017-06-01\n"))
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    report = result.stdout[result.stdout.index("translation 'en'"):].splitlines()
    assert report == [
        "translation 'en': 3 pages/announcements not translated, 2 translations outdated, "
        "1 interface strings missing",
        "  content/pages/data.en.md: is older than its original content/pages/data.md (translation "
        "updated: 2026-10-01, original: 2026-11-02); bring it up to date and set "
        "'updated: 2026-11-02'",
        "  content/pages/kontak.md: has no 'en' translation; write it in content/pages/kontak.en.md",
        "  content/news/2017-05-22-peluncuran.en.md: is older than its original "
        "content/news/2017-05-22-peluncuran.md (translation updated: no date, original: "
        "2017-06-01); bring it up to date and set 'updated: 2017-06-01'",
        "  content/news/2018-05-08-tahap-dua.md: has no 'en' translation; write it in "
        "content/news/2018-05-08-tahap-dua.en.md",
        "  content/news/2019-05-15-tahap-tiga.md: has no 'en' translation; write it in "
        "content/news/2019-05-15-tahap-tiga.en.md",
        "  templates/strings/en.yaml: interface string 'hanya_di_situs_ini' has no 'en' text; add "
        "'hanya_di_situs_ini: …' (the id text is shown meanwhile)",
    ]
    # the same as GitHub notices, then nothing left once everything is translated
    github = site.run("check", "--format", "github")
    assert github.stdout.count("::notice file=") == 6
    site.write("templates/strings/en.yaml", 'hanya_di_situs_ini: "Text for this site only"\n')
    site.write("content/pages/data.en.md", "---\ntitle: Data\nupdated: 2026-11-02\n---\n\nData.\n")
    site.write("content/pages/kontak.en.md", "---\ntitle: Contact\n---\n\nContact us.\n")
    site.write("content/news/2017-05-22-peluncuran.en.md",
               "---\ntitle: Launch\nsummary: Launched.\nupdated: 2017-06-01\n---\n\nText.\n")
    for name in ("2018-05-08-tahap-dua", "2019-05-15-tahap-tiga"):
        site.write(f"content/news/{name}.en.md", "---\ntitle: T\nsummary: S.\n---\n\nText.\n")
    done = site.run("check")
    assert done.returncode == 0, done.stderr
    assert "translation 'en'" not in done.stdout


def test_english_page_of_an_outdated_announcement_shows_the_translation_date(site: FixtureSite) -> None:
    original = (site.root / "content/news/2017-05-22-peluncuran.md").read_text(encoding="utf-8")
    site.write("content/news/2017-05-22-peluncuran.md",
               original.replace("date: 2017-05-22\n", "date: 2017-05-22\nupdated: 2017-06-01\n"))
    assert site.run("build").returncode == 0
    page = soup(site.output / "en" / "berita" / "peluncuran" / "index.html")
    assert [t.text for t in page.select("main .meta time")] == ["22 May 2017"]
    assert "updated on 1 June 2017" in page.select_one(".notice").text
    indonesian = soup(site.output / "berita" / "peluncuran" / "index.html")
    assert [t.text for t in indonesian.select("main .meta time")] == ["22 Mei 2017", "1 Juni 2017"]
