"""The persistent build cache: a cached build equals a build without it; no change writes nothing."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import tree
from kotacerdas import cache
from kotacerdas.errors import ContentError
from kotacerdas.pipeline import build
from test_incremental import BASE, TODAY, Editor, _site


def _build(site: Path, out: Path, cache_dir: Path | None):
    return build(site, out, base_url=BASE, today=TODAY, cache_dir=cache_dir)


@pytest.mark.parametrize("seed", range(3))
def test_cached_builds_equal_full_builds_after_random_edits(tmp_path: Path, seed: int) -> None:
    site = _site(tmp_path)
    editor = Editor(site, random.Random(seed))
    out, store = tmp_path / "out", tmp_path / "cache"
    assert not _build(site.root, out, store).unchanged
    history = []
    for step in range(6):
        history.append(editor.random_edit())
        try:
            result = _build(site.root, out, store)
        except ContentError:
            continue
        full = tmp_path / f"full-{step}"
        _build(site.root, full, None)
        assert not result.unchanged, history
        assert tree(out) == tree(full), history
        shutil.rmtree(full)


def test_nothing_changed_writes_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    assert _build(site.root, out, store).unchanged
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == before


def test_output_changed_by_hand_is_rebuilt(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    expected = tree(out)
    (out / "index.html").write_text("dirusak")
    (out / "daerah" / "kota-bandung" / "index.html").unlink()
    assert not _build(site.root, out, store).unchanged
    assert tree(out) == expected


def test_a_corrupt_or_foreign_cache_means_a_full_build(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out, store = tmp_path / "out", tmp_path / "cache"
    _build(site.root, out, store)
    expected = tree(out)
    (store / cache.FILE).write_text('{"version": 1, "key": "x", "inputs": [')
    (store / cache.MARKDOWN_FILE).write_text('{"/\\u0000abc": "<script>alert(1)</script>"}')
    assert not _build(site.root, out, store).unchanged
    assert tree(out) == expected
