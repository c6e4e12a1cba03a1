"""Printing: no navigation chrome, and the address of every external link printed after its text.

People print a region's page or an announcement to bring to a meeting; on paper a link is only
useful with its address. Checked in Chromium with print media emulated, on every page type.
"""

from __future__ import annotations

import re
from pathlib import Path

from page_types import representative_pages, route_of

CHROME = (".skip-link", ".banner", ".site-nav", ".breadcrumbs", ".pagination", ".site-footer nav",
          ".site-search")

LOOK = """([chrome]) => {
  const shown = sel => [...document.querySelectorAll(sel)]
      .filter(el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0)
      .map(() => sel);
  const external = [...document.querySelectorAll('main a[href]')]
      .filter(a => /^https?:/.test(a.getAttribute('href')) && a.origin !== location.origin)
      .map(a => ({href: a.getAttribute('href'), after: getComputedStyle(a, '::after').content}));
  return {chrome: chrome.flatMap(shown), external,
          mainShown: getComputedStyle(document.querySelector('main')).display !== 'none',
          h1: getComputedStyle(document.querySelector('h1')).display !== 'none'};
}"""


def test_print_hides_chrome_and_shows_link_addresses(chromium, real_site: Path,
                                                     real_site_url: str) -> None:
    page = chromium.new_page()
    page.emulate_media(media="print")
    failures = []
    external_seen = 0
    try:
        for kind, rel in representative_pages(real_site).items():
            page.goto(real_site_url + route_of(rel))
            look = page.evaluate(LOOK, [list(CHROME)])
            if look["chrome"]:
                failures.append(f"{rel}: printed chrome {sorted(set(look['chrome']))}")
            if not (look["mainShown"] and look["h1"]):
                failures.append(f"{rel}: the content itself is not printed")
            for link in look["external"]:
                external_seen += 1
                if link["href"] not in link["after"]:
                    failures.append(f"{rel}: link {link['href']} prints as {link['after']}")
    finally:
        page.close()
    assert not failures, "\n".join(failures[:40])
    assert external_seen, "no page type has an external link in its content; the check ran on nothing"


def test_screen_shows_the_chrome_print_hides(chromium, real_site_url: str) -> None:
    """The same checks in screen media find the chrome, so the print test can fail."""
    page = chromium.new_page()
    try:
        page.goto(real_site_url)
        look = page.evaluate(LOOK, [list(CHROME)])
    finally:
        page.close()
    assert {".site-nav", ".site-footer nav", ".banner"} <= set(look["chrome"])


def test_a_region_prints_on_few_pages(chromium, real_site: Path, real_site_url: str) -> None:
    """A typical region page fits on at most three A4 sheets."""
    regions = sorted((real_site / "daerah").glob("*/index.html"), key=lambda p: p.stat().st_size)
    typical = regions[len(regions) // 2].relative_to(real_site).as_posix()
    page = chromium.new_page()
    try:
        page.goto(real_site_url + route_of(typical))
        pdf = page.pdf(format="A4")
    finally:
        page.close()
    sheets = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert 1 <= sheets <= 3, (typical, sheets)
