"""The preview's watcher: file-system events, coalesced into rebuilds on the latest state, and
the ways editors really write files (atomic rename, truncate then write, scratch files)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path
from typing import Callable

from tornado.ioloop import IOLoop

from conftest import FixtureSite, tree
from kotacerdas.build.pipeline import build
from kotacerdas.core.locations import is_scratch
from kotacerdas.preview.incremental import Builder
from kotacerdas.preview.serve import (Coalescer, IdleCollector, Passes, PreviewApp, relevant,
                                      reload_target)
from test_serve import _get, _serving, _status, _wait

NEWS = "content/news/2018-05-08-tahap-dua.md"
PAGE = "/kota-cerdas/berita/tahap-dua/"


def test_editor_scratch_files_are_not_saves() -> None:
    for name in (".tahap-dua.md.swp", ".tahap-dua.md.swx", ".#tahap-dua.md", "#tahap-dua.md#", "4913",
                 ".gitkeep", ".DS_Store", "tahap-dua.md~"):
        assert is_scratch(name), name
    for name in ("2018-05-08-tahap-dua.md", "kota-bandung.yaml", "#", "base.html",
                 "site_config.yaml"):
        assert not is_scratch(name), name


def test_only_the_watched_files_count(tmp_path: Path) -> None:
    content, config = tmp_path / "content", tmp_path / "site_config.yaml"
    content.mkdir()
    config.write_text("x")
    roots = (content, config)
    assert relevant(str(content / "news/x.md"), roots)
    assert relevant(str(config), roots)
    assert relevant(str(content), roots)  # the folder itself moved or removed
    assert not relevant(str(tmp_path / "output/index.html"), roots)
    assert not relevant(str(tmp_path / "site_config.yaml.swp"), roots)
    assert not relevant(str(content / "news/.x.md.swp"), roots)
    assert not relevant(str(content / "news/x.md~"), roots)
    assert not relevant(str(content / ".hidden/x.md"), roots)  # the build never reads it


def test_a_reload_names_the_file_only_when_livereload_js_may_patch_the_page() -> None:
    assert reload_target(frozenset({"/s/templates/assets/style.css"}), True) == "/s/templates/assets/style.css"
    # A failed build (or a recovered one) must reload the page, to show or remove the overlay.
    assert reload_target(frozenset({"/s/templates/assets/style.css"}), False) == "*"
    assert reload_target(frozenset({"/s/a.md", "/s/b.md"}), True) == "*"


def _on_a_loop_of_its_own(setup: Callable[[IOLoop], None]) -> None:
    """Run a fresh event loop in a thread until it stops (the browser tests' Playwright may hold
    this thread's asyncio loop)."""
    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        loop = IOLoop.current()
        setup(loop)
        loop.start()
        loop.close()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the event loop never stopped"


def test_a_burst_is_one_call_and_a_change_during_a_call_is_another() -> None:
    calls: list[frozenset[str]] = []

    def setup(loop: IOLoop) -> None:
        def flush(paths: frozenset[str]) -> None:
            calls.append(paths)
            if len(calls) == 1:  # a save while the rebuild runs: it must get a rebuild of its own
                loop.add_callback(coalescer.add, ["c"])
            else:
                loop.call_later(0.2, loop.stop)

        coalescer = Coalescer(loop, flush, quiet=0.05, longest=1)
        for delay, path in ((0, "a"), (0.01, "b"), (0.02, "a")):
            loop.call_later(delay, coalescer.add, [path])

    _on_a_loop_of_its_own(setup)
    assert calls == [frozenset({"a", "b"}), frozenset({"c"})]


def test_a_stream_of_events_does_not_hold_a_rebuild_back() -> None:
    calls: list[float] = []
    start: list[float] = []

    def setup(loop: IOLoop) -> None:
        coalescer = Coalescer(loop, lambda paths: calls.append(loop.time()), quiet=0.05, longest=0.2)
        start.append(loop.time())
        for i in range(40):  # an event every 20 ms for 0.8 s: never quiet for 50 ms
            loop.call_later(i * 0.02, coalescer.add, ["a"])
        loop.call_later(1.2, loop.stop)

    _on_a_loop_of_its_own(setup)
    assert len(calls) >= 3 and calls[0] - start[0] < 0.5  # without the cap: 0.83 s


def test_cycles_are_collected_once_the_preview_is_idle() -> None:
    """Rebuilds 50 ms apart: no collection while they come (the tabs are reloading), one once
    they stop for the idle time; a stream that never stops is still collected every few."""
    collected: list[float] = []
    start: list[float] = []

    def setup(loop: IOLoop) -> None:
        idle = IdleCollector(loop, lambda: collected.append(loop.time() - start[0]), idle=0.3, most=4)
        start.append(loop.time())
        for i in range(3):  # a burst: collected once, 0.3 s after its last rebuild
            loop.call_later(i * 0.05, idle.rebuilt)
        for i in range(10):  # later a stream that never pauses for 0.3 s: every 4th rebuild
            loop.call_later(1 + i * 0.05, idle.rebuilt)
        loop.call_later(2.5, loop.stop)

    _on_a_loop_of_its_own(setup)
    assert len(collected) == 4, collected
    assert 0.38 <= collected[0] < 0.9  # after the third rebuild (0.1 s) and 0.3 s of quiet
    assert 1.1 <= collected[1] < collected[2] < 1.5  # the 4th and 8th rebuild of the stream
    assert collected[3] >= 1.45 + 0.3  # the last two rebuilds, once quiet


def test_a_save_builds_the_tabs_pages_first_and_the_rest_a_moment_later(
        site: FixtureSite, tmp_path: Path) -> None:
    """A tab shows an announcement: a save makes its page (and only that) at once, the rest of
    the site once the rest delay has passed; a save before then starts over. With a tab whose
    page is unknown, the whole site is built at once. Each time the output ends equal to a full
    build."""
    app = PreviewApp(Builder(site.root, tmp_path / "live", base_url="http://127.0.0.1:8000/kota-cerdas/"))
    assert app.rebuild()
    page, listing = "berita/tahap-dua/index.html", "berita/index.html"
    news = site.root / NEWS
    seen: list[tuple[str, int, bool]] = []
    tabs: list[str | None] = [PAGE]

    def look(label: str) -> None:
        last = app.builder.last
        assert last is not None and last.ok
        seen.append((label, last.waiting, app.changed.get(listing, 0) == app.generation))

    def setup(loop: IOLoop) -> None:
        passes = Passes(loop, app, IdleCollector(loop, lambda: None), rest=0.3, pages=lambda: tabs)

        def save(text: str, unknown: bool = False) -> None:
            news.write_text(news.read_text().replace("title: ", f"title: {text} ", 1))
            tabs[:] = [PAGE, None] if unknown else [PAGE]
            passes.saved(frozenset({str(news)}))
            look(text)
        steps: list[tuple[float, Callable[[], object]]] = [
            (0, lambda: save("Satu")),
            (0.05, lambda: look("before the rest")),  # the rest is due 0.3 s after a save's build
            (0.6, lambda: (look("after the rest"), save("Dua"))),
            (0.1, lambda: save("Tiga")),  # before Dua's rest: Dua's rest never runs
            (0.05, lambda: look("Tiga's rest not yet")),
            (0.6, lambda: (look("after Tiga's rest"), save("Empat", unknown=True), loop.stop())),
        ]

        def run(i: int) -> None:
            """Each step a delay after the one before ended: the order of the loop's timers
            decides what runs first, not the machine's speed."""
            steps[i][1]()
            if i + 1 < len(steps):
                loop.call_later(steps[i + 1][0], run, i + 1)
        loop.call_later(0, run, 0)

    _on_a_loop_of_its_own(setup)
    waiting = {label: n for label, n, _ in seen}
    listed = {label: fresh for label, _, fresh in seen}
    assert waiting["Satu"] > 0 and waiting["before the rest"] > 0 and not listed["Satu"]
    assert waiting["after the rest"] == 0 and listed["after the rest"]
    assert waiting["Tiga"] > 0 and waiting["Tiga's rest not yet"] > 0
    assert waiting["after Tiga's rest"] == 0 and listed["after Tiga's rest"]
    assert waiting["Empat"] == 0 and listed["Empat"]  # an unknown tab: all at once
    shown = tree(tmp_path / "live")
    assert b"Empat Tiga Dua Satu" in shown[page] and b"Empat Tiga Dua Satu" in shown[listing]
    full = tmp_path / "full"
    build(site.root, full, base_url="http://127.0.0.1:8000/kota-cerdas/")
    assert shown == tree(full)


def _title(server: str) -> str:
    return _get(server + PAGE)[1].split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_the_ways_editors_save(site: FixtureSite) -> None:
    """Each editor's way of writing a file ends in a rebuild on what it wrote."""
    path = site.root / NEWS
    good = path.read_text()

    def titled(title: str) -> str:
        return good.replace('title: "Tahap dua"', f'title: "{title}"')

    with _serving(site) as (proc, server):
        # An atomic save (gedit, VS Code, many tools): a temporary file renamed onto the file.
        temporary = path.with_name(".goutputstream-ABC123")
        temporary.write_text(titled("Atomik"))
        os.replace(temporary, path)
        _wait(lambda: _title(server) == "Atomik", "the renamed file's title")
        # Truncate, then write in pieces (nano, a plain open(..., "w")), with a pause between.
        with path.open("w") as f:
            f.flush()
            time.sleep(0.3)
            f.write(titled("Dipotong")[:40])
            f.flush()
            time.sleep(0.05)
            f.write(titled("Dipotong")[40:])
        _wait(lambda: _title(server) == "Dipotong" and _status(server)["ok"], "the rewritten file")
        # vim: probe with 4913, move the original to a backup, write anew, drop the backup; its
        # swap file changes all the while.
        swap = path.with_name(f".{path.name}.swp")
        swap.write_bytes(b"b0VIM")
        probe = path.with_name("4913")
        probe.write_text("")
        probe.unlink()
        backup = path.with_name(path.name + "~")
        os.replace(path, backup)
        path.write_text(titled("Vim"))
        backup.unlink()
        _wait(lambda: _title(server) == "Vim" and _status(server)["ok"], "vim's save")
        # emacs: an auto-save file beside the file; then the save itself.
        autosave = path.with_name(f"#{path.name}#")
        autosave.write_text(titled("Belum"))
        generation = _status(server)["generation"]
        time.sleep(0.5)
        swap.write_bytes(b"b0VIM 2")  # scratch files alone are no save
        time.sleep(0.5)
        assert _status(server)["generation"] == generation and _title(server) == "Vim"
        autosave.unlink()
        path.write_text(titled("Emacs"))
        _wait(lambda: _title(server) == "Emacs" and _status(server)["ok"], "emacs's save")
        swap.unlink()
        # A file moved in from outside the watched folders (a checkout, a download).
        folder = site.root / "incoming"
        folder.mkdir()
        (folder / "2020-02-02-baru.md").write_text("---\ntitle: Baru\ndate: 2020-02-02\nsummary: S\n---\nx\n")
        for child in folder.iterdir():
            os.replace(child, site.root / "content/news" / child.name)
        _wait(lambda: _get(server + "/kota-cerdas/berita/baru/")[0] == 200, "the moved-in announcement")
    log = proc.stdout.read()
    assert log.count("rebuilt:") <= 12, log  # no rebuild loop: reading files triggers nothing
