"""The live preview, for real: start the server, fetch pages, edit files, break and fix them in a browser;
and the rebuilds after a save (the tabs' pages first, the rest a moment later) on an event loop."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import quote

import pytest
from tornado.ioloop import IOLoop

from conftest import REPO, FixtureSite, tree
from kotacerdas.build.pipeline import build
from kotacerdas.preview.incremental import Builder
from kotacerdas.preview.serve import IdleCollector, Passes, PreviewApp, loaded, reload_target


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


@contextmanager
def _serving(site: FixtureSite) -> Iterator[tuple[subprocess.Popen, str]]:
    """`python build.py serve` on a fixture site: the process and the server's root URL."""
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
        yield proc, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def server(site: FixtureSite) -> Iterator[str]:
    """`python build.py serve` on a fixture site; yields the server's root URL."""
    with _serving(site) as (_, root):
        yield root


def _status(root: str, page: str | None = None, since: int | None = None) -> dict:
    query = "" if page is None else f"?page={quote(page, safe='')}&since={since}"
    return json.loads(_get(root + "/__kotacerdas/status.json" + query)[1])


def test_serves_under_the_production_path_and_rebuilds(site: FixtureSite, server: str) -> None:
    code, html = _get(server + "/kota-cerdas/berita/tahap-dua/")
    assert code == 200 and "<h1>Tahap dua</h1>" in html
    assert re.search(r'<script src="/__kotacerdas/preview\.js\?v=[0-9a-f]{10}" defer></script></head>',
                     html)
    assert f'<meta name="kc-preview-generation" content="{_status(server)["generation"]}">' in html
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


def _cache_control(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.headers["Cache-Control"]


def test_a_reload_fetches_only_the_page(site: FixtureSite, server: str) -> None:
    """Files whose URL names their content (?v=, the theme's and the preview's own) are kept by
    the browser, so a reload after a save asks for the page alone; a URL whose version is not
    the file's content (an edited stylesheet, a guessed version) is never kept. The site's own
    templates/ is made and removed while the preview runs: both are seen."""
    page = server + "/kota-cerdas/berita/tahap-dua/"
    html = _get(page)[1]
    assert _cache_control(page) == "no-store"
    style = re.search(r'href="(/kota-cerdas/assets/style\.css\?v=[0-9a-f]{10})"', html).group(1)
    script = re.search(r'src="(/__kotacerdas/preview\.js\?v=[0-9a-f]{10})"', html).group(1)
    for url in (style, script):
        assert _cache_control(server + url) == "public, max-age=31536000, immutable"
        assert _cache_control(server + url.split("?")[0]) == "no-store"
        assert _cache_control(server + url.split("?")[0] + "?v=0123456789") == "no-store"
    site.write("templates/assets/style.css", "body { color: #111; }\n")  # the site's own theme file
    _wait(lambda: style not in _get(page)[1], "the page to name the new stylesheet")
    assert _cache_control(server + style) == "no-store"  # the old URL no longer names this file
    new = re.search(r'href="(/kota-cerdas/assets/style\.css\?v=[0-9a-f]{10})"', _get(page)[1]).group(1)
    assert _cache_control(server + new) == "public, max-age=31536000, immutable"
    assert _get(server + new)[1] == "body { color: #111; }\n"
    shutil.rmtree(site.root / "templates")  # the site's templates/, made and removed while serving
    _wait(lambda: style in _get(page)[1], "the built-in stylesheet again")
    assert _cache_control(server + style) == "public, max-age=31536000, immutable"


def test_only_tabs_whose_page_a_build_changed_are_stale(site: FixtureSite, server: str) -> None:
    """What a tab asks when it connects, and what decides which tabs a save reloads: whether a
    build since the one it was served wrote or removed its page, or changed the overlay."""
    first = _status(server)["generation"]

    def stale(page: str, since: int = first) -> bool:
        return _status(server, page, since)["stale"]

    def rebuilt(since: int) -> int:
        _wait(lambda: _status(server)["generation"] > since, "the rebuild")
        return _status(server)["generation"]

    one, other = "/kota-cerdas/berita/tahap-dua/", "/kota-cerdas/berita/tahap-tiga/"
    new = "/kota-cerdas/berita/baru/"
    assert not any(stale(p) for p in (one, other, new, "/kota-cerdas/"))
    path = site.root / "content/news/2019-05-15-tahap-tiga.md"
    path.write_text(path.read_text() + "\nKalimat baru di tubuh berita.\n")
    second = rebuilt(first)
    assert stale(other) and stale("/kota-cerdas/berita/tahap-tiga/index.html")
    assert not stale(one) and not stale(new) and not stale("/kota-cerdas/tentang/")
    assert not stale(other, second), "a tab served after the build is up to date"
    site.write("content/news/2020-02-02-baru.md", "---\ntitle: Baru\ndate: 2020-02-02\nsummary: S\n---\nx\n")
    third = rebuilt(second)
    assert stale(new, second) and not stale(one, second)  # it showed the 404 page until now
    site.remove("content/news/2020-02-02-baru.md")
    rebuilt(third)
    assert stale(new, third), "a removed page is stale too"
    site.write("site_config.yaml", "title: [\n")  # a broken build: every tab shows the overlay
    _wait(lambda: not _status(server)["ok"], "the failed build")
    assert stale(one, _status(server)["generation"] - 1) and stale("/kota-cerdas/tentang/", third)


def test_a_tab_depends_on_its_page_and_what_the_page_loads(site: FixtureSite,
                                                            tmp_path) -> None:
    """The search page shows what its script fetches (cari/indeks.json): a tab showing it is
    stale when the index changes though the page's HTML did not, and the preview builds the
    index first for it. Links (href) and other sites' addresses are not what a page loads."""
    page = (b'<a href="/kota-cerdas/tentang/">x</a><img src="/kota-cerdas/gambar/peta%20baru.svg?v=1">'
            b'<div data-index="/kota-cerdas/cari/indeks.json#top" data-x=\'/elsewhere/a.json\'>'
            b'<script src="https://cdn.example/x.js"></script><img SRC="/kota-cerdas/a.png?x=1&amp;y=2">')
    assert loaded(page, "/kota-cerdas/") == ["/kota-cerdas/a.png", "/kota-cerdas/cari/indeks.json",
                                              "/kota-cerdas/gambar/peta baru.svg"]
    app = PreviewApp(Builder(site.root, tmp_path / "live",
                             base_url="http://127.0.0.1:8000/kota-cerdas/"))
    assert app.rebuild()
    search = "/kota-cerdas/cari/"
    assert app.shown(search) >= {"cari/index.html", "cari/indeks.json"}
    assert "cari/indeks.json" not in app.shown("/kota-cerdas/berita/tahap-dua/")
    assert app.shown("/kota-cerdas/berita/belum-ada/") >= {"404.html"}
    assert app.shown("/lain/") is None and app.first(["/kota-cerdas/", None]) is None
    since = app.generation
    app.changed["cari/indeks.json"] = since + 1  # what a build that changed only the index records
    assert app.stale(search, since) and not app.stale("/kota-cerdas/tentang/", since)
    assert app.status()["waiting"] == 0
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    path.write_text(path.read_text().replace("title: ", "title: Baru ", 1))
    assert app.rebuild(app.first(["/kota-cerdas/berita/tahap-dua/"]))
    assert app.status()["ok"] and app.status()["waiting"] > 0  # status.json: the rest to come
    assert app.rebuild() and app.status()["waiting"] == 0


def test_a_save_reloads_only_the_tabs_it_changed(site: FixtureSite, server: str, chromium) -> None:
    """Two tabs; a save changes one page: that tab shows it, the other is not reloaded."""
    tabs = {}
    for name in ("tahap-dua", "tahap-tiga"):
        tabs[name] = chromium.new_page()
        tabs[name].goto(f"{server}/kota-cerdas/berita/{name}/")
        tabs[name].wait_for_function("() => window.LiveReload !== undefined", timeout=15000)
        tabs[name].evaluate("() => { window.kcStill = true; }")  # gone if the tab reloads
    time.sleep(1)  # both sockets past their handshake
    path = site.root / "content/news/2019-05-15-tahap-tiga.md"
    path.write_text(path.read_text() + "\nKalimat baru di tubuh berita.\n")
    tabs["tahap-tiga"].wait_for_function(
        "() => document.body.textContent.includes('Kalimat baru di tubuh berita.')", timeout=45000)
    assert tabs["tahap-tiga"].evaluate("() => window.kcStill === undefined")
    time.sleep(1)
    assert tabs["tahap-dua"].evaluate("() => window.kcStill === true"), "an unchanged tab reloaded"
    tahap_dua = site.root / "content/news/2018-05-08-tahap-dua.md"
    tahap_dua.write_text(tahap_dua.read_text().replace('title: "Tahap dua"', 'title: "Dua lagi"'))
    tabs["tahap-dua"].wait_for_function("() => document.querySelector('h1').textContent === 'Dua lagi'",
                                        timeout=45000)
    for page in tabs.values():
        page.close()


def test_a_head_request_gets_the_headers_of_a_get(server: str) -> None:
    """HEAD (curl -I, link checkers) answers with GET's status, type and caching, without the
    body (it was a 500): a page, a missing page, the status and the preview's own script."""
    script = re.search(r'src="(/__kotacerdas/preview\.js\?v=[0-9a-f]{10})"',
                       _get(server + "/kota-cerdas/")[1]).group(1)
    for path in ("/kota-cerdas/berita/tahap-dua/", "/kota-cerdas/tidak-ada/",
                 "/__kotacerdas/status.json", script):
        answers = []
        for method in ("GET", "HEAD"):
            request = urllib.request.Request(server + path, method=method)
            try:
                with urllib.request.urlopen(request, timeout=10) as r:
                    answers.append((r.status, r.headers["Content-Type"], r.headers["Cache-Control"],
                                    r.headers["Content-Length"], r.read()))
            except urllib.error.HTTPError as err:
                answers.append((err.code, err.headers["Content-Type"], err.headers["Cache-Control"],
                                err.headers["Content-Length"], err.read()))
        (code, kind, cache, length, body), head = answers
        assert head[:3] == (code, kind, cache) and head[4] == b"", path
        assert int(length) == len(body) > 0, path  # (livereload's container counts HEAD's as 0)


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
    path = site.root / "content/news/2018-05-08-tahap-dua.md"
    good = path.read_text()
    path.write_text(good.replace('title: "Tahap dua"', 'title: "Judul baru"'))
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Judul baru'", timeout=45000)
    path.write_text(good.replace("date: 2018-05-08", "date: 2018-02-30"))
    overlay = page.locator("#kc-preview-overlay")
    overlay.wait_for(timeout=45000)
    text = overlay.inner_text()
    assert "content/news/2018-05-08-tahap-dua.md:3:" in text
    assert page.locator("h1").inner_text() == "Judul baru"  # the last good build underneath
    path.write_text(good)
    page.wait_for_function("() => !document.getElementById('kc-preview-overlay') && "
                           "document.querySelector('h1').textContent === 'Tahap dua'", timeout=45000)
    page.close()


# --- only its own pages: Host, Origin and malformed addresses (hostile-findings D10) ------------


def _port(root: str) -> int:
    return int(root.rsplit(":", 1)[1])


def _raw(root: str, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One GET with exactly these headers (a browser on a foreign page, or a rebinding attack)."""
    lines = [f"GET {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close"]
    with socket.create_connection(("127.0.0.1", _port(root)), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _handshake(root: str, host: str, origin: str | None, extra: dict[str, str] | None = None
               ) -> tuple[int, socket.socket]:
    """Open ws://…/livereload as a page with this Origin would; the status and the socket."""
    headers = {"Host": host, "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
               "Sec-WebSocket-Version": "13", **({"Origin": origin} if origin else {}), **(extra or {})}
    s = socket.create_connection(("127.0.0.1", _port(root)), timeout=10)
    s.sendall(("GET /livereload HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
               + "\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = s.recv(1)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1]), s


def _send(s: socket.socket, message: dict) -> None:
    data, mask = json.dumps(message).encode(), os.urandom(4)
    assert len(data) < 126
    s.sendall(bytes([0x81, 0x80 | len(data)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def _receive(s: socket.socket) -> dict:
    """One text frame from the server (servers do not mask)."""
    def exactly(n: int) -> bytes:
        out = b""
        while len(out) < n:
            chunk = s.recv(n - len(out))
            assert chunk, "the server closed the WebSocket"
            out += chunk
        return out
    first, size = exactly(2)
    size &= 0x7F
    if size == 126:
        size = int.from_bytes(exactly(2), "big")
    elif size == 127:
        size = int.from_bytes(exactly(8), "big")
    return json.loads(exactly(size))


def test_websocket_handshake_from_a_foreign_origin_is_refused(server: str) -> None:
    own = f"127.0.0.1:{_port(server)}"
    for origin, extra in [("http://evil.example", None), ("null", None),
                          ("http://127.0.0.1.evil.example", None),
                          (f"http://127.0.0.1:{_free_port()}", None),
                          (f"https://{own}.evil.example", None),
                          ("http://evil.example", {"Sec-Fetch-Site": "cross-site"}),
                          ("http://localhost:" + str(_port(server)), {"Sec-Fetch-Site": "same-site"})]:
        status, s = _handshake(server, own, origin, extra)
        s.close()
        assert status == 403, (origin, extra)
    # The preview's own pages still connect; so does a program without Origin (browsers always
    # send one with a WebSocket handshake, so it is no web page).
    for origin in (f"http://{own}", None):
        status, s = _handshake(server, own, origin)
        s.close()
        assert status == 101, origin
    status, s = _handshake(server, f"localhost:{_port(server)}", f"http://localhost:{_port(server)}")
    s.close()
    assert status == 101


def test_reload_reaches_the_preview_and_names_no_folder(site: FixtureSite, server: str) -> None:
    own = f"127.0.0.1:{_port(server)}"
    status, s = _handshake(server, own, f"http://{own}")
    assert status == 101
    with s:
        _send(s, {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
        assert _receive(s)["command"] == "hello"
        _send(s, {"command": "info", "url": f"http://{own}/kota-cerdas/"})
        path = site.root / "content/news/2018-05-08-tahap-dua.md"
        path.write_text(path.read_text().replace('title: "Tahap dua"', 'title: "Tahap dua lagi"'))
        s.settimeout(45)
        message = _receive(s)  # at once: no three-second window, no reload at start
    assert message["command"] == "reload"
    assert message["path"] == "content/news/2018-05-08-tahap-dua.md"
    assert str(site.root) not in json.dumps(message) and "/tmp" not in json.dumps(message)


def test_forcereload_answers_only_the_preview_itself(server: str) -> None:
    own = f"127.0.0.1:{_port(server)}"
    for headers in ({"Origin": "http://evil.example"},
                    {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
                    {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site"},  # an <img src> on a foreign page
                    {"Sec-Fetch-Site": "same-site", "Origin": f"http://localhost:{_port(server)}"},
                    {}):  # an older browser's <img src>: nothing says where it comes from
        status, body = _raw(server, "/forcereload?path=/x.css", {"Host": own, **headers})
        assert status == 403, headers
    for headers in ({"Sec-Fetch-Site": "same-origin"}, {"Origin": f"http://{own}"}):
        assert _raw(server, "/forcereload", {"Host": own, **headers}) == (200, b"ok"), headers


def test_requests_for_another_host_are_refused(server: str) -> None:
    """DNS rebinding: a foreign name pointed at 127.0.0.1 must not read drafts or the status."""
    port = _port(server)
    routes = ("/kota-cerdas/berita/tahap-dua/", "/__kotacerdas/status.json", "/livereload.js",
              "/forcereload", "/kota-cerdas/%00")
    for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}",
                 f"localhost.evil.example:{port}", f"127.0.0.1:{_free_port()}", f"localhost:{port + 1}",
                 "127.0.0.1"):
        for route in routes:
            status, body = _raw(server, route, {"Host": host, "Sec-Fetch-Site": "same-origin"})
            assert status == 421, (host, route)
            assert b"Tahap dua" not in body and b"problems" not in body
        status, s = _handshake(server, host, f"http://{host}")
        s.close()
        assert status == 421, host
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        status, body = _raw(server, "/kota-cerdas/berita/tahap-dua/", {"Host": host})
        assert status == 200 and b"<h1>Tahap dua</h1>" in body, host


def test_malformed_addresses_are_bad_requests(server: str) -> None:
    own = {"Host": f"127.0.0.1:{_port(server)}"}
    for path in ("/kota-cerdas/%00", "/kota-cerdas/berita/%00/", "/%00", "/kota-cerdas/%ff",
                 "/kota-cerdas/%c0%ae%c0%ae/", "/kota-cerdas/%e2%80", "/kota-cerdas/%ed%a0%80",
                 "/kota-cerdas/%zz", "/kota-cerdas/%", "/kota-cerdas/%1b%5b31m", "/kota-cerdas/%0a",
                 "/kota-cerdas/" + "a" * 300, "/kota-cerdas/" + "a/" * 2100, "/__kotacerdas/%00",
                 "/livereload%00"):
        status, body = _raw(server, path, own)
        assert status == 400, path
        assert b"Traceback" not in body
    # Well-formed addresses are answered as before, non-ASCII ones included.
    assert _raw(server, "/kota-cerdas/caf%C3%A9/", own)[0] == 404
    assert _raw(server, "/kota-cerdas/%2e%2e/%2e%2e/etc/passwd", own)[0] == 404
    assert _raw(server, "/kota-cerdas/berita/tahap%2Ddua/", own)[0] == 200
    assert _raw(server, "/kota-cerdas/berita/tahap-dua", own)[0] == 302


def test_terminal_log_shows_hostile_names_escaped(site: FixtureSite) -> None:
    """The preview prints problems and livereload logs saved files: neither may send a terminal
    escape sequence or start a line of its own."""
    with _serving(site) as (proc, root):
        own = f"127.0.0.1:{_port(root)}"
        status, s = _handshake(root, own, f"http://{own}")
        with s:
            _send(s, {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]})
            _send(s, {"command": "info", "url": f"http://{own}/kota-cerdas/\x1b[2J"})
            site.write("content/regions/kota-\x1b[31mmerah\n::error::forged.yaml", "name: x\n")
            _wait(lambda: not _status(root)["ok"], "the failed build")
            assert _raw(root, "/%1b%5b2J", {"Host": own})[0] == 400
    log = proc.stdout.read()
    assert "kota-\\x1b[31mmerah\\n::error::forged.yaml" in log
    assert "\x1b" not in log and not any(line.lstrip().startswith("::") for line in log.splitlines())


# --- the rebuilds after a save, on an event loop of their own -----------------------------------

NEWS = "content/news/2018-05-08-tahap-dua.md"
PAGE = "/kota-cerdas/berita/tahap-dua/"


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
