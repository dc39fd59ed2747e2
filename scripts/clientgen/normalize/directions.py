"""Pass: request schemas without ``readOnly`` properties, response schemas without ``writeOnly`` ones.

OpenAPI 3.0: a ``readOnly`` property is sent by the server only, a ``writeOnly`` one by the client
only.  Cloudflare describes records once for both directions (``dns-records_dns-record``: ``id``,
``created_on``, ``modified_on``, ``proxiable``), so a request model taken literally makes callers
invent server-assigned fields, which are then sent.  In request bodies every ``readOnly``
property is removed (at every depth: nested objects, array items, union branches), in responses
every ``writeOnly`` one; ``required`` loses their names.  Hoisting is by content, so a schema
that reads the same both ways stays one class, and one that differs becomes two.

A ``required`` list beside a union (``required: [id, type, name, content, created_on, ...]`` next
to the 20 DNS record kinds) that names a ``readOnly`` property of a branch describes the stored
record, as the server returns it.  In a request body such a list keeps only the names some
branch requires itself (``type``, ``name``, ``content``); the others (``id``) are optional there.
A PATCH body changes what it names and leaves the rest: every top-level property is optional
(also in each branch of a union body), except a single-value ``enum`` (``type: "A"``), which
tells a union's branches apart.

Each decision is reported with its pointer.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.schemas import Shared, map_operation_schemas, transform

__all__ = ["apply_directions"]

_UNIONS = ("oneOf", "anyOf")


def _names(value: Any) -> list[str]:
    return [str(name) for name in value] if isinstance(value, list) else []


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        branch for key in _UNIONS if isinstance(node.get(key), list) for branch in node[key] if isinstance(branch, dict)
    ]


def _marked(schema: dict[str, Any], name: str, marker: str) -> bool:
    properties = schema.get("properties")
    found = properties.get(name) if isinstance(properties, dict) else None
    return isinstance(found, dict) and bool(found.get(marker))


def _record_union_root(diags: Diagnostics) -> Any:
    """A request union's ``required`` that describes the stored record keeps only what a branch requires."""

    def relax(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        branches, required = _branches(node), _names(node.get("required"))
        if not branches or not any(_marked(branch, name, "readOnly") for branch in branches for name in required):
            return node
        by_branches = {name for branch in branches for name in _names(branch.get("required"))}
        dropped = [name for name in required if name not in by_branches]
        if not dropped:
            return node
        diags.add(
            pointer,
            "record-union-required",
            f"{', '.join(dropped)}: required beside a union that names read-only fields, "
            "so describing the stored record: optional in this request",
        )
        properties = node.get("properties")
        kept_properties = (
            {name: sub for name, sub in properties.items() if not (name in dropped and sub == {})}
            if isinstance(properties, dict)
            else None
        )
        kept = [name for name in required if name not in dropped]
        rebuilt = {key: value for key, value in node.items() if key not in {"required", "properties"}}
        if kept:
            rebuilt["required"] = kept
        if kept_properties:
            rebuilt["properties"] = kept_properties
        return rebuilt

    return relax


def _strip(marker: str, direction: str, diags: Diagnostics) -> Any:
    """Remove the properties carrying ``marker`` (and their ``required`` names) from every object."""

    def strip(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        properties = node.get("properties")
        if not isinstance(properties, dict):
            return node
        one_way = sorted(name for name, sub in properties.items() if isinstance(sub, dict) and sub.get(marker))
        if not one_way:
            return node
        diags.add(pointer, "one-way-property", f"{', '.join(one_way)}: {marker}, so not part of the {direction}")
        rebuilt = {key: value for key, value in node.items() if key not in {"required", "properties"}}
        rebuilt["properties"] = {name: sub for name, sub in properties.items() if name not in one_way}
        kept = [name for name in _names(node.get("required")) if name not in one_way]
        if kept:
            rebuilt["required"] = kept
        return rebuilt

    return strip


def _is_tag(schema: Any) -> bool:
    """A single-value ``enum``: the property that tells a union's branches apart."""
    return isinstance(schema, dict) and isinstance(schema.get("enum"), list) and len(schema["enum"]) == 1


def _patch_optional(schema: dict[str, Any], pointer: str, diags: Diagnostics) -> dict[str, Any]:
    branches = [branch for key in _UNIONS if isinstance(schema.get(key), list) for branch in schema[key]]
    if branches:
        key = next(key for key in _UNIONS if isinstance(schema.get(key), list))
        rebuilt = [
            _patch_optional(branch, f"{pointer}/{key}/{index}", diags) if isinstance(branch, dict) else branch
            for index, branch in enumerate(schema[key])
        ]
        schema = {**schema, key: rebuilt}
    required = _names(schema.get("required"))
    declared = schema.get("properties")
    properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
    kept = [name for name in required if _is_tag(properties.get(name))]
    if len(kept) == len(required):
        return schema
    diags.add(pointer, "patch-optional", "a PATCH body: every property optional" + (" but the tag" if kept else ""))
    rebuilt_schema = {key: value for key, value in schema.items() if key != "required"}
    return {**rebuilt_schema, "required": kept} if kept else rebuilt_schema


def apply_directions(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    record_roots = _record_union_root(diags)
    requests, responses = _strip("readOnly", "request", diags), _strip("writeOnly", "response", diags)
    shared_roots, shared_requests, shared_responses = Shared(diags), Shared(diags), Shared(diags)  # one per rule

    def one_way(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        if "/requestBody/" in pointer:
            relaxed = transform(schema, record_roots, pointer, shared_roots)
            stripped: dict[str, Any] = transform(relaxed, requests, pointer, shared_requests)
            return _patch_optional(stripped, pointer, diags) if "/patch/requestBody/" in pointer else stripped
        if "/responses/" in pointer:
            return transform(schema, responses, pointer, shared_responses)  # type: ignore[no-any-return]
        return schema

    map_operation_schemas(doc, one_way)
    return doc
