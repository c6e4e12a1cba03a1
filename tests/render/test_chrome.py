"""The page chrome that is the same on every page of an edition (templates/partials/: theme links,
banner, search form, footer) is rendered once per edition and shown on every page; it cannot
show one page's values, and editing it re-renders every page of a cached build."""

from __future__ import annotations

import re

import jinja2
import pytest

from conftest import FixtureSite, spy
from htmlcheck import pages
from kotacerdas.build.session import render_site
from kotacerdas.core import parallel

CHROME = ("partials/theme_links.html", "partials/banner.html", "partials/search_form.html",
          "partials/footer.html")


def test_each_chrome_partial_is_rendered_once_per_edition(site: FixtureSite,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "workers", lambda: 1)  # every render in this process
    renders = spy(monkeypatch, jinja2.Template, "render", record=lambda self, *a, **k: self.name)
    rendered, renderers = render_site(site.root)
    assert len(renderers) == 2
    assert sorted(name for name in renders if name in CHROME) == sorted(CHROME * 2)
    html = {path: data.decode() for path, data in rendered.kept.items() if path.endswith(".html")}
    assert len(html) > 20
    footers = {re.search(r'<footer class="site-footer">.*?</footer>', text, re.S)[0]
               for path, text in html.items() if path != "404.html"}
    assert len(footers) == 2  # one per edition, the same on each of its pages


def test_a_page_value_in_a_chrome_partial_is_reported_at_its_line(built: FixtureSite) -> None:
    built.write("templates/partials/footer.html", "<footer>\n<p>{{ page.title }}</p>\n</footer>\n")
    result = built.run("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "templates/partials/footer.html:2: template error while rendering /" in result.stderr
    assert "'page' is undefined" in result.stderr


def test_a_site_chrome_partial_shows_on_every_page_of_a_cached_build(built: FixtureSite) -> None:
    built.write("templates/partials/banner.html", b'  <div class="banner">Situs resmi uji</div>\n')
    result = built.run("build")
    assert result.returncode == 0, result.stderr
    found = list(pages(built.output))
    assert len(found) > 20
    for page in found:
        text = page.read_text()
        assert '<header class="site-header">\n  <div class="banner">Situs resmi uji</div>\n' \
               '  <div class="masthead wrap">' in text, page
