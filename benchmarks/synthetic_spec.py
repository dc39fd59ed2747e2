"""A deterministic synthetic OpenAPI 3.0 description of N operations, for measuring how generation scales.

    python benchmarks/synthetic_spec.py 2500 /tmp/synthetic-2500.json [--plain]

CRUD over about N/4 resources (``list``, ``create``, ``get``, ``edit``; one more ``delete`` where N is
not a multiple of 4), grouped under top-level resources of 40 each (``/accounts/{account_id}/<group>/<things>``),
like Cloudflare's.  Every operation has its own 30-field object schema, a component referenced from its
request or response body (``<Thing>Summary`` for list, ``<Thing>Create``, ``<Thing>``, ``<Thing>Edit``):
strings with formats and bounds, integers and numbers with bounds, enums, booleans, arrays of strings,
enums and objects, a nested object, nullable fields.  The contents differ between resources (field names,
enum values and bounds are drawn per resource), so nothing is merged away.

By default the description looks like Cloudflare's: success envelopes (``success``, ``errors``,
``messages``, ``result``), failure envelopes on 4XX, and component keys that are machine noise
(``<group>_a1b2c3``), so models are named from content and use.  ``--plain`` writes bare bodies and
word keys (``KalomiSummary``), the way Stripe-like descriptions are named.

Shapes.  By default a resource's four schemas share a nested object and an array of small objects (two of
their 30 fields), hoisted into two more models per resource: 1.5 models per operation, about 31 fields per
operation.  ``--flat`` is the issue's shape ("10,083 operations and 10,083 models (30 fields each)"): those
two fields are plain too (a string map and an array of strings), so every operation has one 30-field model
and nothing more is hoisted (N=10,083: 10,084 models, the last resource's ``edit`` schema unused by any call).

Resource ``i`` is the same at every N (one seeded generator per resource): the description at N=2,500
is a prefix of the one at N=10,083, so per-operation costs compare like with like.  Nothing here is
stored in the repository: the file is written where the caller says (a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

__all__ = ["synthetic_spec", "write_synthetic_spec"]

FIELDS_PER_MODEL = 30
RESOURCES_PER_GROUP = 40
_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ren",
    "tas",
    "vo",
    "zu",
    "pel",
    "dor",
    "fin",
    "gra",
    "hul",
    "jex",
    "kor",
    "lum",
    "nax",
    "ob",
    "pri",
    "qua",
    "ros",
    "sil",
    "tor",
    "ur",
    "vex",
    "wil",
    "yan",
    "zor",
    "bel",
    "cim",
    "dex",
)
_WORDS = (
    "name",
    "title",
    "label",
    "status",
    "state",
    "kind",
    "mode",
    "level",
    "region",
    "zone",
    "owner",
    "color",
    "size",
    "limit",
    "count",
    "weight",
    "price",
    "score",
    "ratio",
    "delay",
    "timeout",
    "retries",
    "enabled",
    "visible",
    "locked",
    "archived",
    "created",
    "modified",
    "expires",
    "started",
    "finished",
    "checked",
    "source",
    "target",
    "origin",
    "path",
    "host",
    "port",
    "address",
    "email",
    "url",
    "token",
    "secret",
    "comment",
    "note",
    "summary",
    "detail",
    "version",
    "revision",
    "priority",
    "tags",
    "aliases",
    "rules",
    "steps",
    "hooks",
    "filters",
    "scopes",
    "members",
    "settings",
    "options",
    "metadata",
    "config",
    "policy",
)
_ENUM_WORDS = (
    "active",
    "pending",
    "paused",
    "deleted",
    "failed",
    "queued",
    "running",
    "done",
    "low",
    "medium",
    "high",
    "strict",
    "lenient",
    "allow",
    "block",
    "challenge",
    "log",
    "skip",
    "on",
    "off",
)
_OPERATIONS = ("list", "create", "get", "edit", "delete")


def _word(number: int) -> str:
    """A pronounceable word for ``number``, distinct for every number (base-30 syllables)."""
    syllables = [_SYLLABLES[number % len(_SYLLABLES)]]
    number //= len(_SYLLABLES)
    while number:
        syllables.append(_SYLLABLES[number % len(_SYLLABLES)])
        number //= len(_SYLLABLES)
    return "".join(syllables) if len(syllables) > 1 else syllables[0] + "ra"


def _field_schema(
    rng: random.Random, kind: int, resource: str, parts: tuple[dict[str, Any], dict[str, Any]] | None
) -> dict[str, Any]:
    """One property of one of twelve kinds; bounds and enum values drawn from ``rng``; ``parts`` None: flat."""
    if kind == 0:
        return {"type": "string", "maxLength": rng.randint(16, 255), "description": f"The {resource}'s text."}
    if kind == 1:
        return {"type": "string", "format": "date-time", "readOnly": rng.random() < 0.5}
    if kind == 2:
        return {"type": "integer", "minimum": 0, "maximum": rng.randint(10, 100_000)}
    if kind == 3:
        return {"type": "number", "minimum": 0, "exclusiveMaximum": True, "maximum": rng.randint(1, 1000)}
    if kind == 4:
        return {"type": "boolean", "default": rng.random() < 0.5}
    if kind == 5:
        return {"type": "string", "enum": sorted(rng.sample(_ENUM_WORDS, rng.randint(2, 6))) + [f"{resource}_mode"]}
    if kind == 6:
        return {"type": "array", "items": {"type": "string", "format": "uuid"}, "maxItems": rng.randint(5, 50)}
    if kind == 7:
        return {"type": "array", "items": {"type": "string", "enum": sorted(rng.sample(_ENUM_WORDS, 3))}}
    if kind == 8:
        return {"type": "string", "format": "email", "nullable": True}
    if kind == 9:
        return {"type": "string", "pattern": f"^[a-z0-9-]{{1,{rng.randint(8, 63)}}}$", "example": "abc-1"}
    if parts is None:  # flat: no object below the model (the shape)
        if kind == 10:
            return {"type": "object", "additionalProperties": {"type": "string"}}
        return {"type": "array", "items": {"type": "string", "maxLength": 64}}  # no draw: the rest as by default
    return dict(parts[kind - 10])  # a nested object, or an array of objects: the resource's own (one model each)


def _nested_parts(rng: random.Random, resource: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A nested object and an array of small objects, the same in all of a resource's schemas (hoisted once each)."""
    nested = {
        "type": "object",
        "properties": {
            "mode": {"type": "string", "enum": sorted(rng.sample(_ENUM_WORDS, 3))},
            "ttl": {"type": "integer", "minimum": rng.randint(0, 60)},
            "value": {"type": "string", "maxLength": rng.randint(8, 1024)},
            f"{resource}_flag": {"type": "boolean"},
        },
        "required": ["mode"],
    }
    item = {
        "type": "object",
        "properties": {
            "key": {"type": "string", "maxLength": rng.randint(8, 128)},
            "weight": {"type": "integer", "minimum": 0, "maximum": rng.randint(1, 100)},
            f"{resource}_note": {"type": "string"},
        },
        "required": ["key"],
    }
    return nested, {"type": "array", "items": item}


def _model(
    rng: random.Random, resource: str, role: str, parts: tuple[dict[str, Any], dict[str, Any]] | None
) -> dict[str, Any]:
    """A 30-field object schema for ``role`` of ``resource``, its fields drawn from ``rng``."""
    names = rng.sample(_WORDS, FIELDS_PER_MODEL - 1)
    properties: dict[str, Any] = {"id": {"type": "string", "format": "uuid", "readOnly": role != "edit"}}
    for number, name in enumerate(names):
        kind = number % 12
        properties[name] = _field_schema(rng, kind, resource, parts)
    required = sorted(rng.sample(sorted(properties), 5)) if role in {"create", "full"} else ["id"]
    return {"type": "object", "description": f"A {resource} ({role}).", "properties": properties, "required": required}


def _envelope(result: dict[str, Any], *, plain: bool) -> dict[str, Any]:
    if plain:
        return result
    return {
        "allOf": [
            {"$ref": "#/components/schemas/common_api-response-common"},
            {"type": "object", "properties": {"result": result}},
        ]
    }


def _responses(result: dict[str, Any], *, plain: bool) -> dict[str, Any]:
    body = {"application/json": {"schema": _envelope(result, plain=plain)}}
    responses: dict[str, Any] = {"200": {"description": "OK", "content": body}}
    if not plain:
        failure = {"$ref": "#/components/schemas/common_api-response-common-failure"}
        responses["4XX"] = {"description": "Failure", "content": {"application/json": {"schema": failure}}}
    return responses


def _common_components() -> dict[str, Any]:
    message = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"code": {"type": "integer", "minimum": 1000}, "message": {"type": "string"}},
            "required": ["code", "message"],
            "uniqueItems": True,
        },
    }
    return {
        "common_api-response-common": {
            "type": "object",
            "properties": {
                "errors": message,
                "messages": message,
                "success": {"type": "boolean", "enum": [True]},
            },
            "required": ["success", "errors", "messages"],
        },
        "common_api-response-common-failure": {
            "type": "object",
            "properties": {
                "errors": {**message, "minLength": 1},
                "messages": message,
                "result": {"type": "object", "nullable": True},
                "success": {"type": "boolean", "enum": [False]},
            },
            "required": ["success", "errors", "messages", "result"],
        },
    }


def _key(group: str, thing: str, role: str, *, plain: bool, rng: random.Random) -> str:
    if plain:
        suffix = {"summary": "Summary", "create": "Create", "full": "", "edit": "Edit"}[role]
        return f"{thing.capitalize()}{suffix}"
    token = f"{rng.randrange(16**6):06x}"
    if not any(character.isdigit() for character in token):
        token = token[:5] + "7"
    return f"{group}_{token}{role[0]}"  # a re-rolled-looking prefix: machine noise, named from content


def synthetic_spec(operations: int, *, plain: bool = False, flat: bool = False) -> dict[str, Any]:
    """The description with ``operations`` operations (see the module docstring)."""
    schemas: dict[str, Any] = {} if plain else _common_components()
    paths: dict[str, Any] = {}
    account = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string", "maxLength": 32}}
    resource, left = 0, operations
    while left > 0:
        rng = random.Random(f"resource-{resource}")  # noqa: S311 - reproducible test data, not security
        group, thing = _word(1000 + resource // RESOURCES_PER_GROUP), _word(resource)
        base = f"/accounts/{{account_id}}/{group}/{thing}s"
        item_param = {
            "name": f"{thing}_id",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        }
        drawn = _nested_parts(rng, thing)  # drawn in both shapes: the other fields' values are the same
        parts = None if flat else drawn
        roles = {role: _model(rng, thing, role, parts) for role in ("summary", "create", "full", "edit")}
        keys = {role: _key(group, thing, role, plain=plain, rng=rng) for role in roles}
        for role, schema in roles.items():
            schemas[keys[role]] = schema
        ref = {role: {"$ref": f"#/components/schemas/{keys[role]}"} for role in roles}
        wanted = _OPERATIONS[: min(left, 4)] if left != 5 else _OPERATIONS  # N = 4k + 1: the last resource also deletes
        collection: dict[str, Any] = {"parameters": [account]}
        item: dict[str, Any] = {"parameters": [account, item_param]}
        for operation in wanted:
            op_id = f"{group}-{thing}-{operation}"
            if operation == "list":
                collection["get"] = {
                    "operationId": op_id,
                    "summary": f"List {thing}s",
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                        {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["name", "created"]}},
                        {"name": "match", "in": "query", "schema": {"type": "string", "enum": ["any", "all"]}},
                    ],
                    "responses": _responses({"type": "array", "items": ref["summary"]}, plain=plain),
                }
            elif operation == "create":
                collection["post"] = {
                    "operationId": op_id,
                    "summary": f"Create a {thing}",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": ref["create"]}}},
                    "responses": _responses(ref["full"], plain=plain),
                }
            elif operation == "get":
                item["get"] = {"operationId": op_id, "summary": f"Get a {thing}",
                               "responses": _responses(ref["full"], plain=plain)}  # fmt: skip
            elif operation == "edit":
                item["patch"] = {
                    "operationId": op_id,
                    "summary": f"Edit a {thing}",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": ref["edit"]}}},
                    "responses": _responses(ref["full"], plain=plain),
                }
            else:
                deleted = _responses({"type": "object", "nullable": True}, plain=plain)
                item["delete"] = {"operationId": op_id, "summary": f"Delete a {thing}", "responses": deleted}
        paths[base] = collection
        if len(item) > 1:
            paths[f"{base}/{{{thing}_id}}"] = item
        left -= len(wanted)
        resource += 1
    return {
        "openapi": "3.0.3",
        "info": {"title": "Synthetic API", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }


def write_synthetic_spec(operations: int, path: Path, *, plain: bool = False, flat: bool = False) -> Path:
    """Write the description to ``path`` (compact JSON, sorted keys: the same bytes on every run)."""
    document = synthetic_spec(operations, plain=plain, flat=flat)
    path.write_text(json.dumps(document, sort_keys=True), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operations", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--plain", action="store_true", help="bare bodies and word component keys")
    parser.add_argument("--flat", action="store_true", help="the issue's shape: one 30-field model per operation")
    args = parser.parse_args()
    write_synthetic_spec(args.operations, args.output, plain=args.plain, flat=args.flat)
    print(f"wrote {args.output} ({args.output.stat().st_size / 1e6:.1f} MB, {args.operations} operations)")


if __name__ == "__main__":
    main()
