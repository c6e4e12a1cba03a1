"""Editors' Markdown to safe HTML: Python-Markdown, then the nh3 (ammonia) sanitizer.

Raw HTML in Markdown is allowed through Python-Markdown and then cleaned by an allowlist: no
scripts, styles, event handlers, iframes, forms or images, and only http(s), mailto and tel
links. Root-relative links are moved under the site's base path while sanitizing, so editors
write '/daerah/kota-bandung/' and it works under any subpath; every link is checked again after
that rewriting (``urls.is_safe_link``), the last step that can change it.

Heading ids come from the heading text ('## Rincian Program' → 'rincian-program'), except that a
body never takes an id its page's templates use ('konten-utama', 'sumber', …; ``template_ids``):
such a heading gets the next free one, the way toc numbers a repeated heading ('sumber_1').

Python-Markdown is imported by ``Converter._markdown`` and nh3 by ``_sanitize``, the one place
each is used, and a converter builds its Markdown instance on its first conversion: a rebuild
whose bodies all come from the Markdown cache (model/site.py) imports neither.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from kotacerdas.core.locations import in_scratch
from kotacerdas.core.urls import SAFE_SCHEMES, as_browser_reads, is_safe_link

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt",
                "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins",
                "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup",
                "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "ol": {"start"},
                      "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
                      **{f"h{i}": {"id"} for i in range(2, 7)}}
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_ID_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TEMPLATE_ID = re.compile(r'\bid="([^"]*)"')
_TEMPLATE_ID_PART = re.compile(r"\{\{.*?\}\}|[a-z0-9_-]+")
NO_IDS = re.compile(r"(?!)")
"""An id rule that reserves nothing."""

if TYPE_CHECKING:
    import markdown


class ConversionFailed(Exception):
    """A document the converter could not turn into HTML; the message says what to simplify."""


class Converter:
    """One reusable Markdown instance plus a sanitizer bound to the site's URL helper."""

    def __init__(self, site_link: Callable[[str], str], reserved_ids: re.Pattern[str] = NO_IDS):
        """``reserved_ids`` matches the ids a body must not take (see ``template_ids``)."""
        self._site_link = site_link
        self._reserved = reserved_ids
        self._instance: markdown.Markdown | None = None

    @property
    def _md(self) -> markdown.Markdown:
        """The Markdown instance, made on first use: a converter that converts nothing (every
        text in the Markdown cache) neither builds one nor imports Python-Markdown."""
        if self._instance is None:
            self._instance = self._markdown()
        return self._instance

    def _markdown(self) -> markdown.Markdown:
        """A fresh Python-Markdown instance (one per converter: building one costs more than a
        document); the one place Python-Markdown is imported."""
        import markdown
        from markdown.extensions.sane_lists import SaneListExtension
        from markdown.extensions.tables import TableExtension
        from markdown.extensions.toc import slugify

        from kotacerdas.model.headingids import HeadingIds
        from kotacerdas.model.needles import Needles

        def heading_id(value: str, separator: str) -> str:
            """toc's id for a heading, moved past the ids the templates use."""
            return self._free_id(slugify(value, separator))

        # Instances, not names: a name makes Python-Markdown list every installed package's entry
        # points (importlib.metadata) to look for a plug-in of that name, about 35 ms a converter.
        return markdown.Markdown(extensions=[TableExtension(), SaneListExtension(),
                                             HeadingIds(permalink=False, slugify=heading_id),
                                             Needles()],
                                 output_format="html")

    def _free_id(self, slug: str) -> str:
        """``slug``, or the first of 'slug_1', 'slug_2', … that the templates do not use."""
        candidate = slug
        number = 0
        while self._reserved.fullmatch(candidate) and number < 100:
            number += 1
            candidate = f"{slug}_{number}"
        return candidate

    def _filter(self, tag: str, attr: str, value: str) -> str | None:
        """nh3's last word on each attribute: links rewritten, then checked as written."""
        if attr == "href":
            link = self._site_link(as_browser_reads(value))
            return link if is_safe_link(link) else None
        if attr == "id" and (not _ID_SAFE.match(value) or self._reserved.fullmatch(value)):
            return None
        return value

    def to_html(self, text: str) -> str:
        """Convert one document; headings are shifted so the body never has an h1.

        Raises ConversionFailed instead of whatever the libraries raise (RecursionError for
        nesting that mdlimits did not foresee), and starts afresh: a Markdown instance that
        failed midway keeps state that would spoil the next document.
        """
        try:
            self._md.reset()
            html = self._md.convert(text)
            if "<h1" in html:
                html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", html)
            return _sanitize(html, self._filter)
        except RecursionError:
            self._instance = None
            raise ConversionFailed("nests lists, quotes, links or emphasis too deeply to be "
                                   "converted; use fewer levels of lists and quotes, and fewer "
                                   "'*', '_' and '[' in a row") from None
        except Exception as exc:  # noqa: BLE001 (a library failure is reported with the file)
            self._instance = None
            raise ConversionFailed(
                f"could not be converted ({type(exc).__name__}: {str(exc)[:200]}); "
                "simplify the text around unusual characters or markup") from None


def _sanitize(html: str, attribute_filter: Callable[[str, str, str], str | None]) -> str:
    """The allowlist applied by nh3 (the one place nh3 is imported), ``attribute_filter`` having
    the last word on each attribute."""
    import nh3

    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=set(SAFE_SCHEMES), link_rel=None, strip_comments=True,
                     clean_content_tags={"script", "style", "noscript", "template", "textarea",
                                         "iframe", "object", "embed", "svg", "math"},
                     attribute_filter=attribute_filter)


def template_ids(folders: Iterable[Path]) -> re.Pattern[str]:
    """A rule matching every id the page templates write (``id="…"`` in ``*.html``).

    A ``{{ … }}`` part of a template id stands for any slug, the only values templates put
    there ('prov-{{ p.slug }}'); ids built some other way are not taken from the text.
    """
    patterns: set[str] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            if in_scratch(path.relative_to(folder)):
                continue  # emacs's .#base.html lock is a link to nowhere
            for value in _TEMPLATE_ID.findall(path.read_text(encoding="utf-8", errors="replace")):
                parts = _TEMPLATE_ID_PART.findall(value)
                if not parts or "".join(parts) != value:
                    continue
                patterns.add("".join("[a-z0-9-]+" if p.startswith("{{") else re.escape(p)
                                     for p in parts))
    return re.compile("|".join(sorted(patterns))) if patterns else NO_IDS
