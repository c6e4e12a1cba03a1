"""Reflow (WCAG 1.4.10) and text resize (1.4.4): no horizontal page scroll on any page type.

At 320 CSS px wide (a 1280 px screen at 400 % zoom, or a small phone) and at 1280 px with the text
at 200 % (the root font size doubled, as a reader's browser setting does, since the theme sizes
everything in rem), the document must not be wider than the window. Wide data tables scroll
inside their own focusable region, which WCAG allows; the page itself never does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from page_types import representative_pages, route_of

OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const right = r.left + Math.max(r.width, el.scrollWidth);  // a box or its overflowing text
    if (right > width + 1 && r.width > 0) {
      let scroller = el.parentElement, contained = false;
      while (scroller && scroller !== document.body) {
        const o = getComputedStyle(scroller).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { contained = true; break; }
        scroller = scroller.parentElement;
      }
      if (!contained) culprits.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                                    + ' right=' + Math.round(right));
    }
  }
  return {scroll: root.scrollWidth, client: width, culprits: culprits.slice(0, 5)};
}"""


def overflow_problems(page: Any) -> str | None:
    """A description of the horizontal overflow of the loaded page, or None."""
    m = page.evaluate(OVERFLOW)
    if m["scroll"] > m["client"]:
        return f"page is {m['scroll']}px wide in a {m['client']}px window; {m['culprits']}"
    return None


@pytest.mark.parametrize("width,text", [(320, "100%"), (1280, "200%")], ids=["320px", "text-200"])
def test_no_horizontal_scroll(chromium, real_site: Path, real_site_url: str, width: int,
                              text: str) -> None:
    page = chromium.new_page(viewport={"width": width, "height": 800})
    failures = []
    try:
        for kind, rel in representative_pages(real_site).items():
            page.goto(real_site_url + route_of(rel))
            # CSSOM writes are not inline markup, so the page's CSP allows them.
            page.evaluate("(size) => { document.documentElement.style.fontSize = size; }", text)
            page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
            problem = overflow_problems(page)
            if problem:
                failures.append(f"{rel}: {problem}")
    finally:
        page.close()
    assert not failures, "\n".join(failures)


def test_text_size_setting_reaches_the_page(chromium, real_site_url: str) -> None:
    """Doubling the root font size doubles the body text: the theme really sizes in rem."""
    page = chromium.new_page()
    try:
        page.goto(real_site_url)
        normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        doubled = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    finally:
        page.close()
    assert doubled == pytest.approx(2 * normal)


def test_overflow_check_notices_a_wide_page(chromium) -> None:
    page = chromium.new_page(viewport={"width": 320, "height": 800})
    try:
        page.set_content("<!DOCTYPE html><html><body><p>x</p></body></html>")
        page.evaluate("() => { const d = document.createElement('div'); d.className = 'wide';"
                      " d.textContent = 'x'.repeat(200); d.style.whiteSpace = 'nowrap';"
                      " document.body.append(d); }")
        problem = overflow_problems(page)
    finally:
        page.close()
    assert problem and "div.wide" in problem
