"""Compiled templates kept between builds of one process (the live preview's session).

Jinja2 parses and compiles every template its environment loads, and each build makes new
environments (their globals are that build's model). A ``CompiledTemplates`` is a Jinja2 bytecode
cache held in memory: an environment asks it for a template's code by the template's name, file
and the digest of its source (Jinja2's own ``Bucket`` key and checksum), so an edited template is
compiled again and an unchanged one is not. It holds one entry per template file, so it does not
grow with the number of builds.
"""

from __future__ import annotations

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
