"""The build, stage by stage: load → model → pages → render → write. Nothing flows backwards."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from kotacerdas.core.errors import ContentError, Problems
from kotacerdas.build.linkcheck import check_links, content_sources
from kotacerdas.build import cache
from kotacerdas.content.load import load_site
from kotacerdas.content.strings import read_strings
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.core.locations import template_dirs
from kotacerdas.model.site import build_model, markdown_in_use
from kotacerdas.site.pages import site_pages
from kotacerdas.model.editions import Gap, completeness
from kotacerdas.model.i18n import Catalogue
from kotacerdas.model.markup import template_ids
from kotacerdas.render.renderer import Rendered, Renderer, render_all
from kotacerdas.content.parsecache import ParseCache, entry_line
from kotacerdas.core.writeguard import reporting
from kotacerdas.build.writer import check_output_dir, copy_assets, locked, new_tree, settle


@dataclass(frozen=True)
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


def render_site(site: Path, base_url: str | None = None, drafts: bool = False,
                today: dt.date | None = None, previous: Rendered | None = None,
                markdown_cache: dict[tuple[str, str], str] | None = None,
                write_to: Path | None = None, parsed: ParseCache | None = None,
                ) -> tuple[Rendered, list[Renderer]]:
    """Load, model and render every language edition of a site; raise ContentError listing every
    problem. The renderers come back default edition first.

    ``previous`` and ``markdown_cache`` come from an earlier call and make this an incremental
    rebuild: only pages whose inputs changed are rendered, only changed Markdown converted;
    with ``parsed`` (parsecache.py) only changed YAML is parsed and validated.
    """
    today = today or today_in_jakarta()
    content = load_site(site, today, parsed=parsed)
    problems = Problems(site)
    renderers: list[Renderer] = []
    dirs = template_dirs(site)
    strings = {language: read_strings(language, dirs, problems, parsed)
               for language in content.config.languages}
    problems.raise_if_any()
    reserved_ids = template_ids(dirs)
    for language in content.config.languages:
        model = build_model(content, base_url=base_url, drafts=drafts, today=today,
                            markdown_cache=markdown_cache, language=language,
                            reserved_ids=reserved_ids)
        default = renderers[0] if renderers else None
        catalogue = Catalogue(language, strings[language],
                              default.catalogue.strings if default else None)
        renderers.append(Renderer(site, model, catalogue, problems, default))
    problems.raise_if_any()
    files: Rendered = {}
    for renderer in renderers:
        edition = render_all(renderer, site_pages(renderer.model, renderer.catalogue),
                             previous, write_to)
        for path in sorted(files.keys() & edition.keys()):
            problems.add("content", None, f"{path} would be written by two language editions; "
                                          f"rename the page or folder that is called "
                                          f"'{path.split('/')[0]}'")
        files.update(edition)
        for key in sorted(renderer.catalogue.missing):
            problems.add(f"templates/strings/{content.config.language}.yaml", None,
                         f"interface string '{key}' is missing; add a line '{key}: …'")
    problems.raise_if_any()
    return files, renderers


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
            with new_tree(output) as tree:
                rendered, renderers = render_site(site, base_url, drafts, today, write_to=tree)
                copy_assets(renderers[0].assets, tree)
                settle(tree, output, _files(rendered, renderers), {})
            return _result(rendered, renderers)
        if probe is None or probe.key != cache.cache_key(site, output, base_url, drafts, today) \
                or cache.read(cache_dir) != probe.state:  # another build finished meanwhile
            probe = cache.probe(cache_dir, site, output, base_url, drafts, today)
        state = probe.state
        if probe.unchanged:
            return BuildResult(pages=state.pages, files=0, participants=state.participants,
                               announcements=state.announcements, unchanged=True)
        with _without_gc() if probe.trusted else contextlib.nullcontext():
            return _cached_build(site, output, base_url, drafts, today, cache_dir, probe)


def _writing(folder: Path, output: Path | None = None) -> contextlib.AbstractContextManager[None]:
    """System errors while writing ``folder`` become one sentence (writeguard.WriteFailed) that
    says the output folder was left as it was."""
    return reporting(f"the folder {folder}", f"{output or folder} was left as it was")


@contextlib.contextmanager
def _without_gc() -> Iterator[None]:
    """Python's cycle collector off for a cached rebuild: it allocates millions of small objects
    (cached YAML and Markdown, page specs) and frees them by reference counting; the collector's
    passes over them cost about a sixth of the rebuild and free little. (Full builds keep it:
    there it would cost memory.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _cached_build(site: Path, output: Path, base_url: str | None, drafts: bool, today: dt.date,
                  cache_dir: Path, probe: cache.Probe) -> BuildResult:
    """Build with the cache into a new tree (a copy of output/ by hard links when output/ is
    trusted, over which only the pages whose inputs changed are written). Every write that can
    fail happens before the tree takes output/'s place: the tree, then the cache (its main file
    forgotten first, written last, recording the new tree's stamps). A failure leaves output/ and
    a consistent cache; a kill before the exchange leaves a main file that does not match
    output/, so the next build is a full one."""
    code = cache.code_digest()
    fingerprints = cache.read_pages(cache_dir, probe.key) if probe.trusted else {}
    previous = {path: (fp, b"") for path, fp in fingerprints.items()} if fingerprints else None
    md_store, markdown = cache.read_markdown(cache_dir, code)
    parsed_store = cache.read_store(cache_dir / cache.PARSED_FILE, code)
    parsed = ParseCache(parsed_store.items)
    known = probe.stamps if probe.trusted else {}
    with new_tree(output, known if previous is not None else None) as tree:
        rendered, renderers = render_site(site, base_url, drafts, today, previous, markdown,
                                          write_to=tree, parsed=parsed)
        copy_assets(renderers[0].assets, tree)
        stamps = settle(tree, output, _files(rendered, renderers), known)
        result = _result(rendered, renderers)
        with _writing(cache_dir, output):
            cache.invalidate(cache_dir)
            cache.save_markdown(md_store, markdown_in_use([r.model for r in renderers], markdown))
            parsed_store.save(parsed.used, entry_line)
            cache.write_pages(cache_dir, probe.key,
                              {path: fp for path, (fp, _) in rendered.items() if fp})
            cache.write(cache_dir, cache.CacheState(
                key=probe.key, inputs=probe.inputs, output=cache.output_digest(stamps),
                pages=result.pages, participants=result.participants,
                announcements=result.announcements))
    return result


def _files(rendered: Rendered, renderers: list[Renderer]) -> set[str]:
    """Every file of the built site: the rendered ones and the theme's."""
    return set(rendered) | {"assets/" + name for name in renderers[0].assets}


def _result(rendered: Rendered, renderers: list[Renderer]) -> BuildResult:
    model = renderers[0].model
    return BuildResult(pages=len(rendered), files=len(rendered) + len(renderers[0].assets),
                       participants=len(model.regions), announcements=len(model.news))


def check(site: Path, drafts: bool = True) -> BuildResult:
    """Validate everything a build would, render every page and check every internal link and
    #anchor in the rendered pages, writing nothing."""
    files, renderers = render_site(site, drafts=drafts)
    model = renderers[0].model
    sources = {page: source for r in renderers for page, source in content_sources(r.model).items()}
    links = check_links({path: data for path, (_, data) in files.items()}, model.urls.absolute(""),
                        extra=["assets/" + name for name in renderers[0].assets], sources=sources)
    if links.problems:
        raise ContentError(links.problems)
    return BuildResult(pages=len(files), files=0, participants=len(model.regions),
                       announcements=len(model.news), external=links.external,
                       translations=completeness(model.content, {
                           r.model.language: r.catalogue.strings for r in renderers[1:]},
                           renderers[0].catalogue.strings))
