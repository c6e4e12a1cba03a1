"""The one rule every write follows: inside a folder we chose, through real folders, onto a file.

Output trees, the build cache, the live preview and the editors' tools (``import-regions``,
``import-reference``, ``new``) all write through the functions here. Git can commit symbolic
links, so a pull request could turn ``content/regions`` or ``.build-cache`` into a pointer to any
folder of the machine that runs the generator; a name with ``..`` could climb out of the output
folder. Both are refused here, once, for every writer. Every byte goes out through ``os.write``
on a descriptor opened here, and a failure of the system (disk full, read-only disk, no
permission) becomes one sentence (``WriteFailed``) instead of a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

from kotacerdas.core.errors import ContentError, Problem

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class UnsafeWrite(ContentError):
    """A write refused by the guard; reported like a content problem (exit status 1)."""

    def __init__(self, path: Path | str, message: str):
        super().__init__([Problem(Path(path).as_posix(), 0, message)])


_REASONS = {
    errno.ENOSPC: ("the disk is full", "free some space, then try again"),
    errno.EDQUOT: ("your disk quota is used up", "free some space, then try again"),
    errno.EROFS: ("it is on a read-only disk", "choose a folder on a writable disk"),
    errno.EACCES: ("you are not allowed to write there",
                   "choose another folder, or ask for write permission on it"),
    errno.EPERM: ("you are not allowed to write there",
                  "choose another folder, or ask for write permission on it"),
    errno.EFBIG: ("a file is too large for that disk", "choose a folder on another disk"),
    errno.EIO: ("the disk reported a read/write error", "check the disk, then try again"),
}


class WriteFailed(Exception):
    """The system refused a write (disk full, read-only, no permission): one sentence, exit 1."""

    def __init__(self, place: str, error: OSError, outcome: str):
        super().__init__(place, error, outcome)
        self.place, self.error, self.outcome = place, error, outcome

    def __str__(self) -> str:
        reason, advice = _REASONS.get(self.error.errno or 0,
                                      (self.error.strerror or str(self.error), "then try again"))
        return f"could not write {self.place}: {reason}; {advice} ({self.outcome})"


@contextlib.contextmanager
def reporting(place: str, outcome: str) -> Iterator[None]:
    """Turn a system error raised while writing ``place`` into a ``WriteFailed`` that names it
    and says what state things were left in (``outcome``)."""
    try:
        yield
    except (WriteFailed, UnsafeWrite):
        raise
    except OSError as exc:
        raise WriteFailed(place, exc, outcome) from exc


def split(folder: Path) -> tuple[Path, str]:
    """A folder as (its parent, its name), so that the folder itself is checked like any other
    component: the caller chose the parent, but the folder may not be a symbolic link."""
    absolute = Path(os.path.abspath(folder))
    if absolute == absolute.parent:
        raise UnsafeWrite(folder, "is the root of the disk; choose a folder inside it")
    return absolute.parent, absolute.name


def target(root: Path, rel: str) -> Path:
    """``root/rel``, after checking that writing there cannot leave ``root``.

    ``rel`` must be relative, without empty, ``.`` or ``..`` parts. Every folder between ``root``
    and the file that already exists must be a real folder (not a symbolic link), and the file
    itself, if present, a regular file: never a link, a folder, a FIFO or a device.
    """
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        raise UnsafeWrite(rel, "is not a plain relative file name; refusing to write it")
    here = os.fspath(root)
    last = len(parts) - 1
    for i, part in enumerate(parts):
        here = os.path.join(here, part)
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            break  # nothing below a missing folder can be a link yet
        if stat.S_ISLNK(mode):
            raise UnsafeWrite(here, "is a symbolic link; refusing to write through it (replace "
                                    "it with a real " + ("file" if i == last else "folder") + ")")
        if i < last and not stat.S_ISDIR(mode):
            raise UnsafeWrite(here, "is not a folder; refusing to write below it")
        if i == last and not stat.S_ISREG(mode):
            raise UnsafeWrite(here, "is not a regular file; refusing to write over it")
    return Path(root, rel)


def _open(root: Path, rel: str, flags: int, name: str | None = None) -> tuple[Path, int]:
    """Open ``root/rel`` (or the sibling ``name`` in its folder) with ``flags`` after the checks,
    creating its folders (and checking again once they exist); never through a link."""
    path = target(root, rel)
    where = path if name is None else path.parent / name
    flags |= _NOFOLLOW | _CLOEXEC
    try:
        return path, os.open(where, flags, 0o666)
    except FileNotFoundError:
        if not flags & os.O_CREAT:
            raise
        path.parent.mkdir(parents=True, exist_ok=True)
        target(root, rel)  # again: the folders now exist, and none of them may be a link
        return path, os.open(where, flags, 0o666)


def _write_all(fd: int, chunks: Iterable[bytes | bytearray | memoryview]) -> None:
    """Every byte of ``chunks`` to ``fd`` (``os.write`` may write less than asked)."""
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view):]


def _chunks(data: bytes | Iterable[bytes]) -> Iterable[bytes | bytearray | memoryview]:
    """``data`` as chunks: one whole buffer is one chunk (iterating it would give integers)."""
    return (data,) if isinstance(data, (bytes, bytearray, memoryview)) else data


def write_bytes(root: Path, rel: str, data: bytes | Iterable[bytes], exclusive: bool = False
                ) -> Path:
    """Write ``data`` (bytes, or chunks of bytes) to ``root/rel`` through ``target``, atomically
    (a temporary file in the same folder, then a rename), creating folders as needed. With
    ``exclusive`` an existing file is never replaced: the write is refused instead
    (``FileExistsError``)."""
    tmp_name = f".{rel.rsplit('/', 1)[-1]}.tmp-{os.getpid()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        path, fd = _open(root, rel, flags, tmp_name)
    except FileExistsError:  # left by a killed process that had this process's number
        os.unlink(Path(root, rel).parent / tmp_name)
        path, fd = _open(root, rel, flags, tmp_name)
    tmp = path.parent / tmp_name
    try:
        try:
            _write_all(fd, _chunks(data))
        finally:
            os.close(fd)
        if exclusive:
            os.link(tmp, path)  # fails if the file appeared meanwhile: never overwritten
        else:
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def write_new(root: Path, rel: str, data: bytes) -> Path:
    """Write one file of a tree this build is making (published only whole, see writer.py): in
    place, without a temporary file, but never into an existing file: a name already there
    (an earlier build's file, maybe shared by a hard link with the published output) is removed
    first and a new file made, so the published file is never changed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        path, fd = _open(root, rel, flags)
    except FileExistsError:
        os.unlink(Path(root, rel))
        path, fd = _open(root, rel, flags)
    try:
        _write_all(fd, (data,))
    finally:
        os.close(fd)
    return path


def append_bytes(root: Path, rel: str, data: bytes) -> Path:
    """Append ``data`` to the log ``root/rel`` (created when missing)."""
    path, fd = _open(root, rel, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        _write_all(fd, (data,))
    finally:
        os.close(fd)
    return path


def link(root: Path, rel: str, source: Path) -> Path:
    """Give the regular file ``source`` a second name ``root/rel`` in a tree this build is making
    (a hard link: no bytes copied), replacing what had that name; copied instead where the disk
    has no hard links."""
    path = target(root, rel)
    try:
        try:
            os.link(source, path, follow_symlinks=False)
        except FileExistsError:
            os.unlink(path)
            os.link(source, path, follow_symlinks=False)
        except FileNotFoundError:
            if not os.path.lexists(source):
                raise
            path.parent.mkdir(parents=True, exist_ok=True)
            target(root, rel)
            os.link(source, path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        write_new(root, rel, read_regular(source))
    return path


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file, never through a symbolic link at its name."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeWrite(path, "is not a regular file; refusing to copy it")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


def remove(root: Path, rel: str) -> Path:
    """Remove the file ``root/rel`` if present, never following a link on the way."""
    path = target(root, rel)
    path.unlink(missing_ok=True)
    return path
