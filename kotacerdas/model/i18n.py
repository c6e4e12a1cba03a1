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
is text an editor may override, not code). The files are read and every string is checked by the
content stage (``content/strings.py``), so a mistake is reported at its line in the strings file
before any model is built; this module only looks strings up and formats them. Babel is imported
with the first date, number or plural category asked for (``_babel``), so a build that renders
nothing does not pay for it; and what earlier builds formatted comes back from the build cache
(``Formats``), so a build that renders only pages whose dates and numbers were shown before,
an edited announcement's, does not import Babel or load a locale's data at all.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kotacerdas.content.strings import PLACEHOLDER, Text

if TYPE_CHECKING:
    from types import ModuleType


@functools.cache
def _babel() -> ModuleType:
    """Babel with the modules the catalogue calls (``dates``, ``numbers``): the one place it is
    imported."""
    import babel.dates
    import babel.numbers

    return babel


class Formats:
    """Dates, numbers and plural categories as CLDR formats them, by what was formatted (a name
    holding the kind, language, pattern and value: ``Catalogue``), kept from one build to the
    next (build/cache.py signs them with the code digest, which names Babel's version; each is
    a pure function of its name). ``known`` is what earlier builds made; ``used`` what this
    build asked for, in the order it first did (``fresh``: how a forked worker hands back its
    own, render/renderer.render_page)."""

    def __init__(self, known: Mapping[str, Any] | None = None) -> None:
        self.known = {k: v for k, v in (known or {}).items() if type(v) is str}
        self.used: dict[str, str] = {}
        self.fresh: list[tuple[str, str]] = []

    def get(self, name: str, make: Callable[[], str]) -> str:
        """The text ``name`` stands for: this build's, an earlier build's, else ``make()``."""
        text = self.used.get(name)
        if text is None:
            text = self.known.get(name)
            if text is None:
                text = make()
            self.used[name] = text
            self.fresh.append((name, text))
        return text

    def adopt(self, made: Iterable[tuple[str, str]]) -> None:
        """What another process asked for while it worked for this one (``fresh`` there)."""
        for name, text in made:
            if name not in self.used:
                self.used[name] = text
                self.fresh.append((name, text))

    def live(self, everything: bool) -> dict[str, str]:
        """What to keep for the next build: what this one asked for, when it made ``everything``
        (every page and file asked for its own), else the earlier builds' too."""
        return dict(self.used) if everything else {**self.known, **self.used}


class Catalogue:
    """Interface strings of one language, with ``{name}`` placeholders."""

    def __init__(self, language: str, strings: dict[str, Text],
                 fallback: dict[str, Text] | None = None, formats: Formats | None = None):
        self.language = language
        self.strings = strings
        self.fallback = fallback or {}
        """The default language's strings, shown where a translation lacks a key (see check)."""
        self.missing: set[str] = set()
        self.formats = formats if formats is not None else Formats()
        self._made: dict[tuple[Any, ...], str] = {}
        """Each format asked for, by its value's own key: a lookup is all a repeat costs."""

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
        return self._format(("p", type(count), count), f"p\0{type(count).__name__}\0{count!r}",
                            lambda: _plural(count, self.language))

    def date(self, value: dt.date, form: str = "long") -> str:
        """'31 Desember 2021' (long) or '31 Des 2021' (medium)."""
        pattern = DATE_PATTERNS[form]
        return self._format(("d", value, pattern), f"d\0{pattern}\0{value.isoformat()}",
                            lambda: _date(value, pattern, self.language))

    def number(self, value: float) -> str:
        """'1.234' in Indonesian, '1,234' in English."""
        return self._format(("n", type(value), value), f"n\0{type(value).__name__}\0{value!r}",
                            lambda: _number(value, self.language))

    def _format(self, key: tuple[Any, ...], name: str, make: Callable[[], str]) -> str:
        """A format by ``key`` (its value with its type: 1 and 1.0 and True differ), kept in
        ``formats`` by ``name`` (with the language) from one build to the next."""
        text = self._made.get(key)
        if text is None:
            text = self._made[key] = self.formats.get(f"{self.language}\0{name}", make)
        return text


DATE_PATTERNS = {"long": "d MMMM y", "medium": "d MMM y", "month": "MMMM y"}

# CLDR formatting is a pure function of its arguments (Babel's locale data never changes while
# the program runs) and slow next to a dictionary lookup; a site shows the same dates and counts
# on many pages, and the preview formats them again on every save. Bounded caches, then.


@functools.lru_cache(maxsize=32)
def _locale(language: str) -> Any:
    return _babel().Locale.parse(language)


def _plural(count: Any, language: str) -> str:
    babel = _babel()
    if isinstance(count, str):
        try:
            count = babel.numbers.parse_decimal(count, locale=language)
        except babel.numbers.NumberFormatError:
            return "other"
    category: str = _locale(language).plural_form(count)
    return category


@functools.lru_cache(maxsize=16384, typed=True)
def _date(value: dt.date, pattern: str, language: str) -> str:
    text: str = _babel().dates.format_date(value, pattern, locale=language)
    return text


@functools.lru_cache(maxsize=16384, typed=True)
def _number(value: float, language: str) -> str:
    text: str = _babel().numbers.format_decimal(value, locale=language)
    return text


def fill(text: str, values: dict[str, Any]) -> str:
    """Put values into the text's {name} placeholders; nothing else in it is interpreted."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)
