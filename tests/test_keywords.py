"""Keyword arguments for object bodies, request models without read-only fields, plain types: written as a user would.

A small API with Cloudflare's shapes (a tagged union of record kinds whose stored form has read-only
``created_on``/``proxiable`` and a union-level ``required`` naming them, a PATCH of it, a body property
named like a path parameter, a nested object) is generated once; a user script is type-checked with
``mypy --strict`` and run against a live server that records the JSON it received.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from imported_package import generated_package
from live_server import LiveServer, RecordedRequest, Reply, json_reply
from user_scripts_check import assert_type_checks_without_crutches, mypy_against, run_script

ROOT = Path(__file__).resolve().parents[1]


def _record(kind: str, content: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    properties = {
        "type": {"type": "string", "enum": [kind]},
        "name": {"type": "string", "maxLength": 255, "description": "DNS record name."},
        "content": content,
        "ttl": {
            "anyOf": [{"type": "number", "minimum": 30, "maximum": 86400}, {"type": "number", "enum": [1]}],
            "default": 1,
        },
        "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}, "default": []},
        "id": {"type": "string", "maxLength": 32},
        "created_on": {"type": "string", "format": "date-time", "readOnly": True},
        "proxiable": {"type": "boolean", "readOnly": True},
        **(extra or {}),
    }
    return {
        "type": "object",
        "title": f"{kind} Record",
        "required": ["type", "name", "content"],
        "properties": properties,
    }


RECORD = {
    "type": "object",
    "required": ["id", "type", "name", "content", "created_on", "proxiable"],
    "oneOf": [
        _record("A", {"type": "string", "format": "ipv4"}),
        _record("MX", {"type": "string"}, {"priority": {"type": "integer", "minimum": 0}}),
    ],
}
SETTINGS = {
    "type": "object",
    "required": ["nested"],
    "properties": {
        "zone_id": {"type": "string", "description": "Another zone."},
        "nested": {
            "type": "object",
            "required": ["a"],
            "properties": {
                "a": {"type": "string"},
                "b": {"type": "integer"},
                "stamp": {"type": "string", "readOnly": True},
            },
        },
        "names": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
    },
}


def _ok(result: dict[str, Any]) -> dict[str, Any]:
    envelope = {
        "type": "object",
        "required": ["success", "errors", "messages", "result"],
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "errors": {"type": "array", "items": {}},
            "messages": {"type": "array", "items": {}},
            "result": result,
        },
    }
    return {"200": {"description": "ok", "content": {"application/json": {"schema": envelope}}}}


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


# a union without a tag whose members require different fields: one overload each
HOOK = {
    "oneOf": [
        {
            "type": "object",
            "required": ["url"],
            "properties": {"url": {"type": "string"}, "secret": {"type": "string"}},
        },
        {
            "type": "object",
            "required": ["queue"],
            "properties": {"queue": {"type": "string"}, "batch": {"type": "integer"}},
        },
    ]
}
BARE_ID = {"type": "object", "properties": {"result": {"type": "object", "properties": {"id": {"type": "string"}}}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Keywords API", "version": "1"},
    "paths": {
        "/zones/{zone_id}/records": {
            "post": {
                "operationId": "records-create",
                "parameters": [_path("zone_id")],
                "requestBody": _json(RECORD),
                "responses": _ok(RECORD),
            }
        },
        "/zones/{zone_id}/records/{record_id}": {
            "patch": {
                "operationId": "records-edit",
                "parameters": [_path("zone_id"), _path("record_id")],
                "requestBody": _json(RECORD),
                "responses": _ok(RECORD),
            },
            "delete": {
                "operationId": "records-delete",
                "parameters": [_path("zone_id"), _path("record_id")],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": BARE_ID}}}},
            },
        },
        "/zones/{zone_id}/hooks": {
            "post": {
                "operationId": "hooks-create",
                "parameters": [_path("zone_id")],
                "requestBody": _json(HOOK),
                "responses": _ok({"type": "object", "properties": {"id": {"type": "string"}}}),
            }
        },
        "/zones/{zone_id}/settings": {
            "put": {
                "operationId": "settings-update",
                "parameters": [_path("zone_id")],
                "requestBody": _json(SETTINGS),
                "responses": _ok(SETTINGS),
            }
        },
    },
}

STORED = {
    "id": "r1",
    "name": "stored.example",
    "content": "198.51.100.9",
    "created_on": "2024-01-01T00:00:00Z",
    "proxiable": True,
    "ttl": 1,
    "tags": [],
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_package(tmp_path_factory.mktemp("keywords"), SPEC, "keywords_client", "keywords")


def _answer(request: RecordedRequest) -> Reply:
    if request.method == "DELETE":
        return json_reply({"result": {"id": "r1"}, "success": True, "errors": [], "messages": []})
    body = request.json()
    assert isinstance(body, dict)
    result = {**STORED, **body} if "/records" in request.path else body
    return json_reply({"result": result, "success": True, "errors": [], "messages": []})


SCRIPT = ROOT / "tests" / "user_scripts" / "keywords_records.py"


def test_the_user_script_type_checks_without_casts(tree: Path, tmp_path: Path) -> None:
    assert_type_checks_without_crutches(tree, SCRIPT, tmp_path)


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        ('type="A", name="a", content="198.51.100.4", priority=5', "priority"),  # an MX field on an A record
        ('type="A", name="a"', "content"),  # a required field missing
        ('type="A", name="a", content="198.51.100.4", created_on="x"', "created_on"),  # read-only: not an argument
    ],
)
def test_mypy_narrows_on_the_record_kind(tree: Path, tmp_path: Path, call: str, complaint: str) -> None:
    result = _assert_rejected(tree, tmp_path, f'Client(api_token="t").records.create(zone_id="z", {call})', complaint)
    assert "No overload variant" in result.stdout, result.stdout


def test_an_untagged_union_told_apart_by_its_required_fields_gets_an_overload_per_member(
    tree: Path, tmp_path: Path
) -> None:
    script = tmp_path / "hooks.py"
    client = 'Client(api_token="t").hooks'
    script.write_text(
        f'from keywords_client import Client\n\n{client}.create(zone_id="z", url="u", secret="s")\n'
        f'{client}.create(zone_id="z", queue="q", batch=2)\n',
        encoding="utf-8",
    )
    checked = mypy_against(tree, script)
    assert checked.returncode == 0, checked.stdout
    result = _assert_rejected(tree, tmp_path, f'{client}.create(zone_id="z", url="u", batch=2)', "batch")
    assert "No overload variant" in result.stdout, result.stdout  # merged, this mix would type-check


def test_mypy_checks_a_nested_dict_against_the_models_shape(tree: Path, tmp_path: Path) -> None:
    call = 'Client(api_token="t").settings.update(zone_id="z", nested={"b": 2})'  # "a" is required
    _assert_rejected(tree, tmp_path, call, "nested")


def _assert_rejected(tree: Path, tmp_path: Path, call: str, complaint: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "wrong.py"
    script.write_text(f"from keywords_client import Client\n\n{call}\n", encoding="utf-8")
    result = mypy_against(tree, script)
    assert result.returncode != 0
    assert complaint in result.stdout or "Possible overload variants" in result.stdout, result.stdout
    return result


def test_the_user_script_sends_what_it_says(tree: Path) -> None:
    with LiveServer() as server:
        server.handler = _answer
        result = run_script(tree, SCRIPT, server)
        sent = [(request.method, request.url_path, request.body and request.json()) for request in server.requests]
    assert sent == [
        ("POST", "/zones/z/records", {"type": "A", "name": "example.com", "content": "198.51.100.4", "ttl": 3600}),
        ("POST", "/zones/z/records", {"type": "A", "name": "m.example.com", "content": "198.51.100.5"}),
        (
            "POST",
            "/zones/z/records",
            {"type": "MX", "name": "example.com", "content": "mx.example", "priority": 10},
        ),
        ("PATCH", "/zones/z/records/r1", {"type": "A", "ttl": 1}),
        ("DELETE", "/zones/z/records/r1", b""),
        ("PUT", "/zones/z/settings", {"nested": {"a": "x"}, "names": ["ab"], "zone_id": "other"}),
        ("PUT", "/zones/z/settings", {"nested": {"a": "y", "b": 2}}),  # a TypedDict of the nested model's shape
    ]
    assert result.stdout.split() == ["example.com", "198.51.100.4", "r1", "r1", "x", "y"]
