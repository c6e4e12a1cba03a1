"""Reading rules that protect the build: every input file is read by ``read_file`` (regular
files only, size checked before reading), text must be UTF-8 without invisible control
characters, YAML may not expand without bound; symlinks, pipes and devices are refused, stray
files and names that differ only in case are reported.
"""

from __future__ import annotations

import os
import stat
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from kotacerdas.content.parsecache import ParseCache
from kotacerdas.content.validate import check as check_schema
from kotacerdas.content.yamlsafe import find_invisible
from kotacerdas.content.yamlsafe import load as load_yaml
from kotacerdas.core.errors import Problems
from kotacerdas.core.locations import is_scratch
from kotacerdas.core.memo import Memo

MAX_FILE_BYTES = 1_000_000
MAX_YAML_VALUES = 200_000  # the reference list of 514 kabupaten/kota holds about 5,000
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_NONBLOCK", 0))
"""Open for reading without following a symlink or waiting on a pipe (where the system can)."""



def read_file(path: Path, problems: Problems, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of one input file: every file the build reads comes through here, so none can
    hang it (a named pipe waits forever for a writer) or fill memory before its size is known."""
    try:
        kind = _special_kind(os.lstat(path).st_mode)
        if kind is not None:
            problems.add(path, None, _not_a_file(kind))
            return None
        fd = os.open(path, _READ_FLAGS)  # should it have become a pipe since, this does not wait
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(fd)
            kind = _special_kind(st.st_mode)
            if kind is not None:
                problems.add(path, None, _not_a_file(kind))
                return None
            raw = f.read(limit + 1) if st.st_size <= limit else b""
    except OSError as exc:
        problems.add(path, None, f"cannot be read: {exc.strerror or exc}")
        return None
    if st.st_size > limit or len(raw) > limit:  # (a file can grow, or not know its size)
        size = f"{st.st_size:,} bytes" if st.st_size > limit else f"more than {limit:,} bytes"
        problems.add(path, None, f"is {size}; content files must be under {limit:,} bytes, "
                                 "split it or remove pasted data")
        return None
    return raw


def _special_kind(mode: int) -> str | None:
    """What a file that is not a plain file is (a symlink, pipe, socket, device, folder), else
    None."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a device"


def _not_a_file(kind: str) -> str:
    """The one message for an input that is not a plain file (the walk and the reader agree)."""
    if kind == "a symbolic link":
        return "is a symbolic link; replace it with a real file"
    if kind == "a folder":
        return "is a folder, not a file; rename or remove it, and save the file in its place"
    return (f"is {kind}, not a normal file; delete it, and save the file you meant as an "
            "ordinary one")


SETTLED_NS = 2_000_000_000
"""A file unchanged for this long (by its change time) can be known by its stamp: one changed
again within the same clock tick as an earlier read would keep its stamp (git's "racy" files),
so a recently changed file is always read."""


def read_text(path: Path, problems: Problems, memo: Memo | None = None) -> str | None:
    """Read an editor's file as text: UTF-8 (BOM allowed), any line ending, bounded size, and no
    invisible control characters (yamlsafe.find_invisible). With ``memo``, a settled file whose
    stamp is the one an earlier build read gives that build's text, and the same text object,
    without being read again (``settled_stamp``)."""
    stamp = settled_stamp(path) if memo is not None else None
    if memo is None or stamp is None:
        return _read_text(path, problems)
    return memo.checked(("text", stamp), problems, lambda found: _read_text(path, found))


def settled_stamp(path: Path) -> tuple[object, ...] | None:
    """What identifies a plain file's content without reading it (path, device, inode, size,
    modification and change times), or None when it changed too recently for that (or is no
    plain file)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) \
            or time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) <= SETTLED_NS:
        return None
    return (os.fspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _read_text(path: Path, problems: Problems) -> str | None:
    """read_text without a memo."""
    raw = read_file(path, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(path, line, "is not UTF-8 text; save the file with UTF-8 encoding "
                                 "(in most editors: Save with Encoding → UTF-8)")
        return None
    if "\x00" in text:
        problems.add(path, text[: text.index("\x00")].count("\n") + 1,
                     "contains a NUL character; this is not a text file")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    invisible = find_invisible(text)
    if invisible is not None:
        at, message = invisible
        problems.add(path, text.count("\n", 0, at) + 1, message)
        return None
    return text


def read_yaml(path: Path, problems: Problems, text: str | None = None, offset: int = 0,
              parsed: ParseCache | None = None) -> Any:
    """Parse a YAML file (or front matter) and record syntax errors and duplicate keys; with
    ``parsed`` (an earlier build's results, parsecache.py), text parsed before is not parsed
    again."""
    if text is None:
        text = read_text(path, problems)
        if text is None:
            return None
    key = None
    if parsed is not None:
        key, data = parsed.lookup(text, offset)
        if data is not None:
            return data
    data, yaml_problems = load_yaml(text, offset)
    for p in yaml_problems:
        problems.add(path, p.line, p.message)
    if data is not None and _expands_too_far(data):
        problems.add(path, offset + 1, f"uses YAML anchors (&) and aliases (*) that expand to more "
                                       f"than {MAX_YAML_VALUES:,} values or refer to themselves; "
                                       "write the values out instead")
        return None
    if parsed is not None and key is not None and data is not None and not yaml_problems:
        parsed.remember(key, data)
    return None if yaml_problems and data is None else data


def check(data: Any, schema: dict[str, Any], problems: Problems, path: Any,
          parsed: ParseCache | None = None) -> bool:
    """Validate ``data`` against ``schema`` (validate.check), unless it is data from ``parsed``
    that already passed that schema in an earlier build."""
    if parsed is not None and parsed.validated(data, schema):
        return True
    ok = check_schema(data, schema, problems, path)
    if ok and parsed is not None:
        parsed.passed(data, schema)
    return ok


def _expands_too_far(data: Any) -> bool:
    """Whether parsed YAML holds more than MAX_YAML_VALUES values once aliases are followed.

    A few lines of nested aliases ('billion laughs') or an alias to itself parse instantly but
    make every later step (validation, error messages) run for hours or recurse without end.
    """
    count, stack = 0, [data]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_YAML_VALUES:
            return True
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def split_front_matter(path: Path, text: str, problems: Problems, parsed: ParseCache | None = None
                       ) -> tuple[Any, str] | None:
    """Split '---' YAML front matter from the Markdown body and parse it."""
    # Line by line with find(), not split(): only the front matter's lines are looked at.
    end = text.find("\n")
    if (text if end < 0 else text[:end]).strip() != "---":
        problems.add(path, 1, "must start with a line '---', then the fields (title: …), then "
                              "another line '---', then the text")
        return None
    first = pos = end + 1
    while end >= 0:
        end = text.find("\n", pos)
        if (text[pos:] if end < 0 else text[pos:end]).rstrip() in ("---", "..."):
            data = read_yaml(path, problems, text[first:pos] if pos > first else "\n", offset=1,
                             parsed=parsed)
            return data, "" if end < 0 else text[end + 1:]
        pos = end + 1
    problems.add(path, 1, "front matter is not closed; add a line '---' after the last field")
    return None


def refuse_special_files(folder: Path, problems: Problems) -> None:
    """Git can commit symbolic links; one in content/ or templates/ could publish any file of
    the machine that builds the site. A named pipe, socket or device there (local only) would
    hang a read or be skipped without a word: each is reported."""
    name = folder.name
    if folder.is_symlink():
        problems.add(folder, None, f"is a symbolic link; {name}/ must be a real folder of the "
                                   "site, not a pointer to files elsewhere")
        return
    if not folder.exists():
        return
    stack = [str(folder)]  # os.scandir, not rglob: a site has thousands of files
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if is_scratch(entry.name):  # never read: emacs's lock is a link, harmlessly
                        continue
                    if entry.is_symlink():
                        problems.add(entry.path, None, f"is a symbolic link; {name} must be real "
                                                       f"files inside {name}/")
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    elif not entry.is_file(follow_symlinks=False):
                        kind = _special_kind(entry.stat(follow_symlinks=False).st_mode)
                        problems.add(entry.path, None, _not_a_file(kind or "a device"))
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            continue


def site_entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of a folder that the site is made of, sorted: all but scratch files
    (core/locations.is_scratch: dot-files, editors' locks, auto-saves and backups)."""
    if not folder.is_dir():
        return []
    with os.scandir(folder) as found:  # file types without a stat call per file
        return sorted((e for e in found if not is_scratch(e.name)), key=lambda e: e.name)


def folder_files(folder: Path, suffix: str, problems: Problems, also: tuple[str, ...] = ()
                 ) -> list[Path]:
    """The content files of one folder, sorted; stray files are reported, dot-files ignored."""
    out = []
    for entry in site_entries(folder):
        if entry.is_symlink():
            continue
        path = folder / entry.name
        if entry.is_dir():
            problems.add(path, None,
                         f"unexpected folder; {folder.name}/ holds only *{suffix} files")
        elif not path.name.endswith(suffix) and path.name not in also:
            problems.add(path, None,
                         f"unexpected file; files in {folder.name}/ must end in {suffix}")
        else:
            out.append(path)
    _case_duplicates(out, problems)
    return out


def _case_duplicates(paths: list[Path], problems: Problems) -> None:
    by_lower: dict[str, list[Path]] = defaultdict(list)
    for p in paths:
        by_lower[p.name.lower()].append(p)
    for group in by_lower.values():
        for p in group[1:]:
            problems.add(p, None, f"differs from {group[0].name} only in upper/lower case; GitHub "
                                  "Pages treats them as two pages, most laptops as one: rename one")


def reported(problems: Problems, path: Path) -> bool:
    """Whether a problem already names ``path`` (so leaving the file out loses nothing silently)."""
    shown = problems.display(path)
    return any(p.path == shown for p in problems.items)
