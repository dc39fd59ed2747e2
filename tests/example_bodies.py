"""Run in a subprocess with a generated client on the path: each JSON request body built from the description's
examples validates as its operation's request type and serializes back to itself.

argv: the normalized document, the package name.  Prints one JSON line: {"checked": n, "failures": [...]}.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Union

from pydantic import TypeAdapter

_REF = "#/components/schemas/"
_METHODS = ("get", "put", "post", "delete", "patch")


class Sampler:
    def __init__(self, document: dict[str, Any], package: str) -> None:
        self.schemas = document.get("components", {}).get("schemas", {})
        self.types = importlib.import_module(f"{package}.types")

    def resolve(self, schema: Any) -> Any:
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            schema = self.schemas[schema["$ref"].removeprefix(_REF)]
        return schema

    def conforms(self, value: Any, schema: Any, depth: int = 0) -> bool:
        """Whether ``value`` satisfies ``schema`` (the keywords a generated model enforces): examples can be wrong."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > 10:
            return True
        if value is None:
            return bool(schema.get("nullable"))
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return any(self.conforms(value, member, depth + 1) for member in schema[key])
        if isinstance(schema.get("enum"), list) and value not in schema["enum"]:
            return False
        kind = schema.get("type")
        expected = {
            "string": str,
            "boolean": bool,
            "array": list,
            "object": dict,
            "integer": int,
            "number": int | float,
        }
        if kind in expected and (not isinstance(value, expected[kind]) or (kind != "boolean" and value is True)):
            return False
        if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
            return False
        if isinstance(value, str) and not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 1e9):
            return False
        if isinstance(value, int | float) and not schema.get("minimum", -1e18) <= value <= schema.get("maximum", 1e18):
            return False
        if isinstance(value, list):
            return all(self.conforms(item, schema.get("items"), depth + 1) for item in value)
        if isinstance(value, dict):
            properties = schema.get("properties") or {}
            if any(name not in value for name in schema.get("required") or []):
                return False
            return all(self.conforms(item, properties.get(name), depth + 1) for name, item in value.items())
        return True

    def sample(self, schema: Any, depth: int = 0) -> Any:
        """The example where the description gives a valid one; objects from their properties, else simplest values."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or depth > 10:
            return None
        if "example" in schema and self.conforms(schema["example"], schema):
            return schema["example"]
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self.sample(schema[key][0], depth + 1)
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        kind = schema.get("type")
        if kind == "array":
            return [self.sample(schema.get("items"), depth + 1)]
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties") or {}
            required = set(schema.get("required") or [])
            built = {}
            for name, sub in properties.items():
                if name in required or "example" in (self.resolve(sub) or {}):
                    built[name] = self.sample(sub, depth + 1)
            return built
        if kind in {"integer", "number"}:
            return schema.get("minimum", 1)
        return {"string": "x" * max(1, schema.get("minLength", 1)), "boolean": True}.get(str(kind))

    def python_type(self, schema: Any) -> Any:
        """The request type the method declares, rebuilt from the body schema: model classes by component name."""
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            name = schema["$ref"].removeprefix(_REF)
            return getattr(self.types, name) if name in self.types.__all__ else Any  # a plain type, inlined
        if not isinstance(schema, dict):
            return Any
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return Union[tuple(self.python_type(member) for member in schema[key])]  # noqa: UP007 - built at run time
        if schema.get("type") == "array":
            return list[self.python_type(schema.get("items"))]  # type: ignore[misc]
        return Any


def _canonical(value: Any) -> Any:
    """JSON with date-times as instants: ``...00.12345Z`` and ``...00.123450Z`` are one value."""
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)", value):
        return datetime.fromisoformat(value)
    return value


def main() -> None:
    document = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    sampler = Sampler(document, sys.argv[2])
    checked, failures = 0, []
    for path, item in sorted(document["paths"].items()):
        for method in _METHODS:
            body = (item.get(method) or {}).get("requestBody") or {}
            schema = ((body.get("content") or {}).get("application/json") or {}).get("schema")
            if not isinstance(schema, dict) or not ({"$ref", "oneOf", "anyOf", "items"} & set(schema)):
                continue
            example = sampler.sample(schema)
            checked += 1
            try:
                adapter: TypeAdapter[Any] = TypeAdapter(sampler.python_type(schema))
                value = adapter.validate_python(example)
                back = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
            except Exception as error:
                failures.append(f"{method.upper()} {path}: {type(error).__name__}: {str(error)[:300]}")
                continue
            if _canonical(back) != _canonical(example):
                failures.append(f"{method.upper()} {path}: {example!r:.200} came back as {back!r:.200}")
    sys.stdout.write(json.dumps({"checked": checked, "failures": failures}) + "\n")


if __name__ == "__main__":
    main()
