"""With JavaScript turned off, every page type shows its content and navigation, and links work.

Citizens on old phones, with data saver or strict settings, get the same site. Scripts may only
add to a page (search results, map interaction); they never carry content or navigation, and
nothing a script would reveal is left hidden when it does not run.
"""

from __future__ import annotations

from pathlib import Path

from page_types import representative_pages, route_of

NAV = "nav.site-nav a[href]"

LOOK = """() => {
  const visible = el => !!el && el.getClientRects().length > 0
                         && getComputedStyle(el).visibility !== 'hidden';
  const main = document.querySelector('main');
  const nav = [...document.querySelectorAll('nav.site-nav a[href]')];
  const footer = [...document.querySelectorAll('footer a[href]')];
  const links = [...(main ? main.querySelectorAll('a[href]') : [])]
      .filter(a => a.origin === location.origin && !a.getAttribute('href').startsWith('#')
                   && visible(a))
      .map(a => a.href);
  return {h1: (document.querySelector('main h1') || {}).textContent || '',
          text: main ? main.innerText.trim().length : 0,
          mainVisible: visible(main),
          nav: nav.filter(visible).length, navAll: nav.length,
          footer: footer.filter(visible).length,
          crumbs: document.querySelectorAll('nav.breadcrumbs a[href]').length,
          links};
}"""


def test_every_page_type_works_without_javascript(chromium, real_site: Path,
                                                  real_site_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    failures = []
    try:
        for kind, rel in representative_pages(real_site).items():
            page.goto(real_site_url + route_of(rel))
            look = page.evaluate(LOOK)
            problems = []
            if not look["h1"].strip():
                problems.append("no visible <h1> in main")
            if look["text"] < 40 or not look["mainVisible"]:
                problems.append(f"main shows only {look['text']} characters")
            if look["nav"] < 5 or look["nav"] != look["navAll"]:
                problems.append(f"{look['nav']} of {look['navAll']} navigation links visible")
            if look["footer"] < 3:
                problems.append(f"only {look['footer']} footer links visible")
            if rel != "index.html" and not look["crumbs"]:
                problems.append("no breadcrumbs")
            if look["links"]:
                target = look["links"][0]
                response = page.goto(target)
                if response is None or response.status != 200:
                    problems.append(f"its first link {target} gave {response and response.status}")
            if problems:
                failures.append(f"{rel}: " + "; ".join(problems))
    finally:
        context.close()
    assert not failures, "\n".join(failures)


def test_navigation_is_followed_by_clicking(chromium, real_site_url: str) -> None:
    """Clicking (not scripting) through the main menu reaches each section."""
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(real_site_url)
        hrefs = page.eval_on_selector_all(NAV, "els => els.map(e => e.getAttribute('href'))")
        assert len(hrefs) >= 5
        for href in hrefs:
            page.locator(f"{NAV}[href='{href}']").click()
            page.wait_for_url("**" + href)
            assert page.locator("main h1").inner_text().strip()
    finally:
        context.close()


def test_scripts_are_really_off(chromium, real_site_url: str) -> None:
    """The context above is JavaScript-free (otherwise the tests prove nothing)."""
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(real_site_url)
        assert page.evaluate("() => 1") == 1  # Playwright's own evaluation still runs
        page.set_content("<html><body><p id=p>off</p><script>document.getElementById('p')"
                         ".textContent = 'on'</script></body></html>")
        assert page.locator("#p").inner_text() == "off"
    finally:
        context.close()
