"""Lenient by default, strict on request: a response that does not match its schema still reaches the caller.

The cases are the ones the conformance run and users met in Cloudflare's description (issue 12):
healthchecks' ``expected_codes: "200"`` where an array is declared, logpush's ``kind: ""`` outside
its enum, radar's ``values: [0.56]`` where strings are declared, ``location.lat: 37.6192`` where a
string is declared, Workers' ``usage_model: "standard"`` outside the pattern, R2's ``location:
"ENAM"`` and a role's ``permissions`` as an object.  Each is served by a real local server.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from conftest import BEARER
from envelopes import allof_envelope
from imported_package import generated_package, imported_package
from live_server import LiveServer, json_reply

PACKAGE = "lenient_client"


_envelope = allof_envelope


THING = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "expected_codes": {"type": "array", "items": {"type": "string"}},
        "kind": {"type": "string", "enum": ["edge"]},
        "values": {"type": "array", "items": {"type": "string"}},
        "location": {"type": "object", "properties": {"lat": {"type": "string"}, "city": {"type": "string"}}},
        "usage_model": {"type": "string", "pattern": "^(bundled|unbound)$"},
        "region": {"type": "string", "enum": ["apac", "eeur", "enam", "weur", "wnam"]},
        "permissions": {
            "type": "array",
            "items": {"type": "object", "properties": {"key": {"type": "string"}}},
        },
    },
}
NULLABLE_SCRIPT = {
    "allOf": [
        {"type": "object", "nullable": True},
        {"type": "object", "properties": {"id": {"type": "string"}}},
    ]
}


def _get(operation_id: str, result: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"schema": _envelope(result)}}
    return {"get": {"operationId": operation_id, "responses": {"200": {"description": "ok", "content": content}}}}


ACCOUNT = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Lenient", "version": "1"},
    "servers": [{"url": "https://api.example.com/client/v4"}],
    "paths": {
        "/accounts/{account_id}/things/{thing_id}": {
            "parameters": [ACCOUNT, {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            **_get("things-get", THING),
        },
        "/accounts/{account_id}/things": {
            "parameters": [ACCOUNT],
            **_get("things-list", {"type": "array", "items": THING}),
        },
        "/accounts/{account_id}/scripts/{script_id}": {
            "parameters": [
                ACCOUNT,
                {"name": "script_id", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            **_get("scripts-get", NULLABLE_SCRIPT),
        },
    },
}
DRIFTED = {
    "name": "origin",
    "expected_codes": "200",
    "kind": "",
    "values": ["a", 0.56],
    "location": {"lat": 37.6192, "city": "Lisbon"},
    "usage_model": "standard",
    "region": "ENAM",
    "permissions": {"analytics": {"read": True}},
    "added_later": 1,
}
DRIFTED_FIELDS = {
    "expected_codes",
    "kind",
    "values[1]",
    "location.lat",
    "usage_model",
    "region",
    "permissions",
}


@pytest.fixture(scope="module")
def lenient(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = generated_package(tmp_path_factory.mktemp("lenient"), SPEC, PACKAGE, "lenient")
    with imported_package(out / "src", PACKAGE) as package:
        yield package


def _ok(result: object) -> Any:
    return lambda _: json_reply({"success": True, "errors": [], "messages": [], "result": result})


def _client(module: ModuleType, server: LiveServer, **options: Any) -> Any:
    return module.Client(api_token=BEARER, base_url=server.url, max_retries=0, **options)


def test_a_drifted_response_keeps_every_field(lenient: ModuleType) -> None:
    with LiveServer(handler=_ok(DRIFTED)) as server, _client(lenient, server) as client:
        thing = client.things.get(account_id="a", thing_id="t")
    assert type(thing).__name__ == "Thing"
    assert thing.name == "origin"
    assert thing.expected_codes == "200"
    assert thing.values == ["a", 0.56]
    assert thing.location.lat == 37.6192  # the nested model is typed, its bad field kept
    assert thing.location.city == "Lisbon"
    assert type(thing.location).__name__ == "ThingLocation"
    assert thing.usage_model == "standard"
    assert thing.region == "ENAM"
    assert thing.permissions == {"analytics": {"read": True}}
    assert thing.model_extra == {"added_later": 1}
    issues = {issue.path: issue for issue in thing.model_validation_errors()}
    assert set(issues) == DRIFTED_FIELDS
    assert issues["location.lat"].value == 37.6192
    assert [issue.path for issue in thing.location.model_validation_errors()] == ["lat"]


def test_a_valid_response_has_no_validation_errors(lenient: ModuleType) -> None:
    valid = {"name": "origin", "expected_codes": ["200"], "location": {"lat": "37.6"}}
    with LiveServer(handler=_ok(valid)) as server, _client(lenient, server) as client:
        thing = client.things.get(account_id="a", thing_id="t")
    assert thing.model_validation_errors() == ()
    assert thing.location.model_validation_errors() == ()


def test_each_mismatch_is_logged_once_per_field(lenient: ModuleType, caplog: pytest.LogCaptureFixture) -> None:
    drifted = {"name": "once", "kind": "unseen-before"}
    with (
        caplog.at_level(logging.WARNING, logger=PACKAGE),
        LiveServer(handler=_ok([drifted, drifted])) as server,
        _client(lenient, server) as client,
    ):
        first = client.things.list(account_id="a")
        client.things.list(account_id="a")
    assert [type(item).__name__ for item in first] == ["Thing", "Thing"]
    assert [item.kind for item in first] == ["unseen-before", "unseen-before"]
    warnings = [record for record in caplog.records if "kind'" in record.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING


def test_strict_client_raises(lenient: ModuleType) -> None:
    errors = importlib.import_module(f"{PACKAGE}._exceptions")
    with (
        LiveServer(handler=_ok(DRIFTED)) as server,
        _client(lenient, server, strict_response_validation=True) as client,
    ):
        with pytest.raises(errors.APIResponseValidationError):
            client.things.get(account_id="a", thing_id="t")
        with pytest.raises(errors.APIResponseValidationError):
            client.things.list(account_id="a")  # a list of models: each item strict too
        relaxed = client.with_options(strict_response_validation=False)
        assert relaxed.things.get(account_id="a", thing_id="t").region == "ENAM"


def test_strict_for_some_calls_through_with_options(lenient: ModuleType) -> None:
    errors = importlib.import_module(f"{PACKAGE}._exceptions")
    with LiveServer(handler=_ok(DRIFTED)) as server, _client(lenient, server) as client:
        with pytest.raises(errors.APIResponseValidationError):
            client.with_options(strict_response_validation=True).things.get(account_id="a", thing_id="t")
        raw = client.with_options(strict_response_validation=True).things.with_raw_response.get(
            account_id="a", thing_id="t"
        )
        with pytest.raises(errors.APIResponseValidationError):
            raw.parse()


def test_async_client_is_lenient_too(lenient: ModuleType) -> None:
    async def scenario(url: str) -> Any:
        async with lenient.AsyncClient(api_token=BEARER, base_url=url, max_retries=0) as client:
            return await client.things.get(account_id="a", thing_id="t")

    with LiveServer(handler=_ok(DRIFTED)) as server:
        thing = asyncio.run(scenario(server.url))
    assert thing.expected_codes == "200"


def test_nullable_result_through_all_of_is_none(lenient: ModuleType) -> None:
    with LiveServer(handler=_ok(None)) as server, _client(lenient, server, strict_response_validation=True) as client:
        assert client.scripts.get(account_id="a", script_id="s") is None


def test_a_null_result_is_none_by_default_and_an_error_when_strict(lenient: ModuleType) -> None:
    errors = importlib.import_module(f"{PACKAGE}._exceptions")
    with LiveServer(handler=_ok(None)) as server, _client(lenient, server) as client:
        assert client.things.get(account_id="a", thing_id="t") is None
        with pytest.raises(errors.APIResponseValidationError):
            client.with_options(strict_response_validation=True).things.get(account_id="a", thing_id="t")


def test_a_result_of_another_kind_is_returned_as_received(
    lenient: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    # rules.lists.items.get's example: the string "10.0.0.1" where a list item object is declared
    errors = importlib.import_module(f"{PACKAGE}._exceptions")
    with (
        caplog.at_level(logging.WARNING, logger=PACKAGE),
        LiveServer(handler=_ok("10.0.0.1")) as server,
        _client(lenient, server) as client,
    ):
        assert client.things.get(account_id="a", thing_id="t") == "10.0.0.1"
        with pytest.raises(errors.APIResponseValidationError):
            client.with_options(strict_response_validation=True).things.get(account_id="a", thing_id="t")
    assert any("(value)" in record.getMessage() for record in caplog.records)


def test_an_item_of_another_kind_is_kept_among_typed_items(lenient: ModuleType) -> None:
    with LiveServer(handler=_ok(["10.0.0.1", {"name": "origin"}])) as server, _client(lenient, server) as client:
        items = client.things.list(account_id="a")
    assert items[0] == "10.0.0.1"
    assert type(items[1]).__name__ == "Thing"
    assert items[1].name == "origin"


@pytest.mark.parametrize("body", [{}, {"success": True, "errors": [], "messages": []}])
def test_an_absent_result_is_none_by_default_and_an_error_when_strict(lenient: ModuleType, body: object) -> None:
    errors = importlib.import_module(f"{PACKAGE}._exceptions")
    with LiveServer(handler=lambda _: json_reply(body)) as server, _client(lenient, server) as client:
        assert client.things.get(account_id="a", thing_id="t") is None
        with pytest.raises(errors.APIResponseValidationError, match="no envelope 'result'"):
            client.with_options(strict_response_validation=True).things.get(account_id="a", thing_id="t")
