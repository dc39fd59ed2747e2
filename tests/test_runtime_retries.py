"""Retries against a real server: what is retried, how often, how long the client asks to wait.

The seed operation, ``rollback``, is a POST: a second rollback is not harmless, so it is
retried only when the request provably never reached the server (connect error) or the
server said to (503, 429 with ``Retry-After``), unless the caller opts in.  Every test
checks what the server saw (how many requests, and that each retry resent the same
request), runs sync and async, and never waits: ``_base_client.sleep`` / ``async_sleep``
are replaced by recorders of the requested delays.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cloudflare_client import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    Client,
    InternalServerError,
    RateLimitError,
    UnsuccessfulResponseError,
)
from cloudflare_client._base_client import Request
from cloudflare_client._parsing import passthrough
from cloudflare_client.types.pages import Deployment
from live_server import LiveServer, RecordedRequest, Reply, json_reply
from test_client_live import (
    BEARER,
    CF_RAY,
    EXAMPLE_DEPLOYMENT,
    FAILURE_ENVELOPE,
    PATH,
    async_rollback,
    check_example_deployment,
    envelope,
    replace_sleeps,
    rollback,
    success_reply,
    unused_port,
)

FIRST_BACKOFF = (0.375, 0.5)  # 0.5 s times a jitter in (0.75, 1]
SECOND_BACKOFF = (0.75, 1.0)


class Sleeps(list[float]):
    """The delays the client asked for; ``on_first`` runs at the first one (e.g. to start a server)."""

    on_first: Callable[[], None] | None = None

    def record(self, seconds: float) -> None:
        if not self and self.on_first is not None:
            self.on_first()
        self.append(seconds)


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Sleeps:
    recorded = Sleeps()
    replace_sleeps(monkeypatch, recorded.record)
    return recorded


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(kind: str, base_url: str, client_options: dict[str, Any] | None = None, **overrides: Any) -> Any:
    """One rollback through a fresh sync or async client."""
    options = {"api_token": BEARER, "base_url": base_url, **(client_options or {})}
    if kind == "sync":
        with Client(**options) as client:
            return rollback(client, **overrides)

    async def scenario() -> Any:
        async with AsyncClient(**options) as client:
            return await async_rollback(client, **overrides)

    return asyncio.run(scenario())


def failure(status: int, headers: dict[str, str] | None = None) -> Reply:
    return json_reply(FAILURE_ENVELOPE, status=status, headers={"cf-ray": CF_RAY, **(headers or {})})


def check_same_request_each_time(requests: list[RecordedRequest], count: int) -> None:
    assert len(requests) == count, [(r.method, r.path) for r in requests]
    first = requests[0]
    assert first.method == "POST"
    assert first.path == PATH
    for again in requests[1:]:
        assert (again.method, again.path, again.body) == (first.method, first.path, first.body)
        assert again.headers["authorization"] == f"Bearer {BEARER}"
        assert again.headers["content-type"] == "application/json"


def within(value: float, bounds: tuple[float, float]) -> bool:
    low, high = bounds
    return low <= value <= high


# --- a POST is not repeated when the server may have acted on it ---------------------


@pytest.mark.parametrize("status", [500, 502, 504, 408])
def test_post_is_not_retried_after_an_ambiguous_error(
    kind: str, server: LiveServer, sleeps: Sleeps, status: int
) -> None:
    server.enqueue(failure(status), success_reply())

    with pytest.raises(APIStatusError) as caught:
        call(kind, server.url)

    assert caught.value.status_code == status
    assert len(server.requests) == 1  # the second rollback never happened
    assert sleeps == []
    assert caught.value.attempts == 1
    assert caught.value.retries == 0
    assert "attempts" not in str(caught.value)


def test_post_is_not_retried_after_429_without_retry_after(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(429), success_reply())

    with pytest.raises(RateLimitError):
        call(kind, server.url)

    assert len(server.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("where", ["per-call", "per-client"])
def test_post_is_retried_after_500_when_the_caller_opts_in(
    kind: str, server: LiveServer, sleeps: Sleeps, where: str
) -> None:
    server.enqueue(failure(500), success_reply())

    if where == "per-call":
        result = call(kind, server.url, retry_non_idempotent=True)
    else:
        result = call(kind, server.url, {"retry_non_idempotent": True})

    check_example_deployment(result)
    check_same_request_each_time(server.requests, 2)
    assert len(sleeps) == 1
    assert within(sleeps[0], FIRST_BACKOFF)


def test_per_call_opt_out_beats_the_client_opt_in(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(500), success_reply())

    with pytest.raises(InternalServerError):
        call(kind, server.url, {"retry_non_idempotent": True}, retry_non_idempotent=False)

    assert len(server.requests) == 1
    assert sleeps == []


def test_with_options_opts_in_without_touching_the_original(server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(500), success_reply(), failure(500))

    with Client(api_token=BEARER, base_url=server.url) as client:
        check_example_deployment(rollback(client.with_options(retry_non_idempotent=True)))
        with pytest.raises(InternalServerError):
            rollback(client)

    assert len(server.requests) == 3
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("method", "requests"),
    [("GET", 2), ("HEAD", 2), ("OPTIONS", 2), ("PUT", 2), ("DELETE", 2), ("PATCH", 1), ("POST", 1)],
)
def test_only_idempotent_methods_retry_freely_after_500(
    kind: str, server: LiveServer, sleeps: Sleeps, method: str, requests: int
) -> None:
    # The seed has only a POST; the runtime under every generated method is driven directly here.
    server.enqueue(failure(500), json_reply({"ok": True}))
    request = Request(method.lower(), "/things/1")

    async def scenario() -> object:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            return await client.request(request, passthrough, unwrap=False)

    def sync() -> object:
        with Client(api_token=BEARER, base_url=server.url) as client:
            return client.request(request, passthrough, unwrap=False)

    if requests == 1:
        with pytest.raises(InternalServerError):
            sync() if kind == "sync" else asyncio.run(scenario())
    else:
        result = sync() if kind == "sync" else asyncio.run(scenario())
        assert result == ("" if method == "HEAD" else {"ok": True})
    assert [r.method for r in server.requests] == [method] * requests
    assert len(sleeps) == requests - 1


# --- the server says "try again" -------------------------------------------------------


def test_post_is_retried_after_503(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(503), success_reply())

    check_example_deployment(call(kind, server.url, body={"note": "once"}))

    check_same_request_each_time(server.requests, 2)
    assert server.requests[1].json() == {"note": "once"}
    assert len(sleeps) == 1
    assert within(sleeps[0], FIRST_BACKOFF)


def test_429_with_retry_after_seconds_waits_that_long(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(429, {"Retry-After": "3"}), success_reply())

    check_example_deployment(call(kind, server.url))

    check_same_request_each_time(server.requests, 2)
    assert sleeps == [3.0]


def test_429_with_retry_after_http_date(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    server.enqueue(failure(429, {"Retry-After": later}), success_reply())

    check_example_deployment(call(kind, server.url))

    assert len(server.requests) == 2
    assert len(sleeps) == 1
    assert 20.0 < sleeps[0] <= 30.0  # the date has whole seconds; the test itself takes a few ms


@pytest.mark.parametrize(("retry_after", "expected"), [("3600", 60.0), ("0", 0.0), ("1.5", 1.5)])
def test_retry_after_is_honoured_up_to_60_seconds(
    kind: str, server: LiveServer, sleeps: Sleeps, retry_after: str, expected: float
) -> None:
    server.enqueue(failure(503, {"Retry-After": retry_after}), success_reply())

    call(kind, server.url)

    assert sleeps == [expected]
    assert len(server.requests) == 2


@pytest.mark.parametrize("retry_after", ["soon", "-5", "nan", ""])
def test_unusable_retry_after_falls_back_to_backoff(server: LiveServer, sleeps: Sleeps, retry_after: str) -> None:
    server.enqueue(failure(503, {"Retry-After": retry_after}), success_reply())

    call("sync", server.url)

    assert len(sleeps) == 1
    assert within(sleeps[0], FIRST_BACKOFF)


def test_unusable_retry_after_does_not_make_a_post_429_retryable(server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(429, {"Retry-After": "whenever"}), success_reply())

    with pytest.raises(RateLimitError):
        call("sync", server.url)

    assert len(server.requests) == 1
    assert sleeps == []


def test_exhausted_retries_say_how_many_attempts(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(503), failure(503), failure(503), success_reply())

    with pytest.raises(InternalServerError) as caught:
        call(kind, server.url)

    error = caught.value
    check_same_request_each_time(server.requests, 3)  # 1 + max_retries (default 2)
    assert error.attempts == 3
    assert error.retries == 2
    assert error.request_id == CF_RAY
    text = str(error)
    assert "\n" not in text
    assert text.startswith("503 Service Unavailable: [7003] No route for the URI.")
    assert "3 attempts" in text
    assert CF_RAY in text
    assert len(sleeps) == 2
    assert within(sleeps[0], FIRST_BACKOFF)
    assert within(sleeps[1], SECOND_BACKOFF)


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "requests"),
    [(2, 0, 1), (0, 1, 2), (4, None, 5), (0, None, 1)],
    ids=["call-0-over-client-2", "call-1-over-client-0", "client-4", "client-0"],
)
def test_max_retries_per_client_and_per_call(  # noqa: PLR0917 - pytest passes fixtures and parameters by name
    kind: str,
    server: LiveServer,
    sleeps: Sleeps,
    client_retries: int,
    call_retries: int | None,
    requests: int,
) -> None:
    server.handler = lambda _request: failure(503)
    overrides = {} if call_retries is None else {"max_retries": call_retries}

    with pytest.raises(InternalServerError) as caught:
        call(kind, server.url, {"max_retries": client_retries}, **overrides)

    assert len(server.requests) == requests
    assert caught.value.attempts == requests
    assert len(sleeps) == requests - 1


def test_backoff_doubles_up_to_8_seconds(server: LiveServer, sleeps: Sleeps) -> None:
    server.handler = lambda _request: failure(503)

    with pytest.raises(InternalServerError):
        call("sync", server.url, {"max_retries": 6})

    assert len(server.requests) == 7
    nominal = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert len(sleeps) == len(nominal)
    for delay, ceiling in zip(sleeps, nominal, strict=True):
        assert within(delay, (0.75 * ceiling, ceiling))


# --- transport failures ------------------------------------------------------------


def test_post_is_retried_after_a_connect_error(kind: str, sleeps: Sleeps) -> None:
    port = unused_port()
    started: list[LiveServer] = []

    def start_server() -> None:  # nothing listens for the first attempt; a server is up for the second
        late = LiveServer(port=port)
        late.enqueue(success_reply())
        started.append(late.start())

    sleeps.on_first = start_server
    try:
        check_example_deployment(call(kind, f"http://127.0.0.1:{port}"))
    finally:
        for late in started:
            late.stop()
    assert len(started) == 1
    assert len(started[0].requests) == 1  # the refused attempt never reached any server
    assert started[0].requests[0].path == PATH
    assert len(sleeps) == 1
    assert within(sleeps[0], FIRST_BACKOFF)


def test_connect_errors_exhaust_retries(kind: str, sleeps: Sleeps) -> None:
    with pytest.raises(APIConnectionError) as caught:
        call(kind, f"http://127.0.0.1:{unused_port()}")

    error = caught.value
    assert not isinstance(error, APITimeoutError)
    assert error.attempts == 3
    assert error.request_id is None
    assert "3 attempts" in str(error)
    assert "\n" not in str(error)
    assert len(sleeps) == 2


@pytest.mark.parametrize("abort", ["close", "reset", "truncate", "reset-mid-body"])
def test_post_is_not_retried_when_the_connection_breaks_after_sending(
    kind: str, server: LiveServer, sleeps: Sleeps, abort: str
) -> None:
    body = json.dumps(envelope(EXAMPLE_DEPLOYMENT)).encode()
    server.enqueue(Reply(headers={"Content-Type": "application/json"}, body=body, abort=abort), success_reply())  # type: ignore[arg-type]

    with pytest.raises(APIConnectionError) as caught:
        call(kind, server.url)

    assert not isinstance(caught.value, APITimeoutError)
    assert caught.value.attempts == 1
    assert "\n" not in str(caught.value)
    assert len(server.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("abort", ["reset", "reset-mid-body"])
def test_broken_connection_is_retried_when_the_caller_opts_in(
    kind: str, server: LiveServer, sleeps: Sleeps, abort: str
) -> None:
    body = json.dumps(envelope(EXAMPLE_DEPLOYMENT)).encode()
    server.enqueue(Reply(body=body, abort=abort), success_reply())  # type: ignore[arg-type]

    check_example_deployment(call(kind, server.url, retry_non_idempotent=True))

    check_same_request_each_time(server.requests, 2)
    assert len(sleeps) == 1


def test_post_is_not_retried_after_a_read_timeout(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(Reply(delay=3.0, body=b"{}"), success_reply())

    with pytest.raises(APITimeoutError) as caught:
        call(kind, server.url, timeout=0.2)

    assert "ReadTimeout" in str(caught.value)
    assert caught.value.attempts == 1
    assert len(server.requests) == 1
    assert sleeps == []


def test_read_timeout_is_retried_when_the_caller_opts_in(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(Reply(delay=3.0, body=b"{}"), success_reply())

    result = call(kind, server.url, timeout=0.2, retry_non_idempotent=True)

    check_example_deployment(result)
    check_same_request_each_time(server.requests, 2)
    assert len(sleeps) == 1


# --- never retried -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "error_class"),
    [
        (json_reply(FAILURE_ENVELOPE, status=200), UnsuccessfulResponseError),
        (failure(400), APIStatusError),
        (failure(404), APIStatusError),
    ],
    ids=["200-success-false", "400", "404"],
)
def test_client_errors_are_never_retried(
    server: LiveServer, sleeps: Sleeps, reply: Reply, error_class: type[APIStatusError]
) -> None:
    server.enqueue(reply, success_reply())

    with pytest.raises(error_class):
        call("sync", server.url, retry_non_idempotent=True, max_retries=5)

    assert len(server.requests) == 1
    assert sleeps == []


def test_retry_resends_extra_headers_query_and_body(kind: str, server: LiveServer, sleeps: Sleeps) -> None:
    server.enqueue(failure(503), success_reply())

    result = call(
        kind,
        server.url,
        body={"a": 1},
        extra_headers={"X-Trace": "t-1"},
        extra_query={"dry_run": "true"},
        extra_body={"b": 2},
    )

    assert isinstance(result, Deployment)
    requests = server.requests
    assert len(requests) == 2
    for request in requests:
        assert request.url_path == PATH
        assert request.query == {"dry_run": ["true"]}
        assert request.headers["x-trace"] == "t-1"
        assert request.json() == {"a": 1, "b": 2}
    assert len(sleeps) == 1
