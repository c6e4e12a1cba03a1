"""The write guard: every writer refuses links, climbing names and non-files."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kotacerdas.core.writeguard import UnsafeWrite, WriteFailed, append_bytes, link, reporting, \
    target, write_bytes, write_new


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


def test_write_new_never_changes_a_file_shared_by_a_hard_link(tmp_path: Path) -> None:
    """A tree being built shares files with the published output; writing a name there makes a
    new file instead of writing into the shared one."""
    published = tmp_path / "published.html"
    published.write_bytes(b"old")
    (tmp_path / "tree").mkdir()
    os.link(published, tmp_path / "tree" / "page.html")
    write_new(tmp_path / "tree", "page.html", b"new")
    assert published.read_bytes() == b"old" and (tmp_path / "tree" / "page.html").read_bytes() == b"new"
    link(tmp_path / "tree", "page.html", published)
    assert os.stat(tmp_path / "tree" / "page.html").st_ino == os.stat(published).st_ino


@pytest.mark.parametrize("write", [
    lambda root: write_new(root, "log/x", b"x"),
    lambda root: append_bytes(root, "log/x", b"x"),
    lambda root: link(root, "log/x", root / "source"),
])
def test_every_writer_refuses_a_linked_folder(tmp_path: Path, write) -> None:  # noqa: ANN001
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "source").write_text("s")
    os.symlink(outside, tmp_path / "root" / "log")
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write(tmp_path / "root")
    assert list(outside.iterdir()) == []


def test_system_errors_become_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(WriteFailed) as info:
        with reporting(f"the folder {tmp_path}", "nothing was changed"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / "x"))
    assert str(info.value) == (f"could not write the folder {tmp_path}: it is on a read-only disk; "
                               "choose a folder on a writable disk (nothing was changed)")
