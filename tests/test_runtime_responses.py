"""Responses that are not what the spec says, and raw / streamed access to responses, against a real server.

A body the client cannot read as JSON gives a typed error that keeps the response (never a bare
``KeyError``); JSON of another shape reaches a lenient caller as received (a strict one gets the
typed error) and, when only the wrapping is unusual, the model with every field kept.
``with_raw_response`` gives status, headers and ``parse()``; ``with_streaming_response`` hands
over a response whose body has not been read.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from cloudflare_client import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    AsyncClient,
    AsyncStreamedResponse,
    Client,
    NotFoundError,
    RawResponse,
    StreamedResponse,
    UnsuccessfulResponseError,
)
from cloudflare_client.types.pages import Deployment
from live_server import LiveServer, RecordedRequest, Reply, json_reply
from test_client_live import (
    ARGUMENTS,
    BEARER,
    CF_RAY,
    EXAMPLE_DEPLOYMENT,
    FAILURE_ENVELOPE,
    PATH,
    check_example_deployment,
    envelope,
    replace_sleeps,
    success_reply,
)

ENVELOPE_BYTES = json.dumps(envelope(EXAMPLE_DEPLOYMENT)).encode()


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    replace_sleeps(monkeypatch, recorded.append)
    return recorded


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(kind: str, server: LiveServer, *, strict: bool = False) -> Any:
    """One rollback through a fresh sync or async client."""
    if kind == "sync":
        with Client(api_token=BEARER, base_url=server.url, strict_response_validation=strict) as client:
            return client.pages.projects.deployments.rollback(**ARGUMENTS)

    async def scenario() -> Any:
        async with AsyncClient(api_token=BEARER, base_url=server.url, strict_response_validation=strict) as client:
            return await client.pages.projects.deployments.rollback(**ARGUMENTS)

    return asyncio.run(scenario())


def only_rollback(server: LiveServer) -> RecordedRequest:
    requests = server.requests
    assert len(requests) == 1, [(r.method, r.path) for r in requests]
    assert requests[0].method == "POST"
    assert requests[0].path == PATH
    return requests[0]


def body_reply(body: bytes, content_type: str = "application/json", status: int = 200) -> Reply:
    return Reply(status=status, headers={"Content-Type": content_type, "cf-ray": CF_RAY}, body=body)


def dumps(value: object) -> bytes:
    return json.dumps(value).encode()


# --- bodies that are not what the spec says -----------------------------------------

BAD_BODIES = {
    "invalid-json": (body_reply(b'{"success": true, "result": {"id": '), "not JSON"),
    "html-page": (
        body_reply(b"<!DOCTYPE html><html><body><h1>Oops</h1></body></html>", "text/html"),
        "content-type text/html",
    ),
    "binary": (body_reply(b"\x89PNG\r\n\x1a\n\x00\x00\xff", "image/png"), "not JSON"),
    "empty": (body_reply(b""), "not JSON"),
    "absurd-nesting": (body_reply(b"[" * 200_000 + b"]" * 200_000), "not JSON"),
}
# JSON that is not what the description says reaches the caller by default (tests/test_lenient_responses.py:
# fields kept as received, a value of another kind as received, an absent result as None); a strict client raises.
STRICT_BAD_BODIES = {
    **BAD_BODIES,
    "bare-list": (body_reply(dumps([EXAMPLE_DEPLOYMENT])), "no envelope 'result'"),
    "bare-string": (body_reply(dumps("ok")), "no envelope 'result'"),
    "no-result": (body_reply(dumps({"success": True, "errors": [], "messages": []})), "no envelope 'result'"),
    "result-is-list": (body_reply(dumps(envelope([EXAMPLE_DEPLOYMENT]))), "Deployment"),
    "result-is-string": (body_reply(dumps(envelope("done"))), "Deployment"),
    "result-null": (body_reply(dumps(envelope(None))), "'result' is null"),  # by default: None, logged
    "wrong-field-type": (body_reply(dumps(envelope({**EXAMPLE_DEPLOYMENT, "stages": "all"}))), "stages"),
}


@pytest.mark.parametrize(
    ("case", "strict"), [*((case, False) for case in BAD_BODIES), *((case, True) for case in STRICT_BAD_BODIES)]
)
def test_untrustworthy_success_body_raises_a_typed_error(
    kind: str, server: LiveServer, case: str, strict: bool
) -> None:
    reply, mentions = STRICT_BAD_BODIES[case]
    server.enqueue(reply, success_reply())

    with pytest.raises(APIError) as caught:
        call(kind, server, strict=strict)

    error = caught.value
    assert type(error) is APIResponseValidationError
    assert error.status_code == 200
    assert error.response.status_code == 200
    assert error.request_id == CF_RAY
    assert error.attempts == 1
    text = str(error)
    assert "\n" not in text
    assert len(text) < 600
    assert mentions in text
    assert not isinstance(error.__cause__, KeyError)
    only_rollback(server)  # a bad body is not retried


LENIENT_BODIES = {
    "bare-list": (dumps([EXAMPLE_DEPLOYMENT]), [EXAMPLE_DEPLOYMENT]),
    "bare-string": (dumps("ok"), "ok"),
    "no-result": (dumps({"success": True, "errors": [], "messages": []}), None),
    "empty-object": (b"{}", None),
    "result-is-list": (dumps(envelope([EXAMPLE_DEPLOYMENT])), [EXAMPLE_DEPLOYMENT]),
    "result-is-string": (dumps(envelope("done")), "done"),
}


@pytest.mark.parametrize("case", LENIENT_BODIES)
def test_json_of_another_shape_reaches_a_lenient_caller_as_received(kind: str, server: LiveServer, case: str) -> None:
    body, expected = LENIENT_BODIES[case]
    server.enqueue(body_reply(body))

    assert call(kind, server) == expected

    only_rollback(server)


def test_a_body_sent_without_its_envelope_is_the_result(kind: str, server: LiveServer) -> None:
    server.enqueue(body_reply(dumps(EXAMPLE_DEPLOYMENT)))

    check_example_deployment(call(kind, server))


def test_result_null_is_kept_on_the_error(server: LiveServer, client: Client) -> None:
    server.enqueue(json_reply(envelope(None)))

    with pytest.raises(APIResponseValidationError) as caught:  # by default None (tests/test_lenient_responses.py)
        client.with_options(strict_response_validation=True).pages.projects.deployments.rollback(**ARGUMENTS)

    assert caught.value.body is None
    assert caught.value.response.json()["result"] is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (dumps(envelope(EXAMPLE_DEPLOYMENT)), "text/plain"),
        (dumps(envelope(EXAMPLE_DEPLOYMENT)), "text/html; charset=utf-8"),
        (dumps({"result": EXAMPLE_DEPLOYMENT}), "application/json"),
        (dumps({**envelope(EXAMPLE_DEPLOYMENT), "result_info": {"page": 1}, "surprise": [1, 2]}), "application/json"),
    ],
    ids=["json-as-text-plain", "json-as-html", "envelope-without-success", "envelope-with-extra-fields"],
)
def test_usable_body_with_unusual_wrapping_gives_the_model(
    kind: str, server: LiveServer, body: bytes, content_type: str
) -> None:
    server.enqueue(body_reply(body, content_type))

    check_example_deployment(call(kind, server))

    only_rollback(server)


def test_unknown_fields_are_kept_at_every_level(server: LiveServer, client: Client) -> None:
    stage = {**EXAMPLE_DEPLOYMENT["stages"][0], "duration_ms": 812}
    result = {**EXAMPLE_DEPLOYMENT, "stages": [stage], "build_image_major_version": 3}
    server.enqueue(json_reply(envelope(result)))

    deployment = client.pages.projects.deployments.rollback(**ARGUMENTS)

    assert deployment.model_extra == {"new_field": 1, "build_image_major_version": 3}
    assert deployment.stages is not None
    assert deployment.stages[0].model_extra == {"duration_ms": 812}
    assert deployment.model_dump(by_alias=True, mode="json")["stages"][0]["duration_ms"] == 812


def test_200_with_success_false_raises_unsuccessful_response(kind: str, server: LiveServer) -> None:
    body = {**FAILURE_ENVELOPE, "errors": [{"code": 8000009, "message": "Deployment is not\nrollbackable."}]}
    server.enqueue(json_reply(body, headers={"cf-ray": CF_RAY}), success_reply())

    with pytest.raises(UnsuccessfulResponseError) as caught:
        call(kind, server)

    error = caught.value
    assert error.status_code == 200
    assert [(e.code, e.message) for e in error.errors] == [(8000009, "Deployment is not\nrollbackable.")]
    assert error.request_id == CF_RAY
    assert str(error) == f"200 OK: [8000009] Deployment is not rollbackable. (cf-ray {CF_RAY})"
    only_rollback(server)


@pytest.mark.parametrize(
    "errors",
    [
        "not a list",
        [{"code": "7003", "message": None}],
        [{"message": "no code"}],
        ["plain string"],
        [42],
    ],
    ids=["errors-not-a-list", "code-as-string", "no-code", "string-item", "number-item"],
)
def test_malformed_error_envelopes_still_give_one_line(server: LiveServer, client: Client, errors: object) -> None:
    server.enqueue(json_reply({"success": False, "errors": errors, "messages": "?"}, status=404))

    with pytest.raises(NotFoundError) as caught:
        client.pages.projects.deployments.rollback(**ARGUMENTS)

    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith("404 Not Found")
    assert "{" not in text
    assert caught.value.messages == []


# Pagination that never ends (the client must stop): tests/test_pagination.py, against a generated list API.


# --- raw responses -----------------------------------------------------------------


def test_raw_response_gives_status_headers_and_the_parsed_model(server: LiveServer, client: Client) -> None:
    server.enqueue(json_reply(envelope(EXAMPLE_DEPLOYMENT), headers={"cf-ray": CF_RAY, "X-Extra": "1"}))

    raw = client.pages.projects.deployments.with_raw_response.rollback(**ARGUMENTS, body={"a": 1})

    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["x-extra"] == "1"
    assert raw.request_id == CF_RAY
    assert raw.method == "POST"
    assert raw.url.path == PATH
    assert raw.attempts == 1
    assert raw.retries == 0
    assert raw.json()["success"] is True
    assert raw.content == raw.http_response.content
    deployment = raw.parse()
    check_example_deployment(deployment)
    assert raw.parse() is deployment  # validated once
    assert only_rollback(server).json() == {"a": 1}


def test_raw_response_from_the_client_level_tree(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    raw = client.with_raw_response.pages.projects.deployments.rollback(**ARGUMENTS)

    assert isinstance(raw, RawResponse)
    check_example_deployment(raw.parse())
    only_rollback(server)


def test_raw_response_of_success_false_raises_only_when_parsed(server: LiveServer, client: Client) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, headers={"cf-ray": CF_RAY}))

    raw = client.pages.projects.deployments.with_raw_response.rollback(**ARGUMENTS)

    assert raw.status_code == 200
    with pytest.raises(UnsuccessfulResponseError) as caught:
        raw.parse()
    assert caught.value.request_id == CF_RAY
    only_rollback(server)


def test_raw_response_raises_status_errors_after_retries(
    server: LiveServer, client: Client, sleeps: list[float]
) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, status=503), success_reply(), json_reply(FAILURE_ENVELOPE, status=404))

    raw = client.pages.projects.deployments.with_raw_response.rollback(**ARGUMENTS)
    assert raw.attempts == 2
    check_example_deployment(raw.parse())
    with pytest.raises(NotFoundError):
        client.with_raw_response.pages.projects.deployments.rollback(**ARGUMENTS)

    assert len(server.requests) == 3
    assert len(sleeps) == 1


def test_async_raw_response(server: LiveServer) -> None:
    server.enqueue(success_reply(), success_reply())

    async def scenario() -> tuple[RawResponse[Deployment], RawResponse[Deployment]]:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            first = await client.pages.projects.deployments.with_raw_response.rollback(**ARGUMENTS)
            second = await client.with_raw_response.pages.projects.deployments.rollback(**ARGUMENTS)
            return first, second

    for raw in asyncio.run(scenario()):
        assert isinstance(raw, RawResponse)
        assert raw.status_code == 200
        assert raw.request_id == CF_RAY
        check_example_deployment(raw.parse())
    assert len(server.requests) == 2


# --- streamed responses ------------------------------------------------------------


def big_envelope() -> bytes:
    padding = "x" * 1_000_000
    return dumps(envelope({**EXAMPLE_DEPLOYMENT, "padding": padding}))


def test_streamed_response_reads_the_body_in_chunks(server: LiveServer, client: Client) -> None:
    body = big_envelope()
    server.enqueue(body_reply(body))

    with client.pages.projects.deployments.with_streaming_response.rollback(**ARGUMENTS) as response:
        assert isinstance(response, StreamedResponse)
        assert response.status_code == 200
        assert response.request_id == CF_RAY
        assert not response.http_response.is_stream_consumed
        chunks = list(response.iter_bytes(chunk_size=65_536))

    assert len(chunks) > 10
    assert max(len(chunk) for chunk in chunks) <= 65_536
    assert b"".join(chunks) == body
    assert response.http_response.is_closed
    only_rollback(server)


def test_streamed_response_does_not_wait_for_the_body(server: LiveServer, client: Client) -> None:
    # The server announces the whole body but sends only half, then hangs up.  A client
    # that read the body up front would fail before handing anything over.
    body = big_envelope()
    server.enqueue(Reply(headers={"Content-Type": "application/json"}, body=body, abort="truncate"))

    received = 0
    with client.pages.projects.deployments.with_streaming_response.rollback(**ARGUMENTS) as response:
        assert response.status_code == 200
        chunks = response.iter_bytes(chunk_size=65_536)
        received += len(next(chunks))  # the first bytes are there to use
        with pytest.raises(APIConnectionError) as caught:
            received += sum(len(chunk) for chunk in chunks)

    assert 0 < received < len(body)
    assert "reading the body" in str(caught.value)
    assert response.http_response.is_closed
    only_rollback(server)


def test_streamed_response_parses_on_demand(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    with client.with_streaming_response.pages.projects.deployments.rollback(**ARGUMENTS) as response:
        check_example_deployment(response.parse())

    only_rollback(server)


def test_streamed_response_sends_nothing_until_entered(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    manager = client.pages.projects.deployments.with_streaming_response.rollback(**ARGUMENTS)
    assert server.requests == []
    with manager as response:
        assert response.status_code == 200

    only_rollback(server)


def test_streamed_response_raises_status_errors_on_enter(
    server: LiveServer, client: Client, sleeps: list[float]
) -> None:
    server.enqueue(
        json_reply(FAILURE_ENVELOPE, status=503), json_reply(FAILURE_ENVELOPE, status=404, headers={"cf-ray": CF_RAY})
    )

    with (
        pytest.raises(NotFoundError) as caught,
        client.pages.projects.deployments.with_streaming_response.rollback(**ARGUMENTS),
    ):
        pytest.fail("entered despite a 404")

    assert caught.value.attempts == 2
    assert caught.value.errors[0].code == 7003
    assert caught.value.request_id == CF_RAY
    assert len(server.requests) == 2
    assert len(sleeps) == 1


def test_async_streamed_response(server: LiveServer) -> None:
    body = big_envelope()
    server.enqueue(body_reply(body), success_reply())

    async def scenario() -> tuple[bytes, int, bool, Deployment]:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            streaming = client.pages.projects.deployments.with_streaming_response
            async with streaming.rollback(**ARGUMENTS) as response:
                assert isinstance(response, AsyncStreamedResponse)
                assert response.status_code == 200
                chunks = [chunk async for chunk in response.iter_bytes(65_536)]
            async with client.with_streaming_response.pages.projects.deployments.rollback(**ARGUMENTS) as again:
                parsed = await again.parse()
            return b"".join(chunks), len(chunks), response.http_response.is_closed, parsed

    joined, count, closed, parsed = asyncio.run(scenario())
    assert joined == body
    assert count > 10
    assert closed
    check_example_deployment(parsed)
    assert len(server.requests) == 2
