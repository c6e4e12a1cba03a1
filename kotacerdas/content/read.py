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
from typing import Any, Callable, Hashable, Sequence, TypeVar

from kotacerdas.content.parsecache import ParseCache
from kotacerdas.content.validate import check as check_schema
from kotacerdas.content.yamlsafe import find_invisible
from kotacerdas.content.yamlsafe import load as load_yaml
from kotacerdas.core import parallel
from kotacerdas.core.errors import Problem, Problems
from kotacerdas.core.locations import is_scratch
from kotacerdas.core.memo import Memo, with_problems

MAX_FILE_BYTES = 1_000_000
MAX_YAML_VALUES = 200_000  # the reference list of 514 kabupaten/kota holds about 5,000
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_NONBLOCK", 0))
"""Open for reading without following a symlink or waiting on a pipe (where the system can)."""
T = TypeVar("T")


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
    without being read again (``by_stamp``)."""
    return by_stamp(path, "text", problems, memo, lambda found: _read_text(path, found))


def by_stamp(path: Path, key: Hashable, problems: Problems, memo: Memo | None,
             make: Callable[[Problems], T]) -> T:
    """What ``make`` derives from the one file at ``path`` (recording its problems in the
    collector it is given), remembered by the file's settled stamp: with ``memo``, a file whose
    stamp is the one an earlier build saw gives that build's outcome and problems without being
    read again; a file changed too recently (or without a memo) is made afresh. ``key`` names
    whatever else ``make`` depends on (the kind of file, the day)."""
    stamp = settled_stamp(path) if memo is not None else None
    if memo is None or stamp is None:
        return make(problems)
    return memo.checked((key, stamp), problems, make)


def by_stamp_ahead(paths: Sequence[Path], key: Hashable, problems: Problems, memo: Memo | None,
                   parsed: ParseCache | None, make: Callable[[Path, Problems], object]) -> None:
    """Before a loop asking ``by_stamp(path, key, problems, memo, …)`` of each of ``paths`` with
    ``make``: when many settled files have no outcome at hand (a cold build), theirs are made in
    forked workers (core/parallel), so reading, parsing and checking use every core, and handed
    to ``memo`` under the key the loop asks (the stamp seen before the file was read, as in
    by_stamp): the loop finds each at hand and reports its problems, in its own order, exactly
    as if it had made them. A few files, or files changed too recently, are left to the loop;
    so is every file when most of the first MIN_ITEMS are at hand (a cached build, which then
    stats only those ahead of its loop)."""
    if memo is None:
        return
    todo: list[tuple[Path, tuple[object, ...]]] = []
    for i, path in enumerate(paths):
        if i == parallel.MIN_ITEMS and 2 * len(todo) < i:
            return
        stamp = settled_stamp(path)
        if stamp is not None and not memo.has((key, stamp)):
            todo.append((path, stamp))
    if not parallel.worth_sharing(len(todo)):
        return
    root = problems.root

    def outcome(i: int) -> tuple[tuple[object, tuple[Problem, ...]], dict[str, Any]]:
        """The outcome of the i-th file and the parse cache entries it made or used."""
        path = todo[i][0]

        def work() -> tuple[object, tuple[Problem, ...]]:
            """What by_stamp's collector would hold, with the value."""
            return with_problems(lambda found: make(path, found), root)

        return (work(), {}) if parsed is None else parsed.recorded(work)

    for (_, stamp), (made, entries) in zip(todo, parallel.map_indexed(outcome, len(todo))):
        memo.hand((key, stamp), made, root)
        if parsed is not None:
            parsed.adopt(entries)


def settled_stamp(path: Path, folder: bool = False) -> tuple[object, ...] | None:
    """What identifies a plain file's content (or, with ``folder``, a folder's list of names)
    without reading it (path, device, inode, size, modification and change times), or None when
    it changed too recently for that (or is no plain file, or no folder)."""
    name = os.fspath(path)
    try:
        st = os.lstat(name)
    except OSError:
        return None
    if not (stat.S_ISDIR if folder else stat.S_ISREG)(st.st_mode) \
            or time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) <= SETTLED_NS:
        return None
    return (name, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


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


def refuse_special_files(folder: Path, problems: Problems, memo: Memo | None = None) -> None:
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
    stack = [os.fspath(folder)]
    while stack:
        top = stack.pop()
        try:
            entries = site_entries(Path(top), memo)
        except (PermissionError, FileNotFoundError, NotADirectoryError):
            continue
        for entry, kind in entries:  # scratch files are never read: emacs's lock is a link
            if kind is None:
                continue
            path = os.path.join(top, entry)
            if kind == LINK:
                problems.add(path, None, f"is a symbolic link; {name} must be real files "
                                         f"inside {name}/")
            elif kind == FOLDER:
                stack.append(path)
            else:
                problems.add(path, None, _not_a_file(kind))


Entry = tuple[str, str | None]
"""One entry of a site folder: its name, and what it is: None for a plain file, else
``_special_kind``'s words (LINK, FOLDER, a pipe, a socket, a device)."""
LINK, FOLDER = "a symbolic link", "a folder"


def site_entries(folder: Path, memo: Memo | None = None) -> tuple[Entry, ...]:
    """The entries of a folder that the site is made of, sorted: all but scratch files
    (core/locations.is_scratch: dot-files, editors' locks, auto-saves and backups). With
    ``memo``, a settled folder whose stamp an earlier build saw gives that build's list without
    being listed again: adding, removing or renaming a name in a folder changes its modification
    time (editing a file in place does not, and needs no new list)."""
    stamp = settled_stamp(folder, folder=True) if memo is not None else None
    if memo is None or stamp is None:
        return _listing(folder)
    return memo.get(("listing", stamp), lambda: _listing(folder))


def _listing(folder: Path) -> tuple[Entry, ...]:
    """site_entries without a memo: one os.scandir, file types without a stat call per file."""
    if not folder.is_dir():
        return ()
    with os.scandir(folder) as found:
        return tuple(sorted((e.name, _entry_kind(e)) for e in found if not is_scratch(e.name)))


def _entry_kind(entry: os.DirEntry[str]) -> str | None:
    """What a folder entry is (Entry), from the folder's own listing where the system gives it."""
    if entry.is_symlink():
        return LINK
    if entry.is_dir(follow_symlinks=False):
        return FOLDER
    if entry.is_file(follow_symlinks=False):
        return None
    return _special_kind(entry.stat(follow_symlinks=False).st_mode) or "a device"


def folder_files(folder: Path, suffix: str, problems: Problems, also: tuple[str, ...] = (),
                 memo: Memo | None = None) -> tuple[Path, ...]:
    """The content files of one folder, sorted; stray files are reported, dot-files ignored.
    With ``memo``, the same list of names gives the same paths and problems as before."""
    entries = site_entries(folder, memo)
    if memo is None:
        return _folder_files(folder, entries, suffix, also, problems)
    return memo.checked(("folder-files", os.fspath(folder), suffix, also, entries), problems,
                        lambda found: _folder_files(folder, entries, suffix, also, found))


def _folder_files(folder: Path, entries: tuple[Entry, ...], suffix: str, also: tuple[str, ...],
                  problems: Problems) -> tuple[Path, ...]:
    """folder_files for the listed ``entries``."""
    out = []
    for name, kind in entries:
        if kind == LINK:
            continue
        path = folder / name
        if kind == FOLDER:
            problems.add(path, None,
                         f"unexpected folder; {folder.name}/ holds only *{suffix} files")
        elif not name.endswith(suffix) and name not in also:
            problems.add(path, None,
                         f"unexpected file; files in {folder.name}/ must end in {suffix}")
        else:
            out.append(path)
    _case_duplicates(out, problems)
    return tuple(out)


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
