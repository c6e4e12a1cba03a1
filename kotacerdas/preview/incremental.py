"""Incremental rebuilds for the live preview: render only what an edit affects, write only what changed.

A ``Builder`` remembers the previous build (each page's fingerprint and bytes, converted Markdown).
Each ``rebuild()`` loads and validates everything again (cheap), converts only changed Markdown,
renders only pages whose fingerprint changed, and syncs its folder. A failed rebuild changes
nothing: the last good build stays in place and the problems are returned for the overlay.
"""

from __future__ import annotations

import datetime as dt
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from kotacerdas.core.errors import ContentError, Problem
from kotacerdas.model.site import markdown_in_use
from kotacerdas.build.pipeline import render_site
from kotacerdas.render.renderer import Rendered
from kotacerdas.build.writer import sync_tree


@dataclass(frozen=True)
class Outcome:
    """What one rebuild did."""

    ok: bool
    problems: tuple[Problem, ...] = ()
    rendered: int = 0
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    base_path: str = "/"


@dataclass
class Builder:
    """Builds a site into a folder again and again, reusing what did not change."""

    site: Path
    output: Path
    base_url: str | None = None
    drafts: bool = False
    today: dt.date | None = None
    previous: Rendered = field(default_factory=dict)
    files: dict[str, bytes] | None = None
    markdown_cache: dict[tuple[str, str], str] = field(default_factory=dict)
    last: Outcome | None = None

    def rebuild(self) -> Outcome:
        """Build once; on failure keep the previous output and report why."""
        try:
            rendered, renderers = render_site(self.site, self.base_url, self.drafts, self.today,
                                             self.previous, self.markdown_cache)
        except ContentError as exc:
            self.last = Outcome(False, tuple(exc.problems), base_path=self._base_path())
            return self.last
        except Exception as exc:  # noqa: BLE001 (the preview must survive any failure)
            detail = traceback.format_exc(limit=-3).strip().splitlines()[-1]
            self.last = Outcome(False, (Problem("build", 0, f"internal error: {type(exc).__name__}: "
                                                            f"{exc} ({detail})"),),
                                base_path=self._base_path())
            return self.last
        files = {path: data for path, (_, data) in rendered.items()}
        files.update({"assets/" + name: path.read_bytes()
                      for name, path in renderers[0].assets.items()})
        written, removed = sync_tree(files, self.output, self.files)
        count = sum(1 for path, item in rendered.items()  # pages, not data files
                    if path.endswith(".html") and self.previous.get(path) is not item)
        self.previous, self.files = rendered, files
        self.markdown_cache = markdown_in_use([r.model for r in renderers], self.markdown_cache)
        self.last = Outcome(True, (), count, tuple(written), tuple(removed),
                            renderers[0].model.urls.base_path)
        return self.last

    def _base_path(self) -> str:
        return self.last.base_path if self.last else "/"
