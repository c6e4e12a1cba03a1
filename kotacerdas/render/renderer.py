"""Render page specs through Jinja2 templates into bytes; rendering never writes.

Each page's bytes go to a sink the caller chooses (``Sink``: the build's writes them into its new
tree, ``check`` keeps them); which pages need rendering at all is the build's decision
(build/fingerprints.py).

Templates come from the site's own ``templates/`` first, then the built-in ones beside this
package, so a site can override a single template. Autoescaping is on for every template, and
undefined variables are errors, so a template mistake is reported instead of shipped.
The chrome partials that are the same on every page of an edition (templates/partials/: theme
links, banner, search form, footer) are rendered once per edition (``Renderer.once``).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from kotacerdas.render import metadata
from kotacerdas.render.charts import Figures
from kotacerdas.content.types import STATUSES, note_in
from kotacerdas.render.corrections import correction_url
from kotacerdas.core import urls as routes
from kotacerdas.core.errors import Problem, Problems
from kotacerdas.model.i18n import Catalogue
from kotacerdas.content.read import read_file
from kotacerdas.core.locations import in_scratch, template_dirs
from kotacerdas.core.memo import Memo
from kotacerdas.core.parallel import map_indexed
from kotacerdas.core.records import record
from kotacerdas.model.site import SiteModel
from kotacerdas.site.pages import PageSpec

FOOTER_PAGES = ("tentang", "data", "aksesibilitas", "privasi", "kontak")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
"""Each language's name in itself, for the language switch (always shown in its own language)."""


def asset_files(dirs: list[Path]) -> dict[str, Path]:
    """Theme files under templates/assets/, by name; the site's own win over built-in ones.
    Scratch files (core/locations.is_scratch: .DS_Store, style.css~) are never published."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs):
        base = folder / "assets"
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                rel = path.relative_to(base)
                if path.is_file() and not path.is_symlink() and not in_scratch(rel):
                    found[rel.as_posix()] = path
    return found


def asset_version(data: bytes) -> str:
    """The version a theme file's URL carries (``?v=``): a hash of its content, so one URL names
    one content, and a browser may keep the file as long as it likes."""
    return hashlib.sha256(data).hexdigest()[:10]


class Renderer:
    """A configured Jinja2 environment for one site and model."""

    def __init__(self, site: Path, model: SiteModel, catalogue: Catalogue, problems: Problems,
                 default: Renderer | None = None, compiled: jinja2.BytecodeCache | None = None,
                 memo: Memo | None = None):
        """``catalogue`` holds the edition's interface strings (read by content/strings.py);
        ``default`` is the default-language edition's renderer, when this one is another's;
        ``compiled`` keeps templates compiled across environments (render/compiled.py);
        ``memo`` keeps what figures derive from unchanged input (the map's projection)."""
        dirs = template_dirs(site)
        self.problems = problems
        self.dirs = dirs
        self.catalogue = catalogue
        self.assets = asset_files(dirs)
        self._asset_versions = {name: asset_version(read_file(p, problems) or b"")
                                for name, p in self.assets.items()}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=True, bytecode_cache=compiled)
        t = self.catalogue
        static = {p.slug: p for p in model.pages}
        self.catalogues: dict[str, Catalogue] = {model.language: t}
        """Each language's catalogue for this renderer's pages (the templates' ``catalogues``)."""
        self.env.globals.update(
            t=t, site=model, figures=Figures(model, memo), config=model.config, routes=routes,
            url=model.urls.path,
            abs_url=model.urls.absolute, root_url=model.urls.root.path, asset=self.asset_url,
            static_pages=static, footer_pages=[static[s] for s in FOOTER_PAGES if s in static],
            lang_attr=self.lang_attr, editions=model.editions,
            language_names=LANGUAGE_NAMES, catalogues=self.catalogues,
            note_of=lambda item: note_in(item, model.language), statuses=STATUSES,
            correction_url=lambda region='', year='': correction_url(
                model.config.repository, region, year))
        if default is not None:  # the site-wide pages (404) speak every edition's language
            default.catalogues[model.language] = t
        self.env.filters.update(date=t.date, number=t.number, isodate=lambda d: d.isoformat(),
                                host=host_name)
        self.env.filters["jsonld"] = metadata.jsonld
        self.env.globals["page_meta"] = lambda spec: metadata.page_meta(model, t, spec)
        self.url: Callable[[str], str] = model.urls.root.path
        self.model = model
        self._once: dict[str, Markup] = {}
        self.env.globals["once"] = self.once

    def asset_url(self, name: str) -> str:
        """URL of a theme file with a content hash, so browsers refetch it only when it changes."""
        version = self._asset_versions.get(name)
        if version is None:
            raise KeyError(f"theme file templates/assets/{name} does not exist")
        return f"{self.url(routes.asset(name))}?v={version}"

    def once(self, name: str) -> Markup:
        """A partial that is the same on every page of the edition (banner, footer), rendered at
        its first use and then reused, so pages do not pay for it again. It sees the globals and
        never ``page``: a page-dependent bit in it is an error, not one page's markup on all.
        It stands for the line that names it (that line gives its last newline)."""
        found = self._once.get(name)
        if found is None:
            html = self.env.get_template(name).render()
            found = self._once[name] = Markup(html[:-1] if html.endswith("\n") else html)
        return found

    def lang_attr(self, language: str) -> Markup:
        """' lang="id"' on text in another language than the page's, else nothing (WCAG 3.1.2)."""
        if not language or language == self.model.language:
            return Markup("")
        return Markup(' lang="{}"').format(language)

    def render(self, spec: PageSpec) -> str | None:
        """Render one page; template errors are recorded as problems with template file and line."""
        try:
            template = self.env.select_template(spec.template.split("|"))
            return template.render(page=spec, **spec.values())
        except jinja2.TemplateSyntaxError as exc:
            self.problems.add(exc.filename or exc.name or "templates", exc.lineno,
                              f"template syntax error: {exc.message}")
        except Exception as exc:  # noqa: BLE001 (any template runtime error becomes a report)
            path, line = _template_frame(exc)
            self.problems.add(path or "templates", line,
                              f"template error while rendering /{spec.route}: "
                              f"{type(exc).__name__}: {exc}")
        return None


def host_name(url: str) -> str:
    """The host of an address as a reader would name the site ('www.' dropped): what a citation
    without a title shows instead of the address's path."""
    host = urlsplit(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost traceback frame that is a template file (Jinja2 rewrites frames to them)."""
    import traceback  # only a failing template pays for importing it
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(sys.exc_info()[2] or exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".json")):
            found = (frame.filename, frame.lineno)
    return found


Sink = Callable[[str, bytes], bytes | None]
"""Where a rendered file goes: called with (output file, bytes) in the process that rendered it
(a forked worker for a big site, so it must not rely on the parent's memory changing); it writes
the bytes and returns None, or returns them to be kept in memory."""


@record
class RenderedPage:
    """What rendering one page gave, as it comes back from the process that rendered it."""

    failed: bool
    kept: bytes | None
    """What the sink returned for the page's bytes (None when it wrote them, or on failure)."""
    problems: tuple[Problem, ...]
    missing: frozenset[str]
    """Interface strings the page asked for that the catalogue lacks."""
    formatted: tuple[tuple[str, str], ...] = ()
    """The dates and numbers this page was the first to ask for (model/i18n.Formats.fresh)."""


def render_pages(renderer: Renderer, pages: Sequence[tuple[str, PageSpec]], sink: Sink
                 ) -> list[RenderedPage]:
    """Render (output file, spec) pairs in order, in forked workers when there are many (only
    what the sink keeps travels back to the parent); the renderer is left as it was.

    The first page of each template is rendered here first, so that the templates it loads are
    compiled once, in this process: forked workers inherit them instead of each compiling them
    again, and the environment's bytecode cache (render/compiled.py) keeps them."""
    first: dict[str, int] = {}
    for i, (_, spec) in enumerate(pages):
        first.setdefault(spec.template, i)
    done = {i: render_page(renderer, pages[i][1], pages[i][0], sink) for i in first.values()}
    rest = [i for i in range(len(pages)) if i not in done]
    done.update(zip(rest, map_indexed(
        lambda j: render_page(renderer, pages[rest[j]][1], pages[rest[j]][0], sink), len(rest))))
    return [done[i] for i in range(len(pages))]


def render_page(renderer: Renderer, spec: PageSpec, target: str, sink: Sink) -> RenderedPage:
    """Render one page and hand its bytes to ``sink``, returning what it recorded instead of
    leaving it on the renderer (it may run in a worker, whose records the parent never sees)."""
    known = len(renderer.problems.items)
    missing = set(renderer.catalogue.missing)
    fresh = renderer.catalogue.formats.fresh
    formats = len(fresh)
    html = renderer.render(spec)
    problems = tuple(renderer.problems.items[known:])
    added = frozenset(renderer.catalogue.missing - missing)
    del renderer.problems.items[known:]
    renderer.catalogue.missing.difference_update(added)
    formatted = tuple(fresh[formats:])
    if html is None:
        return RenderedPage(True, None, problems, added, formatted)
    return RenderedPage(False, sink(target, html.encode("utf-8")), problems, added, formatted)


def context_of(spec: PageSpec) -> dict[str, Any]:
    """What a template receives for a page (used by tests and the check command)."""
    return {"page": spec, **spec.values()}
