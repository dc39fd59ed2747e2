"""Argument values built from the description alone: examples first, then enums, defaults, formats, patterns.

Bodies hold the required properties only (and the description's example when it has one): what
a caller who read nothing but the description would send.
"""

from __future__ import annotations

import re
from typing import Any

from clientgen.conformance.check import satisfies

__all__ = ["parameter_value", "schema_value"]

_REF_PREFIX = "#/components/schemas/"
_IDENTIFIER = "023e105f4ecef8ad9ca31a8372d0c353"
_FORMATS: dict[str, object] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "uuid": "f174e90a-fafe-4643-bbbc-4a0ed4fc8415",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "binary": "",
    "byte": "",
}
_STRING_CANDIDATES = (_IDENTIFIER, "example", "example.com", "1", "a", "ab", "abc", "192.0.2.1", "2024-01-01")
_MAX_DEPTH = 12


def _resolve(schema: Any, components: dict[str, Any]) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < _MAX_DEPTH:
        target = components.get(schema["$ref"].removeprefix(_REF_PREFIX), {})
        schema = {**target, **{key: value for key, value in schema.items() if key != "$ref"}}
        seen += 1
    return schema


def _merged(schema: dict[str, Any], components: dict[str, Any], depth: int) -> dict[str, Any]:
    """``allOf`` read as one schema (properties and ``required`` united): how the source composes PATCH bodies."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or depth > _MAX_DEPTH:
        return schema
    merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in [*parts, merged]:
        flat = _merged(_resolve(part, components), components, depth + 1) if isinstance(part, dict) else {}
        properties.update(flat.get("properties") or {})
        required += [name for name in flat.get("required") or [] if name not in required]
        merged = {**{key: value for key, value in flat.items() if key not in {"properties", "required"}}, **merged}
    return {**merged, "properties": properties, "required": required} if properties or required else merged


def _example(schema: dict[str, Any]) -> tuple[bool, Any]:
    if "example" in schema:
        return True, schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return True, examples[0]
    return False, None


def _string(schema: dict[str, Any]) -> str:
    pattern, low, high = schema.get("pattern"), schema.get("minLength", 0), schema.get("maxLength")
    candidates = [_FORMATS[schema["format"]]] if schema.get("format") in _FORMATS else []
    candidates += list(_STRING_CANDIDATES)
    for candidate in candidates:
        text = str(candidate)
        if len(text) < low or (isinstance(high, int) and len(text) > high):
            continue
        try:
            if isinstance(pattern, str) and re.search(pattern, text) is None:
                continue
        except re.error:
            pass
        return text
    return "a" * max(int(low), 1)


def _number(schema: dict[str, Any], *, integer: bool) -> int | float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    value = low if isinstance(low, int | float) and not isinstance(low, bool) else 1
    if schema.get("exclusiveMinimum") is True or (isinstance(schema.get("exclusiveMinimum"), int | float)):
        value += 1
    high = schema.get("maximum")
    if isinstance(high, int | float) and not isinstance(high, bool) and value > high:
        value = high
    return int(value) if integer else value


def _branch_candidates(branch: Any, beside: dict[str, Any], components: dict[str, Any], depth: int) -> list[Any]:
    """A branch's values: required properties, then all; a branch naming only ``required`` uses the outer properties."""
    resolved = _resolve(branch, components)
    if isinstance(resolved, dict) and isinstance(beside.get("properties"), dict):
        declared = resolved.get("properties")
        own: dict[str, Any] = declared if isinstance(declared, dict) else {}
        resolved = {**resolved, "properties": {**beside["properties"], **own}}
    return [schema_value(resolved, components, depth + 1, full=full) for full in (False, True)]


def _union_value(schema: dict[str, Any], components: dict[str, Any], depth: int) -> tuple[bool, Any]:
    """(found, value): the first candidate that satisfies the whole schema (for ``oneOf``: one branch alone).

    Each branch is tried with its required properties, then with all of them (a branch's tag is
    often optional); with both ``oneOf`` and ``anyOf`` (merged from an ``allOf``), every pair is
    tried; properties beside the unions join each candidate.
    """
    keys = [key for key in ("oneOf", "anyOf") if isinstance(schema.get(key), list) and schema[key]]
    if not keys:
        return False, None
    beside = {name: value for name, value in schema.items() if name not in {"oneOf", "anyOf", "example", "examples"}}
    outer = _object_value(beside, components, depth, full=False) if "properties" in beside else None
    candidates: list[Any] = [outer if isinstance(outer, dict) else None]
    for key in keys:
        branch_values = [
            value for branch in schema[key] for value in _branch_candidates(branch, beside, components, depth)
        ]
        candidates = [
            {**base, **value} if isinstance(base, dict) and isinstance(value, dict) else value
            for base in candidates
            for value in branch_values
        ]
    for candidate in candidates:
        if satisfies(candidate, schema, components):
            return True, candidate
    return True, candidates[0]


def _object_value(schema: dict[str, Any], components: dict[str, Any], depth: int, *, full: bool) -> dict[str, Any]:
    properties = schema.get("properties") or {}
    names = list(properties) if full else [name for name in schema.get("required") or [] if isinstance(name, str)]
    properties = {**{name: {} for name in names}, **properties}  # a required name without a declaration: any value
    return {
        name: schema_value(properties[name], components, depth + 1, full=full)
        for name in names
        if not _resolve(properties[name], components).get("readOnly")
    }


def schema_value(schema: Any, components: dict[str, Any], depth: int = 0, *, full: bool = False) -> Any:
    """A value the schema accepts, from the schema alone (``full``: objects with every property, not only required).

    An example is taken when it satisfies its own schema (some do not).
    """
    schema = _resolve(schema, components)
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    schema = _merged(schema, components, depth)
    found, example = _example(schema)
    if found and satisfies(example, schema, components):
        return example
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if "default" in schema and satisfies(schema["default"], schema, components):
        return schema["default"]
    kind = schema.get("type") or ("array" if "items" in schema else None)  # items alone: Prism reads an array
    found, value = (False, None) if kind == "array" else _union_value(schema, components, depth)
    if found:
        return value
    if kind == "string":
        return _string(schema)
    if kind in {"integer", "number"}:
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        return [schema_value(schema.get("items", {}), components, depth + 1) for _ in range(count)]
    if kind == "object" or "properties" in schema or "required" in schema:
        return _object_value(schema, components, depth, full=full)
    return example if found else "example"


def parameter_value(parameter: dict[str, Any], components: dict[str, Any]) -> Any:
    """A parameter's value: its example when that satisfies its schema (some do not), else one from the schema."""
    schema = _resolve(parameter.get("schema", {}), components)
    candidates = [parameter["example"]] if "example" in parameter else []
    examples = parameter.get("examples")
    if isinstance(examples, dict):
        candidates += [item["value"] for item in examples.values() if isinstance(item, dict) and "value" in item]
    for candidate in candidates:
        if satisfies(candidate, schema, components):
            return candidate
    return schema_value(schema, components)  # its own example only when that satisfies it
