"""A quick "this value meets its schema", which never says so of a value that does not.

validate.check asks jsonschema for every failure in a file, with its path, so that each one is
explained to the editor on its own line. Most files have none, and importing jsonschema (with
referencing, attrs and the metaschemas it reads) costs 60-130 ms, a third of a build after one
title or region edit; its walk over a valid file costs several times this module's. ``conforms``
walks the schema itself, for the keywords schemas.py uses, and answers True only when
jsonschema's Draft 2020-12 validator with the types below would report nothing. Whenever it is
unsure (a keyword or a type it does not reason about, a list of values of mixed types) it answers
False, and jsonschema decides: a False is never reported as a problem by itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any


def is_date(value: Any) -> bool:
    """A day as YAML reads ``2021-12-31`` (a date with a time is not one)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def is_string(value: Any) -> bool:
    """Text (only text: jsonschema's default is the same)."""
    return isinstance(value, str)


def is_integer(value: Any) -> bool:
    """A whole number as YAML reads one: 2017, never 2017.0 (jsonschema's default accepts that
    float, which would then show as '2017.0' in addresses and data files) nor true/false."""
    return isinstance(value, int) and not isinstance(value, bool)


REDEFINED: dict[str, Callable[[Any], bool]] = {
    "date": is_date, "string": is_string, "integer": is_integer}
"""The types validate.py gives jsonschema in place of (or beside) its own."""

_TYPES: dict[str, Callable[[Any], bool]] = {
    **REDEFINED,
    "number": lambda v: type(v) is int or type(v) is float,  # jsonschema: any Number but bool
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_NOT_NUMBERS = (str, bool, type(None), list, dict, dt.date)
"""Types no numeric keyword applies to (jsonschema's "number" is numbers.Number but not bool),
with their subclasses (the YAML loader's LineDict and LineList)."""
_PLAIN = frozenset((str, int, bool, type(None)))
"""Types whose values jsonschema's ``enum`` compares as Python's == does, within one type."""
_ANNOTATIONS = frozenset(("title", "description", "x-message", "x-removed", "x-unknown"))
"""Keywords that validate nothing (schemas.py's own are for the messages of validate.py)."""


def conforms(value: Any, schema: Any) -> bool:
    """True when ``value`` certainly meets ``schema``; False when it does not, or may not."""
    if schema is True:
        return True
    if type(schema) is not dict:
        return False  # the schema False, or something that is not a schema
    for keyword, wanted in schema.items():
        test = _KEYWORDS.get(keyword)
        if test is None:
            if keyword in _ANNOTATIONS:
                continue
            return False  # a keyword this module does not know: jsonschema decides
        if not test(value, wanted, schema):
            return False
    return True


def _type(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    kinds = wanted if type(wanted) is list else [wanted]
    return all(k in _TYPES for k in kinds) and any(_TYPES[k](value) for k in kinds)


def _enum(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    kind = type(value)
    return kind in _PLAIN and type(wanted) is list and any(
        type(option) is kind and option == value for option in wanted)


def _number(fails: Callable[[Any, Any], bool]) -> Callable[[Any, Any, dict[str, Any]], bool]:
    """A numeric bound: ``fails(value, bound)`` as jsonschema compares them."""

    def test(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
        kind = type(value)
        if kind is int or kind is float:
            return not fails(value, wanted)
        return isinstance(value, _NOT_NUMBERS)  # the bound does not apply (else: unsure)

    return test


def _pattern(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, str) or re.search(wanted, value) is not None


def _min_length(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, str) or len(value) >= wanted


def _max_length(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, str) or len(value) <= wanted


def _min_items(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, list) or len(value) >= wanted


def _max_items(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, list) or len(value) <= wanted


def _unique_items(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    if not wanted or not isinstance(value, list):
        return True
    # texts are equal exactly when == says so; other values (1 and 1.0 and True) are unsure
    return all(type(v) is str for v in value) and len(set(value)) == len(value)


def _items(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    if not isinstance(value, list):
        return True
    return all(conforms(v, wanted) for v in value)  # (prefixItems, unknown here: unsure)


def _required(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, dict) or all(name in value for name in wanted)


def _properties(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, dict) or all(
        conforms(value[name], sub) for name, sub in wanted.items() if name in value)


def _additional(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    if not isinstance(value, dict):
        return True
    known = schema.get("properties", {})  # (patternProperties, unknown here: unsure)
    extras = [name for name in value if name not in known]
    if isinstance(wanted, dict):
        return all(conforms(value[name], wanted) for name in extras)
    return bool(wanted) or not extras


def _property_names(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return not isinstance(value, dict) or all(conforms(name, wanted) for name in value)


def _any_of(value: Any, wanted: Any, schema: dict[str, Any]) -> bool:
    return any(conforms(value, sub) for sub in wanted)


_KEYWORDS: dict[str, Callable[[Any, Any, dict[str, Any]], bool]] = {
    "type": _type, "enum": _enum, "pattern": _pattern,
    "minimum": _number(lambda v, bound: v < bound), "maximum": _number(lambda v, bound: v > bound),
    "minLength": _min_length, "maxLength": _max_length, "minItems": _min_items,
    "maxItems": _max_items, "uniqueItems": _unique_items, "items": _items, "required": _required,
    "properties": _properties, "additionalProperties": _additional,
    "propertyNames": _property_names, "anyOf": _any_of,
}
"""Each keyword's test: True when it reports nothing for the value, as jsonschema's does."""
