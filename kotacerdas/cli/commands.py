"""One function per command: each takes the parsed arguments and returns the exit status.

A command imports the stages it needs inside its function, so ``build`` can answer "nothing
changed" from the cache before jinja2, markdown, jsonschema or babel are imported.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kotacerdas.cli import report
from kotacerdas.core import locations
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.core.errors import Problems, UsageError
from kotacerdas.core.process import collector_paused


def _site(args: argparse.Namespace) -> Path:
    """The site folder the command works on, which must exist."""
    site: Path = args.site
    if not site.is_dir():
        raise UsageError(f"site folder {site} does not exist")
    return site


def build(args: argparse.Namespace) -> int:
    """Build the site into output/, or stop at once when the cache says nothing changed."""
    site = _site(args)
    output = args.output or site / "output"
    if args.base_url and not args.base_url.startswith(("http://", "https://")):
        raise UsageError("--base-url must start with https:// (or http://)")
    cache_dir = None if args.no_cache else (args.cache or locations.cache_folder(site))
    probe, today = None, None
    if cache_dir:
        # A first look at the cache before the generator's heavy modules are even imported:
        # a build with nothing to do finishes in the time it takes to stat the files.
        from kotacerdas.build import cache
        from kotacerdas.build.writer import check_output_dir, tidy
        check_output_dir(output, site)
        cache.check_folder(cache_dir)
        today = today_in_jakarta()
        probe = cache.probe(cache_dir, site, output, args.base_url, args.drafts, today)
        if probe.unchanged:
            tidy(output)
            report.unchanged(output)
            return 0
    with collector_paused():  # importing the pipeline makes ~50 passes that free nothing
        from kotacerdas.build import pipeline
    result = pipeline.build(site, output, base_url=args.base_url, drafts=args.drafts,
                            today=today, cache_dir=cache_dir, probe=probe)
    if result.unchanged:
        report.unchanged(output)
    else:
        report.built(output, result.pages, result.participants, result.announcements)
    return 0


def check(args: argparse.Namespace) -> int:
    """Validate everything and resolve every internal link, writing nothing."""
    from kotacerdas.build import pipeline

    result = pipeline.check(_site(args))
    report.checked(result.pages, result.participants, result.announcements)
    report.external(result.external, args)
    report.translations(result.translations, args)
    return 0


def serve(args: argparse.Namespace) -> int:
    """The live preview, until interrupted."""
    from kotacerdas.preview.serve import serve as run_preview

    return run_preview(_site(args), host=args.host, port=args.port, drafts=args.drafts)


def new(args: argparse.Namespace) -> int:
    """Start a new announcement or region file, every field listed."""
    from kotacerdas.editors.scaffold import Refusal, new_announcement, new_region

    site = _site(args)
    today = today_in_jakarta()
    try:
        if args.kind == "announcement":
            path = new_announcement(site, args.name, args.date or today)
            report.created(path.relative_to(site).as_posix(),
                           "a draft: write its summary and text, then set draft: false")
        else:
            if args.date:
                raise UsageError("--date is for announcements; a region has no date")
            path = new_region(site, args.name, today)
            report.created(path.relative_to(site).as_posix(),
                           "check its cohort and add its sources")
    except Refusal as exc:
        report.refused(exc)
        return 1
    return 0


def import_regions(args: argparse.Namespace) -> int:
    """Create or extend content/regions/ from a participants spreadsheet (all or nothing)."""
    from kotacerdas.content.reference import load_reference
    from kotacerdas.editors.importer import import_regions as run_import

    site = _site(args)
    if not args.csv.is_file():
        raise UsageError(f"{args.csv} does not exist")
    problems = Problems(site)
    provinces, kabkota, _, has_reference = load_reference(site / "content" / "reference", problems)
    problems.raise_if_any()
    if not has_reference:
        raise UsageError("content/reference/ is missing; run 'python build.py import-reference "
                         "DIR' first")
    result = run_import(args.csv, site, kabkota, {p.code: p.name for p in provinces},
                        today_in_jakarta())  # all or nothing: ContentError lists every problem
    report.imported(result.lines())
    return 0


def import_reference(args: argparse.Namespace) -> int:
    """Convert wilayah.csv and cohorts.csv into content/reference/ (all or nothing)."""
    from kotacerdas.editors.importer import import_reference as run_import

    site = _site(args)
    if not args.data_dir.is_dir():
        raise UsageError(f"{args.data_dir} is not a folder (it should hold wilayah.csv and "
                         "cohorts.csv)")
    report.wrote(run_import(args.data_dir, site))  # all or nothing: ContentError
    return 0
