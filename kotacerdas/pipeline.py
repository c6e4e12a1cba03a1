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


def render_site(site: Path, base_url: str | None = None, drafts: bool = False,
                today: dt.date | None = None, previous: Rendered | None = None,
                markdown_cache: dict[tuple[str, str], str] | None = None,
                write_to: Path | None = None, reuse_from: Path | None = None,
                ) -> tuple[Rendered, Renderer]:
    """Load, model and render a site in memory; raise ContentError listing every problem.

    ``previous`` and ``markdown_cache`` come from an earlier call and make this an incremental
    rebuild: only pages whose inputs changed are rendered, only changed Markdown converted.
    """
    content = load_site(site)
    model = build_model(content, base_url=base_url, drafts=drafts, today=today,
                        markdown_cache=markdown_cache)
    problems = Problems(site)
    renderer = Renderer(site, model, problems)
    problems.raise_if_any()
    files = render_all(renderer, site_pages(model, renderer.catalogue), previous, write_to,
                       reuse_from)
    for key in sorted(renderer.catalogue.missing):
        problems.add(f"templates/strings/{model.config.language}.yaml", None,
                     f"interface string '{key}' is missing; add a line '{key}: …'")
    problems.raise_if_any()
    return files, renderer


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
        rendered, renderer = render_site(site, base_url, drafts, today, previous, state.markdown,
                                         write_to=tmp, reuse_from=output if trusted else None)
        copy_assets(renderer.assets, tmp)
    model = renderer.env.globals["site"]
    if cache_dir:
        cache.write(cache_dir, cache.CacheState(
            key=key, code=code, inputs=inputs, markdown=markdown_in_use(model, state.markdown),
            pages={path: fp for path, (fp, _) in rendered.items() if fp},
            output=cache.output_snapshot(output), participants=len(model.regions),
            announcements=len(model.news)))
    return BuildResult(pages=len(rendered), files=len(rendered) + len(renderer.assets),
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
    files, renderer = render_site(site, drafts=drafts)
    model = renderer.env.globals["site"]
    links = check_links({path: data for path, (_, data) in files.items()}, model.urls.absolute(""),
                        extra=["assets/" + name for name in renderer.assets],
                        sources=content_sources(model, site))
    if links.problems:
        raise ContentError(links.problems)
    return BuildResult(pages=len(files), files=0, participants=len(model.regions),
                       announcements=len(model.news), external=links.external)
