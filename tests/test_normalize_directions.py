"""Normalizer passes reading one-way fields, plain-boolean success envelopes and page numbers as meant."""

from __future__ import annotations

import copy
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.constraints import repair_constraints
from clientgen.normalize.directions import apply_directions
from clientgen.normalize.envelopes import is_success_envelope, mark_success_envelopes

RECORD = {
    "type": "object",
    "required": ["id", "name", "password"],
    "properties": {
        "id": {"type": "string", "readOnly": True},
        "name": {"type": "string"},
        "password": {"type": "string", "writeOnly": True},
        "meta": {
            "type": "object",
            "required": ["created_on"],
            "properties": {"created_on": {"type": "string", "readOnly": True}},
        },
    },
}


def _document(response: dict[str, Any], body: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {"200": {"content": {"application/json": {"schema": response}}}}}
    if body is not None:
        op["requestBody"] = {"content": {"application/json": {"schema": body}}}
    return {"openapi": "3.0.3", "paths": {"/records": {"post": op}}}


def _schemas(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    op = doc["paths"]["/records"]["post"]
    body = op["requestBody"]["content"]["application/json"]["schema"]
    return body, op["responses"]["200"]["content"]["application/json"]["schema"]


def test_read_only_fields_leave_requests_write_only_fields_leave_responses() -> None:
    diags = Diagnostics()
    body, response = _schemas(apply_directions(_document(copy.deepcopy(RECORD), copy.deepcopy(RECORD)), diags))
    assert body["required"] == ["name", "password"]
    assert set(body["properties"]) == {"name", "password", "meta"}
    assert body["properties"]["meta"]["properties"] == {}  # nested too
    assert "required" not in body["properties"]["meta"]
    assert response["required"] == ["id", "name"]
    assert set(response["properties"]) == {"id", "name", "meta"}
    assert response["properties"]["meta"]["required"] == ["created_on"]
    assert {item.code for item in diags.items} == {"one-way-property"}


def test_read_only_fields_leave_union_branches_and_array_items() -> None:
    kinds = [copy.deepcopy(RECORD), {**copy.deepcopy(RECORD), "title": "other"}]
    body_schema = {"type": "array", "items": {"oneOf": kinds}}
    body, _ = _schemas(apply_directions(_document({"type": "object"}, body_schema), Diagnostics()))
    for branch in body["items"]["oneOf"]:
        assert "id" not in branch["properties"]
        assert "created_on" not in branch["properties"]["meta"]["properties"]


def test_a_union_root_requiring_read_only_fields_describes_the_stored_record() -> None:
    branch = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": ["A"]}, "id": {"type": "string"}, "created_on": {"readOnly": True}},
    }
    root = {"required": ["id", "type", "created_on"], "properties": {"id": {}, "created_on": {}}, "oneOf": [branch]}
    diags = Diagnostics()
    body, response = _schemas(apply_directions(_document(copy.deepcopy(root), copy.deepcopy(root)), diags))
    assert body["required"] == ["type"]  # id: optional in the request
    assert "properties" not in body
    assert set(body["oneOf"][0]["properties"]) == {"type", "id"}
    assert response["required"] == root["required"]  # the response is what the server stores
    assert "record-union-required" in {item.code for item in diags.items}


def test_schemas_without_one_way_fields_are_left_alone() -> None:
    plain = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    doc = _document(copy.deepcopy(plain), copy.deepcopy(plain))
    diags = Diagnostics()
    assert _schemas(apply_directions(doc, diags)) == (plain, plain)
    assert not diags.items


def _envelope(success: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"success": success, "result": {"type": "object"}}}


def _with_failure_envelope(doc: dict[str, Any]) -> dict[str, Any]:
    """The document also answers 4XX with Cloudflare's failure envelope: it uses the envelope convention."""
    failure = {"type": "object", "properties": {"success": {"type": "boolean", "enum": [False]}, "errors": {}}}
    doc["paths"]["/records"]["post"]["responses"]["4XX"] = {"content": {"application/json": {"schema": failure}}}
    return doc


def test_a_plain_boolean_success_in_a_2xx_envelope_reads_as_true() -> None:
    document = _with_failure_envelope(_document(_envelope({"type": "boolean", "example": True})))
    doc = mark_success_envelopes(document, diags := Diagnostics())
    assert is_success_envelope(_response(doc))
    assert [item.code for item in diags.items] == ["success-envelope"]


def test_a_success_result_object_is_no_envelope_in_a_document_without_envelopes() -> None:
    schema = _envelope({"type": "boolean", "example": True})
    doc = mark_success_envelopes(_document(copy.deepcopy(schema)), diags := Diagnostics())
    assert _response(doc) == schema
    assert not is_success_envelope(_response(doc))
    assert not diags.items


def test_explicit_success_values_and_non_envelopes_are_left_alone() -> None:
    for schema in (
        _envelope({"type": "boolean", "enum": [False]}),
        {"type": "object", "properties": {"success": {"type": "boolean"}}},  # no result: not an envelope
        {"type": "object", "properties": {"success": {"type": "string"}, "result": {}}},
    ):
        doc = _document(copy.deepcopy(schema))
        diags = Diagnostics()
        mark_success_envelopes(doc, diags)
        assert _response(doc) == schema
        assert not diags.items


def _response(doc: dict[str, Any]) -> Any:
    return doc["paths"]["/records"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]


def _listing(schema: dict[str, Any], name: str = "page") -> dict[str, Any]:
    op = {"parameters": [{"name": name, "in": "query", "schema": schema}], "responses": {}}
    return {"openapi": "3.0.3", "paths": {"/records": {"get": op}}}


def test_page_numbers_are_integers() -> None:
    doc = repair_constraints(_listing({"type": "number", "minimum": 1, "default": 1.0}), Diagnostics())
    schema = doc["paths"]["/records"]["get"]["parameters"][0]["schema"]
    assert schema == {"type": "integer", "minimum": 1, "default": 1}
    assert isinstance(schema["default"], int)


def test_other_numbers_and_fractional_bounds_stay_numbers() -> None:
    for doc in (_listing({"type": "number", "minimum": 0.5}), _listing({"type": "number"}, name="ratio")):
        before = copy.deepcopy(doc)
        assert repair_constraints(doc, Diagnostics()) == before


def _api(*responses: dict[str, Any]) -> dict[str, Any]:
    paths = {
        f"/r{index}": {"get": {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}}
        for index, schema in enumerate(responses)
    }
    return {"openapi": "3.0.3", "paths": paths}


def _schema_of(doc: dict[str, Any], index: int) -> Any:
    return doc["paths"][f"/r{index}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_a_bare_result_reads_as_the_envelope_in_an_api_of_envelopes() -> None:
    envelope = _envelope({"type": "boolean", "enum": [True]})
    bare = {"type": "object", "properties": {"result": {"type": "object", "properties": {"id": {"type": "string"}}}}}
    doc = mark_success_envelopes(_api(envelope, envelope, copy.deepcopy(bare)), Diagnostics())
    assert is_success_envelope(_schema_of(doc, 2))
    mixed = {"type": "object", "properties": {"result": {}, "name": {"type": "string"}}}  # not only envelope fields
    assert not is_success_envelope(_schema_of(mark_success_envelopes(_api(envelope, mixed), Diagnostics()), 1))


def test_a_bare_result_stays_as_it_is_where_envelopes_are_not_the_convention() -> None:
    bare = {"type": "object", "properties": {"result": {"type": "string"}}}
    plain = {"type": "object", "properties": {"result": {"type": "string"}, "name": {"type": "string"}}}
    doc = mark_success_envelopes(_api(copy.deepcopy(bare), plain, plain), Diagnostics())
    assert _schema_of(doc, 0) == bare


def test_a_patch_body_has_every_property_optional_but_the_tag() -> None:
    kinds = [
        {"type": "object", "required": ["type", "name"], "properties": {"type": {"enum": [kind]}, "name": {}}}
        for kind in ("A", "MX")
    ]
    plain = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    for schema, required in (({"oneOf": kinds}, ["type"]), (plain, None)):
        op = {"requestBody": {"content": {"application/json": {"schema": copy.deepcopy(schema)}}}, "responses": {}}
        doc = apply_directions({"openapi": "3.0.3", "paths": {"/r": {"patch": op}}}, diags := Diagnostics())
        body = doc["paths"]["/r"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
        for branch in body.get("oneOf", [body]):
            assert branch.get("required") == required
        assert "patch-optional" in {item.code for item in diags.items}
