"""Interface strings and locale formatting: one catalogue per language, dates and numbers by CLDR.

Templates never hard-code interface text: they call ``t('key')``. The catalogue is
``templates/strings/<lang>.yaml`` (a site's own templates may override single keys). Dates and
numbers go through Babel, so "31 Desember 2021" and "1.234" are correct by construction.

A string that counts something may give one text per CLDR plural category of its language
(``one:``/``other:`` in English; Indonesian needs only one), chosen by its ``count`` value:

    tag_count:
      one: "{count} news item"
      other: "{count} news items"

Placeholders are ``{name}`` and nothing else: no format specs, attributes or indexes (a string
is text an editor may override, not code), and every string is checked when it is loaded, so a
mistake is reported at its line in the strings file. What a string may use is what the built-in
string of the same key uses.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from kotacerdas.core.errors import Problems
from kotacerdas.content.parsecache import ParseCache
from kotacerdas.content.read import read_yaml
from kotacerdas.content.yamlsafe import line_of


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
        return fill(text, values) if values else text

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
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_NOT_PLACEHOLDER = re.compile(r"\{[^{}\n]{0,40}\}?|\}")


def fill(text: str, values: dict[str, Any]) -> str:
    """Put values into the text's {name} placeholders; nothing else in it is interpreted."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def load_catalogue(language: str, template_dirs: list[Path], problems: Problems,
                   fallback: Catalogue | None = None, parsed: ParseCache | None = None) -> Catalogue:
    """Merge the catalogues found in the template folders; earlier folders win.

    The last folder's catalogue (the built-in one) also says which placeholders each string is
    given; a string of another folder that uses a different one is a problem.
    With ``fallback`` (the default language's catalogue), keys this language lacks show the
    default language's text instead of failing the build; ``check`` lists them. ``parsed`` is the
    parse cache of earlier builds (parsecache.py).
    """
    strings: dict[str, Text] = {}
    given: dict[str, set[str]] = {}
    for i, folder in enumerate(reversed(template_dirs)):
        path = folder / "strings" / f"{language}.yaml"
        if os.path.lexists(path):  # read_yaml refuses a pipe or a folder of that name, saying so
            data = read_yaml(path, problems, parsed=parsed)
            if isinstance(data, dict):
                entries = {str(k): _entry(path, data, k, problems, given if i else None)
                           for k in data}
                strings.update(entries)
                if i == 0:
                    given = {k: _placeholders(v) for k, v in entries.items()}
            elif data is not None:
                problems.add(path, 1, "must be 'key: text' lines")
    return Catalogue(language, strings, fallback.strings if fallback else None)


def _entry(path: Path, data: Any, key: Any, problems: Problems,
           given: dict[str, set[str]] | None) -> Text:
    """One catalogue entry: a text, or plural forms with at least 'other', each with valid
    placeholders."""
    value, name = data[key], str(key)
    if not isinstance(value, dict):
        _check_text(path, line_of(data, [key]), name, str(value), problems, given)
        return str(value)
    forms = {str(k): str(v) for k, v in value.items()}
    for form, text in forms.items():
        _check_text(path, line_of(data, [key, form]), name, text, problems, given)
    wrong = sorted(set(forms) - set(PLURAL_CATEGORIES))
    if wrong or "other" not in forms:
        problems.add(path, line_of(data, [key]),
                     f"'{name}' lists plural forms, which must include 'other' and may only be "
                     f"{', '.join(PLURAL_CATEGORIES)}" + (f" (not {', '.join(wrong)})" if wrong else ""))
        return forms.get("other", name)
    return forms


def _placeholders(entry: Text) -> set[str]:
    """The placeholder names an entry uses, in any of its forms."""
    texts = entry.values() if isinstance(entry, dict) else [entry]
    return {name for text in texts for name in _PLACEHOLDER.findall(text)}


def _check_text(path: Path, line: int, key: str, text: str, problems: Problems,
                given: dict[str, set[str]] | None) -> None:
    """Report braces that are not a {name} placeholder, and names the string is not given."""
    stray = _NOT_PLACEHOLDER.search(_PLACEHOLDER.sub("", text))
    if stray:
        problems.add(path, line, f"'{key}' contains '{stray.group()}', which is not a "
                                 "placeholder: placeholders are written {name} only, without "
                                 "':', '.', '[' or '!' (e.g. {count}); other braces cannot be used")
    if given is None or key not in given:
        return
    unknown = sorted(set(_PLACEHOLDER.findall(text)) - given[key])
    if unknown:
        known = ", ".join(f"{{{n}}}" for n in sorted(given[key])) or "no placeholders"
        problems.add(path, line, f"'{key}' uses {', '.join(f'{{{n}}}' for n in unknown)}, which "
                                 f"this string is not given; it can use {known}")
