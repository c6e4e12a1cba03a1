"""import-regions and import-reference: rerunnable, keep hand edits, all or nothing.

Every refusal is checked the way an editor meets it: exit status 1, `path:line: message` on
stderr, no traceback, and not one byte of the site changed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, SHARED, FixtureSite, run_build, tree
from kotacerdas.core.errors import ContentError
from kotacerdas.editors.importer import _write_all
from kotacerdas.editors.regionfiles import normal_code

HEADER = ["name", "type", "province", "cohort_year", "source_url", "note", "kode", "official_name"]
REGION = "content/regions/kota-bandung.yaml"
DATA = SHARED / "data"


def spreadsheet(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def content(site: FixtureSite) -> dict[str, bytes]:
    return tree(site.root / "content")


def refused(site: FixtureSite, *args: str) -> str:
    """Run an import that must be refused; return its stderr after checking nothing changed."""
    before = content(site)
    result = site.run(*args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "nothing was written" in result.stderr
    assert content(site) == before
    return result.stderr


def needs_shared_data() -> None:
    if not (DATA / "participants.csv").is_file():
        pytest.skip("../shared/data is not beside this checkout")


# --- what an import does ------------------------------------------------------------------

def test_import_creates_extends_and_is_idempotent(site: FixtureSite) -> None:
    site.remove("content/regions/kota-bandung.yaml")
    site.remove("content/news/2017-05-22-peluncuran.md")
    site.remove("content/news/2017-05-22-peluncuran.en.md")
    rows = [
        ["Kota Bandung", "kota", "Jawa Barat", "2017", "https://example.org/a", "full list", "32.73", "Kota Bandung"],
        ["Kabupaten Gunung Kidul", "kabupaten", "Daerah Istimewa Yogyakarta", "2021", "https://example.org/b",
         "INFERRED: named at a forum", "", ""],
    ]
    csv_path = site.write("peserta.csv", spreadsheet(rows))
    first = site.run("import-regions", str(csv_path))
    assert first.returncode == 0, first.stderr
    assert "created content/regions/kota-bandung.yaml" in first.stdout
    assert "updated content/regions/kabupaten-gunungkidul.yaml" in first.stdout
    region = (site.root / "content/regions/kabupaten-gunungkidul.yaml").read_text()
    assert "aliases:\n  - Kabupaten Gunung Kidul\n" in region  # hand-written field kept, not duplicated
    assert "cohort:\n  - 2018\n  - year: 2021\n    status: inferred\n" in region
    assert "    research_note: 'INFERRED: named at a forum'\n" in region  # v1's note: the researchers'
    assert "    sources:\n      - https://example.org/b\n" in region
    created = (site.root / "content/regions/kota-bandung.yaml").read_text()
    assert 'code: \'32.73\'' in created and "updated:" in created
    assert "cohort:\n  - year: 2017\n    research_note: full list\n" in created
    assert site.run("check").returncode == 0, site.run("check").stderr

    before = content(site)
    second = site.run("import-regions", str(csv_path))
    assert second.returncode == 0 and "0 created, 0 updated, 2 unchanged" in second.stdout
    assert content(site) == before


def test_import_keeps_hand_edited_fields(site: FixtureSite) -> None:
    path = site.root / "content/regions/kota-bandung.yaml"
    path.write_text(path.read_text() + "website: https://bandung.go.id\nquick_wins: [Aplikasi layanan]\n")
    csv_path = site.write("peserta.csv", spreadsheet([
        ["Kota Bandung", "kota", "Jawa Barat", "2017", "https://example.org/bandung", "", "32.73", ""],
        ["Kota Bandung", "kota", "Jawa Barat", "2018", "https://example.org/new", "UNCERTAIN: maybe", "32.73", ""],
    ]))
    result = site.run("import-regions", str(csv_path))
    assert result.returncode == 0, result.stdout + result.stderr
    text = path.read_text()
    assert "website: https://bandung.go.id" in text and "Aplikasi layanan" in text
    assert "summary: Bandung menyusun masterplan." in text
    assert "  - https://example.org/bandung\n" in text  # the region's own sources, kept
    assert "  - year: 2018\n    status: uncertain\n" in text
    assert "      - https://example.org/new\n" in text


def test_real_spreadsheet_matches_every_row(tmp_path: Path) -> None:
    """The shared participants.csv imports completely into a fresh site (189 rows, 181 regions)."""
    needs_shared_data()
    site = FixtureSite(tmp_path / "s")
    site.write("site_config.yaml", 'title: T\nbase_url: "https://x.github.io/r/"\n')
    assert run_build("import-reference", str(DATA), "--site", str(site.root)).returncode == 0
    result = site.run("import-regions", str(DATA / "participants.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "181 created, 0 updated, 0 unchanged" in result.stdout
    assert site.run("check").returncode == 0


def v2_data_dir(tmp_path: Path) -> Path:
    """A folder as the importers read version 2 of the shared data: the reference tables of
    ../shared/data beside v2's cohorts.csv, citations.csv and participants.csv."""
    needs_shared_data()
    v2 = DATA / "v2"
    if not (v2 / "participants.csv").is_file():
        pytest.skip("../shared/data/v2 is not beside this checkout")
    data = tmp_path / "data"
    data.mkdir()
    for name in ("wilayah.csv", "provinces.geojson"):
        (data / name).write_bytes((DATA / name).read_bytes())
    for name in ("cohorts.csv", "citations.csv", "participants.csv"):
        (data / name).write_bytes((v2 / name).read_bytes())
    return data


def test_real_reference_converts_to_the_committed_files(tmp_path: Path) -> None:
    """The checks change no byte of what import-reference writes for the real data (v2)."""
    data = v2_data_dir(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    assert run_build("import-reference", str(data), "--site", str(site)).returncode == 0
    assert tree(site / "content/reference") == tree(REPO / "content/reference")


# --- D1: a file is written over only when it is certainly the same region -----------------

def test_unquoted_code_file_is_never_overwritten(site: FixtureSite) -> None:
    """The reported case: `code: 32.73` parses as a number; the import used to say 'created'."""
    site.write(REGION, "# catatan redaksi\nname: Kota Bandung\ntype: kota\nprovince: Jawa Barat\n"
                       "code: 32.73\ncohort: 2017\nnote: \"Tulisan tangan editor\"\n")
    sheet = site.write("p.csv", "name,type,province,cohort_year,source_url,note,kode,official_name\n"
                                "Kota Bandung,kota,Jawa Barat,2019,https://ok.example/b,dari spreadsheet,,\n")
    err = refused(site, "import-regions", str(sheet))
    assert 'content/regions/kota-bandung.yaml:5: code: 32.73 must be quoted: code: "32.73"' in err
    assert "Tulisan tangan editor" in (site.root / REGION).read_text()


@pytest.mark.parametrize("code, expected", [
    ('"32.37"', 'has code "32.37": the code differs from the Kemendagri code for this name'),
    ('"32.04"', 'has code "32.04": the code differs'),       # another region's code
    ('3273', "has code 3273, which is not a Kemendagri code"),
    (None, "has no code"),
])
def test_a_file_under_the_target_name_is_never_overwritten(site: FixtureSite, code: str | None,
                                                           expected: str) -> None:
    """A typo in the code, another region's code or none: the file where a new region would go is
    not that region as far as the import can tell, so it is a problem, never replaced."""
    text = (site.root / REGION).read_text()
    site.write(REGION, text.replace('code: "32.73"\n', "" if code is None else f"code: {code}\n"))
    sheet = site.write("p.csv", spreadsheet([["Kota Bandung", "kota", "Jawa Barat", "2019", "", "", "", ""]]))
    err = refused(site, "import-regions", str(sheet))
    assert "content/regions/kota-bandung.yaml:" in err and expected in err
    assert 'code: "32.73"' in err


def test_a_file_with_the_code_but_another_name_is_never_updated(site: FixtureSite) -> None:
    """kota-depok.yaml holding Kota Bandung's code is not Kota Bandung's file either."""
    site.remove(REGION)
    depok = site.root / "content/regions/kota-depok.yaml"
    depok.write_text(depok.read_text().replace('code: "32.76"', 'code: "32.73"'))
    sheet = site.write("p.csv", spreadsheet([["Kota Bandung", "kota", "Jawa Barat", "2019", "", "", "", ""]]))
    err = refused(site, "import-regions", str(sheet))
    assert ("content/regions/kota-depok.yaml:4: has code 32.73, which is Kota Bandung (kota) in the "
            "Kemendagri list, but names 'Kota Depok'") in err


def test_creating_never_replaces_a_file_that_appeared(site: FixtureSite) -> None:
    """A create is exclusive: a file that appears between the checks and the write is kept."""
    site.write("content/regions/kota-baru.yaml", "ditulis tangan\n")
    with pytest.raises(ContentError, match="appeared while the import ran"):
        _write_all(site.root, [("content/regions/kota-baru.yaml", b"generated\n", True)])
    assert (site.root / "content/regions/kota-baru.yaml").read_text() == "ditulis tangan\n"


@pytest.mark.parametrize("value, code", [
    ("32.73", "32.73"), (32.73, "32.73"), ("32.7", "32.70"), (32.7, "32.70"), (" 32.73 ", "32.73"),
    ("32,73", "32.73"), (3273, None), ("32.737", None), ("3273", None), (True, None), (None, None),
    (float("inf"), None), ("32.73\n", "32.73"),
])
def test_codes_are_recognised_in_any_form(value: object, code: str | None) -> None:
    assert normal_code(value) == code


# --- D13: integrity of what is imported ----------------------------------------------------

def test_kode_must_agree_with_the_name(site: FixtureSite) -> None:
    """The reported case: 34.03 is Kabupaten Gunungkidul, the row names Kota Yogyakarta."""
    sheet = site.write("p.csv", "name,type,province,cohort_year,source_url,note,kode,official_name\n"
                                "Kota Yogyakarta,kota,DI Yogyakarta,2019,,,34.03,\n")
    err = refused(site, "import-regions", str(sheet))
    assert ("p.csv:2: kode 34.03 is Kabupaten Gunungkidul (kabupaten), but the row names "
            "'Kota Yogyakarta' (kota); Kota Yogyakarta is kode 34.71: fix the kode or the name") in err
    assert "Kota Yogyakarta" not in (site.root / "content/regions/kabupaten-gunungkidul.yaml").read_text()


@pytest.mark.parametrize("row, expected", [
    (["Kabupaten Bandung", "", "", "2019", "", "", "32.73", ""], "kode 32.73 is Kota Bandung (kota)"),
    (["Bandung", "kabupaten", "", "2019", "", "", "32.73", ""], "kode 32.73 is Kota Bandung (kota)"),
    (["Kota Bandung", "kota", "", "2019", "", "", "32.99", ""], "kode '32.99' is not a Kemendagri"),
    (["Kota Bandung", "city", "", "2019", "", "", "", ""], "'type': 'city' must be kota or kabupaten"),
    # a name beside official_name becomes an alias: another spelling, never another region
    (["Kota Depok", "", "", "2019", "", "", "32.73", "Kota Bandung"],
     "name 'Kota Depok' is Kota Depok (kode 32.76), but kode and official_name say Kota Bandung"),
    (["Kota Depok", "", "", "2019", "", "", "", "Kota Bandung"],
     "name 'Kota Depok' is Kota Depok (kode 32.76), but official_name says Kota Bandung"),
])
def test_kode_must_agree_with_the_type_and_exist(site: FixtureSite, row: list[str], expected: str) -> None:
    """Same name, other type (Kota vs Kabupaten Bandung); a code that is no region; a bad type."""
    err = refused(site, "import-regions", str(site.write("p.csv", spreadsheet([row]))))
    assert "p.csv:2: " in err and expected in err


def test_kode_written_as_a_number_by_a_spreadsheet_still_matches(site: FixtureSite) -> None:
    """Excel shows 32.70 as 32.7; normal_code reads it back, and the name still has to agree."""
    site.remove("content/regions/kota-depok.yaml")
    sheet = site.write("p.csv", spreadsheet([["Kota Depok", "kota", "Jawa Barat", "2019", "", "", "32.76", ""]]))
    assert site.run("import-regions", str(sheet)).returncode == 0


def test_unclosed_quote_is_reported_not_swallowed(site: FixtureSite) -> None:
    """The reported case: the rest of the file used to become one multi-line 'source'."""
    sheet = site.write("p.csv", 'name,type,province,cohort_year,source_url,note,kode,official_name\n'
                                'Kota Yogyakarta,kota,DI Yogyakarta,2019,"https://ok.example,,34.71,\n'
                                'Kota Depok,kota,Jawa Barat,2019,,,32.76,\n')
    err = refused(site, "import-regions", str(sheet))
    assert 'p.csv:2: a quote (") opened in this record is never closed' in err


@pytest.mark.parametrize("lines, expected", [
    # an unclosed quote in the note (which may hold line breaks) joins the next row: cell count
    (['Kota Depok,kota,Jawa Barat,2019,,"catatan,32.76,',
      'Kota Bandung,kota,Jawa Barat,2019,,",32.73'],
     'p.csv:2: has 7 cells, but the first line names 8 columns (this record runs from line 2 to line 3'),
    # ... or swallows whole rows and still ends with the right number of cells
    (['Kota Depok,kota,Jawa Barat,2019,,"catatan,32.76,',
      'Kota Bandung,kota,Jawa Barat,2019,,,32.73,', 'Kota Bandung,kota,Jawa Barat,2018,,",32.73,'],
     "p.csv:2: the 'note' cell holds lines that look like whole rows (this record runs from line 2 "
     "to line 4"),
    # an unclosed quote in a one-line column that a later quote closes: a line break in that cell
    (['Kota Depok,kota,Jawa Barat,2019,"https://a.example,,32.76,',
      'Kota Bandung,kota,Jawa Barat,2019,",,,'],
     "p.csv:2: the 'source_url' cell holds a line break (this record runs from line 2 to line 3"),
    # a quote closed in the middle of a cell
    (['Kota Depok,kota,Jawa Barat,2019,"https://a.example"x,,32.76,'],
     'p.csv:2: a quote (") opened in this record is closed in the middle of a cell'),
    # ragged rows, short and long
    (['Kota Depok,kota,Jawa Barat,2019', 'Kota Bandung,kota,Jawa Barat,2019,,,32.73,,extra'],
     "p.csv:2: has 4 cells, but the first line names 8 columns"),
    (['Kota Depok,kota,Jawa Barat,2019,,,32.76,', 'Kota Bandung,kota,Jawa Barat,2019,,,32.73,,extra'],
     "p.csv:3: has 9 cells"),
])
def test_broken_rows_are_problems_at_their_line(site: FixtureSite, lines: list[str], expected: str) -> None:
    sheet = site.write("p.csv", ",".join(HEADER) + "\n" + "\n".join(lines) + "\n")
    assert expected in refused(site, "import-regions", str(sheet))


def test_lines_are_counted_across_multi_line_notes(site: FixtureSite) -> None:
    """A quoted note over two lines is fine; the row after it is reported at its own line."""
    sheet = site.write("p.csv", ",".join(HEADER) + "\n"
                       'Kota Depok,kota,Jawa Barat,2019,,"baris satu\r\nbaris dua",32.76,\n'
                       "Kota Antah,kota,Jawa Barat,2019,,,,\n")
    assert "p.csv:4: 'Kota Antah' matches no Kemendagri" in refused(site, "import-regions", str(sheet))
    site.write("p.csv", ",".join(HEADER) + "\n"
               'Kota Depok,kota,Jawa Barat,2019,,"baris satu\r\nbaris dua",32.76,\n')
    assert site.run("import-regions", str(sheet)).returncode == 0
    assert "    research_note: |-\n      baris satu\n      baris dua\n" in \
        (site.root / "content/regions/kota-depok.yaml").read_text()


@pytest.mark.parametrize("column, value, expected", [
    ("source_url", "javascript:alert(1)", "column 'source_url' must be a full web address"),
    ("source_url", "https://a.example/ x", "column 'source_url' must be a full web address"),
    ("cohort_year", "99999", "column 'cohort_year' must be between 2000 and 2100 (got 99999)"),
    ("cohort_year", "2017.0", "column 'cohort_year': '2017.0' is not a whole number"),
    ("cohort_year", "20_19", "column 'cohort_year': '20_19' is not a whole number"),
    ("note", "a\x07b", "the 'note' cell holds the invisible control character U+0007"),
    ("name", "Kota\x1bBandung", "the 'name' cell holds the invisible control character U+001B"),
    ("note", "x" * 200_000, "a cell is longer than 131,072 characters"),
])
def test_values_the_build_refuses_are_problems_at_their_line(site: FixtureSite, column: str,
                                                             value: str, expected: str) -> None:
    """Refused before anything is written, also when another row would have created a file."""
    site.remove("content/regions/kota-depok.yaml")
    good = ["Kota Depok", "kota", "Jawa Barat", "2019", "", "", "32.76", ""]
    bad = dict(zip(HEADER, ["Kota Bandung", "kota", "Jawa Barat", "2019", "", "", "32.73", ""]))
    bad[column] = value
    sheet = site.write("p.csv", spreadsheet([good, list(bad.values())]))
    assert "p.csv:3: " + expected in refused(site, "import-regions", str(sheet))


@pytest.mark.parametrize("old, new, line, expected", [
    ("summary:", "note: 2024\nsummary:", 8, "'note' must be text, not the number 2024"),
    ("cohort: 2017", 'cohort: "2017"', 5, "'cohort' must be a year such as 2017"),
    ("sources:\n  - https://example.org/bandung", "sources: [42]", 6,
     "'sources [1]' must be a web address"),
    ("cohort: 2017", "cohort: 2017\ncohort: 2018", 6, "duplicate key 'cohort'"),
])
def test_existing_files_with_unexpected_types_are_problems(site: FixtureSite, old: str, new: str,
                                                           line: int, expected: str) -> None:
    """The reported tracebacks (note: 2024, cohort: "2017", sources: [42]), and before them the
    other rows' files used to be rewritten already: now nothing is."""
    site.remove("content/regions/kota-depok.yaml")
    site.write(REGION, (site.root / REGION).read_text().replace(old, new))
    sheet = site.write("p.csv", spreadsheet([
        ["Kota Depok", "kota", "Jawa Barat", "2019", "", "", "32.76", ""],
        ["Kota Bandung", "kota", "Jawa Barat", "2019", "https://example.org/x", "", "32.73", ""]]))
    err = refused(site, "import-regions", str(sheet))
    assert f"content/regions/kota-bandung.yaml:{line}: {expected}" in err


def test_an_unmatched_row_blocks_the_whole_import(site: FixtureSite) -> None:
    """All or nothing: the README says why rows that match no region block the others too."""
    site.remove("content/regions/kota-depok.yaml")
    sheet = site.write("p.csv", spreadsheet([
        ["Kota Depok", "kota", "Jawa Barat", "2019", "", "", "", ""],
        ["Kota Antah", "kota", "Jawa Barat", "2018", "https://example.org/c", "", "", ""],
        ["Kota Bandung", "kota", "Jawa Barat", "tahun", "", "", "", ""]]))
    err = refused(site, "import-regions", str(sheet))
    assert "p.csv:3: 'Kota Antah' matches no Kemendagri kabupaten/kota; put its code" in err
    assert "p.csv:4: column 'cohort_year': 'tahun' is not a whole number" in err


def test_the_same_round_twice_with_other_values_is_a_problem(site: FixtureSite) -> None:
    sheet = site.write("p.csv", spreadsheet([
        ["Kota Depok", "kota", "Jawa Barat", "2019", "https://example.org/a", "", "", ""],
        ["Kota Depok", "kota", "Jawa Barat", "2019", "https://example.org/b", "", "", ""]]))
    assert "p.csv:3: Kota Depok 2019 is also on line 2" in refused(site, "import-regions", str(sheet))


@pytest.mark.parametrize("header, expected", [
    ("nama,tahun", "missing column(s) name, cohort_year"),
    ("name,cohort_year,sumber", "has the column 'sumber', which this import does not read"),
    ("name,cohort_year,name", "names the column 'name' twice"),
    ("name\tcohort_year", "is separated by tabs (Excel's 'Text' or 'Unicode Text'), not commas"),
    ("", "is empty; its first line must name the columns"),
])
def test_header_problems(site: FixtureSite, header: str, expected: str) -> None:
    sheet = site.write("p.csv", header + "\n" + ("Kota Depok,2019\n" if header else ""))
    assert "p.csv:1: " + expected in refused(site, "import-regions", str(sheet))


# --- encodings and separators ----------------------------------------------------------------

def test_excel_csv_utf8_with_bom_and_crlf_is_accepted(site: FixtureSite) -> None:
    site.remove("content/regions/kota-depok.yaml")
    text = spreadsheet([["Kota Depok", "kota", "Jawa Barat", "2019", "", "Catatan é", "32.76", ""]])
    sheet = site.write("p.csv", "\ufeff".encode() + text.encode("utf-8"))
    result = site.run("import-regions", str(sheet))
    assert result.returncode == 0, result.stderr
    assert "note: Catatan é" in (site.root / "content/regions/kota-depok.yaml").read_text()


@pytest.mark.parametrize("encoding, found", [
    ("cp1252", "the byte 0xE9 ('é' in Windows-1252"),
    ("latin-1", "the byte 0xE9"),
    ("utf-16", "is UTF-16 text"),          # Excel's "Unicode Text", with its BOM
    ("utf-16-le", "is UTF-16 text"),       # and without
])
def test_other_encodings_are_refused_saying_how_to_save(site: FixtureSite, encoding: str, found: str) -> None:
    text = spreadsheet([["Kota Depok", "kota", "Jawa Barat", "2019", "", "Catatan é", "32.76", ""]])
    sheet = site.write("p.csv", text.encode(encoding))
    err = refused(site, "import-regions", str(sheet))
    assert "p.csv:" in err and found in err
    assert "'CSV UTF-8 (Comma delimited) (*.csv)'" in err and "LibreOffice" in err


def test_semicolon_separated_sheets_are_read(site: FixtureSite) -> None:
    """Excel in the Indonesian locale separates cells with ';' even in 'CSV UTF-8'."""
    site.remove("content/regions/kota-depok.yaml")
    sheet = site.write("p.csv", ";".join(HEADER) + "\r\nKota Depok;kota;Jawa Barat;2019;;"
                                                   "\"satu; dua\";32,76;\r\n")
    result = site.run("import-regions", str(sheet))
    assert result.returncode == 0, result.stderr
    assert "note: satu; dua" in (site.root / "content/regions/kota-depok.yaml").read_text()


# --- D15: import-reference refuses an implausible reference set --------------------------------

def data_dir(tmp_path: Path, **files: str | bytes) -> Path:
    """A copy of the shared data folder with some files replaced."""
    needs_shared_data()
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("v2"))
    for name, text in files.items():
        path = folder / f"{name}.csv"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder


def wilayah(edit=lambda line: line) -> str:
    lines = (DATA / "wilayah.csv").read_text(encoding="utf-8").splitlines()
    return "\n".join([lines[0]] + [x for x in map(edit, lines[1:]) if x is not None]) + "\n"


def test_header_only_wilayah_is_refused(site: FixtureSite, tmp_path: Path) -> None:
    """The reported case: it used to write [] into provinces.yaml and kabupaten-kota.yaml."""
    err = refused(site, "import-reference", str(data_dir(tmp_path, wilayah="kode,name\n")))
    assert "wilayah.csv:1: missing column(s) level, province_code, lat, lon" in err
    header = (DATA / "wilayah.csv").read_text().splitlines()[0] + "\n"
    err = refused(site, "import-reference", str(data_dir(tmp_path / "2", wilayah=header)))
    assert "wilayah.csv: has no row with level 'provinsi'" in err
    assert "wilayah.csv: has no row with level 'kabupaten' or 'kota'" in err


@pytest.mark.parametrize("files, expected", [
    ({"wilayah": wilayah(lambda x: x.replace(",provinsi,", ",propinsi,"))},
     "wilayah.csv:2: column 'level': 'propinsi' must be one of provinsi, kabupaten, kota"),
    ({"wilayah": wilayah(lambda x: x.replace(",3.16185,", ",tiga,"))},
     "wilayah.csv:3: column 'lat': 'tiga' is not a number"),
    ({"wilayah": wilayah(lambda x: x.replace(",3.16185,", ",\"3,16185\","))},
     "wilayah.csv:3: column 'lat': '3,16185' is not a number (use a dot"),
    ({"wilayah": wilayah(lambda x: None if x.startswith("92,") else x)}, "no 'provinsi' row has"),
    ({"wilayah": wilayah(lambda x: None if x.startswith("92.") else x)},
     "wilayah.csv: province 92 (Papua Barat) has no kabupaten/kota row"),
    ({"wilayah": wilayah(lambda x: x.replace("11.01,kabupaten", "11.02,kabupaten"))},
     "wilayah.csv:4: kode 11.02 is also on line 3"),
    ({"cohorts": "tahun,jumlah\n2017,25\n"}, "cohorts.csv:1: missing column(s) year, announced"),
    ({"cohorts": "year,announced,stage,source_url,note\n"}, "cohorts.csv: has no rounds"),
    ({"cohorts": "year,announced,stage,source_url,note\n2017,banyak,,https://a.example/,\n"},
     "cohorts.csv:2: column 'announced': 'banyak' is not a whole number"),
    ({"cohorts": "year,announced,stage,source_url,note\n2017,1,,ftp://a.example/,\n"},
     "cohorts.csv:2: column 'source_url' must be a full web address"),
    ({"cohorts": (DATA / "cohorts.csv").read_text(encoding="utf-8").encode("cp1252", "replace")
      .replace(b"chosen", b"chos\xe9n")}, "cohorts.csv:2: is not UTF-8"),
])
def test_implausible_reference_is_refused(site: FixtureSite, tmp_path: Path, files: dict[str, str],
                                          expected: str) -> None:
    """Unknown levels, non-numeric or comma-decimal coordinates, a province cut off, duplicate
    codes; cohorts.csv with other columns, empty, or with bad values: nothing written."""
    assert expected in refused(site, "import-reference", str(data_dir(tmp_path, **files)))


def test_reference_tables_separated_by_semicolons_are_read(tmp_path: Path) -> None:
    """The same reader for import-reference: ';' and a BOM give the same files as the original."""
    rows = list(csv.reader(io.StringIO((DATA / "wilayah.csv").read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    folder = data_dir(tmp_path, wilayah="\ufeff" + out.getvalue())
    (tmp_path / "s").mkdir()
    assert run_build("import-reference", str(folder), "--site", str(tmp_path / "s")).returncode == 0
    made, committed = tree(tmp_path / "s/content/reference"), tree(REPO / "content/reference")
    for name in ("provinces.yaml", "kabupaten-kota.yaml"):  # what wilayah.csv becomes
        assert made[name] == committed[name], name


def test_reference_that_breaks_a_region_is_refused(site: FixtureSite, tmp_path: Path) -> None:
    """The build's own loader checks the new reference with the site's regions."""
    renamed = wilayah(lambda x: x.replace("Kota Depok,Depok", "Kota Depokan,Depokan"))
    err = refused(site, "import-reference", str(data_dir(tmp_path, wilayah=renamed)))
    assert ("content/regions/kota-depok.yaml: after this import: name 'Kota Depok' differs from "
            "the Kemendagri name 'Kota Depokan'") in err


def test_reference_import_into_the_fixture_site(site: FixtureSite, tmp_path: Path) -> None:
    result = site.run("import-reference", str(data_dir(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert site.run("check").returncode == 0


# --- D14: every write through the write guard ------------------------------------------------

def test_import_regions_refuses_symlinked_folder(site: FixtureSite, tmp_path: Path) -> None:
    """The reported case: content/regions a link to a folder outside the site."""
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(site.root / "content/regions")
    os.symlink(outside, site.root / "content/regions")
    sheet = site.write("p.csv", spreadsheet([["Kota Yogyakarta", "kota", "DI Yogyakarta", "2019", "", "", "34.71", ""]]))
    assert "content/regions: is a symbolic link" in refused(site, "import-regions", str(sheet))
    assert list(outside.iterdir()) == []


def test_import_regions_refuses_symlinked_content(site: FixtureSite, tmp_path: Path) -> None:
    """Second instance: content/ itself a link (the import reads the regions through it)."""
    moved = tmp_path / "elsewhere"
    shutil.move(site.root / "content", moved)
    os.symlink(moved, site.root / "content")
    before = tree(moved)
    sheet = site.write("p.csv", spreadsheet([["Kota Yogyakarta", "kota", "DI Yogyakarta", "2019", "", "", "34.71", ""]]))
    result = site.run("import-regions", str(sheet))
    assert result.returncode == 1 and "content: is a symbolic link" in result.stderr
    assert tree(moved) == before


@pytest.mark.parametrize("link", ["content/reference/cohorts.yaml", "content/reference"])
def test_import_reference_refuses_symlinks(site: FixtureSite, tmp_path: Path, link: str) -> None:
    """The reported case (cohorts.yaml a link to a file outside) and a linked reference folder."""
    victim = tmp_path / "victim"
    shutil.move(site.root / link, victim)
    os.symlink(victim, site.root / link)
    before = tree(victim) if victim.is_dir() else {"": victim.read_bytes()}
    err = refused(site, "import-reference", str(data_dir(tmp_path)))
    assert f"{link}: is a symbolic link" in err
    assert (tree(victim) if victim.is_dir() else {"": victim.read_bytes()}) == before


# --- version 2 of the data: statuses, notes per language, citations -----------------------

V2_HEADER = "kode,name,official_name,type,province,cohort_year,status,sources,catatan,note_en,research_note\n"


def test_v2_rows_become_rounds_with_status_notes_and_citations(site: FixtureSite) -> None:
    site.write("data/citations.csv",
               "url,title,publisher,date,language,verified\n"
               "https://example.org/mou,Lima Puluh Daerah Teken MoU,Humas Kominfo,2018-05-08,id,yes\n"
               "https://example.org/batal,,Diskominfo Depok,,id,yes\n")
    sheet = site.write("data/participants.csv", V2_HEADER +
                       '32.04,Kabupaten Bandung,Kabupaten Bandung,kabupaten,Jawa Barat,2018,withdrawn,'
                       'https://example.org/batal https://example.org/mou,'
                       'Disebut Mei 2018 tetapi dibatalkan.,Named in May 2018 but cancelled.,'
                       'RISET: cancelled per Kominfo head\n'
                       '34.71,Kota Yogyakarta,Kota Yogyakarta,kota,DI Yogyakarta,2019,confirmed,'
                       'https://example.org/mou,Ikut tahap III.,Took part in stage III.,seen\n')
    result = site.run("import-regions", str(sheet))
    assert result.returncode == 0, result.stdout + result.stderr
    import yaml
    bandung = yaml.safe_load((site.root / "content/regions/kabupaten-bandung.yaml").read_text())
    [withdrawn] = bandung["cohort"]
    assert withdrawn["status"] == "withdrawn"
    assert (withdrawn["note"], withdrawn["note_en"]) == ("Disebut Mei 2018 tetapi dibatalkan.",
                                                         "Named in May 2018 but cancelled.")
    yogya = yaml.safe_load((site.root / "content/regions/kota-yogyakarta.yaml").read_text())
    assert yogya["cohort"] == [{"year": 2019, "note": "Ikut tahap III.", "note_en": "Took part in stage III.",
                                "research_note": "seen", "sources": [
                                    {"url": "https://example.org/mou", "title": "Lima Puluh Daerah Teken MoU",
                                     "publisher": "Humas Kominfo", "date": __import__("datetime").date(2018, 5, 8),
                                     "language": "id"}]}]  # confirmed: no status written
    assert site.run("check").returncode == 0
    site.run("build", "--no-cache")
    from bs4 import BeautifulSoup
    page = BeautifulSoup((site.output / "daerah/kota-yogyakarta/index.html").read_bytes(), "html.parser")
    assert "Lima Puluh Daerah Teken MoU — Humas Kominfo, 8 Mei 2018" in \
        [li.get_text(" ", strip=True) for li in page.select("ol.sources li")]
    assert "RISET" not in "".join(p.read_text("utf-8", "replace") for p in site.output.rglob("*.*")
                                  if p.suffix in (".html", ".json", ".csv", ".xml", ".geojson"))


def test_real_v2_data_imports_completely(tmp_path: Path) -> None:
    """../shared/data/v2 into a fresh site: every participation, with its status and citations."""
    data = v2_data_dir(tmp_path)
    v2 = DATA / "v2"
    site = FixtureSite(tmp_path / "s")
    site.write("site_config.yaml", 'title: T\nbase_url: "https://x.github.io/r/"\n')
    assert run_build("import-reference", str(data), "--site", str(site.root)).returncode == 0
    result = site.run("import-regions", str(data / "participants.csv"))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = list(csv.DictReader((v2 / "participants.csv").open(encoding="utf-8")))
    assert f"{len({r['kode'] for r in rows})} created, 0 updated, 0 unchanged" in result.stdout
    assert site.run("check").returncode == 0
    import yaml
    found = {}
    for path in (site.root / "content/regions").glob("*.yaml"):
        region = yaml.safe_load(path.read_text())
        items = region["cohort"] if isinstance(region["cohort"], list) else [region["cohort"]]
        for item in items:
            item = item if isinstance(item, dict) else {"year": item}
            found[(region["code"], item["year"])] = item.get("status", "confirmed")
    assert found == {(r["kode"], int(r["cohort_year"])): r["status"] for r in rows}
