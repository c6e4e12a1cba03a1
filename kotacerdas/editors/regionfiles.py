"""Region files by Kemendagri code: the one reader the importer and ``new region`` share.

A region's code may be written quoted ("32.73"), unquoted (32.73, which YAML reads as a number) or
with the final zero dropped by a spreadsheet ("32.7"); ``normal_code`` reads every form, so a
region is found under whatever file name and spelling it has.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kotacerdas.content.read import read_yaml
from kotacerdas.content.yamlsafe import line_of
from kotacerdas.core.errors import Problems
from kotacerdas.core.locations import is_scratch
from kotacerdas.core.records import record


@record
class RegionFile:
    """An existing region file, with its code normalised from whatever form the YAML gives."""

    path: Path
    data: dict[str, Any]
    code: str | None
    """The Kemendagri code it names ("32.73"), also when written unquoted (32.73) or as "32.7"."""

    @property
    def code_line(self) -> int:
        """The line of its ``code:`` field (1 when it has none)."""
        return line_of(self.data, ["code"]) or 1


def normal_code(value: Any) -> str | None:
    """A Kemendagri kabupaten/kota code as "32.73" from "32.73", 32.73, "32.7" or 32.7 (YAML or a
    spreadsheet dropped the final zero of "32.70"); None for anything that is not one."""
    if isinstance(value, float):
        value = f"{value:.2f}"
    if not isinstance(value, str):
        return None
    m = re.fullmatch(r"([0-9]{2})[.,]([0-9]{1,2})", value.strip())
    return f"{m.group(1)}.{m.group(2):0<2}" if m else None


def region_files(folder: Path, problems: Problems) -> list[RegionFile]:
    """The region files of ``folder`` (regular *.yaml files, as the build reads them); a file that
    cannot be parsed is a problem, since it might be the region a caller is about to write."""
    if not folder.is_dir():
        return []
    out = []
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        if is_scratch(entry.name) or not entry.name.endswith(".yaml"):
            continue
        if not entry.is_file(follow_symlinks=False) and not entry.is_symlink():
            continue  # folders, FIFOs: the build reports them; never read (a FIFO blocks)
        path = folder / entry.name
        known = len(problems.items)
        data = read_yaml(path, problems)
        if not isinstance(data, dict):
            if len(problems.items) == known:
                problems.add(path, 1, "must be a set of 'field: value' lines (name:, type:, "
                                      "province:, code:, cohort:)")
            continue
        out.append(RegionFile(path, data, normal_code(data.get("code"))))
    return out


def readable_file_with_code(folder: Path, code: str) -> Path | None:
    """The readable region file with this code, if any. A file that cannot be parsed is passed
    over: ``new`` only adds a file, the build reports the broken one at its line (and a duplicate
    code once it is fixed), and one broken file must not stop an editor adding another region."""
    return next((f.path for f in region_files(folder, Problems(folder)) if f.code == code), None)
