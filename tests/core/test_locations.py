"""Locations: PACKAGE is the package root (the cache key hashes it: tests/build/test_cache.py checks
every file), templates are searched site first, the preview watches what the stamps cover, and an
editor's scratch files are no part of a site."""

from __future__ import annotations

from pathlib import Path


import kotacerdas
from kotacerdas.core import locations
from kotacerdas.core.locations import (BUILTIN_TEMPLATES, PACKAGE, is_scratch, template_dirs,
                                      template_files, watched_paths)


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


def test_a_template_name_is_rendered_by_the_first_folder_that_has_it(tmp_path: Path) -> None:
    """As the renderer's loader finds it: the site's own file before the built-in one; an
    editor's scratch file is no template."""
    own = tmp_path / "templates"
    (own / "partials").mkdir(parents=True)
    for name in ("page.html", "page-uji.html", "partials/meta.html", ".#page-lain.html"):
        (own / name).write_text("x")
    found = template_files(template_dirs(tmp_path))
    assert found["page.html"] == own / "page.html"
    assert found["partials/meta.html"] == own / "partials/meta.html"
    assert found["page-uji.html"] == own / "page-uji.html"
    assert found["page-data.html"] == BUILTIN_TEMPLATES / "page-data.html"
    assert ".#page-lain.html" not in found and "page-lain.html" not in found


def test_editor_scratch_files_are_not_saves() -> None:
    for name in (".tahap-dua.md.swp", ".tahap-dua.md.swx", ".#tahap-dua.md", "#tahap-dua.md#", "4913",
                 ".gitkeep", ".DS_Store", "tahap-dua.md~"):
        assert is_scratch(name), name
    for name in ("2018-05-08-tahap-dua.md", "kota-bandung.yaml", "#", "base.html",
                 "site_config.yaml"):
        assert not is_scratch(name), name
