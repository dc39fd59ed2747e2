"""Walking schemas: where they sit in an operation and how to rebuild them bottom-up.

Passes never mutate a schema in place: inlining shares one dict between many places,
so every transformation builds new dicts (:func:`transform`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from clientgen.diagnostics import Diagnostic, Diagnostics, escape_pointer_token
from clientgen.routes import Route, route_table

__all__ = [
    "HTTP_METHODS",
    "SchemaFn",
    "Shared",
    "iter_operation_schemas",
    "iter_operations",
    "map_operation_schemas",
    "resolve_component",
    "routes",
    "success_content",
    "success_response",
    "transform",
]

Schema = dict[str, Any]
SchemaFn = Callable[[Schema, str], Schema]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_SINGLES = ("items", "not", "additionalProperties")


class Shared:
    """One pass's results per schema dict: a schema met again gets the result it got first, its decisions again.

    Inlining shares one dict between every place a component is used (17 places per schema in Cloudflare's
    description): :func:`transform` then rebuilds it once, not once per place, and the result stays shared
    (a pass never changes a schema in place, so sharing is safe).  What ``fn`` decided below the first place
    is reported again below each other place (the decisions a place gets do not depend on what came first).
    Only for an ``fn`` that reads the node alone: its pointer only says where to report.
    """

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags
        # id(schema) -> (the schema, kept alive so its id is not reused; the result; its pointer; the decisions)
        self.done: dict[int, tuple[Schema, Any, str, list[Diagnostic]]] = {}

    def replay(self, schema: Schema, pointer: str) -> tuple[bool, Any]:
        """(True, the result) when ``schema`` was rebuilt before, its decisions reported again at ``pointer``."""
        found = self.done.get(id(schema))
        if found is None:
            return False, None
        _, result, first, decisions = found
        for item in decisions:
            self.diags.add(pointer + item.pointer[len(first) :], item.code, item.message, item.level)
        return True, result

    def keep(self, schema: Schema, result: Any, pointer: str, since: int) -> None:
        """Remember ``result`` of ``schema`` at ``pointer``; ``since``: the number of decisions before it."""
        decisions = self.diags.items[since:]
        below = f"{pointer}/"
        if all(item.pointer == pointer or item.pointer.startswith(below) for item in decisions):
            self.done[id(schema)] = (schema, result, pointer, decisions)


def transform(schema: Any, fn: SchemaFn, pointer: str, shared: Shared | None = None) -> Any:
    """Rebuild ``schema`` post-order: children first, then ``fn(node, pointer)`` on each node.

    ``shared``: each shared dict is rebuilt once per pass (:class:`Shared`).
    """
    if not isinstance(schema, dict):
        return schema
    since = 0
    if shared is not None:
        seen, result = shared.replay(schema, pointer)
        if seen:
            return result
        since = len(shared.diags.items)
    node = dict(schema)
    props = node.get("properties")
    if isinstance(props, dict):
        node["properties"] = {
            name: transform(sub, fn, f"{pointer}/properties/{escape_pointer_token(name)}", shared)
            for name, sub in props.items()
        }
    for key in _SCHEMA_LISTS:
        branches = node.get(key)
        if isinstance(branches, list):
            node[key] = [transform(sub, fn, f"{pointer}/{key}/{index}", shared) for index, sub in enumerate(branches)]
    for key in _SCHEMA_SINGLES:
        if isinstance(node.get(key), dict):
            node[key] = transform(node[key], fn, f"{pointer}/{key}", shared)
    result = fn(node, pointer)
    if shared is not None:
        shared.keep(schema, result, pointer, since)
    return result


def iter_operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) in sorted order."""
    for path in sorted(doc.get("paths", {})):
        item = doc["paths"][path]
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield path, method, item[method]


def _op_pointer(path: str, method: str) -> str:
    return f"/paths/{escape_pointer_token(path)}/{method}"


def iter_operation_schemas(op: dict[str, Any], op_pointer: str) -> Iterator[tuple[str, dict[str, Any], str]]:
    """(pointer, container, key) for each top-level schema of an operation: params, bodies, responses."""
    for index, param in enumerate(op.get("parameters") or []):
        if isinstance(param, dict) and isinstance(param.get("schema"), dict):
            yield f"{op_pointer}/parameters/{index}/schema", param, "schema"
    for owner_pointer, owner in _content_owners(op, op_pointer):
        for media, media_object in sorted((owner.get("content") or {}).items()):
            if isinstance(media_object, dict) and isinstance(media_object.get("schema"), dict):
                yield f"{owner_pointer}/content/{escape_pointer_token(media)}/schema", media_object, "schema"


def _content_owners(op: dict[str, Any], op_pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(op.get("requestBody"), dict):
        yield f"{op_pointer}/requestBody", op["requestBody"]
    for code, response in sorted((op.get("responses") or {}).items()):
        if isinstance(response, dict):
            yield f"{op_pointer}/responses/{escape_pointer_token(code)}", response


def success_response(op: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The first 2xx response (the one a method returns) and its status code; ``None`` when there is none."""
    responses = op.get("responses") or {}
    codes = sorted(str(code) for code in responses if str(code).startswith("2"))
    if not codes:
        return None
    response = responses[codes[0]]
    return codes[0], response if isinstance(response, dict) else {}


def success_content(op: dict[str, Any]) -> dict[str, Any]:
    """Media type -> media object of the first 2xx response; empty without one."""
    success = success_response(op)
    return (success[1].get("content") or {}) if success is not None else {}


def map_operation_schemas(doc: dict[str, Any], fn: Callable[[Schema, str], Schema]) -> None:
    """Replace every top-level operation schema by ``fn(schema, pointer)`` (containers are copied, not shared).

    The schema components the ref pass kept (recursive ones, models-only documents) are mapped too, at
    ``/components/schemas/<key>``: they are schemas like the operations' and need the same repairs.
    """
    for path, method, op in iter_operations(doc):
        for pointer, container, key in list(iter_operation_schemas(op, _op_pointer(path, method))):
            container[key] = fn(container[key], pointer)
    components = doc.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if isinstance(components, dict) and isinstance(schemas, dict) and schemas:
        components["schemas"] = {
            key: fn(schema, f"/components/schemas/{escape_pointer_token(key)}") for key, schema in schemas.items()
        }


def routes(doc: dict[str, Any]) -> dict[tuple[str, str], Route]:
    """The route (resource nouns and verb) of every operation in the document."""
    return route_table((path, method) for path, method, _ in iter_operations(doc))


def op_pointer(path: str, method: str) -> str:
    return _op_pointer(path, method)


_SCHEMA_REF = "#/components/schemas/"
_MAX_REF_HOPS = 20  # an alias of an alias ...: a chain longer than this is a loop


def resolve_component(schema: Any, components: dict[str, Any]) -> dict[str, Any]:
    """The schema a local ``$ref`` points at, following aliases (``{}`` for a loop or a dangling one)."""
    for _ in range(_MAX_REF_HOPS):
        if not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith(_SCHEMA_REF):
            return schema
        schema = components.get(ref.removeprefix(_SCHEMA_REF))
    return {}
