"""Command line: ``python build.py [build|check|serve|new|import-regions|import-reference] …``.

Exit status: 0 success, 1 content errors (listed as path:line: message), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from kotacerdas.core.errors import ContentError, Problem, Problems, UsageError
from kotacerdas.core.lines import log_line
from kotacerdas.core.writeguard import WriteFailed

COMMANDS = ("build", "check", "serve", "new", "import-regions", "import-reference")


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
    b.add_argument("--no-cache", action="store_true", help="ignore and do not write the build cache")
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
    i = sub.add_parser("import-regions", help="create/extend content/regions/ from a participants CSV")
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
        return _run(args)
    except ContentError as exc:
        _print_problems(exc.problems, args)
        n = len(exc.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(log_line(f"error: {exc}"), file=sys.stderr)
        return 2
    except (WriteFailed, OSError) as exc:  # the system refused: one sentence, never a traceback
        failed = exc if isinstance(exc, WriteFailed) else \
            WriteFailed(str(exc.filename or "a file"), exc, "stopped there")
        print(log_line(f"error: {failed}"), file=sys.stderr)
        return 1


def _site(args: argparse.Namespace) -> Path:
    site: Path = args.site
    if not site.is_dir():
        raise UsageError(f"site folder {site} does not exist")
    return site


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        site = _site(args)
        output = args.output or site / "output"
        if args.base_url and not args.base_url.startswith(("http://", "https://")):
            raise UsageError("--base-url must start with https:// (or http://)")
        cache_dir = None if args.no_cache else (args.cache or site / ".build-cache")
        probe, today = None, None
        if cache_dir:
            # A first look at the cache before the generator's heavy modules are even imported:
            # a build with nothing to do finishes in the time it takes to stat the files.
            from kotacerdas.build import cache
            from kotacerdas.build.writer import check_output_dir, tidy
            check_output_dir(output, site)
            cache.check_folder(cache_dir)
            today = cache.today_in_jakarta()
            probe = cache.probe(cache_dir, site, output, args.base_url, args.drafts, today)
            if probe.unchanged:
                tidy(output)
                print(f"nothing changed since the last build; {output} left as it is")
                return 0
        from kotacerdas.build import pipeline
        result = pipeline.build(site, output, base_url=args.base_url, drafts=args.drafts,
                                today=today, cache_dir=cache_dir, probe=probe)
        if result.unchanged:
            print(f"nothing changed since the last build; {output} left as it is")
        else:
            print(f"built {result.pages} pages ({result.participants} participants, "
                  f"{result.announcements} announcements) into {output}")
        return 0
    from kotacerdas.build import pipeline
    if args.command == "check":
        result = pipeline.check(_site(args))
        print(f"ok: {result.pages} pages render ({result.participants} participants, "
              f"{result.announcements} announcements, drafts included); internal links and "
              "anchors resolve")
        _print_external(result.external, args)
        _print_translations(result.translations, args)
        return 0
    if args.command == "new":
        return _new(args)
    if args.command == "serve":
        from kotacerdas.preview.serve import serve
        return serve(_site(args), host=args.host, port=args.port, drafts=args.drafts)
    if args.command == "import-reference":
        from kotacerdas.editors.importer import import_reference
        site = _site(args)
        if not args.data_dir.is_dir():
            raise UsageError(f"{args.data_dir} is not a folder (it should hold wilayah.csv and "
                             "cohorts.csv)")
        for path in import_reference(args.data_dir, site):  # all or nothing: ContentError
            print(log_line(f"wrote {path}"))
        return 0
    if args.command == "import-regions":
        return _import_regions(args)
    raise UsageError(f"unknown command {args.command}")


def _import_regions(args: argparse.Namespace) -> int:
    from kotacerdas.editors.importer import import_regions
    from kotacerdas.content.reference import load_reference
    from kotacerdas.model.site import today_in_jakarta

    site = _site(args)
    if not args.csv.is_file():
        raise UsageError(f"{args.csv} does not exist")
    problems = Problems(site)
    provinces, kabkota, _, has_reference = load_reference(site / "content" / "reference", problems)
    problems.raise_if_any()
    if not has_reference:
        raise UsageError("content/reference/ is missing; run 'python build.py import-reference DIR' first")
    report = import_regions(args.csv, site, kabkota, {p.code: p.name for p in provinces},
                            today_in_jakarta())  # all or nothing: ContentError lists every problem
    for line in report.lines():
        print(log_line(line))
    return 0


# --- output formats, `new` ------------------------------------------------------------------

def _add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "github"), default=None,
                   help="how to print problems: text (path:line: message) or github (workflow "
                        "annotations); default github when GITHUB_ACTIONS=true, else text")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def _print_problems(problems: list[Problem], args: argparse.Namespace) -> None:
    """Problems as ``path:line: message`` on stderr, and also as GitHub annotations on stdout;
    each one line that the Actions runner cannot read as a command of its own."""
    from kotacerdas.cli.annotate import default_format, format_problems

    fmt = getattr(args, "format", None) or default_format()
    if fmt == "github":
        for line in format_problems(problems, "github", _repo_prefix(args)):
            print(line, flush=True)
    for line in format_problems(problems, "text"):
        print(line, file=sys.stderr)


def _repo_prefix(args: argparse.Namespace) -> str:
    """The site folder relative to the checkout, which GitHub annotations' paths start from."""
    import os

    root = Path(os.environ.get("GITHUB_WORKSPACE") or ".").resolve()
    site = Path(getattr(args, "site", ".")).resolve()
    return site.relative_to(root).as_posix() if site.is_relative_to(root) else ""


def _print_external(external: dict[str, list[str]], args: argparse.Namespace) -> None:
    """External links are listed (all with --external, folded in GitHub's log), never fetched."""
    from kotacerdas.cli.annotate import default_format

    if not external:
        return
    github = (args.format or default_format()) == "github"
    if not (args.external or github):
        print(f"{len(external)} external links were not checked (list them with --external)")
        return
    if github:
        print(f"::group::{len(external)} external links (listed, not checked)")
    for url, pages in external.items():
        more = f" and {len(pages) - 1} more" if len(pages) > 1 else ""
        print(log_line(f"{url}  (on {pages[0]}{more})"))
    if github:
        print("::endgroup::")


def _print_translations(gaps: list, args: argparse.Namespace) -> None:
    """Translation completeness of the other editions: a report (exit status 0), never an error."""
    from kotacerdas.cli.annotate import annotation, default_format
    from kotacerdas.core.errors import Problem

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


def _new(args: argparse.Namespace) -> int:
    from kotacerdas.model.site import today_in_jakarta
    from kotacerdas.editors.scaffold import Refusal, new_announcement, new_region

    site = _site(args)
    today = today_in_jakarta()
    try:
        if args.kind == "announcement":
            path = new_announcement(site, args.name, args.date or today)
            print(f"created {path.relative_to(site).as_posix()} (a draft: write its summary "
                  "and text, then set draft: false)")
        else:
            if args.date:
                raise UsageError("--date is for announcements; a region has no date")
            path = new_region(site, args.name, today)
            print(f"created {path.relative_to(site).as_posix()} (check its cohort and add its "
                  "sources)")
    except Refusal as exc:
        print(log_line(f"refused: {exc}"), file=sys.stderr)
        return 1
    return 0
