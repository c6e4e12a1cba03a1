"""The build, stage by stage: load → model → pages → render → write. Nothing flows backwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problems
from .linkcheck import check_links, content_sources
from . import cache
from .load import digest_of, load_site
from .model import build_model, markdown_in_use, today_in_jakarta
from .pages import site_pages
from .translations import Gap, completeness
from .render import BUILTIN_TEMPLATES, Rendered, Renderer, render_all
from .writer import check_output_dir, copy_assets, staging


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
                write_to: Path | None = None, reuse_from: Path | None = None,
                ) -> tuple[Rendered, list[Renderer]]:
    """Load, model and render every language edition of a site; raise ContentError listing every
    problem. The renderers come back default edition first.

    ``previous`` and ``markdown_cache`` come from an earlier call and make this an incremental
    rebuild: only pages whose inputs changed are rendered, only changed Markdown converted.
    """
    content = load_site(site)
    problems = Problems(site)
    renderers: list[Renderer] = []
    for language in content.config.languages:
        model = build_model(content, base_url=base_url, drafts=drafts, today=today,
                            markdown_cache=markdown_cache, language=language)
        renderers.append(Renderer(site, model, problems, renderers[0] if renderers else None))
    problems.raise_if_any()
    files: Rendered = {}
    for renderer in renderers:
        edition = render_all(renderer, site_pages(renderer.model, renderer.catalogue),
                             previous, write_to, reuse_from)
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
          today: dt.date | None = None, cache_dir: Path | None = None) -> BuildResult:
    """Build the site into ``output``, replacing it only when everything succeeded.

    With ``cache_dir`` (see cache.py) a build whose inputs and output are unchanged stops at once
    and writes nothing; otherwise unchanged Markdown is not converted again and unchanged pages
    are hard-linked from the previous output instead of rendered. The output is the same either
    way (tests compare it with a build without cache).
    """
    check_output_dir(output, site)
    today = today or today_in_jakarta()
    key = _cache_key(site, output, base_url, drafts, today)
    state = cache.read(cache_dir) if cache_dir else cache.CacheState()
    inputs = cache.snapshot(_inputs(site), site) if cache_dir else {}
    trusted = state.key == key and bool(state.output) and state.output == cache.output_snapshot(output)
    if cache_dir and trusted and state.inputs == inputs:
        return BuildResult(pages=len(state.pages), files=0, participants=state.participants,
                           announcements=state.announcements, unchanged=True)
    previous = {path: (fp, b"") for path, fp in state.pages.items()} if trusted else None
    code = _code_digest()
    state.markdown = cache.read_markdown(cache_dir) if cache_dir and state.code == code else {}
    with staging(output) as tmp:
        rendered, renderers = render_site(site, base_url, drafts, today, previous, state.markdown,
                                          write_to=tmp, reuse_from=output if trusted else None)
        copy_assets(renderers[0].assets, tmp)
    model = renderers[0].model
    if cache_dir:
        cache.write(cache_dir, cache.CacheState(
            key=key, code=code, inputs=inputs, markdown=markdown_in_use([r.model for r in renderers], state.markdown),
            pages={path: fp for path, (fp, _) in rendered.items() if fp},
            output=cache.output_snapshot(output), participants=len(model.regions),
            announcements=len(model.news)))
    return BuildResult(pages=len(rendered), files=len(rendered) + len(renderers[0].assets),
                       participants=len(model.regions), announcements=len(model.news))


def _inputs(site: Path) -> list[Path]:
    """Everything a build reads: content, config, the site's and the built-in templates."""
    return [site / "content", site / "site_config.yaml", site / "templates", BUILTIN_TEMPLATES]


def _cache_key(site: Path, output: Path, base_url: str | None, drafts: bool, today: dt.date) -> str:
    """What must be equal for a cache to apply: arguments, today's date, the generator's code."""
    return digest_of(repr((str(site.resolve()), str(output.resolve()), base_url, drafts,
                           today.isoformat(), _code_digest())))


def _code_digest() -> str:
    """The generator's own code, by content (checkouts reset mtimes): a new version, a new cache."""
    files = sorted(Path(__file__).parent.rglob("*.py"))
    return digest_of("".join(f"{p.name}\0{p.read_text(encoding='utf-8')}" for p in files))


def check(site: Path, drafts: bool = True) -> BuildResult:
    """Validate everything a build would, render every page and check every internal link and
    #anchor in the rendered pages, writing nothing."""
    files, renderers = render_site(site, drafts=drafts)
    model = renderers[0].model
    sources = {page: source for r in renderers for page, source in content_sources(r.model, site).items()}
    links = check_links({path: data for path, (_, data) in files.items()}, model.urls.absolute(""),
                        extra=["assets/" + name for name in renderers[0].assets], sources=sources)
    if links.problems:
        raise ContentError(links.problems)
    return BuildResult(pages=len(files), files=0, participants=len(model.regions),
                       announcements=len(model.news), external=links.external,
                       translations=completeness(model.content, {
                           r.model.language: r.catalogue.strings for r in renderers[1:]},
                           renderers[0].catalogue.strings))
