"""The persistent build cache: a cached build equals a build without it; no change writes nothing.

Every cached build here is compared with a build without cache, byte for byte, and every failed
one with the problems a build without cache reports: the page fingerprints, the Markdown cache,
the parse cache (YAML parsed and validated in earlier builds) and patching output/ in place must
never show.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, files_read, freeze_times, spy, stamp_times, tree
from kotacerdas.build import cache, writer
from kotacerdas.content import parsecache, read
from kotacerdas.core import lazytext, parallel, writeguard
from kotacerdas.core.digest import digest_of
from kotacerdas.core.jsontext import Texts, compact_json
from kotacerdas.core.errors import ContentError, Problems
from kotacerdas.build.pipeline import build
from kotacerdas.model import site as site_model
from kotacerdas.outputs import opendata, search
from kotacerdas.content.yamlsafe import LineDict, LineList
from kotacerdas.content.yamlsafe import load as load_yaml
from test_incremental import BASE, TODAY, Editor, _site


def _build(site: Path, out: Path, cache_dir: Path | None):
    return build(site, out, base_url=BASE, today=TODAY, cache_dir=cache_dir)


def _originals(site) -> list[Path]:  # noqa: ANN001
    """The fixture's announcements, without their translations."""
    return sorted(p for p in (site.root / "content/news").glob("*.md") if not p.name.endswith(".en.md"))


def _assert_same_as_full_build(site, out: Path, tmp_path: Path) -> None:  # noqa: ANN001
    """The output equals what a build without cache makes of the same site."""
    full = tmp_path / "full"
    _build(site.root, full, None)
    assert tree(out) == tree(full)


def _outcome(site: Path, out: Path, cache_dir: Path | None):
    """The build's result, or the problems it reported."""
    try:
        return _build(site, out, cache_dir)
    except ContentError as exc:
        return [str(p) for p in exc.problems]


class BreakingEditor(Editor):
    """Also makes the mistakes editors make: broken YAML, fields the schema refuses, references
    to nothing, duplicate keys; ``fix`` undoes them all."""

    def __init__(self, site, rng):
        super().__init__(site, rng)
        self.broken: dict[Path, str] = {}

    def _break(self, path: Path, old: str, new: str) -> str:
        text = path.read_text()
        if old not in text:
            return self.random_edit()
        self.broken.setdefault(path, text)
        path.write_text(text.replace(old, new, 1))
        return f"break {path.name}: {new!r}"

    def break_something(self) -> str:
        news = self.rng.choice(self.news_files())
        region = self.site.root / "content/regions" / f"{self.rng.choice(self.region_slugs())}.yaml"
        return self.rng.choice([
            lambda: self._break(news, "title:", "title: ["),                   # YAML syntax
            lambda: self._break(news, "date:", "tags: 5\ndate:"),             # schema: type
            lambda: self._break(news, "date:", "colour: red\ndate:"),         # schema: unknown field
            lambda: self._break(news, "date:", "date: 2021-02-30\nsummary: x\ndate:"),  # duplicates
            lambda: self._break(news, "---\n", "---\nregions: [kota-tidak-ada]\n"),  # reference
            lambda: self._break(region, "code:", "code: 12345\nx_code:"),    # schema in a region
            lambda: self._break(region, "cohort:", "cohort: 1999\nold_cohort:"),
        ])()

    def fix(self) -> None:
        for path, text in self.broken.items():
            path.write_text(text)
        self.broken.clear()


@pytest.mark.parametrize("seed", range(4))
def test_cached_builds_equal_full_builds_after_random_edits(tmp_path: Path, seed: int) -> None:
    _random_cached_builds(tmp_path, seed)


@pytest.mark.parametrize("seed", range(4, 6))
def test_cached_builds_equal_full_builds_when_every_unchanged_file_is_known_by_its_stamp(
        tmp_path: Path, seed: int, monkeypatch) -> None:
    """The stored outcomes of settled files (content/stored.py, cache.FILES_FILE): here every
    file counts as settled at once, so the random edits go through the stored stamps."""
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)
    _random_cached_builds(tmp_path, seed)


def _random_cached_builds(tmp_path: Path, seed: int) -> None:
    """Ten random edits, some breaking the site; after each, the cached build equals a build
    without cache, and then a build with nothing changed writes nothing."""
    site = _site(tmp_path)
    rng = random.Random(seed)
    editor = BreakingEditor(site, rng)
    out, store = tmp_path / "out", tmp_path / "cache"
    assert not _build(site.root, out, store).unchanged
    history = []
    for step in range(10):
        broken = rng.random() < 0.3
        history.append(editor.break_something() if broken else editor.random_edit())
        full = tmp_path / f"full-{step}"
        for attempt in range(2):  # a broken build twice: the second time its files are cached
            before = tree(out)
            result = _outcome(site.root, out, store)
            expected = _outcome(site.root, full, None)
            if isinstance(expected, list):
                assert result == expected, history
                assert tree(out) == before, history
                continue
            break
        if isinstance(expected, list):
            editor.fix()
            history.append("fix")
            expected = _outcome(site.root, full, None)
            result = _outcome(site.root, out, store)
        assert not isinstance(expected, list), (history, expected)
        assert not isinstance(result, list), (history, result)
        assert not result.unchanged, history
        assert tree(out) == tree(full), history
        assert _build(site.root, out, store).unchanged, history
        shutil.rmtree(full)


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    assert _build(site.root, out, store).unchanged
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == before


@pytest.mark.parametrize("umask", [0o077, 0o002])
def test_nothing_changed_is_known_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    """The output's folders are recorded as they are published (the tree's own mode set before
    the cache records it), so a build under any umask is known as unchanged the next time."""
    old = os.umask(umask)
    try:
        site = _site(tmp_path)
        out, store = tmp_path / "out", tmp_path / "cache"
        _build(site.root, out, store)
        assert _build(site.root, out, store).unchanged
        (site.root / "content/news" / _originals(site)[0].name).touch()
        assert not _build(site.root, out, store).unchanged
        assert _build(site.root, out, store).unchanged
    finally:
        os.umask(old)


def test_one_edit_replaces_only_the_files_that_differ(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    before = {p.relative_to(out).as_posix(): os.stat(p) for p in out.rglob("*") if p.is_file()}
    old_bytes = tree(out)
    news = _originals(site)[0]
    news.write_text(news.read_text() + "\nKalimat baru yang hanya ada di sini.\n")
    _build(site.root, out, store)
    after = {p.relative_to(out).as_posix(): os.stat(p) for p in out.rglob("*") if p.is_file()}
    assert set(after) == set(before)
    changed = {rel for rel, st in after.items()
               if (st.st_ino, st.st_mtime_ns) != (before[rel].st_ino, before[rel].st_mtime_ns)}
    slug = news.name[len("2017-05-22-"):-len(".md")]
    assert f"berita/{slug}/index.html" in changed
    assert "index.html" not in changed and "daerah/kota-bandung/index.html" not in changed
    for rel in changed:  # a file is replaced only when its bytes changed
        assert (out / rel).read_bytes() != old_bytes[rel], rel
    _assert_same_as_full_build(site, out, tmp_path)
    assert writer.leftovers(out) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == [".out.spare"]


def test_deleted_pages_and_their_folders_go(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    news = _originals(site)[-1]
    slug = news.name[len("2017-05-22-"):-len(".md")]
    assert (out / "berita" / slug / "index.html").is_file()
    news.unlink()
    _build(site.root, out, store)
    assert not (out / "berita" / slug).exists()
    _assert_same_as_full_build(site, out, tmp_path)


def test_failed_build_keeps_output_and_cache(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    expected = tree(out)
    region = site.root / "content/regions/kota-bandung.yaml"
    good = region.read_bytes()
    region.write_text("name: [\n")
    with pytest.raises(ContentError):
        _build(site.root, out, store)
    assert tree(out) == expected
    region.write_bytes(good)
    freeze_times(region, region.stat())
    assert tree(out) == expected
    _build(site.root, out, store)
    assert tree(out) == expected


@pytest.mark.parametrize("where", ["link", "write"])
def test_a_failed_cached_build_leaves_output_and_a_consistent_cache(tmp_path: Path, monkeypatch,
                                                                    where: str) -> None:
    """A system error while the new tree is filled (a hard link) or while the cache is saved
    (after its main file was forgotten): output/ is byte for byte what it was, no tree is left
    beside it, and the next build (cached or full, whichever the cache allows) is right."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    before = tree(out)
    for news in _originals(site):
        news.write_text(news.read_text() + "\nTambahan.\n")
    calls = []
    real = getattr(os, where)

    def flaky(*args, **kwargs):
        calls.append(args)
        if where == "link" and len(calls) == 2 or \
                where == "write" and os.readlink(f"/proc/self/fd/{args[0]}").startswith(str(store)):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    monkeypatch.setattr(writeguard.os, where, flaky)
    with pytest.raises(writeguard.WriteFailed, match="the disk is full"):
        _build(site.root, out, store)
    monkeypatch.setattr(writeguard.os, where, real)
    assert tree(out) == before
    assert writer.leftovers(out) == []
    assert (store / cache.FILE).exists() == (where == "link")  # forgotten before the cache is saved
    assert not _build(site.root, out, store).unchanged
    _assert_same_as_full_build(site, out, tmp_path)


@pytest.mark.parametrize("link", [".build-cache", ".build-cache/pages.json"])
def test_a_symlinked_cache_is_never_written_through(tmp_path: Path, link: str) -> None:
    """The cache is written only where it is: a ``.build-cache`` that is a link (Git can commit
    one, ``git add -f`` an ignored path) or holds one is refused before anything is written."""
    from conftest import run_build
    site = _site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pages.json").write_text("milik orang lain")
    if link == ".build-cache":
        os.symlink(elsewhere, site.root / link)
    else:
        (site.root / ".build-cache").mkdir()
        os.symlink(elsewhere / "pages.json", site.root / link)
    result = run_build("build", "--site", str(site.root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is a symbolic link; refusing to write through it" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["pages.json"]
    assert (elsewhere / "pages.json").read_text() == "milik orang lain"
    assert not (site.root / "output").exists()


def test_output_changed_by_hand_is_rebuilt(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    expected = tree(out)
    (out / "index.html").write_text("dirusak")
    (out / "daerah" / "kota-bandung" / "index.html").unlink()
    (out / "tambahan.txt").write_text("x")
    assert not _build(site.root, out, store).unchanged
    assert tree(out) == expected


def test_no_change_is_seen_without_listing_any_output_folder(tmp_path: Path, monkeypatch) -> None:
    """The first look checks output/ by one lstat per file and folder the last build left
    (its listing), never by a scandir of a folder: output/ has one folder per page."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    scanned = spy(monkeypatch, cache.os, "scandir", lambda path=".": path)
    opened = spy(monkeypatch, cache.os, "open", lambda path, *args, **kwargs: os.fspath(path))
    probe = cache.probe(store, site.root, out, BASE, False, TODAY)
    assert probe.unchanged
    assert all(type(path) is int for path in scanned)  # folders the input walk opened
    assert [path for path in opened if path.startswith(str(out) + "/")] == []
    assert probe.stamps == cache.output_stamps(out)  # what a cached rebuild starts from


def test_a_file_changed_in_place_is_seen_in_either_share_of_the_stamps(tmp_path: Path) -> None:
    """The first look shares output/'s lstats between two processes (the forked child stamps
    the inputs and the first files of the listing, this one the rest and every folder): a file
    rewritten in place, same size and inode, is seen whichever process stamps it, and its old
    stamp back makes output/ trusted again."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    listed = cache.output_listing(store)
    assert listed is not None
    _, files, folders = listed
    cut = cache._childs_share(len(files), len(folders), cache.read(store))
    assert 0 < cut < len(files)
    for rel in (files[0], files[cut - 1], files[cut], files[-1]):
        page = out / rel
        data, st = page.read_bytes(), page.stat()
        page.write_bytes(data.swapcase() if data.swapcase() != data else data[::-1])
        os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
        assert page.stat().st_size == st.st_size and page.stat().st_ino == st.st_ino
        assert not cache.probe(store, site.root, out, BASE, False, TODAY).trusted, rel
        page.write_bytes(data)
        os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert cache.probe(store, site.root, out, BASE, False, TODAY).unchanged, rel


def test_a_cached_build_walks_the_spare_in_a_child_and_still_sets_it_right(
        tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """A cached rebuild walks the spare in a forked child while it reads its stores
    (writer.spare_inodes, parallel.meanwhile): what a stray file, a link and a changed file
    left in the spare still never reaches output/, which equals a full build."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    news = _originals(site)[0]
    _build(site.root, out, store)
    news.write_text(news.read_text() + "\nSatu.\n")
    _build(site.root, out, store)  # the first tree is the spare now
    spare = tmp_path / ".out.spare"
    (spare / "tambahan.html").write_text("x")
    page = spare / "daerah" / "kota-bandung" / "index.html"
    page.unlink()
    os.symlink(out / "index.html", page)
    (spare / "index.html").unlink()
    (spare / "index.html").write_text("lama")
    walkers = tmp_path / "walkers"
    real = writer.tree_inodes

    def walk(tree: Path) -> dict:
        with walkers.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real(tree)
    monkeypatch.setattr(writer, "tree_inodes", walk)
    news.write_text(news.read_text() + "\nDua.\n")
    assert not _build(site.root, out, store).unchanged
    assert [int(pid) for pid in walkers.read_text().split()] != [os.getpid()]
    assert len(walkers.read_text().split()) == 1  # walked once, by the child
    assert not (out / "tambahan.html").exists() and not (out / "daerah/kota-bandung/index.html").is_symlink()
    _assert_same_as_full_build(site, out, tmp_path)


def _untouched_build_after(site, out: Path, store: Path, tmp_path: Path, change) -> None:  # noqa: ANN001
    """``change`` made to output/ after a build is seen (the next build is no no-change one),
    and that build puts the output right."""
    _build(site.root, out, store)
    expected = tree(out)
    change(out)
    assert not _build(site.root, out, store).unchanged
    assert tree(out) == expected
    assert _build(site.root, out, store).unchanged


def _add_deep_file(out: Path) -> None:
    (out / "daerah" / "kota-bandung" / "lama.html").write_text("x")


def _replace_folder_by_link(out: Path) -> None:
    folder = out / "daerah" / "kota-bandung"
    moved = out.parent / "elsewhere"
    folder.rename(moved)
    os.symlink(moved, folder)


def _replace_folder_by_copy(out: Path) -> None:
    """The same file (the very inode) in a new folder of the same name."""
    folder = out / "daerah" / "kota-bandung"
    moved = out.parent / "moved"
    folder.rename(moved)
    folder.mkdir()
    for f in moved.iterdir():
        os.link(f, folder / f.name)


def _replace_file_by_link(out: Path) -> None:
    page = out / "daerah" / "kota-bandung" / "index.html"
    page.rename(out.parent / "page.html")
    os.symlink(out.parent / "page.html", page)


def _add_empty_folder(out: Path) -> None:
    (out / "daerah" / "kosong").mkdir()


@pytest.mark.parametrize("change", [_add_deep_file, _replace_folder_by_link,
                                    _replace_folder_by_copy, _replace_file_by_link,
                                    _add_empty_folder])
def test_output_changed_below_its_top_folder_is_rebuilt(tmp_path: Path, change) -> None:  # noqa: ANN001
    _untouched_build_after(_site(tmp_path), tmp_path / "out", tmp_path / "cache", tmp_path,
                           change)


@pytest.mark.parametrize("links", ["counted", "not counted"])
def test_a_stray_folder_a_build_kept_is_watched_too(tmp_path: Path, monkeypatch,
                                                     links: str) -> None:
    """A tree can keep an empty folder a build did not make (the spare held it): it is in the
    listing too, so a file put in it later is seen, also where the disk's folders do not count
    their subfolders in their links (the listing is then made by a walk)."""
    if links == "not counted":
        monkeypatch.setattr(cache, "_FOLDER_STAMP", lambda st: (st.st_mode, st.st_mtime_ns,
                                                                st.st_ino, 1))
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    news = _originals(site)[0]
    _build(site.root, out, store)
    _add_empty_folder(out)
    for text in ("\nSatu.\n", "\nDua.\n"):  # the tree with the folder becomes the spare, then output
        news.write_text(news.read_text() + text)
        _build(site.root, out, store)
    assert (out / "daerah" / "kosong").is_dir()
    assert _build(site.root, out, store).unchanged
    (out / "daerah" / "kosong" / "lama.html").write_text("x")
    assert not _build(site.root, out, store).unchanged
    _assert_same_as_full_build(site, out, tmp_path)


def test_an_empty_stray_folder_is_noticed(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    (site.root / "content/news/lama").mkdir()
    assert _outcome(site.root, out, store) == _outcome(site.root, tmp_path / "full", None)


def test_a_corrupt_or_foreign_cache_means_a_full_build(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    expected = tree(out)
    (store / cache.FILE).write_text('{"version": 2, "key": "x", "inputs": [')
    (store / cache.MARKDOWN_FILE).write_text('{"/\\u0000abc": "<script>alert(1)</script>"}')
    (store / cache.PARSED_FILE).write_text('{"version": 2, "code": "x"}\n["k", {"m": [1]}]\n')
    assert not _build(site.root, out, store).unchanged
    assert tree(out) == expected


def test_the_code_digest_covers_every_module_of_the_package(tmp_path: Path) -> None:
    """The cache key hashes the package from a folder computed from ``__file__``: were it one
    subpackage, an edit elsewhere would reuse stale pages (architecture review §4.8, risk 1). In a
    copy of the package each ``.py`` file is changed in turn, and the digest must change."""
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "kotacerdas", copy / "kotacerdas",
                    ignore=shutil.ignore_patterns("__pycache__"))

    def digest() -> str:
        """code_digest() of the copy, in a new process (the digest is kept once computed)."""
        return subprocess.run(
            [sys.executable, "-B", "-c",
             "from kotacerdas.build.cache import code_digest; print(code_digest())"],
            cwd=copy, capture_output=True, text=True, check=True, timeout=120).stdout.strip()

    before = digest()
    files = sorted((copy / "kotacerdas").rglob("*.py"))
    assert len(files) == len(list((REPO / "kotacerdas").rglob("*.py"))) > 40
    unseen = []
    for path in files:
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        try:
            if digest() == before:
                unseen.append(path.relative_to(copy).as_posix())
        finally:
            path.write_bytes(original)
    assert unseen == []
    assert digest() == before

def test_library_versions_are_read_from_the_installed_records(tmp_path: Path,
                                                              monkeypatch) -> None:
    """The versions in the cache key, read from the ``*.dist-info`` folder names without
    importlib.metadata, are the ones it reads; a library upgraded in a folder that comes earlier
    on sys.path gives its new version, and so a new cache."""
    from importlib import metadata

    assert cache._library_versions() == [(n, metadata.version(n)) for n in cache.LIBRARIES]
    (tmp_path / "markdown-99.1.dist-info").mkdir()
    (tmp_path / "PyYAML-7.0.dist-info").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    versions = dict(cache._library_versions())
    assert (versions["Markdown"], versions["PyYAML"]) == ("99.1", "7.0")
    assert versions["Jinja2"] == metadata.version("Jinja2")


def test_torn_stores_keep_what_still_reads(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    expected = tree(out)
    for name in (cache.MARKDOWN_FILE, cache.PARSED_FILE):
        with open(store / name, "ab") as f:
            f.write(b'["abc", {"m": [1, "x"')  # a write cut short
    (store / cache.FILE).unlink()
    _build(site.root, out, store)
    assert tree(out) == expected
    for name in (cache.MARKDOWN_FILE, cache.PARSED_FILE):
        data = (store / name).read_bytes()
        assert json.loads(data.split(b"\n", 1)[0])["version"] == cache.VERSION
        assert b'["abc"' not in data  # rewritten without the torn block
        kept = cache.read_store(store / name, cache.code_digest())
        assert kept.items and kept.lines == len(kept.items)  # and nothing left that is torn


def test_a_settled_unchanged_file_is_not_read_by_the_next_build(tmp_path: Path,
                                                                monkeypatch) -> None:
    """Announcements, regions and the map's boundaries whose stamp the last build stored are
    stat'ed, not read; a file changed in a way that keeps its size and modification time is read
    again."""
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    assert (store / cache.FILES_FILE).is_file()
    reads = files_read(monkeypatch)
    news, region = _originals(site)[0], site.root / "content/regions/kota-bandung.yaml"
    for path, old, new in ((news, "title: ", "title:\t"), (region, "name: ", "name:\t")):
        before = path.stat()
        path.write_text(path.read_text().replace(old, new, 1))
        freeze_times(path, before)
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size,
                                                                  before.st_mtime_ns)
    _build(site.root, out, store)
    others = {p.name for p in (site.root / "content").rglob("*.*")
              if p.suffix in (".md", ".yaml") and p.parent.name in ("news", "regions")
              and not p.name.endswith(".en.md")} - {news.name, region.name}
    assert {news.name, region.name} <= set(reads), reads
    assert not (others | {"provinces.geojson"}) & set(reads), reads
    _assert_same_as_full_build(site, out, tmp_path)


def _built_with_news(tmp_path: Path, seed: int, config: str = ""):  # noqa: ANN202
    """The fixture site with six more announcements (and ``config`` added to its
    site_config.yaml), built once with a cache: (site, output, cache folder)."""
    site = _site(tmp_path)
    if config:
        path = site.root / "site_config.yaml"
        path.write_text(path.read_text() + config)
    editor = Editor(site, random.Random(seed))
    for _ in range(6):
        editor.add_news()
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    return site, out, store


def test_a_cached_build_decodes_only_the_html_of_the_pages_it_renders(tmp_path: Path,
                                                                     monkeypatch) -> None:
    """Converted HTML comes back from the cache as bytes (core/lazytext.Span) and is decoded
    only for a page that is rendered: a summary edit renders that announcement's page and the
    lists and feeds (one item each here), so of the announcements' bodies at most its own and
    the newest one's are decoded (in each edition), besides the few static pages' (whose specs
    hold their body), never every body; the output is still a full build's."""
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)  # every file known by its stamp
    site, out, store = _built_with_news(tmp_path, 3, "feed_items: 1\n")
    oldest = _originals(site)[0]
    oldest.write_text(oldest.read_text().replace('summary: "', 'summary: "Diubah. ', 1))
    decoded: list[str] = []
    text = lazytext.Span.text
    monkeypatch.setattr(lazytext.Span, "text", lambda span: decoded.append(text(span)) or text(span))
    _build(site.root, out, store)
    bodies = {t for t in decoded if "<" in t}
    cached = [v for v in cache.read_store(store / cache.MARKDOWN_FILE, cache.code_digest())
              .items.values() if "<" in text(v)]
    pages = 2 * len(list((site.root / "content/pages").glob("*.md")))  # both editions
    assert 1 <= len(bodies) <= pages + 4 < len(cached), (len(bodies), pages, len(cached))
    _assert_same_as_full_build(site, out, tmp_path)


def test_a_title_edit_makes_only_its_own_search_entry_and_download_row(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """What each announcement adds to the search index and to berita.json, and the digest of
    what lists show of it, are texts kept in the build cache by what they are made from
    (Memo.text): the next build, a new session, makes them for the edited announcement alone
    (in each edition), and its output is still a full build's."""
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)  # every file known by its stamp
    site, out, store = _built_with_news(tmp_path, 5)
    edited = _originals(site)[0]
    edited.write_text(edited.read_text().replace('title: "', 'title: "Diubah ', 1))
    entries = spy(monkeypatch, search, "_announcement_text", record=lambda m, t, n: n.slug)
    rows = spy(monkeypatch, opendata, "_announcement_row", record=lambda m, n: n.slug)
    facts = spy(monkeypatch, site_model, "_facts", record=lambda n: n.slug)
    _build(site.root, out, store)
    slug = edited.stem[len("2021-01-01-"):]
    assert set(entries) == set(rows) == set(facts) == {slug}, (entries, rows, facts)
    assert "Diubah" in (out / "data" / "berita.json").read_text(encoding="utf-8")
    _assert_same_as_full_build(site, out, tmp_path)


def test_a_file_changed_moments_ago_is_read_whatever_its_stored_stamp(tmp_path: Path,
                                                                      monkeypatch) -> None:
    """Within the racy window a stored stamp is never trusted: a file saved twice in one tick
    of the file system's clock keeps its stamp."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    news = _originals(site)[0]
    frozen = os.lstat(news)
    stamp_times(monkeypatch, frozen)
    monkeypatch.setattr(read.time, "time_ns", lambda: frozen.st_ctime_ns + read.SETTLED_NS)
    _build(site.root, out, store)
    news.write_text(news.read_text().replace("title: ", "title:\t", 1))  # the same size
    reads = files_read(monkeypatch)
    _build(site.root, out, store)
    assert news.name in reads
    _assert_same_as_full_build(site, out, tmp_path)


def test_a_stamp_from_another_checkout_never_matches(tmp_path: Path, monkeypatch) -> None:
    """The same site checked out again in the same place (sizes and modification times kept,
    as a restored cache would find them) is read again: new inodes, new change times."""
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    news = _originals(site)[0]
    before = news.stat()
    copy = tmp_path / "copy"
    shutil.copytree(site.root, copy)  # copy2: modification times kept
    shutil.rmtree(site.root)
    copy.rename(site.root)
    news.write_text(news.read_text().replace("title: ", "title:\t", 1))
    freeze_times(news, before)
    reads = files_read(monkeypatch)
    _build(site.root, out, store)
    assert news.name in reads and "kota-bandung.yaml" in reads
    _assert_same_as_full_build(site, out, tmp_path)


def test_stored_outcomes_still_meet_the_checks_across_files(tmp_path: Path, monkeypatch) -> None:
    """An announcement known by its stored stamp still names a region that must exist: removing
    the region reports the announcement, as a build without cache does."""
    monkeypatch.setattr(read, "SETTLED_NS", -10**18)
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    (site.root / "content/regions/kota-bandung.yaml").unlink()
    reads = files_read(monkeypatch)
    found = _outcome(site.root, out, store)
    assert isinstance(found, list) and any("region 'kota-bandung' does not exist" in p
                                           for p in found), found
    assert not {p.name for p in _originals(site)} & set(reads), reads
    assert found == _outcome(site.root, tmp_path / "full", None)


def test_unchanged_files_are_not_parsed_again(tmp_path: Path, monkeypatch) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    parsed = spy(monkeypatch, read, "load_yaml", record=lambda text, *a: text)
    news = _originals(site)[0]
    news.write_text(news.read_text().replace("title: ", "title: Baru ", 1))
    _build(site.root, out, store)
    assert len(parsed) == 1 and "title: Baru" in parsed[0]
    _assert_same_as_full_build(site, out, tmp_path)


YAML_SAMPLES = [
    "a: 1\nb: [x, 2, 2021-01-01, {c: 2021-01-01 10:00:00+07:00}]\n",
    "2017: yes\n2020-02-02: ~\nf: .inf\nn: -0.0\ng: 1e3\nh: 0x1F\nbig: 123456789012345678901234567890\n",
    "t: 2021-01-01T10:00:00.123456Z\nu: 2021-13-45\nv: '2021-01-01'\nw: 2021-01-01 10:00:00\n",
    "x: &a [1, 2]\ny: {p: q}\nlist:\n  - a\n  -\n    - b\n    - {}\n  - []\n",
    "teks: |\n  baris satu\n  baris dua\nlain: >\n  dilipat\n  jadi satu\nunicode: \"Rp 1.000 – é 🙂\"\n",
    "- 1\n- two\n- 2021-06-01\n- {k: v, 3: [false, null]}\n",
    "just text\n",
    "merged: &m {a: 1}\nother:\n  <<: *m\n  b: 2\n",
]


def _same(a, b) -> None:
    assert type(a) is type(b), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b) and a.line == b.line and a.lines == b.lines
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, list):
        assert a.line == b.line and a.lines == b.lines and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    else:
        assert repr(a) == repr(b)


@pytest.mark.parametrize("text", YAML_SAMPLES)
@pytest.mark.parametrize("offset", [0, 1])
def test_parsed_yaml_round_trips_exactly(text: str, offset: int) -> None:
    data, problems = load_yaml(text, offset)
    assert not problems
    try:
        encoded = parsecache.encode(data)
    except parsecache.Unstorable:
        assert "*m" in text  # an alias shares its object: such files are simply parsed again
        return
    restored = parsecache.decode(json.loads(json.dumps(encoded, ensure_ascii=False)))
    _same(data, restored)
    assert isinstance(restored, (LineDict, LineList, str))


def test_dates_and_times_keep_their_type_and_zone() -> None:
    data, _ = load_yaml("d: 2021-12-31\nt: 2021-12-31 23:59:59.5+07:00\n")
    restored = parsecache.decode(json.loads(json.dumps(parsecache.encode(data))))
    assert type(restored["d"]) is dt.date and restored["d"] == dt.date(2021, 12, 31)
    assert type(restored["t"]) is dt.datetime and restored["t"] == data["t"]
    assert restored["t"].utcoffset() == dt.timedelta(hours=7)


# --- nothing read back is trusted more than what it replaces (hostile-findings D9) -------------

NEWS_TEXT = '---\ntitle: "Tahap tiga"\ndate: 2019-05-15\nsummary: "Tahap tiga."\n---\n\nTeks baru.\n'
SCRIPT = '<script src="https://evil.example/x.js"></script>'


@pytest.fixture(autouse=True)
def _own_key(tmp_path: Path, monkeypatch) -> Path:
    """Each test signs with a key of its own, outside its cache folder."""
    key = tmp_path / "keys" / "cache-key"
    monkeypatch.setenv(cache.KEY_ENV, str(key))
    return key


def _signed_with_another_key(monkeypatch, tmp_path: Path, name: str, text: str) -> str:
    """``text`` signed as a line of cache file ``name``, but with a key that is not the user's."""
    own = os.environ[cache.KEY_ENV]
    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "other-key"))
    line = cache.Seal(name, cache.code_digest()).sign(text)
    monkeypatch.setenv(cache.KEY_ENV, own)
    return line


def _block(name: str, entries: dict, seal: cache.Seal | None = None) -> bytes:
    """A block of store ``name`` holding ``entries``, signed as the store's own writer signs it
    (by default with this user's key)."""
    return b"".join(cache._blocks(seal or cache.Seal(name, cache.code_digest()), entries,
                                  list(entries), None))


def _block_of_another_key(monkeypatch, tmp_path: Path, name: str, entries: dict) -> bytes:
    """``entries`` as a block of store ``name``, signed with a key that is not the user's."""
    own = os.environ[cache.KEY_ENV]
    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "other-key"))
    seal = cache.Seal(name, cache.code_digest())
    monkeypatch.setenv(cache.KEY_ENV, own)
    return _block(name, entries, seal)


def _unsigned(block: bytes) -> bytes:
    """``block`` with a signature that is not one (what someone without the key could write)."""
    return b"0" * 32 + block[32:]


def _markdown_entry(site, store: Path) -> dict[str, str]:  # noqa: ANN001
    """A Markdown cache entry for the exact key the edited announcement's body will have (the
    default edition's base, as the first build stored it, and the digest of the new body), with a
    script."""
    _, cached = cache.read_markdown(store, cache.code_digest())
    base, = {b for b, _ in cached if b.startswith("/") and "/en/" not in b}
    split = read.split_front_matter(site.root / "content/news/2019-05-15-tahap-tiga.md", NEWS_TEXT,
                                    Problems(site.root))
    assert split is not None
    return {f"{base}\0{digest_of(split[1])}": "<p>Teks baru.</p>" + SCRIPT}


def test_a_signed_markdown_entry_is_used(tmp_path: Path) -> None:
    """The control for the test below: the planted entry has the key the build looks up."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    with (store / cache.MARKDOWN_FILE).open("ab") as f:
        f.write(_block(cache.MARKDOWN_FILE, _markdown_entry(site, store)))
    (site.root / "content/news/2019-05-15-tahap-tiga.md").write_text(NEWS_TEXT)
    _build(site.root, out, store)
    assert SCRIPT in (out / "berita/tahap-tiga/index.html").read_text()


@pytest.mark.parametrize("signed", ["unsigned", "another key"])
def test_cached_markdown_is_never_trusted_unsigned(tmp_path: Path, monkeypatch, signed: str) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    entry = _markdown_entry(site, store)
    block = _unsigned(_block(cache.MARKDOWN_FILE, entry)) if signed == "unsigned" else \
        _block_of_another_key(monkeypatch, tmp_path, cache.MARKDOWN_FILE, entry)
    with (store / cache.MARKDOWN_FILE).open("ab") as f:
        f.write(block)
    (site.root / "content/news/2019-05-15-tahap-tiga.md").write_text(NEWS_TEXT)
    _build(site.root, out, store)
    assert SCRIPT not in (out / "berita/tahap-tiga/index.html").read_text()
    _assert_same_as_full_build(site, out, tmp_path)
    assert SCRIPT not in (store / cache.MARKDOWN_FILE).read_text()  # rewritten without it


def test_wrong_shape_parse_cache_is_ignored(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    path = store / cache.PARSED_FILE
    header = path.read_bytes().split(b"\n", 1)[0]
    keys = cache.read_store(path, cache.code_digest()).items
    path.write_bytes(header + b"\n" + _unsigned(_block(cache.PARSED_FILE, {
        key: {"d": {"m": [1]}, "v": []} for key in keys})))
    news = _originals(site)[0]
    news.write_text(news.read_text() + "\nx\n")
    _build(site.root, out, store)
    _assert_same_as_full_build(site, out, tmp_path)
    _build(site.root, out, store)  # and every later build too
    _assert_same_as_full_build(site, out, tmp_path)


@pytest.mark.parametrize("entry", [{"d": {"m": "xyz"}, "v": []}, {"d": {"m": [1, "title"]}, "v": []},
                                   {"d": {"m": ["1", "title", "x", 2]}, "v": []},
                                   {"d": {"s": [1, [2], 1]}, "v": []}, {"d": {"d": 5}, "v": []},
                                   {"d": {"m": [1, "title", "x", "two"]}, "v": []},
                                   {"d": {"m": [1, "title", "x", 2]}, "v": [7]}, {"d": [1]}])
def test_signed_entry_of_a_wrong_shape_is_a_miss(tmp_path: Path, entry: dict) -> None:
    """Even an entry that verifies is used only when it decodes to what the encoder writes."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    path = store / cache.PARSED_FILE
    header = path.read_bytes().split(b"\n", 1)[0]
    keys = cache.read_store(path, cache.code_digest()).items
    path.write_bytes(header + b"\n" + _block(cache.PARSED_FILE, {key: entry for key in keys}))
    news = _originals(site)[0]
    news.write_text(news.read_text() + "\nx\n")
    _build(site.root, out, store)
    _assert_same_as_full_build(site, out, tmp_path)


def _payload(path: Path) -> dict:
    """The JSON a signed cache file holds (as someone without the key could read it)."""
    return json.loads(path.read_text().split(" ", 1)[1])


def test_hand_made_main_file_cannot_vouch_for_output(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    (out / "index.html").write_text("<p>dirusak</p>")
    state = _payload(store / cache.FILE)
    state["output"] = cache.output_record(out, cache.output_stamps(out))[1]  # "it is current"
    (store / cache.FILE).write_text(json.dumps(state))
    assert not _build(site.root, out, store).unchanged
    _assert_same_as_full_build(site, out, tmp_path)


def test_hand_made_page_fingerprints_do_not_skip_pages(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    news = _originals(site)[0]
    news.write_text(news.read_text() + "\nKalimat baru.\n")
    # learn the fingerprints the edited site will have, from a copy built with its own cache
    copy = tmp_path / "copy"
    shutil.copytree(site.root, copy / "site")
    shutil.copytree(out, copy / "out")
    shutil.copytree(store, copy / "cache")
    _build(copy / "site", copy / "out", copy / "cache")
    forged = _payload(copy / "cache" / cache.PAGES_FILE)
    forged["key"] = _payload(store / cache.FILE)["key"]
    (store / cache.PAGES_FILE).write_text(json.dumps(forged))  # "every page is already current"
    _build(site.root, out, store)
    _assert_same_as_full_build(site, out, tmp_path)


def test_key_lives_outside_the_cache_and_only_its_owner_reads_it(tmp_path: Path, _own_key: Path,
                                                                 monkeypatch) -> None:
    site = _site(tmp_path)
    _build(site.root, tmp_path / "out", tmp_path / "cache")
    assert _own_key.is_file() and (_own_key.stat().st_mode & 0o777) == 0o600
    assert not any(p.name == _own_key.name for p in (tmp_path / "cache").rglob("*"))
    assert _build(site.root, tmp_path / "out", tmp_path / "cache").unchanged  # the same key again
    monkeypatch.delenv(cache.KEY_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.key_path() == tmp_path / "xdg" / "kotacerdas" / "cache-key"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.key_path() == Path.home() / ".cache" / "kotacerdas" / "cache-key"


def test_a_key_others_can_read_signs_nothing_that_is_kept(tmp_path: Path, _own_key: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    _own_key.chmod(0o644)
    cache._key_in.cache_clear()  # a new process would read the file again
    try:
        assert not _build(site.root, out, store).unchanged  # the key is refused: a full build
    finally:
        cache._key_in.cache_clear()
    _assert_same_as_full_build(site, out, tmp_path)


# --- Jinja2's compiled templates (render/compiled.py) -------------------------------------------

@pytest.fixture
def compiles(monkeypatch) -> list[str]:  # noqa: ANN001
    """The names of the templates Jinja2 compiles in this process (as it compiles them)."""
    import jinja2

    names = spy(monkeypatch, jinja2.Environment, "compile",
                record=lambda self, source, name=None, *a, **k: name)
    monkeypatch.setattr(parallel, "workers", lambda: 1)  # every compile in this process, counted
    return names


def _templates_file(store: Path) -> Path:
    from kotacerdas.render.compiled import stored_name

    return store / stored_name()


def _edit_news(site) -> None:  # noqa: ANN001
    news = _originals(site)[0]
    news.write_text(news.read_text().replace('title: "', 'title: "Diubah ', 1))


def test_unchanged_templates_are_not_compiled_again_by_the_next_build(
        tmp_path: Path, compiles: list[str]) -> None:
    """Each build here starts from the cache folder alone, as a new process would."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    assert "announcement.html" in compiles and _templates_file(store).is_file()
    compiles.clear()
    _edit_news(site)
    _build(site.root, out, store)
    assert compiles == []
    _assert_same_as_full_build(site, out, tmp_path)
    compiles.clear()
    own = site.write("templates/announcement.html",
                     (REPO / "templates/announcement.html").read_text() + "{# versi 1 #}\n")
    _build(site.root, out, store)
    assert compiles == ["announcement.html"]  # the site's own file is another template
    compiles.clear()
    own.write_text(own.read_text().replace("versi 1", "versi 2"))
    _build(site.root, out, store)
    assert compiles == ["announcement.html"]  # edited: compiled again, and only it
    _assert_same_as_full_build(site, out, tmp_path)
    compiles.clear()
    own.unlink()
    _build(site.root, out, store)
    assert compiles == []
    kept = json.loads(cache.read_signed(store, _templates_file(store).name, cache.code_digest())
                      or b"null")["templates"]
    assert str(own) not in {entry[0] for entry in kept.values()}  # a gone file's entry goes
    _assert_same_as_full_build(site, out, tmp_path)


def test_a_build_in_forked_workers_keeps_the_templates_they_ran(tmp_path: Path, monkeypatch,
                                                                compiles: list[str]) -> None:
    """Workers forked to render pages compile nothing of their own (render_pages renders the
    first page of each template before forking), so the cache holds every template after a
    full build, and the next build compiles none."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    _build(site.root, out, store)
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    compiles.clear()
    _edit_news(site)
    _build(site.root, out, store)
    assert compiles == []
    _assert_same_as_full_build(site, out, tmp_path)


def _each_in_a_forked_child(task, count: int) -> list[object]:  # noqa: ANN001
    """map_indexed's contract, every task run in a child forked for it: whatever it leaves in
    memory the parent never sees, only what it returns."""
    import pickle

    results = []
    for i in range(count):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(task(i), pipe)
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            results.append(pickle.load(pipe))
        os.waitpid(pid, 0)
    return results


def test_a_build_in_forked_workers_keeps_the_dates_they_formatted(tmp_path: Path,
                                                                  monkeypatch) -> None:  # noqa: ANN001
    """Workers hand back the formats they were the first to ask for (render_page), so the
    cache holds every date and number the pages showed, as a build in one process has them:
    the next build, which renders every announcement again, asks Babel for none, and its
    output is a full build's."""
    from kotacerdas.model import i18n
    from kotacerdas.render import renderer

    site = _site(tmp_path)
    depok = site.root / "content/regions/kota-depok.yaml"
    depok.write_text(depok.read_text().replace(  # a date only its page shows
        "sources: [https://example.org/depok]",
        "sources: [{url: https://example.org/depok, publisher: Pemkot, date: 2011-11-11}]"))
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, tmp_path / "alone", tmp_path / "alone-cache")
    with monkeypatch.context() as patch:
        patch.setattr(renderer, "map_indexed", _each_in_a_forked_child)
        _build(site.root, out, store)

    def formats(folder: Path) -> dict[str, object]:
        return cache.read_store(folder / cache.FORMATS_FILE, cache.code_digest()).items

    assert formats(store) == formats(tmp_path / "alone-cache")
    assert "id\x00d\x00d MMMM y\x002011-11-11" in formats(store)
    for news in _originals(site):
        news.write_text(news.read_text() + "\nKalimat baru.\n")
    with monkeypatch.context() as patch:
        asked: list[object] = []
        patch.setattr(i18n, "_babel", lambda: asked.append(1) or pytest.fail("Babel was asked"))
        for module_cache in (i18n._date, i18n._number, i18n._locale):
            module_cache.cache_clear()
        _build(site.root, out, store)
        assert asked == []
    _assert_same_as_full_build(site, out, tmp_path)


def _forged(store: Path, code: bytes) -> str:
    """The stored templates' text with announcement.html's entry holding ``code`` instead."""
    import base64

    text = json.loads(_templates_file(store).read_text().split(" ", 1)[1])
    for entry in text["templates"].values():
        if entry[0].endswith("/announcement.html"):
            entry[2] = base64.b64encode(code).decode()
    return json.dumps(text, separators=(",", ":"))


def _planted_code() -> bytes:
    """The code of a template that writes SCRIPT, as Jinja2 would compile it for announcement.html."""
    import marshal

    import jinja2

    return marshal.dumps(jinja2.Environment().compile(SCRIPT, "announcement.html", "x.html"))


@pytest.mark.parametrize("spoil", ["flipped byte", "truncated", "unsigned", "another key",
                                   "other code", "other version"])
def test_a_tampered_or_foreign_templates_file_is_a_miss(tmp_path: Path, monkeypatch, spoil: str,
                                                        compiles: list[str]) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    path = _templates_file(store)
    name, data = path.name, path.read_bytes()
    forged = _forged(store, _planted_code())
    if spoil == "flipped byte":
        path.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    elif spoil == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif spoil == "unsigned":
        path.write_text(forged)
    elif spoil == "another key":
        path.write_text(_signed_with_another_key(monkeypatch, tmp_path, name, forged))
    elif spoil == "other code":  # what another version of the generator signed
        path.write_text(cache.Seal(name, "another generator").sign(forged))
    else:  # a file another Jinja2 or Python wrote is never read, and goes
        path.rename(store / "templates-jinja2-0.0-cpython-3.0.0.json")
    compiles.clear()
    _edit_news(site)
    _build(site.root, out, store)
    assert "announcement.html" in compiles
    assert not any(SCRIPT in page.decode() for page in tree(out).values())
    _assert_same_as_full_build(site, out, tmp_path)
    assert [p.name for p in store.glob("templates-*")] == [name]
    assert SCRIPT.encode() not in path.read_bytes()


def test_the_signature_is_what_keeps_planted_code_out(tmp_path: Path, compiles: list[str]) -> None:
    """The control of the test above: the same planted entry, signed with this user's key (as
    only this user's own builds can), would be run. So nothing but the signature stops it."""
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    path = _templates_file(store)
    path.write_text(cache.Seal(path.name, cache.code_digest()).sign(
        _forged(store, _planted_code())))
    compiles.clear()
    _edit_news(site)
    _build(site.root, out, store)
    assert "announcement.html" not in compiles
    assert any(SCRIPT in page.decode() for page in tree(out).values())


def test_no_cache_builds_keep_no_templates(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out"
    _build(site.root, out, None)
    assert not list(tmp_path.rglob("templates-*.json"))


# --- the stores: signed blocks, read whole --------------------------------------------------------

STORE_ENTRIES = {"html": "<p>Teks \u00e9 \ud800 \n baru.</p>", "empty": "",
                 "data": [1, {"d": "2021-01-01"}, "x\ny"], "digest": "abc",
                 "record": Texts([{"s": 0}, 2], ("Isi \u2014 \U0001f642 \ud800\n" * 3, "", "\u00e9"))}


def _saved(tmp_path: Path, entries: dict, name: str = cache.MARKDOWN_FILE) -> Path:
    """A store holding ``entries``, written by Store.save as a build writes it."""
    path = tmp_path / "stores" / name
    path.parent.mkdir(exist_ok=True)
    cache.read_store(path, cache.code_digest()).save(entries)
    return path


def test_a_store_reads_back_exactly_what_was_saved(tmp_path: Path, monkeypatch) -> None:
    """Texts (kept raw after a block's JSON) and JSON values come back equal, over several
    blocks and appends, the later entry of a key winning."""
    monkeypatch.setattr(cache, "_BLOCK_SIZE", 10)  # a block per entry or two
    path = _saved(tmp_path, STORE_ENTRIES)
    store = cache.read_store(path, cache.code_digest())
    assert store.items == STORE_ENTRIES and store.lines == len(STORE_ENTRIES)
    store.save({**STORE_ENTRIES, "more": "text"})
    again = cache.read_store(path, cache.code_digest())
    assert again.items == {**STORE_ENTRIES, "more": "text"} and again.lines == len(STORE_ENTRIES) + 1
    with open(path, "ab") as f:
        f.write(_block(cache.MARKDOWN_FILE, {"more": "newer"}))
    assert cache.read_store(path, cache.code_digest()).items["more"] == "newer"


def test_a_store_keeps_texts_as_raw_utf8_and_reads_each_by_its_bytes(tmp_path: Path) -> None:
    """A text value and the texts of a ``Texts`` value are written as their own UTF-8 after the
    block's JSON (never as JSON strings, which read several times slower), each found again by
    its byte span; a span that is not one (outside the block, or cutting a character) loses
    only its entry."""
    path = _saved(tmp_path, STORE_ENTRIES)
    data = path.read_bytes()
    for text in (STORE_ENTRIES["html"], *STORE_ENTRIES["record"].texts):
        assert text.encode("utf-8", "surrogatepass") in data
    assert compact_json(STORE_ENTRIES["record"].texts[0]).encode("utf-8", "surrogatepass") \
        not in data
    seal = cache.Seal(cache.MARKDOWN_FILE, cache.code_digest())
    raw = "\u00e9t\u00e9".encode()
    with open(path, "ab") as f:
        f.write(cache._block(seal, [compact_json(e) for e in (
            ["outside", 0, len(raw) + 1], ["cut", 1, 3], ["kept", 0, 2],
            ["spans", [1], [0, 9]], ["whole", [1], [0, len(raw)]])], [raw]))
    items = cache.read_store(path, cache.code_digest()).items
    assert {k: items[k] for k in ("kept", "whole")} == {"kept": "\u00e9", "whole": Texts([1], ("\u00e9t\u00e9",))}
    assert not {"outside", "cut", "spans"} & set(items)
    assert {k: items[k] for k in STORE_ENTRIES} == STORE_ENTRIES


@pytest.mark.parametrize("where", [0, 40, 60, -5])
def test_a_tampered_block_is_a_miss(tmp_path: Path, where: int) -> None:
    """One byte changed anywhere in a block (its signature, sizes, JSON or raw text) loses that
    block, never more than the blocks it spoils, and the store is then rewritten on save."""
    path = _saved(tmp_path, STORE_ENTRIES)
    later = _block(cache.MARKDOWN_FILE, {"later": "<p>x</p>"})
    with open(path, "ab") as f:
        f.write(later)
    data = path.read_bytes()
    first, end = data.index(b"\n") + 1, len(data) - len(later)  # the first block's bounds
    at = first + where if where >= 0 else end + where
    assert first <= at < end
    path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    store = cache.read_store(path, cache.code_digest())
    assert all(store.items.get(k) == v for k, v in STORE_ENTRIES.items() if k in store.items)
    assert set(store.items) <= {"later"} and store.lines == 0
    store.save({"later": "<p>x</p>"})
    assert cache.read_store(path, cache.code_digest()).lines == 1


@pytest.mark.parametrize("cut", [1, 10, 33, 50])
def test_a_truncated_store_keeps_only_its_whole_blocks(tmp_path: Path, cut: int) -> None:
    path = _saved(tmp_path, STORE_ENTRIES)
    whole = path.read_bytes()
    with open(path, "ab") as f:
        f.write(_block(cache.MARKDOWN_FILE, {"later": "<p>x</p>"})[:-cut])
    store = cache.read_store(path, cache.code_digest())
    assert store.items == STORE_ENTRIES and store.lines == 0  # rewritten, never appended to
    store.save(STORE_ENTRIES)
    assert path.read_bytes() == whole


@pytest.mark.parametrize("head", [b"%s 5 99999999999999999\n", b"%s -3 4\n", b"%s 4 -3\n",
                                  b"%s 1 2 3\n", b"%s 12", b"%s x 1\n",
                                  b"%s " + b"1" * 90 + b" 1\n"])
def test_a_block_head_that_is_not_one_ends_the_store(tmp_path: Path, head: bytes) -> None:
    """A block whose head claims more bytes than the file holds, negative sizes, another
    shape, or no end of line (a torn append), read block by block: the whole blocks before it
    are kept, nothing after it is read (never a read of what the head claims), and the store
    is rewritten on save."""
    path = _saved(tmp_path, STORE_ENTRIES)
    whole = path.read_bytes()
    with open(path, "ab") as f:
        f.write(head.replace(b"%s", b"0" * 32) + b"[]"
                + _block(cache.MARKDOWN_FILE, {"later": "x"}))
    store = cache.read_store(path, cache.code_digest())
    assert store.items == STORE_ENTRIES and store.lines == 0
    store.save(STORE_ENTRIES)
    assert path.read_bytes() == whole


def test_a_store_keeps_each_blocks_texts_apart(tmp_path: Path, monkeypatch) -> None:
    """Read a block at a time, the texts of every block stay their own: a text value kept as
    bytes (a ``Span``) of an early block is still its text after the later blocks were read,
    and decoding, saving and reading it again gives the same."""
    monkeypatch.setattr(cache, "_BLOCK_SIZE", 50)
    entries = {f"k{i:03}": f"<p>teks {i} \u00e9 {'x' * (i % 7)}</p>" for i in range(200)}
    path = _saved(tmp_path, entries)
    store = cache.read_store(path, cache.code_digest())
    assert sum(1 for line in path.read_bytes().split(b"\n") if line[:1] == b"[") > 20
    assert all(type(v) is lazytext.Span for v in store.items.values())
    assert {k: lazytext.text_of(v) for k, v in store.items.items()} == entries
    store.save({**store.items, "new": "baru"})
    store.lines = 0  # a rewrite from the Spans
    store.save(store.items)
    again = cache.read_store(path, cache.code_digest()).items
    assert {k: lazytext.text_of(v) for k, v in again.items()} == entries


@pytest.mark.parametrize("foreign", ["another key", "another store", "another code", "unsigned"])
def test_a_block_not_signed_for_this_store_is_a_miss(tmp_path: Path, monkeypatch,
                                                      foreign: str) -> None:
    """Blocks signed with another key, for another store or by other code, or not at all."""
    path = _saved(tmp_path, STORE_ENTRIES)
    planted = {"html": SCRIPT}
    block = {"another key": lambda: _block_of_another_key(monkeypatch, tmp_path,
                                                          cache.MARKDOWN_FILE, planted),
             "another store": lambda: _block(cache.PARSED_FILE, planted),
             "another code": lambda: _block(cache.MARKDOWN_FILE, planted,
                                            cache.Seal(cache.MARKDOWN_FILE, "another code")),
             "unsigned": lambda: _unsigned(_block(cache.MARKDOWN_FILE, planted))}[foreign]()
    with open(path, "ab") as f:
        f.write(block)
    assert cache.read_store(path, cache.code_digest()).items == STORE_ENTRIES
    with open(path, "ab") as f:  # the control: the same block signed as the store's own
        f.write(_block(cache.MARKDOWN_FILE, planted))
    assert cache.read_store(path, cache.code_digest()).items["html"] == SCRIPT


def test_a_store_of_another_layout_or_code_is_empty(tmp_path: Path) -> None:
    path = _saved(tmp_path, STORE_ENTRIES)
    data = path.read_bytes()
    head, rest = data.split(b"\n", 1)
    for other in ({"version": cache.VERSION, "code": cache.code_digest()},  # lines of version 3
                  {**json.loads(head), "code": "another code"}):
        path.write_bytes(json.dumps(other).encode() + b"\n" + rest)
        assert cache.read_store(path, cache.code_digest()).items == {}
