"""Interface strings and locale formatting: one catalogue per language, dates and numbers by CLDR.

Templates never hard-code interface text: they call ``t('key')``. The catalogue is
``templates/strings/<lang>.yaml`` (a site's own templates may override single keys). Dates and
numbers go through Babel, so "31 Desember 2021" and "1.234" are correct by construction.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from .errors import Problems
from .load import read_yaml


class Catalogue:
    """Interface strings of one language, with ``{name}`` placeholders."""

    def __init__(self, language: str, strings: dict[str, str]):
        self.language = language
        self.strings = strings
        self.missing: set[str] = set()

    def __call__(self, key: str, **values: Any) -> str:
        """The string for ``key`` with placeholders filled; a missing key is recorded, not fatal."""
        text = self.strings.get(key)
        if text is None:
            self.missing.add(key)
            return key
        return text.format(**values) if values else text

    def date(self, value: dt.date, form: str = "long") -> str:
        """'31 Desember 2021' (long) or '31 Des 2021' (medium)."""
        pattern = {"long": "d MMMM y", "medium": "d MMM y", "month": "MMMM y"}[form]
        return format_date(value, pattern, locale=self.language)

    def number(self, value: float) -> str:
        """'1.234' in Indonesian."""
        return format_decimal(value, locale=self.language)


def load_catalogue(language: str, template_dirs: list[Path], problems: Problems) -> Catalogue:
    """Merge the catalogues found in the template folders; earlier folders win."""
    strings: dict[str, str] = {}
    for folder in reversed(template_dirs):
        path = folder / "strings" / f"{language}.yaml"
        if path.is_file():
            data = read_yaml(path, problems)
            if isinstance(data, dict):
                strings.update({str(k): str(v) for k, v in data.items()})
            elif data is not None:
                problems.add(path, 1, "must be 'key: text' lines")
    return Catalogue(language, strings)
