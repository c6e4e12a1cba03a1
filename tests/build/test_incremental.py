"""Incremental rebuilds equal full builds, byte for byte, under sequences of random edits."""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import (FIXTURE_TODAY, LOCAL_BASE, REPO, FixtureSite, spy, tree,
                      with_repository_reference, write_site)
from kotacerdas.core.errors import ContentError
from kotacerdas.preview.incremental import Builder
from kotacerdas.build.pipeline import build

TODAY = FIXTURE_TODAY
BASE = LOCAL_BASE
TAGS = ["peluncuran", "evaluasi", "masterplan", "penghargaan"]
EXTRA_REGIONS = [("kota-bogor", "Kota Bogor", "kota", "Jawa Barat", "32.71"),
                 ("kabupaten-sleman", "Kabupaten Sleman", "kabupaten", "Daerah Istimewa Yogyakarta", "34.04"),
                 ("kota-semarang", "Kota Semarang", "kota", "Jawa Tengah", "33.74"),
                 ("kabupaten-badung", "Kabupaten Badung", "kabupaten", "Bali", "51.03")]


def _site(tmp_path: Path) -> FixtureSite:
    return with_repository_reference(write_site(tmp_path / "site"))


class Editor:
    """Makes random but plausible edits, the kind editors make."""

    def __init__(self, site: FixtureSite, rng: random.Random):
        self.site, self.rng = site, rng
        self.counter = 0

    def news_files(self) -> list[Path]:
        """The original announcements (not their translations)."""
        return sorted(p for p in (self.site.root / "content/news").glob("*.md")
                      if not p.name.endswith(".en.md"))

    def region_slugs(self) -> list[str]:
        return sorted(p.stem for p in (self.site.root / "content/regions").glob("*.yaml"))

    def add_news(self) -> str:
        self.counter += 1
        date = dt.date(2017, 1, 1) + dt.timedelta(days=self.rng.randrange(3600))
        regions = self.rng.sample(self.region_slugs(), self.rng.randint(0, 2))
        tags = self.rng.sample(TAGS, self.rng.randint(0, 2))
        self.site.write(f"content/news/{date.isoformat()}-berita-acak-{self.counter}.md",
                        f"---\ntitle: \"Berita acak {self.counter}\"\ndate: {date.isoformat()}\n"
                        f"summary: \"Ringkasan {self.counter}.\"\ntags: [{', '.join(tags)}]\n"
                        f"regions: [{', '.join(regions)}]\n---\n\n## Bagian\n\nIsi {self.counter}.\n")
        return "add news"

    def change_news(self) -> str:
        path = self.rng.choice(self.news_files())
        text = path.read_text()
        if self.rng.random() < 0.5:
            path.write_text(text.replace("summary: \"", "summary: \"Diubah. ", 1))
        else:
            path.write_text(text + f"\nParagraf tambahan {self.rng.randrange(1000)}.\n")
        return f"change {path.name}"

    def delete_news(self) -> str:
        files = self.news_files()
        if len(files) <= 1:
            return self.add_news()
        path = self.rng.choice(files)
        path.unlink()
        path.with_suffix(".en.md").unlink(missing_ok=True)  # a translation goes with its original
        return f"delete {path.name}"

    def translate_news(self) -> str:
        """Add, change or remove an English translation of an announcement."""
        original = self.rng.choice(self.news_files())
        path = original.with_suffix(".en.md")
        if path.exists() and self.rng.random() < 0.3:
            path.unlink()
            return f"untranslate {original.name}"
        n = self.rng.randrange(1000)
        updated = "updated: 2099-01-01\n" if self.rng.random() < 0.3 else ""
        path.write_text(f"---\ntitle: \"Translated {n}\"\nsummary: \"Summary {n}.\"\n{updated}"
                        f"---\n\nEnglish text {n} with a [link](/daerah/).\n")
        return f"translate {original.name}"

    def add_region(self) -> str:
        free = [r for r in EXTRA_REGIONS if r[0] not in self.region_slugs()]
        if not free:
            return self.change_region()
        slug, name, kind, province, code = self.rng.choice(free)
        self.site.write(f"content/regions/{slug}.yaml",
                        f'name: {name}\ntype: {kind}\nprovince: {province}\ncode: "{code}"\n'
                        f"cohort: {self.rng.choice([2017, 2018, 2021])}\n")
        return f"add region {slug}"

    def change_region(self) -> str:
        slug = self.rng.choice(self.region_slugs())
        path = self.site.root / f"content/regions/{slug}.yaml"
        text = path.read_text()
        if "summary:" in text:
            path.write_text(text.replace("summary:", "summary: Diperbarui.", 1))
        else:
            path.write_text(text + f"summary: Ringkasan {self.rng.randrange(1000)}.\n")
        return f"change region {slug}"

    def delete_region(self) -> str:
        used = " ".join(p.read_text() for p in self.news_files())
        free = [s for s in self.region_slugs() if s not in used]
        if len(self.region_slugs()) <= 1 or not free:
            return self.change_region()
        slug = self.rng.choice(free)
        (self.site.root / f"content/regions/{slug}.yaml").unlink()
        return f"delete region {slug}"

    def change_template(self) -> str:
        name = self.rng.choice(["region.html", "news_list.html", "base.html", "strings/id.yaml",
                                "strings/en.yaml", "assets/style.css"])
        own = self.site.root / "templates" / name
        if not own.exists():
            own.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / "templates" / name, own)
        text = own.read_text()
        if name.startswith("strings/"):
            text = re.sub(r'(?m)^news_empty: .*$', f'news_empty: "Kosong {self.rng.randrange(99)}"', text)
            own.write_text(text)
        else:
            marker = {"assets/style.css": f"\n.x{self.rng.randrange(99)} {{ color: red; }}\n"}
            own.write_text(text + marker.get(name, f"\n{{# edit {self.rng.randrange(99)} #}}\n"))
        return f"change template {name}"

    def change_config(self) -> str:
        path = self.site.root / "site_config.yaml"
        text = path.read_text()
        lines = [ln for ln in text.splitlines() if not ln.startswith("news_per_page")]
        lines.append(f"news_per_page: {self.rng.randint(1, 3)}")
        path.write_text("\n".join(lines) + "\n")
        return "change config"

    def change_page(self) -> str:
        path = self.site.root / "content/pages/tentang.md"
        path.write_text(path.read_text() + f"\nTambahan {self.rng.randrange(1000)}.\n")
        return "change page"

    def break_something(self) -> str:
        path = self.rng.choice(self.news_files())
        path.write_text(path.read_text().replace("title:", "title: [", 1))
        return f"break {path.name}"

    def random_edit(self) -> str:
        edits = [self.add_news, self.add_news, self.change_news, self.delete_news, self.add_region,
                 self.change_region, self.delete_region, self.change_template, self.change_config,
                 self.change_page, self.translate_news]
        return self.rng.choice(edits)()


@pytest.mark.parametrize("seed", range(6))
def test_incremental_equals_full_after_random_edits(tmp_path: Path, seed: int) -> None:
    _random_edits(tmp_path, seed)


@pytest.mark.parametrize("seed", range(6, 9))
def test_incremental_equals_full_when_every_unchanged_file_is_known_by_its_stamp(
        tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview knows a settled file by its stamp (content/read.py); here every file counts
    as settled at once, so the stamp path is the one the random edits go through."""
    from kotacerdas.content import read
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)
    _random_edits(tmp_path, seed)


@pytest.mark.parametrize("seed", range(9, 12))
def test_incremental_equals_full_when_the_preview_builds_the_tabs_pages_first(
        tmp_path: Path, seed: int) -> None:
    """Each edit is first built for a few files only (what the preview's tabs show), then
    whole: the whole rebuild still equals a full build."""
    _random_edits(tmp_path, seed, first_passes=True)


def _random_edits(tmp_path: Path, seed: int, first_passes: bool = False) -> None:
    """Eight random edits (some breaking the site); after each, the preview's tree equals a
    full build's. With ``first_passes``, a rebuild of a few random files of the output comes
    before each whole one (and sometimes two in a row)."""
    site = _site(tmp_path)
    rng = random.Random(seed)
    editor = Editor(site, rng)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    assert live.rebuild().ok
    history = []
    for step in range(8):
        broken = rng.random() < 0.15
        history.append(editor.break_something() if broken else editor.random_edit())
        while first_passes and rng.random() < 0.7:
            files = sorted(tree(tmp_path / "live"))
            live.rebuild(first=set(rng.sample(files, min(len(files), rng.randrange(1, 4)))))
            if rng.random() < 0.4:  # another save before the rest was built
                history.append(editor.change_news())
        outcome = live.rebuild()
        full = tmp_path / f"full-{step}"
        try:
            build(site.root, full, base_url=BASE, today=TODAY)
        except ContentError as exc:
            assert not outcome.ok, history
            assert set(outcome.problems) == set(exc.problems)
            # fix what was broken so the sequence goes on from a good state
            for path in editor.news_files():
                path.write_text(path.read_text().replace("title: [", "title:", 1))
            outcome = live.rebuild()
            build(site.root, full, base_url=BASE, today=TODAY)
        assert outcome.ok, (history, outcome.problems)
        assert tree(tmp_path / "live") == tree(full), history
        shutil.rmtree(full)


def test_unchanged_rebuild_renders_and_writes_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    first = live.rebuild()
    assert first.ok and first.rendered > 0
    again = live.rebuild()
    assert again.ok and again.rendered == 0 and again.written == () and again.removed == ()


def test_one_edit_renders_only_what_depends_on_it(tmp_path: Path) -> None:
    site = _site(tmp_path)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    total = live.rebuild().rendered
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text() + "\nTambahan.\n")
    outcome = live.rebuild()
    assert outcome.ok
    assert "berita/tahap-dua/index.html" in outcome.written
    assert 0 < outcome.rendered < total / 2
    assert "daerah/kota-bandung/index.html" not in outcome.written


def test_a_first_pass_makes_only_the_files_named_and_the_next_build_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's first pass after a save (Builder.rebuild(first=…)): the named page is new,
    every other changed file keeps its previous bytes and waits; the next rebuild makes exactly
    those, reusing what the build before the first pass derived (the first pass drops none of
    it), and then the tree equals a full build."""
    from kotacerdas.outputs import search
    site = _site(tmp_path)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    assert live.rebuild().ok
    made = spy(monkeypatch, search, "_announcement_text", record=lambda m, t, n: n.slug)
    page, listing = "berita/tahap-dua/index.html", "berita/index.html"
    before = tree(tmp_path / "live")
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace("title: ", "title: Baru ", 1))
    first = live.rebuild(first={page})
    assert first.ok and first.written == (page,) and first.rendered == 1 and first.waiting > 2
    now = tree(tmp_path / "live")
    assert b"Baru" in now[page] and now[listing] == before[listing]
    assert {name for name in now if now[name] != before[name]} == {page}
    rest = live.rebuild()
    assert set(made) == {"tahap-dua"}, "the rest made again only the edited entry (per edition)"
    assert rest.ok and rest.waiting == 0 and page not in rest.written
    assert listing in rest.written and len(rest.written) <= first.waiting
    assert tree(tmp_path / "live") == tree(_full(site, tmp_path))


def test_a_first_pass_writes_its_pages_in_place_and_nothing_when_one_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first pass renders its few files in memory and only then writes them into the live
    folder, each a new file renamed over the old one (the spare keeps the old): a first pass
    whose second page fails to render writes not even the first, and the state stays as it was
    (the next builds equal a full build)."""
    from kotacerdas.render.renderer import Renderer
    site = _site(tmp_path)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    assert live.rebuild().ok and live.rebuild().ok  # the second leaves a spare of hard links
    pages = {"berita/tahap-dua/index.html", "berita/index.html"}
    before = tree(tmp_path / "live")
    spare = tmp_path / ".live.spare"
    render = Renderer.render

    def fail_the_listing(self: Renderer, spec: object) -> str | None:
        if getattr(spec, "route", None) == "berita/":
            self.problems.add("templates/news_list.html", 3, "template error (test)")
            return None
        return render(self, spec)  # type: ignore[arg-type]

    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace("title: ", "title: Baru ", 1))
    monkeypatch.setattr(Renderer, "render", fail_the_listing)
    failed = live.rebuild(first=pages)
    assert not failed.ok and tree(tmp_path / "live") == before
    monkeypatch.setattr(Renderer, "render", render)
    inode = os.lstat(spare / "berita/tahap-dua/index.html").st_ino
    first = live.rebuild(first=pages)
    assert first.ok and set(first.written) == pages
    assert os.lstat(spare / "berita/tahap-dua/index.html").st_ino == inode, "the spare's own"
    assert b"Baru" not in (spare / "berita/tahap-dua/index.html").read_bytes()
    assert b"Baru" in (tmp_path / "live/berita/tahap-dua/index.html").read_bytes()
    assert not [p for p in (tmp_path / "live").rglob(".*tmp*")]
    assert live.rebuild().ok and tree(tmp_path / "live") == tree(_full(site, tmp_path))


def test_failed_rebuild_keeps_the_last_good_output(tmp_path: Path) -> None:
    site = _site(tmp_path)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    assert live.rebuild().ok
    before = tree(tmp_path / "live")
    site.write("content/regions/kota-bandung.yaml", "name: [\n")
    outcome = live.rebuild()
    assert not outcome.ok
    assert any(p.path == "content/regions/kota-bandung.yaml" and p.line for p in outcome.problems)
    assert tree(tmp_path / "live") == before


def test_the_preview_parses_only_changed_files_again(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The preview's session keeps the parse cache in memory, as a cached build keeps it on disk."""
    from kotacerdas.content import read
    site = _site(tmp_path)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    assert live.rebuild().ok
    parsed = spy(monkeypatch, read, "load_yaml", record=lambda text, *a: text)
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace('title: "', 'title: "Baru ', 1))
    assert live.rebuild().ok
    assert len(parsed) == 1 and "Baru" in parsed[0]
    assert tree(tmp_path / "live") == tree(_full(site, tmp_path))


def test_the_preview_compiles_each_template_once(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates stay compiled between saves (render/compiled.py), across both editions; an
    edited template is compiled again and shows."""
    import jinja2
    site = _site(tmp_path)
    compiled = spy(monkeypatch, jinja2.Environment, "compile",
                   record=lambda self, source, name=None, *a, **k: name)
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY)
    assert live.rebuild().ok
    assert compiled and len(compiled) == len(set(compiled))  # the English edition compiled none
    compiled.clear()
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace('title: "', 'title: "Baru ', 1))
    assert live.rebuild().ok and compiled == []
    site.write("templates/announcement.html",
               (REPO / "templates/announcement.html").read_text().replace(
                   "<h1", "<h1 data-uji=\"ya\"", 1))
    assert live.rebuild().ok and compiled == ["announcement.html"]
    assert 'data-uji="ya"' in (tmp_path / "live/berita/tahap-dua/index.html").read_text()
    assert tree(tmp_path / "live") == tree(_full(site, tmp_path))


def test_the_preview_starts_from_the_last_builds_cache_and_never_writes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """serve's first build reuses what ``build`` left in .build-cache (converted Markdown,
    parsed files, compiled templates), read only; a page edited since is converted again, and
    the result is a full build's, byte for byte."""
    import jinja2
    from kotacerdas.model import site as model_site
    from kotacerdas.content import read, stored
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)  # every file counts as settled
    site = _site(tmp_path)
    cache_dir = site.root / ".build-cache"
    build(site.root, tmp_path / "built", today=TODAY, cache_dir=cache_dir)  # the production URL
    before = {p.name: p.read_bytes() for p in cache_dir.iterdir()}
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text() + "\nTambahan sejak build.\n")
    converted: list[str] = []
    convert = model_site._convert_all
    monkeypatch.setattr(model_site, "_convert_all",
                        lambda texts, *a: converted.extend(texts) or convert(texts, *a))
    compiled = spy(monkeypatch, jinja2.Environment, "compile",
                   record=lambda self, source, name=None, *a, **k: name)
    restored: list[object] = []
    restore = stored._restore
    monkeypatch.setattr(stored, "_restore",
                        lambda entry: (entry is not None and restored.append(entry)) or restore(entry))
    live = Builder(site.root, tmp_path / "live", base_url=BASE, today=TODAY, cache_dir=cache_dir)
    assert live.rebuild().ok
    assert len(restored) > 5  # the unchanged announcements and regions, not read again
    assert len(converted) == 2  # the edited text, once per edition (links differ under /en/)
    assert all("Tambahan sejak build." in text for text in converted)
    assert compiled == []
    assert {p.name: p.read_bytes() for p in cache_dir.iterdir()} == before
    restored.clear()
    path.write_text(path.read_text() + "\nLagi.\n")
    assert live.rebuild().ok and restored == []  # what the first build read stays in memory
    assert live.session.warm.memo.stored == {} and len(live.session.warm.memo.used) <= 1
    converted.clear()
    cold = Builder(site.root, tmp_path / "cold", base_url=BASE, today=TODAY)
    assert cold.rebuild().ok and len(converted) > 5 and compiled  # what the cache saved
    assert tree(tmp_path / "live") == tree(tmp_path / "cold") == tree(_full(site, tmp_path))


def _full(site: FixtureSite, tmp_path: Path) -> Path:
    full = tmp_path / "full"
    build(site.root, full, base_url=BASE, today=TODAY)
    return full
