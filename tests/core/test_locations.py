"""Locations: the cache key covers the whole package, templates are searched site first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kotacerdas
from kotacerdas.build import cache
from kotacerdas.core import locations
from kotacerdas.core.locations import BUILTIN_TEMPLATES, PACKAGE, template_dirs, watched_paths


def test_package_is_the_package_root_not_a_subpackage() -> None:
    assert PACKAGE == Path(kotacerdas.__file__).resolve().parent
    assert (BUILTIN_TEMPLATES / "base.html").is_file()


def test_the_code_digest_covers_every_python_file_of_the_package(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "kotacerdas"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", copy)
    monkeypatch.setattr(cache, "_code", None)
    before = cache.code_digest()
    files = sorted(copy.rglob("*.py"))
    assert {p.parent.name for p in files} >= {"core", "content", "model", "render", "build", "cli"}
    for path in files:
        original = path.read_bytes()
        path.write_bytes(original + b"# edited\n")
        monkeypatch.setattr(cache, "_code", None)
        assert cache.code_digest() != before, path.relative_to(copy)
        path.write_bytes(original)
    monkeypatch.setattr(cache, "_code", None)
    assert cache.code_digest() == before


def test_site_templates_come_before_the_builtin_ones(tmp_path: Path) -> None:
    assert template_dirs(tmp_path) == [BUILTIN_TEMPLATES]
    (tmp_path / "templates").mkdir()
    assert template_dirs(tmp_path) == [tmp_path / "templates", BUILTIN_TEMPLATES]


def test_the_preview_watches_what_the_input_stamps_cover(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    stamped = [path for _, path in locations.input_folders(tmp_path)] + [locations.config_file(tmp_path)]
    assert sorted(watched_paths(tmp_path)) == sorted(stamped)
