"""Results declared as JSON or binary: typed as the union, chosen by the response's ``Content-Type``.

Workers AI's ``run`` declares ``result: oneOf [..., string(format: binary), object]`` (a text-to-image
model answers with the image itself); an export may offer ``application/json`` beside
``application/octet-stream``.  A small API of both shapes is generated and called against a real
server on 127.0.0.1 that answers either way.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from clientgen.model.alternatives import is_binary_schema, json_or_binary
from conftest import BEARER
from envelopes import success_envelope
from imported_package import generated_package, imported_package
from live_server import LiveServer, Reply, json_reply

PACKAGE = "json_or_binary_client"
ACCOUNT = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}}
ANSWER = {"type": "object", "required": ["response"], "properties": {"response": {"type": "string"}}}
IMAGE = {"type": "string", "format": "binary"}
RUN_RESULT = {"oneOf": [ANSWER, IMAGE, {"type": "array", "items": {"type": "number"}}]}
EXPORT = {"type": "object", "properties": {"rows": {"type": "integer"}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Alternatives", "version": "1"},
    "servers": [{"url": "https://api.example.com/client/v4"}],
    "paths": {
        "/accounts/{account_id}/ai/run/{model_name}": {
            "post": {
                "operationId": "workers-ai-post-run-model",
                "parameters": [
                    ACCOUNT,
                    {"name": "model_name", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": success_envelope(RUN_RESULT)}},
                    }
                },
            }
        },
        "/accounts/{account_id}/exports/{export_id}": {
            "get": {
                "operationId": "exports-get",
                "parameters": [
                    ACCOUNT,
                    {"name": "export_id", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": EXPORT},
                            "application/octet-stream": {"schema": IMAGE},
                        },
                    }
                },
            }
        },
    },
}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00binary"


@pytest.fixture(scope="module")
def alternatives(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    out = generated_package(tmp_path_factory.mktemp("alternatives"), SPEC, PACKAGE, "alternatives")
    with imported_package(out / "src", PACKAGE) as package:
        yield package


def _client(module: ModuleType, server: LiveServer, **options: Any) -> Any:
    return module.Client(api_token=BEARER, base_url=server.url, max_retries=0, **options)


def _image(_: object) -> Reply:
    return Reply(status=200, headers={"Content-Type": "image/png"}, body=PNG)


def _answer(_: object) -> Reply:
    return json_reply({"success": True, "errors": [], "messages": [], "result": {"response": "hello"}})


def test_the_binary_member_leaves_the_json_union() -> None:
    schema, binary = json_or_binary(RUN_RESULT, {"application/json": {}}, "application/json", {})
    assert binary
    assert IMAGE not in schema["oneOf"]
    assert len(schema["oneOf"]) == len(RUN_RESULT["oneOf"]) - 1
    assert json_or_binary(ANSWER, {"application/json": {}}, "application/json", {}) == (ANSWER, False)
    referenced = {"oneOf": [ANSWER, {"$ref": "#/components/schemas/Image"}]}
    assert json_or_binary(referenced, {}, "application/json", {"Image": IMAGE}) == (ANSWER, True)  # one left: itself
    assert not is_binary_schema({"type": "string"})


def test_the_method_is_typed_as_the_union(alternatives: ModuleType) -> None:
    run = importlib.import_module(f"{PACKAGE}.resources.ai.run.run").RunResource.update
    export = importlib.import_module(f"{PACKAGE}.resources.exports.exports").ExportsResource.get
    for function in (run, export):
        returned = inspect.signature(function).return_annotation
        members = [member.strip() for member in str(returned).split("|")]
        assert members[-1] == "bytes", returned
        assert not any("Binary" in member for member in members), returned  # the binary member left the JSON union


def test_a_json_response_is_the_model(alternatives: ModuleType) -> None:
    with LiveServer(handler=_answer) as server, _client(alternatives, server) as client:
        answer = client.ai.run.update(account_id="a", model_name="m")
    assert not isinstance(answer, bytes)
    assert answer.response == "hello"


def test_another_content_type_is_the_bytes(alternatives: ModuleType) -> None:
    with LiveServer(handler=_image) as server, _client(alternatives, server) as client:
        image = client.ai.run.update(account_id="a", model_name="m")
        raw = client.ai.run.with_raw_response.update(account_id="a", model_name="m")
        with client.ai.run.with_streaming_response.update(account_id="a", model_name="m") as streamed:
            streamed_value = streamed.parse()
        strict = client.with_options(strict_response_validation=True).ai.run.update(account_id="a", model_name="m")
    assert image == PNG
    assert raw.parse() == PNG
    assert streamed_value == PNG
    assert strict == PNG


def test_a_json_or_binary_download_either_way(alternatives: ModuleType) -> None:
    replies = iter(
        [json_reply({"rows": 3}), Reply(status=200, headers={"Content-Type": "application/octet-stream"}, body=PNG)]
    )
    with LiveServer(handler=lambda _: next(replies)) as server, _client(alternatives, server) as client:
        first = client.exports.get(account_id="a", export_id="e")
        second = client.exports.get(account_id="a", export_id="e")
    assert first.rows == 3
    assert second == PNG
    accept = server.requests[0].headers["accept"]
    assert accept.startswith("application/json")
    assert "application/octet-stream" in accept


def test_the_async_client_chooses_the_same_way(alternatives: ModuleType) -> None:
    async def scenario(url: str) -> Any:
        async with alternatives.AsyncClient(api_token=BEARER, base_url=url, max_retries=0) as client:
            return await client.ai.run.update(account_id="a", model_name="m")

    with LiveServer(handler=_image) as server:
        assert asyncio.run(scenario(server.url)) == PNG
