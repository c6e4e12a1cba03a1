"""The write guard: every writer refuses links, climbing names and non-files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kotacerdas.writeguard import UnsafeWrite, target, write_bytes


def test_writes_inside_creating_folders(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, "a/b/c.txt", b"x")
    assert path == tmp_path / "a" / "b" / "c.txt" and path.read_bytes() == b"x"
    write_bytes(tmp_path, "a/b/c.txt", b"y")
    assert path.read_bytes() == b"y"
    assert sorted(p.name for p in path.parent.iterdir()) == ["c.txt"]  # no temporary file left


@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/x", "a//b", "./a", "", "a\\..\\b"])
def test_climbing_or_odd_names_are_refused(tmp_path: Path, rel: str) -> None:
    with pytest.raises(UnsafeWrite):
        target(tmp_path, rel)


def test_symlinked_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "site").mkdir()
    os.symlink(outside, tmp_path / "site" / "regions")
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_bytes(tmp_path / "site", "regions/kota-x.yaml", b"x")
    assert list(outside.iterdir()) == []


def test_symlinked_file_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    os.symlink(victim, tmp_path / "cohorts.yaml")
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_bytes(tmp_path, "cohorts.yaml", b"x")
    assert victim.read_text() == "keep"


def test_fifo_and_folder_targets_are_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "dir.yaml").mkdir()
    for name in ("pipe.yaml", "dir.yaml"):
        with pytest.raises(UnsafeWrite, match="not a regular file"):
            write_bytes(tmp_path, name, b"x")


def test_exclusive_never_replaces(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("hand-edited")
    with pytest.raises(FileExistsError):
        write_bytes(tmp_path, "a.yaml", b"generated", exclusive=True)
    assert (tmp_path / "a.yaml").read_text() == "hand-edited"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]
