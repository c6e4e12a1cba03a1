"""Live preview: ``python build.py serve``, on the livereload package.

The site is built into a private temporary folder and served under the same path as production
(``/kota-cerdas/`` when base_url has one). content/, templates/ and site_config.yaml are watched
through file-system events (``watch.py``, not livereload's poll of the tree); a burst of events
becomes one incremental rebuild on the latest state, and every rebuild that changes what a tab
shows reloads the open tabs at once (livereload's three-second "Ignore" window is never consulted).
Each page is served with the build generation it shows; the injected script compares it with the
server's when its livereload socket connects, so a reload sent while a tab was loading is not
lost. A rebuild that fails never stops the server: the last good build stays served and every page
shows an overlay listing each ``path:line: message`` until the next good save. The reload and
overlay script is injected into pages as they are served; nothing of it is ever written into a
build.

The server answers only its own pages. Any web page open in the editor's browser can send it
requests, so every route, the WebSocket included, first passes ``_Guard``: a ``Host`` that is not
this server's (DNS rebinding) is refused with 421, a path no file could have (invalid
percent-encoding, not UTF-8, a control character such as NUL, longer than a file name can be)
with 400. The livereload WebSocket accepts only a handshake from this server's own origin, and
``/forcereload`` only a request a browser marks as same-origin. Reload messages name the saved
file by its path inside the site, never by where it lives on disk.
"""

from __future__ import annotations

import functools
import gc
import ipaddress
import json
import logging
import mimetypes
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Collection, Iterable
from urllib.parse import parse_qs, quote, unquote, unquote_to_bytes, urlsplit

from livereload import Server
from livereload.handlers import ForceReloadHandler, LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptContainer
from livereload.watcher import Watcher
from tornado import escape, httputil, web
from tornado.ioloop import IOLoop

from kotacerdas.preview.incremental import Builder, Outcome
from kotacerdas.preview.watch import EventWatcher
from kotacerdas.core.lines import log_line
from kotacerdas.core import locations
from kotacerdas.render.renderer import asset_version

PREVIEW_ASSETS = Path(__file__).resolve().parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
"""The caching of a file whose URL names its content: a reload then asks only for the page."""


def injection(generation: int) -> bytes:
    """What every served page gets before ``</head>``: the build generation it shows, the
    overlay's stylesheet and the reload script."""
    return b'<meta name="kc-preview-generation" content="%d">' % generation + _own_files()


@functools.cache
def _own_files() -> bytes:
    """The preview's stylesheet and script, each by a URL that names its content."""
    css, js = ((PREVIEW_ASSETS / name).read_bytes() for name in ("preview.css", "preview.js"))
    return (b'<link rel="stylesheet" href="/__kotacerdas/preview.css?v=%s">'
            b'<script src="/__kotacerdas/preview.js?v=%s" defer></script>'
            % (asset_version(css).encode(), asset_version(js).encode()))


def caching(query: str, data: bytes) -> str:
    """Cache-Control for a served file: kept for good when its URL's ``?v=`` is the version of
    these very bytes (render/renderer.asset_version: theme files, the preview's own), so a
    reload after a save fetches the page alone; anything else is fetched again every time."""
    return IMMUTABLE if parse_qs(query).get("v") == [asset_version(data)] else "no-store"


class PreviewApp:
    """WSGI app serving the preview folder under the site's base path, plus the overlay's status."""

    def __init__(self, builder: Builder):
        self.builder = builder
        self.good = False
        self.generation = 0
        """Counts the rebuilds that changed what a tab shows; pages carry the one they show."""
        self.changed: dict[str, int] = {}
        """Each output file a rebuild wrote or removed → the last generation that did."""
        self.overlay_changed = 0
        """The last generation that changed what the overlay shows (every page shows it)."""

    def rebuild(self, first: Collection[str] | None = None) -> bool:
        """Rebuild after a change (``first``: Builder.rebuild), say in the terminal what happened,
        and tell whether what a tab shows changed (files written or removed, or the overlay's
        content)."""
        before = self._shown()
        outcome = self.builder.rebuild(first)
        overlay = self._shown() != before
        changed = bool(outcome.written or outcome.removed) or overlay
        if changed:
            self.generation += 1
            self.changed.update(dict.fromkeys((*outcome.written, *outcome.removed),
                                              self.generation))
            self.overlay_changed = self.generation if overlay else self.overlay_changed
        self._report(outcome)
        return changed

    def stale(self, path: str, since: int) -> bool:
        """Whether a tab showing the address ``path`` (percent-decoded), served at generation
        ``since``, shows less than the latest build: the overlay changed since, or the file that
        served the address, or would serve it now, or a file that page loads (``loaded``), was
        written or removed since (a missing page shows 404.html). Only such tabs are reloaded
        (``reload_tabs``)."""
        if self.overlay_changed > since:
            return True
        shown = self.shown(path)
        return shown is None or any(self.changed.get(name, 0) > since for name in shown)

    def shown(self, path: str) -> set[str] | None:
        """The output files a tab showing the address ``path`` (percent-decoded) depends on: the
        file that serves it and the files that page loads; for a missing page, the names that
        would serve it and 404.html. None when the address is outside the base path (the
        config's base_url changed: the tab must reload)."""
        base = self.builder.base_path
        if not path.startswith(base):
            return None
        rel = path[len(base):]
        found = self._target(rel)
        if found is None:
            return {rel, f"{rel.rstrip('/')}/index.html".lstrip("/"), "404.html"}
        try:
            page = (self.builder.output / found[0]).read_bytes()
        except OSError:
            return {found[0]}
        return {found[0], *(name for address in loaded(page, base)
                            if (name := self._served(address[len(base):])) is not None)}

    def first(self, pages: Iterable[str | None]) -> set[str] | None:
        """What a rebuild should make first for tabs showing ``pages`` (their addresses, None
        where a tab has not said yet): what each shows (``shown``); None (everything) when a tab
        is unknown or outside the base path."""
        files: set[str] = set()
        for page in pages:
            shown = None if page is None else self.shown(page)
            if shown is None:
                return None
            files |= shown
        return files

    def _served(self, rel: str) -> str | None:
        """The output file an address below the base path is served from, if any."""
        found = self._target(rel)
        return None if found is None else found[0]

    def _target(self, rel: str) -> tuple[str, bool] | None:
        """The output file an address below the base path is served from (a folder: its
        index.html), relative to the output, and whether the address named a folder; None when
        there is none, and never one outside the output."""
        try:
            root = self.builder.output.resolve()
            target = (self.builder.output / rel).resolve()
            if not target.is_relative_to(root):
                return None
            folder = target.is_dir()
            target = target / "index.html" if folder else target
            return (target.relative_to(root).as_posix(), folder) if target.is_file() else None
        except OSError:  # a name the file system cannot even look up is no file of the site
            return None

    def _shown(self) -> tuple[bool, bool, tuple[str, ...]]:
        """What the overlay shows, to tell whether a rebuild changed it."""
        status = self.status()
        return status["ok"], status["served"], tuple(status["problems"])

    def _report(self, outcome: Outcome) -> None:
        """One rebuild's result in the terminal."""
        if outcome.ok:
            self.good = True
            rest = "; the rest of the site next" if outcome.waiting else ""
            print(f"rebuilt: {outcome.rendered} page(s) rendered, {len(outcome.written)} file(s) "
                  f"written, {len(outcome.removed)} removed{rest}", flush=True)
        else:
            print(f"build failed ({len(outcome.problems)} problem(s)); still serving the last good "
                  "build:", flush=True)
            for problem in outcome.problems:
                print(log_line(f"  {problem}"), flush=True)

    def page_status(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """status.json: the overlay's status; asked with ``page`` (the tab's address as
        location.pathname gives it) and ``since`` (the generation it was served), also whether
        that tab is ``stale``."""
        status = self.status()
        page, since = query.get("page", [""])[0], query.get("since", [""])[0]
        if page and since.isdigit():
            status["stale"] = self.stale(unquote(page), int(since))
        return status

    def status(self) -> dict[str, Any]:
        """What the overlay shows: whether the last rebuild worked and its problems; and how many
        files it left for the rest of the site's pass (``waiting``: 0 once the site is whole)."""
        last = self.builder.last
        return {"ok": bool(last and last.ok), "served": self.good, "generation": self.generation,
                "problems": [str(p) for p in (last.problems if last else ())],
                "waiting": last.waiting if last else 0}

    def __call__(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        """Answer one request; a HEAD gets the GET's status, type and caching and no body
        (tornado refuses a body there, so a HEAD was a 500: `curl -I`, link checkers)."""
        body = self._answer(environ, start)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else body

    def _answer(self, environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        try:  # PEP 3333: PATH_INFO holds the percent-decoded bytes as latin-1 text
            path = request_path(environ.get("PATH_INFO", "/").encode("latin-1"))
        except ValueError as err:
            return _respond(start, "400 Bad Request", "text/plain; charset=utf-8",
                            str(err).encode())
        base = self.builder.base_path
        query = environ.get("QUERY_STRING", "")
        if path == "/__kotacerdas/status.json":
            return _respond(start, "200 OK", "application/json",
                            json.dumps(self.page_status(parse_qs(query))).encode())
        if path in ("/__kotacerdas/preview.js", "/__kotacerdas/preview.css"):
            own = PREVIEW_ASSETS / path.rsplit("/", 1)[1]
            data = own.read_bytes()
            return _respond(start, "200 OK", mimetypes.guess_type(own.name)[0] or "text/plain",
                            data, caching(query, data))
        if not self.good:
            return _respond(start, "503 Service Unavailable", "text/html; charset=utf-8",
                            _waiting_page().replace(b"</head>",
                                                    injection(self.generation) + b"</head>", 1))
        if not path.startswith(base):
            if path in ("/", "") or base.startswith(path.rstrip("/") + "/"):
                return _redirect(start, base)
            return self._not_found(start)
        rel = path[len(base):]
        found = self._target(rel)
        if found is None:
            return self._not_found(start)
        file, folder = found
        if folder and not path.endswith("/"):
            return _redirect(start, quote(path + "/"))
        return self._file(start, "200 OK", self.builder.output / file, query)

    def _not_found(self, start: Callable[..., Any]) -> Iterable[bytes]:
        page = self.builder.output / "404.html"
        if page.is_file():
            return self._file(start, "404 Not Found", page)
        return _respond(start, "404 Not Found", "text/plain; charset=utf-8", b"404")

    def _file(self, start: Callable[..., Any], status: str, target: Path,
              query: str = "") -> Iterable[bytes]:
        data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = data.replace(b"</head>", injection(self.generation) + b"</head>", 1)
            kind += "; charset=utf-8"
        return _respond(start, status, kind, data, caching(query, data))


LOADS = re.compile(rb"""\s(?:src|data-[a-z][a-z0-9-]*)\s*=\s*["']([^"'#?]+)""", re.I)
"""An attribute whose address the page loads as it shows (a script, an image, the search
index its script fetches), rather than one it links to."""


def loaded(page: bytes, base: str) -> list[str]:
    """The addresses under ``base`` (percent-decoded) that a page loads as it shows: a tab showing
    it is stale when one of them changes (the search page and its index)."""
    found = (unquote(m.group(1).decode("utf-8", "replace").replace("&amp;", "&"))
             for m in LOADS.finditer(page))
    return sorted({address for address in found if address.startswith(base)})


def _respond(start: Callable[..., Any], status: str, kind: str, body: bytes,
             cache: str = "no-store") -> list[bytes]:
    start(status, [("Content-Type", kind), ("Content-Length", str(len(body))),
                   ("Cache-Control", cache)])
    return [body]


def _redirect(start: Callable[..., Any], location: str) -> list[bytes]:
    start("302 Found", [("Location", location), ("Content-Length", "0")])
    return [b""]


def _waiting_page() -> bytes:
    return (b'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>Pratinjau</title>'
            b"</head><body><h1>Pratinjau belum tersedia</h1><p>Build pertama gagal.</p>"
            b"</body></html>")


def serve(site: Path, host: str = "127.0.0.1", port: int = 8000, drafts: bool = False) -> int:
    """Build, serve and watch until interrupted."""
    preview = Path(tempfile.mkdtemp(prefix="kotacerdas-preview-"))
    builder = Builder(site, preview / "site", drafts=drafts,  # the spare tree sits beside it
                      cache_dir=locations.cache_folder(site))  # starts from the last build's
    app = PreviewApp(builder)
    builder.base_url = _local_base_url(site, host, port)
    app.rebuild()

    passes: list[Passes] = []  # made on the server's event loop, by the first change
    gc.disable()  # from now on the idle collector collects (IdleCollector)

    def on_change(saved: frozenset[str]) -> None:
        builder.base_url = _local_base_url(site, host, port)
        if not passes:
            loop = IOLoop.current()
            passes.append(Passes(loop, app, IdleCollector(loop)))
        passes[0].saved(saved)

    watched = locations.watched_paths(site)  # the inputs the cache stamps, no more, no less
    watcher = EventWatcher(watched, on_change)
    server = PreviewServer(app, Guard(host, port), watched, watcher)
    base = builder.base_path
    print(log_line(f"serving http://{host}:{port}{base} (Ctrl+C to stop)"), flush=True)
    for name in _LOGGERS:
        logging.getLogger(name).addFilter(_one_line_record)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        watcher.stop()
        gc.enable()
        shutil.rmtree(preview, ignore_errors=True)
    return 0


REST_SECONDS = 0.25
"""How long after the pages the tabs show the rest of the site is built: time for the reloaded
tabs to fetch their page before a rebuild holds the event loop again."""


class Passes:
    """The rebuilds after saves, on the server's event loop: first only what the open tabs show
    (``PreviewApp.first``), and those tabs reload at once; then, a moment later, the rest of the
    site (the other pages, feeds, downloads), and any tab that showed some of it reloads too.
    A save before the rest is built starts over, so the last save is always built whole."""

    def __init__(self, loop: IOLoop, app: PreviewApp, idle: IdleCollector,
                 rest: float = REST_SECONDS,
                 pages: Callable[[], list[str | None]] | None = None):
        self.loop, self.app, self.idle, self.rest = loop, app, idle, rest
        self.pages = pages or open_pages
        self.pending: set[str] = set()
        """The saved paths since the last rebuild of the whole site."""
        self.timer: object | None = None

    def saved(self, paths: frozenset[str]) -> None:
        """Rebuild after a save: the tabs' pages now, the rest later (or now, when a tab's page
        is not known)."""
        if self.timer is not None:
            self.loop.remove_timeout(self.timer)
            self.timer = None
        self.pending |= paths
        self._pass(self.app.first(self.pages()))

    def _rest(self) -> None:
        self.timer = None
        self._pass(None)

    def _pass(self, first: set[str] | None) -> None:
        """One rebuild (``first``: only those files of the changed ones), its reloads, and the
        rest of the site scheduled if it left any."""
        was_ok = self.app.status()["ok"]
        if self.app.rebuild(first):
            reload_tabs(reload_target(frozenset(self.pending), was_ok and self.app.status()["ok"]),
                        self.app.stale)
        last = self.app.builder.last
        if last is not None and last.waiting:
            self.timer = self.loop.call_later(self.rest, self._rest)
        else:
            self.pending = set()
        self.idle.rebuilt()


def open_pages() -> list[str | None]:
    """The address each open tab shows (None for a tab that has not said yet)."""
    return [waiter.page if isinstance(waiter, _ReloadSocket) else None
            for waiter in list(LiveReloadHandler.waiters)]


def reload_tabs(path: str, stale: Callable[[str, int], bool]) -> None:
    """livereload's reload message (``path``: what it names, ``reload_target``), sent to every
    tab whose page ``stale`` says is out of date, and to every tab whose page is not known yet:
    a tab whose page did not change keeps its place, and costs the machine nothing."""
    message = {"command": "reload", "path": path, "liveCSS": LiveReloadHandler.live_css,
               "liveImg": True}  # as LiveReloadHandler.reload_waiters sends it
    for waiter in list(LiveReloadHandler.waiters):
        if isinstance(waiter, _ReloadSocket) and waiter.page is not None \
                and not stale(waiter.page, waiter.since):
            continue
        try:
            waiter.write_message(message)
        except Exception:  # noqa: BLE001 (a tab gone meanwhile: livereload drops it likewise)
            LiveReloadHandler.waiters.discard(waiter)


def reload_target(saved: frozenset[str], ok_before_and_after: bool) -> str:
    """What the reload message names: the one saved file, so livereload.js can swap a stylesheet
    in place, when the build worked before and after; else '*', reload the page (a failed build
    must show its overlay, a recovered one remove it)."""
    return next(iter(saved)) if len(saved) == 1 and ok_before_and_after else "*"


IDLE_SECONDS = 1.0
"""How long the preview stays idle after a rebuild before it collects what the rebuild left."""
MOST_UNCOLLECTED = 10
"""Saves that keep coming never put the collection off for more rebuilds than this."""


class IdleCollector:
    """Python's cycle collection for the preview, done once it is idle. A rebuild allocates
    hundreds of thousands of objects and frees nearly all by reference counting; automatic
    collections during it, or right after it while the tabs reload, cost up to a sixth of a
    save and free little. What they would free (the last build's template environments) waits
    here for a quiet second instead."""

    def __init__(self, loop: IOLoop, collect: Callable[[], object] = gc.collect,
                 idle: float = IDLE_SECONDS, most: int = MOST_UNCOLLECTED):
        self.loop, self.collect, self.idle, self.most = loop, collect, idle, most
        self.since = 0
        self.timer: object | None = None

    def rebuilt(self) -> None:
        """Note a rebuild (on the loop, after its reload went out): collect once idle, or now if
        rebuilds have put it off too often."""
        if self.timer is not None:
            self.loop.remove_timeout(self.timer)
            self.timer = None
        self.since += 1
        if self.since >= self.most:
            self._run()
        else:
            self.timer = self.loop.call_later(self.idle, self._run)

    def _run(self) -> None:
        self.since, self.timer = 0, None
        self.collect()


# --- the request and handshake layer ----------------------------------------------------------

_PERCENT_ENCODED = re.compile(r"(?:[^%]|%[0-9A-Fa-f]{2})*")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MAX_NAME_BYTES = 255
"""The longest file or folder name Linux, macOS and Windows file systems allow."""
MAX_PATH_BYTES = 4096


def request_path(raw: bytes) -> str:
    """A request path's decoded bytes as text, or ValueError when no file of a site can have it:
    not UTF-8 (overlong forms such as %c0%ae included), a control character such as NUL, or a
    name longer than a file system allows."""
    try:
        path = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the address is not valid UTF-8 text") from None
    if _CONTROL.search(path):
        raise ValueError("the address contains a control character")
    if len(raw) > MAX_PATH_BYTES or any(len(part.encode()) > MAX_NAME_BYTES
                                        for part in path.split("/")):
        raise ValueError("the address is longer than any file name can be")
    return path


class Guard:
    """Who the preview answers: requests addressed to this server, from its own pages."""

    def __init__(self, host: str, port: int):
        self.port = port
        self.names = frozenset({"localhost", _bracketed(host.lower())})

    def own_host(self, value: str | None) -> bool:
        """Whether a ``Host`` header names this server: localhost, the --host given, or an IP
        address, on its port.

        DNS rebinding points a name the attacker owns at 127.0.0.1, so the browser sends that
        name; a page on an IP address can only be one this server served, so any IP address
        is accepted (a preview started with --host 0.0.0.0 is then reachable at the machine's
        address on the local network, as that option asks).
        """
        m = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::([0-9]{1,5}))?", value or "")
        if not m or int(m.group(2) or 80) != self.port:
            return False
        name = m.group(1).lower()
        if name in self.names:
            return True
        try:
            ipaddress.ip_address(name.strip("[]") if name.startswith("[") else name)
        except ValueError:
            return False
        return True

    def refusal(self, request: httputil.HTTPServerRequest) -> tuple[int, str] | None:
        """The status and reason to refuse a request with, before any route sees it."""
        if not self.own_host(request.headers.get("Host")):
            return 421, (f"This preview answers only at http://127.0.0.1:{self.port}/ or "
                         f"http://localhost:{self.port}/; open the address the serve command "
                         "printed.")
        if not _PERCENT_ENCODED.fullmatch(request.path):
            return 400, "The address has a '%' that is not followed by two hexadecimal digits."
        try:
            request_path(unquote_to_bytes(request.path.encode("latin-1")))
        except ValueError as err:  # UnicodeEncodeError included
            return 400, f"Bad address: {err}."
        return None


def same_origin(request: httputil.HTTPServerRequest) -> bool:
    """Whether a browser says the request comes from a page of this server: by Fetch Metadata
    (``Sec-Fetch-Site``), else by ``Origin``. A request carrying neither proves nothing: an
    ``<img>`` on a foreign page in an older browser sends none."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")  # "none": the editor typed the address
    origin = request.headers.get("Origin")
    return origin is not None and (origin.lower()
                                   == f"http://{request.headers.get('Host', '')}".lower())


class _Guarded(web.RequestHandler):
    """Every route of the preview starts here: requests ``Guard`` refuses never reach a handler."""

    def prepare(self) -> Any:
        refused = self.settings["guard"].refusal(self.request)
        if refused:
            _refuse(self, *refused)
            return None
        return super().prepare()


def _refuse(handler: web.RequestHandler, status: int, reason: str) -> None:
    """Answer with an error status and a plain sentence saying why."""
    handler.set_status(status)
    handler.set_header("Content-Type", "text/plain; charset=utf-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(reason + "\n")


class _ReloadSocket(_Guarded, LiveReloadHandler):
    """livereload's WebSocket, for this server's own pages only, telling no folder names."""

    def initialize(self, roots: tuple[Path, ...], app: PreviewApp) -> None:
        self.roots, self.app = roots, app
        self.page: str | None = None
        """The address of the tab's page (percent-decoded), once its 'info' told it."""
        self.since = 0
        """The generation at the 'hello': the page's own, or older (the page then checks)."""

    def on_message(self, message: str | bytes) -> None:
        """livereload's handshake, and this socket receives reloads from its 'hello' on: the
        page checks whether it is stale once the handshake is done, so no rebuild falls in
        between (livereload waits for the later 'info'); the 'info' names the tab's page."""
        super().on_message(message)
        data = escape.json_decode(message)
        if data.get("command") == "hello":
            self.since = self.app.generation
            LiveReloadHandler.waiters.add(self)
        elif data.get("command") == "info" and isinstance(data.get("url"), str):
            self.page = unquote(urlsplit(data["url"]).path) or None

    def check_origin(self, origin: str) -> bool:
        """Refuse every handshake tornado cannot show to be same-origin (livereload accepts all).

        Tornado calls this only when ``Sec-Fetch-Site`` is not same-origin, or, without it,
        when ``Origin`` differs from ``Host``; a handshake with no ``Origin`` at all is not a
        browser's (browsers always send it) and is let through, as tornado does by default:
        a program on this machine can read the site folder anyway.
        """
        return False

    def write_message(self, message: Any, binary: bool = False) -> Any:
        """A reload names the saved file from the site folder (livereload.js matches a
        stylesheet by its last path segments), never by its absolute path."""
        if isinstance(message, dict) and message.get("command") == "reload":
            message = {**message, "path": reload_path(str(message.get("path") or "*"), self.roots)}
        return super().write_message(message, binary)


class _ForceReload(_Guarded, ForceReloadHandler):
    """livereload's /forcereload, which reloads every open tab: only from this server's pages."""

    def prepare(self) -> Any:
        super().prepare()
        if not self._finished and not same_origin(self.request):
            _refuse(self, 403, "/forcereload answers only requests from the preview's own pages.")


class _ReloadScript(_Guarded, LiveReloadJSHandler):
    """livereload.js, which the injected preview script loads."""


class _Preview(_Guarded, web.FallbackHandler):
    """Everything else: the preview pages and the overlay's status (``PreviewApp``)."""


def reload_path(path: str, roots: Iterable[Path]) -> str:
    """The saved file as a reload message may name it: its path from the folder holding the
    watched content/, templates/ or site_config.yaml (e.g. 'templates/assets/style.css'), or
    '*' (reload the page) for anything else."""
    saved = Path(path).absolute()
    for root in roots:
        base = root.absolute()
        if saved == base or saved.is_relative_to(base):
            return saved.relative_to(base.parent).as_posix()
    return "*"


class PreviewServer(Server):
    """livereload's server, its watcher and its reload protocol, behind our guard and with our
    own injection (a same-origin script the CSP allows)."""

    def __init__(self, app: PreviewApp, guard: Guard, watched: Iterable[Path], watcher: Watcher):
        super().__init__(app, watcher)
        self.preview = app
        self.guard = guard
        self.roots = tuple(watched)

    def application(self, port: int, host: str, liveport: int | None = None,
                    debug: bool | None = None, live_css: bool = True) -> None:
        """livereload's routes on one port, each behind ``_Guarded`` (replaces
        ``Server.application``, which mounts livereload's own handlers, open to any origin)."""
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        handlers: list[tuple[str, Any] | tuple[str, Any, dict[str, Any]]] = [
            (r"/livereload", _ReloadSocket, {"roots": self.roots, "app": self.preview}),
            (r"/forcereload", _ForceReload),
            (r"/livereload.js", _ReloadScript),
            (r".*", _Preview, {"fallback": LiveScriptContainer(self.preview, b"")}),
        ]
        web.Application(handlers, debug=False, guard=self.guard).listen(port, address=host)


_LOGGERS = ("livereload", "tornado.access", "tornado.application", "tornado.general")
"""What livereload sets up to print in the terminal: saved file names, requested addresses."""


def _one_line_record(record: logging.LogRecord) -> bool:
    """A log record's message as one line with no terminal escapes (it quotes file names and
    addresses, which anyone can choose)."""
    record.msg, record.args = log_line(record.getMessage()), None
    return True


def _bracketed(host: str) -> str:
    """An IPv6 address as a Host header writes it ('[::1]'); other names as they are."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _local_base_url(site: Path, host: str, port: int) -> str:
    """The production base path, on the local host and port (read afresh: the config may change)."""
    from kotacerdas.core.errors import Problems
    from kotacerdas.content.config import load_config
    from kotacerdas.core.urls import Urls

    config = load_config(site / "site_config.yaml", Problems(site))
    path = Urls(config.base_url).base_path if config else "/"
    return f"http://{host}:{port}{path}"
