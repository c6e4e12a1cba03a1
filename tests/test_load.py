"""Validation: every kind of content mistake is reported as path:line: message, all at once."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from conftest import FixtureSite


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
    from kotacerdas.content import Participation, Source
    from kotacerdas.load import load_site
    for slug, text in STATUS_REGIONS.items():
        site.write(f"content/regions/{slug}.yaml", text)
    regions = {r.slug: r for r in load_site(site.root).regions}
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
