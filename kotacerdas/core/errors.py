"""Content problems: collected all at once, reported as ``path:line: message``."""

from __future__ import annotations

import functools
import os
from kotacerdas.core.records import field, record
from pathlib import Path


@record(order=True)
class Problem:
    """One thing wrong with the content, located in a file (and a line when known)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised when the content has problems; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(Exception):
    """Raised for a wrong command line (exit status 2)."""


@record(frozen=False)
class Problems:
    """Collector that stages append to; paths are shown relative to the site folder."""

    root: Path
    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, line: int | None, message: str) -> None:
        """Record one problem."""
        self.items.append(Problem(self.display(path), line or 0, message))

    def display(self, path: Path | str) -> str:
        """Show a path relative to the site folder, with forward slashes."""
        text, prefix = os.fspath(path), self._prefix
        if prefix and text.startswith(prefix) and "//" not in text and "/./" not in text \
                and not text.endswith(("/", "/.")):
            return text[len(prefix):]  # what the Path below gives, without its cost
        p = Path(path)
        try:
            p = p.relative_to(self.root)
        except ValueError:
            pass
        return p.as_posix()

    @functools.cached_property
    def _prefix(self) -> str:
        """The site folder as the start of a path inside it ('site/'), or '' where the plain
        text cannot tell (the current folder '.', the root '/', another system's separator)."""
        root = os.fspath(self.root)
        return "" if os.sep != "/" or root in ("", ".") or root.endswith("/") else root + "/"

    def raise_if_any(self) -> None:
        """Stop the pipeline when anything was recorded."""
        if self.items:
            raise ContentError(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
