"""Python-Markdown's toc extension for its heading ids alone (imported with Python-Markdown).

The site uses toc only for the ids of headings (links to a section, '#rincian-program'). For each
document toc also builds a table of contents, serializes it, and walks the whole tree looking for
the '[TOC]' marker to put it in: about a twentieth of a conversion, for a result no page shows.
``HeadingIds`` keeps toc's ids exactly and skips that work, except in a document whose text has
the marker, which gets toc's table as before.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

from markdown.extensions.toc import TocExtension, TocTreeprocessor

if TYPE_CHECKING:
    from markdown.extensions.toc import _TocToken  # the type stubs' name for a toc entry


class _IdsFirst(TocTreeprocessor):
    """toc's tree step, building its table of contents only for a document with the marker."""

    marked = True

    def run(self, doc: etree.Element) -> None:
        """Ids as toc gives them; a table only where some element's text holds the marker
        (toc replaces an element whose whole text is the marker, so none is missed)."""
        marker = self.marker
        self.marked = bool(marker) and any(marker in el.text for el in doc.iter() if el.text)
        super().run(doc)

    def build_toc_div(self, toc_list: list[_TocToken]) -> etree.Element:
        """toc's table, or an empty one that nothing reads when there is no marker to replace."""
        return super().build_toc_div(toc_list) if self.marked else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        """toc's search for the marker, only when the text has one."""
        if self.marked:
            super().replace_marker(root, elem)


class HeadingIds(TocExtension):
    """The toc extension, its table of contents made only for a document that asks for one."""

    TreeProcessorClass = _IdsFirst
