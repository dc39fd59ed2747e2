"""Pass: flatten every ``allOf`` into one plain schema.

Cloudflare composes responses as ``allOf`` up to four levels deep (envelope + result,
base + override).  Both generators handle that badly (class inheritance with clashing
``Literal`` fields, dropped responses), so the composition is resolved here, once:

* properties are united; the same property in two branches is merged recursively;
* the envelope's generic ``result: anyOf[object, array, string]`` yields to the concrete
  ``result`` of a sibling branch (it is a placeholder, not a constraint); so does a list's
  generic ``result: {type: array, items: {}, nullable: true}``: its ``nullable`` is no
  promise of the concrete list (which would otherwise type every list result ``... | None``);
* bounds take the stricter value (``allOf`` is an intersection); ``required`` is united;
* for documentation and other keys the later branch wins, and keys written beside the
  ``allOf`` win over every branch: that is how the spec overrides descriptions;
* a real conflict (``type: array`` vs ``type: object``) keeps the later branch and is reported.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.normalize.naming_source import MARKERS, strip_marker
from clientgen.normalize.schemas import Shared, map_operation_schemas, transform

__all__ = ["flatten_all_of", "is_placeholder", "merge_schemas"]

# What may stand beside a single ``allOf`` branch of an alias (documentation and naming markers).
_ALIAS_KEYS = frozenset({"description", "title", *MARKERS})

_LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})
_UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})
# `nullable` inside a variant still leaves a slot: magic_api-response-single writes
# `anyOf: [{nullable: true, type: object}, {nullable: true, type: string}]` (since 2024-06-11).
_BARE_KEYS = frozenset({"type", "items", "nullable"})


def is_placeholder(schema: Any) -> bool:
    """``anyOf``/``oneOf`` of bare types (``object``, ``array`` of anything, ``string``): a slot, not a shape."""
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array" and schema.get("items") == {} and set(schema) <= {*_BARE_KEYS, "description"}:
        return True  # an array of anything: the list slot of a collection envelope
    variants = schema.get("anyOf") or schema.get("oneOf")
    if not isinstance(variants, list) or set(schema) - {"anyOf", "oneOf", "description", "nullable"}:
        return False
    return all(
        isinstance(v, dict) and set(v) <= _BARE_KEYS and v.get("items", {}) == {} and "type" in v for v in variants
    )


def _placeholder_types(schema: dict[str, Any]) -> set[str]:
    if "type" in schema:
        return {str(schema["type"])}
    return {variant["type"] for variant in schema.get("anyOf") or schema.get("oneOf") or []}


def _schema_type(schema: dict[str, Any]) -> str | None:
    if "type" in schema:
        return str(schema["type"])
    return "object" if "properties" in schema else None


class _Merger:
    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags

    def merge(self, first: dict[str, Any], second: dict[str, Any], pointer: str) -> dict[str, Any]:
        merged = dict(first)
        for key, value in second.items():
            if key not in merged:
                merged[key] = value
            elif merged[key] != value:
                merged[key] = self._merge_key(key, merged[key], value, pointer)
        return merged

    def _merge_key(self, key: str, old: Any, new: Any, pointer: str) -> Any:
        if key == "properties" and isinstance(old, dict) and isinstance(new, dict):
            return self._merge_properties(old, new, pointer)
        if key == "required" and isinstance(old, list) and isinstance(new, list):
            return list(dict.fromkeys([*old, *new]))
        if key in _LOWER_BOUNDS:
            return max(old, new)
        if key in _UPPER_BOUNDS:
            return min(old, new)
        if key == "items" and isinstance(old, dict) and isinstance(new, dict):
            return self.merge_property(old, new, f"{pointer}/items")
        if key == "enum" and isinstance(old, list) and isinstance(new, list):
            common = [value for value in old if value in new]
            if common:
                return common
        if key in {"type", "enum", "pattern", "format", "anyOf", "oneOf"}:
            self.diags.warn(
                pointer, "allof-conflict", f"allOf branches disagree on {key!r} ({old!r} vs {new!r}); kept the later"
            )
        return new

    def _merge_properties(self, old: dict[str, Any], new: dict[str, Any], pointer: str) -> dict[str, Any]:
        merged = dict(old)
        for name, schema in new.items():
            sub_pointer = f"{pointer}/properties/{escape_pointer_token(name)}"
            merged[name] = self.merge_property(merged[name], schema, sub_pointer) if name in merged else schema
        return merged

    def merge_property(self, old: Any, new: Any, pointer: str) -> Any:
        if not isinstance(old, dict) or not isinstance(new, dict):
            return new
        if is_placeholder(old) and not is_placeholder(new):
            return self._narrow(old, new, pointer)
        if is_placeholder(new) and not is_placeholder(old):
            return self._narrow(new, old, pointer)
        return self.merge(old, new, pointer)

    def _narrow(self, placeholder: dict[str, Any], concrete: dict[str, Any], pointer: str) -> dict[str, Any]:
        concrete_type = _schema_type(concrete)
        if concrete_type is not None and concrete_type not in _placeholder_types(placeholder):
            self.diags.warn(
                pointer, "allof-conflict", f"{concrete_type!r} narrows a placeholder that does not allow it"
            )
        return concrete


def merge_schemas(branches: list[dict[str, Any]], pointer: str, diags: Diagnostics) -> dict[str, Any]:
    merger = _Merger(diags)
    empty: dict[str, Any] = {}
    merged = reduce(lambda a, b: merger.merge(a, b, pointer), branches, empty)
    if "properties" in merged and "type" not in merged:
        merged["type"] = "object"
    return merged


def _flatten_node(diags: Diagnostics) -> Any:
    def flatten(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        branches = node.get("allOf")
        if not isinstance(branches, list):
            return node
        siblings = {key: value for key, value in node.items() if key != "allOf"}
        parts = [branch for branch in branches if isinstance(branch, dict)]
        if len(parts) == 1 and not set(siblings) - _ALIAS_KEYS:  # ``allOf: [$ref]`` alone: an alias, the branch's key
            siblings = {key: value for key, value in siblings.items() if key not in MARKERS}
        else:  # a branch's component key names the branch, not the merged schema (which keeps the node's own)
            parts = [strip_marker(branch)[0] for branch in parts]
        return merge_schemas([*parts, siblings], pointer, diags)

    return flatten


def flatten_all_of(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    flatten, shared = _flatten_node(diags), Shared(diags)
    map_operation_schemas(doc, lambda schema, pointer: transform(schema, flatten, pointer, shared))
    components = doc.get("components", {}).get("schemas", {})
    for key in sorted(components):
        pointer = f"/components/schemas/{escape_pointer_token(key)}"
        components[key] = transform(components[key], flatten, pointer, shared)
    return doc
