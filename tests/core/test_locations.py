"""Locations: PACKAGE is the package root (the cache key hashes it: tests/build/test_cache.py checks
every file), templates are searched site first, the preview watches what the stamps cover."""

from __future__ import annotations

from pathlib import Path


import kotacerdas
from kotacerdas.core import locations
from kotacerdas.core.locations import BUILTIN_TEMPLATES, PACKAGE, template_dirs, watched_paths


def test_package_is_the_package_root_not_a_subpackage() -> None:
    assert PACKAGE == Path(kotacerdas.__file__).resolve().parent
    assert (BUILTIN_TEMPLATES / "base.html").is_file()


def test_site_templates_come_before_the_builtin_ones(tmp_path: Path) -> None:
    assert template_dirs(tmp_path) == [BUILTIN_TEMPLATES]
    (tmp_path / "templates").mkdir()
    assert template_dirs(tmp_path) == [tmp_path / "templates", BUILTIN_TEMPLATES]


def test_the_preview_watches_what_the_input_stamps_cover(tmp_path: Path) -> None:
    stamped = [path for _, path in locations.input_folders(tmp_path)] + [locations.config_file(tmp_path)]
    assert tmp_path / "templates" in watched_paths(tmp_path), "a templates/ made later counts too"
    assert sorted(watched_paths(tmp_path)) == sorted(stamped)
    (tmp_path / "templates").mkdir()
    assert sorted(watched_paths(tmp_path)) == sorted(stamped)
