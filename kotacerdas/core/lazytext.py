"""Texts read from the build cache that stay bytes until a build asks for them.

A one-edit build of a big site reads the converted HTML of every announcement from the cache
(build/cache.py), but renders only the few pages the edit touched: decoding all of it (65 MB at
10,000 announcements) cost more than anything else it did. A ``Span`` is such a text as the
UTF-8 bytes it was read from, decoded when a page asks for it (``text_of``, the one place the
model reads the Markdown cache: model/site.Html), and written back as those bytes when the
cache is saved again.
"""

from __future__ import annotations


class Span:
    """Bytes ``start`` to ``end`` of a signed block's UTF-8 (bounds checked when read, at
    character boundaries), decoded only by ``text``."""

    __slots__ = ("raw", "start", "end")

    def __init__(self, raw: memoryview, start: int, end: int) -> None:
        self.raw, self.start, self.end = raw, start, end

    def text(self) -> str:
        """The text itself."""
        return str(self.raw[self.start:self.end], "utf-8", "surrogatepass")

    def data(self) -> bytes:
        """The text's UTF-8, as it was read (what the cache writes again)."""
        return bytes(self.raw[self.start:self.end])

    def __eq__(self, other: object) -> bool:
        return self.text() == (other.text() if isinstance(other, Span) else other)

    def __hash__(self) -> int:
        return hash(self.text())

    def __repr__(self) -> str:
        return f"Span({self.text()!r})"


def text_of(value: str | Span) -> str:
    """A cached text as a build uses it: a Span decoded, a text as it is."""
    return value.text() if type(value) is Span else value  # type: ignore[return-value]


MarkdownCache = dict[tuple[str, str], "str | Span"]
"""Converted Markdown by (base path, digest of the text), as read from the cache (a ``Span``)
or made by this build (a ``str``); model/site.TEXT_DIGESTS entries map a document to its text's
digest the same way."""
