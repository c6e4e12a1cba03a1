"""The one incremental build engine, shared by ``build`` and the live preview.

A ``Session`` is what the last build left: each output file's fingerprint, the stamps of the
output tree it wrote, the converted Markdown and the parsed files. ``Session.build`` loads the
site (reusing parsed files), renders only the pages whose fingerprint changed into a new tree
that starts as a copy of the last one (writer.new_tree), and puts that tree in the output's
place; the session then holds the new build's state. ``build`` reads the state from
``.build-cache/`` and saves it there (pipeline.py); the preview keeps it in memory
(preview/incremental.py). There is one code path to keep equal to a full build: a session with
no state is a full build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from kotacerdas.build import sitedate
from kotacerdas.build.cache import Stamp
from kotacerdas.build.fingerprints import (Rendered, global_fingerprint, render_edition,
                                           templates_digest)
from kotacerdas.core.records import field, record
from kotacerdas.build.writer import MARKER, TreeSink, copy_assets, new_tree, publish, settle
from kotacerdas.content.load import load_site
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.content.strings import read_strings
from kotacerdas.core import urls
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.core.errors import Problems
from kotacerdas.core.lazytext import MarkdownCache
from kotacerdas.core.locations import template_dirs, template_files
from kotacerdas.core.memo import Memo
from kotacerdas.core.writeguard import read_regular
from kotacerdas.model.i18n import Catalogue, Formats
from kotacerdas.model.markup import template_ids
from kotacerdas.model.site import build_model, markdown_in_use
from kotacerdas.render.compiled import CompiledTemplates
from kotacerdas.render.renderer import Renderer, Sink
from kotacerdas.site.pages import site_pages

def keep(rel: str, data: bytes) -> bytes:
    """The sink that writes nothing: every file's bytes come back (``check``, tests)."""
    return data


def render_site(site: Path, base_url: str | None = None, drafts: bool = False,
                today: dt.date | None = None, previous: dict[str, str] | None = None,
                markdown_cache: MarkdownCache | None = None, parsed: ParseCache | None = None,
                sink: Sink = keep, warm: Warm | None = None,
                wait: Callable[[str], bool] | None = None,
                previous_page: Callable[[str], bytes | None] | None = None
                ) -> tuple[Rendered, list[Renderer]]:
    """Load, model and render every language edition of a site, handing each file to ``sink``;
    raise ContentError listing every problem. The renderers come back default edition first.

    ``previous`` (the fingerprints of the files the sink's tree already holds),
    ``markdown_cache`` and ``parsed`` come from an earlier build and make this an incremental
    one: only changed files are parsed, only changed Markdown converted, only pages whose
    inputs changed rendered. ``warm`` is what a long-lived session keeps in memory besides;
    ``wait`` names files that stay as ``previous`` made them this time, unchecked
    (fingerprints.render_edition). ``previous_page`` reads the files ``previous`` names, so a
    page whose only change is the site's date is taken from its previous bytes (build/sitedate.py).
    """
    today = today or today_in_jakarta()
    warm = warm or Warm()
    content = load_site(site, today, parsed=parsed, memo=warm.memo)
    problems = Problems(site)
    renderers: list[Renderer] = []
    site_fingerprints: list[str] = []
    dirs = template_dirs(site)
    strings = {language: read_strings(language, dirs, problems, parsed, warm.memo)
               for language in content.config.languages}
    problems.raise_if_any()
    templates = templates_digest(dirs, problems, warm.memo)
    walked = (templates, tuple(dirs))  # the digest names every file of these very folders
    reserved_ids = warm.memo.get(("template-ids", *walked), lambda: template_ids(dirs))
    page_templates = warm.memo.get(("template-files", *walked), lambda: template_files(dirs))
    dated = warm.memo.get(("dated-partials", *walked),
                          lambda: sitedate.dated_partials(page_templates))
    for language in content.config.languages:
        model = build_model(content, base_url=base_url, drafts=drafts, today=today,
                            markdown_cache=markdown_cache, language=language,
                            reserved_ids=reserved_ids)
        default = renderers[0] if renderers else None
        catalogue = Catalogue(language, strings[language],
                              default.catalogue.strings if default else None, warm.formats)
        renderers.append(Renderer(site, model, catalogue, problems, default, warm.templates,
                                  warm.memo))
        site_fingerprints.append(global_fingerprint(templates, model))
    problems.raise_if_any()
    fingerprints: dict[str, str] = {}
    fresh: set[str] = set()
    waiting: set[str] = set()
    kept: dict[str, bytes] = {}
    for renderer, site_fingerprint in zip(renderers, site_fingerprints):
        date = sitedate.date_fingerprint(renderer.model)
        reuse = sitedate.reuse(renderer, warm.memo, site_fingerprint, date, dated,
                             previous_page if previous else None)
        edition = render_edition(renderer, site_fingerprint,
                                 site_pages(renderer.model, renderer.catalogue, warm.memo,
                                            page_templates),
                                 previous or {}, sink, warm.memo, wait, date, reuse)
        for path in sorted(fingerprints.keys() & edition.fingerprints.keys()):
            problems.add("content", None, f"{path} would be written by two language editions; "
                                          f"rename the page or folder that is called "
                                          f"'{path.split('/')[0]}'")
        fingerprints.update(edition.fingerprints)
        fresh.update(edition.fresh)
        waiting.update(edition.waiting)
        kept.update(edition.kept)
        for key in sorted(renderer.catalogue.missing):
            problems.add(f"templates/strings/{content.config.language}.yaml", None,
                         f"interface string '{key}' is missing; add a line '{key}: …'")
    problems.raise_if_any()
    return Rendered(fingerprints, frozenset(fresh), kept, frozenset(waiting)), renderers


@record(frozen=False)
class Warm:
    """What a session that lives through many builds (the preview) keeps in memory, beyond the
    state a build saves: it only saves work, and a fresh one gives the same bytes. Every language
    edition of one build shares it too."""

    templates: CompiledTemplates = field(default_factory=CompiledTemplates)
    memo: Memo = field(default_factory=Memo)
    formats: Formats = field(default_factory=Formats)
    """The dates and numbers formatted so far (``build`` keeps them in .build-cache/ too)."""


@record
class Built:
    """One finished build, before its tree takes the output's place: what it made, and the
    state the session holds once it has."""

    rendered: Rendered
    renderers: list[Renderer]
    stamps: dict[str, Stamp]
    """The new tree's stamps (as cache.output_stamps), the output's once it is in place."""
    tree: Path
    """Where the files are until the tree takes the output's place (the output itself after a
    first pass): the folders ``finish`` stamps (cache.output_record)."""
    written: tuple[str, ...]
    """Files whose bytes are new (not the previous output's file), the marker aside."""
    removed: tuple[str, ...]
    """Files of the previous output that the site no longer has."""
    markdown: MarkdownCache | None
    parsed: dict[str, Any] | None
    """The parse cache entries this build used or made (what the next build may reuse)."""

    @property
    def fingerprints(self) -> dict[str, str]:
        """The fingerprints worth keeping: those of files that declare their inputs."""
        return {path: fp for path, fp in self.rendered.fingerprints.items() if fp}


@record(frozen=False)
class Session:
    """What the last build of a site into one output left, for the next build to reuse."""

    site: Path
    base_url: str | None = None
    drafts: bool = False
    today: dt.date | None = None
    fingerprints: dict[str, str] = field(default_factory=dict)
    """Output file → fingerprint, for the files of the output the last build wrote."""
    stamps: dict[str, Stamp] = field(default_factory=dict)
    """The output's stamps as the last build left it; empty when unknown or not trusted, and
    then nothing of the output is reused."""
    markdown: MarkdownCache | None = None
    """Converted Markdown to reuse (None: no Markdown cache)."""
    parsed: dict[str, Any] | None = None
    """Parse cache entries to reuse (None: no parse cache)."""
    warm: Warm = field(default_factory=Warm)

    def build(self, output: Path, finish: Callable[[Built], None] | None = None,
              first: Collection[str] | None = None,
              spare: Callable[[], dict[str, int | None]] | None = None) -> Built:
        """Build the site into ``output`` (hold writer.locked(output) around it), reusing what
        the state allows; ``finish`` runs after every file is written and before the new tree
        takes the output's place (the cache is saved there). On failure the output and the
        state are as they were; on success the state is this build's.

        ``first`` (output files, e.g. the pages the preview's tabs show; never with ``finish``)
        makes only those now, and the files the output does not hold yet: every other file
        stays as it is, unchecked, ``waiting`` in the result, and the state keeps its previous
        fingerprint, so the next build checks it. ``spare`` gives writer.spare_inodes(output),
        taken meanwhile (writer.new_tree)."""
        known = self.stamps
        previous = self.fingerprints if known else {}
        parsed = None if self.parsed is None else ParseCache(self.parsed)
        if first is not None and previous:
            assert finish is None, "a first pass writes no cache"
            built = self._first_pass(output, known, previous, parsed, frozenset(first))
        else:
            built = self._whole(output, known, previous, parsed, finish, spare)
            self.warm.memo.settle()  # a first pass asks for little: what it did not, the rest will
        self.fingerprints, self.stamps = built.fingerprints, built.stamps
        self.markdown, self.parsed = built.markdown, built.parsed
        return built

    def _whole(self, output: Path, known: dict[str, Stamp], previous: dict[str, str],
               parsed: ParseCache | None, finish: Callable[[Built], None] | None,
               spare: Callable[[], dict[str, int | None]] | None) -> Built:
        """Every file, in a new tree that takes the output's place whole (writer.new_tree)."""
        with new_tree(output, known if previous else None, spare) as tree:
            rendered, renderers = render_site(self.site, self.base_url, self.drafts, self.today,
                                              previous, self.markdown, parsed, TreeSink(tree),
                                              self.warm, previous_page=sitedate.previous_in(tree))
            copy_assets(renderers[0].assets, tree)
            assets = {urls.asset(n) for n in renderers[0].assets}
            files = set(rendered.fingerprints) | assets
            stamps = settle(tree, output, files, known,  # a mirrored tree: no walk of it
                            set(rendered.fresh) | assets | {MARKER} if previous else None)
            built = self._built(rendered, renderers, stamps, tree, known, parsed)
            if finish is not None:
                finish(built)
        return built

    def _first_pass(self, output: Path, known: dict[str, Stamp], previous: dict[str, str],
                    parsed: ParseCache | None, first: frozenset[str]) -> Built:
        """Only ``first`` and new files, rendered in memory and then written into the output
        itself (writer.publish: no tree to mirror for a few files); a failed render writes
        nothing. What the site no longer has is removed by the next whole build."""
        rendered, renderers = render_site(self.site, self.base_url, self.drafts, self.today,
                                          previous, self.markdown, parsed, keep, self.warm,
                                          lambda rel: rel in known and rel not in first,
                                          sitedate.previous_in(output))
        files = dict(rendered.kept)
        files.update({urls.asset(n): read_regular(path)
                      for n, path in renderers[0].assets.items()})
        return self._built(rendered, renderers, publish(output, files, known), output, known,
                           parsed)

    def _built(self, rendered: Rendered, renderers: list[Renderer], stamps: dict[str, Stamp],
               tree: Path, known: dict[str, Stamp], parsed: ParseCache | None) -> Built:
        """What one build made in ``tree``, against the output it found (``known``)."""
        return Built(
            rendered, renderers, stamps, tree,
            written=tuple(sorted(rel for rel, st in stamps.items()
                                 if rel != MARKER and known.get(rel) != st)),
            removed=tuple(sorted(set(known) - set(stamps))),
            markdown=None if self.markdown is None else markdown_in_use(
                [r.model for r in renderers], self.markdown),
            parsed=None if parsed is None else parsed.used)
