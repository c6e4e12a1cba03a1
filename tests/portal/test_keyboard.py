"""Keyboard use in a real browser: the skip link comes first and works; focus is always visible.

WCAG 2.4.1 (bypass blocks) and 2.4.7 (focus visible). "Visible" is measured, not assumed: for
every kind of focusable element on every page type (skip link, banner summary, header links and
search form, navigation, breadcrumbs, content links, footer), the computed outline, box-shadow,
background or text decoration must change when it receives keyboard focus, and the element must
be on screen while focused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from page_types import representative_pages, route_of

FOCUSABLE = ("a[href], summary, button, input:not([type=hidden]), select, textarea, "
             "[tabindex]:not([tabindex='-1'])")

SAMPLE = """(selector) => {
  const seen = new Map();
  for (const el of document.querySelectorAll(selector)) {
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    const area = el.closest('header, nav, main, footer, aside') || document.body;
    const kind = [el.tagName, el.className, area.tagName, area.className].join('|');
    const list = seen.get(kind) || [];
    if (list.length < 2) { list.push(el); seen.set(kind, list); }
  }
  window.__sample = [...seen.values()].flat();
  return window.__sample.length;
}"""

LOOK = r"""(i) => {
  const el = window.__sample[i];
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const clear = s.outlineColor === 'transparent' || /rgba\(.*,\s*0\)$/.test(s.outlineColor);
  return {outline: s.outlineStyle === 'none' ? 'none' : s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
          // a transparent outline only shows in forced-colours mode; 'auto' is the browser's ring
          ring: s.outlineStyle !== 'none' && !clear
                && (s.outlineStyle === 'auto' || parseFloat(s.outlineWidth) >= 2),
          shadow: s.boxShadow, background: s.backgroundColor, decoration: s.textDecorationLine,
          color: s.color, focusVisible: el.matches(':focus-visible'),
          focused: document.activeElement === el,
          onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
                    && r.left < innerWidth,
          name: el.outerHTML.slice(0, 100)};
}"""


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(
        chromium, real_site: Path, real_site_url: str) -> None:
    page = chromium.new_page()
    failures = []
    try:
        for kind, rel in representative_pages(real_site).items():
            page.goto(real_site_url + route_of(rel))
            page.keyboard.press("Tab")
            first = page.evaluate("""() => { const a = document.activeElement;
                return {cls: a.className, href: a.getAttribute('href'), text: a.textContent.trim(),
                        visible: a.getBoundingClientRect().left >= 0
                                 && a.getBoundingClientRect().top >= 0}; }""")
            if first["cls"] != "skip-link" or first["href"] != "#konten-utama" or not first["visible"]:
                failures.append(f"{rel}: first Tab focused {first}")
                continue
            page.keyboard.press("Enter")
            target = page.evaluate("() => [document.activeElement.tagName, document.activeElement.id]")
            if target != ["MAIN", "konten-utama"]:
                failures.append(f"{rel}: skip link moved focus to {target}")
                continue
            page.keyboard.press("Tab")
            inside = page.evaluate("() => !!document.activeElement.closest('main') || "
                                   "document.activeElement.closest('footer') !== null")
            if not inside:
                failures.append(f"{rel}: the Tab after the skip link went back to the header")
    finally:
        page.close()
    assert not failures, "\n".join(failures)
    assert "Langsung ke konten utama" in (real_site / "index.html").read_text(encoding="utf-8")


def _looks(page: Any, count: int, focused: bool) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        if focused:
            page.evaluate("(i) => window.__sample[i].focus()", i)
        else:
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
        out.append(page.evaluate(LOOK, i))
    return out


def focus_problems(page: Any) -> list[str]:
    """Every sampled focusable element whose focused look does not differ enough from its normal one."""
    count = page.evaluate(SAMPLE, FOCUSABLE)
    page.keyboard.press("Tab")  # keyboard modality: later focus() calls match :focus-visible
    normal = _looks(page, count, focused=False)
    page.keyboard.press("Tab")
    focused = _looks(page, count, focused=True)
    problems = []
    for before, after in zip(normal, focused):
        if not after["focused"]:
            continue  # e.g. a link inside a closed <details>: not reachable, not sampled
        changed = after["ring"] or any(before[k] != after[k] for k in ("shadow", "background"))
        if not after["focusVisible"] or not changed or not after["onScreen"]:
            problems.append(f"{after['name']}: focused {after['outline']}, shadow {after['shadow']}, "
                            f"background {after['background']} (on screen: {after['onScreen']})")
    return problems


def test_focus_is_always_visible(chromium, real_site: Path, real_site_url: str) -> None:
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    failures = []
    try:
        for kind, rel in representative_pages(real_site).items():
            page.goto(real_site_url + route_of(rel))
            failures += [f"{rel}: {p}" for p in focus_problems(page)]
    finally:
        page.close()
    assert not failures, "\n".join(failures[:40])


def test_focus_check_notices_an_invisible_focus(chromium) -> None:
    page = chromium.new_page()
    try:
        page.set_content("<!DOCTYPE html><html lang=id><head><title>x</title></head><body>"
                         "<main><a href='#a' id=a>a</a> <a href='#b' class=bare>b</a> "
                         "<a href='#c' class=clear>c</a></main>"
                         "</body></html>")
        page.evaluate("() => { const s = new CSSStyleSheet(); "
                      "s.replaceSync('.bare:focus { outline: none } "
                      ".clear:focus { outline: 3px solid transparent }'); "
                      "document.adoptedStyleSheets = [s]; }")
        problems = focus_problems(page)
    finally:
        page.close()
    assert len(problems) == 2 and "bare" in problems[0] and "clear" in problems[1], problems
