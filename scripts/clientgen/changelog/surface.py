"""The client's API surface: what a user of the generated package calls, passes and reads.

One entry per operation, keyed by its call path (``client.pages.projects.deployments.rollback``):
the operationId, HTTP method and path, the keyword arguments (Python name, wire name,
location, type, required, constraints), the request body and the returned value, each as a
flat table of *field paths* (``stages[].started_on``; ``[]`` is an array item, ``{}`` a value
of a dict without declared properties, ``""`` the value itself; wire names, as in the JSON)
to a small descriptor: type, required, nullable, enum, constraints.  Model class names are
left out on purpose: a field is compared by where it is and what it holds, so a renamed
component does not look like a changed API.

Computed from the normalized document and the intermediate model only (no model generator),
so ``make changelog`` costs two normalizations.  Written as ``api.json`` beside the package:
the next ``make generate`` compares against it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from clientgen.ingest.refgraph import cyclic_components
from clientgen.model.api import Api, Operation
from clientgen.normalize.envelopes import is_success_envelope
from clientgen.normalize.media import json_media
from clientgen.normalize.schemas import iter_operations, success_content

__all__ = ["SURFACE_FORMAT", "Descriptor", "OperationEntry", "Surface", "api_surface", "field_table", "operation_entry"]

SURFACE_FORMAT = 1
_REF_PREFIX = "#/components/schemas/"
# Keywords that bound a value: compared one by one (tightened or loosened)
CONSTRAINT_KEYWORDS = (
    "exclusiveMaximum", "exclusiveMinimum", "maxItems", "maxLength", "maxProperties", "maximum", "minItems",
    "minLength", "minProperties", "minimum", "multipleOf", "pattern", "uniqueItems",
)  # fmt: skip
MAX_DEPTH = 24  # deeper fields are not listed (no Cloudflare response nests this deep)

_VALUE_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number"}

Descriptor = dict[str, Any]  # {"type": str, "required"?: True, "nullable"?: True, "enum"?: [...], "constraints"?: {}}
Surface = dict[str, Any]
# (operation, its normalized object, the document's components) -> its entry; the cache supplies another
OperationEntry = Callable[[Operation, dict[str, Any], dict[str, Any]], dict[str, Any]]


def _type_name(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind == "string" and isinstance(schema.get("format"), str):
        return f"string({schema['format']})"
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    values = schema.get("enum")
    if isinstance(values, list) and values:  # an enum without a type: the type of its values
        kinds = {_VALUE_TYPES.get(type(value), "any") for value in values if value is not None}
        return "|".join(sorted(kinds)) if kinds and "any" not in kinds else "any"
    return "any"


_RECURSIVE_DEPTH = 2
_CYCLIC_CACHE: list[tuple[dict[str, Any], frozenset[str]]] = []  # the last components seen: one per generation


def _cyclic_models(components: dict[str, Any]) -> frozenset[str]:
    if not _CYCLIC_CACHE or _CYCLIC_CACHE[0][0] is not components:
        _CYCLIC_CACHE[:] = [(components, cyclic_components({"components": {"schemas": components}}))]
    return _CYCLIC_CACHE[0][1]


class _Flattener:
    """Walks one schema into ``{field path: descriptor}``, resolving component refs (recursion stops)."""

    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components
        # At most two recursive models deep (a recursive model and its item or part, then a repeat stops):
        # mutually recursive models (Stripe's dozens) would otherwise be walked in exponentially many orders.
        self.cyclic = _cyclic_models(components)
        self.docs: list[str] = []  # every description met: a change to one is a documentation change

    def resolve(self, schema: Any, seen: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]] | None:
        """The schema behind a ``$ref`` and the refs followed; ``None`` for a recursive reference."""
        if not isinstance(schema, dict):
            return {}, seen
        while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith(_REF_PREFIX):
            name = schema["$ref"][len(_REF_PREFIX) :]
            if name in seen or (name in self.cyclic and len(self.cyclic.intersection(seen)) >= _RECURSIVE_DEPTH):
                return None
            seen = (*seen, name)
            extra = {key: value for key, value in schema.items() if key != "$ref"}
            target = self.components.get(name)
            schema = {**target, **extra} if isinstance(target, dict) else extra
        return schema, seen

    def walk(self, schema: Any, path: str, table: dict[str, list[Descriptor]], seen: tuple[str, ...]) -> None:
        resolved = self.resolve(schema, seen)
        if resolved is None:
            table.setdefault(path, []).append({"type": "object", "recursive": True})
            return
        node, seen = resolved
        if isinstance(node.get("description"), str):
            self.docs.append(node["description"])
        members = node.get("anyOf") or node.get("oneOf")
        if isinstance(members, list) and members:
            kinds: list[str] = []
            subs: list[dict[str, list[Descriptor]]] = []
            for member in members:
                sub: dict[str, list[Descriptor]] = {}
                self.walk(member, path, sub, seen)
                kinds.extend(item["type"] for item in sub.pop(path, []))
                subs.append(sub)
            for sub in subs:  # a field that members with its parent lack may be missing, whatever the others require
                for key, found in sub.items():
                    parent = _parent(key)
                    partial = any(key not in other and (parent == path or parent in other) for other in subs)
                    table.setdefault(key, []).extend({**item, "partial": True} if partial else item for item in found)
            descriptor = _descriptor(node, "|".join(sorted(set(kinds))))
            table.setdefault(path, []).append(descriptor)
            return
        table.setdefault(path, []).append(_descriptor(node, _type_name(node)))
        if path.count(".") + path.count("[]") + path.count("{}") >= MAX_DEPTH:
            return
        properties = node.get("properties")
        if isinstance(properties, dict):
            required = set(node.get("required") or [])
            for name in sorted(properties):
                child = f"{path}.{name}" if path else name
                self.walk(properties[name], child, table, seen)
                if name in required:
                    table[child][-1]["required"] = True
        if isinstance(node.get("items"), dict):
            self.walk(node["items"], f"{path}[]", table, seen)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra and not isinstance(properties, dict):
            self.walk(extra, f"{path}{{}}", table, seen)
        elif _type_name(node) == "object" and not properties and extra is not False:
            table.setdefault(f"{path}{{}}", []).append({"type": "any"})  # a free-form dict: its values are Any


def _parent(path: str) -> str:
    """``a.b[]`` -> ``a.b``, ``a.b`` -> ``a``, ``a`` -> ``""``."""
    if path.endswith(("[]", "{}")):
        return path[:-2]
    cut = max(path.rfind("."), path.rfind("[]") + 1, path.rfind("{}") + 1)
    return path[:cut] if cut > 0 else ""


def _descriptor(schema: dict[str, Any], type_name: str) -> Descriptor:
    descriptor: Descriptor = {"type": type_name}
    if schema.get("nullable") is True:
        descriptor["nullable"] = True
    if isinstance(schema.get("enum"), list):
        descriptor["enum"] = sorted({json.dumps(value, sort_keys=True) for value in schema["enum"]})
    constraints = {key: schema[key] for key in CONSTRAINT_KEYWORDS if key in schema}
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def _merge(found: list[Descriptor]) -> Descriptor:
    """One descriptor for a path met in several union members (or once)."""
    if len(found) == 1:
        single = {key: value for key, value in found[0].items() if key != "partial"}
        if found[0].get("partial"):
            single.pop("required", None)
        return single
    types = sorted({part for item in found for part in str(item["type"]).split("|")})
    merged: Descriptor = {"type": "|".join(types)}
    if all(item.get("required") for item in found) and not any(item.get("partial") for item in found):
        merged["required"] = True
    if any(item.get("nullable") for item in found):
        merged["nullable"] = True
    if all("enum" in item for item in found):
        merged["enum"] = sorted({value for item in found for value in item["enum"]})
    constraints = [json.dumps(item.get("constraints"), sort_keys=True) for item in found]
    if len(set(constraints)) == 1 and "constraints" in found[0]:
        merged["constraints"] = found[0]["constraints"]
    return merged


def field_table(schema: Any, components: dict[str, Any], docs: list[str] | None = None) -> dict[str, Descriptor]:
    """``{field path: descriptor}`` for one schema, sorted by path."""
    flattener = _Flattener(components)
    table: dict[str, list[Descriptor]] = {}
    flattener.walk(schema, "", table, ())
    if docs is not None:
        docs.extend(flattener.docs)
    return {path: _merge(found) for path, found in sorted(table.items())}


def _success_schema(op: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    content = success_content(op)
    media = json_media(content)
    schema = (content.get(media) or {}).get("schema") if media is not None else None
    return (schema if isinstance(schema, dict) else None), (min(content) if content else None)


def operation_entry(op: Operation, raw: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    docs = [str(raw.get("summary") or ""), str(raw.get("description") or "")]
    raw_params = {(p.get("in"), p.get("name")): p for p in raw.get("parameters") or [] if isinstance(p, dict)}
    params: dict[str, Any] = {}
    for param in op.parameters:
        schema = (raw_params.get((param.location, param.wire_name)) or {}).get("schema") or {}
        docs.append(param.description)
        table = field_table(schema, components, docs)
        described: dict[str, Any] = {"wire": param.wire_name, "in": param.location, **table.pop("")}
        described.pop("required", None)
        if param.required:
            described["required"] = True
        if table:
            described["fields"] = table
        params[str(param.name)] = described
    entry: dict[str, Any] = {
        "operationId": op.operation_id,
        "method": op.http_method.upper(),
        "path": op.path,
        "params": params,
    }
    if op.deprecated:
        entry["deprecated"] = True
    if op.body is not None:
        content = (raw.get("requestBody") or {}).get("content") or {}
        schema = (content.get(op.body.media_type) or {}).get("schema") or {}
        body: dict[str, Any] = {"media": op.body.media_type, "fields": field_table(schema, components, docs)}
        if op.body.required and not op.body.default_empty_object:
            body["required"] = True
        entry["body"] = body
    entry["returns"] = _returns(op, raw, components, docs)
    entry["docs"] = hashlib.sha256("\x00".join(docs).encode()).hexdigest()[:16]
    return entry


def _returns(op: Operation, raw: dict[str, Any], components: dict[str, Any], docs: list[str]) -> dict[str, Any]:
    if op.download is not None:
        return {"kind": op.download}
    schema, _ = _success_schema(raw)
    if schema is None:
        return {"kind": "none"}
    if op.unwrap_result and is_success_envelope(schema):
        schema = schema["properties"]["result"]
    table = field_table(schema, components, docs)
    if table.get("", {}).get("enum") == ["null"]:
        return {"kind": "none"}
    return {"kind": "page" if op.pagination is not None else "json", "fields": table}


def api_surface(api: Api, doc: dict[str, Any], entry: OperationEntry = operation_entry) -> Surface:
    """The surface of ``api`` (built from the normalized ``doc``), ready to be written as JSON."""
    components = doc.get("components", {}).get("schemas", {})
    raw = {(path, method): op for path, method, op in iter_operations(doc)}
    operations = {
        op.call_path: entry(op, raw[op.path, op.http_method], components)
        for op in sorted(api.operations, key=lambda op: op.call_path)
    }
    return {"format": SURFACE_FORMAT, "version": api.config.version, "operations": operations}
