"""The write guard: every writer refuses links, climbing names and non-files."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kotacerdas.core.writeguard import Folders, UnsafeWrite, WriteFailed, append_bytes, link, \
    remove, reporting, target, write_bytes, write_new


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


def test_write_new_keeps_a_file_that_holds_these_very_bytes(tmp_path: Path) -> None:
    """A name that already holds the bytes to write is kept (the published file's identity
    stays); other bytes of the same size make a new file, and the shared one never changes."""
    published = tmp_path / "published.html"
    published.write_bytes(b"same")
    (tmp_path / "tree").mkdir()
    page = tmp_path / "tree" / "page.html"
    os.link(published, page)
    write_new(tmp_path / "tree", "page.html", b"same")
    assert os.stat(page).st_ino == os.stat(published).st_ino
    write_new(tmp_path / "tree", "page.html", b"sane")
    assert os.stat(page).st_ino != os.stat(published).st_ino
    assert published.read_bytes() == b"same" and page.read_bytes() == b"sane"


@pytest.mark.parametrize("write", [
    lambda root, data: write_bytes(root, "page.html", data),
    lambda root, data: write_new(root, "page.html", data, whole=True),
], ids=["write_bytes", "write_new whole"])
def test_a_whole_write_renames_a_new_file_over_the_name(tmp_path: Path, write) -> None:  # noqa: ANN001
    """Both writers that replace a published file go through one temporary file and one rename:
    a hard link elsewhere keeps the old bytes, a temporary file a killed process of this number
    left is replaced, and none is left behind."""
    page = tmp_path / "page.html"
    page.write_bytes(b"old")
    os.link(page, tmp_path / "elsewhere.html")
    (tmp_path / f".page.html.tmp-{os.getpid()}").write_bytes(b"left by a killed process")
    write(tmp_path, b"new")
    assert page.read_bytes() == b"new" and (tmp_path / "elsewhere.html").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.html", "page.html"]


def test_write_new_refuses_a_link_even_to_the_same_bytes(tmp_path: Path) -> None:
    victim = tmp_path / "victim.html"
    victim.write_bytes(b"x")
    (tmp_path / "tree").mkdir()
    os.symlink(victim, tmp_path / "tree" / "page.html")
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_new(tmp_path / "tree", "page.html", b"x")
    assert (tmp_path / "tree" / "page.html").is_symlink()


def test_open_folders_are_never_resolved_again(tmp_path: Path) -> None:
    """Writes that share ``Folders`` go into the folder that was checked: one moved away and
    replaced by a link meanwhile is written in its new place, never through the link."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    with Folders(root) as folders:
        write_new(root, "a/x.html", b"1", folders)
        os.rename(root / "a", root / "moved")
        os.symlink(outside, root / "a")
        write_new(root, "a/y.html", b"2", folders)
        link(root, "a/z.html", root / "moved" / "x.html", folders)
        remove(root, "a/x.html", folders)
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in (root / "moved").iterdir()) == ["y.html", "z.html"]
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_new(root, "a/w.html", b"3")


def test_a_file_where_a_folder_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("file")
    for write in (lambda: write_new(tmp_path, "a/b.html", b"x"), lambda: target(tmp_path, "a/b"),
                  lambda: remove(tmp_path, "a/b")):
        with pytest.raises(UnsafeWrite, match="not a folder"):
            write()
    assert (tmp_path / "a").read_text() == "file"


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
