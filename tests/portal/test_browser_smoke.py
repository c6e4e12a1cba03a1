"""The served real site opens in headless Chromium; unknown addresses get the 404 page."""

from __future__ import annotations


def test_home_opens_and_links_work(chromium, real_site_url: str) -> None:
    page = chromium.new_page()
    page.goto(real_site_url)
    assert page.locator("h1").inner_text() == "Gerakan Menuju Smart City"
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Daerah peserta").click()
    page.wait_for_url("**/kota-cerdas/daerah/")
    assert page.locator("h1").inner_text() == "Daerah peserta"
    response = page.goto(real_site_url + "tidak-ada/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Halaman tidak ditemukan"
    page.close()
