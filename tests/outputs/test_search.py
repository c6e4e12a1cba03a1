"""The search index and the search page, read from built output (the browser side is in
test_search_browser.py)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml

from conftest import REPO, FixtureSite, spy
from htmlcheck import pages, soup
from kotacerdas.content.placenames import normalize, place_key

BUDGET = 150 * 1024


def index(output: Path) -> list[dict]:
    return json.loads((output / "cari" / "indeks.json").read_text(encoding="utf-8"))["items"]


def by_title(items: list[dict]) -> dict[str, dict]:
    return {e["t"]: e for e in items}


def test_normalize_ignores_case_diacritics_and_punctuation() -> None:
    assert normalize("  Kab. TOLI-TOLI ") == "kab toli toli"
    assert normalize("Bumi Sérpong – Damai") == "bumi serpong damai"
    assert place_key("Kabupaten Gunungkidul") == "gunungkidul"
    assert place_key("Kota Administrasi Jakarta Selatan") == "jakarta selatan"
    assert place_key("kab. aceh barat") == "aceh barat"
    assert place_key("Kota") == "kota"


def test_index_lists_participants_others_provinces_news_and_pages(built: FixtureSite) -> None:
    items = by_title(index(built.output))
    bandung = items["Kota Bandung"]
    assert bandung["y"] == "peserta"
    assert bandung["u"] == "/kota-cerdas/daerah/kota-bandung/"
    assert bandung["d"] == "Jawa Barat · angkatan 2017"
    assert bandung["k"] == ["bandung"] and "w" not in bandung
    assert items["Kota Depok"]["w"] == "belum terverifikasi untuk angkatan 2018"
    assert items["Kabupaten Gunungkidul"]["k"] == ["gunungkidul", "gunung kidul"]
    # Kemendagri kabupaten/kota without a region file: not participants, linked to their province.
    others = {t: e for t, e in items.items() if e["y"] == "wilayah-non-peserta"}
    assert set(others) == {"Kabupaten Bandung", "Kota Yogyakarta"}
    assert others["Kota Yogyakarta"]["u"] == "/kota-cerdas/provinsi/daerah-istimewa-yogyakarta/"
    assert others["Kota Yogyakarta"]["d"] == "Provinsi Daerah Istimewa Yogyakarta"
    diy = items["Provinsi Daerah Istimewa Yogyakarta"]
    assert diy["y"] == "provinsi" and diy["d"] == "1 dari 2 kabupaten/kota tercatat sebagai peserta"
    assert diy["k"] == ["daerah istimewa yogyakarta", "di yogyakarta"]
    news = items["Tahap dua"]
    assert news["y"] == "berita" and news["u"] == "/kota-cerdas/berita/tahap-dua/"
    assert news["d"] == "8 Mei 2018 · Tahap dua dimulai."
    assert items["Tentang"]["u"] == "/kota-cerdas/tentang/"
    assert items["Angkatan 2017"]["k"] == ["angkatan 2017 tahap i"]
    assert {e["y"] for e in items.values()} == {"peserta", "wilayah-non-peserta", "provinsi",
                                                 "berita", "halaman"}
    for entry in items.values():
        target = built.output / entry["u"].removeprefix("/kota-cerdas/") / "index.html"
        assert target.is_file(), entry


def test_unpublished_news_stays_out_of_the_index(site: FixtureSite) -> None:
    site.write("content/news/2019-06-01-rahasia.md",
               "---\ntitle: Rahasia\ndate: 2019-06-01\nsummary: Belum terbit.\ndraft: true\n---\n\nTeks.\n")
    site.write("content/news/2999-01-01-kelak.md",
               "---\ntitle: Kelak\ndate: 2999-01-01\nsummary: Nanti.\n---\n\nTeks.\n")
    assert site.run("build").returncode == 0
    titles = {e["t"] for e in index(site.output)}
    assert "Tahap tiga" in titles
    assert not {"Rahasia", "Kelak"} & titles


def test_index_is_byte_identical_across_builds(built: FixtureSite, tmp_path: Path) -> None:
    again = built.run("build", "--output", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "cari" / "indeks.json").read_bytes() == \
        (built.output / "cari" / "indeks.json").read_bytes()


def test_every_page_has_a_header_search_form_that_works_without_javascript(built: FixtureSite) -> None:
    for page in pages(built.output):
        doc = soup(page)
        forms = doc.select("form[role=search]")
        assert len(forms) == 1, page
        form = forms[0]
        edition = "en/" if page.relative_to(built.output).as_posix().startswith("en/") else ""
        assert form["action"] == f"/kota-cerdas/{edition}cari/" and form["method"] == "get"
        field = form.select_one("input[name=q][type=search]")
        label = form.find("label", attrs={"for": field["id"]})
        assert label and label.text.strip(), page
        assert form.select_one("button[type=submit]").text.strip()


def test_search_page_links_to_the_lists_and_loads_its_script_only_from_a_file(built: FixtureSite) -> None:
    doc = soup(built.output / "cari" / "index.html")
    assert doc.h1.text == "Cari"
    browse = [a["href"] for a in doc.select("#telusuri ~ ul a")]
    assert browse[:3] == ["/kota-cerdas/daerah/", "/kota-cerdas/provinsi/", "/kota-cerdas/angkatan/"]
    box = doc.select_one("[data-search]")
    assert box["data-index"] == "/kota-cerdas/cari/indeks.json"
    assert box["data-join"] == "/kota-cerdas/tentang/"
    assert box.select_one("[aria-live=polite]") is not None
    scripts = doc.find_all("script")
    assert [s["src"].split("?")[0] for s in scripts] == ["/kota-cerdas/assets/search.js"]
    assert all(s.has_attr("defer") and not s.string for s in scripts)
    assert (built.output / "assets" / "search.js").is_file()


def test_real_index_covers_all_514_kabupaten_kota(real_site: Path) -> None:
    items = index(real_site)
    reference = yaml.safe_load((REPO / "content/reference/kabupaten-kota.yaml").read_text())
    places = [e for e in items if e["y"] in ("peserta", "wilayah-non-peserta")]
    assert len(reference) == 514
    assert len(places) == 514
    from conftest import real_participants
    codes = {r["code"] for r in real_participants().values()}
    assert sorted(e["t"] for e in places if e["y"] == "wilayah-non-peserta") == sorted(
        k["name"] for k in reference if k["code"] not in codes)
    titles = {e["t"]: e["y"] for e in places}
    assert titles["Kota Surabaya"] == "peserta"
    assert titles["Kota Sorong"] == titles["Kabupaten Aceh Barat"] == "wilayah-non-peserta"
    assert sum(1 for e in items if e["y"] == "provinsi") == 38


def test_real_index_and_script_fit_the_budget(real_site: Path) -> None:
    size = sum(len(gzip.compress((real_site / rel).read_bytes(), 9))
               for rel in ("cari/indeks.json", "assets/search.js"))
    assert size < BUDGET, f"search costs {size} bytes gzipped, over {BUDGET}"


def test_index_says_why_a_participant_is_not_yet_verified_in_each_edition(site: FixtureSite) -> None:
    from conftest import STATUS_REGIONS
    for slug, text in STATUS_REGIONS.items():
        site.write(f"content/regions/{slug}.yaml", text)
    yogya = STATUS_REGIONS["kota-yogyakarta"].replace(
        '    note_en: "Attended the 2018 participants\' forum."\n', "")
    site.write("content/regions/kota-yogyakarta.yaml", yogya)
    assert site.run("build").returncode == 0
    items = by_title(index(site.output))
    assert items["Kota Depok"]["n"] == "Dua sumber menyebut tahun yang berbeda."
    assert "l" not in items["Kota Depok"] and "n" not in items["Kota Bandung"]
    english = by_title(index(site.output / "en"))
    assert english["Kota Depok"]["w"] == "not yet verified for the 2018 round"
    assert english["Kota Depok"]["n"] == "Two sources give different years." and "l" not in english["Kota Depok"]
    # a note without English text is shown as it is, marked as Indonesian
    assert english["Kota Yogyakarta"]["n"] == "Hadir dalam forum daerah peserta 2018."
    assert english["Kota Yogyakarta"]["l"] == "id"
    # named for a round only, and did not take part: not a participant, linked to its own page
    named = items["Kabupaten Bandung"]
    assert named["y"] == "wilayah-non-peserta" and named["u"] == "/kota-cerdas/daerah/kabupaten-bandung/"
    assert named["d"] == "Disebut untuk angkatan 2018, tidak ikut serta"
    assert sum(1 for e in index(site.output) if e["t"] == "Kabupaten Bandung") == 1


def test_a_sessions_memo_keeps_unchanged_announcements_and_follows_an_edit(
        site: FixtureSite, monkeypatch) -> None:  # noqa: ANN001
    """Each announcement's entry is kept under its file's digest and the edition's address: a
    title edit makes that one entry again, and the index is the one made without memo."""
    import datetime as dt

    from conftest import strings
    from kotacerdas.content.load import load_site
    from kotacerdas.core.memo import Memo
    from kotacerdas.model.i18n import Catalogue
    from kotacerdas.model.site import build_model
    from kotacerdas.outputs import search

    today = dt.date(2030, 1, 1)
    made = spy(monkeypatch, search, "announcement", record=lambda m, t, n: n.slug)

    def index_of(memo: Memo | None, language: str = "id") -> bytes:
        model = build_model(load_site(site.root, today), today=today, language=language)
        return search.index_json(model, Catalogue(language, strings(language)), memo)

    memo = Memo()
    index_of(memo)
    memo.settle()
    made.clear()
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace('title: "', 'title: "Judul baru ', 1))
    kept = index_of(memo)
    assert made == ["tahap-dua"]
    assert "Judul baru" in kept.decode() and kept == index_of(None)
    made.clear()
    index_of(memo, "en")
    assert len(made) == 3  # another edition: another address and language
