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


def test_read_only_fields_are_not_required_in_requests_write_only_not_in_responses() -> None:
    diags = Diagnostics()
    body, response = _schemas(apply_directions(_document(copy.deepcopy(RECORD), copy.deepcopy(RECORD)), diags))
    assert body["required"] == ["name", "password"]
    assert "required" not in body["properties"]["meta"]  # nested too
    assert set(body["properties"]) == set(RECORD["properties"])  # the fields stay, optional
    assert response["required"] == ["id", "name"]
    assert response["properties"]["meta"]["required"] == ["created_on"]
    assert {item.code for item in diags.items} == {"one-way-required"}


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
