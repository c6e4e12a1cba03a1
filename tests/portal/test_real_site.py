"""The repository's real content, built under /kota-cerdas/ and read the way a browser would."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from conftest import EDITIONS, REPO, SHARED, strings
from htmlcheck import broken_links, pages, soup
from page_types import language_of

BASE = "https://kominfo.github.io/kota-cerdas/"
REGION_FILES = sorted((REPO / "content" / "regions").glob("*.yaml"))
NEWS_FILES = sorted(p for p in (REPO / "content" / "news").glob("*.md")
                    if not p.name.endswith(".en.md"))


V2 = SHARED / "data" / "v2"


def v2_rows() -> list[dict[str, str]]:
    """Every participation of ../shared/data/v2 itself (not a copy), one row per region × round."""
    if not (V2 / "participants.csv").is_file():
        pytest.skip("../shared/data/v2 is not beside this checkout")
    return list(csv.DictReader((V2 / "participants.csv").open(encoding="utf-8")))


def v2_citations() -> dict[str, dict[str, str]]:
    return {r["url"]: r for r in csv.DictReader((V2 / "citations.csv").open(encoding="utf-8"))}


def slug_of(row: dict[str, str]) -> str:
    return re.sub(r"[^a-z0-9]+", "-", row["official_name"].lower()).strip("-")


def test_every_region_has_a_page(real_site: Path) -> None:
    built = {p.parent.name for p in (real_site / "daerah").glob("*/index.html")}
    assert built == {p.stem for p in REGION_FILES}
    assert len(built) == len({r["kode"] for r in v2_rows()})


def test_every_participation_links_its_round_and_back(real_site: Path) -> None:
    """Each v2 row that is not withdrawn: the region page links the round page, which lists the
    region (marked 'belum terverifikasi' exactly when its status is uncertain or inferred); each
    withdrawn row is explained on the region page and listed apart on the round page."""
    for row in v2_rows():
        slug, year = slug_of(row), row["cohort_year"]
        page = soup(real_site / "daerah" / slug / "index.html")
        cohort_page = soup(real_site / "angkatan" / year / "index.html")
        href = f"/kota-cerdas/daerah/{slug}/"
        listed = [a for a in cohort_page.select(".region-list a") if a["href"] == href]
        if row["status"] == "withdrawn":
            assert not listed, (slug, year)
            assert cohort_page.select_one("#tidak-ikut-serta").find_parent("section").find("a", href=href)
            item = page.select_one("li.round-withdrawn").text
            assert year in item and "tidak ikut" in item.lower(), (slug, item)
            continue
        years = [a.text for a in page.select(".facts dd a[href*='/angkatan/']")]
        assert year in years, (slug, years)
        [link] = listed
        flagged = "belum terverifikasi" in link.parent.text
        assert flagged == (row["status"] in ("uncertain", "inferred")), (slug, row["status"])


@pytest.mark.parametrize("prefix,column", [("", "catatan"), ("en/", "note_en")])
def test_region_pages_show_the_note_in_their_language_and_titled_sources(
        real_site: Path, prefix: str, column: str) -> None:
    citations = v2_citations()
    for row in v2_rows():
        page = soup(real_site / prefix / "daerah" / slug_of(row) / "index.html")
        rounds = page.select_one("#keikutsertaan").find_parent("section")
        notes = [" ".join(p.text.split()) for p in rounds.select("p.note")]
        assert " ".join(row[column].split()) in notes, (slug_of(row), row[column])
        cited = {a["href"]: " ".join(a.parent.text.split()) for a in rounds.select("p.meta a[href]")}
        for url in row["sources"].split():
            c = citations[url]
            assert url in cited, (slug_of(row), url)
            if c["title"]:
                assert c["title"] in cited[url] or c["title"] in page.text, (url, cited[url])
            assert c["publisher"] in page.text, (url, c["publisher"])


def expected_rounds() -> dict[int, tuple[int, int]]:
    """Round → (announced, recorded participations that are not withdrawn), from v2 itself."""
    announced = {int(r["year"]): int(r["announced"])
                 for r in csv.DictReader((V2 / "cohorts.csv").open(encoding="utf-8"))}
    recorded: dict[int, int] = {}
    for row in v2_rows():
        if row["status"] != "withdrawn":
            recorded[int(row["cohort_year"])] = recorded.get(int(row["cohort_year"]), 0) + 1
    return {y: (a, recorded.get(y, 0)) for y, a in announced.items()}


def test_unverified_rows_show_their_caveat_on_page_and_in_listings(real_site: Path) -> None:
    unverified = {slug_of(r) for r in v2_rows() if r["status"] in ("uncertain", "inferred")}
    assert unverified
    directory = soup(real_site / "daerah" / "index.html")
    for slug in unverified:
        page = soup(real_site / "daerah" / slug / "index.html")
        assert "Belum terverifikasi" in page.select_one(".warning").text
        item = directory.find("a", href=f"/kota-cerdas/daerah/{slug}/").parent
        assert "belum terverifikasi" in item.text


def test_no_research_note_is_published(real_site: Path) -> None:
    """The researchers' notes stay in content/ (region files and cohorts.yaml): no built file,
    page or download of either edition carries one, nor an English flag word."""
    import yaml
    notes = set()
    for path in [*REGION_FILES, REPO / "content" / "reference" / "cohorts.yaml"]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rounds = data if isinstance(data, list) else data["cohort"]
        notes |= {r["research_note"] for r in (rounds if isinstance(rounds, list) else [])
                  if isinstance(r, dict) and r.get("research_note")}
    assert len(notes) > 50
    for path in real_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv", ".geojson", ".xml"):
            body = path.read_text(encoding="utf-8")
            assert not re.search(r"\b(UNCERTAIN|INFERRED)\b", body), path
            leaked = [n for n in notes if n in body]
            assert not leaked, (path.relative_to(real_site), leaked[:1])


@pytest.mark.parametrize("prefix,date", [("", "31 Desember 2021"), ("en/", "31 December 2021")])
def test_all_announcements_are_published(real_site: Path, prefix: str, date: str) -> None:
    assert len(NEWS_FILES) == 14
    for path in NEWS_FILES:
        slug = path.stem[11:]
        page = soup(real_site / prefix / "berita" / slug / "index.html")
        assert page.select_one("#sumber + ol.sources li"), f"{slug} cites no source"
    statement = soup(real_site / prefix / "berita" / "kominfo-48-daerah-baru-rampungkan-masterplan-2021" / "index.html")
    assert date in statement.select_one("main .meta").text


def test_rounds_say_how_complete_they_are(real_site: Path) -> None:
    for year, (announced, recorded) in expected_rounds().items():
        text = " ".join(soup(real_site / "angkatan" / str(year) / "index.html")
                        .select_one(".completeness").text.split())
        if announced == 0:
            assert "Tidak ada angkatan baru" in text
        elif recorded > announced:
            assert f"{recorded} daerah tercatat, sedangkan yang diumumkan {announced}" in text
        else:
            assert f"{recorded} dari {announced} daerah tercatat" in text, (year, text)
            if announced > recorded:
                assert f"{announced - recorded} daerah lagi belum tercatat" in text
    page = soup(real_site / "angkatan" / "2022" / "index.html")
    assert page.find("a", href=re.compile("bekasi.tribunnews.com"))


def home_numbers() -> list[str]:
    """Participants, participations, provinces covered, regions with a round not yet verified."""
    rows = [r for r in v2_rows() if r["status"] != "withdrawn"]
    return [str(len({r["kode"] for r in rows})), str(len(rows)),
            str(len({r["kode"][:2] for r in rows})),
            str(len({r["kode"] for r in rows if r["status"] in ("uncertain", "inferred")}))]


def test_rounds_say_how_complete_they_are_in_english(real_site: Path) -> None:
    announced, recorded = expected_rounds()[2022]
    text = soup(real_site / "en" / "angkatan" / "2022" / "index.html").select_one(".completeness").text
    assert f"Regions recorded: {recorded} of {announced}." in text
    assert f"not yet recorded on this portal: {announced - recorded}" in text
    stage = soup(real_site / "en" / "angkatan" / "2021" / "index.html").select_one("h1 .subtitle")
    assert stage["lang"] == "id"  # the stage's name comes from the Indonesian data
    home = soup(real_site / "en" / "index.html")
    assert home.select_one(".site-owner").text == "Komdigi (formerly Kominfo)"
    assert [s.text for s in home.select(".stat-number")] == home_numbers()


def test_home_headline_numbers_come_from_the_data(real_site: Path) -> None:
    numbers = [s.text for s in soup(real_site / "index.html").select(".stat-number")]
    assert numbers == home_numbers()


def test_every_internal_link_resolves(real_site: Path) -> None:
    assert broken_links(real_site, BASE) == []


def test_every_page_has_the_landmarks(real_site: Path) -> None:
    footers: dict[str, set] = {"id": set(), "en": set()}
    for path in pages(real_site):
        doc = soup(path)
        where = path.relative_to(real_site)
        language = language_of(where.as_posix())
        assert doc.html["lang"] == language, where
        first = doc.body.find(True)
        assert first.name == "a" and first["href"] == "#konten-utama", where
        assert first.text == strings(language)["skip_link"]
        main = doc.find_all("main")
        assert len(main) == 1 and main[0]["id"] == "konten-utama", where
        assert len(doc.find_all("h1")) == 1, where
        crumbs = doc.select("nav.breadcrumbs ol li a")
        assert crumbs and crumbs[-1]["aria-current"] == "page", where
        assert doc.select_one("header .banner details summary"), where
        footers[language].add(tuple((a.text, a["href"]) for a in doc.select("footer nav a")))
        # Inline scripts may only be JSON-LD data blocks, which browsers never run.
        assert all(s.get("type") == "application/ld+json"
                   for s in doc.find_all("script") if not s.get("src")), where
        for tag in doc.find_all(["link", "img", "script", "iframe"]):
            ref = tag.get("href") or tag.get("src") or ""
            if tag.name == "script" and not ref:
                continue
            assert ref.startswith("/kota-cerdas/") or tag.name == "link" and tag.get("rel") in (
                ["canonical"], ["alternate"]) and ref.startswith(BASE), (where, ref)
    assert len(footers["id"]) == 1 and len(footers["en"]) == 1
    (footer,), (english,) = footers["id"], footers["en"]
    assert [text for text, _ in footer][:5] == ["Tentang Gerakan Menuju Smart City", "Tentang Data",
                                                "Pernyataan Aksesibilitas", "Kebijakan Privasi", "Kontak"]
    assert [href for _, href in english][:5] == ["/kota-cerdas/en" + href[len("/kota-cerdas"):]
                                                 for _, href in footer][:5]
    assert [text for text, _ in english][:5] == [
        "About Gerakan Menuju Smart City", "About the data", "Accessibility statement",
        "Privacy policy", "Contact"]


def test_headings_do_not_skip_levels(real_site: Path) -> None:
    for path in pages(real_site):
        levels = [int(h.name[1]) for h in soup(path).find_all(re.compile("^h[1-6]$"))]
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (path.relative_to(real_site), levels)


def test_404_is_at_the_root(real_site: Path) -> None:
    assert (real_site / "404.html").is_file()
    assert soup(real_site / "404.html").h1.text == "Halaman tidak ditemukan"


@pytest.mark.parametrize("prefix", [prefix for prefix, _ in EDITIONS])
def test_static_pages_exist_with_last_updated(real_site: Path, prefix: str) -> None:
    for slug in ("tentang", "data", "aksesibilitas", "privasi", "kontak"):
        page = soup(real_site / prefix / slug / "index.html")
        updated = "2026-12-01" if slug == "data" else "2026-11-28"  # data.md: the v2 data
        assert page.select_one(".page-updated time")["datetime"] == updated, slug
        assert not page.select(".notice"), f"{slug} is translated and up to date"
    data_page = soup(real_site / prefix / "data" / "index.html")
    assert data_page.select_one("#kelengkapan-angkatan ~ div table")


@pytest.mark.parametrize("prefix", [prefix for prefix, _ in EDITIONS])
def test_search_says_how_a_region_joins_on_a_page_that_explains_it(real_site: Path, prefix: str) -> None:
    join = soup(real_site / prefix / "cari" / "index.html").select_one("[data-search]")["data-join"]
    page, _, anchor = join.partition("#")
    assert page == f"/kota-cerdas/{prefix}tentang/" and anchor
    section = soup(real_site / prefix / "tentang" / "index.html").find(id=anchor)
    assert section and section.name == "h2"
    assert "MoU" in section.find_next_sibling("ul").text
