"""Interface strings and locale formatting: one catalogue per language, dates and numbers by CLDR.

Templates never hard-code interface text: they call ``t('key')``. The catalogue is
``templates/strings/<lang>.yaml`` (a site's own templates may override single keys). Dates and
numbers go through Babel, so "31 Desember 2021" and "1.234" are correct by construction.

A string that counts something may give one text per CLDR plural category of its language
(``one:``/``other:`` in English; Indonesian needs only one), chosen by its ``count`` value:

    tag_count:
      one: "{count} news item"
      other: "{count} news items"
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from .errors import Problems
from .load import read_yaml
from .yamlsafe import line_of


class Catalogue:
    """Interface strings of one language, with ``{name}`` placeholders."""

    def __init__(self, language: str, strings: dict[str, Text],
                 fallback: dict[str, Text] | None = None):
        self.language = language
        self.strings = strings
        self.fallback = fallback or {}
        """The default language's strings, shown where a translation lacks a key (see check)."""
        self.missing: set[str] = set()

    def __call__(self, key: str, **values: Any) -> str:
        """The string for ``key`` with placeholders filled; a missing key is recorded, not fatal."""
        text = self.strings.get(key)
        if text is None:
            text = self.fallback.get(key)
        if text is None:
            self.missing.add(key)
            return key
        if isinstance(text, dict):
            text = text.get(self.plural(values.get("count", 0)), text["other"])
        return text.format(**values) if values else text

    def plural(self, count: Any) -> str:
        """The CLDR plural category ('one', 'other', …) of a count, given as a number or as text
        this catalogue's ``number`` wrote."""
        if isinstance(count, str):
            try:
                count = parse_decimal(count, locale=self.language)
            except NumberFormatError:
                return "other"
        return Locale.parse(self.language).plural_form(count)

    def date(self, value: dt.date, form: str = "long") -> str:
        """'31 Desember 2021' (long) or '31 Des 2021' (medium)."""
        pattern = {"long": "d MMMM y", "medium": "d MMM y", "month": "MMMM y"}[form]
        return format_date(value, pattern, locale=self.language)

    def number(self, value: float) -> str:
        """'1.234' in Indonesian, '1,234' in English."""
        return format_decimal(value, locale=self.language)


Text = str | dict[str, str]
"""A catalogue entry: one text, or one text per plural category."""

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def load_catalogue(language: str, template_dirs: list[Path], problems: Problems,
                   fallback: Catalogue | None = None) -> Catalogue:
    """Merge the catalogues found in the template folders; earlier folders win.

    With ``fallback`` (the default language's catalogue), keys this language lacks show the
    default language's text instead of failing the build; ``check`` lists them.
    """
    strings: dict[str, Text] = {}
    for folder in reversed(template_dirs):
        path = folder / "strings" / f"{language}.yaml"
        if os.path.lexists(path):  # read_yaml refuses a pipe or a folder of that name, saying so
            data = read_yaml(path, problems)
            if isinstance(data, dict):
                strings.update({str(k): _entry(path, line_of(data, [k]), str(k), v, problems)
                                for k, v in data.items()})
            elif data is not None:
                problems.add(path, 1, "must be 'key: text' lines")
    return Catalogue(language, strings, fallback.strings if fallback else None)


def _entry(path: Path, line: int | None, key: str, value: Any, problems: Problems) -> Text:
    """One catalogue entry: a text, or plural forms with at least 'other'."""
    if not isinstance(value, dict):
        return str(value)
    forms = {str(k): str(v) for k, v in value.items()}
    wrong = sorted(set(forms) - set(PLURAL_CATEGORIES))
    if wrong or "other" not in forms:
        problems.add(path, line,
                     f"'{key}' lists plural forms, which must include 'other' and may only be "
                     f"{', '.join(PLURAL_CATEGORIES)}" + (f" (not {', '.join(wrong)})" if wrong else ""))
        return forms.get("other", key)
    return forms
