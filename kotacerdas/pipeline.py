"""The build, stage by stage: load → model → pages → render → write. Nothing flows backwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, Problems
from .linkcheck import check_links, content_sources
from .load import load_site
from .model import build_model
from .pages import site_pages
from .render import Rendered, Renderer, render_all
from .writer import check_output_dir, copy_assets, staging


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the command line to report."""

    pages: int
    files: int
    participants: int
    announcements: int
    external: dict[str, list[str]] = field(default_factory=dict)
    """External links found by ``check`` (URL → output pages), listed but never fetched."""


def render_site(site: Path, base_url: str | None = None, drafts: bool = False,
                today: dt.date | None = None, previous: Rendered | None = None,
                markdown_cache: dict[tuple[str, str], str] | None = None,
                write_to: Path | None = None) -> tuple[Rendered, Renderer]:
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
    files = render_all(renderer, site_pages(model, renderer.catalogue), previous, write_to)
    for key in sorted(renderer.catalogue.missing):
        problems.add(f"templates/strings/{model.config.language}.yaml", None,
                     f"interface string '{key}' is missing; add a line '{key}: …'")
    problems.raise_if_any()
    return files, renderer


def build(site: Path, output: Path, base_url: str | None = None, drafts: bool = False,
          today: dt.date | None = None) -> BuildResult:
    """Build the site into ``output``, replacing it only when everything succeeded."""
    check_output_dir(output, site)
    with staging(output) as tmp:
        rendered, renderer = render_site(site, base_url, drafts, today, write_to=tmp)
        copy_assets(renderer.assets, tmp)
    written = len(rendered) + len(renderer.assets)
    model = renderer.env.globals["site"]
    return BuildResult(pages=len(rendered), files=written, participants=len(model.regions),
                       announcements=len(model.news))


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
