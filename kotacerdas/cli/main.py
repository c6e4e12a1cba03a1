"""Command line: ``python build.py [build|check|serve|new|import-regions|import-reference] …``.

Exit status: 0 success, 1 content errors (listed as path:line: message), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

from kotacerdas.cli import commands, report
from kotacerdas.core.errors import ContentError, UsageError
from kotacerdas.core.writeguard import WriteFailed

RUN: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": commands.build, "check": commands.check, "serve": commands.serve, "new": commands.new,
    "import-regions": commands.import_regions, "import-reference": commands.import_reference}
"""Each command's function (``commands.py``), by the name typed on the command line."""
COMMANDS = tuple(RUN)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the Kota Cerdas portal from content/ and templates/ into output/.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="build the site (the default command)")
    b.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    b.add_argument("--output", type=Path, help="output folder (default: SITE/output)")
    b.add_argument("--base-url", help="override base_url, e.g. https://x.github.io/kota-cerdas/")
    b.add_argument("--cache", type=Path, metavar="DIR",
                   help="build cache folder (default: SITE/.build-cache); unchanged inputs write "
                        "nothing, unchanged pages are reused")
    b.add_argument("--no-cache", action="store_true",
                   help="ignore and do not write the build cache")
    b.add_argument("--drafts", action="store_true",
                   help="include drafts and announcements dated in the future")
    _add_format(b)
    c = sub.add_parser("check", help="validate content and templates, check every internal link "
                                     "and #anchor; write nothing")
    c.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    c.add_argument("--external", action="store_true",
                   help="list the external links (they are never fetched)")
    _add_format(c)
    v = sub.add_parser("serve", help="live preview: build, serve under the production path, "
                                     "rebuild and reload on every save")
    v.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    v.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    v.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    v.add_argument("--drafts", action="store_true",
                   help="include drafts and announcements dated in the future")
    i = sub.add_parser("import-regions",
                       help="create/extend content/regions/ from a participants CSV")
    i.add_argument("csv", type=Path, help="CSV with columns name,type,province,cohort_year,"
                                          "source_url,note[,kode,official_name]")
    i.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    r = sub.add_parser("import-reference", help="convert wilayah.csv and cohorts.csv into "
                                                "content/reference/")
    r.add_argument("data_dir", type=Path, help="folder holding wilayah.csv and cohorts.csv")
    r.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    n = sub.add_parser("new", help="start a new announcement or region file, every field listed")
    n.add_argument("kind", choices=("announcement", "region"), help="what to create")
    n.add_argument("name", help="the announcement's title, or the kabupaten/kota's name or code")
    n.add_argument("--date", type=_date, help="announcement date YYYY-MM-DD (default: today "
                                              "in Asia/Jakarta)")
    n.add_argument("--site", type=Path, default=Path("."), help="site folder (default: .)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help"):
        args_list.insert(0, "build")
    args = _parser().parse_args(args_list)
    try:
        return RUN[args.command](args)
    except ContentError as exc:
        report.problems(exc.problems, args)
        return 1
    except UsageError as exc:
        report.error(exc)
        return 2
    except (WriteFailed, OSError) as exc:  # the system refused: one sentence, never a traceback
        report.error(exc if isinstance(exc, WriteFailed) else
                     WriteFailed(str(exc.filename or "a file"), exc, "stopped there"))
        return 1


# --- arguments ---------------------------------------------------------------------------------

def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "github"), default=None,
                   help="how to print problems: text (path:line: message) or github (workflow "
                        "annotations); default github when GITHUB_ACTIONS=true, else text")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None
