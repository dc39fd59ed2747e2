"""``[conventions.envelope_operations]``: one operation's envelope unwrapping set in the config.

A small API: one body shaped like an envelope that the description does not mark as one (``{success, result,
note}``, not unwrapped when detected), and two Cloudflare envelopes (unwrapped when detected). The config unwraps
the first (``"result"``) and one of the others not (``"none"``); the third keeps the detection. Calls go to a live
server on 127.0.0.1; the report records each override; a config naming an unknown operation is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clientgen.diagnostics import SpecError
from clientgen.layout import REPORT_FILE
from clientgen.project import write_tree
from imported_package import imported_package
from live_server import LiveServer, json_reply

PACKAGE = "envelope_overrides_client"
ITEM = {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]}
MESSAGES = {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "integer"}}}}
ENVELOPE = {
    "type": "object",
    "properties": {
        "success": {"type": "boolean", "enum": [True]},
        "errors": MESSAGES,
        "messages": MESSAGES,
        "result": ITEM,
    },
}
WRAPPED = {"type": "object", "properties": {"success": {"type": "boolean"}, "result": ITEM, "note": {"type": "string"}}}


def _get(operation_id: str, schema: dict[str, Any]) -> dict[str, Any]:
    content = {"application/json": {"schema": schema}}
    return {"get": {"operationId": operation_id, "responses": {"200": {"description": "ok", "content": content}}}}


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Envelope Overrides", "version": "1"},
    "paths": {
        "/wrapped": _get("getWrapped", WRAPPED),
        "/plain": _get("getPlain", ENVELOPE),
        "/detected": _get("getDetected", ENVELOPE),
    },
}
CONFIG = f"""[package]
import_name = "{PACKAGE}"
distribution = "envelope-overrides"

[conventions.envelope_operations]
getWrapped = "result"
getPlain = "none"
"""
BODY = {"success": True, "errors": [], "messages": [], "result": {"id": 7}, "note": "n"}


def _write(root: Path, config: str) -> tuple[Path, Path]:
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text(config, encoding="utf-8")
    return root / "spec.json", root / "config.toml"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    root = tmp_path_factory.mktemp("envelope_overrides")
    write_tree(*_write(root, CONFIG), root / "out")
    with imported_package(root / "out" / "src", PACKAGE) as package:
        yield package, root / "out"


def test_each_operation_unwraps_as_configured(generated: tuple[ModuleType, Path]) -> None:
    package, _ = generated
    with LiveServer(handler=lambda _: json_reply(BODY)) as server, package.Client(base_url=server.url) as client:
        wrapped = client.wrapped.list()  # "result": unwrapped although the description does not say so
        plain = client.plain.list()  # "none": the whole envelope
        detected = client.detected.list()  # no override: detected, unwrapped
    assert (type(wrapped).__name__, wrapped.id) == (type(detected).__name__, 7)
    assert (plain.success, plain.result.id, plain.errors) == (True, 7, [])


def test_the_report_records_each_override(generated: tuple[ModuleType, Path]) -> None:
    _, out = generated
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    overrides = {
        item["pointer"]: item["message"] for item in report["diagnostics"] if item["code"] == "envelope-override"
    }
    assert overrides == {
        "/paths/~1wrapped/get": "[conventions.envelope_operations] 'result': the method returns the body's result",
        "/paths/~1plain/get": "[conventions.envelope_operations] 'none': the method returns the body",
    }


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'getWrapped = "result"\nlistMissing = "none"\n',
            (
                "config.toml#/conventions/envelope_operations/listMissing: [conventions.envelope_operations] names"
                " 'listMissing', which is not an operationId of the description"
            ),
        ),
        (
            'getWrapped = "everything"\n',
            (
                "config.toml#/conventions/envelope_operations/getWrapped:"
                " envelope_operations.getWrapped = 'everything': one of none, result"
            ),
        ),
    ],
    ids=["unknown-operation", "unknown-mode"],
)
def test_a_bad_override_is_a_one_line_config_error(tmp_path: Path, table: str, message: str) -> None:
    head = "[conventions.envelope_operations]\n"
    config = CONFIG.split(head, maxsplit=1)[0] + head + table
    spec, config_path = _write(tmp_path, config)
    with pytest.raises(SpecError) as raised:
        write_tree(spec, config_path, tmp_path / "out")
    assert str(raised.value) == f"{tmp_path}/{message}"
    assert not (tmp_path / "out").exists()  # nothing half-written
