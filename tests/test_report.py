"""report.json: one entry per operation, with a status and the machine-readable reasons for anything degraded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clientgen.layout import REPORT_FILE
from clientgen.project import write_tree

REPO = Path(__file__).resolve().parents[1]
JSON = "application~1json"
ITEM = "/paths/~1items~1{id}"


def _ok(content: dict[str, Any] | None) -> dict[str, Any]:
    return {"200": {"description": "ok", **({"content": content} if content is not None else {})}}


FILTER = {"type": "object", "properties": {"id": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/items": {
            "get": {
                "operationId": "items-list",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "default": "ten"}}],
                "responses": _ok({"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}),
            },
            "post": {"operationId": "items-create", "responses": _ok({"application/json": {}})},
        },
        "/items/{id}": {
            "delete": {
                "operationId": "items-delete",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}},
            },
            "get": {
                "operationId": "items-get",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": _ok({"application/json": {"schema": {"example": {"id": "1"}}}}),
            },
        },
        "/export": {
            "get": {"operationId": "export", "responses": _ok({"text/csv": {"schema": {"type": "string"}}})},
        },
        "/ping": {"get": {"operationId": "ping", "responses": {"4XX": {"description": "no"}}}},
        "/filter": {
            "get": {
                "operationId": "filter-get",
                "responses": _ok({"application/json": {"schema": {"oneOf": [FILTER, {"nullable": True}]}}}),
            },
        },
    },
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("report")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    write_tree(root / "spec.json", REPO / "spec" / "config.toml", root / "out")
    data: dict[str, Any] = json.loads((root / "out" / REPORT_FILE).read_text(encoding="utf-8"))
    return data


def _entry(report: dict[str, Any], operation_id: str) -> dict[str, Any]:
    (entry,) = [entry for entry in report["operations"] if entry["operationId"] == operation_id]
    return entry


@pytest.mark.parametrize(
    ("operation_id", "status", "code", "pointer"),
    [
        ("items-delete", "untyped", "no-response-body", "/paths/~1items~1{id}/delete/responses/204"),
        ("items-create", "untyped", "no-response-schema", f"/paths/~1items/post/responses/200/content/{JSON}"),
        ("items-get", "untyped", "response-schema-without-type", f"{ITEM}/get/responses/200/content/{JSON}/schema"),
        ("ping", "untyped", "no-success-response", "/paths/~1ping/get/responses"),
        ("export", "typed", "media-mapped", "/paths/~1export/get/responses/200/content"),
    ],
)  # fmt: skip
def test_the_response_reason_comes_first(
    report: dict[str, Any], operation_id: str, status: str, code: str, pointer: str
) -> None:
    entry = _entry(report, operation_id)
    assert entry["status"] == status
    first = entry["reasons"][0]
    assert (first["code"], first["pointer"]) == (code, pointer)
    assert first["message"]


def test_a_typed_operation_lists_the_decisions_inside_it(report: dict[str, Any]) -> None:
    entry = _entry(report, "items-list")
    assert entry["status"] == "typed"
    assert entry["returns"] == "List[str]"
    (reason,) = entry["reasons"]
    assert reason["code"] == "default-type"
    assert reason["pointer"].startswith("/paths/~1items/get/parameters/")
    assert "ten" in reason["message"]


def test_a_union_member_that_is_only_nullable_means_null(report: dict[str, Any]) -> None:
    entry = _entry(report, "filter-get")  # read as "any value", it made the whole union Any
    assert entry["status"] == "typed"
    assert entry["returns"].endswith(" | None")
    assert entry["returns"] != "Any | None"
    assert entry["reasons"] == []


def test_the_summary_counts_untyped_operations_by_reason(report: dict[str, Any]) -> None:
    summary = report["summary"]
    assert summary["operations"] == 7
    assert (summary["typed"], summary["untyped"]) == (3, 4)
    assert summary["untyped_reasons"] == {
        "no-response-body": 1,
        "no-response-schema": 1,
        "no-success-response": 1,
        "response-schema-without-type": 1,
    }
