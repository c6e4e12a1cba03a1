"""conforms: True only for what jsonschema (as validate.py sets it up) finds nothing wrong with.

The fast answer must never let through a value jsonschema would refuse, so every test here
compares the two on the same value and schema: the real site's files, the schemas' own edge
cases, and values mutated from real ones by hypothesis. It must also say True for the real
site's files, or the build would import jsonschema for nothing (tests/project/test_startup.py
checks that an edit does not import it).
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO
from kotacerdas.content import schemas, validate
from kotacerdas.content.conforms import conforms
from kotacerdas.content.load import load_site
from kotacerdas.core import parallel


def jsonschema_errors(value: Any, schema: dict[str, Any]) -> list[str]:
    """What jsonschema, as validate.check makes it, reports of ``value``."""
    return [e.message for e in validate._validator_class()(schema).iter_errors(value)]


def agrees(value: Any, schema: dict[str, Any]) -> bool:
    """conforms(value) implies jsonschema finds nothing (the one way they may differ is a
    False where jsonschema finds nothing: then jsonschema decides)."""
    return not conforms(value, schema) or jsonschema_errors(value, schema) == []


@pytest.fixture(scope="module")
def real_values() -> list[tuple[Any, dict[str, Any]]]:
    """Every (value, schema) the real site's load validates."""
    seen: list[tuple[Any, dict[str, Any]]] = []
    answer = validate.conforms

    def recording(value: Any, schema: Any) -> bool:
        seen.append((copy.deepcopy(value), schema))
        return answer(value, schema)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(validate, "conforms", recording)
        mp.setattr(parallel, "workers", lambda: 1)  # every file read here, where it is recorded
        load_site(REPO, dt.date(2100, 1, 1))
    return seen


def test_every_real_file_conforms_and_jsonschema_agrees(real_values: list[Any]) -> None:
    kinds = {id(schema) for _, schema in real_values}
    assert len(real_values) > 250 and {id(schemas.NEWS), id(schemas.REGION)} <= kinds
    for value, schema in real_values:
        assert conforms(value, schema), value
        assert jsonschema_errors(value, schema) == []


EDGES: list[tuple[Any, dict[str, Any]]] = [
    # the types validate.py gives jsonschema
    (2021, {"type": "integer"}), (2021.0, {"type": "integer"}), (True, {"type": "integer"}),
    (dt.date(2021, 1, 1), {"type": "date"}), (dt.datetime(2021, 1, 1), {"type": "date"}),
    ("2021-01-01", {"type": "date"}), (1, {"type": "number"}), (True, {"type": "number"}),
    (None, {"type": "null"}), ([], {"type": ["integer", "object"]}), ({}, {"type": ["integer", "object"]}),
    (1, {"type": "colour"}),
    # numeric bounds apply to numbers only, never to true/false
    (True, {"minimum": 2000}), (1999, {"minimum": 2000}), (2000.5, {"maximum": 2000}),
    ("1", {"minimum": 2000}), (dt.date(1999, 1, 1), {"minimum": 2000}), (float("nan"), {"minimum": 1}),
    (Decimal(1), {"minimum": 2000}), (Fraction(1, 2), {"maximum": 0}),  # numbers all the same
    # enum compares 1, 1.0 and true apart
    (1, {"enum": [True]}), (True, {"enum": [1]}), (1.0, {"enum": [1]}), ("id", {"enum": ["id", "en"]}),
    (None, {"enum": [None]}), (["id"], {"enum": [["id"]]}),
    # uniqueItems: 1 and 1.0 are the same item, 1 and true are not
    ([1, 1.0], {"uniqueItems": True}), ([1, True], {"uniqueItems": True}), (["a", "a"], {"uniqueItems": True}),
    (["a", "b"], {"uniqueItems": True}), (["a", "a"], {"uniqueItems": False}),
    # objects: required, properties, additionalProperties, propertyNames
    ({"a": 1}, {"required": ["b"]}), ({"a": 1}, {"additionalProperties": False, "properties": {"b": {}}}),
    ({"a": 1}, {"additionalProperties": {"type": "string"}}), ({"a": 1}, {"additionalProperties": True}),
    ({"a": 1}, {"additionalProperties": False, "patternProperties": {"^a$": {}}}),
    ({"en": 1}, {"propertyNames": {"enum": ["en"]}}), ({"fr": 1}, {"propertyNames": {"enum": ["en"]}}),
    ({"a": ""}, {"properties": {"a": {"minLength": 1}}}),
    # lists and strings
    ([1, "x"], {"items": {"type": "integer"}}), ([1], {"items": False}), ([], {"items": False}),
    ([1], {"prefixItems": [{}], "items": False}), ([], {"minItems": 1}), ([1, 2], {"maxItems": 1}),
    ("", {"minLength": 1}), ("ab", {"maxLength": 1}), ("kota-x\n", {"pattern": schemas.SLUG}),
    ("kota-x", {"pattern": schemas.SLUG}), (3, {"pattern": "^a$"}),
    # anyOf, boolean schemas, and a keyword conforms does not know
    ("x", {"anyOf": [{"type": "integer"}, {"minLength": 2}]}), ("xy", {"anyOf": [{"type": "integer"}, {"minLength": 2}]}),
    (1, True), (1, False), (1, {"multipleOf": 2}), ("a", {"format": "email"}),
    # the schemas' own shapes
    ({"url": "https://a.id"}, schemas.SOURCE), ({"publisher": "x"}, schemas.SOURCE),
    ("javascript:x", schemas.SOURCE), (2021, schemas.ROUND), (1999, schemas.ROUND),
    ({"year": 2021, "status": "later"}, schemas.ROUND),
]


@pytest.mark.parametrize(("value", "schema"), EDGES)
def test_an_edge_case_is_never_let_through(value: Any, schema: dict[str, Any]) -> None:
    assert agrees(value, schema)


def test_the_edge_cases_also_take_the_fast_answer_where_they_can() -> None:
    """Not only False: conforms answers True for the plain cases, as jsonschema does."""
    sure = [(v, s) for v, s in EDGES if conforms(v, s)]
    assert len(sure) >= 20
    assert conforms(["a", "b"], {"uniqueItems": True}) and not conforms([1, True], {"uniqueItems": True})


SCALARS = (st.none() | st.booleans() | st.integers(-5, 2200) | st.floats(allow_nan=False)
           | st.text(max_size=8) | st.sampled_from(["", "id", "en", "kota-bandung", "https://a.id/x",
                                                    "confirmed", "kota", "2021"])
           | st.dates(dt.date(1990, 1, 1), dt.date(2110, 1, 1)) | st.datetimes(dt.datetime(2000, 1, 1)))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6) | st.sampled_from(["url", "title", "year", "tags"]),
                                        inner, max_size=3), max_leaves=6)


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place inside ``value`` (a key of a mapping, an index of a list)."""
    found = [at]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*at, index))
    return found


def _mutate(value: Any, data: st.DataObject) -> Any:
    """``value`` with one place replaced, removed, repeated or given a new neighbour."""
    value = copy.deepcopy(value)
    path = data.draw(st.sampled_from(_paths(value)))
    if not path:
        return data.draw(VALUES)
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    how = data.draw(st.sampled_from(["replace", "remove", "repeat", "add"]))
    if how == "replace":
        parent[last] = data.draw(VALUES)
    elif how == "remove":
        del parent[last]
    elif how == "repeat" and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(parent[last]))
    elif isinstance(parent, dict):
        parent[data.draw(st.text(max_size=6))] = data.draw(VALUES)
    else:
        parent.append(data.draw(VALUES))
    return value


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mutated_real_value_is_let_through_only_when_jsonschema_agrees(
        real_values: list[Any], data: st.DataObject) -> None:
    value, schema = data.draw(st.sampled_from(real_values))
    for _ in range(data.draw(st.integers(1, 3))):
        value = _mutate(value, data)
    assert agrees(value, schema)
