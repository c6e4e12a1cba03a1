"""Fuzzing the importers: whatever spreadsheet an editor exports, problems or files the build accepts.

Hypothesis writes CSV files (random rows of hostile cells, ragged rows, stray quotes, ';' or ','
separators, CRLF, huge cells, four encodings, and plain random bytes) and runs
``import-regions`` / ``import-reference`` in-process on a fixture site whose existing region
file is sometimes hand-edited in the ways D1 and D13 describe. The only acceptable outcomes:

- exit status 1 with problems that all name a file, and not one byte of ``content/`` changed; or
- exit status 0, every hand-written field of the existing files still there, and ``check``
  passing on what was written.

Anything else (a traceback, a half-written site, a file the build refuses) fails the test.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import tree, write_site
from kotacerdas.cli import main as cli
from kotacerdas.build import pipeline
from kotacerdas.core.errors import ContentError, Problem
from kotacerdas.content.yamlsafe import load as load_yaml

EXAMPLES = int(os.environ.get("KC_FUZZ_EXAMPLES", "40"))
"""As in test_fuzz_load.py: `KC_FUZZ_EXAMPLES=2000` explores further (KC_FUZZ_RANDOM=1: anew)."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=not os.environ.get("KC_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])
HEADER = ["name", "type", "province", "cohort_year", "source_url", "note", "kode", "official_name"]
REGION = "content/regions/kota-bandung.yaml"
EXTENDED = {"cohort", "unverified_cohorts", "sources", "note", "note_lang", "aliases", "updated"}
"""The fields an import may extend; every other field of an existing file must stay as it is."""

HOSTILE = ["=HYPERLINK(\"https://evil.example/\",\"Klik\")", "+cmd|' /C calc'!A0", "@SUM(1+1)",
           "javascript:alert(1)", "https://x.example/\"><svg/onload=alert(7)>", "\t=1+1", "\r=1",
           "a\x07b", "a\x00b", "\x1b[31m", "\u202eevil", "\u2028", "--- !!python/object", "*a &b {a: b} # c",
           "\"", "\"\"", ";", ",", "\n", "\r\n", "x" * 140_000, "ｋｏｔａ", "Kota\nBandung", " ", ""]
names = st.sampled_from(["Kota Bandung", "Kota Depok", "Kabupaten Gunung Kidul", "Kota Yogyakarta",
                         "Kabupaten Bandung", "Bandung", "Kota Antah", "kota bandung", "KOTA DEPOK",
                         "Kab. Gunungkidul", ""]) | st.sampled_from(HOSTILE)
cells = {
    "name": names,
    "type": st.sampled_from(["kota", "kabupaten", "", "Kota", "city"]),
    "province": st.sampled_from(["Jawa Barat", "DI Yogyakarta", "", "Jawa Tengah"]),
    "cohort_year": st.sampled_from(["2017", "2018", "2019", "2021", "99999", "2017.0", "", "２０１９",
                                    "20_19", "-1", "1e3"]) | st.text(max_size=6),
    "source_url": st.sampled_from(["", "https://example.org/a", "https://example.org/b",
                                   "http://x.id/a?b=<c>"]) | st.sampled_from(HOSTILE),
    "note": st.sampled_from(["", "full list", "UNCERTAIN: maybe", "INFERRED", "baris\r\ndua"])
            | st.sampled_from(HOSTILE) | st.text(max_size=30),
    "kode": st.sampled_from(["", "32.73", "32.7", "32,73", "34.03", "34.71", "32.76", "32.04",
                             "99.99", "3273", " 32.73 "]),
    "official_name": st.sampled_from(["", "Kota Bandung", "Kabupaten Gunungkidul", "Kota Depok"]),
}
row = st.fixed_dictionaries(cells).map(lambda d: [d[c] for c in HEADER])
ragged = st.tuples(row, st.integers(-3, 2)).map(
    lambda t: t[0][:len(t[0]) + t[1]] if t[1] < 0 else t[0] + ["extra"] * t[1])
PLAUSIBLE = [["Kota Depok", "kota", "Jawa Barat", "2019", "https://example.org/d", "", "32.76", ""],
             ["Kota Yogyakarta", "kota", "DI Yogyakarta", "2019", "", "INFERRED: forum", "", ""],
             ["Kota Bandung", "kota", "Jawa Barat", "2018", "https://example.org/b", "full list", "32.73", ""],
             ["Kabupaten Gunung Kidul", "kabupaten", "", "2021", "", "", "", "Kabupaten Gunungkidul"],
             ["Kabupaten Bandung", "kabupaten", "Jawa Barat", "2017", "", "", "32.04", ""]]
plausible = st.tuples(st.sampled_from(PLAUSIBLE), st.none() | st.none() | st.sampled_from(HEADER),
                      st.sampled_from(HOSTILE) | st.text(max_size=12)).map(
    lambda t: [t[2] if c == t[1] else v for c, v in zip(HEADER, t[0])])
"""Rows that would import, with at most one cell made hostile: most examples reach the writing."""
rows = st.lists(plausible | plausible | row | ragged, max_size=5)

EXISTING = {  # the fixture's Kota Bandung file, and the hand edits D1/D13 are about
    "as written": None,
    "unquoted code": ('code: "32.73"', "code: 32.73"),
    "code typo": ('code: "32.73"', 'code: "32.37"'),
    "another region's code": ('code: "32.73"', 'code: "32.04"'),
    "comment and note": ("summary:", "# catatan redaksi\nnote: \"Tulisan tangan editor\"\nsummary:"),
    "note a number": ("summary:", "note: 2024\nsummary:"),
    "cohort as text": ("cohort: 2017", 'cohort: "2017"'),
    "source a number": ("  - https://example.org/bandung", "  - 42"),
    "website and quick wins": ("summary:", "website: https://bandung.go.id\nquick_wins: [A, B]\nsummary:"),
}

WILAYAH_HEADER = ["kode", "level", "name", "short_name", "province_code", "province_name", "lat", "lon"]
WILAYAH = [
    ["32", "provinsi", "Jawa Barat", "Jawa Barat", "32", "Jawa Barat", "-6.9", "107.6"],
    ["34", "provinsi", "Daerah Istimewa Yogyakarta", "DI Yogyakarta", "34", "DIY", "-7.9", "110.4"],
    ["32.73", "kota", "Kota Bandung", "Bandung", "32", "Jawa Barat", "-6.91", "107.61"],
    ["32.04", "kabupaten", "Kabupaten Bandung", "Bandung", "32", "Jawa Barat", "-7.1", "107.6"],
    ["32.76", "kota", "Kota Depok", "Depok", "32", "Jawa Barat", "-6.4", "106.8"],
    ["34.03", "kabupaten", "Kabupaten Gunungkidul", "Gunungkidul", "34", "DIY", "-8.0", "110.6"],
    ["34.71", "kota", "Kota Yogyakarta", "Yogyakarta", "34", "DIY", "-7.8", "110.37"],
]
COHORTS_HEADER = ["year", "announced", "stage", "source_url", "note"]
COHORTS = [["2017", "25", "Tahap I", "https://example.org/2017", "first"],
           ["2018", "50", "", "https://example.org/2018", ""]]
wilayah_cell = st.sampled_from(["", "32", "33", "32.99", "kota", "kabupaten", "provinsi", "desa",
                                "nan", "inf", "-6,9", "1e3", "999", "-6.9", "Kota Bandung",
                                "Kota Antah"]) | st.sampled_from(HOSTILE)
cohort_cell = st.sampled_from(["", "2017", "2019", "0", "-1", "99999", "Tahap II",
                               "https://example.org/c", "ftp://x"]) | st.sampled_from(HOSTILE)


@pytest.fixture(scope="module")
def fixture_site() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="kc-fuzz-import-"))
    site = write_site(root / "site")
    yield site.root
    shutil.rmtree(root, ignore_errors=True)


def serialise(table: list[list[str]], header: list[str], delimiter: str, quote_all: bool,
              crlf: bool, encoding: str, stray_quote: int | None) -> bytes:
    """The table as a spreadsheet program (or a careless hand) would save it."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n",
               quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL).writerows([header, *table])
    text = out.getvalue()
    if stray_quote is not None:
        position = stray_quote % (len(text) + 1)
        text = text[:position] + '"' + text[position:]
    return text.encode(encoding, "replace") if encoding != "utf-8-sig" else b"\xef\xbb\xbf" + text.encode()


sheets = st.builds(serialise, rows, st.just(HEADER), st.sampled_from([",", ";"]), st.booleans(),
                   st.booleans(), st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "cp1252", "utf-16"]),
                   st.none() | st.none() | st.none() | st.integers(0, 10_000))


plausible_sheets = st.builds(serialise, st.lists(plausible, min_size=1, max_size=3), st.just(HEADER),
                            st.sampled_from([",", ";"]), st.booleans(), st.booleans(),
                            st.sampled_from(["utf-8", "utf-8-sig"]), st.none())
"""Well-formed sheets of importable rows (one cell in some made hostile): the writing path."""


def existing_fields(site: Path) -> dict[str, Any]:
    """The parsed region files, to compare hand-written fields before and after."""
    out = {}
    for path in sorted((site / "content/regions").glob("*.yaml")):
        data, problems = load_yaml(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and not problems:
            out[path.name] = data
    return out


def kept(before: Any, after: Any, key: str) -> bool:
    """Whether a field an editor wrote survived: unchanged, or (for the ones an import extends)
    with every old item, year and line still in it."""
    if key not in EXTENDED or before == after:
        return before == after
    if key == "updated":
        return True
    as_list = lambda v: v if isinstance(v, list) else [v]  # noqa: E731
    if key == "note":
        return isinstance(after, str) and after.startswith(str(before).rstrip())
    return all(item in as_list(after) for item in as_list(before))


_checked: dict[int, set[Problem]] = {}


def check_problems(site: Path, content: dict[str, bytes]) -> set[Problem]:
    """What `check` reports on the site (remembered for each state of content/ seen before)."""
    key = hash(tuple(sorted(content.items())))
    if key not in _checked:
        try:
            pipeline.check(site)
            _checked[key] = set()
        except ContentError as exc:
            _checked[key] = set(exc.problems)
    return _checked[key]


def attempt(site: Path, args: list[str], files: dict[str, bytes]) -> None:
    """Write the inputs, run the import in-process, check the outcome, restore the site."""
    saved = tree(site / "content")
    try:
        for path, data in files.items():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_bytes(data)
        before, fields = tree(site / "content"), existing_fields(site)
        known = check_problems(site, before)  # a hand edit may have broken the site already
        status = cli.main([*args, "--site", str(site)])
        if status == 1:
            event("refused")
            assert tree(site / "content") == before, "a refused import changed content/"
            return
        assert status == 0
        event("imported")
        after = existing_fields(site)
        for name, data in fields.items():
            for key, value in data.items():
                assert kept(value, after[name].get(key), key), (name, key, value, after[name].get(key))
        now = tree(site / "content")
        written = {f"content/{rel}" for rel in now if before.get(rel) != now[rel]}
        event("wrote files" if written else "nothing to write")
        new = [p for p in check_problems(site, now) if p not in known or p.path in written]
        assert not new, f"the import wrote files that check refuses: {new}"
    finally:
        for rel in set(tree(site / "content")) - set(saved):
            (site / "content" / rel).unlink()
        for rel, data in saved.items():
            (site / "content" / rel).write_bytes(data)


def import_sheet(site: Path, sheet: bytes, existing: str) -> None:
    """import-regions of ``sheet`` with the Kota Bandung file edited as ``EXISTING[existing]``."""
    region = (site / REGION).read_text(encoding="utf-8")
    edit = EXISTING[existing]
    files = {str(site.parent / "peserta.csv"): sheet,
             str(site / REGION): (region.replace(*edit) if edit else region).encode()}
    attempt(site, ["import-regions", str(site.parent / "peserta.csv")], files)


@FUZZ
@given(sheet=sheets, existing=st.sampled_from(sorted(EXISTING)))
def test_import_regions_random_sheets(fixture_site: Path, sheet: bytes, existing: str) -> None:
    import_sheet(fixture_site, sheet, existing)


@FUZZ
@given(sheet=plausible_sheets, existing=st.sampled_from(sorted(EXISTING)))
def test_import_regions_plausible_sheets(fixture_site: Path, sheet: bytes, existing: str) -> None:
    import_sheet(fixture_site, sheet, existing)


@FUZZ
@given(data=st.binary(max_size=800))
def test_import_regions_random_bytes(fixture_site: Path, data: bytes) -> None:
    path = str(fixture_site.parent / "peserta.csv")
    attempt(fixture_site, ["import-regions", path], {path: (",".join(HEADER) + "\n").encode() + data})


def mutated(table: list[list[str]], data: st.DataObject, cell: st.SearchStrategy[str]) -> list[list[str]]:
    """Rows dropped, duplicated, shortened or with one cell replaced by a hostile value."""
    out = [list(r) for r in table]
    for _ in range(data.draw(st.integers(0, 3))):
        if not out:
            break
        i = data.draw(st.integers(0, len(out) - 1))
        action = data.draw(st.sampled_from(["drop", "copy", "cut", "cell", "cell"]))
        if action == "drop":
            del out[i]
        elif action == "copy":
            out.insert(i, list(out[i]))
        elif action == "cut":
            out[i] = out[i][:data.draw(st.integers(0, len(out[i])))]
        elif out[i]:
            out[i][data.draw(st.integers(0, len(out[i]) - 1))] = data.draw(cell)
    return out


@FUZZ
@given(data=st.data(), delimiter=st.sampled_from([",", ";"]),
       encoding=st.sampled_from(["utf-8"] * 4 + ["utf-8-sig", "cp1252", "utf-16"]),
       stray=st.none() | st.none() | st.none() | st.integers(0, 2000))
def test_import_reference_random_tables(fixture_site: Path, data: st.DataObject, delimiter: str,
                                        encoding: str, stray: int | None) -> None:
    folder = fixture_site.parent / "data"
    wilayah = mutated(WILAYAH, data, wilayah_cell)
    cohorts = mutated(COHORTS, data, cohort_cell)
    which = data.draw(st.sampled_from(["wilayah", "cohorts"]))
    files = {
        str(folder / "wilayah.csv"): serialise(wilayah, WILAYAH_HEADER, delimiter, False, False,
                                               encoding if which == "wilayah" else "utf-8",
                                               stray if which == "wilayah" else None),
        str(folder / "cohorts.csv"): serialise(cohorts, COHORTS_HEADER, ",", False, True,
                                               encoding if which == "cohorts" else "utf-8",
                                               stray if which == "cohorts" else None)}
    attempt(fixture_site, ["import-reference", str(folder)], files)


def test_the_fuzzers_inputs_can_succeed(fixture_site: Path) -> None:
    """The unmutated tables import (so the fuzzers explore both outcomes, not only refusals)."""
    folder = fixture_site.parent / "data"
    files = {str(folder / "wilayah.csv"): serialise(WILAYAH, WILAYAH_HEADER, ",", False, False, "utf-8", None),
             str(folder / "cohorts.csv"): serialise(COHORTS, COHORTS_HEADER, ",", False, True, "utf-8", None)}
    saved = tree(fixture_site / "content")
    try:
        for path, data in files.items():
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_bytes(data)
        assert cli.main(["import-reference", str(folder), "--site", str(fixture_site)]) == 0
        sheet = fixture_site.parent / "peserta.csv"
        sheet.write_bytes(serialise([["Kota Yogyakarta", "kota", "", "2019", "", "", "34.71", ""]],
                                    HEADER, ",", False, True, "utf-8", None))
        assert cli.main(["import-regions", str(sheet), "--site", str(fixture_site)]) == 0
        pipeline.check(fixture_site)
    finally:
        for rel in set(tree(fixture_site / "content")) - set(saved):
            (fixture_site / "content" / rel).unlink()
        for rel, data in saved.items():
            (fixture_site / "content" / rel).write_bytes(data)
