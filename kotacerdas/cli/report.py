"""Every line the command line prints: results, problems, external links, translation gaps,
import reports. Each line goes through ``log_line`` or ``annotate``, so no content can start a
workflow command of its own (tests/core/test_lines.py)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kotacerdas.core.errors import Problem
from kotacerdas.core.lines import log_line

if TYPE_CHECKING:
    from kotacerdas.model.editions import Gap


def built(output: Path, pages: int, participants: int, announcements: int) -> None:
    """A build that wrote the site."""
    print(f"built {pages} pages ({participants} participants, {announcements} announcements) "
          f"into {output}")


def unchanged(output: Path) -> None:
    """A build that found nothing to do."""
    print(f"nothing changed since the last build; {output} left as it is")


def checked(pages: int, participants: int, announcements: int) -> None:
    """A check that passed."""
    print(f"ok: {pages} pages render ({participants} participants, {announcements} "
          "announcements, drafts included); internal links and anchors resolve")


def problems(found: list[Problem], args: argparse.Namespace) -> None:
    """Problems as ``path:line: message`` on stderr, and also as GitHub annotations on stdout;
    each one line that the Actions runner cannot read as a command of its own; then the total."""
    from kotacerdas.cli.annotate import default_format, format_problems

    fmt = getattr(args, "format", None) or default_format()
    if fmt == "github":
        for line in format_problems(found, "github", _repo_prefix(args)):
            print(line, flush=True)
    for line in format_problems(found, "text"):
        print(line, file=sys.stderr)
    n = len(found)
    print(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", file=sys.stderr)


def error(message: object) -> None:
    """A usage error or a refusal of the system, as one sentence on stderr."""
    print(log_line(f"error: {message}"), file=sys.stderr)


def refused(message: object) -> None:
    """``new`` refused to create a file."""
    print(log_line(f"refused: {message}"), file=sys.stderr)


def created(rel: str, next_step: str) -> None:
    """``new`` created a file: where, and what the editor does next."""
    print(f"created {rel} ({next_step})")


def wrote(paths: Iterable[Path]) -> None:
    """The files ``import-reference`` wrote."""
    for path in paths:
        print(log_line(f"wrote {path}"))


def imported(lines: Iterable[str]) -> None:
    """The report of ``import-regions``: one line per file touched, then totals."""
    for line in lines:
        print(log_line(line))


def _repo_prefix(args: argparse.Namespace) -> str:
    """The site folder relative to the checkout, which GitHub annotations' paths start from."""
    root = Path(os.environ.get("GITHUB_WORKSPACE") or ".").resolve()
    site = Path(getattr(args, "site", ".")).resolve()
    return site.relative_to(root).as_posix() if site.is_relative_to(root) else ""


def external(links: dict[str, list[str]], args: argparse.Namespace) -> None:
    """External links are listed (all with --external, folded in GitHub's log), never fetched."""
    from kotacerdas.cli.annotate import default_format

    if not links:
        return
    github = (args.format or default_format()) == "github"
    if not (args.external or github):
        print(f"{len(links)} external links were not checked (list them with --external)")
        return
    if github:
        print(f"::group::{len(links)} external links (listed, not checked)")
    for url, pages in links.items():
        more = f" and {len(pages) - 1} more" if len(pages) > 1 else ""
        print(log_line(f"{url}  (on {pages[0]}{more})"))
    if github:
        print("::endgroup::")


def translations(gaps: list[Gap], args: argparse.Namespace) -> None:
    """Translation completeness of the other editions: a report (exit status 0), never an error."""
    from kotacerdas.cli.annotate import annotation, default_format

    github = (args.format or default_format()) == "github"
    for language in sorted({g.language for g in gaps}):
        mine = [g for g in gaps if g.language == language]
        missing, outdated, strings = (sum(1 for g in mine if g.kind == kind)
                                      for kind in ("missing", "outdated", "string"))
        print(log_line(f"translation '{language}': {missing} pages/announcements not translated, "
                       f"{outdated} translations outdated, {strings} interface strings missing"))
        for g in mine:
            print(annotation(Problem(g.path, 0, g.message), "notice", _repo_prefix(args))
                  if github else log_line(f"  {g.path}: {g.message}"))
