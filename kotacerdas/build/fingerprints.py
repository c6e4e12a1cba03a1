"""What went into each output file: the fingerprints that let a rebuild reuse unchanged pages."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from kotacerdas.content.load import digest_of, read_file
from kotacerdas.core.errors import Problems
from kotacerdas.model.site import SiteModel
from kotacerdas.site.pages import PageSpec

if TYPE_CHECKING:
    from kotacerdas.render.renderer import Renderer


DERIVED = frozenset({"body"})
"""Context values made from content the page's deps already name (a page's HTML comes from its
file, whose digest is in deps): left out of the fingerprint, which would otherwise hash every
announcement's whole text on every build."""


def page_fingerprint(renderer: Renderer, spec: PageSpec) -> str:
    """Everything a page's output depends on: templates, site-wide parts, its own content."""
    deps = spec.deps if spec.deps is not None else (renderer.model.fingerprints["site"],)
    scalars = sorted((k, v) for k, v in spec.context.items()
                     if k not in DERIVED and (v is None or isinstance(v, (str, int, bool))))
    return digest_of(repr((renderer.fingerprint, spec.route, spec.template, spec.title,
                           spec.breadcrumbs, spec.updated, spec.description, spec.lang, deps,
                           scalars)))


def _global_fingerprint(dirs: list[Path], model: SiteModel, problems: Problems) -> str:
    """What every page shows or is shaped by: templates, strings, assets, config, site chrome."""
    h = hashlib.blake2b(digest_size=16)
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode() + b"\0"
                         + (read_file(path, problems) or b""))
    h.update(repr((model.fingerprints["config"], model.urls.origin, model.urls.base_path,
                   model.urls.prefix, [lang for lang, _ in model.editions], model.site_updated,
                   [(p.slug, p.title, p.lang) for p in model.pages])).encode())
    return h.hexdigest()
