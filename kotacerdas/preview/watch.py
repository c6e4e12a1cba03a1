"""The preview's file watcher: file-system events, coalesced into one call per save.

``python build.py serve`` must see a save at once and rebuild once for it. livereload's own
watcher polls instead: it stats every file of the tree each 0.8 s and sees a save only at the
next poll. Here watchdog (inotify, FSEvents, ReadDirectoryChangesW; the README's "Dependencies
and why" says why that library) delivers the events of content/, templates/ and
site_config.yaml, and one save's several events (truncate then write, or a temporary file
renamed onto the file) become one call on the server's event loop once the tree has been still
a moment; changes during that call start another, so the last call sees the latest state.
Scratch files (core/locations.is_scratch) never count. What the call does (a rebuild, the tabs'
reload) is serve.py's, which imports this module, never the reverse.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Callable, Iterable

from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from kotacerdas.core import locations

QUIET_SECONDS = 0.01
"""How long the tree must stay still before a rebuild: one save's events (truncate, write, close;
or write a temporary file, rename it) arrive within microseconds of each other."""
LONGEST_WAIT_SECONDS = 0.1
"""A stream of events never holds a rebuild back longer than this."""
TRIGGERS = frozenset({"created", "modified", "moved", "deleted", "closed"})
"""Event kinds that can change the site; opening or reading a file (the build does) cannot."""


def relevant(path: str, roots: Iterable[Path]) -> bool:
    """Whether a changed path can change the site: a watched file itself, or inside a watched
    folder and not a scratch file, nor inside a scratch folder (the build reads neither:
    core/locations.is_scratch)."""
    changed = Path(path)
    for root in roots:
        if changed == root:
            return True
        if root.is_dir() and changed.is_relative_to(root):
            return not locations.in_scratch(changed.relative_to(root))
    return False


class Coalescer:
    """Turns bursts of changed paths into single calls, on the server's event loop: each call
    gets every path changed since the last one, after the tree stayed quiet a moment. Paths
    that change while a call runs start another call after it, so the last one always sees
    the latest state."""

    def __init__(self, loop: IOLoop, flush: Callable[[frozenset[str]], None],
                 quiet: float = QUIET_SECONDS, longest: float = LONGEST_WAIT_SECONDS):
        self.loop, self.flush, self.quiet, self.longest = loop, flush, quiet, longest
        self.pending: set[str] = set()
        self.first: float | None = None
        self.timer: object | None = None

    def add(self, paths: Iterable[str]) -> None:
        """Note changed paths (call on the loop's thread) and (re)arm the timer."""
        now = self.loop.time()
        self.pending.update(paths)
        self.first = now if self.first is None else self.first
        if self.timer is not None:
            self.loop.remove_timeout(self.timer)
        self.timer = self.loop.call_at(min(now + self.quiet, self.first + self.longest), self._run)

    def _run(self) -> None:
        """Hand every pending path to ``flush`` at once."""
        paths, self.pending, self.first, self.timer = frozenset(self.pending), set(), None, None
        self.flush(paths)


class _Events(FileSystemEventHandler):
    """Runs in watchdog's thread: passes the paths of relevant events to the event loop."""

    def __init__(self, roots: tuple[Path, ...], loop: IOLoop, sink: Callable[[list[str]], None]):
        self.roots, self.loop, self.sink = roots, loop, sink

    def dispatch(self, event: FileSystemEvent) -> None:
        """An editor's save may be a write, a truncation, a rename onto the file (both names
        count) or a deletion; a folder's own 'modified' only echoes a change inside it."""
        if event.event_type not in TRIGGERS or (event.is_directory
                                                 and event.event_type == "modified"):
            return
        paths = [p for p in (event.src_path, event.dest_path) if p]
        changed = [os.fsdecode(p) for p in paths if relevant(os.fsdecode(p), self.roots)]
        if changed:
            self.loop.add_callback(self.sink, changed)


class EventWatcher(Watcher):
    """livereload's watcher, fed by file-system events instead of polling the tree: livereload
    never examines it (``start`` says so), and each coalesced burst calls ``on_change`` with the
    saved paths, which rebuilds and reloads the tabs itself."""

    def __init__(self, roots: Iterable[Path], on_change: Callable[[frozenset[str]], None]):
        super().__init__()
        self.roots = tuple(root.absolute() for root in roots)
        self.on_change = on_change
        self.observer: Any = None
        self.handler: _Events | None = None
        self.trees: dict[Path, Any] = {}
        """The recursive watch of each root that is a folder (none while it does not exist)."""
        for root in self.roots:
            self.watch(str(root))

    def start(self, callback: Callable[[], object]) -> bool:
        """Watch every root and never ask livereload to poll: each root through its folder (so
        making, removing or replacing the root itself is seen), and a folder root recursively."""
        if self.observer is None:
            loop = IOLoop.current()
            self.handler = _Events(self.roots, loop, Coalescer(loop, self._changed).add)
            self.observer = Observer()
            for root in self.roots:
                if root.parent.is_dir():
                    self.observer.schedule(self.handler, str(root.parent), recursive=False)
                self._watch_tree(root)
            self.observer.start()
        return True

    def _changed(self, paths: frozenset[str]) -> None:
        """A burst of changes, on the event loop: a root folder made or replaced since is
        watched before the rebuild reads it, so no file written into it afterwards is missed."""
        for root in self.roots:
            if str(root) in paths:
                self._watch_tree(root)
        self.on_change(paths)

    def _watch_tree(self, root: Path) -> None:
        """Watch a root folder recursively as it is now (no watch while it does not exist)."""
        old = self.trees.pop(root, None)
        if old is not None:
            with contextlib.suppress(KeyError, OSError):
                self.observer.unschedule(old)
        if root.is_dir():
            self.trees[root] = self.observer.schedule(self.handler, str(root), recursive=True)

    def examine(self) -> tuple[str | None, None]:
        """Nothing to poll: changes arrive as events."""
        return None, None

    def stop(self) -> None:
        """Stop watching."""
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
