"""The build, stage by stage: load → model → pages → render → write. Nothing flows backwards."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Callable

from kotacerdas.core.errors import ContentError
from kotacerdas.core.lazytext import MarkdownCache
from kotacerdas.build import cache
from kotacerdas.build.session import Built, Session, Warm, render_site
from kotacerdas.core import urls
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.core.parallel import meanwhile
from kotacerdas.core.process import collector_paused
from kotacerdas.model.editions import Gap, completeness
from kotacerdas.content.parsecache import entry_line
from kotacerdas.content.stored import StoredMemo
from kotacerdas.model.i18n import Formats
from kotacerdas.core.writeguard import reporting
from kotacerdas.build.writer import check_output_dir, locked, spare_inodes
from kotacerdas.core.records import field, record
from kotacerdas.render.compiled import PREFIX, StoredTemplates, stored_name

@record
class BuildResult:
    """What a build produced, for the command line to report."""

    pages: int
    files: int
    participants: int
    announcements: int
    unchanged: bool = False
    """True when the build cache showed nothing had changed, so nothing was written."""
    external: dict[str, list[str]] = field(default_factory=dict)
    """External links found by ``check`` (URL → output pages), listed but never fetched."""
    translations: list[Gap] = field(default_factory=list)
    """What ``check`` found missing or outdated in the other language editions."""


def build(site: Path, output: Path, base_url: str | None = None, drafts: bool = False,
          today: dt.date | None = None, cache_dir: Path | None = None,
          probe: cache.Probe | None = None) -> BuildResult:
    """Build the site into ``output``, replacing it in one step only when everything succeeded.

    With ``cache_dir`` (see cache.py) a build whose inputs and output are unchanged stops at once
    and writes nothing; otherwise unchanged files are not parsed and validated again, unchanged
    Markdown is not converted again, and when output/ is exactly what the last build left, only
    pages whose inputs changed are rendered, the other files of the new tree being hard links to
    output/'s (writer.new_tree). The output is the same either way (tests compare it with a
    build without cache). ``probe`` is the command line's first look at the cache
    (``cache.probe``), if it took one for the same arguments.
    """
    check_output_dir(output, site)
    today = today or today_in_jakarta()
    if cache_dir is not None:
        cache.check_folder(cache_dir)
    with _writing(output), locked(output):
        if cache_dir is None:
            return _result(Session(site, base_url, drafts, today).build(output))
        if probe is None or probe.key != cache.cache_key(site, output, base_url, drafts, today) \
                or cache.read(cache_dir) != probe.state:  # another build finished meanwhile
            probe = cache.probe(cache_dir, site, output, base_url, drafts, today)
        state = probe.state
        if probe.unchanged:
            return BuildResult(pages=state.pages, files=0, participants=state.participants,
                               announcements=state.announcements, unchanged=True)
        # a cached rebuild allocates millions of small objects and frees them by reference
        # counting: the collector's passes were a sixth of it (a full build keeps them)
        with collector_paused() if probe.trusted else contextlib.nullcontext():
            return _cached_build(site, output, base_url, drafts, today, cache_dir, probe)


def _writing(folder: Path, output: Path | None = None) -> contextlib.AbstractContextManager[None]:
    """System errors while writing ``folder`` become one sentence (writeguard.WriteFailed) that
    says the output folder was left as it was."""
    return reporting(f"the folder {folder}", f"{output or folder} was left as it was")


@record
class Stored:
    """What earlier builds left in a cache folder for a session to start from."""

    code: str
    """The generator's code digest, which signs every file (cache.code_digest)."""
    markdown: cache.Store
    converted: MarkdownCache
    """The Markdown store's HTML by (base path, digest), as a session holds it."""
    parsed: cache.Store
    files: cache.Store
    """Each settled file's outcome by its stamp (content/stored.py), which ``memo`` holds."""
    memo: StoredMemo
    templates: StoredTemplates
    formats: cache.Store
    """The dates and numbers earlier builds formatted (model/i18n.Formats)."""

    def warm(self) -> Warm:
        """What a session starts from: the compiled templates, the stored outcomes, the
        formats."""
        return Warm(templates=self.templates, memo=self.memo, formats=Formats(self.formats.items))


def stored(cache_dir: Path) -> Stored:
    """Read what the cache folder holds (nothing of what is missing, unsigned or of other code).
    The preview starts from it too, read only: its first build converts only the Markdown, and
    reads only the files, changed since the last ``build``."""
    code = cache.code_digest()
    md_store, converted = cache.read_markdown(cache_dir, code)
    files = cache.read_store(cache_dir / cache.FILES_FILE, code)
    return Stored(code, md_store, converted, cache.read_store(cache_dir / cache.PARSED_FILE, code),
                  files, StoredMemo(files.items),
                  StoredTemplates(cache.read_signed(cache_dir, stored_name(), code)),
                  cache.read_store(cache_dir / cache.FORMATS_FILE, code))


def _cached_build(site: Path, output: Path, base_url: str | None, drafts: bool, today: dt.date,
                  cache_dir: Path, probe: cache.Probe) -> BuildResult:
    """Build with the cache into a new tree (a copy of output/ by hard links when output/ is
    trusted, over which only the pages whose inputs changed are written). Every write that can
    fail happens before the tree takes output/'s place: the tree, then the cache (its main file
    forgotten first, written last, recording the new tree's stamps). A failure leaves output/ and
    a consistent cache; a kill before the exchange leaves a main file that does not match
    output/, so the next build is a full one."""
    with meanwhile(lambda: spare_inodes(output)) if probe.trusted else \
            contextlib.nullcontext(None) as spare:  # the spare's walk on the other core
        start = stored(cache_dir)
        session = Session(site, base_url, drafts, today,
                          fingerprints=cache.read_pages(cache_dir, probe.key) if probe.trusted
                          else {}, stamps=probe.stamps if probe.trusted else {},
                          markdown=start.converted, parsed=start.parsed.items, warm=start.warm())
        return _result(session.build(output, _saver(cache_dir, output, probe, start, session),
                                     spare=spare))


def _saver(cache_dir: Path, output: Path, probe: cache.Probe, start: Stored,
           session: Session) -> Callable[[Built], None]:
    """The ``finish`` of a cached build (Session.build), over what it started from."""

    def save(built: Built) -> None:
        """Save the cache of this build, before its tree takes output/'s place."""
        result = _result(built)
        with _writing(cache_dir, output):
            cache.invalidate(cache_dir)
            cache.save_markdown(start.markdown, built.markdown or {})
            start.parsed.save(built.parsed or {}, entry_line)
            start.files.save(start.memo.used)
            start.formats.save(session.warm.formats.live(everything=not probe.trusted),
                               cache.json_line)
            compiled = start.templates.stored()
            if compiled is not None:
                cache.write_signed(cache_dir, stored_name(), start.code, compiled, PREFIX)
            cache.write_pages(cache_dir, probe.key, built.fingerprints)
            listing, output_digest = cache.output_record(built.tree, built.stamps)
            cache.write_output(cache_dir, listing)
            cache.write(cache_dir, cache.CacheState(
                key=probe.key, inputs=probe.inputs, output=output_digest,
                pages=result.pages, participants=result.participants,
                announcements=result.announcements))

    return save


def _result(built: Built) -> BuildResult:
    """The counts the command line reports."""
    files, model = built.rendered.fingerprints, built.renderers[0].model
    return BuildResult(pages=len(files), files=len(files) + len(built.renderers[0].assets),
                       participants=len(model.regions), announcements=len(model.news))


def check(site: Path, drafts: bool = True) -> BuildResult:
    """Validate everything a build would, render every page and check every internal link and
    #anchor in the rendered pages, writing nothing."""
    from kotacerdas.build.linkcheck import check_links, content_sources  # only check reads links

    rendered, renderers = render_site(site, drafts=drafts)
    files = rendered.kept
    model = renderers[0].model
    sources = {page: source for r in renderers for page, source in content_sources(r.model).items()}
    links = check_links(files, model.urls.absolute(""),
                        extra=[urls.asset(name) for name in renderers[0].assets], sources=sources)
    if links.problems:
        raise ContentError(links.problems)
    return BuildResult(pages=len(files), files=0, participants=len(model.regions),
                       announcements=len(model.news), external=links.external,
                       translations=completeness(model.content, {
                           r.model.language: r.catalogue.strings for r in renderers[1:]},
                           renderers[0].catalogue.strings))
