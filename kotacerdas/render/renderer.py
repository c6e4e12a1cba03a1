"""Render page specs through Jinja2 templates into HTML text.

Templates come from the site's own ``templates/`` first, then the built-in ones beside this
package, so a site can override a single template. Autoescaping is on for every template, and
undefined variables are errors, so a template mistake is reported instead of shipped.
"""

from __future__ import annotations

import hashlib
import sys
import traceback
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from kotacerdas.render import metadata
from kotacerdas.content.types import STATUSES, note_in
from kotacerdas.render.corrections import correction_url
from kotacerdas.core import urls as routes
from kotacerdas.core.errors import Problems
from kotacerdas.model.i18n import Catalogue, load_catalogue
from kotacerdas.content.load import digest_of, read_file
from kotacerdas.core.parallel import map_indexed
from kotacerdas.build.writer import write_file
from kotacerdas.build.fingerprints import DERIVED, _global_fingerprint, page_fingerprint  # noqa: F401
from kotacerdas.model.site import SiteModel
from kotacerdas.site.pages import DataFile, PageSpec

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
FOOTER_PAGES = ("tentang", "data", "aksesibilitas", "privasi", "kontak")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
"""Each language's name in itself, for the language switch (always shown in its own language)."""


def template_dirs(site: Path) -> list[Path]:
    """The site's templates folder (if any) before the built-in one."""
    own = site / "templates"
    dirs = [own] if own.is_dir() and own.resolve() != BUILTIN_TEMPLATES else []
    return dirs + [BUILTIN_TEMPLATES]


def asset_files(dirs: list[Path]) -> dict[str, Path]:
    """Theme files under templates/assets/, by name; the site's own win over built-in ones."""
    found: dict[str, Path] = {}
    for folder in reversed(dirs):
        base = folder / "assets"
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    found[path.relative_to(base).as_posix()] = path
    return found


class Renderer:
    """A configured Jinja2 environment for one site and model."""

    def __init__(self, site: Path, model: SiteModel, problems: Problems,
                 default: Renderer | None = None):
        """``default`` is the default-language edition's renderer, when this one is another's."""
        dirs = template_dirs(site)
        self.problems = problems
        self.dirs = dirs
        self.catalogue: Catalogue = load_catalogue(
            model.config.language, dirs, problems, default.catalogue if default else None)
        self.assets = asset_files(dirs)
        self._asset_versions = {name: hashlib.sha256(read_file(p, problems) or b"").hexdigest()[:10]
                                for name, p in self.assets.items()}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
            lstrip_blocks=True, keep_trailing_newline=True)
        t = self.catalogue
        static = {p.slug: p for p in model.pages}
        self.env.globals.update(
            t=t, site=model, config=model.config, routes=routes, url=model.urls.path,
            abs_url=model.urls.absolute, root_url=model.urls.root.path, asset=self.asset_url,
            static_pages=static, footer_pages=[static[s] for s in FOOTER_PAGES if s in static],
            lang_attr=self.lang_attr, editions=model.editions,
            language_names=LANGUAGE_NAMES, catalogues={model.language: t},
            note_of=lambda item: note_in(item, model.language), statuses=STATUSES,
            correction_url=lambda region='', year='': correction_url(
                model.config.repository, region, year))
        if default is not None:  # the site-wide pages (404) speak every edition's language
            default.env.globals["catalogues"][model.language] = t
        self.env.filters.update(date=t.date, number=t.number, isodate=lambda d: d.isoformat(),
                                host=host_name)
        self.env.filters["jsonld"] = metadata.jsonld
        self.env.globals["page_meta"] = lambda spec: metadata.page_meta(model, t, spec)
        self.url: Callable[[str], str] = model.urls.root.path
        self.model = model
        self.fingerprint = _global_fingerprint(dirs, model, problems)

    def asset_url(self, name: str) -> str:
        """URL of a theme file with a content hash, so browsers refetch it only when it changes."""
        version = self._asset_versions.get(name)
        if version is None:
            raise KeyError(f"theme file templates/assets/{name} does not exist")
        return f"{self.url(routes.asset(name))}?v={version}"

    def lang_attr(self, language: str) -> Markup:
        """' lang="id"' on text in another language than the page's, else nothing (WCAG 3.1.2)."""
        if not language or language == self.model.language:
            return Markup("")
        return Markup(' lang="{}"').format(language)

    def render(self, spec: PageSpec) -> str | None:
        """Render one page; template errors are recorded as problems with template file and line."""
        try:
            template = self.env.select_template(spec.template.split("|"))
            return template.render(page=spec, **spec.context)
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
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(sys.exc_info()[2] or exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".json")):
            found = (frame.filename, frame.lineno)
    return found


Rendered = dict[str, tuple[str, bytes]]
"""Output file → (fingerprint of everything that went into it, its bytes)."""


def render_all(renderer: Renderer, pages: list[PageSpec | DataFile],
               previous: Rendered | None = None, write_to: Path | None = None) -> Rendered:
    """Render every page into {output file: (fingerprint, bytes)}; failures become problems.

    With ``previous`` (an earlier result of this function), a page whose fingerprint is unchanged
    is not rendered again: its earlier bytes are reused. So is a non-HTML file that declares its
    inputs (``DataFile.deps``: feeds, sitemaps); the others are always produced.
    With ``write_to``, each rendered file is written there by the process that rendered it, and
    page bytes are not kept in memory (they come back as b""); an unchanged page is not written
    there (pipeline.build keeps the previous output's file).
    """
    previous = previous or {}
    out: Rendered = {}
    todo: list[tuple[str, str, PageSpec]] = []
    edition = renderer.model.urls
    for spec in pages:
        target = edition.file(spec.route)
        if target in out:
            renderer.problems.add("templates", None, f"two pages would be written to {target}")
            continue
        fp = page_fingerprint(renderer, spec) if isinstance(spec, PageSpec) else \
            "" if spec.deps is None else digest_of(repr((renderer.fingerprint, spec.route, spec.deps)))
        earlier = previous.get(target)
        if fp and earlier is not None and earlier[0] == fp:
            out[target] = earlier
            continue
        if isinstance(spec, DataFile):
            out[target] = (fp, spec.produce())
            if write_to is not None:
                write_file(write_to, target, out[target][1])
                out[target] = (fp, b"")
            continue
        out[target] = (fp, b"")  # keeps the site-map order; filled in below
        todo.append((target, fp, spec))
    for (target, fp, _), (data, problems, missing) in zip(
            todo, map_indexed(lambda i: _render_one(renderer, todo[i][2], todo[i][0], write_to),
                              len(todo))):
        renderer.problems.items.extend(problems)
        renderer.catalogue.missing.update(missing)
        if data is None:
            del out[target]
        else:
            out[target] = (fp, data)
    return out


def _render_one(renderer: Renderer, spec: PageSpec, target: str, write_to: Path | None
                ) -> tuple[bytes | None, list[Any], set[str]]:
    """Render (and maybe write) one page, returning what it recorded too (it may run in a worker)."""
    known = len(renderer.problems.items)
    missing = set(renderer.catalogue.missing)
    html = renderer.render(spec)
    data = None if html is None else html.encode("utf-8")
    if data is not None and write_to is not None:
        write_file(write_to, target, data)
        data = b""
    return data, renderer.problems.items[known:], renderer.catalogue.missing - missing


def context_of(spec: PageSpec) -> dict[str, Any]:
    """What a template receives for a page (used by tests and the check command)."""
    return {"page": spec, **spec.context}
