"""Schemas read the way the description's own examples need: typeless schemas and ``nullable`` through ``allOf``."""

from __future__ import annotations

import copy
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.model.types import type_of
from clientgen.normalize import normalize
from clientgen.normalize.typeless import ANY_JSON

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


def test_a_typeless_schema_in_a_request_takes_any_json_value_its_object_the_marked_model() -> None:
    doc = _normalized({**ACTIONS, "example": [{"name": "forward_url", "value": {"url": "https://x"}}]})
    for name in ("actions", "login_design"):
        found = _body_property(doc, name)
        schema = found.get("items", found)
        schema = schema.get("oneOf", [schema])[0]
        if name == "actions":  # the action object has a type: only its typeless ``value`` is widened
            schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]["properties"]["value"]
        first, *others = schema["anyOf"]
        assert [other["type"] for other in others] == ["string", "number", "boolean", "array"]
        component = doc["components"]["schemas"][first["$ref"].rsplit("/", 1)[1]]
        assert component[ANY_JSON] is True


def test_a_typeless_response_stays_its_model_marked_to_accept_any_json_value() -> None:
    document = _document({"properties": {"id": {"type": "string"}}}, ACTIONS)
    doc = normalize(document, Diagnostics())
    envelope = doc["paths"]["/zones/{zone_id}/scripts/{script_id}"]["get"]["responses"]["200"]
    result = envelope["content"]["application/json"]["schema"]["properties"]["result"]
    assert "anyOf" not in result
    component = doc["components"]["schemas"][result["$ref"].rsplit("/", 1)[1]]
    assert component[ANY_JSON] is True
    assert type_of(result, _models(doc)).model_class is not None


def test_nullable_survives_all_of_and_hoisting() -> None:
    doc = _normalized(ACTIONS)
    envelope = doc["paths"]["/zones/{zone_id}/scripts/{script_id}"]["get"]["responses"]["200"]
    result = envelope["content"]["application/json"]["schema"]["properties"]["result"]
    assert type_of(result, _models(doc)).annotation.endswith("| None")


def test_a_typeless_union_member_in_a_request_stays_the_marked_object() -> None:
    members = [
        {"properties": {"kind": {"enum": ["a"]}, "url": {"type": "string"}}, "required": ["kind"]},
        {"properties": {"kind": {"enum": ["b"]}, "code": {"type": "integer"}}, "required": ["kind"]},
    ]
    actions = {"type": "array", "items": {"type": "object", "properties": {"rule": {"oneOf": members}}}}
    doc = _normalized(actions)
    item = doc["components"]["schemas"][_body_property(doc, "actions")["items"]["$ref"].rsplit("/", 1)[1]]
    variants = item["properties"]["rule"]["oneOf"]
    assert [set(variant) for variant in variants] == [{"$ref"}, {"$ref"}]  # no union of other kinds per member
    for variant in variants:
        assert doc["components"]["schemas"][variant["$ref"].rsplit("/", 1)[1]][ANY_JSON] is True
