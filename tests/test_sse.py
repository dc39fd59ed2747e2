"""Server-sent events against a real server on 127.0.0.1 that streams at odd chunk boundaries.

A small API shaped like Workers AI (``POST /accounts/{account_id}/ai/run/@cf/...``: JSON or
``text/event-stream``, ``stream: true`` in the body) is generated into a temporary package
(``streams_client``).  The server writes each chunk separately, so events arrive split across reads,
several in one read, with comments, ``id``/``retry`` lines, CRLF ends split between reads, ``[DONE]``,
an ``error`` event or a connection cut mid-stream.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clientgen.project import write_tree
from envelopes import success_envelope
from live_server import LiveServer, RecordedRequest, Reply, json_reply

TOKEN = "test-token"  # noqa: S105 - a dummy credential for a local server
ACCOUNT = {"in": "path", "name": "account_id", "required": True, "schema": {"type": "string"}}
TEXT, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
CHUNK = {"type": "object", "required": ["response"], "properties": {"response": TEXT, "p": INTEGER}}
PROMPT = {"type": "object", "required": ["prompt"], "properties": {"prompt": TEXT, "stream": BOOLEAN}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Streams API", "version": "1"},
    "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
    "security": [{"token": []}],
    "paths": {
        # JSON or events; ``stream`` is a body keyword: stream=True sends it as well
        "/accounts/{account_id}/ai/run/@cf/meta/llama": {
            "post": {
                "operationId": "workers-ai-post-run-cf-meta-llama",
                "parameters": [ACCOUNT],
                "requestBody": {"required": True, "content": {"application/json": {"schema": PROMPT}}},
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": success_envelope(CHUNK)},
                            "text/event-stream": {"schema": CHUNK},
                        },
                    }
                },
            }
        },
        # events only, untyped (binary), with a free-form JSON body: ``stream`` is the method's own keyword
        "/accounts/{account_id}/ai/run/@cf/raw": {
            "post": {
                "operationId": "workers-ai-post-run-cf-raw",
                "parameters": [ACCOUNT],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"text/event-stream": {"schema": {"type": "string", "format": "binary"}}},
                    }
                },
            }
        },
    },
}
EVENTS = "text/event-stream"
# One stream, cut where a parser would trip: mid-field, mid-CRLF, several events in one read.
ODD_CHUNKS = (
    b": keep-alive\n\nretry: 1500\nid: 7\nda",
    b'ta: {"response": "Hel", "p": 1}\n\ndata: {"response": "lo"}\r',
    b'\n\r\nevent: usage\ndata: {"response": "",\ndata: "p": 2}\n\ndata: [DO',
    b'NE]\n\ndata: {"response": "after the end"}\n\n',
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    root = tmp_path_factory.mktemp("sse")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text('[package]\nimport_name = "streams_client"\ndistribution = "streams"\n')
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    try:
        yield importlib.import_module("streams_client"), root / "out"
    finally:
        sys.path.remove(str(root / "out" / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == "streams_client"]:
            del sys.modules[name]


@pytest.fixture
def streams(generated: tuple[ModuleType, Path]) -> ModuleType:
    return importlib.import_module("streams_client._streaming")


def _stream(*chunks: bytes, abort: Any = None) -> Reply:
    return Reply(headers={"Content-Type": EVENTS}, chunks=chunks, chunk_pause=0.02, abort=abort)


def _serve(reply: Reply) -> Iterator[LiveServer]:
    with LiveServer(handler=lambda _: reply) as server:
        yield server


@pytest.fixture
def odd() -> Iterator[LiveServer]:
    yield from _serve(_stream(*ODD_CHUNKS))


def _expected(event: Any) -> tuple[str, object, str | None, int | None]:
    data = event.data.model_dump(exclude_none=True) if hasattr(event.data, "model_dump") else event.data
    return (event.event, data, event.id, event.retry)


EXPECTED = [
    ("message", {"response": "Hel", "p": 1}, "7", 1500),
    ("message", {"response": "lo"}, "7", None),
    ("usage", {"response": "", "p": 2}, "7", None),
]


def _sent(request: RecordedRequest) -> tuple[str, object]:
    return request.headers["accept"], json.loads(request.body)


def test_stream_true_yields_typed_events_across_odd_chunks(generated: tuple[ModuleType, Path], odd: LiveServer) -> None:
    module = generated[0]
    types = importlib.import_module("streams_client.types.ai")
    with module.Client(token=TOKEN, base_url=odd.url) as client:
        stream = client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True)
        events = list(stream)
    assert [_expected(event) for event in events] == EXPECTED
    assert all(isinstance(event.data, types.Llama) for event in events)
    assert events[2].text == '{"response": "",\n"p": 2}'  # data lines joined with "\n"
    assert stream.response.is_closed
    assert _sent(odd.requests[0]) == (EVENTS, {"prompt": "hi", "stream": True})


def test_async_stream_yields_the_same_events(generated: tuple[ModuleType, Path], odd: LiveServer) -> None:
    module = generated[0]

    async def main() -> tuple[list[Any], bool]:
        async with module.AsyncClient(token=TOKEN, base_url=odd.url) as client:
            stream = await client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True)
            events = [event async for event in stream]
            return events, stream.response.is_closed

    events, closed = asyncio.run(main())
    assert [_expected(event) for event in events] == EXPECTED
    assert closed
    assert _sent(odd.requests[0]) == (EVENTS, {"prompt": "hi", "stream": True})


def test_without_stream_the_call_returns_the_json_result(generated: tuple[ModuleType, Path]) -> None:
    module = generated[0]
    answer = json_reply({"success": True, "errors": [], "messages": [], "result": {"response": "Hello"}})
    with LiveServer(handler=lambda _: answer) as server, module.Client(token=TOKEN, base_url=server.url) as client:
        result = client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi")
        assert result.response == "Hello"
        assert EVENTS not in server.requests[0].headers["accept"]
        assert "stream" not in json.loads(server.requests[0].body)


def test_untyped_stream_keeps_text_and_decodes_json(generated: tuple[ModuleType, Path]) -> None:
    module = generated[0]
    reply = _stream(b"data: plain text\n", b"data: second line\n\nid: 1\nevent: json\ndata: [1, 2]\n\n")
    with LiveServer(handler=lambda _: reply) as server, module.Client(token=TOKEN, base_url=server.url) as client:
        events = list(client.ai.run.cf.raw.create(account_id="acc", body={"prompt": "x"}, stream=True))
        assert _sent(server.requests[0]) == (EVENTS, {"prompt": "x"})  # the body as given
    assert [_expected(event) for event in events] == [
        ("message", "plain text\nsecond line", None, None),
        ("json", [1, 2], "1", None),
    ]


def test_breaking_out_of_the_loop_closes_the_connection(generated: tuple[ModuleType, Path], odd: LiveServer) -> None:
    module = generated[0]
    with module.Client(token=TOKEN, base_url=odd.url) as client:
        stream = client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True)
        for _ in stream:
            break
        assert stream.response.is_closed
        with client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True) as second:
            first = next(iter(second))
        assert first.data.response == "Hel"
        assert second.response.is_closed


def test_an_error_event_raises_stream_error(generated: tuple[ModuleType, Path], streams: ModuleType) -> None:
    module = generated[0]
    exceptions = importlib.import_module("streams_client._exceptions")
    reply = _stream(b'data: {"response": "a"}\n\nevent: error\ndata: {"message": "model overloaded"}\n\n')
    received: list[Any] = []
    with LiveServer(handler=lambda _: reply) as server, module.Client(token=TOKEN, base_url=server.url) as client:
        stream = client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True)
        with pytest.raises(streams.StreamError, match="model overloaded") as caught:
            received.extend(stream)
    assert [event.data.response for event in received] == ["a"]
    assert caught.value.event.data == {"message": "model overloaded"}
    assert isinstance(caught.value, exceptions.APIError)
    assert stream.response.is_closed


def test_a_disconnect_mid_stream_raises_stream_error(generated: tuple[ModuleType, Path], streams: ModuleType) -> None:
    module = generated[0]
    reply = _stream(b'data: {"response": "a"}\n\n', b'data: {"resp', abort="disconnect")
    received: list[Any] = []
    with LiveServer(handler=lambda _: reply) as server, module.Client(token=TOKEN, base_url=server.url) as client:
        stream = client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True)
        with pytest.raises(streams.StreamError, match="connection lost mid-stream"):
            received.extend(stream)
    assert [event.data.response for event in received] == ["a"]
    assert stream.response.is_closed


def test_async_error_event_and_disconnect_raise(generated: tuple[ModuleType, Path], streams: ModuleType) -> None:
    module = generated[0]
    error_event = _stream(b"event: error\ndata: not json\n\n")
    cut = _stream(b'data: {"response": "a"}\n\n', b"data: x", abort="disconnect")

    async def consume(url: str) -> list[Any]:
        async with module.AsyncClient(token=TOKEN, base_url=url) as client:
            stream = await client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True)
            return [event async for event in stream]

    for reply, message in ((error_event, "not json"), (cut, "connection lost mid-stream")):
        with (
            LiveServer(handler=lambda _, reply=reply: reply) as server,
            pytest.raises(streams.StreamError, match=message),
        ):
            asyncio.run(consume(server.url))


def test_an_error_status_raises_before_streaming(generated: tuple[ModuleType, Path]) -> None:
    module = generated[0]
    exceptions = importlib.import_module("streams_client._exceptions")
    answer = json_reply({"success": False, "errors": [{"code": 7, "message": "no such model"}], "messages": []}, 404)
    with (
        LiveServer(handler=lambda _: answer) as server,
        module.Client(token=TOKEN, base_url=server.url) as client,
        pytest.raises(exceptions.NotFoundError, match="no such model"),
    ):
        client.ai.run.cf.meta.llama.create(account_id="acc", prompt="hi", stream=True)


USER_SCRIPT = """
from typing import Any, assert_type

from streams_client import AsyncClient, Client
from streams_client._streaming import AsyncStream, Event, Stream
from streams_client.types.ai import Llama


def run(client: Client, flag: bool) -> str:
    assert_type(client.ai.run.cf.meta.llama.create(account_id="a", prompt="p"), Llama)
    events = client.ai.run.cf.meta.llama.create(account_id="a", prompt="p", stream=True)
    assert_type(events, Stream[Event[Llama]])
    either = client.ai.run.cf.meta.llama.create(account_id="a", prompt="p", stream=flag)
    assert_type(either, Llama | Stream[Event[Llama]])
    raw = client.ai.run.cf.raw.create(account_id="a", stream=True)
    assert_type(raw, Stream[Event[Any]])
    return "".join(event.data.response for event in events)


async def run_async(client: AsyncClient) -> list[int | None]:
    events = await client.ai.run.cf.meta.llama.create(account_id="a", prompt="p", stream=True)
    assert_type(events, AsyncStream[Event[Llama]])
    return [event.data.p async for event in events]


def wrong(client: Client) -> None:
    client.ai.run.cf.meta.llama.create(account_id="a", prompt="p", stream=True).data
"""


def test_stream_overloads_type_check(generated: tuple[ModuleType, Path], tmp_path: Path, mypy_cache: Path) -> None:
    script = tmp_path / "user.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), str(script)]
    env = {**os.environ, "MYPYPATH": str(generated[1] / "src")}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    errors = [line.split(": error: ")[1] for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == ['"Stream[Event[Llama]]" has no attribute "data"  [attr-defined]'], result.stdout


def test_the_decoder_follows_the_event_stream_rules(streams: ModuleType) -> None:
    decoder = streams.EventDecoder()
    lines = ["id: a\0b", "retry: 1x", "event: lonely", "", "data", "data:  two spaces", "id: 9", "retry: 30", ""]
    dispatched = [event for event in map(decoder.line, lines) if event is not None]
    # an id with NUL and a non-numeric retry are ignored; an event without data is not dispatched;
    # a field without a colon has an empty value; only one leading space is removed
    assert dispatched == [("message", "\n two spaces", "9", 30)]


def test_api_md_lists_the_stream_keyword(generated: tuple[ModuleType, Path]) -> None:
    api_md = (generated[1] / "api.md").read_text(encoding="utf-8")
    assert "with `stream=True`: `Stream[Event[Llama]]`" in api_md
    assert "`client.ai.run.cf.raw.create(account_id, body, stream)`" in api_md
