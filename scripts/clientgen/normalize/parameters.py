"""Pass: parameters the client cannot put on the wire, set aside one at a time (never the whole API).

The generated client serializes a parameter by its ``style`` (``_serialization``): scalars, arrays of
scalars and objects of scalars in every location, any nesting only in a ``deepObject`` query.
What lies outside that is not sent as the description means it, so it is not offered:

* a parameter described by ``content`` (a media type) rather than ``schema``: the client encodes
  no parameter by media type;
* a path, header or cookie parameter, or a query parameter in a style other than ``deepObject``,
  whose value nests arrays or objects (an array of objects, an object with an object property, a
  recursive component): these styles have no spelling for nesting.

An optional parameter is dropped (``parameter-dropped``): the operation is generated without it.
A required one makes the operation unusable, so the operation is skipped (``operation-skipped``).
Both are warnings: ``--strict`` fails on them.  Runs after ``dialect``, so schemas are 3.0-shaped.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.schemas import HTTP_METHODS, iter_operations, op_pointer

__all__ = ["set_aside_unsendable_parameters"]

_FLAT = 1  # a scalar is 0 levels deep, an array of scalars or an object of scalars 1
_UNBOUNDED = 99  # a reference: a component the ref pass kept, so a recursive one
_UNIONS = ("anyOf", "oneOf", "allOf")


def _depth(schema: Any) -> int:
    """How many levels of arrays and objects the schema's values nest."""
    if not isinstance(schema, dict):
        return 0
    if "$ref" in schema:
        return _UNBOUNDED
    members = [member for key in _UNIONS for member in schema.get(key) or [] if isinstance(member, dict)]
    nested = max((_depth(member) for member in members), default=0)
    if schema.get("type") == "array" or "items" in schema:
        return max(nested, 1 + _depth(schema.get("items")))
    properties = schema.get("properties")
    extra = schema.get("additionalProperties")
    if schema.get("type") == "object" or isinstance(properties, dict) or isinstance(extra, dict):
        values = [*(properties.values() if isinstance(properties, dict) else ()), extra]
        return max(nested, 1 + max((_depth(value) for value in values), default=0))
    return nested


def _unsendable(param: dict[str, Any]) -> str | None:
    """Why the client cannot send this parameter as described, or ``None``."""
    location = param.get("in")
    if "schema" not in param and isinstance(param.get("content"), dict):
        media = ", ".join(sorted(str(key) for key in param["content"])) or "no media type"
        return f"{location} parameter {param.get('name')!r} is described by content ({media}), not a schema"
    if location == "query" and param.get("style") == "deepObject":
        return None
    if _depth(param.get("schema")) > _FLAT:
        style = param.get("style") or ("form" if location in {"query", "cookie"} else "simple")
        return f"{location} parameter {param.get('name')!r} nests arrays or objects, which style {style!r} cannot spell"
    return None


def set_aside_unsendable_parameters(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    skipped: list[tuple[str, str]] = []
    for path, method, op in list(iter_operations(doc)):
        pointer = op_pointer(path, method)
        kept: list[Any] = []
        for index, param in enumerate(op.get("parameters") or []):
            reason = _unsendable(param) if isinstance(param, dict) else None
            if reason is None:
                kept.append(param)
            elif param.get("required") or param.get("in") == "path":
                skipped.append((path, method))
                diags.warn(pointer, "operation-skipped", f"operation skipped: {reason} (required)")
                break
            else:
                diags.warn(f"{pointer}/parameters/{index}", "parameter-dropped", f"parameter left out: {reason}")
        else:
            if "parameters" in op:
                op["parameters"] = kept
    for path, method in skipped:
        item = doc["paths"][path]
        del item[method]
        if not any(isinstance(item.get(other), dict) for other in HTTP_METHODS):
            del doc["paths"][path]
    return doc
