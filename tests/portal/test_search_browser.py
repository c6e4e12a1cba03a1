"""Search on the real site, in headless Chromium: type, read the results, follow one.

Playwright's expect() waits for the page to catch up (results appear after the index loads), so
these are checks of what the reader ends up seeing, not of how fast.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the chromium fixture skips (or fails under CI) with how to install it
    expect = None

from test_accessibility import axe_path, describe, run_axe


def opened(chromium: Any, url: str) -> Iterator[Any]:
    """A page open at ``url``, closed afterwards; any script error fails the test."""
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    yield page
    page.close()
    assert not errors, errors


@pytest.fixture
def search(chromium: Any, real_site_url: str) -> Iterator[Any]:
    """The search page, open."""
    yield from opened(chromium, real_site_url + "cari/")


def box(page: Any) -> Any:
    return page.get_by_role("searchbox", name="Nama kabupaten/kota, provinsi, atau kata kunci berita")


def results(page: Any) -> Any:
    return page.locator(".search-results > li")


def test_typing_a_word_start_finds_every_place_with_it(search: Any) -> None:
    box(search).press_sequentially("banyu")
    expect(results(search).first).to_be_visible()
    expect(search.locator("[aria-live=polite]")).to_have_text("5 hasil untuk “banyu”.")
    titles = results(search).locator("a").all_inner_texts()
    # Participants first (in directory order), then the announcement that names Banyuwangi.
    assert titles == ["Kabupaten Banyuasin", "Kabupaten Banyumas", "Kabupaten Banyuwangi",
                      "Kabupaten Musi Banyuasin", "Kominfo Evaluasi 75 Daerah Smart City di Banyuwangi"]
    assert results(search).first.locator(".search-type").inner_text() == "Peserta"
    assert results(search).last.locator(".search-type").inner_text() == "Berita"
    assert search.url.endswith("/cari/?q=banyu")


@pytest.mark.parametrize("query", ["gunung kidul", "GUNUNGKIDUL", "Kab. Gunung-Kidul", "gunungkidúl"])
def test_spelling_variants_find_the_same_participant(search: Any, query: str) -> None:
    box(search).fill(query)
    expect(results(search).first).to_contain_text("Kabupaten Gunungkidul")
    expect(results(search).first).to_contain_text("Peserta")


def test_a_non_participant_is_named_plainly_with_how_regions_join(search: Any) -> None:
    box(search).fill("kab. aceh barat")
    first = results(search).first
    expect(first).to_contain_text("Kabupaten Aceh Barat belum tercatat sebagai peserta")
    expect(first.get_by_role("link", name="Cara daerah bergabung")).to_have_attribute(
        "href", "/kota-cerdas/tentang/#cara-daerah-bergabung")
    expect(first.get_by_role("link", name="Provinsi Aceh")).to_have_attribute(
        "href", "/kota-cerdas/provinsi/aceh/")
    assert "Aceh Barat Daya" in results(search).nth(1).inner_text()


def test_a_participant_not_yet_verified_says_so_and_why(search: Any) -> None:
    box(search).fill("dairi")
    first = results(search).first
    expect(first.locator(".badge-warning")).to_have_text("belum terverifikasi untuk angkatan 2021")
    expect(first.locator(".search-text").first).to_have_text(re.compile(r"disimpulkan"))
    box(search).fill("bandung")
    expect(results(search).first.locator(".badge-warning")).to_have_count(0)


def test_the_kind_typed_comes_first(search: Any) -> None:
    box(search).fill("kota sorong")
    expect(results(search).first).to_contain_text("Kota Sorong belum tercatat sebagai peserta")
    box(search).fill("surabaya")
    expect(results(search).first.get_by_role("link", name="Kota Surabaya")).to_be_visible()


def test_following_a_result_opens_the_participant(search: Any) -> None:
    box(search).fill("pangkal pinang")
    results(search).first.get_by_role("link", name="Kota Pangkal Pinang").click()
    search.wait_for_url("**/kota-cerdas/daerah/kota-pangkal-pinang/")
    assert search.locator("h1").inner_text().startswith("Kota Pangkal Pinang")


def test_nothing_found_says_so(search: Any) -> None:
    box(search).fill("zzzz")
    expect(search.locator("[aria-live=polite]")).to_have_text(
        "Tidak ada hasil untuk “zzzz”. Periksa ejaannya, atau cari di daftar di bawah.")
    expect(results(search)).to_have_count(0)


def test_long_result_lists_are_cut_and_say_so(search: Any) -> None:
    box(search).fill("b")
    expect(search.locator("[aria-live=polite]")).to_have_text(re.compile(
        r"^[1-9]\d{2} hasil untuk “b”; 50 yang pertama ditampilkan\. Tambahkan kata agar lebih tepat\.$"))
    expect(results(search)).to_have_count(50)


@pytest.fixture
def english_search(chromium: Any, real_site_url: str) -> Iterator[Any]:
    """The English edition's search page, open."""
    yield from opened(chromium, real_site_url + "en/cari/")


def english_box(page: Any) -> Any:
    return page.get_by_role("searchbox", name="Name of a regency, city or province, or a keyword "
                                              "from the news")


def test_english_search_reads_english_kinds_and_links_english_pages(english_search: Any) -> None:
    english_box(english_search).press_sequentially("Bandung Regency")
    first = results(english_search).first
    expect(first.get_by_role("link", name="Kabupaten Bandung")).to_have_attribute(
        "href", "/kota-cerdas/en/daerah/kabupaten-bandung/")
    expect(first.locator(".search-type")).to_have_text("Participant")
    english_box(english_search).fill("bandung city")
    expect(results(english_search).first.get_by_role("link", name="Kota Bandung")).to_be_visible()
    english_box(english_search).fill("aceh province")
    expect(results(english_search).first).to_contain_text("Aceh")
    expect(results(english_search).first.locator(".search-type")).to_have_text("Province")
    english_box(english_search).fill("kab. aceh barat")
    expect(results(english_search).first).to_contain_text(
        "Kabupaten Aceh Barat is not yet recorded as a participant")
    english_box(english_search).fill("zzzz")
    expect(english_search.locator("[aria-live=polite]")).to_have_text(
        "No results for “zzzz”. Check the spelling, or look in the lists below.")


def test_english_search_finds_translated_news(english_search: Any) -> None:
    english_box(english_search).fill("award")
    link = results(english_search).get_by_role(
        "link", name="Komdigi holds Smart City Award 2025 in Yogyakarta")
    expect(link).to_have_attribute(
        "href", "/kota-cerdas/en/berita/komdigi-gelar-smart-city-award-2025/")


def test_header_form_on_another_page_lands_on_results(chromium: Any, real_site_url: str) -> None:
    page = chromium.new_page()
    page.goto(real_site_url + "berita/")
    header = page.get_by_role("search")
    header.get_by_role("searchbox", name="Cari daerah atau berita").fill("Banyuwangi")
    header.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/kota-cerdas/cari/?q=Banyuwangi")
    expect(box(page)).to_have_value("Banyuwangi")
    link = results(page).first.get_by_role("link", name="Kabupaten Banyuwangi")
    expect(link).to_have_attribute("href", "/kota-cerdas/daerah/kabupaten-banyuwangi/")
    link.click()
    page.wait_for_url("**/kota-cerdas/daerah/kabupaten-banyuwangi/")
    assert page.locator("h1").inner_text().startswith("Kabupaten Banyuwangi")
    page.close()


def test_without_javascript_the_page_still_links_to_the_lists(chromium: Any, real_site_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_site_url + "cari/?q=banyu")
    expect(page.get_by_text("Tanpa JavaScript, cari daerah Anda di daftar berikut.")).to_be_visible()
    for name in ("Daerah peserta", "Provinsi", "Angkatan"):
        expect(page.get_by_role("main").get_by_role("link", name=name, exact=True)).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Daerah peserta", exact=True).click()
    page.wait_for_url("**/kota-cerdas/daerah/")
    context.close()


@pytest.mark.parametrize("prefix,kinds", [
    ("", ("Peserta", "Belum tercatat", "Provinsi", "Berita")),
    ("en/", ("Participant", "Not yet recorded", "Province", "News"))])
def test_results_meet_wcag_aa(chromium: Any, real_site_url: str, prefix: str,
                              kinds: tuple[str, ...]) -> None:
    """axe-core on the page as it is once results (every kind, badges included) are shown."""
    context = chromium.new_context(viewport={"width": 320, "height": 900})
    context.add_init_script(path=str(axe_path()))
    page = context.new_page()
    page.goto(real_site_url + prefix + "cari/?q=ban")
    expect(page.locator(".search-results .badge")).not_to_have_count(0)
    for kind in kinds:
        expect(page.locator(".search-type", has_text=kind).first).to_be_visible()
    result = run_axe(page)
    context.close()
    assert not result["violations"], describe(result["violations"])
