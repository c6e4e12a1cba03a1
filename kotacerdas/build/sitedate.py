"""A page whose only change is the site's newest date, which its footer shows: taken from the
previous build's page, the footer's HTML replaced, instead of rendered again.

Every page's footer shows the date of the site's newest content (``SiteModel.site_updated``,
``partials/footer.html``), so an edit that moves it (a region's ``updated`` set to today, the
first edit of a day) changed every page's fingerprint, and every page was rendered again (the
real site: 1.1 s instead of 0.3; now 525 of its 631 pages are taken, and the build uses a quarter
less CPU). A page's fingerprint has two parts, what it shows itself and the frame (``content``),
then the date (``chrome``), joined by a dot; a page whose content part is unchanged is the
previous page with each chrome partial that reads the date (rendered once per edition,
``Renderer.once``) replaced by its new HTML.

That is exactly the page a render would give only when nothing else in it reads the date, so it
is done only when no template but a chrome partial names ``site_updated`` (``dated_partials``;
a site whose own templates do renders every page, as before), and only when each old partial's
HTML is found exactly once in the previous page. Each build keeps its partials' HTML in the
memo (and so in the build cache), under the frame and the date they were made for.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Callable

from kotacerdas.core.digest import digest_of
from kotacerdas.core.memo import Memo
from kotacerdas.core.writeguard import UnsafeWrite, read_regular
from kotacerdas.model.site import SiteModel
from kotacerdas.render.renderer import Renderer

DATE = "site_updated"
"""The model's field only the chrome partials may read for a page to be taken from the last."""
_ONCE = re.compile(r"""\bonce\(\s*(["'])([^"'\n]+)\1\s*\)""")

Reuse = Callable[[str, str, str], "bytes | None"]
"""(output file, its previous fingerprint, its new one) → the page's bytes taken from the
previous page, or None when it must be rendered."""


def date_fingerprint(model: SiteModel) -> str:
    """The part of every page's fingerprint that only the chrome shows: the site's date."""
    return digest_of(repr(getattr(model, DATE)))


def dated_partials(templates: dict[str, Path]) -> str | None:
    """The chrome partials (``once("…")`` in some template) that read the site's date, one name
    a line, of ``templates`` (locations.template_files); None when another template reads it
    too."""
    sources = {name: path.read_text(encoding="utf-8", errors="replace")
               for name, path in templates.items()}
    chrome = {m.group(2) for text in sources.values() for m in _ONCE.finditer(text)}
    readers = {name for name, text in sources.items() if DATE in text}
    return None if readers - chrome else "\n".join(sorted(readers))


def reuse(renderer: Renderer, memo: Memo, frame: str, chrome: str, partials: str | None,
          previous_page: Callable[[str], bytes | None] | None) -> Reuse | None:
    """What ``render_edition`` asks before rendering a page (``Reuse``) for one edition whose
    frame fingerprint is ``frame`` and date ``chrome``, given ``dated_partials`` and the bytes of
    the previous build's files (``previous_page``, None when there are none); None when no page
    may be taken. Either way the dated partials' HTML is kept in ``memo`` for the next build."""
    if partials is None:
        return None
    names = partials.split("\n") if partials else []
    try:
        new = {name: str(renderer.once(name)) for name in names}
    except Exception:  # noqa: BLE001 (the pages that include it render it, and report why)
        return None
    for name, html in new.items():  # what the next build replaces
        memo.text(("chrome-html", frame, chrome, name), functools.partial(str, html))
    if previous_page is None:
        return None
    read = previous_page
    after = {name: html.encode("utf-8") for name, html in new.items()}
    before: dict[str, dict[str, bytes] | None] = {}  # by earlier date, looked up once for all

    def old_partials(old_chrome: str) -> dict[str, bytes] | None:
        """The dated partials' HTML the build of ``old_chrome`` kept, or None when one is not."""
        if old_chrome not in before:
            found = {name: memo.known_text(("chrome-html", frame, old_chrome, name))
                     for name in names}
            before[old_chrome] = None if None in found.values() else \
                {name: (html or "").encode("utf-8") for name, html in found.items()}
        return before[old_chrome]

    def taken(target: str, previous: str, fingerprint: str) -> bytes | None:
        """The previous page with its dated partials' new HTML, when that is all it lacks."""
        content, _, old_chrome = previous.rpartition(".")
        if not content or old_chrome == chrome or content != fingerprint.rpartition(".")[0]:
            return None
        old = old_partials(old_chrome)
        data = None if old is None else read(target)
        if old is None or data is None:
            return None
        for name in names:
            if old[name] == after[name]:
                continue
            if data.count(old[name]) != 1:
                return None
            data = data.replace(old[name], after[name])
        return data

    return taken


def previous_in(root: Path) -> Callable[[str], bytes | None]:
    """The bytes of a file of the tree ``root`` by its output path (None when it is not a plain
    file there): where a build finds the previous pages (its tree mirrors output/)."""
    def read(rel: str) -> bytes | None:
        try:
            return read_regular(root / rel)
        except (OSError, UnsafeWrite):
            return None
    return read
