"""Pass: constraints that are misspelled or mistyped in the source, repaired and reported.

The source's intent is kept, in the keyword that makes generators enforce it:

* ``minLength``/``maxLength`` on an array (the failure envelope's ``errors`` says
  ``minLength: 1``) mean ``minItems``/``maxItems``;
* a ``default`` of the wrong JSON type (``type: boolean, default: "true"``: 48 in the
  Cloudflare spec) is converted when unambiguous, dropped and reported otherwise;
* a name in ``required`` that has no property gets an untyped property, so that the
  requirement is still enforced rather than silently lost.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.normalize.schemas import map_operation_schemas, transform

__all__ = ["repair_constraints"]

_ARRAY_KEYWORDS = {"minLength": "minItems", "maxLength": "maxItems"}
_BOOLEAN_TEXT = {"true": True, "false": False}


def _array_keywords(node: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    if node.get("type") != "array":
        return
    for wrong, right in _ARRAY_KEYWORDS.items():
        if wrong in node:
            value = node.pop(wrong)
            node.setdefault(right, value)
            diags.add(pointer, "array-keyword", f"{wrong} on an array read as {right}")


def _typed_default(node: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    if "default" not in node or not isinstance(node["default"], str):
        return
    kind, text = node.get("type"), node["default"]
    if kind == "boolean" and text.lower() in _BOOLEAN_TEXT:
        node["default"] = _BOOLEAN_TEXT[text.lower()]
    elif kind in {"integer", "number"}:
        try:
            node["default"] = int(text) if kind == "integer" else float(text)
        except ValueError:
            del node["default"]
            diags.warn(pointer, "default-type", f"default {text!r} is not a {kind}; dropped")
            return
    else:
        return
    diags.add(pointer, "default-type", f"default {text!r} read as {node['default']!r}")


def _missing_required(node: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    required = node.get("required")
    if not isinstance(required, list) or node.get("type") not in {"object", None}:
        return
    properties = dict(node.get("properties") or {})
    for name in required:
        if isinstance(name, str) and name not in properties:
            properties[name] = {}
            diags.add(
                f"{pointer}/required", "required-without-property", f"required {name!r} has no property; added untyped"
            )
    if properties:
        node["properties"] = properties


def repair_constraints(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    def repair(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        _array_keywords(node, pointer, diags)
        _typed_default(node, pointer, diags)
        _missing_required(node, pointer, diags)
        return node

    map_operation_schemas(doc, lambda schema, pointer: transform(schema, repair, pointer))
    schemas = doc.get("components", {}).get("schemas", {})
    for key in sorted(schemas):
        schemas[key] = transform(schemas[key], repair, f"/components/schemas/{escape_pointer_token(key)}")
    return doc
