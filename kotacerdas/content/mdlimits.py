"""Bounds on the work one Markdown document may ask of the converter, checked before converting.

Python-Markdown (3.11) does some of its work in ways that grow with the square of the input, and
recurses for nesting. Measured on one core, one document:

- each '[' whose ']' is missing makes the link patterns read on to the end of the paragraph, and
  each '](' whose ')' is missing (or has a quote before it) does the same for the address:
  8,000 '[' in one paragraph take 15 s, 100 '[' before 200 KB of text 7 s;
- each '<' that starts an HTML tag or an <address> is read on to the next '>' anywhere in the
  document (100 unclosed '<a' before 200 KB of text: 1 s; 16 KB of '<a' lines: 3 s), and tags
  left open nest, which costs quadratically in the sanitizer too (100,000 '<b>': 65 s);
- a heading or horizontal line splits its paragraph and the rest is searched again (64 KB of
  '## a' lines without empty lines between them: 7 s); each paragraph costs more the more
  paragraphs follow it (170,000 one-line paragraphs, 512 KB: 31 s); toc numbers repeated
  headings one by one;
- every piece of inline markup (emphasis, code, a link, an escape, an entity, a line break)
  costs about 50 µs and copies its whole paragraph (62,500 '*a*' in one paragraph: 19 s), and
  every list item about 100 µs, more when nested;
- lists and quotes nest by recursion: 1,000 list markers on one line or 400 indented levels raise
  RecursionError (200 levels already take 1 s), and so do 1,000 '*' or '_' in a row.

``hazards`` estimates that work in one linear pass (how many characters each construct makes the
parser read) and says what to simplify. The limits are far above what real announcements and pages
use (tests/test_mdlimits.py shows that the repository's content and the benchmark corpus pass) and
keep a document at every limit to about a second. Neither markdown nor nh3 is imported here, and
ordinary documents are let through on cheap counts, so loading stays fast.
"""

from __future__ import annotations

import bisect
import re

MAX_LINK_SCAN = 1_000_000
"""Characters the link patterns may read from one document's '[' and '](' ."""
MAX_INLINE = 20_000
"""Characters that can start inline markup, in one document (each piece costs about 50 µs)."""
MAX_INLINE_SCAN = 200_000_000
"""Characters copied when each piece of inline markup in a paragraph is replaced (length ×
pieces, summed over paragraphs)."""
MAX_TAGS = 2_000
"""HTML tags and <addresses> ('<' followed by a letter, '/', '!' or '?') in one document."""
MAX_TAG_SCAN = 5_000_000
"""Characters read from each such '<' to the next '>', summed over the document."""
MAX_SPLIT_SCAN = 5_000_000
"""Characters searched again after each heading or horizontal line inside a paragraph."""
MAX_HEADINGS = 500
MAX_BLOCKS = 10_000
"""Paragraphs, lists and other parts of a document separated by empty lines."""
MAX_NESTING = 20
"""Levels of lists and quotes inside each other."""
MAX_LIST_LEVELS = 20_000
"""List items, each counted once per level it is nested in, in one document."""
MAX_RUN = 100
"""The same emphasis character ('*' or '_') in a row, outside a horizontal line."""

Hazard = tuple[int, str]
"""(line in the body, what is wrong and what to simplify)."""

_SEPARATOR = re.compile(r"\n(?:[ \t]*\n)+")
_LINK_TOKEN = re.compile(r"\\[\\`*_{}\[\]()>#+.!-]|[\[\]()\"']")
_TAG_TOKEN = re.compile(r"<[A-Za-z/!?]|>")
# These search "\n" + body, so every line starts after a literal "\n" (much faster than ^ with
# re.M).
_SPLIT_LINE = re.compile(r"\n(?:#|[ ]{0,3}(?:[-*_][ ]{0,2}){3,}[ \t]*(?=\n|$)|[=-]+[ \t]*(?=\n|$))")
_HEADING_LINE = re.compile(r"\n(?:#|[=-]+[ \t]*(?=\n|$))")
_NESTING = re.compile(r"\n(?:[ \t]*(?:>|(?:[*+-]|[0-9]{1,9}\.)(?=[ \t])))+")
_LONG_PREFIX = re.compile(r"\n[ \t>*+.0-9-]{%d}" % (MAX_NESTING + 1))
_INLINE_MARKS = ("`", "\\", "*", "_", "[", "<", "&", "  \n")
_LIST_LINE = re.compile(r"\n[ \t]*(?:>[ \t]*)*(?:[*+-]|[0-9]{1,9}\.)[ \t]")
_MARKER = re.compile(r">|[*+-]|[0-9]{1,9}\.")
_RULE_LINE = {c: re.compile(rf"[ ]{{0,3}}{re.escape(c)}+(?:[ ]{{1,2}}{re.escape(c)}+)*[ ]*")
              for c in "*_"}
"""A horizontal line of one character (Python-Markdown's rule, without its ambiguous groups)."""


def hazards(body: str) -> list[Hazard]:
    """Every limit the body goes over, in line order; empty for any ordinary document."""
    lines = "\n" + body
    blocks = _blocks(body) if _may_need_blocks(body) else []
    found = [_links(body, blocks), _inline(body, blocks), _tags(body), _splits(body, lines, blocks),
             _headings(body, lines), _paragraphs(body, blocks), _nesting(body, lines),
             _list_levels(body, lines), _runs(body)]
    return sorted(f for f in found if f is not None)


def _may_need_blocks(body: str) -> bool:
    """Whether a limit that is counted per paragraph could be reached at all: the cheap counts
    below bound the work even if every '[' and line were read to the end of the document."""
    newlines = body.count("\n")
    return ((body.count("[") + body.count("](")) * len(body) > MAX_LINK_SCAN
            or _inline_marks(body, 0, len(body)) * len(body) > MAX_INLINE_SCAN
            or newlines * len(body) > MAX_SPLIT_SCAN or newlines >= 2 * MAX_BLOCKS)


def _line(body: str, pos: int) -> int:
    return body.count("\n", 0, pos) + 1


def _blocks(body: str) -> list[tuple[int, int]]:
    """(start, end) of each part of the body between empty lines."""
    spans, start = [], 0
    for m in _SEPARATOR.finditer(body):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(body)))
    return [(s, e) for s, e in spans if s < e and not body[s:e].isspace()]


def _links(body: str, blocks: list[tuple[int, int]]) -> Hazard | None:
    total, worst, at, address = 0, -1, 0, False
    for start, end in blocks:
        if body.find("[", start, end) < 0:
            continue
        read, longest, pos, is_address = _link_scan(body, start, end)
        total += read
        if longest > worst:
            worst, at, address = longest, pos, is_address
    if total <= MAX_LINK_SCAN:
        return None
    if address:
        return (_line(body, at),
                "a link's address '(' is not closed with ')' (or its title's quote is not "
                "closed), and with the other unclosed links in this text it would take minutes to "
                "convert; write links as [text](address) or [text](address \"title\"), or split "
                "the paragraph with empty lines")
    return (_line(body, at),
            "a '[' is not closed with ']', and with the other unclosed '[' in this text it would "
            "take minutes to convert; close each link's text with ']' (a link is [text](address)), "
            "write \\[ for a bracket that is only text, or split the paragraph with empty lines")


def _link_scan(body: str, start: int, end: int) -> tuple[int, int, int, bool]:
    """(characters read, the longest read, where it starts, whether it is an address) in a block.

    A '[' is read up to its ']' (nesting counted), or to the end of the block; a link address
    after '](' up to its ')', or to the end of the block when a quote (a title) comes first,
    because the title's own rules can carry the reading on. Escaped characters do not count.
    """
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []
    quotes: list[int] = []
    reads: list[tuple[int, int, bool]] = []  # (start, end, is an address)
    address_at = -1
    for m in _LINK_TOKEN.finditer(body, start, end):
        c, pos = m.group(), m.start()
        if c == "[":
            brackets.append(pos)
        elif c == "]" and brackets:
            reads.append((brackets.pop(), pos, False))
            address_at = pos + 1 if body.startswith("(", pos + 1) else -1
        elif c == "(":
            parens.append((pos, pos == address_at))
        elif c == ")" and parens:
            opened, is_address = parens.pop()
            if is_address:
                quoted = bisect.bisect_left(quotes, opened) < len(quotes)
                reads.append((opened, end if quoted else pos, True))
        elif c in "\"'":
            quotes.append(pos)
    reads += [(opened, end, False) for opened in brackets]
    reads += [(opened, end, True) for opened, is_address in parens if is_address]
    if not reads:
        return 0, 0, start, False
    worst = max(reads, key=lambda r: r[1] - r[0])
    return sum(e - s for s, e, _ in reads), worst[1] - worst[0], worst[0], worst[2]


def _inline_marks(body: str, start: int, end: int) -> int:
    """Characters that can start inline markup (emphasis, code, escapes, links, tags, entities,
    line breaks) between two positions: an upper bound of the pieces Python-Markdown replaces,
    each of which copies its whole paragraph."""
    return sum(body.count(mark, start, end) for mark in _INLINE_MARKS)


def _inline(body: str, blocks: list[tuple[int, int]]) -> Hazard | None:
    marks = _inline_marks(body, 0, len(body))
    if marks > MAX_INLINE:
        return (1, f"has {marks:,} characters that start markup ('*', '_', '`', '\\', '[', '<', "
                   f"'&' or a line break); at most {MAX_INLINE:,} are allowed: split the text "
                   "into several files")
    total, worst, at = 0, -1, 0
    for start, end in blocks:
        copied = _inline_marks(body, start, end) * (end - start)
        total += copied
        if copied > worst:
            worst, at = copied, start
    if total <= MAX_INLINE_SCAN:
        return None
    return (_line(body, at), "this paragraph is long and full of markup ('*', '_', '`', '[', '<', "
                             "'&' or line breaks), which would take minutes to convert; split it "
                             "into shorter paragraphs with empty lines")


def _tags(body: str) -> Hazard | None:
    opening = body.count("<")
    if opening <= MAX_TAGS and opening * len(body) <= MAX_TAG_SCAN:
        return None
    count, read, pending, worst, at = 0, 0, [], -1, 0
    for m in _TAG_TOKEN.finditer(body):
        if m.group() != ">":
            count += 1
            pending.append(m.start())
            continue
        for opened in pending:
            read += m.start() - opened
            if m.start() - opened > worst:
                worst, at = m.start() - opened, opened
        pending = []
    for opened in pending:
        read += len(body) - opened
        if len(body) - opened > worst:
            worst, at = len(body) - opened, opened
    if count > MAX_TAGS:
        return (1, f"has {count:,} HTML tags or <addresses> ('<' followed by a letter, '/', '!' or "
                   f"'?'); at most {MAX_TAGS:,} are allowed: write the text in Markdown, write "
                   "&lt; for a '<' that is only text, or split the text into several files")
    if read > MAX_TAG_SCAN:
        return (_line(body, at), "a '<' here starts an HTML tag or <address> that is not closed "
                                 "with '>', and with the other unclosed ones in this text it would "
                                 "take minutes to convert; close it with '>', or write &lt; for a "
                                 "'<' that is only text")
    return None


def _splits(body: str, lines: str, blocks: list[tuple[int, int]]) -> Hazard | None:
    total, worst, at = 0, -1, 0
    for start, end in blocks:  # a position in ``lines`` is one after the same one in ``body``
        read = sum(end - m.start() for m in _SPLIT_LINE.finditer(lines, start, end + 1))
        total += read
        if read > worst:
            worst, at = read, start
    if total <= MAX_SPLIT_SCAN:
        return None
    return (_line(body, at), "this text has many headings or horizontal lines (---, ***) without "
                             "empty lines between them, which would take minutes to convert; put "
                             "an empty line before and after each heading and line")


def _headings(body: str, lines: str) -> Hazard | None:
    if body.count("\n") < MAX_HEADINGS:
        return None
    starts = [m.start() for m in _HEADING_LINE.finditer(lines)]
    if len(starts) <= MAX_HEADINGS:
        return None
    return (_line(body, starts[MAX_HEADINGS]),
            f"has {len(starts):,} headings; at most {MAX_HEADINGS:,} are allowed: split the text "
            "into several announcements or pages")


def _paragraphs(body: str, blocks: list[tuple[int, int]]) -> Hazard | None:
    if len(blocks) <= MAX_BLOCKS:
        return None
    return (_line(body, blocks[MAX_BLOCKS][0]),
            f"has {len(blocks):,} paragraphs (parts between empty lines); at most {MAX_BLOCKS:,} "
            "are allowed: remove empty lines that are not needed, or split the text into several "
            "files")


def _nesting(body: str, lines: str) -> Hazard | None:
    if not _LONG_PREFIX.search(lines):
        return None  # every level takes at least one character
    for m in _NESTING.finditer(lines):
        prefix = m.group()[1:]
        if len(prefix) <= MAX_NESTING:
            continue  # every level takes at least one character
        depth = len(_MARKER.findall(prefix)) + _indent(prefix) // 4
        if depth > MAX_NESTING:
            return (_line(body, m.start()),
                    f"lists or quotes are nested {depth:,} levels deep here; at most "
                    f"{MAX_NESTING} levels are allowed: use fewer list markers (- * + 1.) or '>' "
                    "in a row, or less indentation")
    return None


def _list_levels(body: str, lines: str) -> Hazard | None:
    if body.count("\n") < MAX_LIST_LEVELS // MAX_NESTING:
        return None  # fewer lines than that, each nested at most MAX_NESTING deep (_nesting)
    total = 0
    for m in _LIST_LINE.finditer(lines):
        end = lines.find("\n", m.end())
        prefix = _NESTING.match(lines, m.start(), len(lines) if end < 0 else end)
        assert prefix is not None  # it matches wherever _LIST_LINE does
        total += len(_MARKER.findall(prefix.group())) + _indent(prefix.group()[1:]) // 4
    if total <= MAX_LIST_LEVELS:
        return None
    return (1, f"has {total:,} list items (each counted once for every level it is nested in); "
               f"at most {MAX_LIST_LEVELS:,} are allowed: split the text into several files, or "
               "nest the lists less")


def _indent(line: str) -> int:
    """Columns of white space a line starts with, a tab reaching the next multiple of 4."""
    col = 0
    for c in line:
        if c == " ":
            col += 1
        elif c == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def _runs(body: str) -> Hazard | None:
    for char in "*_":
        run, pos = char * (MAX_RUN + 1), 0
        while (pos := body.find(run, pos)) >= 0:
            line_start = body.rfind("\n", 0, pos) + 1
            line_end = body.find("\n", pos)
            line_end = len(body) if line_end < 0 else line_end
            if not _RULE_LINE[char].fullmatch(body, line_start, line_end):
                return (_line(body, pos), f"has more than {MAX_RUN} '{char}' in a row; write "
                                          f"fewer, or \\{char} for a '{char}' that is only text")
            pos = line_end  # a horizontal line, not emphasis
    return None
