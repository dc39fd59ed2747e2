"""Whether a value satisfies an OpenAPI 3.0 schema, as Prism reads it: the argument builder's judge.

A subset of JSON Schema, enough to tell whether a description's example keeps its own schema
(some do not: logpush's ``kind: ""``, a variant ``id`` outside its pattern) and which ``oneOf``
branch a value satisfies alone: ``type`` (``nullable``), ``enum``, ``required``, ``properties``,
``additionalProperties: false``, ``items``, ``minItems``, string lengths and ``pattern``, numeric
bounds, ``allOf``/``anyOf``/``oneOf`` and local ``$ref``s.  Unknown keywords pass.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["satisfies"]

_REF_PREFIX = "#/components/schemas/"
_MAX_DEPTH = 24
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _type_ok(value: object, kind: object) -> bool:
    if not isinstance(kind, str) or kind not in _TYPES:
        return True
    if isinstance(value, bool) and kind != "boolean":
        return False
    if kind == "integer" and isinstance(value, float):
        return value.is_integer()
    return isinstance(value, _TYPES[kind])


def _string_ok(value: str, schema: dict[str, Any]) -> bool:
    low, high, pattern = schema.get("minLength"), schema.get("maxLength"), schema.get("pattern")
    if (isinstance(low, int) and len(value) < low) or (isinstance(high, int) and len(value) > high):
        return False
    try:
        return not isinstance(pattern, str) or re.search(pattern, value) is not None
    except re.error:
        return True  # a pattern Python cannot read: not ours to judge


def _number_ok(value: float, schema: dict[str, Any]) -> bool:
    low, high = schema.get("minimum"), schema.get("maximum")
    if isinstance(low, int | float) and (value < low or (schema.get("exclusiveMinimum") is True and value == low)):
        return False
    return not (
        isinstance(high, int | float) and (value > high or (schema.get("exclusiveMaximum") is True and value == high))
    )


def _resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    for _ in range(_MAX_DEPTH):
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return schema
        target = components.get(ref.removeprefix(_REF_PREFIX))
        schema = target if isinstance(target, dict) else {}
    return schema


def _object_ok(value: dict[str, Any], schema: dict[str, Any], components: dict[str, Any], depth: int) -> bool:
    declared = schema.get("properties")
    properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
    for name in schema.get("required") or []:
        declared_here = properties.get(name)
        read_only = isinstance(declared_here, dict) and _resolved(declared_here, components).get("readOnly") is True
        if name not in value and not read_only:  # a request need not send a readOnly property
            return False
    for name, item in value.items():
        if name in properties:
            if not satisfies(item, properties[name], components, depth + 1):
                return False
        elif schema.get("additionalProperties") is False or (
            isinstance(schema.get("additionalProperties"), dict)
            and not satisfies(item, schema["additionalProperties"], components, depth + 1)
        ):
            return False
    return True


def _composition_ok(value: object, schema: dict[str, Any], components: dict[str, Any], depth: int) -> bool:
    if any(not satisfies(value, part, components, depth + 1) for part in schema.get("allOf") or []):
        return False
    if isinstance(schema.get("anyOf"), list) and not any(
        satisfies(value, part, components, depth + 1) for part in schema["anyOf"]
    ):
        return False
    if isinstance(schema.get("oneOf"), list):
        return sum(satisfies(value, part, components, depth + 1) for part in schema["oneOf"]) == 1
    return True


def satisfies(value: object, schema: Any, components: dict[str, Any], depth: int = 0) -> bool:
    """Whether ``value`` satisfies ``schema`` (``components``: ``#/components/schemas``)."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return True
    if isinstance(schema.get("$ref"), str):
        return satisfies(value, components.get(schema["$ref"].removeprefix(_REF_PREFIX)), components, depth + 1)
    if value is None:
        return schema.get("nullable") is True or not schema.get("type") or None in (schema.get("enum") or [])
    if not _type_ok(value, schema.get("type")):
        return False
    if isinstance(schema.get("enum"), list) and value not in schema["enum"]:
        return False
    if isinstance(value, str) and not _string_ok(value, schema):
        return False
    if isinstance(value, int | float) and not isinstance(value, bool) and not _number_ok(value, schema):
        return False
    if isinstance(value, list):
        if isinstance(schema.get("minItems"), int) and len(value) < schema["minItems"]:
            return False
        if not all(satisfies(item, schema.get("items"), components, depth + 1) for item in value):
            return False
    if isinstance(value, dict) and not _object_ok(value, schema, components, depth):
        return False
    return _composition_ok(value, schema, components, depth)
