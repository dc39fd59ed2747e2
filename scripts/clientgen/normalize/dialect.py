"""Pass: OpenAPI 3.1 (JSON Schema 2020-12) keywords read as the OpenAPI 3.0 schema the later passes know.

Every later pass and both generators work on the 3.0 shape; this pass, right after the ref pass,
rewrites the 3.1 spellings of the same meaning:

* ``type: [T, "null"]`` -> ``type: T`` + ``nullable: true``; several non-null types -> ``anyOf`` of them;
* ``const: v`` -> ``enum: [v]``; ``examples: [a, ...]`` -> ``example: a``;
* numeric ``exclusiveMinimum``/``exclusiveMaximum`` -> the bound + ``true``;
* ``prefixItems`` (tuples) -> ``items`` that accepts any of the positions' schemas;
* ``contentMediaType``/``contentEncoding`` on a string -> ``format: binary`` (bytes) or
  ``format: byte`` (base64 text); a text or JSON media type stays a plain string;
* ``$defs`` is dropped once its references are resolved (the ref pass inlined or kept them).

A 3.0 document has none of these, so it passes through unchanged.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.schemas import map_operation_schemas

__all__ = ["downlevel_31"]

_SCHEMA_MAPS = ("properties", "patternProperties", "$defs")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_SINGLES = ("items", "not", "additionalProperties", "contains", "propertyNames")
_TEXT_MEDIA = ("text/", "application/json")

_Done = dict[int, tuple[Any, Any]]


def _children(node: dict[str, Any], done: _Done) -> dict[str, Any]:
    """``node`` with its subschemas read as 3.0; ``node`` itself when none changes (most of a 3.0 document)."""
    changed: dict[str, Any] = {}
    for key in _SCHEMA_MAPS:
        if isinstance(node.get(key), dict):
            subs = {name: _schema(sub, done) for name, sub in node[key].items()}
            if any(subs[name] is not sub for name, sub in node[key].items()):
                changed[key] = subs
    for key in _SCHEMA_LISTS:
        if isinstance(node.get(key), list):
            items = [_schema(sub, done) for sub in node[key]]
            if any(item is not sub for item, sub in zip(items, node[key], strict=True)):
                changed[key] = items
    for key in _SCHEMA_SINGLES:
        if isinstance(node.get(key), dict):
            sub = _schema(node[key], done)
            if sub is not node[key]:
                changed[key] = sub
    return {**node, **changed} if changed else node


def _types(node: dict[str, Any]) -> dict[str, Any]:
    types = node.get("type")
    if not isinstance(types, list):
        return node
    named = [kind for kind in types if isinstance(kind, str)]
    rest = {key: value for key, value in node.items() if key != "type"}
    if "null" in named:
        rest["nullable"] = True
    kinds = [kind for kind in named if kind != "null"]
    if len(kinds) == 1:
        return {"type": kinds[0], **rest}
    if kinds:
        return {**rest, "anyOf": [{"type": kind} for kind in kinds]}
    return rest


def _bounds(node: dict[str, Any]) -> dict[str, Any]:
    out = dict(node)
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = node.get(exclusive)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[bound] = value
            out[exclusive] = True
    return out


def _content(node: dict[str, Any]) -> dict[str, Any]:
    media, encoding = node.get("contentMediaType"), node.get("contentEncoding")
    if media is None and encoding is None:
        return node
    out = {key: value for key, value in node.items() if key not in {"contentMediaType", "contentEncoding"}}
    if out.get("type", "string") == "string" and "format" not in out:
        if encoding == "base64":
            out["format"] = "byte"
        elif not (isinstance(media, str) and media.startswith(_TEXT_MEDIA)):
            out["format"] = "binary"
    return out


# What the rewrites below read: a schema with none of these (and no list of types) is left as it is.
_REWRITTEN = frozenset({
    "const", "examples", "prefixItems", "$defs", "$schema", "$id", "contentMediaType", "contentEncoding",
    "exclusiveMinimum", "exclusiveMaximum",
})  # fmt: skip


def _schema(schema: Any, done: _Done) -> Any:
    """``schema`` read as 3.0: a new dict where anything changes, the same dict where nothing does.

    Inlining shares one schema between many places; leaving an unchanged one shared spares a copy per place,
    and ``done`` (id -> the schema, kept alive, and its result) reads a shared one once.
    """
    if not isinstance(schema, dict):
        return schema
    found = done.get(id(schema))
    if found is not None:
        return found[1]
    result = _read_30(schema, done)
    done[id(schema)] = (schema, result)
    return result


def _read_30(schema: dict[str, Any], done: _Done) -> Any:
    node = _children(schema, done)
    if _REWRITTEN.isdisjoint(node) and not isinstance(node.get("type"), list):
        return node
    node = dict(node)
    if "const" in node:
        const = node.pop("const")
        node.setdefault("enum", [const])
    examples = node.get("examples")
    if isinstance(examples, list):
        node.pop("examples")
        if examples:
            node.setdefault("example", examples[0])
    prefix = node.pop("prefixItems", None)
    if isinstance(prefix, list) and prefix and "items" not in node:
        node["items"] = prefix[0] if len(prefix) == 1 else {"anyOf": prefix}
    node.pop("$defs", None)
    node.pop("$schema", None)
    node.pop("$id", None)
    return _types(_bounds(_content(node)))


def downlevel_31(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    del diags  # nothing is lost: every rewrite keeps the meaning the generators can express
    done: _Done = {}
    map_operation_schemas(doc, lambda schema, _pointer: _schema(schema, done))
    return doc
