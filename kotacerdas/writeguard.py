"""The one rule every write follows: inside a folder we chose, through real folders, onto a file.

Output trees, the build cache and the editors' tools (``import-regions``, ``import-reference``,
``new``) all write through ``target``/``write_bytes`` here. Git can commit symbolic links, so a
pull request could turn ``content/regions`` into a pointer to any folder of the machine that runs
an importer; a name with ``..`` could climb out of the output folder. Both are refused here, once,
for every writer.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import ContentError, Problem


class UnsafeWrite(ContentError):
    """A write refused by the guard; reported like a content problem (exit status 1)."""

    def __init__(self, path: Path | str, message: str):
        super().__init__([Problem(Path(path).as_posix(), 0, message)])


def target(root: Path, rel: str) -> Path:
    """``root/rel``, after checking that writing there cannot leave ``root``.

    ``rel`` must be relative, without empty, ``.`` or ``..`` parts. Every folder between ``root``
    and the file that already exists must be a real folder (not a symbolic link), and the file
    itself, if present, a regular file: never a link, a folder, a FIFO or a device.
    """
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        raise UnsafeWrite(rel, "is not a plain relative file name; refusing to write it")
    here = root
    for i, part in enumerate(parts):
        here = here / part
        try:
            mode = os.lstat(here).st_mode
        except FileNotFoundError:
            return root.joinpath(*parts)  # nothing below a missing folder can be a link yet
        last = i == len(parts) - 1
        if stat.S_ISLNK(mode):
            raise UnsafeWrite(here, "is a symbolic link; refusing to write through it (replace "
                                    "it with a real " + ("file" if last else "folder") + ")")
        if not last and not stat.S_ISDIR(mode):
            raise UnsafeWrite(here, "is not a folder; refusing to write below it")
        if last and not stat.S_ISREG(mode):
            raise UnsafeWrite(here, "is not a regular file; refusing to write over it")
    return here


def write_bytes(root: Path, rel: str, data: bytes, exclusive: bool = False) -> Path:
    """Write ``data`` to ``root/rel`` through ``target``, atomically (a temporary file in the same
    folder, then a rename), creating folders as needed. With ``exclusive`` an existing file is
    never replaced: the write is refused instead (``FileExistsError``)."""
    path = target(root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    target(root, rel)  # again: the folders now exist, and none of them may be a link
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        with open(tmp, "xb") as f:
            f.write(data)
        if exclusive:
            os.link(tmp, path)  # fails if the file appeared meanwhile: never overwritten
        else:
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
