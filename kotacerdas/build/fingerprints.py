"""What went into each output file, and the reuse of the previous build's file when that is
unchanged.

A page's fingerprint names everything its bytes depend on (templates, strings, assets, config,
site chrome, its own content); a page whose fingerprint equals the previous build's is not
rendered again: the previous build's file stays in the tree (the sink's tree starts as a copy of
it, writer.new_tree). Rendering itself (render/renderer.py) only turns specs into bytes.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kotacerdas.build.sitedate import Reuse
from kotacerdas.content.read import read_file, settled_stamp
from kotacerdas.core.digest import digest_of, digest_of_values
from kotacerdas.core.errors import Problems
from kotacerdas.core.locations import in_scratch
from kotacerdas.core.memo import Memo
from kotacerdas.core.records import record
from kotacerdas.model.site import SiteModel
from kotacerdas.render.renderer import Renderer, Sink, render_pages
from kotacerdas.site.pages import DataFile, PageSpec

DERIVED = frozenset({"body"})
"""Context values made from content the page's deps already name (a page's HTML comes from its
file, whose digest is in deps): left out of the fingerprint, which would otherwise hash every
announcement's whole text on every build."""


@record
class Rendered:
    """Every output file of one edition or site, in site-map order."""

    fingerprints: dict[str, str]
    """Output file → fingerprint of what went into it ("" for a file that declares no inputs)."""
    fresh: frozenset[str]
    """The files produced by this build; the others are the previous build's, unchanged."""
    kept: dict[str, bytes]
    """The bytes the sink handed back instead of writing them (all of them, for ``check``)."""
    waiting: frozenset[str] = frozenset()
    """Files left as the previous build made them, unchecked, for a later build (``wait``)."""


def page_fingerprint(site_fingerprint: str, model: SiteModel, spec: PageSpec,
                     memo: Memo | None = None) -> str:
    """Everything a page's output depends on: templates, site-wide parts, its own content;
    ``memo`` keeps each by that whole input, so a save hashes only the pages it changed."""
    deps = spec.deps if spec.deps is not None else (model.fingerprints["site"],)
    # each scalar with its type: 1 == True, and a key must not mistake one for the other
    scalars = tuple([(k, type(v), v) for k, v in spec.context.items()
                     if k not in DERIVED and (v is None or isinstance(v, (str, int, bool)))])
    inputs = (site_fingerprint, spec.route, spec.template, spec.title, spec.breadcrumbs,
              spec.updated, spec.description, spec.lang, deps, scalars)
    if memo is None:
        return _fingerprint_of(inputs)
    return memo.get(("page-fingerprint", inputs), functools.partial(_fingerprint_of, inputs))


def _fingerprint_of(inputs: tuple[Any, ...]) -> str:
    """The digest of a page's inputs (its scalars by name, whatever the context's order; its
    date by its ISO text, which digest_of_values takes as it is)."""
    *fields, updated, description, lang, deps, scalars = inputs
    return digest_of_values(
        (*fields, None if updated is None else updated.isoformat(), description, lang, deps,
         tuple(sorted([(k, v) for k, _, v in scalars], key=_name)) if scalars else ()))


def _name(scalar: tuple[str, Any]) -> str:
    """A context scalar's name, by which the scalars are put in order."""
    return scalar[0]


def data_fingerprint(site_fingerprint: str, spec: DataFile) -> str:
    """A non-HTML file's inputs when it declares them (feeds, sitemaps), else "": always made."""
    return "" if spec.deps is None else digest_of(repr((site_fingerprint, spec.route, spec.deps)))


def templates_digest(dirs: list[Path], problems: Problems, memo: Memo | None = None) -> str:
    """Every file of the template folders (templates, strings, assets), by name and content;
    ``memo`` keeps the digest of a settled file's content (content/read.settled_stamp)."""
    memo = Memo() if memo is None else memo
    h = hashlib.blake2b(digest_size=16)
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not in_scratch(path.relative_to(folder)):
                stamp = settled_stamp(path)
                content = _content_digest(path, problems) if stamp is None else memo.checked(
                    ("content-digest", stamp), problems, lambda found: _content_digest(path, found))
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + content)
    return h.hexdigest()


def _content_digest(path: Path, problems: Problems) -> bytes:
    """A file's content digest (that of no bytes when it cannot be read: the read says why)."""
    return hashlib.blake2b(read_file(path, problems) or b"", digest_size=16).digest()


def global_fingerprint(templates: str, model: SiteModel) -> str:
    """What every page shows or is shaped by (the frame): templates, strings, assets
    (``templates``, from templates_digest), config, the footer's links; not the site's date,
    which pages show only in their chrome (build/sitedate.py: ``date_fingerprint``, the second
    part of every page's fingerprint)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(templates.encode())
    h.update(repr((model.fingerprints["config"], model.urls.origin, model.urls.base_path,
                   model.urls.prefix, [lang for lang, _ in model.editions],
                   [(p.slug, p.title, p.lang) for p in model.pages])).encode())
    return h.hexdigest()


def render_edition(renderer: Renderer, site_fingerprint: str, pages: list[PageSpec | DataFile],
                   previous: dict[str, str], sink: Sink, memo: Memo | None = None,
                   wait: Callable[[str], bool] | None = None, chrome: str = "",
                   reuse: Reuse | None = None) -> Rendered:
    """Produce every file of one edition whose fingerprint differs from ``previous`` (the
    fingerprints of the files the sink's tree already holds), handing the bytes to ``sink``;
    failures and missing interface strings are added to the renderer's problems and catalogue.

    A page's fingerprint is its own and the frame's (``site_fingerprint``), then ``chrome``
    (build/sitedate.py), after a dot; a data file's covers both. A page whose fingerprint is
    unchanged is not rendered again, nor a non-HTML file that declares its inputs
    (``DataFile.deps``); the other data files are always produced. A changed page that
    ``reuse`` can take from the previous one is not rendered either.
    ``memo`` keeps the fingerprints of unchanged pages (page_fingerprint). A file that ``wait``
    names (one the sink's tree holds) keeps its previous bytes and fingerprint this time,
    unchecked: it is ``waiting``, and the next build without ``wait`` checks it.
    """
    fingerprints: dict[str, str] = {}
    fresh: set[str] = set()
    waiting: set[str] = set()
    made: dict[str, bytes | None] = {}
    todo: list[tuple[str, PageSpec]] = []
    edition = renderer.model.urls
    for spec in pages:
        target = edition.file(spec.route)
        if target in fingerprints:
            renderer.problems.add("templates", None, f"two pages would be written to {target}")
            continue
        if wait is not None and wait(target):  # the previous build's file, not even checked
            fingerprints[target] = previous.get(target, "")
            waiting.add(target)
            continue
        fp = page_fingerprint(site_fingerprint, renderer.model, spec, memo) + "." + chrome \
            if isinstance(spec, PageSpec) else data_fingerprint(f"{site_fingerprint}.{chrome}",
                                                                spec)
        fingerprints[target] = fp
        if fp and previous.get(target) == fp:
            continue
        fresh.add(target)
        if isinstance(spec, DataFile):
            made[target] = sink(target, spec.produce())
        elif reuse is not None and (data := reuse(target, previous.get(target, ""), fp)) \
                is not None:
            made[target] = sink(target, data)
        else:
            todo.append((target, spec))
    for (target, _), page in zip(todo, render_pages(renderer, todo, sink)):
        renderer.problems.items.extend(page.problems)
        renderer.catalogue.missing.update(page.missing)
        renderer.catalogue.formats.adopt(page.formatted)
        if page.failed:
            del fingerprints[target]
            fresh.discard(target)
        else:
            made[target] = page.kept
    kept = {target: data for target in fingerprints
            if (data := made.get(target)) is not None}
    return Rendered(fingerprints, frozenset(fresh), kept, frozenset(waiting))
