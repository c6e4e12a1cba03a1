"""The persistent build cache: what a CLI build keeps between runs, outside output/ and git.

It lives in ``SITE/.build-cache/`` (or ``--cache DIR``) as JSON files, never pickle, so a cache
restored from CI storage can hold data but never code. It records:

- ``inputs``: size and mtime of every input file, so a build whose inputs did not change can stop
  at once and write nothing;
- ``markdown``: converted HTML by (base path, source digest);
- ``pages``: each output page's fingerprint, so only pages whose inputs changed are rendered;
- ``output``: size and mtime of every file the build wrote, to trust output/ only while it is
  exactly what we left there.
Anything unexpected (another version, a corrupt file) means an empty cache: a full build.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

VERSION = 1
FILE = "build-cache.json"
MARKDOWN_FILE = "markdown.json"
Stamp = tuple[int, int]  # (size, mtime in ns)

@dataclass
class CacheState:
    """Everything one build leaves for the next."""

    key: str = ""
    code: str = ""
    inputs: dict[str, Stamp] = field(default_factory=dict)
    markdown: dict[tuple[str, str], str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    output: dict[str, Stamp] = field(default_factory=dict)
    participants: int = 0
    announcements: int = 0


def stamp(path: Path) -> Stamp:
    """Size and modification time of a file (what tells us it may have changed)."""
    st = path.stat()
    return (st.st_size, st.st_mtime_ns)


def snapshot(roots: list[Path], base: Path) -> dict[str, Stamp]:
    """Stamps of every file under the given files/folders, by path relative to ``base``."""
    out: dict[str, Stamp] = {}
    for root in roots:
        if root.is_file():
            out[_rel(root, base)] = stamp(root)
        elif root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames.sort()
                for name in filenames:
                    path = Path(dirpath) / name
                    out[_rel(path, base)] = stamp(path)
    return out


def output_snapshot(output: Path) -> dict[str, Stamp]:
    """Stamps of every file in output/ (empty when it does not exist)."""
    return snapshot([output], output) if output.is_dir() else {}


def _rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def read(folder: Path) -> CacheState:
    """The cache in ``folder`` without its Markdown (see ``read_markdown``), or an empty one when
    absent, unreadable or of another version."""
    try:
        raw = json.loads((folder / FILE).read_text(encoding="utf-8"))
        if raw.get("version") != VERSION:
            return CacheState()
        return CacheState(
            key=raw["key"], code=raw["code"],
            inputs={k: tuple(v) for k, v in raw["inputs"].items()},  # type: ignore[misc]
            pages=dict(raw["pages"]),
            output={k: tuple(v) for k, v in raw["output"].items()},  # type: ignore[misc]
            participants=raw["participants"], announcements=raw["announcements"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return CacheState()


def read_markdown(folder: Path) -> dict[tuple[str, str], str]:
    """Converted Markdown by (base path, digest): kept apart, since a no-change build never needs it."""
    try:
        raw = json.loads((folder / MARKDOWN_FILE).read_text(encoding="utf-8"))
        return {tuple(k.split("\0", 1)): v for k, v in raw.items()}  # type: ignore[misc]
    except (OSError, ValueError, AttributeError):
        return {}


def write(folder: Path, state: CacheState) -> None:
    """Save the cache atomically (temporary files, then renames; the main file last)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_json(folder / MARKDOWN_FILE,
                {f"{k[0]}\0{k[1]}": v for k, v in sorted(state.markdown.items())})
    _write_json(folder / FILE, {
        "version": VERSION, "key": state.key, "code": state.code, "inputs": state.inputs,
        "pages": state.pages, "output": state.output, "participants": state.participants,
        "announcements": state.announcements})


def _write_json(path: Path, data: object) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, path)
