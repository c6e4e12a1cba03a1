"""The live preview, for real: start the server, fetch pages, edit files, break and fix them in a browser."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from conftest import REPO, FixtureSite


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def _wait(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def server(site: FixtureSite) -> Iterator[str]:
    """`python build.py serve` on a fixture site; yields the server's root URL."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--site", str(site.root),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    root = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return _get(root + "/__kotacerdas/status.json")[0] == 200
        except OSError:
            return False
    try:
        _wait(up, "the preview server to start")
        yield root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _status(root: str) -> dict:
    return json.loads(_get(root + "/__kotacerdas/status.json")[1])


def test_serves_under_the_production_path_and_rebuilds(site: FixtureSite, server: str) -> None:
    code, html = _get(server + "/kota-cerdas/berita/tahap-dua/")
    assert code == 200 and "<h1>Tahap dua</h1>" in html
    assert '<script src="/__kotacerdas/preview.js" defer></script></head>' in html
    assert _get(server + "/kota-cerdas/tidak-ada/")[0] == 404
    assert _get(server + "/berita/tahap-dua/")[0] == 404
    assert not site.output.exists(), "serve must not write into output/"
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace('title: "Tahap dua"', 'title: "Tahap dua diperbarui"'))
    _wait(lambda: "<h1>Tahap dua diperbarui</h1>" in _get(server + "/kota-cerdas/berita/tahap-dua/")[1],
          "the edited title")
    site.write("content/news/2020-02-02-baru.md", "---\ntitle: Baru\ndate: 2020-02-02\nsummary: S\n---\nx\n")
    _wait(lambda: _get(server + "/kota-cerdas/berita/baru/")[0] == 200, "the new announcement")
    (site.root / "content/news/2020-02-02-baru.md").unlink()
    _wait(lambda: _get(server + "/kota-cerdas/berita/baru/")[0] == 404, "the deleted announcement to go")


def test_broken_save_keeps_serving_and_reports(site: FixtureSite, server: str) -> None:
    site.write("site_config.yaml", "title: [\n")
    _wait(lambda: not _status(server)["ok"], "the failed build")
    status = _status(server)
    assert status["served"] and any(p.startswith("site_config.yaml:") for p in status["problems"])
    assert _get(server + "/kota-cerdas/berita/tahap-dua/")[0] == 200
    from conftest import CONFIG
    site.write("site_config.yaml", CONFIG)
    _wait(lambda: _status(server)["ok"], "recovery")


def test_the_whole_loop_in_a_browser(site: FixtureSite, server: str, chromium) -> None:
    """serve, edit, reload, break, overlay, fix, recover — as an editor sees it."""
    page = chromium.new_page()
    page.goto(server + "/kota-cerdas/berita/tahap-dua/")
    assert page.locator("h1").inner_text() == "Tahap dua"
    page.wait_for_function("() => window.LiveReload !== undefined", timeout=15000)
    time.sleep(3.2)  # livereload ignores changes within 3 s of its last reload
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    good = path.read_text()
    path.write_text(good.replace('title: "Tahap dua"', 'title: "Judul baru"'))
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Judul baru'", timeout=45000)
    time.sleep(3.2)
    path.write_text(good.replace("date: 2018-05-08", "date: 2018-02-30"))
    overlay = page.locator("#kc-preview-overlay")
    overlay.wait_for(timeout=45000)
    text = overlay.inner_text()
    assert "content/news/2018-05-08-tahap-dua.md:3:" in text
    assert page.locator("h1").inner_text() == "Judul baru"  # the last good build underneath
    time.sleep(3.2)
    path.write_text(good)
    page.wait_for_function("() => !document.getElementById('kc-preview-overlay') && "
                           "document.querySelector('h1').textContent === 'Tahap dua'", timeout=45000)
    page.close()
