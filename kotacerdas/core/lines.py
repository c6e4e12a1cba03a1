"""Text for line-based formats: security.txt, robots.txt, the terminal and the CI log.

Content reaches lines that a reader splits or interprets: an RFC 9116 parser reads every
``Contact:`` line, a robots.txt parser every ``Sitemap:``, GitHub Actions every ``::error`` and
``##[warning]`` in a step's output, a terminal every escape sequence. Whatever the content
holds, it must stay inside the one line our code wrote. ``one_line`` is the only rule for that;
``log_line`` adds what the CI log needs on top.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Every character some reader takes as a line end or a command: C0 and C1 controls (LF, CR,
VT, FF, the file/group/record separators, NEL, ESC and CSI of terminal escape sequences, TAB,
DEL), the Unicode line and paragraph separators, and the bidirectional embedding, override and
isolate controls, which make a terminal show a line other than the one written."""

_V1_COMMAND = "##["
"""The runner's legacy workflow command syntax, which it finds anywhere in a line."""


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def one_line(text: str) -> str:
    """The text with every line break and control character written as a visible escape
    (``\\n``, ``\\x1b``, ``\\u2028``), so it cannot end its line or drive a terminal."""
    return _UNSAFE.sub(_escape, text)


def log_line(text: str) -> str:
    """One line for the terminal or the GitHub Actions log that the runner cannot read as a
    workflow command: ``one_line``, ``##[`` broken by a space, a leading ``::`` escaped."""
    line = one_line(text).replace(_V1_COMMAND, "## [")
    return "\\" + line if line.lstrip().startswith("::") else line
