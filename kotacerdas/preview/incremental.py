"""Incremental rebuilds for the live preview, on the build's own engine (build/session.py).

A ``Builder`` keeps a build ``Session`` in memory: each ``rebuild()`` re-parses only changed
files, converts only changed Markdown, renders only pages whose fingerprint changed, and puts the
new tree in its folder's place in one step, exactly as a cached ``build`` does. A failed rebuild
changes nothing: the last good build stays in place and the problems are returned for the overlay.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Collection
from pathlib import Path

from kotacerdas.build.pipeline import stored
from kotacerdas.build.session import Session
from kotacerdas.build.writer import locked
from kotacerdas.core.errors import ContentError, Problem
from kotacerdas.core.records import field, record


@record
class Outcome:
    """What one rebuild did."""

    ok: bool
    problems: tuple[Problem, ...] = ()
    rendered: int = 0
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    base_path: str = "/"
    waiting: int = 0
    """Files this rebuild left as they were, unchecked, for the next one (``first``)."""


@record(frozen=False)
class Builder:
    """Builds a site into a folder again and again, reusing what did not change."""

    site: Path
    output: Path
    base_url: str | None = None
    drafts: bool = False
    today: dt.date | None = None
    cache_dir: Path | None = None
    """A ``build`` cache to start from (read only, never written: pipeline.stored)."""
    last: Outcome | None = None
    session: Session = field(init=False)

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            self.session = Session(self.site, self.base_url, self.drafts, self.today,
                                   markdown={}, parsed={})
            return
        start = stored(self.cache_dir)
        self.session = Session(self.site, self.base_url, self.drafts, self.today,
                               markdown=dict(start.converted), parsed=dict(start.parsed.items),
                               warm=start.warm())

    def rebuild(self, first: Collection[str] | None = None) -> Outcome:
        """Build once; on failure keep the previous output and report why. With ``first``
        (output files), only those are made now and every other file waits (Session.build)."""
        self.session.base_url = self.base_url  # the preview's address may change between saves
        try:
            with locked(self.output):
                built = self.session.build(self.output, first=first)
        except ContentError as exc:
            self.last = Outcome(False, tuple(exc.problems), base_path=self.base_path)
            return self.last
        except Exception as exc:  # noqa: BLE001 (the preview must survive any failure)
            detail = traceback.format_exc(limit=-3).strip().splitlines()[-1]
            self.last = Outcome(False, (Problem("build", 0, f"internal error: "
                                                            f"{type(exc).__name__}: {exc} "
                                                            f"({detail})"),),
                                base_path=self.base_path)
            return self.last
        # pages, not data files
        count = sum(1 for path in built.rendered.fresh if path.endswith(".html"))
        self.last = Outcome(True, (), count, built.written, built.removed,
                            built.renderers[0].model.urls.base_path,
                            len(built.rendered.waiting))
        return self.last

    @property
    def base_path(self) -> str:
        """The base path the output is served under: the last build's."""
        return self.last.base_path if self.last else "/"
