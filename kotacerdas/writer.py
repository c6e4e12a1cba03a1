"""Write a built site: never touching the previous output until the whole build has succeeded.

A full build writes into a temporary sibling folder, then swaps it into place in two renames.
A cached rebuild (pipeline.build, when output/ is exactly what the last build left) writes only
the files it produced into a temporary sibling folder; once everything has succeeded, ``commit``
moves the ones whose bytes differ into output/ (one rename each, so no file is ever half
written) and removes the files the site no longer has. A failed build never touches output/; a
build interrupted while committing leaves a cache that no longer matches output/, so the next
build is a full one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import UsageError


def check_output_dir(output: Path, site: Path) -> None:
    """Refuse output folders whose replacement would delete something precious."""
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


@contextlib.contextmanager
def staging(output: Path) -> Iterator[Path]:
    """A fresh folder beside ``output`` to build into; swapped in for ``output`` only on success."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        _swap(tmp, output)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


@contextlib.contextmanager
def patching(output: Path) -> Iterator[Path]:
    """A fresh folder beside ``output`` for the files a cached rebuild produces (see ``commit``);
    removed afterwards, whatever happens."""
    output = output.resolve()
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def commit(tmp: Path, output: Path, keep: set[str], known: dict[str, tuple[int, ...]]
           ) -> tuple[list[str], list[str]]:
    """Bring ``output`` (holding exactly the files ``known``, path → (size, …)) to the files
    ``keep``: each file under ``tmp`` replaces its namesake unless the bytes are equal, every
    known file not in ``keep`` is removed, then folders left empty. Returns (written, removed)."""
    output = output.resolve()
    removed = sorted(set(known) - keep)
    for rel in removed:
        target = _inside(output, rel)
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != output and _empty(parent):
            parent.rmdir()
            parent = parent.parent
    written = []
    base = str(tmp)
    for dirpath, _, filenames in os.walk(base):
        prefix = "" if dirpath == base else os.path.relpath(dirpath, base).replace(os.sep, "/") + "/"
        for name in filenames:
            rel = prefix + name
            source = os.path.join(dirpath, name)
            old = known.get(rel)
            if old is not None and old[0] == os.stat(source).st_size and \
                    _same_bytes(source, os.path.join(output, rel)):
                continue
            target = _inside(output, rel)
            try:
                os.replace(source, target)
            except FileNotFoundError:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
            written.append(rel)
    return written, removed


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _same_bytes(a: str, b: str) -> bool:
    try:
        with open(a, "rb") as f, open(b, "rb") as g:
            return f.read() == g.read()
    except OSError:
        return False


def write_file(root: Path, rel: str, data: bytes) -> None:
    """Write one output file under ``root`` (never outside it), creating folders as needed."""
    target = _inside(root, rel)
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def write_site(files: dict[str, bytes], assets: dict[str, Path], output: Path) -> int:
    """Write pages and theme files into a fresh tree and swap it in for ``output``."""
    with staging(output) as tmp:
        for rel, data in sorted(files.items()):
            write_file(tmp, rel, data)
        copy_assets(assets, tmp)
    return len(files) + len(assets)


def copy_assets(assets: dict[str, Path], root: Path) -> None:
    """Copy theme files into root/assets/ (symlinks are never followed)."""
    for rel, src in sorted(assets.items()):
        target = _inside(root, "assets/" + rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target, follow_symlinks=False)


def _inside(root: Path, rel: str) -> Path:
    """Join a relative output path, refusing anything that would land outside ``root``."""
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()) or rel.startswith("/") or ".." in rel.split("/"):
        raise ValueError(f"refusing to write outside the output folder: {rel}")
    return target


def _swap(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging`` with renames; the old tree is removed afterwards."""
    if output.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        os.rename(output, old / "tree")
        os.rename(staging, output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, output)


def sync_tree(files: dict[str, bytes], output: Path, known: dict[str, bytes] | None) -> tuple[list[str], list[str]]:
    """Make ``output`` hold exactly ``files``, touching only what differs from ``known``.

    ``known`` is what an earlier call left there (None: unknown, so the folder is emptied first).
    Used by the live preview, whose folder is its own; returns (written, removed) paths.
    """
    output.mkdir(parents=True, exist_ok=True)
    if known is None:
        for child in output.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        known = {}
    written = []
    for rel, data in sorted(files.items()):
        if known.get(rel) != data:
            target = _inside(output, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(rel)
    removed = sorted(set(known) - set(files))
    for rel in removed:
        target = _inside(output, rel)
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    return written, removed
