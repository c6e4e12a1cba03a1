"""The persistent build cache: what a CLI build keeps between runs, outside output/ and git.

It lives in ``SITE/.build-cache/`` (or ``--cache DIR``) as one JSON file, never pickle, so a cache
restored from CI storage can hold data but never code. It records:

- ``inputs``: size and mtime of every input file, so a build whose inputs did not change can stop
  at once and write nothing;
- ``parsed``: each content file's validated fields, keyed by path, size and mtime, so unchanged
  files are neither re-read nor re-validated;
- ``markdown``: converted HTML by (base path, source digest);
- ``pages``: each output page's fingerprint, so only pages whose inputs changed are rendered;
- ``output``: size and mtime of every file the build wrote, to trust output/ only while it is
  exactly what we left there.
Anything unexpected (another version, a corrupt file) means an empty cache: a full build.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from .content import NewsItem, Page, Region, Source

VERSION = 1
FILE = "build-cache.json"
Stamp = tuple[int, int]  # (size, mtime in ns)

_TYPES = {cls.__name__: cls for cls in (Region, NewsItem, Page, Source)}


@dataclass
class CacheState:
    """Everything one build leaves for the next."""

    key: str = ""
    inputs: dict[str, Stamp] = field(default_factory=dict)
    parsed: dict[str, tuple[Stamp, Any]] = field(default_factory=dict)
    markdown: dict[tuple[str, str], str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)
    output: dict[str, Stamp] = field(default_factory=dict)


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
    """The cache in ``folder``, or an empty one when absent, unreadable or of another version."""
    try:
        raw = json.loads((folder / FILE).read_text(encoding="utf-8"))
        if raw.get("version") != VERSION:
            return CacheState()
        return CacheState(
            key=raw["key"],
            inputs={k: tuple(v) for k, v in raw["inputs"].items()},  # type: ignore[misc]
            parsed={k: (tuple(v[0]), _decode(v[1])) for k, v in raw["parsed"].items()},  # type: ignore[misc]
            markdown={(k.split("\0", 1)[0], k.split("\0", 1)[1]): v for k, v in raw["markdown"].items()},
            pages=dict(raw["pages"]),
            output={k: tuple(v) for k, v in raw["output"].items()})  # type: ignore[misc]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return CacheState()


def write(folder: Path, state: CacheState) -> None:
    """Save the cache atomically (write a temporary file, then rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = {"version": VERSION, "key": state.key, "inputs": state.inputs,
           "parsed": {k: [list(v[0]), _encode(v[1])] for k, v in sorted(state.parsed.items())},
           "markdown": {f"{k[0]}\0{k[1]}": v for k, v in sorted(state.markdown.items())},
           "pages": state.pages, "output": state.output}
    fd, tmp = tempfile.mkstemp(prefix=".cache-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(raw, f, ensure_ascii=False, separators=(",", ":"))
    os.replace(tmp, folder / FILE)


def _encode(value: Any) -> Any:
    """Our content dataclasses as tagged JSON (dates as ISO text)."""
    if is_dataclass(value):
        return {"__type": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in fields(value)}}
    if isinstance(value, dt.date):
        return {"__date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    """Inverse of ``_encode``; only our own content types can come back, never code."""
    if isinstance(value, dict):
        if "__date" in value:
            return dt.date.fromisoformat(value["__date"])
        cls = _TYPES[value.pop("__type")]
        return cls(**{k: _tuple(_decode(v)) for k, v in value.items()})
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _tuple(value: Any) -> Any:
    """Dataclass fields that are sequences are tuples (coordinates and lists of items alike)."""
    return tuple(_tuple(v) if isinstance(v, list) else v for v in value) if isinstance(value, list) else value
