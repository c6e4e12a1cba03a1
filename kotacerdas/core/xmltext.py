"""XML written as text, byte for byte as ``xml.etree`` writes a tree once ``ET.indent`` has laid
it out (two spaces a level, UTF-8, an empty element as ``<tag />``).

The sitemap and the feeds are small trees written again whenever a date or an announcement
changes; building an ElementTree and serializing it cost five times more than the text itself
(the real site's sitemap, per edition: 12.6 ms against 1.8), and importing ``xml.etree`` about
4 ms of a build that converts no Markdown (Python-Markdown imports it). Tests compare this
module's output with ElementTree's.
"""

from __future__ import annotations

from typing import Sequence

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def element(depth: int, tag: str, attributes: Sequence[tuple[str, str]] = (),
            text: str | None = None, children: Sequence[str] = ()) -> str:
    """One element at nesting ``depth`` (the root is 0): its attributes in order, then either its
    children (elements this function wrote at ``depth + 1``), each on a line of its own, or its
    text; with neither (or an empty text) it is written empty. Text and values are escaped."""
    head = "<" + tag + "".join(f' {name}="{attribute(value)}"' for name, value in attributes)
    if children:
        inner = "\n" + "  " * (depth + 1)
        return f"{head}>{inner}{inner.join(children)}\n{'  ' * depth}</{tag}>"
    if text:
        return f"{head}>{escape(text)}</{tag}>"
    return head + " />"


def document(root: str) -> bytes:
    """The file of a root ``element``: the XML declaration, the root, a final newline."""
    return (DECLARATION + root + "\n").encode("utf-8")


def escape(text: str) -> str:
    """Character data as ElementTree escapes it: &, < and >."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def attribute(value: str) -> str:
    """An attribute value in double quotes as ElementTree escapes it: also the quote, and white
    space other than a space as character references, so that a parser reads it back
    unchanged."""
    value = escape(value)
    for char, reference in _ATTRIBUTE_REFERENCES:
        if char in value:
            value = value.replace(char, reference)
    return value


_ATTRIBUTE_REFERENCES = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))
