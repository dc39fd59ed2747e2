"""Pass: ``properties`` beside an ``anyOf`` of bare types becomes an explicit union.

Cloudflare writes "this object, or a string, or null" as
``{properties: {...}, anyOf: [{type: object, nullable: true}, {type: string, nullable: true}]}``.
The model generator reads that as a union containing the model itself (and invents an empty
class for the bare object).  Rewritten as ``anyOf[{the object with its properties}, {type: string}]``
with ``nullable`` hoisted, it means what it says; the object member keeps the schema's name.

``properties`` beside an ``anyOf`` of object schemas means "these properties and one of the
variants": the properties are merged into each variant (the generator would otherwise write
multiple inheritance with clashing field types).

A union member that is only ``{nullable: true}`` (``oneOf: [{$ref: Filter}, {nullable: true}]``)
means null: it is dropped and the union made nullable; without this the member reads as "any
value" and the whole union as ``Any``.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.normalize.allof import merge_schemas
from clientgen.normalize.schemas import Shared, map_operation_schemas, transform

__all__ = ["split_property_unions"]

_BARE_KEYS = frozenset({"type", "nullable", "items", "description"})
_SCHEMA_LEVEL = frozenset({"anyOf", "oneOf", "nullable"})


def _bare_variants(node: dict[str, Any]) -> list[dict[str, Any]] | None:
    variants = node.get("anyOf") if "anyOf" in node else node.get("oneOf")
    if not isinstance(variants, list) or not variants:
        return None
    if not all(isinstance(v, dict) and "type" in v and set(v) <= _BARE_KEYS for v in variants):
        return None
    return variants


def _object_variants(node: dict[str, Any]) -> tuple[str, list[dict[str, Any]]] | None:
    key = "anyOf" if "anyOf" in node else "oneOf"
    variants = node.get(key)
    if not isinstance(variants, list) or not variants:
        return None
    if not all(isinstance(v, dict) and (v.get("type") == "object" or "properties" in v) for v in variants):
        return None
    return key, variants


def _distribute(node: dict[str, Any], pointer: str, diags: Diagnostics) -> dict[str, Any] | None:
    found = _object_variants(node)
    if found is None:
        return None
    key, variants = found
    base = {k: v for k, v in node.items() if k not in {"anyOf", "oneOf", "description", "nullable"}}
    merged = [
        merge_schemas([variant, base], f"{pointer}/{key}/{index}", diags) for index, variant in enumerate(variants)
    ]
    diags.add(pointer, "property-union", "properties beside a union of objects merged into each member")
    outer = {k: v for k, v in node.items() if k in {"description", "nullable"}}
    return {key: merged, **outer}


def _null_members(node: dict[str, Any], pointer: str, diags: Diagnostics) -> dict[str, Any]:
    for key in ("anyOf", "oneOf"):
        members = node.get(key)
        if not isinstance(members, list) or not any(member == {"nullable": True} for member in members):
            continue
        rest = [member for member in members if member != {"nullable": True}]
        if not rest:
            continue
        diags.add(f"{pointer}/{key}", "null-member", "a union member that is only 'nullable: true' read as null")
        return {**node, key: rest, "nullable": True}
    return node


def _split(node: dict[str, Any], pointer: str, diags: Diagnostics) -> dict[str, Any]:
    node = _null_members(node, pointer, diags)
    if not isinstance(node.get("properties"), dict):
        return node
    variants = _bare_variants(node)
    if variants is None:
        return _distribute(node, pointer, diags) or node
    nullable = bool(node.get("nullable")) or any(v.get("nullable") for v in variants)
    the_object = {key: value for key, value in node.items() if key not in _SCHEMA_LEVEL}
    the_object["type"] = "object"
    others = [{key: value for key, value in v.items() if key != "nullable"} for v in variants if v["type"] != "object"]
    diags.add(pointer, "property-union", "properties beside a union of bare types read as an explicit union")
    split: dict[str, Any] = {"anyOf": [the_object, *others]} if others else the_object
    return {**split, "nullable": True} if nullable else split


def split_property_unions(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    def split(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        return _split(node, pointer, diags)

    shared = Shared(diags)
    map_operation_schemas(doc, lambda schema, pointer: transform(schema, split, pointer, shared))
    schemas = doc.get("components", {}).get("schemas", {})
    for key in sorted(schemas):
        schemas[key] = transform(schemas[key], split, f"/components/schemas/{escape_pointer_token(key)}", shared)
    return doc
