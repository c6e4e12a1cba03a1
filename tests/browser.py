"""Real-browser helpers: serve a built site under its base path, drive Debian's headless Chromium.

``serve(output, "/kota-cerdas/")`` starts a static server on 127.0.0.1 (a free port) that behaves like
GitHub Pages: pretty URLs, index.html, and 404.html with status 404 for anything missing.
``launch_chromium()`` starts /usr/bin/chromium through Playwright (never a downloaded browser). When
Chromium or Playwright is missing, tests skip locally with how to install it, and fail under CI.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``root`` under ``base_path`` only; 404.html for the rest, like GitHub Pages."""

    base_path = "/"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        pass

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.base_path):
            return str(Path(self.directory) / "\0missing")
        return super().translate_path("/" + clean[len(self.base_path):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


@contextlib.contextmanager
def serve(output: Path, base_path: str = "/") -> Iterator[str]:
    """Serve ``output`` at http://127.0.0.1:PORT{base_path}; yields that URL."""
    handler = type("Handler", (_Handler,), {"base_path": base_path})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    finally:
        server.shutdown()
        server.server_close()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser checks must run in CI: {reason}")
    pytest.skip(f"{reason}; install it with `apt-get install chromium` and "
                "`pip install -r requirements-test.txt`")


@contextlib.contextmanager
def launch_chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright; skipped (or failed in CI) when missing."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
