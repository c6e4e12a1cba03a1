"""Validation: every kind of content mistake is reported as path:line: message, all at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import (REPO, STATUS_REGIONS, FixtureSite, files_read, freeze_times, spy, stamp_times,
                      write_site)
from kotacerdas.content import load
from kotacerdas.core.errors import ContentError, Problems
from kotacerdas.content.load import load_site
from kotacerdas.content.read import read_file
from kotacerdas.content.reference import REFERENCE_FILES
from kotacerdas.content.yamlsafe import load as load_yaml


def problems(site: FixtureSite) -> list[str]:
    """Run `check`; it must fail cleanly (exit 1, no traceback) and list problems."""
    result = site.run("check")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].endswith("nothing was written.")
    return lines[:-1]


def test_fixture_site_is_valid(site: FixtureSite) -> None:
    result = site.run("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_yaml_syntax_error_has_file_and_line(site: FixtureSite) -> None:
    site.write("content/regions/kota-bandung.yaml", "name: Kota Bandung\ntype: kota\nprovince: [Jawa Barat\n")
    assert any(p.startswith("content/regions/kota-bandung.yaml:4: YAML syntax error") or
               p.startswith("content/regions/kota-bandung.yaml:3: YAML syntax error") for p in problems(site))


def test_missing_required_field(site: FixtureSite) -> None:
    site.write("content/regions/kota-bandung.yaml", 'name: Kota Bandung\ntype: kota\nprovince: Jawa Barat\ncohort: 2017\n')
    assert "content/regions/kota-bandung.yaml:1: missing required field 'code' (Kode Kemendagri, mis. \"32.73\".); add it" in problems(site)


def test_wrong_types_name_the_field_and_fix(site: FixtureSite) -> None:
    site.write("content/regions/kota-bandung.yaml", """\
        name: Kota Bandung
        type: kota
        province: Jawa Barat
        code: 32.73
        cohort: dua ribu
        """)
    found = problems(site)
    assert any(p.startswith("content/regions/kota-bandung.yaml:4: 'code' must be a Kemendagri code in quotes") for p in found)
    assert any(p.startswith("content/regions/kota-bandung.yaml:5: 'cohort' must be a year") for p in found)


def test_unknown_field_suggests_the_right_name(site: FixtureSite) -> None:
    site.write("content/regions/kota-bandung.yaml", """\
        name: Kota Bandung
        type: kota
        province: Jawa Barat
        code: "32.73"
        cohort: 2017
        sumber: [https://example.org]
        sourcs: [https://example.org]
        """)
    found = problems(site)
    assert any(p.startswith("content/regions/kota-bandung.yaml:7: unknown field 'sourcs'; did you mean 'sources'?") for p in found)
    assert any(p.startswith("content/regions/kota-bandung.yaml:6: unknown field 'sumber'") for p in found)


def test_bad_dates(site: FixtureSite) -> None:
    site.write("content/news/2019-05-15-tahap-tiga.md", "---\ntitle: T\ndate: 2019-02-30\nsummary: S\n---\nx\n")
    site.write("content/news/2019-13-01-salah.md", "---\ntitle: T\ndate: 2019-01-01\nsummary: S\n---\nx\n")
    site.write("content/news/2020-01-01-beda.md", "---\ntitle: T\ndate: 2020-01-02\nsummary: S\nupdated: 2019-12-31\n---\nx\n")
    found = problems(site)
    assert any(p.startswith("content/news/2019-05-15-tahap-tiga.md:3: 'date' must be a date written YYYY-MM-DD") for p in found)
    assert "content/news/2019-13-01-salah.md: file name starts with 2019-13-01, which is not a real date" in found
    assert any(p.startswith("content/news/2020-01-01-beda.md:3: date 2020-01-02 differs from the date in the file name") for p in found)
    assert any(p.startswith("content/news/2020-01-01-beda.md:5: 'updated' is before 'date'") for p in found)


def test_duplicate_slugs_and_codes(site: FixtureSite) -> None:
    site.write("content/news/2020-01-01-peluncuran.md", "---\ntitle: T\ndate: 2020-01-01\nsummary: S\n---\nx\n")
    site.write("content/regions/kota-bandung-lagi.yaml", (site.root / "content/regions/kota-bandung.yaml").read_text())
    found = problems(site)
    assert any("content/news/2020-01-01-peluncuran.md: slug 'peluncuran' is also used by content/news/2017-05-22-peluncuran.md" in p for p in found)
    assert any(p.startswith("content/regions/kota-bandung.yaml: code 32.73 is also used by content/regions/kota-bandung-lagi.yaml") for p in found)


def test_references_that_do_not_exist(site: FixtureSite) -> None:
    site.write("content/regions/kota-bandung.yaml", """\
        name: Kota Bandung
        type: kota
        province: Jawa Brat
        code: "32.73"
        cohort: 2017
        """)
    site.write("content/news/2017-05-22-peluncuran.md", """\
        ---
        title: T
        date: 2017-05-22
        summary: S
        regions:
          - kota-depok
          - kota-bandng
        ---
        x
        """)
    found = problems(site)
    assert any(p.startswith("content/regions/kota-bandung.yaml: province 'Jawa Brat' is not one of the 38 provinces; did you mean 'Jawa Barat'?") for p in found)
    assert any(p.startswith("content/news/2017-05-22-peluncuran.md:7: region 'kota-bandng' does not exist; did you mean 'kota-bandung'?") for p in found)


def test_region_must_agree_with_kemendagri(site: FixtureSite) -> None:
    site.write("content/regions/kota-bandung.yaml", """\
        name: Kota Bandoeng
        type: kabupaten
        province: Daerah Istimewa Yogyakarta
        code: "32.73"
        cohort: 2017
        """)
    site.write("content/regions/kota-baru.yaml", 'name: Kota Baru\ntype: kota\nprovince: Jawa Barat\ncode: "32.99"\ncohort: 2017\n')
    found = problems(site)
    assert any("name 'Kota Bandoeng' differs from the Kemendagri name 'Kota Bandung'" in p for p in found)
    assert any("type 'kabupaten' differs from Kemendagri ('kota')" in p for p in found)
    assert any("code 32.73 belongs to province code 32, not Daerah Istimewa Yogyakarta" in p for p in found)
    assert any(p.startswith("content/regions/kota-baru.yaml: code 32.99 is not a Kemendagri") for p in found)


@pytest.mark.parametrize("name", ["Kota_Bandung.yaml", "kota bandung.yaml", "kota--bandung.yaml", "ｋｏｔａ.yaml"])
def test_region_file_names_are_slugs(site: FixtureSite, name: str) -> None:
    site.write(f"content/regions/{name}", 'name: Kota Bandung\ntype: kota\nprovince: Jawa Barat\ncode: "32.04"\ncohort: 2017\n')
    assert any(p.startswith(f"content/regions/{name}: file name") for p in problems(site))


@pytest.mark.parametrize("name", ["2020-01-01-Judul.md", "2020-01-01-judul_baru.md", "judul.md", "2020-01-01-.md"])
def test_news_file_names(site: FixtureSite, name: str) -> None:
    site.write(f"content/news/{name}", "---\ntitle: T\ndate: 2020-01-01\nsummary: S\n---\nx\n")
    assert any(p.startswith(f"content/news/{name}: file name must be YYYY-MM-DD-<slug>.md") for p in problems(site))


def test_not_utf8_names_the_line(site: FixtureSite) -> None:
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\n---\n\nBaris dua\n".encode() + "Caf\xe9\n".encode("latin-1"))
    assert "content/pages/kontak.md:6: is not UTF-8 text; save the file with UTF-8 encoding (in most editors: Save with Encoding → UTF-8)" in problems(site)


def test_crlf_and_bom_are_fine(site: FixtureSite) -> None:
    text = (site.root / "content/news/2017-05-22-peluncuran.md").read_text()
    site.write("content/news/2017-05-22-peluncuran.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    region = (site.root / "content/regions/kota-bandung.yaml").read_text()
    site.write("content/regions/kota-bandung.yaml", b"\xef\xbb\xbf" + region.replace("\n", "\r\n").encode())
    assert site.run("check").returncode == 0
    result = site.run("build")
    assert result.returncode == 0, result.stderr
    assert "Peluncuran gerakan" in (site.output / "berita/peluncuran/index.html").read_text()


def test_duplicate_keys_are_errors(site: FixtureSite) -> None:
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\nsummary: satu\nsummary: dua\n---\nx\n")
    assert "content/pages/kontak.md:4: duplicate key 'summary' (first given on line 3); keep one and delete the other" in problems(site)


def test_front_matter_must_be_closed(site: FixtureSite) -> None:
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\n\nIsi tanpa penutup.\n")
    site.write("content/pages/tentang.md", "title: Tentang\n---\nIsi\n")
    found = problems(site)
    assert any(p.startswith("content/pages/kontak.md:1: front matter is not closed") for p in found)
    assert any(p.startswith("content/pages/tentang.md:1: must start with a line '---'") for p in found)


def test_yes_no_booleans_are_explained(site: FixtureSite) -> None:
    site.write("content/pages/kontak.md", "---\ntitle: yes\n---\nx\n")
    assert any("'title' must be text, not true (YAML reads yes/no/on/off as true/false" in p for p in problems(site))


def test_symlinks_in_content_are_refused(site: FixtureSite, tmp_path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: rahasia\n---\nx\n")
    os.symlink(secret, site.root / "content/pages/rahasia.md")
    assert "content/pages/rahasia.md: is a symbolic link; content must be real files inside content/" in problems(site)


def test_case_insensitive_duplicates(site: FixtureSite) -> None:
    site.write("content/pages/Kontak.md", "---\ntitle: K\n---\nx\n")
    assert any("differs from" in p and "only in upper/lower case" in p for p in problems(site))


def test_every_problem_reported_at_once(site: FixtureSite) -> None:
    site.write("site_config.yaml", 'title: "Portal"\nbase_url: "https://contoh.github.io/kota-cerdas/"\nnews_per_pag: 5\n')
    site.write("content/regions/kota-bandung.yaml", "name: Kota Bandung\n")
    site.write("content/news/2017-05-22-peluncuran.md", "---\ntitle: T\ndate: 2017-05-22\n---\nx\n")
    site.write("content/pages/kontak.md", "---\ntitle: K\ntitel: K\n---\nx\n")
    found = problems(site)
    files = {p.split(":")[0] for p in found}
    assert files >= {"site_config.yaml", "content/regions/kota-bandung.yaml",
                     "content/news/2017-05-22-peluncuran.md", "content/pages/kontak.md"}
    assert len(found) >= 7


def test_missing_config(site: FixtureSite) -> None:
    site.remove("site_config.yaml")
    assert any(p.startswith("site_config.yaml: is missing") for p in problems(site))


def test_bad_config_values(site: FixtureSite) -> None:
    site.write("site_config.yaml", 'title: ""\nbase_url: "kota-cerdas"\nlanguage: en\nnews_per_page: 0\n')
    found = problems(site)
    assert any(p.startswith("site_config.yaml:2: 'base_url' must be a full web address") for p in found)
    assert any(p.startswith("site_config.yaml:3: 'language' must be one of: id") for p in found)
    assert any(p.startswith("site_config.yaml:4: 'news_per_page' must be between 1 and 100") for p in found)
    assert any(p.startswith("site_config.yaml:1: 'title' must not be empty") for p in found)


def test_coordinates_must_be_inside_indonesia(site: FixtureSite) -> None:
    site.write("content/regions/kota-bandung.yaml", """\
        name: Kota Bandung
        type: kota
        province: Jawa Barat
        code: "32.73"
        cohort: 2017
        coordinates: [107.6, -6.9]
        """)
    found = problems(site)
    assert any(p.startswith("content/regions/kota-bandung.yaml:6: 'coordinates' must be [latitude, longitude]") for p in found)


def test_rounds_carry_status_notes_and_sources(site: FixtureSite) -> None:
    from conftest import STATUS_REGIONS
    from kotacerdas.content.types import Participation, Source
    from kotacerdas.content.load import load_site
    for slug, text in STATUS_REGIONS.items():
        site.write(f"content/regions/{slug}.yaml", text)
    regions = {r.slug: r for r in load_site(site.root, dt.date(2026, 12, 1)).regions}
    assert regions["kota-bandung"].rounds == (Participation(2017),)
    yogya = regions["kota-yogyakarta"]
    assert [(p.year, p.status) for p in yogya.rounds] == [(2017, "withdrawn"), (2018, "inferred")]
    assert yogya.rounds[0].note_en == "Named in May 2017, then cancelled; joined in 2018."
    assert yogya.rounds[0].research_note == "RISET-YOGYA-2017 cancelled per Diskominfo head"
    assert yogya.rounds[0].sources == (Source(title="Yogyakarta batal ikut",
                                              url="https://www.example.org/yogya/batal",
                                              publisher="Humas Yogyakarta",
                                              date=dt.date(2017, 6, 1), language="id"),)
    assert yogya.cohorts == (2018,) and yogya.unverified_cohorts == (2018,) and yogya.participant
    assert [p.year for p in yogya.withdrawn] == [2017]
    named = regions["kabupaten-bandung"]
    assert named.cohorts == () and not named.participant and not named.unverified
    depok = regions["kota-depok"]
    assert depok.cohorts == (2017, 2018) and depok.unverified_cohorts == (2018,)


def test_removed_fields_say_what_to_write_instead(site: FixtureSite) -> None:
    site.write("content/regions/kota-depok.yaml", """\
        name: Kota Depok
        type: kota
        province: Jawa Barat
        code: "32.76"
        cohort: [2017, 2018]
        unverified_cohorts: [2018]
        note: "2018: UNCERTAIN: conflicting sources"
        note_lang: en
        """)
    site.write("content/reference/cohorts.yaml", """\
        - {year: 2017, announced: 25, sources: ["https://example.org/2017"]}
        - year: 2018
          announced: 50
          source: "https://example.org/2018"
        """)
    found = problems(site)
    assert any(p.startswith("content/regions/kota-depok.yaml:6: 'unverified_cohorts' is no longer "
                            "used; mark each of those rounds in 'cohort' instead") and
               "status: uncertain" in p for p in found), found
    assert any(p.startswith("content/regions/kota-depok.yaml:8: 'note_lang' is no longer used") and
               "'note_en'" in p and "'research_note'" in p for p in found), found
    assert any(p.startswith("content/reference/cohorts.yaml:4: 'source' is no longer used") and
               "'sources:'" in p for p in found), found
    assert not any("unknown field" in p for p in found), found


def test_a_round_mapping_is_checked_on_its_own_lines(site: FixtureSite) -> None:
    site.write("content/regions/kota-depok.yaml", """\
        name: Kota Depok
        type: kota
        province: Jawa Barat
        code: "32.76"
        cohort:
          - 2017
          - year: 2018
            status: unsure
            notes: "x"
          - {status: uncertain}
          - 1999
        """)
    found = problems(site)
    assert "content/regions/kota-depok.yaml:8: 'cohort [2].status' must be one of: confirmed, " \
           "uncertain, inferred, withdrawn (got the text 'unsure')" in found, found
    assert any(p.startswith("content/regions/kota-depok.yaml:9: unknown field 'notes'; did you mean "
                            "'note'?") for p in found), found
    assert any(p.startswith("content/regions/kota-depok.yaml:10: missing required field 'year'")
               for p in found), found
    assert "content/regions/kota-depok.yaml:11: 'cohort [4]' must be between 2000 and 2100 " \
           "(got 1999)" in found, found


@pytest.mark.parametrize("cohort,line,also", [
    ("[2017, 2017]", 5, ""),
    ("\n  - 2017\n  - year: 2017\n    status: uncertain", 7, " (also on line 6)"),
])
def test_a_year_given_twice_is_refused(site: FixtureSite, cohort: str, line: int, also: str) -> None:
    site.write("content/regions/kota-bandung.yaml", 'name: Kota Bandung\ntype: kota\n'
               f'province: Jawa Barat\ncode: "32.73"\ncohort: {cohort}\n')
    assert problems(site) == [f"content/regions/kota-bandung.yaml:{line}: 'cohort' lists 2017 "
                              f"twice{also}; give each year once, with its status, notes and "
                              "sources together"]


def test_a_withdrawn_only_region_is_valid_content(site: FixtureSite) -> None:
    from conftest import STATUS_REGIONS
    site.write("content/regions/kabupaten-bandung.yaml", STATUS_REGIONS["kabupaten-bandung"])
    result = site.run("check")
    assert result.returncode == 0, result.stderr


def test_stray_files_are_reported(site: FixtureSite) -> None:
    site.write("content/news/catatan.txt", "x")
    site.write("content/regions/.gitkeep", "")
    found = problems(site)
    assert "content/news/catatan.txt: unexpected file; files in news/ must end in .md" in found
    assert not any(".gitkeep" in p for p in found)


def test_sources_may_be_citations_without_url(site: FixtureSite) -> None:
    site.write("content/news/2019-05-15-tahap-tiga.md", """\
        ---
        title: T
        date: 2019-05-15
        summary: S
        sources:
          - title: "Pernyataan juru bicara"
            publisher: Antara
            date: 2021-12-31
          - ftp://example.org/x
        ---
        x
        """)
    found = problems(site)
    assert len(found) == 1 and found[0].startswith("content/news/2019-05-15-tahap-tiga.md:9: 'sources [2]' must be a web address")


# --- no file is dropped without a problem naming it (hostile-findings D2, D22) -----------------

NEWS = "content/news/2019-05-15-tahap-tiga.md"
REGION = "content/regions/kota-bandung.yaml"
HEAD = '---\ntitle: "Tahap tiga"\ndate: 2019-05-15\nsummary: "Tahap tiga."\n---\n\n'
TODAY = dt.date(2026, 11, 28)  # on or after every date in the fixture


def load_problems(site: FixtureSite, today: dt.date = TODAY) -> list[str]:
    """Load the site in-process; it must fail with a ContentError, whose problems are returned."""
    with pytest.raises(ContentError) as exc:
        load_site(site.root, today)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("front", ["---\n---\n", "---\n# title: T\n# date: 2019-05-15\n---\n",
                                   "---\n~\n---\n"])
def test_empty_front_matter_is_reported(site: FixtureSite, front: str) -> None:
    site.write(NEWS, front + "Isi berita.\n")
    site.write("content/pages/kontak.md", front + "Hubungi kami.\n")
    site.write("content/pages/tentang.en.md", front + "About text.\n")
    found = problems(site)
    for rel, fields in ((NEWS, "title:, date:, summary:"), ("content/pages/kontak.md", "title:"),
                        ("content/pages/tentang.en.md", "title:")):
        assert f"{rel}:2: front matter has no fields (it is empty, only comments, or '~'), so " \
               f"nothing would be published; write {fields} between the two '---' lines" in found, found


@pytest.mark.parametrize("text", ["# name: Kota Bandung\n# type: kota\n", "~\n", "---\n...\n"])
def test_region_without_fields_is_reported_even_beside_other_problems(site: FixtureSite,
                                                                       text: str) -> None:
    site.write(REGION, text)
    site.write("content/pages/kontak.md", "---\ntitle: [\n---\nx\n")  # an unrelated problem
    found = load_problems(site)
    assert any(p.startswith(f"{REGION}:1: has no fields (it is empty, only comments, or '~')")
               for p in found), found


def test_empty_reference_file_and_unknown_reference_file_are_reported(site: FixtureSite) -> None:
    site.write("content/reference/cohorts.yaml", "# dikosongkan\n")
    site.write("content/reference/provinsi.yaml", "- {code: \"32\", name: Jawa Barat}\n")
    found = load_problems(site)
    assert "content/reference/cohorts.yaml:1: is empty; convert the reference data again with " \
           "`python build.py import-reference DATA_DIR`" in found
    assert any(p.startswith("content/reference/provinsi.yaml: unexpected file; did you mean "
                            "provinces.yaml?") for p in found), found


def test_translation_of_a_broken_original_is_named(site: FixtureSite) -> None:
    site.write("content/pages/tentang.md", "---\ntitle: [\n---\nIsi.\n")
    found = load_problems(site)
    assert "content/pages/tentang.en.md: is not published while its original tentang.md has " \
           "problems (listed for that file); fix those first" in found, found


def test_a_file_a_loader_drops_is_reported_by_the_ledger(site: FixtureSite, monkeypatch) -> None:
    """The guard behind every loader: should one skip a file without a word, the load still fails
    naming each file."""
    monkeypatch.setattr(load, "load_pages", lambda paths, problems, today, parsed, memo: ())
    found = load_problems(site)
    for name in ("data", "kontak", "tentang"):
        assert any(p.startswith(f"content/pages/{name}.md: was not read into the site")
                   for p in found), found


def test_files_outside_the_content_folders_are_reported(site: FixtureSite) -> None:
    site.write("content/berita/2019-06-01-penting.md", HEAD.replace("2019-05-15", "2019-06-01") + "x\n")
    site.write("content/region/kota-baru.yaml", "name: Kota Baru\n")
    site.write("content/2019-06-02-lepas.md", HEAD.replace("2019-05-15", "2019-06-02") + "x\n")
    site.write("content/.DS_Store", "")  # dot-files stay ignored
    found = problems(site)
    assert any(p.startswith("content/berita: unknown folder: nothing in it is read; did you mean "
                            "content/news/?") for p in found), found
    assert any(p.startswith("content/region: unknown folder: nothing in it is read; did you mean "
                            "content/regions/?") for p in found), found
    assert any(p.startswith("content/2019-06-02-lepas.md: is not read: files go into a folder of "
                            "content/; move it to content/news/2019-06-02-lepas.md") for p in found), found
    assert not any(".DS_Store" in p for p in found)


def test_a_content_folder_that_is_a_file_is_reported(site: FixtureSite) -> None:
    shutil.rmtree(site.root / "content/pages")
    site.write("content/pages", "title: Tentang\n")
    assert any(p.startswith("content/pages: must be a folder (content/pages/) holding *.md files")
               for p in load_problems(site))


# --- nesting deep enough to crash libyaml (D6) -------------------------------------------------

@pytest.mark.parametrize("rel, text", [
    (REGION, "quick_wins: " + "[" * 25000 + "]" * 25000 + "\n"),     # the report's, closed
    (REGION, "quick_wins: " + "[" * 30000 + "\n"),                     # unclosed
    (REGION, "- " * 30000 + "x\n"),                                    # compact block sequences
    (NEWS, "title: T\ndate: 2019-05-15\nsummary: S\nx:\n"             # indentation, front matter
           + "".join(" " * i + "- a:\n" for i in range(1, 120, 2))),
])
def test_deep_yaml_nesting_is_a_content_error(site: FixtureSite, rel: str, text: str) -> None:
    if rel == NEWS:
        site.write(rel, "---\n" + text + "---\nIsi.\n")
    else:
        site.write(rel, (site.root / rel).read_text() + text if text.startswith("q") else text)
    result = site.run("build", "--no-cache")
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert any(line.startswith(rel + ":") and "nested more than 100 levels deep" in line
               for line in result.stderr.splitlines()), result.stderr[-2000:]


def test_nesting_limit_is_exact() -> None:
    assert load_yaml("a: " + "[" * 99 + "]" * 99 + "\n")[1] == []
    data, found = load_yaml("a: " + "[" * 100 + "]" * 100 + "\n", 4)
    assert data is None and [p.line for p in found] == [5]
    assert "nested more than 100 levels deep" in found[0].message


# --- only regular files, read with a bound (D18, D24) ------------------------------------------

def _check_with_timeout(site: FixtureSite) -> list[str]:
    """`check` that must end quickly: a read that waits on a pipe fails the test, not the suite."""
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--site", str(site.root)],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return result.stderr.splitlines()


@pytest.mark.parametrize("rel", [
    "content/regions/kota-fifo.yaml", "content/news/2019-06-01-fifo.md",          # the report's
    "site_config.yaml", "content/reference/cohorts.yaml", "content/reference/provinces.geojson",
    "templates/strings/id.yaml", "templates/base.html", "content/pages/tentang.en.md",
])
def test_named_pipe_is_refused_without_waiting(site: FixtureSite, rel: str) -> None:
    path = site.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    found = _check_with_timeout(site)
    assert any(line.startswith(f"{rel}: is a named pipe (FIFO), not a normal file; delete it,")
               for line in found), found


def test_oversized_file_is_refused_before_it_is_read(site: FixtureSite, monkeypatch) -> None:
    big = site.root / "content/pages/besar.md"
    with open(big, "wb") as f:
        f.truncate(2_000_000_000)  # sparse: no disk used
    small = site.write("content/pages/sedang.md", "---\ntitle: T\n---\n" + "x" * 5000)
    reads: list[int] = []
    real = os.fdopen

    class Counting:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def read(self, n=-1):
            data = self.f.read(n)
            reads.append(len(data) if n != -1 else 10 ** 12)
            return data

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: Counting(real(*a, **k)))
    problems_ = Problems(site.root)
    assert read_file(big, problems_) is None
    assert read_file(small, problems_, limit=1000) is None
    assert read_file(Path("/dev/zero"), problems_) is None
    assert read_file(Path("/proc/self/maps"), problems_, limit=1000) is None  # size 0, longer
    assert reads == [1001], reads  # only the file that hides its size was read, and only so far
    assert [str(p) for p in problems_.items] == [
        "content/pages/besar.md: is 2,000,000,000 bytes; content files must be under 1,000,000 "
        "bytes, split it or remove pasted data",
        "content/pages/sedang.md: is 5,017 bytes; content files must be under 1,000 bytes, split "
        "it or remove pasted data",
        "/dev/zero: is a device, not a normal file; delete it, and save the file you meant as an "
        "ordinary one",
        "/proc/self/maps: is more than 1,000 bytes; content files must be under 1,000 bytes, "
        "split it or remove pasted data"]


# --- whole numbers (D20) -----------------------------------------------------------------------

def test_whole_numbers_written_as_decimals_are_refused(site: FixtureSite) -> None:
    site.write(REGION, (site.root / REGION).read_text().replace("cohort: 2017", "cohort: 2017.0"))
    site.write("content/reference/cohorts.yaml", (site.root / "content/reference/cohorts.yaml")
               .read_text().replace("announced: 25", "announced: 25.0"))
    site.write("site_config.yaml", (site.root / "site_config.yaml").read_text()
               .replace("news_per_page: 2", "news_per_page: 10.0"))
    result = site.run("build", "--no-cache")
    assert result.returncode == 1
    found = result.stderr.splitlines()
    assert any(p.startswith(f"{REGION}:5: ") and "(got the number 2017.0)" in p
               for p in found), found
    assert "content/reference/cohorts.yaml:1: '[1].announced' must be a whole number, not the " \
           "number 25.0; write it without a decimal point" in found, found
    assert "site_config.yaml:6: 'news_per_page' must be a whole number, not the number 10.0; " \
           "write it without a decimal point" in found, found


# --- invisible characters and future dates (D25) -----------------------------------------------

def test_control_and_bidi_characters_are_refused(site: FixtureSite) -> None:
    region = (site.root / REGION).read_text()
    site.write(REGION, region + 'note: "\\e[31mmerah \\a \\v \\f"\naliases: ["Kota \\u202EgnudnaB"]\n')
    site.write("content/regions/kota-depok.yaml",
               (site.root / "content/regions/kota-depok.yaml").read_text() + "summary: Depok \u202e x\n")
    site.write(NEWS, HEAD.replace('"Tahap tiga."', '"Tahap \\u2066tiga\\u2069."') + "Teks.\n")
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\n---\n\nBaris\nHubungi\x07 kami.\n")
    site.write("content/pages/data.md", "---\ntitle: Data\nsummary: \"\\x9b1m\"\n---\n\nIsi.\n")
    site.write("content/pages/tentang.md", "---\ntitle: Tentang\nsummary: \"Nama \u200e\u200f\"\n"
                                           "---\n\nIsi \u200e tentang.\n")
    found = load_problems(site)
    assert f"{REGION}:9: the text contains the invisible character U+001B (ESCAPE), which does " \
           "not belong in text (it often comes from copying out of a terminal or a word " \
           "processor); delete it" in found, found
    assert f"{REGION}:10: the text contains the invisible character U+202E (RIGHT-TO-LEFT " \
           "OVERRIDE), which makes the text around it display in another order than it is " \
           "written; delete it" in found, found
    assert any(p.startswith("content/regions/kota-depok.yaml:") and "contains the invisible "
               "character U+202E" in p for p in found), found
    assert any(p.startswith(f"{NEWS}:4: the text contains the invisible character U+2066 "
                            "(LEFT-TO-RIGHT ISOLATE)") for p in found), found
    assert any(p.startswith("content/pages/kontak.md:6: contains the invisible character U+0007 "
                            "(BELL)") for p in found), found
    assert any(p.startswith("content/pages/data.md:3: the text contains the invisible character "
                            "U+009B") for p in found), found
    assert not any("tentang.md" in p for p in found), found  # direction marks are allowed


def test_updated_dates_in_the_future_are_refused(site: FixtureSite) -> None:
    site.write(REGION, (site.root / REGION).read_text() + "updated: 2099-12-31\n")
    site.write("content/pages/kontak.md", "---\ntitle: Kontak\nupdated: 2026-11-29\n---\nx\n")
    site.write("content/pages/tentang.en.md", "---\ntitle: About\nupdated: 2027-01-01\n---\nx\n")
    site.write(NEWS, HEAD.replace("summary:", "updated: 2026-12-01\nsummary:") + "x\n")
    # scheduled announcements are valid: a later date, and 'updated' no later than that date
    site.write("content/news/2027-01-10-nanti.md", HEAD.replace("2019-05-15", "2027-01-10")
               .replace("summary:", "updated: 2027-01-10\nsummary:") + "x\n")
    site.write("content/news/2027-01-11-lebih.md", HEAD.replace("2019-05-15", "2027-01-11")
               .replace("summary:", "updated: 2027-01-12\nsummary:") + "x\n")
    found = load_problems(site)
    later = "write the date of the last change, which cannot be in the future"
    assert f"{REGION}:9: 'updated' is 2099-12-31, after today (2026-11-28); {later}" in found, found
    assert f"content/pages/kontak.md:3: 'updated' is 2026-11-29, after today (2026-11-28); {later}" in found
    assert f"content/pages/tentang.en.md:3: 'updated' is 2027-01-01, after today (2026-11-28); {later}" in found
    assert f"{NEWS}:4: 'updated' is 2026-12-01, after today (2026-11-28); {later}" in found
    assert "content/news/2027-01-11-lebih.md:4: 'updated' is 2027-01-12, after today (2026-11-28) " \
           f"and after the announcement's date 2027-01-11; {later}" in found, found
    assert not any("nanti" in p for p in found), found
    load_site(write_site(site.root.parent / "lain").root, TODAY)  # the fixture itself is fine


@pytest.mark.parametrize("field,value", [("sources", '["https://example.org/a\\n"]'),
                                         ("website", '"https://example.org/\\n"')])
def test_a_pattern_field_with_a_final_newline_is_refused(site: FixtureSite, field: str, value: str) -> None:
    """Python's $ also matches before a final newline; every pattern must refuse that too."""
    text = (site.root / REGION).read_text()
    text = re.sub(rf"^{field}:.*\n(  - .*\n)*", "", text, flags=re.M) + f"{field}: {value}\n"
    site.write(REGION, text)
    found = load_problems(site)
    assert any(p.startswith(f"{REGION}:") and field in p and "web address" in p for p in found), found


def test_the_parse_cache_is_an_argument_of_the_loader(site: FixtureSite, monkeypatch) -> None:
    """With ``parsed`` holding an earlier load's YAML, nothing is parsed again and the content is
    the same; without it, every file is parsed, whatever an earlier call was given."""
    from kotacerdas.content import read
    from kotacerdas.content.parsecache import ParseCache, entry_line

    today = dt.date(2030, 1, 1)
    first = ParseCache()
    expected = load_site(site.root, today, parsed=first)
    assert first.used, "the first load records what it parsed"
    parsed_texts = spy(monkeypatch, read, "load_yaml", record=lambda text, *a: text)
    stored = dict(json.loads(entry_line(key, entry)) for key, entry in first.used.items())
    assert load_site(site.root, today, parsed=ParseCache(stored)) == expected
    assert parsed_texts == []
    assert load_site(site.root, today) == expected
    assert len(parsed_texts) == len(first.used)


def test_a_region_names_its_province_by_name_or_alias_in_any_case(site: FixtureSite) -> None:
    """One rule (reference.ProvinceNames) for the loader's check and the model's grouping."""
    from kotacerdas.content.reference import ProvinceNames
    from kotacerdas.model.site import build_model

    path = site.root / "content/regions/kabupaten-gunungkidul.yaml"
    path.write_text(path.read_text().replace("province: DI Yogyakarta", "province: di YOGYAKARTA"))
    content = load_site(site.root, TODAY)
    model = build_model(content, today=TODAY)
    diy = next(p for p in content.provinces if p.code == "34")
    assert [r.slug for r in model.regions_in_province[diy.slug]] == ["kabupaten-gunungkidul"]
    assert model.province_of["kabupaten-gunungkidul"] is diy
    names = ProvinceNames.of(content.provinces)
    assert names.get("daerah istimewa YOGYAKARTA") is names["Di Yogyakarta"] is diy
    assert names.get("Yogyakarta") is None
    with pytest.raises(KeyError):
        names["Yogyakarta"]


# --- a long-lived session: only changed files are read (content/read.by_stamp) --------------

def _all_settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file and folder counts as settled at once (as if saved long ago)."""
    from kotacerdas.content import read

    monkeypatch.setattr(read, "SETTLED_NS", -10**18)


def _rewrite_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Change a file's text without changing its size or modification time (only its change
    time moves, which nothing can set back)."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    freeze_times(path, before)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_with_a_memo_a_settled_unchanged_file_is_not_read_again(site: FixtureSite,
                                                                 monkeypatch) -> None:
    from kotacerdas.core.memo import Memo

    _all_settled(monkeypatch)
    memo = Memo()
    first = load_site(site.root, TODAY, memo=memo)
    memo.settle()  # as a session does after each good build
    reads = files_read(monkeypatch)
    assert load_site(site.root, TODAY, memo=memo) == first
    memo.settle()
    assert reads == [], "a settled file with the stamp of the last read is not read again"
    assert load_site(site.root, TODAY) == first and reads, "without a memo, every file is read"
    reads.clear()
    _rewrite_keeping_size_and_mtime(site.root / NEWS, "Tahap tiga", "Tahap TIGA")
    _rewrite_keeping_size_and_mtime(site.root / REGION, "Bandung menyusun", "BANDUNG menyusun")
    _rewrite_keeping_size_and_mtime(site.root / "content/reference/cohorts.yaml",
                                    "Tahap I dimulai", "TAHAP I dimulai")
    changed = load_site(site.root, TODAY, memo=memo)
    assert {"2019-05-15-tahap-tiga.md", "cohorts.yaml", "kota-bandung.yaml"} <= set(reads) <= {
        "2019-05-15-tahap-tiga.md", "kota-bandung.yaml", *REFERENCE_FILES}, reads
    assert changed == load_site(site.root, TODAY), "what the memo gives is a fresh load's"
    assert [n.title for n in changed.news if n.slug == "tahap-tiga"] == ["Tahap TIGA"]
    assert [r.summary for r in changed.regions if r.slug == "kota-bandung"] == \
        ["BANDUNG menyusun masterplan."]
    assert changed.cohorts[0].note == "TAHAP I dimulai di Makassar."


def test_with_a_memo_a_file_changed_moments_ago_is_always_read(site: FixtureSite,
                                                               monkeypatch) -> None:
    """Within the racy window (the file system's clock may give two saves one stamp), a file is
    read on every load, however its stamp looks; so is a folder listed."""
    from kotacerdas.content import read
    from kotacerdas.core.memo import Memo

    frozen = os.lstat(site.root / NEWS)
    stamp_times(monkeypatch, frozen)
    monkeypatch.setattr(read.time, "time_ns", lambda: frozen.st_ctime_ns + read.SETTLED_NS)
    memo = Memo()
    load_site(site.root, TODAY, memo=memo)
    reads = files_read(monkeypatch)
    (site.root / NEWS).write_text((site.root / NEWS).read_text().replace("Tahap tiga", "Tahap TIGA"))
    site.write("content/news/2019-06-01-baru.md", HEAD.replace("2019-05-15", "2019-06-01") + "x\n")
    again = load_site(site.root, TODAY, memo=memo)
    assert "2019-05-15-tahap-tiga.md" in reads and "kota-bandung.yaml" in reads
    assert {n.slug for n in again.news} >= {"baru", "tahap-tiga"}
    assert [n.title for n in again.news if n.slug == "tahap-tiga"] == ["Tahap TIGA"]


def test_with_a_memo_the_problems_of_unchanged_files_are_reported_on_every_load(
        site: FixtureSite, monkeypatch) -> None:
    """Problems of a file's own, of a folder's list and of the checks across files alike."""
    from kotacerdas.core.memo import Memo

    _all_settled(monkeypatch)
    site.write(NEWS, HEAD.replace("date: 2019-05-15", "date: 2019-05-16")
               + "Isi.\n")                                               # the file's own
    site.write("content/news/catatan.txt", "bukan berita\n")             # the folder's list
    site.write("content/news/2019-06-01-dua.md",
               HEAD.replace("2019-05-15", "2019-06-01").replace("summary:", "regions: [kota-x]\n"
                                                                 "summary:") + "x\n")  # across
    site.write("content/reference/cohorts.yaml", COHORTS_TWICE)          # the reference's own
    memo = Memo()
    with pytest.raises(ContentError) as exc:
        load_site(site.root, TODAY, memo=memo)
    expected = [str(p) for p in exc.value.problems]
    assert any("differs from the date in the file name" in p for p in expected), expected
    assert any(p.startswith("content/news/catatan.txt: unexpected file") for p in expected)
    assert any("region 'kota-x' does not exist" in p for p in expected)
    assert any("year 2017 is listed 2 times" in p for p in expected)
    reads = files_read(monkeypatch)
    for _ in range(2):
        with pytest.raises(ContentError) as exc:
            load_site(site.root, TODAY, memo=memo)
        assert [str(p) for p in exc.value.problems] == expected
    assert reads == []
    assert load_problems(site) == expected, "as a load without memo finds them"


COHORTS_TWICE = """\
- {year: 2017, announced: 25, sources: ["https://example.org/2017"]}
- {year: 2017, announced: 25, sources: ["https://example.org/2017"]}
"""


def test_with_a_memo_a_file_added_to_or_removed_from_a_settled_folder_is_seen(
        site: FixtureSite, monkeypatch) -> None:
    from kotacerdas.core.memo import Memo

    _all_settled(monkeypatch)
    memo = Memo()
    first = load_site(site.root, TODAY, memo=memo)
    site.write("content/news/2019-06-01-baru.md", HEAD.replace("2019-05-15", "2019-06-01") + "x\n")
    site.remove(NEWS)
    site.write("content/regions/kota-yogyakarta.yaml", STATUS_REGIONS["kota-yogyakarta"])
    site.write("content/pages/catatan.txt", "bukan halaman\n")
    with pytest.raises(ContentError) as exc:
        load_site(site.root, TODAY, memo=memo)
    assert "content/pages/catatan.txt: unexpected file; files in pages/ must end in .md" in \
        [str(p) for p in exc.value.problems]
    site.remove("content/pages/catatan.txt")
    again = load_site(site.root, TODAY, memo=memo)
    assert {n.slug for n in again.news} == {n.slug for n in first.news} - {"tahap-tiga"} | {"baru"}
    assert {r.slug for r in again.regions} == {r.slug for r in first.regions} | {"kota-yogyakarta"}
    assert again == load_site(site.root, TODAY)


def test_a_memo_keeps_no_file_text(site: FixtureSite, monkeypatch) -> None:
    """A memo's keys name a file's text by its digest: keeping the text itself would hold every
    announcement's Markdown in memory for the whole build (61 MB at 10,000 of them)."""
    from kotacerdas.core.memo import Memo

    _all_settled(monkeypatch)
    memo = Memo()
    load_site(site.root, TODAY, memo=memo)
    texts = {(site.root / name).read_text(encoding="utf-8") for name in (NEWS, REGION)}

    def strings(value: object) -> list[object]:
        return [s for v in value for s in strings(v)] if isinstance(value, tuple) else [value]

    kept = [s for key in memo._asked for s in strings(key)]
    assert kept and not texts.intersection(kept)


# --- a cold load shares the files out to forked workers (content/read.by_stamp_ahead) --------

def _crowded(site: FixtureSite) -> None:
    """The fixture site with many more files of each kind, some of them broken: bad YAML, a
    missing field, news naming a region that does not exist, file names that are no slugs,
    empty front matter, text that is not UTF-8, a translation of a broken original."""
    for i in range(12):
        region = "kota-bandungg" if i % 3 == 2 else "kota-bandung"
        site.write(f"content/news/2019-06-{i + 1:02d}-kabar-{i}.md",
                   f'---\ntitle: "Kabar {i}"\ndate: 2019-06-{i + 1:02d}\nsummary: "Kabar."\n'
                   f"regions: [{region}]\n---\n\nIsi {i}.\n")
        site.write(f"content/news/2019-06-{i + 1:02d}-kabar-{i}.en.md",
                   f'---\ntitle: "News {i}"\nsummary: "News."\n---\n\nText {i}.\n')
        site.write(f"content/pages/halaman-{i}.md", f"---\ntitle: Halaman {i}\n---\n\nIsi.\n")
        site.write(f"content/pages/halaman-{i}.en.md", f"---\ntitle: Page {i}\n---\n\nText.\n")
        site.write(f"content/regions/kota-contoh-{i}.yaml",
                   f'name: Kota Contoh {i}\ntype: kota\nprovince: Jawa Barat\ncode: "32.9{i}"\n'
                   "cohort: 2017\n")
    site.write("content/news/2019-07-01-rusak.md", '---\ntitle: "Rusak\ndate: [2019\n---\n\nX.\n')
    site.write("content/news/2019-07-02-kosong.md", "---\n---\n\nIsi.\n")
    site.write("content/news/2019-07-02-kosong.en.md", '---\ntitle: "Empty"\n---\n\nText.\n')
    site.write("content/news/2019-07-03-Bukan_Slug.md", HEAD + "Isi.\n")
    site.write("content/news/2019-07-04-biner.md", b"---\ntitle: \xff\xfe\n---\n")
    site.write("content/pages/tanpa-judul.md", "---\nsummary: Tanpa judul.\n---\n\nIsi.\n")
    site.write("content/regions/kota-rusak.yaml", "name: Kota Rusak\ntype: [kota\n")
    site.write("content/regions/kota-tanpa-kode.yaml",
               "name: Kota Tanpa Kode\ntype: kota\nprovince: Jawa Barat\ncohort: 2017\n")
    site.write("content/regions/Kota_Salah.yaml", "name: Kota Salah\n")


def _load(site: FixtureSite, monkeypatch: pytest.MonkeyPatch, cores: int, memo: Any,
          parsed: Any) -> tuple[Any, list[str], list[Any]]:
    """A load with ``cores`` workers (a job of two files or more is shared out): its content
    (None when it failed), its problems in the order found, and the keys handed to ``memo``."""
    from kotacerdas.core import parallel
    from kotacerdas.core.memo import Memo

    with monkeypatch.context() as patch:
        patch.setattr(parallel, "workers", lambda: cores)
        patch.setattr(parallel, "MIN_ITEMS", 2)
        found = spy(patch, Problems, "raise_if_any",
                    record=lambda self: [str(p) for p in self.items])
        handed = spy(patch, Memo, "hand", record=lambda self, key, *rest: key)
        try:
            content = load_site(site.root, TODAY, parsed=parsed, memo=memo)
        except ContentError:
            content = None
    return content, found[0], handed


@pytest.mark.skipif(os.name != "posix", reason="forked workers need fork")
@pytest.mark.parametrize("broken", [True, False])
def test_a_cold_load_in_forked_workers_is_the_serial_load(site: FixtureSite, monkeypatch,
                                                          broken: bool) -> None:
    """The files are read, parsed and checked by the parent and a forked worker, each taking
    chunks (core/parallel), and every outcome is handed to the memo; the load gives the same
    content, the same problems in the same order, and the same entries for the next build's
    caches (the outcomes, the parse cache) as a load on one core; the next build finds the
    announcements and regions in what it saved, and shares none out again."""
    from kotacerdas.content import stored
    from kotacerdas.content.parsecache import ParseCache
    from kotacerdas.content.stored import StoredMemo

    if broken:
        _crowded(site)
    else:
        for i in range(12):
            site.write(f"content/news/2019-06-{i + 1:02d}-kabar-{i}.md",
                       f'---\ntitle: "Kabar {i}"\ndate: 2019-06-{i + 1:02d}\nsummary: "Kabar."\n'
                       "regions: [kota-bandung]\n---\n\nIsi.\n")
    _all_settled(monkeypatch)
    serial_memo, serial_parsed = StoredMemo(), ParseCache()
    serial = _load(site, monkeypatch, 1, serial_memo, serial_parsed)
    shared_memo, shared_parsed = StoredMemo(), ParseCache()
    shared = _load(site, monkeypatch, 2, shared_memo, shared_parsed)
    assert shared[:2] == serial[:2]
    assert (serial[0] is None) == broken and len(serial[1]) >= 10 * broken
    assert serial[2] == [] and {key[0] for key in shared[2]} >= {
        (stored.NEWS, TODAY), (stored.REGION, TODAY)}
    handed = {key[1][0] for key in shared[2]}  # each file shared out, by its stamp's path
    alone = set() if broken else {"2017-05-22-peluncuran.en.md"}  # one file: not shared out
    content = {p for p in (site.root / "content").rglob("*") if p.suffix in (".md", ".yaml")
               and "reference" not in p.parts and p.name not in alone}
    assert {os.path.basename(path) for path in handed} >= {p.name for p in content}
    assert shared_memo.used == serial_memo.used and shared_memo.used
    assert list(shared_parsed.used.items()) == list(serial_parsed.used.items())
    again = _load(site, monkeypatch, 2, StoredMemo(dict(shared_memo.used)), ParseCache())
    assert again[:2] == serial[:2]
    assert not {key[0] for key in again[2]} & {(stored.NEWS, TODAY), (stored.REGION, TODAY)}


def test_a_few_files_are_not_shared_out(site: FixtureSite, monkeypatch) -> None:
    """The fixture's handful of files stays in-process: no worker, no multiprocessing import."""
    from kotacerdas.core import parallel

    _all_settled(monkeypatch)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    asked = spy(monkeypatch, parallel, "map_indexed")
    load_site(site.root, TODAY)
    assert asked == []
    code = ("import datetime, sys; from kotacerdas.content import read; "
            "read.SETTLED_NS = -10**18; from kotacerdas.content.load import load_site; "
            f"load_site(__import__('pathlib').Path({str(site.root)!r}), datetime.date(2026, 11, 28)); "
            "print('multiprocessing' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.strip() == "False", result.stderr
