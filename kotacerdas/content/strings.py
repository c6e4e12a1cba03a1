"""Interface strings as files: read and check ``templates/strings/<lang>.yaml`` of each
template folder.

The content stage reads them, so a mistake is reported at its line with the other content
problems, before any model is built; ``model/i18n.Catalogue`` then looks strings up and formats
them. A string is text an editor may override, not code: placeholders are ``{name}`` and nothing
else, and a string may use only the placeholders the built-in string of the same key uses.
A string that counts may give one text per CLDR plural category (``one:``/``other:``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from kotacerdas.content.parsecache import ParseCache
from kotacerdas.content.read import read_yaml, settled_stamp
from kotacerdas.content.yamlsafe import line_of
from kotacerdas.core.errors import Problems
from kotacerdas.core.memo import Memo

Text = str | dict[str, str]
"""A catalogue entry: one text, or one text per plural category."""

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
"""A placeholder, ``{name}``: the only thing in a string that is not shown as it is."""
_NOT_PLACEHOLDER = re.compile(r"\{[^{}\n]{0,40}\}?|\}")


def read_strings(language: str, template_dirs: list[Path], problems: Problems,
                 parsed: ParseCache | None = None, memo: Memo | None = None) -> dict[str, Text]:
    """One language's interface strings, merged from the template folders; earlier folders win.

    The last folder's file (the built-in one) also says which placeholders each string is
    given; a string of another folder that uses a different one is a problem. ``memo`` keeps
    the strings (and their problems) while every file they come from is settled and the same.
    """
    key = None if memo is None else _settled_key(language, template_dirs)
    if memo is None or key is None:
        return _read_strings(language, template_dirs, problems, parsed)
    return memo.checked(key, problems,
                        lambda found: _read_strings(language, template_dirs, found, parsed))


def _settled_key(language: str, template_dirs: list[Path]) -> tuple[object, ...] | None:
    """The strings' memo key: each folder's file by its settled stamp (or as absent); None
    when one changed too recently to be known by its stamp (content/read.settled_stamp)."""
    files: list[object] = []
    for folder in template_dirs:
        path = folder / "strings" / f"{language}.yaml"
        stamp = settled_stamp(path) if os.path.lexists(path) else (str(path), "absent")
        if stamp is None:
            return None
        files.append(stamp)
    return ("strings", language, *files)


def _read_strings(language: str, template_dirs: list[Path], problems: Problems,
                  parsed: ParseCache | None = None) -> dict[str, Text]:
    """read_strings, without the memo."""
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
    return strings


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
                     f"{', '.join(PLURAL_CATEGORIES)}"
                     + (f" (not {', '.join(wrong)})" if wrong else ""))
        return forms.get("other", name)
    return forms


def _placeholders(entry: Text) -> set[str]:
    """The placeholder names an entry uses, in any of its forms."""
    texts = entry.values() if isinstance(entry, dict) else [entry]
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def _check_text(path: Path, line: int, key: str, text: str, problems: Problems,
                given: dict[str, set[str]] | None) -> None:
    """Report braces that are not a {name} placeholder, and names the string is not given."""
    stray = _NOT_PLACEHOLDER.search(PLACEHOLDER.sub("", text))
    if stray:
        problems.add(path, line, f"'{key}' contains '{stray.group()}', which is not a "
                                 "placeholder: placeholders are written {name} only, without "
                                 "':', '.', '[' or '!' (e.g. {count}); other braces cannot be used")
    if given is None or key not in given:
        return
    unknown = sorted(set(PLACEHOLDER.findall(text)) - given[key])
    if unknown:
        known = ", ".join(f"{{{n}}}" for n in sorted(given[key])) or "no placeholders"
        problems.add(path, line, f"'{key}' uses {', '.join(f'{{{n}}}' for n in unknown)}, which "
                                 f"this string is not given; it can use {known}")
