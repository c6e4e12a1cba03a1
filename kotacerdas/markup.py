"""Editors' Markdown to safe HTML: Python-Markdown, then the nh3 (ammonia) sanitizer.

Raw HTML in Markdown is allowed through Python-Markdown and then cleaned by an allowlist: no
scripts, styles, event handlers, iframes, forms or images, and only http(s), mailto and tel
links. Root-relative links are moved under the site's base path while sanitizing, so editors
write '/daerah/kota-bandung/' and it works under any subpath; every link is checked again after
that rewriting (``urls.is_safe_link``), the last step that can change it.
"""

from __future__ import annotations

import re
from typing import Callable

import markdown
import nh3

from .urls import SAFE_SCHEMES, as_browser_reads, is_safe_link

ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt",
                "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins",
                "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup",
                "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "ol": {"start"},
                      "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
                      **{f"h{i}": {"id"} for i in range(2, 7)}}
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_ID_SAFE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class ConversionFailed(Exception):
    """A document the converter could not turn into HTML; the message says what to simplify."""


class Converter:
    """One reusable Markdown instance plus a sanitizer bound to the site's URL helper."""

    def __init__(self, site_link: Callable[[str], str]):
        self._site_link = site_link
        self._md = self._markdown()

    def _markdown(self) -> markdown.Markdown:
        """A fresh Python-Markdown instance (one per converter: building one costs more than a
        document)."""
        return markdown.Markdown(extensions=["tables", "sane_lists", "toc"],
                                 extension_configs={"toc": {"permalink": False}},
                                 output_format="html")

    def _filter(self, tag: str, attr: str, value: str) -> str | None:
        """nh3's last word on each attribute: links rewritten, then checked as written."""
        if attr == "href":
            link = self._site_link(as_browser_reads(value))
            return link if is_safe_link(link) else None
        if attr == "id" and not _ID_SAFE.match(value):
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
            return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                             url_schemes=set(SAFE_SCHEMES), link_rel=None, strip_comments=True,
                             clean_content_tags={"script", "style", "noscript", "template",
                                                 "textarea", "iframe", "object", "embed", "svg",
                                                 "math"},
                             attribute_filter=self._filter)
        except RecursionError:
            self._md = self._markdown()
            raise ConversionFailed("nests lists, quotes, links or emphasis too deeply to be "
                                   "converted; use fewer levels of lists and quotes, and fewer "
                                   "'*', '_' and '[' in a row") from None
        except Exception as exc:  # noqa: BLE001 (a library failure is reported with the file)
            self._md = self._markdown()
            raise ConversionFailed(f"could not be converted ({type(exc).__name__}: {str(exc)[:200]}); "
                                   "simplify the text around unusual characters or markup") from None
