"""Python-Markdown's slow searches, made only in text that holds a character they need (imported
with Python-Markdown).

Python-Markdown tests each block of a document (a paragraph, a list) against its block
processors' expressions, then searches each text of it (a paragraph's, a list item's, a table
cell's) for each inline pattern from the last match on. Most expressions begin with a literal
character, which the regular expression engine finds at memory speed. Some begin with a
look-behind or with ``(?:^|\\n)``; those the engine tries at every position. On the benchmark
corpus (bodies with no code span, no heading marks and no quotes) they were about a fifth of all
conversion time, the code-span pattern alone about a seventh.

``Needles`` gives each of those expressions a search that first looks for a text one of its
matches must hold at or after where the search starts (a code span's backtick, a link's ``[``, a
heading's ``#``), and finds nothing at once when none is there; otherwise it is the expression's
own search. So every match found is the one Python-Markdown would find. An expression is given
it only while it is exactly the one read here (``KNOWN``): a Python-Markdown release that changes
one keeps its own search for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from markdown.extensions import Extension

if TYPE_CHECKING:
    from markdown import Markdown

INLINE = ("backtick", "reference", "link", "short_reference")
"""The inline patterns given the search (their ``compiled_re``)."""
BLOCK = (("hashheader", "RE"), ("setextheader", "RE"), ("hr", "SEARCH_RE"), ("quote", "RE"),
         ("reference", "RE"))
"""The block processors given the search, each by the attribute that holds its expression."""
KNOWN: dict[tuple[str, int], tuple[str, ...]] = {
    # a code span: backslashes a backtick follows, or a backtick
    (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", re.DOTALL | re.UNICODE): ("`",),
    # a link, a reference
    (r"(?<!\!)\[", re.DOTALL | re.UNICODE): ("[",),
    # '# heading'
    (r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
     re.UNICODE): ("#",),
    # a heading underlined with = or -: its first line break, then one of them
    (r"^.*?\n(?:=+|-+)[ ]*(\n|$)", re.MULTILINE | re.UNICODE): ("\n=", "\n-"),
    # a rule: three of -, _ or *
    (r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
     r"(?P=atomicgroup)[ ]*$", re.MULTILINE | re.UNICODE): ("-", "_", "*"),
    # '> quote'
    (r"(^|\n)[ ]{0,3}>[ ]?(.*)", re.UNICODE): (">",),
    # '[id]: url'
    (r'^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)'
     r'[ ]*)?$', re.MULTILINE | re.UNICODE): ("]:",),
}
"""Each expression read by hand (its text and flags) → the texts one of which every match of it
holds at or after the position its search starts from."""


class NeedleSearch:
    """A compiled expression searched only where one of its needles occurs (see the module)."""

    def __init__(self, expression: re.Pattern[str], needles: tuple[str, ...]):
        self.expression = expression
        self.needles = needles
        self.pattern = expression.pattern
        self.flags = expression.flags

    def _absent(self, text: str, start: int) -> bool:
        """Whether no needle occurs in ``text`` from ``start`` on (then nothing can match)."""
        for needle in self.needles:
            if text.find(needle, start) != -1:
                return False
        return True

    def finditer(self, text: str, start: int = 0) -> Iterator[re.Match[str]]:
        return iter(()) if self._absent(text, start) else self.expression.finditer(text, start)

    def search(self, text: str, start: int = 0) -> re.Match[str] | None:
        return None if self._absent(text, start) else self.expression.search(text, start)

    def match(self, text: str, start: int = 0) -> re.Match[str] | None:
        return None if self._absent(text, start) else self.expression.match(text, start)


def needled(expression: object) -> NeedleSearch | None:
    """The needle-first search of a compiled expression that ``KNOWN`` holds, else None."""
    if type(expression) is not re.Pattern:
        return None
    needles = KNOWN.get((expression.pattern, expression.flags))
    return NeedleSearch(expression, needles) if needles else None


class Needles(Extension):
    """Give the inline patterns of INLINE and the block processors of BLOCK the needle-first
    search (after the built-in ones are registered: these are the objects the parser uses)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        found: list[tuple[object, str]] = [(md.inlinePatterns[name], "compiled_re")
                                           for name in INLINE if name in md.inlinePatterns]
        found += [(md.parser.blockprocessors[name], attribute) for name, attribute in BLOCK
                  if name in md.parser.blockprocessors]
        for owner, attribute in found:
            search = needled(getattr(owner, attribute, None))
            if search is not None:
                setattr(owner, attribute, search)
