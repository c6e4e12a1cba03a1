"""Write a built site: the previous output stays whole until the new one takes its place at once.

Every build, full or cached, makes a complete new tree beside ``output/`` and exchanges it for
``output/`` in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so that at every moment
``output/`` is either the last good build or the new one, never missing and never a mix. Where
the exchange is not available (another system, a disk that lacks it) two renames do the same,
with a moment without ``output/`` between them.

The preview's first pass after a save (build/session.py, ``first``), which makes only the few
files its tabs show, writes those into ``output/`` itself instead (``publish``): each is a new file
renamed over its name, so a request still reads one whole file, and the rest of the site follows
in a whole build a moment later.

The tree replaced by a build is kept beside ``output/`` as the spare (``.output.spare``) and is
the next build's tree: its folders are reused, because making and removing the thousands of
folders of a site costs more than rendering a few pages. A cached rebuild first makes the spare
a copy of ``output/`` by hard links (cheap: it only relinks the files the last build changed),
then writes the pages it renders over those names (a name is always replaced by a new file, so
``output/``'s shared file is never changed), and ``settle`` removes what the site no longer has.

Builds of one output hold a lock (on the folder that holds it), so two at once run one after the
other, and remove the trees that killed builds of earlier versions left behind
(``.output.new-*``, ``.output.old-*``). A build only ever replaces a folder it made itself: each
tree carries a small marker file (``MARKER``), and an existing folder without it (and without the
files every earlier version wrote) is refused before anything is written. Every file goes
through ``writeguard``. The live preview's folder is written the same way (build/session.py is
the one engine both use), so a request never reads half a file or a mix of two builds.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import stat
import tempfile
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, Iterator

from kotacerdas.build.cache import Stamp, output_stamp, output_stamps, tree_inodes
from kotacerdas.core import urls
from kotacerdas.core.errors import UsageError
from kotacerdas.core.records import field, record
from kotacerdas.core.writeguard import (Folders, UnsafeWrite, link, read_regular, remove, split,
                                       target, write_new)

MARKER = ".kotacerdas-output"
"""A file in every build's output: the folder is the generator's, replaced whole by each build."""
MARKER_BYTES = b"Written by the Kota Cerdas generator; each build replaces this folder whole.\n"
LEGACY = ((".nojekyll", stat.S_ISREG), ("404.html", stat.S_ISREG), ("sitemap.xml", stat.S_ISREG),
          ("assets", stat.S_ISDIR))
"""What every build before the marker wrote: such a folder is recognised as an earlier output."""
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


# --- which folder may be replaced ---------------------------------------------------------------

def check_output_dir(output: Path, site: Path) -> None:
    """Refuse output folders whose replacement would delete something precious: the disk's root,
    the home folder, the site or its sources, a link, or a folder this generator did not make."""
    out = output.resolve()
    site = site.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise UsageError(f"refusing to use {output} as the output folder")
    if out == site or site.is_relative_to(out):
        raise UsageError(f"the output folder {output} contains the site itself; choose another")
    if (site / "content").exists() and out.is_relative_to((site / "content").resolve()):
        raise UsageError("the output folder may not be inside content/")
    if (site / "templates").exists() and out.is_relative_to((site / "templates").resolve()):
        raise UsageError("the output folder may not be inside templates/")
    try:
        mode = os.lstat(output).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise UsageError(f"the output folder {output} is a symbolic link; a build replaces its "
                         "output folder whole and never through a link: give the real folder's "
                         "path, or a new folder, with --output")
    if not stat.S_ISDIR(mode):
        raise UsageError(f"{output} is a file, not a folder; choose another --output folder")
    if not is_generated(output):
        raise UsageError(f"{output} already holds files this generator did not write, and a "
                         f"build replaces its output folder whole; choose an empty or new folder "
                         f"with --output, or delete {output} yourself if you no longer need what "
                         "is in it (nothing was changed)")


def is_generated(folder: Path) -> bool:
    """Whether ``folder`` is empty or a build's output: it has the marker, or every file that
    each build before the marker wrote (``LEGACY``)."""
    with os.scandir(folder) as entries:
        found = {e.name: e.stat(follow_symlinks=False).st_mode for e in entries}
    if not found:
        return True
    if MARKER in found:
        return stat.S_ISREG(found[MARKER])
    return all(name in found and kind(found[name]) for name, kind in LEGACY)


# --- one build at a time, and what killed builds left -------------------------------------------

@contextlib.contextmanager
def locked(output: Path) -> Iterator[None]:
    """Hold the lock of the folder around ``output`` (other builds there wait), after removing
    the trees killed builds left beside it. The lock is on the folder itself (``flock``), so a
    build leaves no lock file behind."""
    parent, _ = split(output)
    parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    try:
        _lock(fd)
        for leftover in leftovers(output):
            shutil.rmtree(leftover, ignore_errors=True)
        yield
    finally:
        os.close(fd)  # releases the lock


def _lock(fd: int) -> None:
    """Wait for the exclusive lock on ``fd``; where the system or the disk has no such locks
    (another system, some network disks), go on without: builds of one site must then not
    overlap."""
    try:
        import fcntl
    except ImportError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as exc:
        if exc.errno not in (errno.ENOLCK, errno.EBADF, errno.EINVAL, errno.ENOTSUP,
                             errno.EOPNOTSUPP):
            raise


def leftovers(output: Path) -> list[Path]:
    """Trees beside ``output`` that a killed build left (real folders only, never a link)."""
    parent, name = split(output)
    prefixes = (f".{name}.new-", f".{name}.old-")
    try:
        with os.scandir(parent) as entries:
            return sorted(Path(e.path) for e in entries
                          if e.name.startswith(prefixes) and e.is_dir(follow_symlinks=False))
    except FileNotFoundError:
        return []


def tidy(output: Path) -> None:
    """Remove what killed builds left beside ``output``, for a build that writes nothing."""
    if leftovers(output):
        with locked(output):
            pass


# --- a new tree, exchanged whole ----------------------------------------------------------------

def spare_inodes(output: Path) -> dict[str, int | None]:
    """What ``new_tree`` checks the spare by before mirroring output/ into it (``_mirror``):
    ``cache.tree_inodes`` of the spare, empty when there is none. One scandir per folder (at
    n10000, 11,600 of them: 150 ms, more when the spare is no longer in the page cache), so a
    cached rebuild takes it on the other core while it reads its stores (``parallel.meanwhile``;
    nothing else touches the spare while ``locked(output)`` is held)."""
    spare = _spare(output)
    return tree_inodes(spare) if _real_folder(spare) else {}


def _spare(output: Path) -> Path:
    """Where the tree the last build replaced is kept, beside ``output``."""
    parent, name = split(output)
    return parent / f".{name}.spare"


@contextlib.contextmanager
def new_tree(output: Path, known: dict[str, Stamp] | None = None,
             inodes: Callable[[], dict[str, int | None]] | None = None) -> Iterator[Path]:
    """The tree a build writes its site into, beside ``output``: the spare (the tree the last
    build replaced, whose folders are reused: no folder of the site is made or removed again),
    else a new folder. With ``known`` (output/'s trusted stamps, ``cache.output_stamps``) it
    first becomes a copy of output/ made of hard links, for a cached rebuild to write only what
    it renders. The body writes (``write_file``, ``copy_assets``) and ends with ``settle``; then
    the tree takes output/'s place in one step, and the replaced tree is the next spare. On
    failure output/ is untouched (and a spare made for this build is removed). ``inodes`` hands
    over ``spare_inodes(output)``, taken since the lock was; else the spare is walked now.
    Hold ``locked(output)`` around it."""
    parent, name = split(output)
    output, spare = parent / name, _spare(output)
    made = not _real_folder(spare)
    if made:
        _make_room(parent, spare.name)
        os.mkdir(spare)
    try:
        if known:
            have = {} if made else (inodes or partial(spare_inodes, output))()
            _mirror(spare, output, known, have)
        write_file(spare, MARKER, MARKER_BYTES)
        os.chmod(spare, 0o755)  # before the body: the cache records the tree as it is published
        yield spare
        old = exchange(spare, output)
    except BaseException:
        if made:
            shutil.rmtree(spare, ignore_errors=True)
        raise
    if old is not None and old != spare:  # after two renames: keep the old tree as the spare
        with contextlib.suppress(OSError):
            os.rename(old, spare)
        shutil.rmtree(old.parent, ignore_errors=True)


def exchange(new: Path, output: Path) -> Path | None:
    """Put the tree ``new`` in place of ``output``; return where the old tree is now."""
    if not os.path.lexists(output):
        os.rename(new, output)
        return None
    if _swap_names(new, output):
        return new
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent)) / "tree"
    os.rename(output, old)  # without the exchange: output/ is missing until the next line
    try:
        os.rename(new, output)
    except OSError:
        os.rename(old, output)
        raise
    return old


def _swap_names(a: Path, b: Path) -> bool:
    """Exchange two names atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or the disk cannot."""
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    """The C library's ``renameat2`` (glibc 2.28+, musl), or None."""
    try:
        call = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    return call


# --- filling a tree -----------------------------------------------------------------------------

def write_file(root: Path, rel: str, data: bytes, folders: Folders | None = None) -> None:
    """Write one file of the tree ``root`` (never outside it), replacing whatever the spare
    held at that name; ``folders`` (of ``root``) spares opening its folders again."""
    _in_tree(root, rel, lambda: write_new(root, rel, data, folders), folders)


@record
class TreeSink:
    """Where every build puts its rendered files (render.renderer.Sink): written straight into
    the new tree by the process that rendered them (a forked worker holds its own copy of this
    path and needs nothing else), so no page's bytes travel back to the parent."""

    root: Path
    folders: Folders = field(init=False, compare=False, repr=False)
    """The tree's folders, each opened (and checked) once for all the files written in it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "folders", Folders(self.root))

    def __call__(self, rel: str, data: bytes) -> None:
        write_file(self.root, rel, data, self.folders)


def copy_assets(assets: dict[str, Path], root: Path) -> None:
    """Copy theme files into root/assets/ (a symbolic link is refused, never followed)."""
    with Folders(root) as folders:
        for rel, src in sorted(assets.items()):
            write_file(root, urls.asset(rel), read_regular(src), folders)


def settle(tree: Path, output: Path, keep: set[str], known: dict[str, Stamp],
           written: set[str] | None = None) -> dict[str, Stamp]:
    """Finish a tree whose files ``keep`` were written or mirrored: remove what else the spare
    held, and give each written file whose bytes equal output/'s (``known``: its trusted
    stamps, or empty) the output file's identity again, so that only files whose bytes changed
    are new. Returns the tree's stamps (as ``cache.output_stamps``).

    ``written`` (every file this build wrote into a tree mirrored from ``known``, the marker
    included) spares the walk of the whole tree: after the mirror the tree's other files are
    output/'s own (``_mirror``), with output/'s stamps; and each written name held output/'s
    file, which ``write_new`` kept when its bytes were equal, so no bytes need comparing."""
    with Folders(tree) as into, Folders(output) as source:
        if known and written is not None:
            stamps = dict(known)
            for rel in written:
                try:
                    stamps[rel] = output_stamp(os.lstat(tree / rel))
                except FileNotFoundError:
                    stamps.pop(rel, None)
        else:
            stamps = output_stamps(tree)
        _remove(tree, set(stamps) - keep - {MARKER}, stamps, into)
        for rel in sorted(keep - set(stamps)):  # only after a disturbed mirror: link it now
            if rel not in known:
                raise RuntimeError(f"{rel} was neither written nor in the previous output")
            _in_tree(tree, rel, lambda: link(tree, rel, output / rel, into, source, rel), into)
            stamps[rel] = known[rel]
        if written is None:
            for rel, st in stamps.items():
                old = known.get(rel)
                if old is not None and st != old and st[0] == old[0] and \
                        _same_bytes(tree / rel, target(output, rel)):
                    link(tree, rel, output / rel, into, source, rel)
                    stamps[rel] = old
    return stamps


def publish(output: Path, files: dict[str, bytes], known: dict[str, Stamp]) -> dict[str, Stamp]:
    """Write a few files into the published output itself, each replaced whole by a rename
    (``write_new(whole=True)``; a file already holding its bytes is kept), for the preview's first
    pass: no tree is mirrored or exchanged for them. ``known`` is output/'s trusted stamps;
    returns them as they are after. The spare keeps its old file at those names (a replaced
    name is a new file), which the next ``_mirror`` sees by its inode."""
    stamps = dict(known)
    with Folders(output) as folders:
        for rel, data in sorted(files.items()):
            _in_tree(output, rel, lambda: write_new(output, rel, data, folders, whole=True),
                     folders)
            stamps[rel] = output_stamp(os.lstat(target(output, rel)))
    return stamps


def _remove(tree: Path, files: set[str], stamps: dict[str, Any], folders: Folders) -> None:
    """Remove files of a tree (and the folders they leave empty), and their stamps; what is in
    the way of one (a link where a folder was) is removed, never followed."""
    emptied = False
    for rel in sorted(files):
        _in_tree(tree, rel, lambda: remove(tree, rel, folders), folders)
        parent = target(tree, rel).parent
        while parent != tree and _empty(parent):
            parent.rmdir()
            parent = parent.parent
            emptied = True
        del stamps[rel]
    if emptied:
        folders.clear()  # an open folder may be one just removed


def _mirror(tree: Path, output: Path, known: dict[str, Stamp],
            have: dict[str, int | None]) -> None:
    """Make ``tree`` hold exactly output/'s files (``known``) by hard links, touching only the
    names that are not already output/'s own file (those the last build changed, or a disturbed
    spare), and removing the files output/ does not have. The spare is checked whole, by one
    scandir per folder: a name is output/'s own file when it is a regular file with that
    file's inode (a live file's inode is no other file's); anything else is replaced.
    ``have`` is that walk's result (``cache.tree_inodes`` of ``tree``)."""
    with Folders(tree) as into, Folders(output) as source:
        _remove(tree, set(have) - set(known) - {MARKER}, have, into)  # as walked: no folder
        for rel, st in known.items():
            if have.get(rel) != st[2]:
                _in_tree(tree, rel, lambda: link(tree, rel, output / rel, into, source, rel),
                         into)


def _in_tree(tree: Path, rel: str, write: Callable[[], object],
             folders: Folders | None = None) -> None:
    """Do one write into a tree of ours; when the spare has something else in the way (a folder
    where a file goes, a file where a folder goes, a link), remove that and write again (with
    ``folders`` of the tree closed first: one of them may be what was removed)."""
    try:
        write()
    except (UnsafeWrite, NotADirectoryError, IsADirectoryError):
        if not _make_room(tree, rel):
            raise
        if folders is not None:
            folders.clear()
        write()


def _make_room(tree: Path, rel: str) -> bool:
    """Remove the first thing under ``tree`` on the way to ``rel`` that is not a real folder
    (or, at ``rel`` itself, not a regular file); True if something was removed."""
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return False
    here = os.fspath(tree)
    for i, part in enumerate(parts):
        here = os.path.join(here, part)
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            return False
        last = i == len(parts) - 1
        if stat.S_ISDIR(mode) and not last or stat.S_ISREG(mode) and last:
            continue
        if stat.S_ISDIR(mode):
            shutil.rmtree(here)
        else:
            os.unlink(here)
        return True
    return False


def _real_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return read_regular(a) == read_regular(b)
    except (OSError, UnsafeWrite):
        return False


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None
