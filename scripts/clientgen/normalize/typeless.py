"""Schemas without ``type``: ``properties`` alone constrains only objects, so any other JSON value is valid.

JSON Schema reads ``{properties: {...}}`` without ``type`` as "any JSON value; when it is an object, these
properties".  Generators read it as an object, which refuses the description's own examples: Page Rules'
action ``value`` is ``{"url": ..., "type": ...}`` for ``forward_url`` and ``"on"`` for ``browser_check``.
Every such schema (after ``allOf`` flattening, which types its merge ``object``: a merge of objects is one)
is marked ``x-clientgen-any-json``: its model class subclasses the package's ``AnyJsonModel``, which
validates an object as the model and passes a string, number, boolean or array through as received, in
both directions and in strict mode.  Where the value stands decides what its *type* says:

- an example of the description shows it holding a non-object (a schema's ``example``/``examples``, or a
  media type's, read down through properties, items and unions): ``anyOf[object, string, number, boolean,
  array]`` everywhere, the type states the truth both ways;
- a request's field below the top level (keyword arguments, TypedDicts, body models' fields):
  ``anyOf[<the marked object>, string, number, boolean, array]``, so ``value="on"`` type-checks;
- a request body itself (its properties are the method's keywords) and a union's member (the members tell
  objects apart): the marked object;
- a response: the marked object, so the annotation is the model and a non-object arrives as received
  (Cloudflare 2024-08-06: 112 results and 42 plain fields; ``Model | str | float | bool | list`` there
  would make every such result a union to narrow before use, for values the description never shows).

``enum``/``const`` constrain every kind and already type the value (``Literal``); ``items``-,
``additionalProperties``- and ``required``-only typeless schemas (none left in Cloudflare or the peers
after normalizing) stay as read.  Hoisting keys a class without the marker, so no class changes its name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.normalize.schemas import Shared, iter_operation_schemas, iter_operations, op_pointer

__all__ = ["ANY_JSON", "is_typeless_object", "typeless_evidence", "widen_typeless"]

_UNIONS = ("anyOf", "oneOf", "allOf")
_JSON_KINDS: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "integer": (int,), "number": (int, float),
    "boolean": (bool,),
}  # fmt: skip
_OTHER_VALUES: tuple[dict[str, Any], ...] = (
    {"type": "string"},
    {"type": "number"},
    {"type": "boolean"},
    {"type": "array", "items": {}},
)
ANY_JSON = "x-clientgen-any-json"  # on an object schema: its model class accepts any JSON value
_OUTER_KEYS = frozenset({"description", "nullable", "example", "examples", "readOnly", "writeOnly", "deprecated"})


def is_typeless_object(node: Any) -> bool:
    """``properties`` without ``type`` (and not a union, which decides for itself)."""
    return (
        isinstance(node, dict)
        and isinstance(node.get("properties"), dict)
        and "type" not in node
        and not any(key in node for key in _UNIONS)
    )


def _accepts(schema: Any, value: Any) -> bool:
    """Whether ``schema``'s declared ``type`` admits ``value``'s JSON type (no declared type: unknown, False)."""
    kind = schema.get("type") if isinstance(schema, dict) else None
    expected = _JSON_KINDS.get(str(kind))
    if expected is None:
        return False
    return isinstance(value, expected) and (bool in expected or not isinstance(value, bool))


def _own_examples(holder: dict[str, Any]) -> Iterator[Any]:
    if "example" in holder:
        yield holder["example"]
    examples = holder.get("examples")
    if isinstance(examples, dict):  # a media type's named examples
        yield from (item["value"] for item in examples.values() if isinstance(item, dict) and "value" in item)
    elif isinstance(examples, list):  # a 3.1 schema's examples
        yield from examples


def _children(node: dict[str, Any]) -> Iterator[Any]:
    properties = node.get("properties")
    if isinstance(properties, dict):
        yield from properties.values()
    for key in _UNIONS:
        if isinstance(node.get(key), list):
            yield from node[key]
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            yield node[key]


class _Holds:
    """Whether a subtree holds a schema matching a test, memoized per shared dict (the walks skip the rest)."""

    def __init__(self, test: Any) -> None:
        self.test = test
        self.memo: dict[int, bool] = {}

    def __call__(self, node: Any) -> bool:
        if not isinstance(node, dict):
            return False
        known = self.memo.get(id(node))
        if known is None:
            known = self.test(node) or any(self(child) for child in _children(node))
            self.memo[id(node)] = known
        return known


def _key(node: object) -> str:
    return json.dumps(node, sort_keys=True, separators=(",", ":"), default=str)


class _Evidence:
    """Content keys of typeless schemas an example shows holding a non-object."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.seen: set[tuple[int, str]] = set()
        self.relevant = _Holds(is_typeless_object)

    def walk(self, node: Any, values: list[Any]) -> None:
        if not self.relevant(node):
            return
        values = [*values, *_own_examples(node)]
        marker = (id(node), _key(values))
        if marker in self.seen:  # inlined components are shared dicts: each (schema, examples) once
            return
        self.seen.add(marker)
        if is_typeless_object(node) and any(value is not None and not isinstance(value, dict) for value in values):
            self.keys.add(_key(node))
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                self.walk(sub, [value[name] for value in values if isinstance(value, dict) and name in value])
        if isinstance(node.get("items"), dict):
            self.walk(node["items"], [item for value in values if isinstance(value, list) for item in value])
        for key in _UNIONS:
            members = node.get(key)
            if isinstance(members, list):
                for member in members:  # a value another member declares its type for is not this member's
                    others = [other for other in members if other is not member]
                    self.walk(member, [value for value in values if not any(_accepts(o, value) for o in others)])


def _widened(node: dict[str, Any]) -> dict[str, Any]:
    outer = {key: value for key, value in node.items() if key in _OUTER_KEYS}
    inner = {key: value for key, value in node.items() if key not in _OUTER_KEYS}
    return {**outer, "anyOf": [{**inner, "type": "object"}, *(dict(other) for other in _OTHER_VALUES)]}


def _any_json_object(node: dict[str, Any]) -> dict[str, Any]:
    """The object reading, marked: its model class passes any non-object JSON value through as received.

    Still without ``type``: hoisting keys a class by its content without the marker, so every class keeps the
    key (and so the name) it had before the marker.
    """
    return {**node, ANY_JSON: True} if node.get("properties") else node  # no properties: no class, any value


def _input_union(node: dict[str, Any]) -> dict[str, Any]:
    """A request's reading: the marked object first (so the class is the response's), then the other kinds."""
    outer = {key: value for key, value in node.items() if key in _OUTER_KEYS - {"example", "examples"}}
    return {**outer, "anyOf": [_any_json_object(node), *(dict(other) for other in _OTHER_VALUES)]}


class _Rebuild:
    """One direction's rebuild: ``request`` widens nested typeless schemas in the type too, a response only marks."""

    def __init__(self, keys: set[str], diags: Diagnostics, *, request: bool) -> None:
        self.keys = keys
        self.diags = diags
        self.request = request
        self.done = Shared(diags)  # shared dicts rebuilt once (and stay shared), reported at every place
        self.relevant = _Holds(is_typeless_object)

    def root(self, node: Any, pointer: str) -> Any:
        """A top-level schema: a request body stays an object, its properties are the method's keywords."""
        return self._object(node, pointer) if self.request else self.node(node, pointer)

    def _object(self, node: Any, pointer: str) -> Any:
        """Marked, never widened: a request body, or a union's member.

        A union's members tell objects apart; the other kinds beside each member would leave nothing to tell.
        """
        if is_typeless_object(node) and _key(node) not in self.keys:
            return _any_json_object(self._children(node, pointer))
        return self.node(node, pointer)

    def node(self, node: Any, pointer: str) -> Any:
        if not self.relevant(node):
            return node
        seen, result = self.done.replay(node, pointer)
        if seen:
            return result
        since = len(self.diags.items)
        rebuilt = self._children(node, pointer)
        if is_typeless_object(node):
            if _key(node) in self.keys:
                self.diags.add(pointer, "typeless-any", "no type, and an example holds a non-object: any JSON value")
                rebuilt = _widened(rebuilt)
            elif self.request:
                self.diags.add(pointer, "typeless-any-input", "no type: any JSON value, typed so where it is sent")
                rebuilt = _input_union(rebuilt)
            else:
                rebuilt = _any_json_object(rebuilt)
        self.done.keep(node, rebuilt, pointer, since)
        return rebuilt

    def _children(self, node: dict[str, Any], pointer: str) -> dict[str, Any]:
        rebuilt = dict(node)
        if isinstance(node.get("properties"), dict):
            rebuilt["properties"] = {
                name: self.node(sub, f"{pointer}/properties/{escape_pointer_token(name)}")
                for name, sub in node["properties"].items()
            }
        for key in _UNIONS:
            if isinstance(node.get(key), list):
                rebuilt[key] = [self._object(sub, f"{pointer}/{key}/{index}") for index, sub in enumerate(node[key])]
        for key in ("items", "additionalProperties", "not"):
            if isinstance(node.get(key), dict):
                rebuilt[key] = self.node(node[key], f"{pointer}/{key}")
        return rebuilt


def _is_request(pointer: str) -> bool:
    return "/responses/" not in pointer


def typeless_evidence(doc: dict[str, Any]) -> set[str]:
    """Content keys of the typeless schemas the operations' examples show holding a non-object."""
    evidence = _Evidence()
    for _path, _method, op in iter_operations(doc):
        for _pointer, container, key in iter_operation_schemas(op, ""):
            evidence.walk(container[key], list(_own_examples(container)))
    return evidence.keys


def widen_typeless(doc: dict[str, Any], diags: Diagnostics, evidence: set[str] | None = None) -> None:
    """Every typeless schema with properties accepts any JSON value (its class: ``AnyJsonModel``).

    Its type says so where an example shows a non-object (both directions) and where it is sent (below a
    request's top level); a response's stays the model (see the module's docstring).  ``evidence``: the
    whole document's :func:`typeless_evidence`, when ``doc`` is only a part of it.
    """
    keys = typeless_evidence(doc) if evidence is None else evidence
    operations = list(iter_operations(doc))
    requests = _Rebuild(keys, diags, request=True)
    responses = _Rebuild(keys, diags, request=False)
    for path, method, op in operations:
        for pointer, container, key in list(iter_operation_schemas(op, op_pointer(path, method))):
            rebuild = requests if _is_request(pointer.removeprefix(op_pointer(path, method))) else responses
            container[key] = rebuild.root(container[key], pointer)
    schemas = doc.get("components", {}).get("schemas", {})
    for name in sorted(schemas):  # kept (recursive) components serve both directions: read as responses are
        schemas[name] = responses.node(schemas[name], f"/components/schemas/{escape_pointer_token(name)}")
