"""The conformance run's pieces: values built from the description alone, known limits, and (with Prism) the seed."""

from __future__ import annotations

import enum
import json
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from clientgen.conformance.check import satisfies
from clientgen.conformance.limits import known_limit
from clientgen.conformance.opc import OPC_PACKAGE, convert, operation_modules
from clientgen.conformance.values import parameter_value, schema_value

REPO = Path(__file__).resolve().parents[1]
PRISM = REPO / "tools" / "prism" / "node_modules" / ".bin" / "prism"
TAG_PROPERTIES = {"name": {"type": "string"}, "id": {"type": "string", "readOnly": True}}
COMPONENTS: dict[str, Any] = {"Tag": {"type": "object", "required": ["name", "id"], "properties": TAG_PROPERTIES}}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "example": "given"}, "given"),
        ({"type": "string", "enum": ["b", "a"]}, "b"),
        ({"type": "string", "format": "date-time"}, "2024-01-01T00:00:00Z"),
        ({"type": "integer", "minimum": 5}, 5),
        ({"type": "number", "maximum": 0.5}, 0.5),
        ({"type": "array", "items": {"type": "boolean"}}, [True]),
        ({"$ref": "#/components/schemas/Tag"}, {"name": "023e105f4ecef8ad9ca31a8372d0c353"}),  # required, not readOnly
    ],
)
def test_values_come_from_the_description(schema: dict[str, Any], expected: object) -> None:
    assert schema_value(schema, COMPONENTS) == expected


def test_a_string_value_passes_the_pattern_and_lengths() -> None:
    for schema in ({"type": "string", "pattern": "^[0-9a-f]{32}$"}, {"type": "string", "minLength": 4, "maxLength": 5}):
        value = schema_value(schema, COMPONENTS)
        assert re.search(schema.get("pattern", ""), value)
        assert schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", 99)


def test_parameter_example_wins() -> None:
    assert parameter_value({"name": "x", "example": 7, "schema": {"type": "integer"}}, COMPONENTS) == 7


# Shapes met in Cloudflare's description (access rules' configuration, Access app_id, logpush kind).
TARGETS = {
    "oneOf": [
        {"type": "object", "properties": {"target": {"enum": ["ip"]}, "value": {"type": "string"}}},
        {"type": "object", "properties": {"target": {"enum": ["asn"]}, "value": {"type": "string"}}},
    ]
}
APP_ID = {"oneOf": [{"type": "string", "maxLength": 32}, {"type": "string", "format": "uuid", "example": "x" * 36}]}


def test_a_one_of_value_satisfies_exactly_one_branch() -> None:
    value = schema_value(TARGETS, COMPONENTS)
    assert value == {"target": "ip", "value": "023e105f4ecef8ad9ca31a8372d0c353"}  # the tag sent: one branch holds
    assert satisfies(value, TARGETS, COMPONENTS)
    assert not satisfies({}, TARGETS, COMPONENTS)  # both branches hold: not oneOf
    assert satisfies(parameter_value({"name": "app_id", "schema": APP_ID}, COMPONENTS), APP_ID, COMPONENTS)


def test_an_example_that_breaks_its_own_schema_is_not_sent() -> None:
    kind = {"type": "string", "enum": ["edge"], "example": ""}
    assert schema_value(kind, COMPONENTS) == "edge"
    metric = {"name": "metric", "example": "bandwidth", "schema": {"type": "string", "enum": ["BANDWIDTH", "DNS"]}}
    assert parameter_value(metric, COMPONENTS) == "BANDWIDTH"
    body = {"type": "object", "required": ["id"]}  # a required name without a declaration
    assert schema_value(body, COMPONENTS) == {"id": "example"}


def test_read_only_required_properties_are_not_demanded_of_requests() -> None:
    assert satisfies({"name": "n"}, {"$ref": "#/components/schemas/Tag"}, COMPONENTS)
    assert not satisfies({"id": "i"}, {"$ref": "#/components/schemas/Tag"}, COMPONENTS)


def test_values_reach_openapi_python_client_types() -> None:
    class Kind(enum.Enum):
        EDGE = "edge"

    class Model:
        @classmethod
        def from_dict(cls, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
            return ("model", data)

    assert convert(Kind | None, "edge") is Kind.EDGE
    assert convert(uuid.UUID, "f174e90a-fafe-4643-bbbc-4a0ed4fc8415") == uuid.UUID(
        "f174e90a-fafe-4643-bbbc-4a0ed4fc8415"
    )
    assert convert(list[Model], [{"a": 1}]) == [("model", {"a": 1})]
    assert convert(Kind, "not a kind") == "not a kind"  # no member takes it: sent as built


def test_openapi_python_client_modules_are_matched_by_method_and_path(tmp_path: Path) -> None:
    module = tmp_path / OPC_PACKAGE / "api" / "zones" / "zones_get.py"
    module.parent.mkdir(parents=True)
    module.write_text('_kwargs = {\n    "method": "get",\n    "url": "/zones/{zone_id}".format(zone_id=x),\n}\n')
    found = operation_modules(tmp_path / OPC_PACKAGE)
    assert found == {("get", "/zones/{}"): f"{OPC_PACKAGE}.api.zones.zones_get"}  # parameter names aside


def test_known_limits_are_read_from_the_description() -> None:
    pcap = {"responses": {"200": {"content": {"application/vnd.tcpdump.pcap": {}}}}}
    anonymous = {"security": [{}], "responses": {}}
    plain = {"responses": {"200": {"content": {"application/json": {}}}}}
    assert "pcap" in str(known_limit(pcap, COMPONENTS))
    assert "security" in str(known_limit(anonymous, COMPONENTS))
    assert known_limit(plain, COMPONENTS) is None
    undefined = {"responses": {"200": {"content": {"undefined": {}}}}}  # Cloudflare's script downloads
    assert "not a media type" in str(known_limit(undefined, COMPONENTS))


@pytest.mark.skipif(
    not PRISM.exists(), reason="Prism not installed: make conformance installs it (npm ci in tools/prism)"
)
def test_the_seed_passes_under_prism(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "clientgen.conformance", "--spec", str(REPO / "spec"), "--prism", str(PRISM)]
    env = {"PYTHONPATH": str(REPO / "scripts"), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    subprocess.run([*command, "--work", str(tmp_path)], check=True, env=env, timeout=600, capture_output=True)
    table = json.loads((tmp_path / "conformance.json").read_text(encoding="utf-8"))
    assert table["summary"]["operations"] == 1
    assert table["summary"]["both"] == 1
