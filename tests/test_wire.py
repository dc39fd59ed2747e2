"""What goes on the wire, against a real server on 127.0.0.1: the exact bytes of query strings per style, path
styles, headers, cookies, urlencoded form bodies, ``Accept`` and ``Content-Type``.

A small API of its own (plain JSON responses, no envelope) is generated into a temporary package (``wire_client``)
by the same pipeline as the real one.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any

import pytest

from clientgen.project import write_tree
from live_server import LiveServer, Reply, json_reply

TOKEN = "test-token"  # noqa: S105 - a dummy credential for a local server
THING = {"type": "object", "properties": {"id": {"type": "string"}}}
OK = {"200": {"description": "ok", "content": {"application/json": {"schema": THING}}}}
STRINGS = {"type": "array", "items": {"type": "string"}}
COLOR = {"type": "object", "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}}}


def _query(name: str, schema: dict[str, Any], **style: object) -> dict[str, Any]:
    return {"in": "query", "name": name, "schema": schema, **style}


SEARCH_PARAMETERS = [
    _query("tags", STRINGS),
    _query("ids", STRINGS, style="form", explode=False),
    _query("words", STRINGS, style="spaceDelimited", explode=False),
    _query("pipes", STRINGS, style="pipeDelimited", explode=False),
    _query("created", {"type": "object", "properties": {"gte": {"type": "integer"}}}, style="deepObject", explode=True),
    _query("since", {"type": "string", "format": "date-time"}),
    _query("day", {"type": "string", "format": "date"}),
    _query("active", {"type": "boolean"}),
    _query("redirect", {"type": "string"}, allowReserved=True),
    {"in": "header", "name": "X-Trace", "schema": STRINGS},
    {"in": "header", "name": "X-Flag", "schema": {"type": "boolean"}, "required": True},
    {"in": "cookie", "name": "session", "schema": {"type": "string"}},
]
CHARGE_FORM = {
    "type": "object",
    "required": ["amount"],
    "properties": {
        "amount": {"type": "integer"},
        "capture": {"type": "boolean"},
        "description": {"type": "string"},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "expand": STRINGS,
        "media_url": STRINGS,
    },
}
DNS_RECORD = {
    "type": "object",
    "required": ["ttl"],
    "properties": {
        "ttl": {"type": "number"},
        "weight": {"type": "number"},
        "priority": {"type": "integer"},
        "expires_on": {"type": "string", "format": "date-time"},
        "day": {"type": "string", "format": "date"},
        "nested": {"type": "object", "properties": {"ratio": {"type": "number"}}},
    },
}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Wire API", "version": "1"},
    "paths": {
        "/search": {"get": {"operationId": "search", "parameters": SEARCH_PARAMETERS, "responses": OK}},
        "/colors/{color}/{shades}/{mix}": {
            "get": {
                "operationId": "getColor",
                "parameters": [
                    {"in": "path", "name": "color", "required": True, "schema": {"type": "string"}, "style": "label"},
                    {
                        "in": "path",
                        "name": "shades",
                        "required": True,
                        "schema": STRINGS,
                        "style": "matrix",
                        "explode": True,
                    },
                    {"in": "path", "name": "mix", "required": True, "schema": COLOR},
                ],
                "responses": OK,
            }
        },
        "/charges": {
            "post": {
                "operationId": "createCharge",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": CHARGE_FORM,
                            "encoding": {
                                "metadata": {"style": "deepObject", "explode": True},
                                "expand": {"style": "deepObject", "explode": True},
                            },
                        }
                    },
                },
                "responses": OK,
            }
        },
        "/patches/{id}": {
            "patch": {
                "operationId": "patchThing",
                "parameters": [{"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/merge-patch+json": {"schema": THING}}},
                "responses": OK,
            }
        },
        "/dns_records": {
            "post": {
                "operationId": "createRecord",
                "requestBody": {"required": True, "content": {"application/json": {"schema": DNS_RECORD}}},
                "responses": OK,
            }
        },
        "/screenshots/{id}": {
            "get": {
                "operationId": "getScreenshot",
                "parameters": [{"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "image/png": {"schema": {"type": "string", "format": "binary"}},
                            "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                        },
                    }
                },
            }
        },
        "/scripts/{id}/content": {  # Workers' script download: a media key that is no media type
            "get": {
                "operationId": "getScriptContent",
                "parameters": [{"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"undefined": {"example": "export {}"}}}},
            }
        },
    },
}


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("wire")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text('[package]\nimport_name = "wire_client"\ndistribution = "wire"\n')
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    try:
        yield importlib.import_module("wire_client")
    finally:
        sys.path.remove(str(root / "out" / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == "wire_client"]:
            del sys.modules[name]


@pytest.fixture
def live() -> Iterator[LiveServer]:
    with LiveServer(handler=lambda _: json_reply({"id": "1"})) as server:
        yield server


def test_query_styles_headers_and_cookies(wire: ModuleType, live: LiveServer) -> None:
    with wire.Client(api_token=TOKEN, base_url=live.url) as client:
        client.search.list(
            tags=["a b", "c"],
            ids=["1", "2"],
            words=["x", "y"],
            pipes=["p", "q"],
            created={"gte": 1700000000},
            since=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            day=date(2024, 1, 2),
            active=False,
            redirect="https://example.com/a?b",
            x_trace=["t1", "t2"],
            x_flag=True,
            session="s 1",
        )
    (request,) = live.requests
    assert request.path == (
        "/search?tags=a%20b&tags=c&ids=1,2&words=x%20y&pipes=p|q&created[gte]=1700000000"
        "&since=2024-01-02T03%3A04%3A05Z&day=2024-01-02&active=false&redirect=https://example.com/a?b"
    )
    assert request.headers["x-trace"] == "t1,t2"
    assert request.headers["x-flag"] == "true"
    assert request.headers["cookie"] == "session=s%201"
    assert request.headers["accept"] == "application/json"


def test_optional_parameters_left_out(wire: ModuleType, live: LiveServer) -> None:
    with wire.Client(api_token=TOKEN, base_url=live.url) as client:
        client.search.list(x_flag=False)
    (request,) = live.requests
    assert request.path == "/search"
    assert request.headers["x-flag"] == "false"
    assert "cookie" not in request.headers


def test_path_styles(wire: ModuleType, live: LiveServer) -> None:
    with wire.Client(api_token=TOKEN, base_url=live.url) as client:
        client.colors.get(color="blue", shades=["light", "dark"], mix={"R": 100, "G": 200})
    assert live.requests[0].path == "/colors/.blue/;shades=light;shades=dark/R,100,G,200"


def test_form_body_from_a_dict_and_from_the_model(wire: ModuleType, live: LiveServer) -> None:
    expected = (
        b"amount=2000&capture=false&description=Tea+%26+cake&expand[0]=customer"
        b"&media_url=u1&media_url=u2&metadata[order]=6735"
    )  # fields in the order given (the model's: by name)
    fields = {
        "amount": 2000,
        "capture": False,
        "description": "Tea & cake",
        "expand": ["customer"],
        "media_url": ["u1", "u2"],
        "metadata": {"order": "6735"},
        "unset": None,
    }
    request_model = importlib.import_module("wire_client.types.charges").ChargeCreateParams
    with wire.Client(api_token=TOKEN, base_url=live.url) as client:
        client.charges.create(body=fields)
        client.charges.create(body=request_model.model_validate({k: v for k, v in fields.items() if v is not None}))
        client.charges.create(body={"amount": 1}, extra_body={"note": "x y"})
    first, second, third = live.requests
    for request in (first, second):
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        assert request.body == expected
    assert third.body == b"amount=1&note=x+y"


def test_json_body_content_type_is_the_declared_media_type(wire: ModuleType, live: LiveServer) -> None:
    with wire.Client(api_token=TOKEN, base_url=live.url) as client:
        client.patches.edit(id="x", body={"id": "2"})
    (request,) = live.requests
    assert request.headers["content-type"] == "application/merge-patch+json"
    assert json.loads(request.body) == {"id": "2"}


def test_accept_for_a_download_names_its_media_types() -> None:
    png = b"\x89PNG\r\n\x1a\n"
    with LiveServer(handler=lambda _: Reply(headers={"Content-Type": "image/png"}, body=png)) as server:
        module = sys.modules["wire_client"]
        with module.Client(api_token=TOKEN, base_url=server.url) as client:
            assert client.screenshots.get(id="1") == png
        assert server.requests[0].headers["accept"] == "image/jpeg, image/png"


def test_accept_for_a_media_key_that_is_no_media_type_adds_any() -> None:
    script = b"export default { fetch() {} }"
    reply = Reply(headers={"Content-Type": "application/javascript"}, body=script)
    with LiveServer(handler=lambda _: reply) as server:
        module = sys.modules["wire_client"]
        with module.Client(api_token=TOKEN, base_url=server.url) as client:
            assert client.scripts.content(id="1") == script.decode()
        assert server.requests[0].headers["accept"] == "text/plain, */*"


def test_async_client_sends_the_same_bytes(wire: ModuleType, live: LiveServer) -> None:
    async def call() -> None:
        async with wire.AsyncClient(api_token=TOKEN, base_url=live.url) as client:
            await client.search.list(created={"gte": 1}, x_flag=True, session="s")

    asyncio.run(call())
    (request,) = live.requests
    assert request.path == "/search?created[gte]=1"
    assert request.headers["cookie"] == "session=s"


def test_numbers_stay_integers_and_dates_are_iso_8601(wire: ModuleType, live: LiveServer) -> None:
    record_type = importlib.import_module("wire_client.types.dns_records").DnsRecordCreateParams
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    record = record_type(
        ttl=3600, weight=0.5, priority=10, expires_on=moment, day=date(2024, 1, 2), nested={"ratio": 2}
    )
    with wire.Client(api_token=TOKEN, base_url=live.url) as client:
        client.dns_records.create(body=record)
        client.dns_records.create(body={"ttl": 300, "expires_on": moment})
    first, second = live.requests
    assert first.body == (
        b'{"day":"2024-01-02","expires_on":"2024-01-02T03:04:05Z","nested":{"ratio":2},'
        b'"priority":10,"ttl":3600,"weight":0.5}'
    )
    assert second.body == b'{"ttl":300,"expires_on":"2024-01-02T03:04:05Z"}'
