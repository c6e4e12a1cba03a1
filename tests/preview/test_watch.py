"""The preview's watcher: file-system events, coalesced into one call per save on the latest
state, and the ways editors really write files (atomic rename, truncate then write, scratch files)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tornado.ioloop import IOLoop

from conftest import FixtureSite
from kotacerdas.preview.watch import Coalescer, relevant
from test_serve import NEWS, PAGE, _get, _on_a_loop_of_its_own, _serving, _status, _wait


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
