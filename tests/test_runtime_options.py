"""Options, timeouts, logging and cancellation, against a real server.

Per-call ``extra_headers`` / ``extra_query`` / ``extra_body`` / ``timeout`` / ``max_retries``,
``client.with_options`` (a copy on the same connection pool), a caller's own httpx client,
the package logger (never a credential), ``CLOUDFLARE_LOG=debug``, and async cancellation
that leaves no connection behind.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest

import cloudflare_client
from cloudflare_client import (
    DEFAULT_TIMEOUT,
    APITimeoutError,
    AsyncClient,
    Client,
    ClientConfigurationError,
    InternalServerError,
    _base_client,
)
from live_server import LiveServer, Reply, json_reply
from test_client_live import (
    ARGUMENTS,
    BEARER,
    FAILURE_ENVELOPE,
    GENERATED_SRC,
    PATH,
    REPO,
    check_example_deployment,
    replace_sleeps,
    success_reply,
)

SECRETS = {
    "api_token": "tok-SECRET-0123456789",
    "api_email": "secret.person@example.com",
    "api_key": "key-SECRET-abcdef",
    "user_service_key": "v1.0-SECRET-service",
}


@pytest.fixture(autouse=True)
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    replace_sleeps(monkeypatch, recorded.append)
    return recorded


# --- per-call options ----------------------------------------------------------------


def test_extra_headers_query_and_body_reach_the_server(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    client.pages.projects.deployments.rollback(
        **ARGUMENTS,
        body={"keep": 1, "replace": "old"},
        extra_headers={"X-Trace": "abc", "User-Agent": "mine/1.0"},
        extra_query={"dry_run": True, "tags": ["a", "b"], "skipped": None},
        extra_body={"replace": "new", "added": [1, 2]},
    )

    request = server.requests[0]
    assert request.url_path == PATH
    assert request.query == {"dry_run": ["true"], "tags": ["a", "b"]}
    assert request.headers["x-trace"] == "abc"
    assert request.headers["user-agent"] == "mine/1.0"  # extra headers win over defaults
    assert request.headers["authorization"] == f"Bearer {BEARER}"
    assert request.json() == {"keep": 1, "replace": "new", "added": [1, 2]}
    assert len(server.requests) == 1


def test_defaults_reach_the_server(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    client.pages.projects.deployments.rollback(**ARGUMENTS)

    request = server.requests[0]
    assert request.headers["user-agent"] == f"cloudflare-client/{cloudflare_client.__version__} (python)"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {}


def test_default_timeout_is_connect_5_read_60(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply(), success_reply())

    raw = client.pages.projects.deployments.with_raw_response.rollback(**ARGUMENTS)
    raw_with_timeout = client.pages.projects.deployments.with_raw_response.rollback(**ARGUMENTS, timeout=7)

    assert client.timeout == DEFAULT_TIMEOUT
    assert raw.http_response.request.extensions["timeout"] == {
        "connect": 5.0,
        "read": 60.0,
        "write": 60.0,
        "pool": 60.0,
    }
    assert raw_with_timeout.http_response.request.extensions["timeout"] == {
        "connect": 7.0,
        "read": 7.0,
        "write": 7.0,
        "pool": 7.0,
    }
    assert len(server.requests) == 2


def test_timeout_per_client_and_per_call(server: LiveServer) -> None:
    server.enqueue(Reply(delay=3.0, body=b"{}"), Reply(delay=0.3), success_reply())

    with Client(api_token=BEARER, base_url=server.url, timeout=0.1) as client:
        with pytest.raises(APITimeoutError):
            client.pages.projects.deployments.rollback(**ARGUMENTS)
        with pytest.raises(APITimeoutError):
            client.pages.projects.deployments.rollback(**ARGUMENTS)
        check_example_deployment(client.pages.projects.deployments.rollback(**ARGUMENTS, timeout=5.0))

    assert len(server.requests) == 3


@pytest.mark.parametrize("value", [-1, 1.5, True, "2"])
def test_bad_max_retries_is_refused_before_sending(server: LiveServer, client: Client, value: Any) -> None:
    with pytest.raises(ClientConfigurationError):
        Client(api_token=BEARER, base_url=server.url, max_retries=value)
    with pytest.raises(ClientConfigurationError):
        client.pages.projects.deployments.rollback(**ARGUMENTS, max_retries=value)
    assert server.requests == []


@pytest.mark.parametrize("base_url", ["api.cloudflare.com/client/v4", "ftp://example.com", "https://x.test/?a=1"])
def test_bad_base_url_is_refused_at_construction(base_url: str) -> None:
    with pytest.raises(ClientConfigurationError) as caught:
        Client(api_token=BEARER, base_url=base_url)
    assert "base_url" in str(caught.value)


# --- with_options --------------------------------------------------------------------


def test_with_options_shares_the_connection_pool(server: LiveServer, sleeps: list[float]) -> None:
    server.enqueue(success_reply(), success_reply(), json_reply(FAILURE_ENVELOPE, status=503), success_reply())

    with Client(api_token=BEARER, base_url=server.url) as client:
        copy = client.with_options(default_headers={"X-Team": "pages"}, max_retries=0, timeout=9)
        assert isinstance(copy, Client)
        assert copy.timeout == httpx.Timeout(9)
        assert copy.max_retries == 0
        assert client.max_retries == 2
        client.pages.projects.deployments.rollback(**ARGUMENTS)
        copy.pages.projects.deployments.rollback(**ARGUMENTS)
        with pytest.raises(InternalServerError):
            copy.pages.projects.deployments.rollback(**ARGUMENTS)  # no retry on the copy
        client.pages.projects.deployments.rollback(**ARGUMENTS)  # the original still retries... but 200 here

    first, second, third, fourth = server.requests
    assert "x-team" not in first.headers
    assert second.headers["x-team"] == "pages"
    assert third.headers["x-team"] == "pages"
    assert "x-team" not in fourth.headers
    assert all(r.headers["authorization"] == f"Bearer {BEARER}" for r in server.requests)
    assert server.connections == 1  # one keep-alive connection served both clients
    assert sleeps == []


def test_async_with_options(server: LiveServer, sleeps: list[float]) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, status=503), json_reply(FAILURE_ENVELOPE, status=503), success_reply())

    async def scenario() -> None:
        async with AsyncClient(api_token=BEARER, base_url=server.url, max_retries=0) as client:
            copy = client.with_options(max_retries=1, default_headers={"X-Copy": "1"})
            with pytest.raises(InternalServerError):
                await client.pages.projects.deployments.rollback(**ARGUMENTS)
            check_example_deployment(await copy.pages.projects.deployments.rollback(**ARGUMENTS))

    asyncio.run(scenario())
    assert [("x-copy" in r.headers) for r in server.requests] == [False, True, True]
    assert len(sleeps) == 1
    assert server.connections == 1


# --- a caller's own httpx client -----------------------------------------------------


def test_custom_http_client_lends_transport_headers_and_hooks(server: LiveServer) -> None:
    server.enqueue(success_reply())
    seen: list[str] = []
    http = httpx.Client(
        headers={"X-Proxy-Tenant": "t1"},
        timeout=httpx.Timeout(12.0),
        event_hooks={"request": [lambda request: seen.append(request.method)]},
    )

    with Client(api_token=BEARER, base_url=server.url, http_client=http) as client:
        raw = client.pages.projects.deployments.with_raw_response.rollback(**ARGUMENTS)

    request = server.requests[0]
    assert request.headers["x-proxy-tenant"] == "t1"
    assert request.headers["user-agent"].startswith("cloudflare-client/")
    assert seen == ["POST"]
    assert raw.http_response.request.extensions["timeout"]["read"] == 12.0
    assert "authorization" not in http.headers  # the caller's client is not modified
    assert http.is_closed


# --- logging -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "credentials",
    [
        {"api_token": SECRETS["api_token"]},
        {"api_email": SECRETS["api_email"], "api_key": SECRETS["api_key"]},
        {"user_service_key": SECRETS["user_service_key"]},
    ],
    ids=["token", "email+key", "service-key"],
)
def test_debug_log_has_request_status_attempt_and_timing_but_no_credentials(
    server: LiveServer, caplog: pytest.LogCaptureFixture, credentials: dict[str, str]
) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, status=503), success_reply())

    with (
        caplog.at_level(logging.DEBUG, logger="cloudflare_client"),
        Client(base_url=server.url, **credentials) as client,
    ):
        client.pages.projects.deployments.rollback(**ARGUMENTS)

    records = [record for record in caplog.records if record.name == "cloudflare_client"]
    messages = [record.getMessage() for record in records]
    url = f"{server.url}{PATH}"
    assert f"POST {url} (attempt 1 of 3)" in messages[0]
    assert any(f"POST {url} -> 503 Service Unavailable in " in m and "(attempt 1 of 3" in m for m in messages)
    assert any(f"POST {url} -> 200 OK in " in m and " ms (attempt 2 of 3" in m for m in messages)
    retries = [record for record in records if record.getMessage().startswith("retrying")]
    assert len(retries) == 1
    assert retries[0].levelno == logging.INFO
    assert "503" in retries[0].getMessage()
    assert "<redacted>" in messages[0]
    text = "\n".join(messages) + caplog.text
    for secret in SECRETS.values():
        assert secret not in text
    sent = server.requests[0].headers
    assert any(secret in value for value in sent.values() for secret in credentials.values())  # they were sent


LOG_PROBE = """
import sys
from cloudflare_client import Client
for _ in range(2):  # two clients: the handler is attached once
    with Client(base_url=sys.argv[1], api_token=sys.argv[2]) as client:
        client.pages.projects.deployments.rollback(
            account_identifier="a", project_name="p", deployment_identifier="d"
        )
"""


def test_cloudflare_log_debug_attaches_one_stderr_handler(server: LiveServer) -> None:
    server.enqueue(success_reply(), success_reply())
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    environment.update({"PYTHONPATH": str(GENERATED_SRC), "CLOUDFLARE_LOG": "debug"})

    completed = subprocess.run(
        [sys.executable, "-c", LOG_PROBE, server.url, SECRETS["api_token"]],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    lines = completed.stderr.splitlines()
    sent = [line for line in lines if "/rollback (attempt 1 of 3)" in line]
    answered = [line for line in lines if "-> 200 OK in" in line]
    assert len(sent) == 2  # one line per request: not doubled by a second handler
    assert len(answered) == 2
    assert all("cloudflare_client DEBUG" in line for line in sent)
    assert SECRETS["api_token"] not in completed.stderr
    assert len(server.requests) == 2


def test_without_cloudflare_log_nothing_is_printed(server: LiveServer) -> None:
    server.enqueue(success_reply())
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    environment["PYTHONPATH"] = str(GENERATED_SRC)

    completed = subprocess.run(
        [sys.executable, "-c", LOG_PROBE.replace("range(2)", "range(1)"), server.url, SECRETS["api_token"]],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert len(server.requests) == 1


# --- async cancellation --------------------------------------------------------------


def one_connection_pool() -> httpx.AsyncClient:
    # One connection at most, and a short wait for it: a connection that was never given
    # back makes the next request fail with a pool timeout instead of succeeding.
    return httpx.AsyncClient(limits=httpx.Limits(max_connections=1), timeout=httpx.Timeout(5.0, pool=1.0))


def test_cancelled_request_leaves_no_connection_behind(server: LiveServer) -> None:
    server.enqueue(Reply(delay=10.0, body=b"{}"), success_reply())

    async def scenario() -> object:
        async with AsyncClient(api_token=BEARER, base_url=server.url, http_client=one_connection_pool()) as client:
            task = asyncio.create_task(client.pages.projects.deployments.rollback(**ARGUMENTS))
            arrived = await asyncio.to_thread(server.wait_for_requests, 1)
            assert len(arrived) == 1  # cancelled mid-request: the server has it, no answer yet
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return await client.pages.projects.deployments.rollback(**ARGUMENTS)

    check_example_deployment(asyncio.run(scenario()))
    assert len(server.requests) == 2
    assert server.connections == 2  # the interrupted connection was dropped, not reused


def test_cancelled_streamed_response_leaves_no_connection_behind(server: LiveServer) -> None:
    body = b'{"success": true, "result": {"id": "' + b"x" * 2_000_000 + b'"}}'
    server.enqueue(Reply(headers={"Content-Type": "application/json"}, body=body), success_reply())

    async def scenario() -> object:
        async with AsyncClient(api_token=BEARER, base_url=server.url, http_client=one_connection_pool()) as client:
            started = asyncio.Event()
            kept: list[object] = []  # keep the response and its iterator alive: no rescue by the garbage collector

            async def read_slowly() -> None:
                streaming = client.pages.projects.deployments.with_streaming_response
                async with streaming.rollback(**ARGUMENTS) as response:
                    chunks = response.iter_bytes(1024)
                    kept.extend([response, chunks])
                    async for _chunk in chunks:
                        started.set()
                        await asyncio.sleep(0.01)

            task = asyncio.create_task(read_slowly())
            await started.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return await client.pages.projects.deployments.rollback(**ARGUMENTS)

    check_example_deployment(asyncio.run(scenario()))
    assert len(server.requests) == 2


def test_cancelled_retry_wait_sends_nothing_more(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, status=503), success_reply())
    waiting = asyncio.Event()

    async def never_ending_sleep(seconds: float) -> None:
        del seconds
        waiting.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(_base_client, "async_sleep", never_ending_sleep)

    async def scenario() -> None:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            task = asyncio.create_task(client.pages.projects.deployments.rollback(**ARGUMENTS))
            await waiting.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(scenario())
    assert len(server.requests) == 1
