"""Compiled templates kept between builds: in memory for one process (the live preview's
session), and in the build cache between ``build`` processes.

Jinja2 parses and compiles every template its environment loads, and each build makes new
environments (their globals are that build's model). A ``CompiledTemplates`` is a Jinja2 bytecode
cache held in memory: an environment asks it for a template's code by the template's name, file
and the digest of its source (Jinja2's own ``Bucket`` key and checksum), so an edited template is
compiled again and an unchanged one is not. It holds one entry per template file, so it does not
grow with the number of builds.

A ``StoredTemplates`` is the same cache read from and saved to one file of ``.build-cache/``
(``stored_name``: named by the Jinja2 and Python versions, so a new version of either never
reads code another one compiled). Its text is JSON holding each template's code as ``marshal``
bytes; build/cache.py signs the file and checks the signature before this module ever sees it,
and whatever does not decode to a code object is a miss. Entries whose template file is gone are
dropped when it is saved.
"""

from __future__ import annotations

import base64
import binascii
import importlib.util
import json
import marshal
import os
import sys
from types import CodeType

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    """Template code by Jinja2's bucket key, valid while the source's checksum is the same."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Hand back the code compiled from this very source, if any."""
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep freshly compiled code (replacing an older source's)."""
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        """Forget every template."""
        self._code.clear()


PREFIX = "templates-"
"""How the stored cache's file names start, whatever the versions (the saved one replaces all)."""


def stored_name() -> str:
    """The stored cache's file name, by Jinja2's version and the Python that runs (code compiled
    by another version of either is never read)."""
    return (f"{PREFIX}jinja2-{jinja2.__version__}-{sys.implementation.name}"
            f"-{sys.version.split()[0]}.json")  # platform.python_version(), not imported


def _magic() -> str:
    """This Python's bytecode magic number: recorded in the file and checked again on reading."""
    return importlib.util.MAGIC_NUMBER.hex()


Entry = tuple[str, str, str]
"""A stored template: (its file, its source's checksum, its code as base64 marshal bytes)."""


class StoredTemplates(CompiledTemplates):
    """Compiled templates that outlive the process: read from the build cache, saved back to it."""

    def __init__(self, text: bytes | None = None) -> None:
        """``text`` is what an earlier ``stored`` returned (already checked as signed by this
        user); anything else in it is no entry."""
        super().__init__()
        self._files: dict[str, str] = {}
        self._entries = _entries(text)
        self._changed = False

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        """Jinja2's bucket, noting which file the key stands for (so a gone file's entry goes)."""
        bucket = super().get_bucket(environment, name, filename, source)
        if filename is not None:
            self._files[bucket.key] = filename
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """The code compiled in this process, else the stored code of this very source."""
        super().load_bytecode(bucket)
        entry = self._entries.get(bucket.key)
        if bucket.code is not None or entry is None or entry[1] != bucket.checksum:
            return
        code = _code(entry[2])
        if code is None:
            del self._entries[bucket.key]
            self._changed = True
            return
        bucket.code = code
        super().dump_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep freshly compiled code, to be stored (replacing an older source's)."""
        super().dump_bytecode(bucket)
        filename = self._files.get(bucket.key)
        if bucket.code is not None and filename is not None:
            self._entries[bucket.key] = (filename, bucket.checksum,
                                         base64.b64encode(marshal.dumps(bucket.code)).decode())
            self._changed = True

    def clear(self) -> None:
        """Forget every template, stored ones too."""
        super().clear()
        self._changed = self._changed or bool(self._entries)
        self._entries.clear()

    def stored(self) -> str | None:
        """The text to save (one entry per template file that still exists), or None when the
        saved one is still right."""
        live = {key: entry for key, entry in self._entries.items() if os.path.isfile(entry[0])}
        if not self._changed and live == self._entries:
            return None
        return json.dumps({"jinja2": jinja2.__version__, "magic": _magic(),
                           "templates": {key: list(live[key]) for key in sorted(live)}},
                          separators=(",", ":"))


def _entries(text: bytes | None) -> dict[str, Entry]:
    """The entries of a stored text of this Jinja2 and Python (none for another's, or a text
    that is not what ``stored`` writes)."""
    try:
        raw = json.loads(text or b"null")
        if raw["jinja2"] != jinja2.__version__ or raw["magic"] != _magic():
            return {}
        return {key: (entry[0], entry[1], entry[2]) for key, entry in raw["templates"].items()
                if type(key) is str and type(entry) is list and len(entry) == 3
                and all(type(part) is str for part in entry)}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def _code(stored: str) -> CodeType | None:
    """The code object a stored entry holds, or None when it holds none."""
    try:
        code = marshal.loads(base64.b64decode(stored, validate=True))
    except (binascii.Error, ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None
