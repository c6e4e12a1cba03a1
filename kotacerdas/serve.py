"""Live preview: ``python build.py serve``, on the livereload package.

The site is built into a private temporary folder and served under the same path as production
(``/kota-cerdas/`` when base_url has one). content/, templates/ and site_config.yaml are watched;
each change triggers an incremental rebuild and a reload of open tabs. A rebuild that fails never
stops the server: the last good build stays served and every page shows an overlay listing each
``path:line: message`` until the next good save. The reload and overlay script is injected into
pages as they are served; nothing of it is ever written into a build.
"""

from __future__ import annotations

import json
import mimetypes
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote

from .incremental import Builder
from .render import BUILTIN_TEMPLATES

PREVIEW_ASSETS = Path(__file__).resolve().parent / "preview"
INJECT = (b'<link rel="stylesheet" href="/__kotacerdas/preview.css">'
          b'<script src="/__kotacerdas/preview.js" defer></script>')


class PreviewApp:
    """WSGI app serving the preview folder under the site's base path, plus the overlay's status."""

    def __init__(self, builder: Builder):
        self.builder = builder
        self.good = False

    def rebuild(self) -> None:
        """Rebuild after a change and say in the terminal what happened."""
        outcome = self.builder.rebuild()
        if outcome.ok:
            self.good = True
            print(f"rebuilt: {outcome.rendered} page(s) rendered, {len(outcome.written)} file(s) "
                  f"written, {len(outcome.removed)} removed", flush=True)
        else:
            print(f"build failed ({len(outcome.problems)} problem(s)); still serving the last good build:",
                  flush=True)
            for problem in outcome.problems:
                print(f"  {problem}", flush=True)

    def status(self) -> dict[str, Any]:
        """What the overlay shows: whether the last rebuild worked and its problems."""
        last = self.builder.last
        return {"ok": bool(last and last.ok), "served": self.good,
                "problems": [str(p) for p in (last.problems if last else ())]}

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        path = unquote(environ.get("PATH_INFO", "/"))
        base = self.builder.last.base_path if self.builder.last else "/"
        if path == "/__kotacerdas/status.json":
            return _respond(start, "200 OK", "application/json", json.dumps(self.status()).encode())
        if path in ("/__kotacerdas/preview.js", "/__kotacerdas/preview.css"):
            file = PREVIEW_ASSETS / path.rsplit("/", 1)[1]
            return _respond(start, "200 OK", mimetypes.guess_type(file.name)[0] or "text/plain",
                            file.read_bytes())
        if not self.good:
            return _respond(start, "503 Service Unavailable", "text/html; charset=utf-8",
                            _waiting_page())
        if not path.startswith(base):
            if path in ("/", "") or base.startswith(path.rstrip("/") + "/"):
                return _redirect(start, base)
            return self._not_found(start)
        rel = path[len(base):]
        target = (self.builder.output / rel).resolve()
        root = self.builder.output.resolve()
        if not target.is_relative_to(root):
            return self._not_found(start)
        if target.is_dir():
            if not path.endswith("/"):
                return _redirect(start, path + "/")
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(start)
        return self._file(start, "200 OK", target)

    def _not_found(self, start: Callable[..., Any]) -> Iterable[bytes]:
        page = self.builder.output / "404.html"
        if page.is_file():
            return self._file(start, "404 Not Found", page)
        return _respond(start, "404 Not Found", "text/plain; charset=utf-8", b"404")

    def _file(self, start: Callable[..., Any], status: str, target: Path) -> Iterable[bytes]:
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = data.replace(b"</head>", INJECT + b"</head>", 1)
            kind += "; charset=utf-8"
        return _respond(start, status, kind, data)


def _respond(start: Callable[..., Any], status: str, kind: str, body: bytes) -> list[bytes]:
    start(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                   ("Cache-Control", "no-store")])
    return [body]


def _redirect(start: Callable[..., Any], location: str) -> list[bytes]:
    start("302 Found", [("Location", location), ("Content-Length", "0")])
    return [b""]


def _waiting_page() -> bytes:
    return (b'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Pratinjau</title>'
            b"</head><body><h1>Pratinjau belum tersedia</h1><p>Build pertama gagal.</p></body></html>")


def watched_paths(site: Path) -> list[Path]:
    """What a change to should trigger a rebuild: content, the site's templates, its config."""
    paths = [site / "content", site / "site_config.yaml"]
    own = site / "templates"
    paths.append(own if own.is_dir() else BUILTIN_TEMPLATES)
    if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES:
        paths.append(BUILTIN_TEMPLATES)
    return paths


def serve(site: Path, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False) -> int:
    """Build, serve and watch until interrupted."""
    from livereload import Server
    from livereload.server import LiveScriptContainer
    from tornado import web

    preview = Path(tempfile.mkdtemp(prefix="kotacerdas-preview-"))
    builder = Builder(site, preview, drafts=drafts)
    app = PreviewApp(builder)
    builder.base_url = _local_base_url(site, host, port)
    app.rebuild()

    class PreviewServer(Server):
        """livereload's server with our own injection (a same-origin script the CSP allows)."""

        def get_web_handlers(self, script: bytes) -> list[Any]:
            return [(r".*", web.FallbackHandler, {"fallback": LiveScriptContainer(app, b"")})]

    def on_change() -> None:
        builder.base_url = _local_base_url(site, host, port)
        app.rebuild()

    server = PreviewServer(app)
    for path in watched_paths(site):
        server.watch(str(path), on_change, delay=None)
    base = builder.last.base_path if builder.last else "/"
    print(f"serving http://{host}:{port}{base} (Ctrl+C to stop)", flush=True)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        shutil.rmtree(preview, ignore_errors=True)
    return 0


def _local_base_url(site: Path, host: str, port: int) -> str:
    """The production base path, on the local host and port (read afresh: the config may change)."""
    from .errors import Problems
    from .load import load_config
    from .urls import Urls

    config = load_config(site / "site_config.yaml", Problems(site))
    path = Urls(config.base_url).base_path if config else "/"
    return f"http://{host}:{port}{path}"
