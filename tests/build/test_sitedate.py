"""A page whose only change is the site's date (its footer's) is the previous page with the
footer replaced, byte for byte what rendering it would give; pages are rendered again whenever
that cannot be shown."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, spy, tree
from kotacerdas.build import sitedate
from kotacerdas.build.pipeline import build
from kotacerdas.core.locations import template_files
from kotacerdas.core.memo import Memo
from kotacerdas.render import renderer as renderer_module
from test_incremental import BASE, TODAY, _full, _site

FOOTER = "partials/footer.html"


def _build(site: Path, out: Path, cache_dir: Path | None):  # noqa: ANN202
    return build(site, out, base_url=BASE, today=TODAY, cache_dir=cache_dir)


def _newest_day(site, day: str) -> None:  # noqa: ANN001
    """Give Kota Bandung's file an ``updated`` date newer than any other of the site."""
    path = site.root / "content/regions/kota-bandung.yaml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("updated:")]
    path.write_text("\n".join([*lines, f"updated: {day}"]) + "\n")


def _rendered(monkeypatch) -> list[str]:  # noqa: ANN001
    """The output file of every page rendered from here on."""
    return spy(monkeypatch, renderer_module, "render_page",
               record=lambda renderer, spec, target, sink: target)


def test_a_new_newest_day_renders_only_the_pages_that_show_it(tmp_path: Path, monkeypatch) -> None:
    """Two date bumps after a cached build: each output equals a build without cache, every page
    shows the new date in its footer, and the announcements' and static pages (whose own content
    did not change) were taken from the previous ones, not rendered, and so were the province and
    the round Kota Bandung is not in (dated by their own regions); the region's own page was, and
    so were its province's and its round's, and home (which shows the site's date as its own)."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    for day, shown in (("2026-11-20", "20 November 2026"), ("2026-11-21", "21 November 2026")):
        _newest_day(site, day)
        spied = _rendered(monkeypatch)
        _build(site.root, out, store)
        rendered = list(spied)
        full = tmp_path / f"full-{day}"
        _build(site.root, full, None)
        assert tree(out) == tree(full)
        page = (out / "berita/peluncuran/index.html").read_text(encoding="utf-8")
        assert f'<time datetime="{day}">{shown}</time>' in page.split('<footer class="site-footer">')[1]
        assert "berita/peluncuran/index.html" not in rendered
        assert "en/berita/peluncuran/index.html" not in rendered
        for prefix in ("", "en/"):
            assert f"{prefix}daerah/kota-bandung/index.html" in rendered
            assert f"{prefix}provinsi/jawa-barat/index.html" in rendered
            assert f"{prefix}angkatan/2017/index.html" in rendered
            assert f"{prefix}index.html" in rendered
            assert f"{prefix}provinsi/daerah-istimewa-yogyakarta/index.html" not in rendered
            assert f"{prefix}angkatan/2018/index.html" not in rendered
        assert not [rel for rel in rendered if rel.startswith(("berita/", "en/berita/",
                                                                  "tentang/", "en/tentang/"))]
        pages = [rel for rel in tree(out) if rel.endswith(".html")]
        assert len(pages) - len(rendered) >= 20, (len(rendered), len(pages))
        monkeypatch.undo()


def test_the_previews_passes_take_pages_too(tmp_path: Path, monkeypatch) -> None:
    """The preview's session (its memo in memory): a first pass after a date bump makes the
    page it is asked for (taken from the one the live folder holds), the next pass the rest;
    then the folder equals a full build, and no announcement page was rendered."""
    from kotacerdas.preview.incremental import Builder

    site = _site(tmp_path)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    assert live.rebuild().ok
    _newest_day(site, "2026-11-20")
    spied = _rendered(monkeypatch)
    page = "berita/tahap-dua/index.html"
    first = live.rebuild(first={page})
    assert first.ok and page in first.written
    assert "20 November 2026" in (tmp_path / "live" / page).read_text(encoding="utf-8")
    assert live.rebuild().ok
    assert not [rel for rel in spied if rel.startswith(("berita/", "en/berita/"))], list(spied)
    assert tree(tmp_path / "live") == tree(_full(site, tmp_path))


def test_a_template_that_reads_the_date_outside_the_chrome_renders_every_page(
        tmp_path: Path, monkeypatch) -> None:
    """A site's own announcement template that shows the site's date: every page it renders is
    rendered again when the date moves, and the output is still a full build's."""
    site = _site(tmp_path)
    own = site.root / "templates/announcement.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    builtin = (REPO / "templates/announcement.html").read_text(encoding="utf-8")
    marker = "{% block content %}"
    assert marker in builtin
    own.write_text(builtin.replace(marker, marker + "<p class=\"tanggal-situs\">"
                                   "{{ site.site_updated | isodate }}</p>", 1), encoding="utf-8")
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    _newest_day(site, "2026-11-20")
    spied = _rendered(monkeypatch)
    _build(site.root, out, store)
    rendered = list(spied)
    full = tmp_path / "full"
    _build(site.root, full, None)
    assert tree(out) == tree(full)
    assert '<p class="tanggal-situs">2026-11-20</p>' in \
        (out / "berita/peluncuran/index.html").read_text(encoding="utf-8")
    assert "berita/peluncuran/index.html" in rendered


def test_only_chrome_partials_may_read_the_date() -> None:
    """The built-in templates: the footer alone reads it. A page template that reads it too, or
    a partial no ``once`` names, makes every page depend on it (None)."""
    files = template_files([REPO / "templates"])
    assert sitedate.dated_partials(files) == FOOTER
    assert sitedate.dated_partials({k: v for k, v in files.items() if k != FOOTER}) == ""


def test_a_reader_outside_the_chrome_is_found(tmp_path: Path) -> None:
    base = tmp_path / "base.html"
    base.write_text('{{ once("partials/footer.html") }}{{ once( \'partials/banner.html\' ) }}')
    footer = tmp_path / "footer.html"
    footer.write_text("{{ site.site_updated }}")
    banner = tmp_path / "banner.html"
    banner.write_text("{{ site|attr('site_updated') }}")
    page = tmp_path / "page.html"
    page.write_text("{% set d = site.site_updated %}")
    files = {"base.html": base, FOOTER: footer, "partials/banner.html": banner}
    assert sitedate.dated_partials(files) == "partials/banner.html\npartials/footer.html"
    assert sitedate.dated_partials({**files, "page.html": page}) is None
    assert sitedate.dated_partials({"base.html": base, "partials/other.html": footer}) is None


class _Chrome:
    """A renderer's part that reuse asks for: each chrome partial's HTML."""

    def __init__(self, html: dict[str, str]) -> None:
        self.html = html

    def once(self, name: str) -> str:
        return self.html[name]


def test_a_page_is_taken_only_when_its_old_footer_is_found_exactly_once() -> None:
    """The old footer's HTML (kept under the frame and the old date) must be in the previous page
    once: twice, not at all, or not kept, and the page is rendered (None); a page whose own
    fingerprint changed, or whose date did not, too."""
    memo = Memo()
    old = '<footer>1 November</footer>'
    new = '<footer>20 November</footer>'
    memo.text(("chrome-html", "frame", "old", FOOTER), lambda: old)
    pages = {"a.html": f"<main>A</main>{old}".encode(), "b.html": f"{old}<p>{old}</p>".encode(),
             "c.html": b"<main>C</main>"}
    take = sitedate.reuse(_Chrome({FOOTER: new}), memo, "frame", "new", FOOTER, pages.get)
    assert take is not None
    assert take("a.html", "page.old", "page.new") == f"<main>A</main>{new}".encode()
    assert take("b.html", "page.old", "page.new") is None
    assert take("c.html", "page.old", "page.new") is None
    assert take("a.html", "other.old", "page.new") is None  # its own content changed
    assert take("a.html", "page.new", "page.new") is None
    assert take("a.html", "page.gone", "page.new") is None  # no footer kept for that date
    assert take("z.html", "page.old", "page.new") is None  # no previous file
    assert take("a.html", "", "page.new") is None
    assert memo.known_text(("chrome-html", "frame", "new", FOOTER)) == new  # for the next build
    asked: list[object] = []
    looked_up = memo.known_text
    memo.known_text = lambda key: asked.append(key) or looked_up(key)  # type: ignore[method-assign]
    again = sitedate.reuse(_Chrome({FOOTER: new}), memo, "frame", "new", FOOTER, pages.get)
    assert again is not None
    assert [again(page, "page.old", "page.new") for page in ("a.html", "b.html", "a.html")] == \
        [f"<main>A</main>{new}".encode(), None, f"<main>A</main>{new}".encode()]
    assert asked == [("chrome-html", "frame", "old", FOOTER)], "one look-up for every page"
    assert sitedate.reuse(_Chrome({}), memo, "frame", "new", None, pages.get) is None


def test_a_footer_that_fails_is_reported_by_the_pages_not_raised(tmp_path: Path) -> None:
    """A site's own footer that cannot render: the build reports it at its file and line, as a
    page that includes it does, and takes no page."""
    import pytest

    from kotacerdas.core.errors import ContentError

    site = _site(tmp_path)
    own = site.root / "templates" / FOOTER
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text((REPO / "templates" / FOOTER).read_text(encoding="utf-8").replace(
        "{{ site.site_updated | date }}", "{{ site.site_updated | date }}{{ 1 // 0 }}", 1),
        encoding="utf-8")
    out, store = tmp_path / "out", tmp_path / "cache"
    with pytest.raises(ContentError) as failed:
        _build(site.root, out, store)
    assert any(p.path.endswith("footer.html") and "ZeroDivisionError" in p.message
               for p in failed.value.problems), [str(p) for p in failed.value.problems]
