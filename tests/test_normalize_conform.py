"""Schemas read the way the description's own examples need: typeless schemas and ``nullable`` through ``allOf``."""

from __future__ import annotations

import copy
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.model.types import type_of
from clientgen.normalize import normalize

ENVELOPE = {
    "type": "object",
    "required": ["success"],
    "properties": {"success": {"type": "boolean", "enum": [True]}, "errors": {"type": "array", "items": {}}},
}
ROUTE_VALUE = {"properties": {"type": {"enum": ["temporary", "permanent"]}, "url": {"type": "string"}}}
ACTIONS = {
    "type": "array",
    "example": [{"id": "browser_check", "value": "on"}],
    "items": {"oneOf": [{"type": "object", "properties": {"name": {"enum": ["forward_url"]}, "value": ROUTE_VALUE}}]},
}


def _document(result: dict[str, Any], actions: dict[str, Any]) -> dict[str, Any]:
    envelope = {"allOf": [ENVELOPE, {"properties": {"result": result}, "required": ["result"]}]}
    ok = {"200": {"description": "ok", "content": {"application/json": {"schema": envelope}}}}
    login_design = {"properties": ROUTE_VALUE["properties"]}
    body = {"type": "object", "properties": {"actions": actions, "login_design": login_design}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/zones/{zone_id}/scripts/{script_id}": {"get": {"operationId": "get-script", "responses": ok}},
            "/zones/{zone_id}/pagerules": {
                "post": {
                    "operationId": "create-pagerule",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": ok,
                }
            },
        },
    }


NULLABLE_RESULT = {
    "allOf": [
        {"type": "object", "nullable": True},
        {"type": "object", "properties": {"id": {"type": "string"}, "url": {"type": "string"}}},
    ]
}


def _normalized(actions: dict[str, Any]) -> dict[str, Any]:
    return normalize(_document(copy.deepcopy(NULLABLE_RESULT), actions), Diagnostics())


def _models(doc: dict[str, Any]) -> dict[str, tuple[str, str, bool]]:
    return {name: ("m", name, True) for name in doc["components"]["schemas"]}


def _body_property(doc: dict[str, Any], name: str) -> dict[str, Any]:
    body = doc["paths"]["/zones/{zone_id}/pagerules"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[1]
    schema: dict[str, Any] = doc["components"]["schemas"][ref]["properties"][name]
    return schema


def test_a_typeless_schema_holds_the_non_object_its_example_shows() -> None:
    doc = _normalized(ACTIONS)
    items = _body_property(doc, "actions")["items"]
    action = items.get("oneOf", [items])[0]
    action_schema = doc["components"]["schemas"][action["$ref"].rsplit("/", 1)[1]]
    annotation = type_of(action_schema["properties"]["value"], _models(doc)).annotation
    assert "str" in annotation.split(" | ")
    assert any(member.endswith("Value") for member in annotation.split(" | ")), annotation


def test_a_typeless_schema_without_such_an_example_stays_an_object() -> None:
    doc = _normalized({**ACTIONS, "example": [{"name": "forward_url", "value": {"url": "https://x"}}]})
    for name in ("actions", "login_design"):
        found = _body_property(doc, name)
        schema = found.get("items", found)
        assert "anyOf" not in schema
        assert "$ref" in schema or "oneOf" in schema


def test_nullable_survives_all_of_and_hoisting() -> None:
    doc = _normalized(ACTIONS)
    envelope = doc["paths"]["/zones/{zone_id}/scripts/{script_id}"]["get"]["responses"]["200"]
    result = envelope["content"]["application/json"]["schema"]["properties"]["result"]
    assert type_of(result, _models(doc)).annotation.endswith("| None")
