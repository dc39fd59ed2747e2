"""Schemas without ``type`` accept any JSON value their other keywords allow (issue 12).

``properties`` alone constrains only objects: Page Rules' action ``value`` is ``{"url": ...}`` for
``forward_url`` and ``"on"`` for ``browser_check``.  Sent and received through a real local server, strict
and lenient: a non-object goes out and comes back as it is (no warning, no error), an object is still the
typed model, and a typeless ``enum`` still refuses what it does not list.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from conftest import BEARER
from envelopes import allof_envelope
from imported_package import generated_package, imported_package
from live_server import LiveServer, RecordedRequest, json_reply
from user_scripts_check import assert_type_checks_without_crutches, mypy_against, run_script

PACKAGE = "typeless_client"


_envelope = allof_envelope


def _ok(result: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": _envelope(result)}}}}


VALUE = {"description": "What the action sets.", "properties": {"url": {"type": "string"}, "code": {"type": "integer"}}}
ACTION = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "value": VALUE}}
MODE = {"enum": ["on", "off"]}  # no type either: enum constrains every kind
RULE = {"type": "object", "properties": {"actions": {"type": "array", "items": ACTION}, "mode": MODE}}
SETTING = {"properties": {"value": {"type": "string"}, "editable": {"type": "boolean"}}}  # a typeless result
ZONE = {"name": "zone_id", "in": "path", "required": True, "schema": {"type": "string"}}
BODY = {
    "type": "object",
    "required": ["actions"],
    "properties": {"actions": RULE["properties"]["actions"], "mode": MODE},
}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Typeless", "version": "1"},
    "servers": [{"url": "https://api.example.com/client/v4"}],
    "paths": {
        "/zones/{zone_id}/rules": {
            "parameters": [ZONE],
            "post": {
                "operationId": "rules-create",
                "requestBody": {"required": True, "content": {"application/json": {"schema": BODY}}},
                "responses": _ok(RULE),
            },
        },
        "/zones/{zone_id}/settings/{setting_id}": {
            "parameters": [ZONE, {"name": "setting_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": "settings-get", "responses": _ok(SETTING)},
        },
    },
}
VALUES = ["on", 3, 2.5, True, [1, "a"], {"url": "https://example.com", "code": 301}]
USER_SCRIPT = '''\
"""Page Rules' two kinds of action value, as a user writes them."""

import sys

from typeless_client import Client
from typeless_client.types import RuleActionValue, RuleCreateParamsAction

with Client(api_token="t", base_url=sys.argv[1], max_retries=0) as client:
    rule = client.rules.create(
        zone_id="z",
        actions=[
            {"id": "browser_check", "value": "on"},
            {"id": "minify", "value": [1, "css"]},
            {"id": "forward_url", "value": {"url": "https://example.com", "code": 301}},
            RuleCreateParamsAction(id="cache_ttl", value=3600),
            RuleCreateParamsAction(id="forward_url", value=RuleActionValue(url="https://example.com")),
        ],
        mode="on",
    )
    for action in rule.actions or []:
        value = action.value
        if isinstance(value, RuleActionValue):
            print(action.id, "->", value.url)
        else:
            print(action.id, "=", value)
'''


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_package(tmp_path_factory.mktemp("typeless"), SPEC, PACKAGE, "typeless")


@pytest.fixture(scope="module")
def typeless(tree: Path) -> Iterator[ModuleType]:
    with imported_package(tree / "src", PACKAGE) as package:
        yield package


def _echo(request: RecordedRequest) -> Any:
    return json_reply({"success": True, "errors": [], "messages": [], "result": request.json()})


def _client(module: ModuleType, server: LiveServer, *, strict: bool) -> Any:
    return module.Client(api_token=BEARER, base_url=server.url, max_retries=0, strict_response_validation=strict)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("value", VALUES, ids=json.dumps)
def test_a_typeless_field_is_sent_and_received_as_any_json_value(
    typeless: ModuleType, caplog: pytest.LogCaptureFixture, value: object, *, strict: bool
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger=PACKAGE),
        LiveServer(handler=_echo) as server,
        _client(typeless, server, strict=strict) as client,
    ):
        rule = client.rules.create(zone_id="z", actions=[{"id": "x", "value": value}], mode="on")
        sent = server.requests[0].body
    assert json.loads(sent) == {"actions": [{"id": "x", "value": value}], "mode": "on"}
    received = rule.actions[0].value
    if isinstance(value, dict):
        assert type(received).__name__ == "RuleActionValue"
        assert (received.url, received.code) == (value["url"], value["code"])
        assert received.model_validation_errors() == ()
    else:
        assert received == value
        assert type(received) is type(value)  # 3 stays an int, not 3.0
    assert rule.model_validation_errors() == ()
    assert caplog.records == []


@pytest.mark.parametrize("value", VALUES, ids=json.dumps)
def test_a_body_model_takes_any_json_value_and_sends_it_as_given(typeless: ModuleType, value: object) -> None:
    types = importlib.import_module(f"{PACKAGE}.types")
    given = types.RuleActionValue(**value) if isinstance(value, dict) else value
    with LiveServer(handler=_echo) as server, _client(typeless, server, strict=True) as client:
        client.rules.create(zone_id="z", body=types.RuleCreateParams(actions=[{"id": "x", "value": given}]))
        sent = json.loads(server.requests[0].body)
    assert sent == {"actions": [{"id": "x", "value": value}]}


def test_an_object_still_validates_against_the_properties(typeless: ModuleType) -> None:
    errors = importlib.import_module(f"{PACKAGE}._exceptions")
    drifted = {
        "success": True,
        "errors": [],
        "messages": [],
        "result": {"actions": [{"id": "x", "value": {"url": 42}}]},
    }
    with LiveServer(handler=lambda _: json_reply(drifted)) as server:
        with _client(typeless, server, strict=True) as client, pytest.raises(errors.APIResponseValidationError):
            client.rules.create(zone_id="z", actions=[])
        with _client(typeless, server, strict=False) as client:
            value = client.rules.create(zone_id="z", actions=[]).actions[0].value
    assert type(value).__name__ == "RuleActionValue"
    assert [issue.path for issue in value.model_validation_errors()] == ["url"]


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("result", ["on", 3, [1], {"value": "on", "editable": True}], ids=json.dumps)
def test_a_typeless_result_is_returned_as_received_or_as_its_model(
    typeless: ModuleType, caplog: pytest.LogCaptureFixture, result: object, *, strict: bool
) -> None:
    reply = {"success": True, "errors": [], "messages": [], "result": result}
    with (
        caplog.at_level(logging.WARNING, logger=PACKAGE),
        LiveServer(handler=lambda _: json_reply(reply)) as server,
        _client(typeless, server, strict=strict) as client,
    ):
        setting = client.settings.get(zone_id="z", setting_id="s")
    if isinstance(result, dict):
        assert type(setting).__name__ == "Setting"
        assert (setting.value, setting.editable) == ("on", True)
    else:
        assert setting == result
    assert caplog.records == []


def test_a_typeless_enum_refuses_what_it_does_not_list(typeless: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    errors = importlib.import_module(f"{PACKAGE}._exceptions")
    reply = {"success": True, "errors": [], "messages": [], "result": {"mode": "maybe"}}
    with LiveServer(handler=lambda _: json_reply(reply)) as server:
        with _client(typeless, server, strict=True) as client, pytest.raises(errors.APIResponseValidationError):
            client.rules.create(zone_id="z", actions=[])
        with caplog.at_level(logging.WARNING, logger=PACKAGE), _client(typeless, server, strict=False) as client:
            rule = client.rules.create(zone_id="z", actions=[])
    assert rule.mode == "maybe"  # lenient: kept as received, and said so
    assert [issue.path for issue in rule.model_validation_errors()] == ["mode"]
    assert any("'mode'" in record.getMessage() for record in caplog.records)
    with pytest.raises(ValueError, match="mode"):
        importlib.import_module(f"{PACKAGE}.types").RuleCreateParams(actions=[], mode="maybe")


def test_a_user_passes_any_json_value_under_mypy_strict(tree: Path, tmp_path: Path) -> None:
    script = tmp_path / "page_rule_values.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    (checked := tmp_path / "checked").mkdir()
    assert_type_checks_without_crutches(tree, script, checked)
    with LiveServer(handler=_echo) as server:
        output = run_script(tree, script, server).stdout
    assert output.splitlines() == [
        "browser_check = on",
        "minify = [1, 'css']",
        "forward_url -> https://example.com",
        "cache_ttl = 3600",
        "forward_url -> https://example.com",
    ]


def test_mypy_refuses_a_value_outside_the_typeless_enum(tree: Path, tmp_path: Path) -> None:
    script = tmp_path / "wrong_mode.py"
    script.write_text(USER_SCRIPT.replace('mode="on"', 'mode="maybe"'), encoding="utf-8")
    result = mypy_against(tree, script)
    assert result.returncode != 0
    assert "mode" in result.stdout
