"""Check loaded YAML against a schema and turn every failure into an editor-friendly problem.

A value that certainly meets its schema (conforms.py) is not shown to jsonschema at all;
jsonschema is imported for the first file that may not, to name each of its failures. A rebuild
whose files are all valid, or all come from the parse cache (parsecache.py), never imports it.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Iterator

from kotacerdas.core.errors import Problems
from kotacerdas.content.conforms import REDEFINED, conforms
from kotacerdas.content.yamlsafe import line_of


if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator


@cache
def _validator_class() -> type[Validator]:
    """JSON Schema 2020-12 with YAML's dates as a type of their own, strings only as text and
    integers only as Python ints."""
    from jsonschema import Draft202012Validator, validators

    types = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {name: _checker(test) for name, test in REDEFINED.items()})
    extended: type[Validator] = validators.extend(  # type: ignore[no-untyped-call]  # no stub types
        Draft202012Validator, type_checker=types)
    return extended


def _checker(test: Callable[[Any], bool]) -> Callable[[Any, Any], bool]:
    """A type test as jsonschema's TypeChecker calls it (with the checker first)."""
    return lambda checker, value: test(value)


_cache: dict[int, Validator] = {}

_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number",
               "array": "a list", "object": "a set of 'field: value' lines",
               "boolean": "true or false", "date": "a date written YYYY-MM-DD", "null": "empty"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/on/off as true/false; put text in quotes)"
    if isinstance(value, dt.datetime):
        return "a date with a time"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text '{value[:60]}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return type(value).__name__


def _field(path: Any) -> str:
    parts = [str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in path]
    text = ".".join(parts).replace(".[", " [")
    return f"'{text}'" if text else "the file"


def _schema(err: ValidationError) -> Mapping[str, Any]:
    """The (sub)schema that failed: ours are all objects, never a bare true/false schema."""
    return err.schema if isinstance(err.schema, Mapping) else {}


def _message(err: ValidationError) -> str:
    where = _field(err.absolute_path)
    schema = _schema(err)
    custom = schema.get("x-message")
    if err.validator == "required":
        missing = err.message.split("'")[1]
        desc = schema.get("properties", {}).get(missing, {}).get("description", "")
        hint = f" ({desc})" if desc else ""
        return f"missing required field '{missing}'{hint}; add it"
    if err.validator in ("pattern", "anyOf") and custom:
        return f"{where} {custom} (got {_describe(err.instance)})"
    if err.validator == "type":
        expected = err.validator_value
        kinds: list[str] = expected if isinstance(expected, list) else [str(expected)]
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in kinds)
        tip = ""
        if expected == "string" and isinstance(err.instance, (int, float)) \
                and not isinstance(err.instance, bool):
            tip = "; put the value in quotes"
        if expected == "date" and isinstance(err.instance, str):
            tip = "; write a real date as YYYY-MM-DD, e.g. 2021-12-31"
        if expected == "integer" and isinstance(err.instance, float):
            tip = "; write it without a decimal point"
        if custom:
            return f"{where} {custom} (got {_describe(err.instance)})"
        return f"{where} must be {names}, not {_describe(err.instance)}{tip}"
    if err.validator == "enum" and isinstance(err.validator_value, list):
        options = ", ".join(str(v) for v in err.validator_value)
        return f"{where} must be one of: {options} (got {_describe(err.instance)})"
    if err.validator == "minLength":
        return f"{where} must not be empty"
    if err.validator in ("minimum", "maximum"):
        return (f"{where} must be between {schema.get('minimum')} and {schema.get('maximum')} "
                f"(got {err.instance})")
    if err.validator == "uniqueItems":
        return f"{where} lists the same value twice; remove the repeat"
    if err.validator in ("minItems", "maxItems"):
        lo, hi = schema.get("minItems"), schema.get("maxItems")
        size = f"exactly {lo}" if lo == hi else (
            f"at least {lo}" if err.validator == "minItems" else f"at most {hi}")
        return f"{where} must have {size} item(s)"
    return f"{where}: {err.message}"


def _leaves(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    """Prefer the most specific error of an anyOf unless the anyOf carries its own message."""
    for err in errors:
        if err.validator == "anyOf" and not _schema(err).get("x-message") and err.context:
            yield from _leaves(iter(err.context))
        else:
            yield err


def check(data: Any, schema: dict[str, Any], problems: Problems, path: Any) -> bool:
    """Validate ``data``; record each failure with its line; return True when valid."""
    if conforms(data, schema):
        return True
    validator = _cache.get(id(schema))
    if validator is None:
        validator = _cache[id(schema)] = _validator_class()(schema)
    ok = True
    errors = _leaves(validator.iter_errors(data))
    for err in sorted(errors, key=lambda e: [str(p) for p in e.absolute_path]):
        ok = False
        if err.validator == "additionalProperties":
            _unknown_fields(data, err, problems, path)
        else:
            problems.add(path, line_of(data, err.absolute_path), _message(err))
    return ok


def _unknown_fields(data: Any, err: ValidationError, problems: Problems, path: Any) -> None:
    """One problem per unknown field, on its own line, suggesting the closest allowed name; a
    field the format no longer has (``x-removed``) says what to write instead."""
    schema = _schema(err)
    allowed = sorted(schema.get("properties", {}))
    removed = schema.get("x-removed", {})
    fields = err.instance if isinstance(err.instance, Mapping) else {}  # the failing object
    for name in sorted(set(fields) - set(allowed), key=str):
        line = line_of(data, [*err.absolute_path, name])
        if name in removed:
            problems.add(path, line, f"'{name}' is no longer used; {removed[name]}")
            continue
        near = difflib.get_close_matches(str(name), allowed, n=1)
        tip = f"did you mean '{near[0]}'? " if near else ""
        hint = schema.get("x-unknown") or f"{tip}allowed fields: {', '.join(allowed)}"
        problems.add(path, line, f"unknown field '{name}'; {hint}")
