"""The region-file-by-code reader: the importer refuses on a broken file, ``new`` passes over it."""

from __future__ import annotations

from pathlib import Path

from kotacerdas.core.errors import Problems
from kotacerdas.editors.regionfiles import normal_code, readable_file_with_code, region_files


def _regions(tmp_path: Path) -> Path:
    folder = tmp_path / "regions"
    folder.mkdir()
    (folder / "gunung-kidul.yaml").write_text('name: "Kabupaten Gunungkidul"\ncode: 34.03\n', encoding="utf-8")
    (folder / "kota-bandung.yaml").write_text('name: "Kota Bandung"\ncode: "32.73"\n', encoding="utf-8")
    (folder / "rusak.yaml").write_text('name: "Kota Bogor\ncode: "32.71"\n', encoding="utf-8")
    (folder / "daftar.yaml").write_text("- satu\n- dua\n", encoding="utf-8")
    (folder / "catatan.txt").write_text("code: 32.01\n", encoding="utf-8")
    return folder


def test_every_form_of_a_code_is_read() -> None:
    assert [normal_code(v) for v in ("32.73", 32.73, "32.7", 32.7, "32,73", "3273", None)] == \
        ["32.73", "32.73", "32.70", "32.70", "32.73", None, None]


def test_a_file_that_cannot_be_read_is_a_problem_for_the_importer(tmp_path: Path) -> None:
    folder = _regions(tmp_path)
    problems = Problems(tmp_path)
    files = region_files(folder, problems)
    assert [(f.path.name, f.code) for f in files] == [("gunung-kidul.yaml", "34.03"),
                                                     ("kota-bandung.yaml", "32.73")]
    assert sorted(p.path for p in problems.items) == ["regions/daftar.yaml", "regions/rusak.yaml"]


def test_new_passes_over_a_broken_file_and_finds_an_unquoted_code(tmp_path: Path) -> None:
    folder = _regions(tmp_path)
    assert readable_file_with_code(folder, "34.03") == folder / "gunung-kidul.yaml"
    assert readable_file_with_code(folder, "32.73") == folder / "kota-bandung.yaml"
    assert readable_file_with_code(folder, "32.71") is None  # only in the broken file
    assert readable_file_with_code(tmp_path / "none", "32.73") is None
