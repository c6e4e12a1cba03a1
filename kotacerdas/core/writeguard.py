"""The one rule every write follows: inside a folder we chose, through real folders, onto a file.

Output trees, the build cache, the live preview and the editors' tools (``import-regions``,
``import-reference``, ``new``) all write through the functions here. Git can commit symbolic
links, so a pull request could turn ``content/regions`` or ``.build-cache`` into a pointer to any
folder of the machine that runs the generator; a name with ``..`` could climb out of the output
folder. Both are refused here, once, for every writer (``Folders``: each folder is opened
without following a link, relative to its checked parent, and a tree's many writes share those
descriptors, so each folder is checked once per tree and no path is resolved twice). Every
byte goes out through ``os.write`` on a descriptor opened here, and a failure of the system
(disk full, read-only disk, no permission) becomes one sentence (``WriteFailed``) instead of a
traceback.
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
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


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
    """``root/rel``, after checking that writing there cannot leave ``root`` (``Folders.place``:
    a plain relative name, real folders on the way, and the file itself, if present, a regular
    file)."""
    with Folders(root) as folders:
        folders.place(rel, create=False)
    return Path(root, rel)


def _plain(rel: str) -> list[str]:
    """The parts of ``rel``, which must be relative, without empty, ``.`` or ``..`` parts."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        raise UnsafeWrite(rel, "is not a plain relative file name; refusing to write it")
    return parts


Place = tuple[int | None, str, os.stat_result | None]
"""Where a file goes: its folder's descriptor (None: the folder does not exist yet), its name
there, and its lstat when something is there already (a regular file: anything else is
refused)."""


class Folders:
    """The folders of one tree below the ``root`` the caller chose, each opened once (without
    following a link: ``O_DIRECTORY | O_NOFOLLOW`` relative to its checked parent) and then used
    through its descriptor, so that many writes into one tree check each folder once, and no
    path is resolved again between the check and the write. The one place of the folder rule:
    every folder between ``root`` and a file is a real folder, never a symbolic link."""

    LIMIT = 256
    """At most this many folders stay open (a site has thousands); then all are closed."""

    def __init__(self, root: Path):
        self.root = root
        self._open: dict[str, int] = {}

    def __del__(self) -> None:
        self.clear()

    def __enter__(self) -> Folders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()

    def clear(self) -> None:
        """Close every folder (after something was removed from the tree, or at the end)."""
        fds, self._open = list(self._open.values()), {}
        for fd in fds:
            os.close(fd)

    def folder(self, rel: str, create: bool) -> int | None:
        """The descriptor of the folder ``rel`` ("" is the root), made with its parents when
        missing and ``create``; None when missing otherwise."""
        fd = self._open.get(rel)
        if fd is not None:
            return fd
        if not rel:
            flags = os.O_RDONLY | _DIRECTORY | _CLOEXEC
            try:
                fd = os.open(self.root, flags)
            except FileNotFoundError:
                if not create:
                    return None
                os.makedirs(self.root, exist_ok=True)
                fd = os.open(self.root, flags)
        else:
            up, _, name = rel.rpartition("/")
            parent = self.folder(up, create)
            if parent is None:
                return None
            fd = self._subfolder(parent, name, rel, create)
            if fd is None:
                return None
        if len(self._open) >= self.LIMIT:
            self.clear()  # none of them is in use now: a parent is needed only to open a child
        self._open[rel] = fd
        return fd

    def _subfolder(self, parent: int, name: str, rel: str, create: bool) -> int | None:
        """Open (or make, then open) the real folder ``name`` in ``parent``; refuse anything
        else there."""
        flags = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC
        try:
            return os.open(name, flags, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                return None
        except OSError as exc:
            raise self._refusal(parent, name, rel, folder=True) or exc
        with contextlib.suppress(FileExistsError):  # made meanwhile: opened and checked below
            os.mkdir(name, dir_fd=parent)
        try:
            return os.open(name, flags, dir_fd=parent)
        except OSError as exc:
            raise self._refusal(parent, name, rel, folder=True) or exc

    def _refusal(self, parent: int, name: str, rel: str, folder: bool) -> UnsafeWrite | None:
        """Why ``name`` in ``parent`` may not be written through (a folder) or over (a file),
        or None when it may."""
        try:
            mode = os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode
        except FileNotFoundError:
            return None
        here = os.path.join(self.root, rel)
        if stat.S_ISLNK(mode):
            return UnsafeWrite(here, "is a symbolic link; refusing to write through it (replace "
                                     "it with a real " + ("folder" if folder else "file") + ")")
        if folder and not stat.S_ISDIR(mode):
            return UnsafeWrite(here, "is not a folder; refusing to write below it")
        if not folder and not stat.S_ISREG(mode):
            return UnsafeWrite(here, "is not a regular file; refusing to write over it")
        return None

    def place(self, rel: str, create: bool = True) -> Place:
        """Where the file ``rel`` goes (its folders made when ``create``), after the checks:
        a plain relative name, real folders, and at the name nothing or a regular file."""
        parts = _plain(rel)
        fd = self.folder("/".join(parts[:-1]), create)
        name = parts[-1]
        if fd is None:
            return None, name, None
        try:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return fd, name, None
        if not stat.S_ISREG(st.st_mode):
            refusal = self._refusal(fd, name, rel, folder=False)
            if refusal is not None:
                raise refusal
        return fd, name, st


def _open(root: Path, rel: str, flags: int, name: str | None = None) -> tuple[Path, int]:
    """Open ``root/rel`` (or the sibling ``name`` in its folder) with ``flags`` after the checks
    (``Folders.place``), creating its folders; never through a link."""
    with Folders(root) as folders:
        folder, leaf, _ = folders.place(rel, create=bool(flags & os.O_CREAT))
        if folder is None:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(Path(root, rel)))
        fd = os.open(name or leaf, flags | _NOFOLLOW | _CLOEXEC, 0o666, dir_fd=folder)
    return Path(root, rel), fd


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
    """Write ``data`` (bytes, or chunks of bytes) to ``root/rel`` through ``Folders``, atomically
    (a temporary file in the same folder, then a rename), creating folders as needed. With
    ``exclusive`` an existing file is never replaced: the write is refused instead
    (``FileExistsError``)."""
    with Folders(root) as folders:
        folder, name, _ = folders.place(rel)
        assert folder is not None  # made by place
        _replace_whole(folder, name, _chunks(data), exclusive)
    return Path(root, rel)


def write_new(root: Path, rel: str, data: bytes, folders: Folders | None = None,
              whole: bool = False) -> Path:
    """Write one file of a tree this build is making (published only whole, see writer.py): in
    place, without a temporary file, but never into an existing file: a name already there
    (an earlier build's file, maybe shared by a hard link with the published output) is kept
    when it holds these very bytes, else removed first and a new file made, so the published
    file is never changed. ``folders`` (of ``root``) spares opening its folders again.

    With ``whole`` (a tree that is published already) the new file is written under a
    temporary name and renamed over the old one, so that the name always holds one whole file."""
    with _within(root, folders) as tree:
        folder, name, st = tree.place(rel)
        assert folder is not None  # made by place
        if st is not None and st.st_size == len(data) and _holds(folder, name, data):
            return Path(root, rel)
        if whole:
            _replace_whole(folder, name, (data,))
            return Path(root, rel)
        if st is not None:
            os.unlink(name, dir_fd=folder)
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666,
                     dir_fd=folder)
        try:
            _write_all(fd, (data,))
        finally:
            os.close(fd)
    return Path(root, rel)


def _replace_whole(folder: int, name: str, chunks: Iterable[bytes | bytearray | memoryview],
                   exclusive: bool = False) -> None:
    """Put a new file holding ``chunks`` at ``name`` in ``folder``: written under a temporary
    name beside it, then renamed over it (never a moment without the name, nor a half-written
    file at it); with ``exclusive``, linked to the name instead, which fails
    (``FileExistsError``) if a file is there, so none is ever overwritten."""
    made = f".{name}.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):  # left by a killed process of this number
        os.unlink(made, dir_fd=folder)
    fd = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666,
                 dir_fd=folder)
    try:
        try:
            _write_all(fd, chunks)
        finally:
            os.close(fd)
        if exclusive:
            os.link(made, name, src_dir_fd=folder, dst_dir_fd=folder)
        else:
            os.replace(made, name, src_dir_fd=folder, dst_dir_fd=folder)
    finally:
        with contextlib.suppress(FileNotFoundError):  # gone already once renamed
            os.unlink(made, dir_fd=folder)


def _within(root: Path, folders: Folders | None) -> contextlib.AbstractContextManager[Folders]:
    """The caller's open folders of ``root``, or new ones for this one write."""
    return contextlib.nullcontext(folders) if folders is not None else Folders(root)


def _holds(folder: int, name: str, data: bytes) -> bool:
    """Whether the regular file ``name`` in ``folder`` holds exactly ``data``."""
    try:
        fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _CLOEXEC, dir_fd=folder)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "rb", closefd=False) as f:
            return stat.S_ISREG(os.fstat(fd).st_mode) and f.read(len(data) + 1) == data
    finally:
        os.close(fd)


def append_bytes(root: Path, rel: str, data: bytes) -> Path:
    """Append ``data`` to the log ``root/rel`` (created when missing)."""
    path, fd = _open(root, rel, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        _write_all(fd, (data,))
    finally:
        os.close(fd)
    return path


def link(root: Path, rel: str, source: Path, folders: Folders | None = None,
         source_folders: Folders | None = None, source_rel: str | None = None) -> Path:
    """Give the regular file ``source`` a second name ``root/rel`` in a tree this build is making
    (a hard link: no bytes copied), replacing what had that name; copied instead where the disk
    has no hard links. With ``source_folders`` (open folders of another tree) ``source`` is that
    tree's file ``source_rel``, checked like a written one; ``folders`` spares opening
    ``root``'s folders again."""
    with _within(root, folders) as tree:
        folder, name, st = tree.place(rel)
        assert folder is not None  # made by place
        src_folder, src_name = None, os.fspath(source)
        if source_folders is not None and source_rel is not None:
            src_folder, src_name, src_st = source_folders.place(source_rel, create=False)
            if src_st is None:
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(source))
        if st is not None:
            os.unlink(name, dir_fd=folder)
        try:
            os.link(src_name, name, src_dir_fd=src_folder, dst_dir_fd=folder,
                    follow_symlinks=False)
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                raise
            write_new(root, rel, read_regular(source), tree)
    return Path(root, rel)


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


def remove(root: Path, rel: str, folders: Folders | None = None) -> Path:
    """Remove the file ``root/rel`` if present, never following a link on the way."""
    with _within(root, folders) as tree:
        folder, name, st = tree.place(rel, create=False)
        if folder is not None and st is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=folder)
    return Path(root, rel)
