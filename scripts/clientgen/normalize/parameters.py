"""Pass: parameters the client cannot serialize, taken as text (one bad parameter never sinks an operation).

The generated client serializes a parameter by its ``style`` (``_serialization``): scalars, arrays of
scalars and objects of scalars in every location, also objects holding arrays of scalars in a query
(Cloudflare's analytics ``query``), any nesting in a ``deepObject`` query.  What lies outside that
would not be sent as the description means it:

* a parameter described by ``content`` (a media type) rather than ``schema``: the client encodes
  no parameter by media type;
* a path, header or cookie parameter, or a query parameter in a style other than ``deepObject``,
  whose value nests deeper (an array of objects, an object with an object property, a recursive
  component): these styles have no spelling for it.

Such a parameter becomes a string the caller writes (``parameter-as-text``, a warning: ``--strict``
fails on it), sent as given: the operation stays callable and nothing is sent that the caller did
not write.  Dropping it would lose required ones and skipping the operation would lose the rest of
it; descriptions get this wrong in practice (Cloudflare 2023-08-31 types the ``asn`` path segment
as the whole ASN object, where the API wants the number).  Runs after ``dialect`` and ``allof``:
schemas are 3.0-shaped and ``allOf`` is merged.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.schemas import iter_operations, op_pointer

__all__ = ["unsendable_parameters_as_text"]

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


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "object" or "properties" in schema or isinstance(schema.get("additionalProperties"), dict)
    )


def _sendable(schema: Any, location: Any) -> bool:
    """Whether the style of ``location`` can spell the values of ``schema`` (``deepObject`` aside)."""
    if _depth(schema) <= _FLAT:
        return True
    if location != "query" or not _is_object(schema) or not isinstance(schema, dict):
        return False
    properties = schema.get("properties")
    values = [*(properties.values() if isinstance(properties, dict) else ()), schema.get("additionalProperties")]
    return all(_depth(value) <= _FLAT and not _is_object(value) for value in values)  # arrays of scalars


def _unsendable(param: dict[str, Any]) -> str | None:
    """Why the client cannot send this parameter as described, or ``None``."""
    location = param.get("in")
    if "schema" not in param and isinstance(param.get("content"), dict):
        media = ", ".join(sorted(str(key) for key in param["content"])) or "no media type"
        return f"{location} parameter {param.get('name')!r} is described by content ({media}), not a schema"
    if location == "query" and param.get("style") == "deepObject":
        return None
    if not _sendable(param.get("schema"), location):
        style = param.get("style") or ("form" if location in {"query", "cookie"} else "simple")
        return f"{location} parameter {param.get('name')!r} nests arrays or objects, which style {style!r} cannot spell"
    return None


def unsendable_parameters_as_text(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    for path, method, op in iter_operations(doc):
        for index, param in enumerate(op.get("parameters") or []):
            reason = _unsendable(param) if isinstance(param, dict) else None
            if reason is None:
                continue
            schema = param.get("schema")
            described = schema.get("description") if isinstance(schema, dict) else None
            text: dict[str, Any] = {"type": "string", **({"description": described} if described else {})}
            style = {"style": param["style"]} if param.get("in") == "path" and "style" in param else {}
            kept = {key: value for key, value in param.items() if key not in {"content", "schema", "style", "explode"}}
            op["parameters"][index] = {**kept, **style, "schema": text}
            message = f"{reason}: taken as text the caller writes, sent as given"
            diags.warn(f"{op_pointer(path, method)}/parameters/{index}", "parameter-as-text", message)
    return doc
