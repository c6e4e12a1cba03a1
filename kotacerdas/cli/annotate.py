"""Problems as GitHub workflow annotations, so a check failure shows on the pull request line.

GitHub Actions reads lines such as ``::error file=content/news/x.md,line=12::message`` from a
step's standard output and pins each one to that file and line in the pull request's "Files
changed" view. The escaping follows the Actions toolkit (``@actions/core`` ``command.ts``):
in the message ``%``, CR and LF are percent-encoded; in properties also ``:`` and ``,``, which
would otherwise end the property. A message containing an unescaped newline would be cut off.
The runner decodes nothing else, so every other control character (a terminal escape sequence,
U+2028 …) is written as a visible escape by ``lines.one_line``, the same rule as every other
line the generator prints (``lines.log_line``).
"""

from __future__ import annotations

import os
from typing import Iterable

from kotacerdas.core.errors import Problem
from kotacerdas.core.lines import log_line, one_line

FORMATS = ("text", "github")


def default_format(environ: dict[str, str] | None = None) -> str:
    """'github' inside GitHub Actions (GITHUB_ACTIONS=true), otherwise 'text'."""
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


def escape_data(text: str) -> str:
    """Escape a command's message (the part after '::')."""
    return one_line(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a property value (file=…, title=…): also ':' and ',', the property separators."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem, level: str = "error", prefix: str = "",
               title: str = "Kota Cerdas") -> str:
    """One ``::error file=…,line=…,title=…::message`` line for a problem.

    ``prefix`` is the site folder relative to the repository root (empty when they are the
    same), because GitHub resolves ``file`` from the root of the checkout.
    """
    if level not in ("error", "warning", "notice"):
        raise ValueError(f"unknown annotation level {level!r}")
    path = f"{prefix.rstrip('/')}/{problem.path}" if prefix and prefix != "." else problem.path
    props = [f"file={escape_property(path)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    if title:
        props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(problem.message)}"


def format_problems(problems: Iterable[Problem], fmt: str, prefix: str = "") -> list[str]:
    """Lines to print for some problems: ``path:line: message`` or annotations, one line each."""
    if fmt == "github":
        return [annotation(p, prefix=prefix) for p in problems]
    if fmt == "text":
        return [log_line(str(p)) for p in problems]
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
