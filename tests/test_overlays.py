"""Overlays (OpenAPI Overlay 1.0) applied at ingest: the JSONPath subset, update, remove, errors, report."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from clientgen.diagnostics import Diagnostics, SpecError
from clientgen.ingest.overlays import JSONPathError, apply_overlays, select
from clientgen.model.types import type_of
from clientgen.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
HEALTHCHECK = ("components", "schemas", "healthchecks_http_config", "properties")
LIST_PATH = ("paths", "/zones/{zone_id}/healthchecks", "get")
DOC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "tags": [{"name": "a"}, {"name": "b", "x-hidden": True}],
    "paths": {
        "/zones/{zone_id}/healthchecks": {
            "get": {
                "operationId": "healthchecks-list",
                "parameters": [{"name": "zone_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "success": {"type": "boolean"},
                                        "result": {"$ref": "#/components/schemas/healthchecks_http_config"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "healthchecks_http_config": {
                "type": "object",
                "properties": {
                    "expected_codes": {"type": "array", "default": "200", "items": {"type": "string"}},
                    "method": {"type": "string", "enum": ["GET", "HEAD"]},
                },
            }
        }
    },
}


def _spec(tmp_path: Path, overlays: dict[str, str]) -> Path:
    (tmp_path / "openapi.json").write_text(json.dumps(DOC), encoding="utf-8")
    folder = tmp_path / "overlays"
    folder.mkdir()
    for name, text in overlays.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path / "openapi.json"


def _documented_overlay() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")  # the example users read
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("$", [()]),
        ("$.tags[*].name", [("tags", 0, "name"), ("tags", 1, "name")]),
        ("$.tags[-1]", [("tags", 1)]),
        ("$.tags[?(@.x-hidden == true)]", [("tags", 1)]),
        ("$.tags[?(@.name != 'a')]", [("tags", 1)]),
        ("$.tags[?(@.x-hidden)].name", [("tags", 1, "name")]),
        ("$.paths['/zones/{zone_id}/healthchecks'].get.operationId", [(*LIST_PATH, "operationId")]),
        ("$..expected_codes.default", [(*HEALTHCHECK, "expected_codes", "default")]),
        ("$.components.schemas.*.properties.method.enum[0]", [(*HEALTHCHECK, "method", "enum", 0)]),
        ("$.nothing.here", []),
    ],
)  # fmt: skip
def test_jsonpath_subset(target: str, expected: list[tuple[Any, ...]]) -> None:
    assert select(DOC, target) == expected


@pytest.mark.parametrize("target", ["tags", "$.tags[1:2]", "$.tags[?(@.name =~ /a/)]", "$.tags[", "$.tags.%"])
def test_unsupported_jsonpath_is_refused(target: str) -> None:
    with pytest.raises(JSONPathError):
        select(DOC, target)


def test_the_documented_overlay_types_expected_codes_as_sent(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"01-healthchecks-expected-codes.yaml": _documented_overlay()})
    diags = Diagnostics()
    before = copy.deepcopy(DOC)
    document = apply_overlays(spec, json.loads(spec.read_text(encoding="utf-8")), diags)
    schema = document["components"]["schemas"]["healthchecks_http_config"]["properties"]["expected_codes"]
    assert "type" not in schema
    assert [member["type"] for member in schema["oneOf"]] == ["string", "array"]
    assert before == DOC  # the input is not changed in place
    changes = sorted((item.pointer, item.message) for item in diags.items if item.code == "overlay")
    config = "/components/schemas/healthchecks_http_config/properties"
    assert changes == [
        (config, "updated by 01-healthchecks-expected-codes.yaml action 1"),
        (f"{config}/expected_codes", "removed by 01-healthchecks-expected-codes.yaml action 0"),
    ]
    normalized = normalize(document, Diagnostics())
    models = {name: ("m", name) for name in normalized["components"]["schemas"]}
    config_model = normalized["components"]["schemas"]
    field = next(
        schema["properties"]["expected_codes"]
        for schema in config_model.values()
        if "expected_codes" in schema.get("properties", {})
    )
    assert type_of(field, models).annotation == "str | List[str]"


def test_overlays_apply_in_file_name_order(tmp_path: Path) -> None:
    first = "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n  - target: $.info\n    update: {title: first}\n"
    second = (
        "overlay: 1.0.0\ninfo: {title: b, version: '1'}\nactions:\n  - target: $.info\n    update: {title: second}\n"
    )
    tags = "overlay: 1.0.0\ninfo: {title: c, version: '1'}\nactions:\n  - target: $.tags\n    update: {name: c}\n"
    spec = _spec(tmp_path, {"02-second.yaml": second, "01-first.yaml": first, "03-tags.yml": tags, "notes.txt": "x"})
    document = apply_overlays(spec, copy.deepcopy(DOC), Diagnostics())
    assert document["info"]["title"] == "second"
    assert document["tags"][-1] == {"name": "c"}  # appended to the array


def test_an_action_matching_nothing_is_a_one_line_error(tmp_path: Path) -> None:
    text = (
        "overlay: 1.0.0\ninfo: {title: a, version: '1'}\nactions:\n"
        "  - target: $.info\n    update: {title: x}\n"
        "  - target: $.components.schemas.gone\n    remove: true\n"
    )
    spec = _spec(tmp_path, {"01-stale.yaml": text})
    with pytest.raises(SpecError) as caught:
        apply_overlays(spec, copy.deepcopy(DOC), Diagnostics())
    message = str(caught.value)
    assert "\n" not in message
    assert "01-stale.yaml#/actions/1" in message
    assert "matches nothing" in message


def test_a_folder_spec_without_overlays_is_returned_as_is(tmp_path: Path) -> None:
    (tmp_path / "openapi.json").write_text(json.dumps(DOC), encoding="utf-8")
    document = copy.deepcopy(DOC)
    assert apply_overlays(tmp_path, document, Diagnostics()) is document
