"""The persistent build cache: what a CLI build keeps between runs, outside output/ and git.

It lives in ``SITE/.build-cache/`` (or ``--cache DIR``) as JSON files, never pickle, so reading
one runs nothing. It records:

- ``build-cache.json`` (small, read first): the cache key (arguments, date, the generator's code),
  a digest of the stamps (size, mtime, ctime) of every input file and folder, and a digest of the
  stamps of every output file and folder (``output_record``). When both digests still match,
  nothing changed: the build stops at once and writes nothing. This module imports nothing
  heavy, so that answer is quick;
- ``output.list``: the names of every file and folder the last build left in output/ (signed,
  NUL-separated), so that the output is checked by one lstat per name and no scandir: a
  folder's mtime changes whenever an entry is added, removed or renamed in it, a file's stamp
  (size, mtime, inode) whenever it is written or replaced;
- ``pages.json``: each output page's fingerprint, so only pages whose inputs changed are rendered;
- ``markdown.jsonl``: converted HTML by (base path, digest of the Markdown text), and the digest
  of each document's text by the document's digest (model/site.TEXT_DIGESTS);
- ``parsed.jsonl``: parsed and validated YAML by content digest (see ``parsecache.py``);
- ``files.jsonl``: the outcome (record and problems) of each settled announcement, region and
  boundaries file by the file's stamp (content/stored.py), so an unchanged file is stat'ed, not
  read, and the texts derived through ``Memo.text`` by their keys (search entries, download
  rows);
- ``templates-jinja2-<version>-<python>.json``: Jinja2's compiled templates, by Jinja2's key and
  the template's source digest (render/compiled.py). This one file holds code that builds run;
  it is trusted no more than the others (below), and README.md ("build") says why restoring it
  in the Pages workflow is safe.
The ``.jsonl`` stores are logs of signed blocks (``_block``): a build appends one block of what it
added and rewrites them compactly only when they hold much that is no longer used. A block is
verified with one keyed hash and read with one ``json.loads``; a text value (converted HTML), and
the long texts of a ``Texts`` value (an announcement's body in ``files.jsonl``), are kept as raw
UTF-8 after the block's JSON and decoded one by one, never parsed as JSON strings, so reading a
store costs about what reading its bytes does.
Their first line names the generator's code and the layout; another means an empty store.
Anything unexpected (another version, a corrupt file) means an empty cache, i.e. a full build.
Every cached value is content-addressed, so a stale one is never used.

Nothing read back is trusted more than what it replaces: every file and every store block is
signed (HMAC-SHA-256, ``Seal``) with a key kept outside the cache folder, in this user's own cache
directory (``key_path``). A cache folder that was committed, copied or edited by hand therefore
holds nothing that verifies; an entry that does not verify is ignored like a miss, and the store
is rewritten without it. (The stores also bind their lines to the generator's code, so a line
from another version never verifies either.)
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import itertools
import json
import marshal
import operator
import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterable, Iterator

from kotacerdas.core import writeguard
from kotacerdas.core.digest import digest_of
from kotacerdas.core.jsontext import Texts, compact_json
from kotacerdas.core.lazytext import MarkdownCache, Span
from kotacerdas.core.locations import PACKAGE, config_file, input_folders, is_scratch
from kotacerdas.core.parallel import side_by_side
from kotacerdas.core.records import field, record

VERSION = 4
FILE = "build-cache.json"
PAGES_FILE = "pages.json"
MARKDOWN_FILE = "markdown.jsonl"
PARSED_FILE = "parsed.jsonl"
FILES_FILE = "files.jsonl"
FORMATS_FILE = "formats.jsonl"
OUTPUT_FILE = "output.list"
Stamp = tuple[int, int, int]  # inputs: (size, mtime ns, ctime ns); output: (size, mtime ns, inode)
KEY_ENV = "KOTACERDAS_CACHE_KEY"
"""Names another key file than the default (tests isolate themselves with it)."""
_KEY_BYTES = 32


# --- stamps ----------------------------------------------------------------------------------

def _walk(top: str, rel: str, out: dict[str, Any], folders: bool,
          stamp: Callable[[os.DirEntry[str]], Any]) -> None:
    """The ``stamp`` of every file under a tree the build wrote, ``top`` (of a symlink too:
    never followed), one scandir per folder (the inputs: ``_walk_inputs``)."""
    stack = [(top, rel)]
    while stack:
        path, prefix = stack.pop()
        try:
            listing = os.scandir(path)
        except OSError:
            out[prefix] = "unreadable"
            continue
        with listing as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    if folders:
                        out[prefix + e.name + "/"] = 0
                    stack.append((e.path, prefix + e.name + "/"))
                else:
                    out[prefix + e.name] = stamp(e)


def _output_stamp(e: os.DirEntry[str]) -> Stamp:
    return output_stamp(e.stat(follow_symlinks=False))


def input_digest(site: Path) -> str:
    """Digest of the stamps of everything a build reads: content, config, the site's and the
    built-in templates (folders included: an empty stray folder is an error too)."""
    found: dict[str, Any] = {}
    for name, path in input_folders(site):
        try:
            st = os.stat(path, follow_symlinks=False)
        except OSError:
            continue
        found[name] = (st.st_mode, st.st_size)
        if stat.S_ISDIR(st.st_mode):
            _walk_inputs(str(path), name, found)
    try:
        config = config_file(site)
        st = os.stat(config, follow_symlinks=False)
        found[config.name] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        pass
    names = sorted(found)
    return _packed_digest(_encode("\0".join(names)), [found[name] for name in names])


_INPUT_STAMP = operator.attrgetter("st_size", "st_mtime_ns", "st_ctime_ns")
"""An input file's stamp from its lstat: size, mtime and ctime."""


def _walk_inputs(top: str, rel: str, out: dict[str, Any]) -> None:
    """What ``_walk`` would record of the inputs under ``top`` (a folder as 0, a file or link by
    ``_INPUT_STAMP``, scratch files skipped), each folder's files stamped by ``_stamps``: a
    site has thousands of files in one folder."""
    stack = [(top, rel)]
    while stack:
        path, prefix = stack.pop()
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            out[prefix] = "unreadable"
            continue
        try:
            with os.scandir(fd) as listing:
                entries = [e for e in listing if not is_scratch(e.name)]
            files = []
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    out[prefix + e.name + "/"] = 0
                    stack.append((os.path.join(path, e.name), prefix + e.name + "/"))
                else:
                    files.append(e.name)
            out.update(zip([prefix + name for name in files], _stamps(_INPUT_STAMP, fd, files)))
        except OSError:
            out[prefix] = "unreadable"
        finally:
            os.close(fd)


def _stamps(stamp: Callable[[os.stat_result], Any], fd: int, names: list[str]) -> list[Any]:
    """``stamp`` of the lstat of each name (relative to the folder ``fd``), in order, the loop
    run by ``map`` in C. (Two threads, each taking half, measured no faster on two cores: at
    n10000 the no-change build took 307-344 ms with them and 267-323 without.)"""
    lstat = functools.partial(os.stat, dir_fd=fd, follow_symlinks=False)
    return list(map(stamp, map(lstat, names)))


def _packed_digest(names: bytes, values: Any) -> str:
    """A digest of names (UTF-8, NUL-separated) and plain values (ints, tuples and lists of
    them, a few strings): marshal's form, version 2, which has no object references, so that
    equal values give equal bytes whichever objects hold them (and is much cheaper to make
    than ``repr``). Were another Python's form to differ, the digests would differ: one build
    that is not skipped, never a wrong one."""
    h = hashlib.blake2b(b"%d\0" % len(names), digest_size=12)
    h.update(names)
    h.update(marshal.dumps(values, 2))
    return h.hexdigest()


def output_stamps(output: Path) -> dict[str, Stamp]:
    """Stamps of every file in output/ by relative path (empty when it does not exist).

    An output file is stamped by size, mtime and inode: a cached rebuild's new tree shares the
    unchanged files with output/ by hard links (writer.new_tree), which changes their
    ctime but nothing of these, so the stamps of a new tree are known before it takes output/'s
    place, and the cache can be saved before (pipeline._cached_build)."""
    found: dict[str, Any] = {}
    if output.is_dir() and not output.is_symlink():
        _walk(str(output), "", found, False, _output_stamp)
    return found


_FILE_STAMP = operator.attrgetter("st_size", "st_mtime_ns", "st_ino")
"""An output file's stamp from its lstat (``output_stamp``), taken in C by ``map``."""
_FOLDER_STAMP = operator.attrgetter("st_mode", "st_mtime_ns", "st_ino", "st_nlink")
"""An output folder's stamp: its mtime changes whenever an entry is added, removed or renamed
in it; its links count its subfolders (``_folders``)."""


def output_record(tree: Path, stamps: dict[str, Stamp]) -> tuple[bytes, str]:
    """(listing, digest) of a tree whose files have ``stamps`` (a new tree, before it takes
    output/'s place, which keeps its folders' stamps): the listing names every file and
    folder, the digest covers their stamps, so that ``probe`` checks output/ by one lstat per
    name, without a scandir of any folder. Save the listing with ``write_output``."""
    files = sorted(stamps)
    folders, found = _folders(tree, files)
    listing = _encode("\0".join(files) + "\0\0" + "\0".join(folders))
    return listing, _listing_digest(listing, [stamps[rel] for rel in files], found)


FolderStamp = tuple[int, int, int, int]


def _folders(tree: Path, files: list[str]) -> tuple[list[str], list[FolderStamp]]:
    """Every folder of ``tree`` by relative path (``.`` the tree itself), sorted, and their
    stamps: the folders that hold ``files``, when each one's link count shows it has no other
    subfolder (a folder has 2 links plus one per subfolder); else (a stray folder the spare
    kept, or a disk whose folders do not count links) those a walk of the tree finds."""
    held = {"."}
    for rel in files:
        parent = rel.rpartition("/")[0]
        while parent and parent not in held:
            held.add(parent)
            parent = parent.rpartition("/")[0]
    folders = sorted(held)
    subfolders = dict.fromkeys(folders, 0)
    for rel in folders[1:]:
        subfolders[rel.rpartition("/")[0] or "."] += 1
    found = _listed_stamps(tree, [], folders)
    if found and all(st[3] == 2 + subfolders[rel] for rel, st in zip(folders, found[1])):
        return folders, found[1]
    walked: dict[str, Any] = {}
    _walk(str(tree), "", walked, True, lambda e: None)
    folders = ["."] + sorted(rel[:-1] for rel in walked if rel.endswith("/"))
    found = _listed_stamps(tree, [], folders)
    return folders, found[1] if found else []


def _listed_stamps(root: Path, files: list[str], folders: list[str]
                   ) -> tuple[list[Stamp], list[FolderStamp]] | None:
    """The stamps of ``files`` and ``folders`` of the tree ``root`` (never through a link in
    its place), one lstat each, or None when one is missing."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        return _stamps(_FILE_STAMP, fd, files), _stamps(_FOLDER_STAMP, fd, folders)
    except OSError:
        return None
    finally:
        os.close(fd)


def _listing_digest(listing: bytes, files: list[Stamp], folders: list[FolderStamp]) -> str:
    """One digest for a listing (``output_record``) and the stamps of what it names."""
    return _packed_digest(listing, (files, folders))


def output_listing(folder: Path) -> tuple[bytes, list[str], list[str]] | None:
    """(listing, files, folders) of output/ as the cache in ``folder`` keeps it
    (``output_record``), or None when there is no signed listing."""
    try:
        listing = Seal(OUTPUT_FILE).open((folder / OUTPUT_FILE).read_bytes())
    except OSError:
        return None
    if listing is None:
        return None
    head, sep, tail = listing.decode("utf-8", "surrogatepass").partition("\0\0")
    if not sep:
        return None
    return listing, head.split("\0") if head else [], tail.split("\0")


def write_output(folder: Path, listing: bytes) -> None:
    """Save the listing of the output about to be put in place (``output_record``; it vouches
    for nothing alone: the main file, written after it, holds its digest)."""
    writeguard.write_bytes(*_where(folder, OUTPUT_FILE), Seal(OUTPUT_FILE).mac(listing) + b" "
                           + listing)


def tree_inodes(tree: Path) -> dict[str, int | None]:
    """The inode of every regular file of a tree by relative path, None for anything else that
    is not a folder (a link, a FIFO): one scandir per folder and no stat of a file (a Linux
    ``DirEntry`` knows both), for a check that a tree holds another's very files
    (writer._mirror)."""
    found: dict[str, int | None] = {}
    if tree.is_dir() and not tree.is_symlink():
        _walk(str(tree), "", found, False, _inode)
    return found


def _inode(e: os.DirEntry[str]) -> int | None:
    return e.inode() if e.is_file(follow_symlinks=False) else None


def output_stamp(st: os.stat_result) -> Stamp:
    """An output file's stamp from its lstat (see ``output_stamps``)."""
    return (st.st_size, st.st_mtime_ns, st.st_ino)


# --- signing --------------------------------------------------------------------------------

def key_path() -> Path:
    """Where this user's signing key lives: outside every cache folder, so whoever can write a
    cache folder (a commit, a copied folder) cannot sign what it holds."""
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kotacerdas" / "cache-key"


@functools.cache
def _key_in(path: str) -> bytes:
    """The key kept in ``path``, made there on first use (random, readable by this user only).
    When it can be neither read nor made, a key for this process alone: nothing from an earlier
    build verifies then, so the build is a full one, never a wrong one."""
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return os.urandom(_KEY_BYTES)
    try:
        _make_key(path)
        return _read_key(path)
    except OSError:
        return os.urandom(_KEY_BYTES)


def _read_key(path: str) -> bytes:
    """The key in ``path``: a regular file of this user's that nobody else may read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and (
                st.st_uid != os.getuid() or st.st_mode & 0o077)):
            raise PermissionError(f"{path} is not a private file of this user")
        key = f.read(_KEY_BYTES + 1)
    if len(key) != _KEY_BYTES:
        raise PermissionError(f"{path} does not hold a key")
    return key


def _make_key(path: str) -> None:
    """Write a new key to ``path`` whole or not at all (a key made meanwhile by another build
    wins)."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cache-key-", dir=folder)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(_KEY_BYTES))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


class Seal:
    """Signs and checks the text of one cache file (or of each block of a store) with this
    user's key: HMAC-SHA-256 (truncated to 128 bits) bound to the file's name and the generator's
    code. (SHA-256 is the hash processors compute in hardware: it signs a store of 13 MB about
    three times faster than keyed BLAKE2b.)"""

    def __init__(self, name: str, code: str = ""):
        self._base = hmac.new(_key_in(str(key_path())), f"{name}\0{code}\0".encode(), "sha256")

    def mac(self, *payload: bytes | memoryview) -> bytes:
        """The signature of ``payload`` (hexadecimal; of its parts joined, when several)."""
        h = self._base.copy()
        for part in payload:
            h.update(part)
        return h.hexdigest()[:32].encode()

    def verifies(self, mac: bytes, *payload: bytes | memoryview) -> bool:
        """Whether ``mac`` is this key's signature of ``payload`` (its parts joined)."""
        return hmac.compare_digest(mac, self.mac(*payload))

    def sign(self, text: str) -> str:
        """``text`` (one line, no newline) with its signature in front."""
        return self.mac(text.encode("utf-8", "surrogatepass")).decode() + " " + text

    def open(self, signed: bytes) -> bytes | None:
        """What a signed line holds, or None when its signature does not verify."""
        if signed.endswith(b"\n"):
            signed = signed[:-1]
        mac, sep, payload = signed.partition(b" ")
        if not sep or not self.verifies(mac, payload):
            return None
        return payload


# --- the key -----------------------------------------------------------------------------------

_code: str | None = None


LIBRARIES = ("Markdown", "nh3", "PyYAML", "Jinja2", "Babel", "jsonschema")
"""The libraries whose output the cache keeps (Markdown HTML, parsed YAML, pages)."""


def _library_versions() -> list[tuple[str, str | None]]:
    """The LIBRARIES' versions, found without importing them: an upgrade, a new cache.

    An installer names each library's record folder ``<name>-<version>.dist-info``, so listing
    the folders of ``sys.path`` tells the version in well under a millisecond; importlib.metadata,
    which costs tens of milliseconds to import (a tenth of a build with nothing to do), answers
    only for a library installed some other way.
    """
    wanted = {_distribution_key(name): name for name in LIBRARIES}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:  # a zip file, a folder that is gone
            continue
        for entry in entries:
            name, dash, rest = entry.partition("-")
            library = wanted.get(_distribution_key(name)) if dash else None
            if library and library not in found and rest.endswith(".dist-info"):
                found[library] = rest.removesuffix(".dist-info")
    return [(name, found[name] if name in found else _metadata_version(name))
            for name in LIBRARIES]


def _distribution_key(name: str) -> str:
    """A distribution's name as record folders and PyPI compare it ('PyYAML' → 'pyyaml')."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(name: str) -> str | None:
    """The version importlib.metadata reads for ``name`` (None when it is not installed)."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def code_digest() -> str:
    """The generator's own code, by content (checkouts reset mtimes), and the versions of the
    libraries it relies on: a new version, a new cache."""
    global _code
    if _code is None:
        h = hashlib.blake2b(digest_size=12)
        files = []
        for dirpath, dirnames, filenames in os.walk(PACKAGE):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            files += [os.path.join(dirpath, n) for n in filenames if n.endswith(".py")]
        for path in sorted(files):
            with open(path, "rb") as f:
                h.update(os.path.relpath(path, PACKAGE).encode() + b"\0" + f.read() + b"\0")
        h.update(repr(_library_versions()).encode())
        _code = h.hexdigest()
    return _code


def cache_key(site: Path, output: Path, base_url: str | None, drafts: bool, today: dt.date) -> str:
    """What must be equal for a cache to apply: arguments, today's date, the generator's code."""
    return digest_of(repr((VERSION, str(site.resolve()), str(output.resolve()), base_url, drafts,
                           today.isoformat(), code_digest())))


# --- the main file and the first look ----------------------------------------------------------

@record(frozen=False)
class CacheState:
    """The small main file: what the last successful build saw and left."""

    key: str = ""
    inputs: str = ""
    output: str = ""
    pages: int = 0
    participants: int = 0
    announcements: int = 0


@record(frozen=False)
class Probe:
    """The first look at a cache: is there anything to do, and can output/ be patched in place?"""

    key: str
    state: CacheState
    inputs: str
    stamps: dict[str, Stamp] = field(default_factory=dict)
    trusted: bool = False
    """output/ is exactly what the cached build left there (its page fingerprints apply)."""

    @property
    def unchanged(self) -> bool:
        return self.trusted and self.state.inputs == self.inputs


def probe(folder: Path, site: Path, output: Path, base_url: str | None, drafts: bool,
          today: dt.date) -> Probe:
    """Compare the cache in ``folder`` with the inputs and output as they are now."""
    key = cache_key(site, output, base_url, drafts, today)
    state = read(folder)
    if state.key != key or not state.output:
        return Probe(key, state, input_digest(site))
    listed = output_listing(folder)
    if listed is None:
        return Probe(key, state, input_digest(site))
    listing, files, folders = listed
    cut = _childs_share(len(files), len(folders), state)
    # the stamps of the inputs and of output/, one lstat each, shared by two cores: the child
    # stamps the inputs and the first ``cut`` output files, this process the rest
    (inputs, theirs), mine = side_by_side(
        lambda: (input_digest(site), _listed_stamps(output, files[:cut], [])),
        lambda: _listed_stamps(output, files[cut:], folders))
    if theirs is None or mine is None or not files:
        return Probe(key, state, inputs)
    stamps = [*theirs[0], *mine[0]]
    if _listing_digest(listing, stamps, mine[1]) != state.output:
        return Probe(key, state, inputs)
    return Probe(key, state, inputs, dict(zip(files, stamps)), trusted=True)


def _childs_share(files: int, folders: int, state: CacheState) -> int:
    """How many output files the child stamps besides the inputs, so both take as many lstats:
    the inputs are about one file per announcement and per region (n10000: 10,500 inputs, and
    11,700 files and as many folders of output/: the child takes 6,400 of the files)."""
    inputs = state.announcements + state.participants
    return max(0, min(files, (files + folders - inputs) // 2))


def read(folder: Path) -> CacheState:
    """The main file in ``folder``, or an empty state when absent, unreadable, unsigned or of
    another version."""
    try:
        raw = json.loads(Seal(FILE).open((folder / FILE).read_bytes()) or b"null")
        if raw.get("version") != VERSION:
            return CacheState()
        return CacheState(key=str(raw["key"]), inputs=str(raw["inputs"]), output=str(raw["output"]),
                          pages=int(raw["pages"]), participants=int(raw["participants"]),
                          announcements=int(raw["announcements"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return CacheState()


def check_folder(folder: Path) -> None:
    """Refuse a cache folder that is a symbolic link (or not a folder) before anything is
    written: the cache is written only where it is (writeguard)."""
    writeguard.target(*_where(folder, FILE))


def invalidate(folder: Path) -> None:
    """Forget the main file, before output/ changes: an interrupted build then means a full one."""
    writeguard.remove(*_where(folder, FILE))


def write_pages(folder: Path, key: str, pages: dict[str, str]) -> None:
    """Save the page fingerprints of the output about to be put in place (under ``key``; used
    only with a main file of the same key, written after that)."""
    writeguard.remove(*_where(folder, "markdown.json"))  # version 1's Markdown cache
    writeguard.write_bytes(*_where(folder, PAGES_FILE),
                           _encode(Seal(PAGES_FILE).sign(
                               compact_json({"key": key, "pages": pages}))))


def write(folder: Path, state: CacheState) -> None:
    """Save the main file (atomically, last: it vouches for output/ and the page fingerprints)."""
    writeguard.write_bytes(*_where(folder, FILE), _encode(Seal(FILE).sign(compact_json({
        "version": VERSION, "key": state.key, "inputs": state.inputs, "output": state.output,
        "pages": state.pages, "participants": state.participants,
        "announcements": state.announcements}))))


def read_pages(folder: Path, key: str) -> dict[str, str]:
    """Page fingerprints saved with the main file of the same key (empty when they differ or the
    file is not signed)."""
    try:
        raw = json.loads(Seal(PAGES_FILE).open((folder / PAGES_FILE).read_bytes()) or b"null")
        if raw["key"] != key or not isinstance(raw["pages"], dict):
            return {}
        return {str(k): str(v) for k, v in raw["pages"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def read_signed(folder: Path, name: str, code: str) -> bytes | None:
    """What the cache file ``name`` holds when this user signed it for this code, else None
    (absent, unreadable, torn, edited, copied from elsewhere or written by other code)."""
    try:
        return Seal(name, code).open((folder / name).read_bytes())
    except OSError:
        return None


def write_signed(folder: Path, name: str, code: str, text: str, family: str) -> None:
    """Save the one-line ``text`` signed as ``name`` (atomically), and remove the other files
    whose name starts with ``family`` (the same store of other versions: kept, they would only
    grow the cache)."""
    try:
        with os.scandir(folder) as entries:
            others = [e.name for e in entries if e.name.startswith(family) and e.name != name
                      and e.is_file(follow_symlinks=False)]
    except FileNotFoundError:
        others = []
    for other in others:
        writeguard.remove(*_where(folder, other))
    writeguard.write_bytes(*_where(folder, name), _encode(Seal(name, code).sign(text)))


# --- content-addressed stores (Markdown, parsed YAML, settled files' outcomes) ------------------

STORE_LAYOUT = "signed blocks, texts by byte"
"""How a store's entries follow its first line (``_block``); named in that line, so a store of
another layout reads as empty."""
_BLOCK_SIZE = 1 << 20


@record(frozen=False)
class Store:
    """A log of key → value (JSON data, a text, or ``Texts``) in signed blocks (``_block``): read
    whole, saved by appending one block of what is new."""

    path: Path
    code: str
    items: dict[str, Any] = field(default_factory=dict)
    lines: int = 0
    """Entries in the file (with superseded ones): how much a compaction would save."""
    loaded: set[str] = field(default_factory=set)

    def save(self, live: dict[str, Any], line: Callable[[str, Any], str] | None = None) -> None:
        """Make the file hold ``live``: append the new entries, or rewrite when mostly stale.
        ``line`` writes one entry as JSON (default: the array [key, value]; a text value is
        kept after the block's JSON instead, see ``_block``)."""
        seal = Seal(self.path.name, self.code)
        new = [k for k in live if k not in self.loaded]
        root, rel = _where(self.path.parent, self.path.name)
        if self.lines and self.lines + len(new) <= 2 * len(live) + 64:
            if new:
                writeguard.append_bytes(root, rel, b"".join(_blocks(seal, live, new, line)))
            return
        writeguard.write_bytes(root, rel, itertools.chain(
            [_encode(_store_header(self.code) + "\n")], _blocks(seal, live, sorted(live), line)))


def json_line(key: str, value: Any) -> str:
    """One entry of a store as JSON, a text value too (``Store.save`` keeps a text apart
    otherwise, as bytes to decode when asked for: right for long HTML, not for a short text
    every entry of the store is read for)."""
    return compact_json([key, value])


def _store_header(code: str) -> str:
    """A store's first line: the cache's version, the code that signs it, the layout."""
    return compact_json({"version": VERSION, "code": code, "layout": STORE_LAYOUT})


def _blocks(seal: Seal, live: dict[str, Any], keys: Iterable[str],
            line: Callable[[str, Any], str] | None) -> Iterator[bytes]:
    """The entries ``keys`` of ``live`` as signed blocks of about _BLOCK_SIZE bytes each (a big
    store is streamed, not joined)."""
    index: list[str] = []
    texts: list[bytes] = []
    at = size = 0
    for k in keys:
        value = live[k]
        if line is None and type(value) in (str, Span, Texts):  # texts kept as they are
            raw = [value.data() if type(value) is Span else _encode(text)
                   for text in (value.texts if type(value) is Texts else (value,))]
            spans: list[int] = []
            for data in raw:
                spans += (at, at + len(data))
                at += len(data)
            texts += raw
            size += spans[-1] - spans[0] if spans else 0
            entry = compact_json([k, value.value, spans] if type(value) is Texts else [k, *spans])
        else:
            entry = line(k, value) if line else compact_json([k, value])
        index.append(entry)
        size += len(entry)
        if size >= _BLOCK_SIZE:
            yield _block(seal, index, texts)
            index, texts, at, size = [], [], 0, 0
    if index:
        yield _block(seal, index, texts)


def _block(seal: Seal, index: list[str], texts: list[bytes]) -> bytes:
    """One signed block: ``MAC SIZE LENGTH\\n``, then a JSON array of SIZE bytes, one element
    per entry ([key, value]; [key, start, end] for a text value: bytes start to end of the LENGTH
    bytes of UTF-8 that follow; [key, value, [start, end, …]] for a ``Texts`` value), then a
    newline. The MAC covers all but itself and the last newline, so one keyed hash verifies a
    whole block, and one ``json.loads`` reads it; each text is decoded on its own (most are
    ASCII, which decodes at memory speed), never parsed as a JSON string."""
    body = _encode("[" + ",".join(index) + "]")
    text = b"".join(texts)
    signed = b"%d %d\n" % (len(body), len(text)) + body + text
    return seal.mac(signed) + b" " + signed + b"\n"


def _read_blocks(f: BinaryIO, left: int, seal: Seal) -> tuple[dict[str, Any], int, bool]:
    """(entries, how many, whether any block was torn or not signed) of the blocks in the
    ``left`` bytes that follow in ``f``: a block that does not verify is left out, and what
    follows a torn one too. Each block is read on its own, then verified, parsed and decoded
    while its bytes are in the processor's cache; one whose texts no entry keeps (a ``Span``)
    is freed at once, and its memory is the next block's. (Reading n10000's files.jsonl, 70 MB,
    in one buffer took 34-43 ms of CPU, most of it in fresh pages; block by block, 12.)"""
    items: dict[str, Any] = {}
    count, spoiled = 0, False
    while left:
        head = f.readline(80)
        try:
            if not head.endswith(b"\n"):
                raise ValueError("no block head")
            mac, size, length = head[:-1].split(b" ")
            body, text = int(size), int(length)
        except ValueError:
            return items, count, True
        left -= len(head)
        if body < 0 or text < 0 or body + text >= left:
            return items, count, True
        block = f.read(body + text + 1)
        left -= len(block)
        if len(block) != body + text + 1 or block[-1] != 0x0A:
            return items, count, True
        view = memoryview(block)
        if not seal.verifies(mac, memoryview(head)[len(mac) + 1:], view[:-1]):
            spoiled = True
            continue
        count += _entries(json.loads(block[:body]), view[body:-1], items)
    return items, count, spoiled


def _entries(index: Any, raw: memoryview, items: dict[str, Any]) -> int:
    """Add the entries of one block's ``index`` to ``items``, their texts found in ``raw`` (the
    block's UTF-8 after its JSON): a text value as a ``Span``, decoded when a build asks for it;
    a ``Texts`` value's texts decoded. An entry whose bounds are not those of whole characters
    there is left out (a block that verified holds none: this code wrote it). How many elements
    the index had. (The checks are inline: a big store has tens of thousands of texts.)"""
    if type(index) is not list:
        return 0
    size = len(raw)
    for entry in index:
        if type(entry) is not list or not entry or type(entry[0]) is not str:
            continue
        if len(entry) == 2:
            items[entry[0]] = entry[1]
        elif len(entry) == 3:
            key, first, second = entry
            if type(first) is int:
                if type(second) is int and 0 <= first <= second <= size \
                        and (first == size or raw[first] & 0xC0 != 0x80) \
                        and (second == size or raw[second] & 0xC0 != 0x80):
                    items[key] = Span(raw, first, second)
            elif type(second) is list and len(second) % 2 == 0:
                texts = _texts(raw, size, second)
                if texts is not None:
                    items[key] = Texts(first, texts)
    return len(index)


def _texts(raw: memoryview, size: int, spans: list[Any]) -> tuple[str, ...] | None:
    """Bytes start to end of ``raw`` as text for each pair of ``spans``, or None when one is not
    the span of a text there."""
    texts = []
    for i in range(0, len(spans), 2):
        start, end = spans[i], spans[i + 1]
        if type(start) is not int or type(end) is not int or not 0 <= start <= end <= size \
                or start < size and raw[start] & 0xC0 == 0x80 \
                or end < size and raw[end] & 0xC0 == 0x80:
            return None
        try:
            texts.append(str(raw[start:end], "utf-8", "surrogatepass"))
        except UnicodeDecodeError:  # not the bounds of a text this store wrote
            return None
    return tuple(texts)


def read_store(path: Path, code: str) -> Store:
    """The entries of a store written by this code in this layout (none when another wrote it),
    read and verified a block at a time; a block whose signature does not verify is left out
    like a torn one."""
    store = Store(path, code)
    try:
        with open(path, "rb") as f:
            first = f.readline(4096)
            if not first.endswith(b"\n") or json.loads(first) != json.loads(_store_header(code)):
                return store
            left = os.fstat(f.fileno()).st_size - len(first)
            items, lines, spoiled = _read_blocks(f, left, Seal(path.name, code))
    except (OSError, ValueError):
        return store
    # A file with a torn or foreign block is rewritten on save (lines = 0), never appended to.
    store.items, store.lines, store.loaded = items, 0 if spoiled else lines, set(items)
    return store


def read_markdown(folder: Path, code: str) -> tuple[Store, MarkdownCache]:
    """Converted Markdown by (base path, digest), as the model's ``markdown_cache`` wants it:
    each HTML stays a ``Span`` (bytes) until a page asks for it (core/lazytext.py)."""
    store = read_store(folder / MARKDOWN_FILE, code)
    markdown: MarkdownCache = {}
    for k, v in store.items.items():
        base, sep, digest = k.partition("\0")
        if sep and type(v) in (str, Span):
            markdown[(base, digest)] = v
    return store, markdown


def save_markdown(store: Store, markdown: MarkdownCache) -> None:
    store.save({f"{base}\0{digest}": html for (base, digest), html in markdown.items()})


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _where(folder: Path, name: str) -> tuple[Path, str]:
    """(root, relative name) of a cache file for writeguard: the cache folder itself must be a
    real folder, wherever it is."""
    parent, base = writeguard.split(folder)
    return parent, f"{base}/{name}"
