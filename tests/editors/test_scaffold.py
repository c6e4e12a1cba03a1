"""``python build.py new``: files that list every field, pass the check as they are, never overwrite."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import FixtureSite
from kotacerdas.content import schemas
from kotacerdas.core.clock import today_in_jakarta
from kotacerdas.editors.scaffold import MAX_SLUG, news_slug
from kotacerdas.content.yamlsafe import load as load_yaml


def _front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    data, problems = load_yaml(text.split("\n---\n", 1)[0][4:])
    assert problems == []
    return data


def _fields_listed(text: str) -> set[str]:
    """Fields present as 'name:' or commented out as '# name:'."""
    return set(re.findall(r"^(?:# )?([a-z_]+):", text, flags=re.MULTILINE))


# --- announcements ------------------------------------------------------------------------

def test_new_announcement_is_a_draft_that_passes_the_check(site: FixtureSite) -> None:
    today = today_in_jakarta()
    result = site.run("new", "announcement", "Forum Smart City: \"Nasional\" 2026 — Bandung")
    assert result.returncode == 0, result.stderr
    rel = f"content/news/{today.isoformat()}-forum-smart-city-nasional-2026-bandung.md"
    assert f"created {rel}" in result.stdout
    text = (site.root / rel).read_text(encoding="utf-8")
    data = _front_matter(text)
    assert data["title"] == "Forum Smart City: \"Nasional\" 2026 — Bandung"
    assert data["date"] == today and data["draft"] is True
    assert "RINGKASAN BELUM DITULIS" in data["summary"]
    assert _fields_listed(text) >= set(schemas.NEWS["properties"])
    for name, prop in schemas.NEWS["properties"].items():
        assert prop["description"] in text, name
    check = site.run("check")
    assert check.returncode == 0, check.stderr
    build = site.run("build")
    assert build.returncode == 0, build.stderr
    assert not (site.output / "berita" / "forum-smart-city-nasional-2026-bandung").exists()
    assert site.run("build", "--drafts").returncode == 0
    assert (site.output / "berita" / "forum-smart-city-nasional-2026-bandung" / "index.html").is_file()


def test_new_announcement_refuses_to_overwrite(site: FixtureSite) -> None:
    args = ("new", "announcement", "Rapat Koordinasi", "--date", "2020-02-03")
    assert site.run(*args).returncode == 0
    path = site.root / "content/news/2020-02-03-rapat-koordinasi.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nDiedit.\n", encoding="utf-8")
    before = path.read_bytes()
    again = site.run(*args)
    assert again.returncode == 1
    assert "content/news/2020-02-03-rapat-koordinasi.md already exists" in again.stderr
    assert path.read_bytes() == before
    other_day = site.run("new", "announcement", "Rapat Koordinasi", "--date", "2020-02-04")
    assert other_day.returncode == 1
    assert "already uses the name 'rapat-koordinasi'" in other_day.stderr
    assert not (site.root / "content/news/2020-02-04-rapat-koordinasi.md").exists()


@pytest.mark.parametrize("link", ["content/news", "content"])
def test_new_announcement_never_writes_through_a_symlink(site: FixtureSite, tmp_path: Path,
                                                         link: str) -> None:
    """The report: content/news a link to a folder outside the site (a pull request can commit
    one); also content/ itself. Nothing is written there, and the editor is told why."""
    outside = tmp_path / "outside"
    shutil.move(site.root / link, outside)
    os.symlink(outside, site.root / link)
    before = sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*"))
    result = site.run("new", "announcement", "Judul Uji", "--date", "2020-02-03")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{site.root / link}: is a symbolic link; refusing to write through it" in result.stderr
    assert sorted(p.relative_to(outside).as_posix() for p in outside.rglob("*")) == before


def test_new_region_never_writes_through_a_symlink(site: FixtureSite, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.move(site.root / "content/regions", outside)
    os.symlink(outside, site.root / "content/regions")
    result = site.run("new", "region", "Kota Yogyakarta")
    assert result.returncode == 1 and "is a symbolic link" in result.stderr
    assert not (outside / "kota-yogyakarta.yaml").exists()


def test_new_never_writes_over_a_symlinked_file(site: FixtureSite, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("milik orang lain")
    os.symlink(victim, site.root / "content/news/2020-02-03-judul-uji.md")
    result = site.run("new", "announcement", "Judul Uji", "--date", "2020-02-03")
    assert result.returncode == 1
    assert victim.read_text() == "milik orang lain"


def test_new_on_a_full_disk_is_one_sentence_and_leaves_nothing(site: FixtureSite) -> None:
    from faults import run_with_fault
    before = sorted(p.name for p in (site.root / "content/news").iterdir())
    result = run_with_fault("ENOSPC:0", site.root / "content", "new", "announcement", "Judul Uji",
                            "--site", str(site.root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"error: could not write the folder {site.root}/content/news: "
                                      "the disk is full; free some space, then try again "
                                      "(nothing was written)")
    assert sorted(p.name for p in (site.root / "content/news").iterdir()) == before


def test_slug_is_cut_at_a_word_boundary() -> None:
    title = "Kementerian Komunikasi dan Digital mengumumkan daerah peserta Gerakan Menuju Smart City tahun 2026"
    slug = news_slug(title)
    assert len(slug) <= MAX_SLUG and not slug.endswith("-")
    assert title.lower().replace(" ", "-").startswith(slug)
    assert news_slug("Évaluasi   Tahap  II!") == "evaluasi-tahap-ii"


@pytest.mark.parametrize("args, message", [
    (("new", "announcement", "!!!"), "no letters or digits"),
    (("new", "announcement", "   "), "give the announcement a title"),
    (("new", "announcement", "Judul", "--date", "2020-13-01"), "is not a date"),
    (("new", "region", "Kota Depok", "--date", "2020-01-01"), "--date is for announcements"),
])
def test_usage_errors(site: FixtureSite, args: tuple[str, ...], message: str) -> None:
    result = site.run(*args)
    assert result.returncode == 2
    assert message in result.stderr


# --- regions ------------------------------------------------------------------------------

def test_new_region_is_filled_from_the_reference_and_passes_the_check(site: FixtureSite) -> None:
    today = today_in_jakarta()
    result = site.run("new", "region", "kota  YOGYAKARTA")
    assert result.returncode == 0, result.stderr
    assert "created content/regions/kota-yogyakarta.yaml" in result.stdout
    text = (site.root / "content/regions/kota-yogyakarta.yaml").read_text(encoding="utf-8")
    data, problems = load_yaml(text)
    assert problems == []
    assert {k: data[k] for k in ("name", "type", "province", "code", "cohort", "updated")} == {
        "name": "Kota Yogyakarta", "type": "kota", "province": "Daerah Istimewa Yogyakarta",
        "code": "34.71", "cohort": today.year, "updated": today}
    assert "coordinates" not in data  # the fixture's reference has no centroid for it
    assert _fields_listed(text) >= set(schemas.REGION["properties"])
    check = site.run("check")
    assert check.returncode == 0, check.stderr


def test_new_region_takes_prefix_variants_and_codes(site: FixtureSite) -> None:
    assert site.run("new", "region", "Kab. Bandung").returncode == 0
    assert (site.root / "content/regions/kabupaten-bandung.yaml").is_file()
    site.remove("content/regions/kabupaten-bandung.yaml")
    assert site.run("new", "region", "32.04").returncode == 0
    assert (site.root / "content/regions/kabupaten-bandung.yaml").is_file()


def test_new_region_coordinates_come_from_the_reference(site: FixtureSite) -> None:
    reference = site.root / "content/reference/kabupaten-kota.yaml"
    line = '- {code: "34.71", name: Kota Yogyakarta, short_name: Yogyakarta, type: kota, province_code: "34"}'
    text = reference.read_text(encoding="utf-8")
    assert line in text
    site.write("content/reference/kabupaten-kota.yaml",
               text.replace(line, line[:-1] + ", lat: -7.8, lon: 110.37}"))
    assert site.run("new", "region", "Kota Yogyakarta").returncode == 0
    data, _ = load_yaml((site.root / "content/regions/kota-yogyakarta.yaml").read_text(encoding="utf-8"))
    assert data["coordinates"] == [-7.8, 110.37]
    assert site.run("check").returncode == 0


@pytest.mark.parametrize("name, expected", [
    ("Bandung", "is more than one kabupaten/kota: say \"Kabupaten Bandung\" or \"Kota Bandung\""),
    ("Kota Depoc", "did you mean 'Kota Depok'"),
    ("Kabupaten Depok", "did you mean 'Kota Depok'"),
    ("Kota Depok", "content/regions/kota-depok.yaml already exists"),
])
def test_new_region_refusals(site: FixtureSite, name: str, expected: str) -> None:
    result = site.run("new", "region", name)
    assert result.returncode == 1
    assert expected in result.stderr


def test_new_region_refuses_a_code_that_already_has_a_file(site: FixtureSite) -> None:
    text = (site.root / "content/regions/kabupaten-gunungkidul.yaml").read_text(encoding="utf-8")
    site.remove("content/regions/kabupaten-gunungkidul.yaml")
    site.write("content/regions/gunung-kidul.yaml", text)
    result = site.run("new", "region", "Gunungkidul")
    assert result.returncode == 1
    assert "already has content/regions/gunung-kidul.yaml" in result.stderr
    assert not (site.root / "content/regions/kabupaten-gunungkidul.yaml").exists()


def test_new_region_needs_reference_data(site: FixtureSite) -> None:
    for name in ("provinces", "kabupaten-kota", "cohorts"):
        site.remove(f"content/reference/{name}.yaml")
    (site.root / "content/reference").rmdir()
    result = site.run("new", "region", "Kota Bandung")
    assert result.returncode == 2
    assert "import-reference" in result.stderr


# --- the editors' guide stays in step with the schemas ----------------------------------------

def test_editor_guide_explains_every_field_and_is_linked() -> None:
    from conftest import REPO

    guide = (REPO / "PANDUAN-EDITOR.md").read_text(encoding="utf-8")
    for schema in (schemas.REGION, schemas.NEWS, schemas.PAGE):
        for name in schema["properties"]:
            assert f"| `{name}`" in guide, f"PANDUAN-EDITOR.md does not explain '{name}'"
    for command in ("python build.py new announcement", "python build.py new region",
                    "python build.py serve", "python build.py check",
                    "python build.py import-regions", "http://127.0.0.1:8000/kota-cerdas/"):
        assert command in guide
    assert "(PANDUAN-EDITOR.md)" in (REPO / "README.md").read_text(encoding="utf-8")


def test_new_region_finds_an_unquoted_code_under_another_name(site: FixtureSite) -> None:
    """The importer's lookup (regionfiles.region_files): `code: 34.03` without quotes is that region."""
    text = (site.root / "content/regions/kabupaten-gunungkidul.yaml").read_text(encoding="utf-8")
    site.remove("content/regions/kabupaten-gunungkidul.yaml")
    site.write("content/regions/gunung-kidul.yaml", text.replace('code: "34.03"', "code: 34.03"))
    result = site.run("new", "region", "Gunungkidul")
    assert result.returncode == 1
    assert "already has content/regions/gunung-kidul.yaml" in result.stderr
    assert not (site.root / "content/regions/kabupaten-gunungkidul.yaml").exists()
