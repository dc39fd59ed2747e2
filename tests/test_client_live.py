"""End-to-end tests of the generated client against a real local HTTP server.

Every test drives ``client.pages.projects.deployments.rollback`` over a socket to
:class:`live_server.LiveServer` and checks both what the caller gets back and what the
server actually received (method, raw path, headers, body).  These tests look at one
exchange at a time (``max_retries=0``); retries are in ``test_runtime_retries.py``.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import pkgutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

import cloudflare_client
from cloudflare_client import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    ClientConfigurationError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    ParameterValidationError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    UnsuccessfulResponseError,
    _base_client,
)
from cloudflare_client.types.pages import Deployment, DeploymentStage
from conftest import BEARER, CLIENT_ENVIRONMENT
from live_server import LiveServer, RecordedRequest, Reply, json_reply

# tests/conftest.py puts generated/src on sys.path (the Makefile only adds scripts/).
REPO = Path(__file__).resolve().parents[1]


def _import_whole_package() -> dict[str, ModuleType]:
    for module in pkgutil.walk_packages(cloudflare_client.__path__, "cloudflare_client."):
        importlib.import_module(module.name)
    return {name: module for name, module in sys.modules.items() if name.partition(".")[0] == "cloudflare_client"}


# The seed package's modules as this file imported them.  Other test modules generate and
# import other packages named ``cloudflare_client`` and then drop that name from
# sys.modules; a lazy import inside the client would then load a second copy (other
# classes, other module-level hooks).  Tests that drive the client pin these modules.
PACKAGE_MODULES = _import_whole_package()


def pin_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every ``cloudflare_client`` import in this test resolve to the modules imported above."""
    for name in [name for name in sys.modules if name.partition(".")[0] == "cloudflare_client"]:
        if name not in PACKAGE_MODULES:
            monkeypatch.delitem(sys.modules, name)
    for name, module in PACKAGE_MODULES.items():
        monkeypatch.setitem(sys.modules, name, module)


GENERATED_SRC = REPO / "generated" / "src"
ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
PROJECT = "this-is-my-project-01"
DEPLOYMENT = "023e105f4ecef8ad9ca31a8372d0c353"
PATH = f"/accounts/{ACCOUNT}/pages/projects/{PROJECT}/deployments/{DEPLOYMENT}/rollback"
AUTH_HEADERS = ("authorization", "x-auth-email", "x-auth-key", "x-auth-user-service-key")
ENV_VARIABLES = CLIENT_ENVIRONMENT
ARGUMENTS: dict[str, Any] = {
    "account_identifier": ACCOUNT,
    "project_name": PROJECT,
    "deployment_identifier": DEPLOYMENT,
}
CF_RAY = "8c1f2d3e4a5b6c7d-AMS"
STAGES: list[dict[str, Any]] = [
    {
        "ended_on": "2021-06-03T15:39:03.134378Z",
        "name": "queued",
        "started_on": "2021-06-03T15:38:15.608194Z",
        "status": "active",
    },
    {"ended_on": None, "name": "initialize", "started_on": None, "status": "idle"},
    {"ended_on": None, "name": "clone_repo", "started_on": None, "status": "idle"},
    {"ended_on": None, "name": "build", "started_on": None, "status": "idle"},
    {"ended_on": None, "name": "deploy", "started_on": None, "status": "idle"},
]
EXAMPLE_DEPLOYMENT: dict[str, Any] = {
    "id": "f64788e9-fccd-4d4a-a28a-cb84f88f6",
    "short_id": "f64788e9",
    "project_id": "7b162ea7-7367-4d67-bcde-1160995d5",
    "project_name": "ninjakittens",
    "environment": "preview",
    "url": "https://f64788e9.ninjakittens.pages.dev",
    "created_on": "2021-03-09T00:55:03.923456Z",
    "modified_on": "2021-03-09T00:58:59.045655",
    "aliases": ["https://branchname.projectname.pages.dev"],
    "latest_stage": STAGES[0],
    "stages": STAGES,
    "deployment_trigger": {
        "type": "ad_hoc",
        "metadata": {
            "branch": "main",
            "commit_hash": "ad9ccd918a81025731e10e40267e11273a263421",
            "commit_message": "Update index.html",
        },
    },
    "env_vars": {"BUILD_VERSION": {"value": "3.3"}, "ENV": {"value": "STAGING"}},
    "is_skipped": True,
    "new_field": 1,
}
FAILURE_ENVELOPE: dict[str, Any] = {
    "success": False,
    "errors": [{"code": 7003, "message": "No route for the URI."}],
    "messages": [],
    "result": None,
}


def envelope(result: object) -> dict[str, Any]:
    return {"success": True, "errors": [], "messages": [], "result": result}


def success_reply(result: object = EXAMPLE_DEPLOYMENT) -> Reply:
    return json_reply(envelope(result), headers={"cf-ray": CF_RAY})


def rollback(client: Client, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "account_identifier": ACCOUNT,
        "project_name": PROJECT,
        "deployment_identifier": DEPLOYMENT,
        **overrides,
    }
    return client.pages.projects.deployments.rollback(**arguments)


async def async_rollback(client: AsyncClient, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "account_identifier": ACCOUNT,
        "project_name": PROJECT,
        "deployment_identifier": DEPLOYMENT,
        **overrides,
    }
    return await client.pages.projects.deployments.rollback(**arguments)


def only_request(server: LiveServer) -> RecordedRequest:
    requests = server.requests
    assert len(requests) == 1, [(r.method, r.path) for r in requests]
    return requests[0]


def sent_auth(request: RecordedRequest) -> dict[str, str]:
    return {name: request.headers[name] for name in AUTH_HEADERS if name in request.headers}


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def replace_sleeps(monkeypatch: pytest.MonkeyPatch, record: Callable[[float], object]) -> None:
    """Make the client's waits between attempts instant, handing each requested delay to ``record``."""

    async def async_sleep(seconds: float) -> None:
        record(seconds)

    pin_package(monkeypatch)  # before replacing the hooks: on the modules the tests imported
    monkeypatch.setattr(_base_client, "sleep", record)
    monkeypatch.setattr(_base_client, "async_sleep", async_sleep)


@pytest.fixture(autouse=True)
def instant_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A client built here with the default max_retries never waits between attempts."""
    delays: list[float] = []
    replace_sleeps(monkeypatch, delays.append)
    return delays


@pytest.fixture
def client(server: LiveServer) -> Iterator[Client]:
    with Client(api_token=BEARER, base_url=server.url, max_retries=0) as instance:
        yield instance


# --- success -----------------------------------------------------------------------


def check_example_deployment(result: object) -> None:
    assert isinstance(result, Deployment)
    assert result.id == "f64788e9-fccd-4d4a-a28a-cb84f88f6"
    assert result.short_id == "f64788e9"
    assert result.project_name == "ninjakittens"
    assert result.environment == "preview"
    assert isinstance(result.created_on, datetime)
    assert result.created_on == datetime(2021, 3, 9, 0, 55, 3, 923456, tzinfo=UTC)
    assert result.created_on.utcoffset() is not None
    assert result.created_on.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert result.modified_on is not None
    assert result.modified_on.tzinfo is None  # the example has no offset: kept naive
    assert result.modified_on.isoformat() == "2021-03-09T00:58:59.045655"
    assert result.aliases == ["https://branchname.projectname.pages.dev"]
    assert result.stages is not None
    assert len(result.stages) == 5
    assert all(isinstance(stage, DeploymentStage) for stage in result.stages)
    assert [stage.name for stage in result.stages] == [s["name"] for s in STAGES]
    assert result.stages[0].ended_on == datetime(2021, 6, 3, 15, 39, 3, 134378, tzinfo=UTC)
    assert result.stages[1].ended_on is None
    assert result.stages[1].started_on is None
    assert result.deployment_trigger is not None
    assert result.deployment_trigger.type == "ad_hoc"
    assert result.deployment_trigger.metadata is not None
    assert result.deployment_trigger.metadata.branch == "main"
    assert result.env_vars == {"BUILD_VERSION": {"value": "3.3"}, "ENV": {"value": "STAGING"}}
    assert result.is_skipped is True
    assert result.model_extra == {"new_field": 1}
    assert result.new_field == 1  # type: ignore[attr-defined]  # extras are attributes too


def check_sent_rollback(request: RecordedRequest, body: object) -> None:
    assert request.method == "POST"
    assert request.path == PATH
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("cloudflare-client/")
    assert request.headers["accept"] == "application/json"
    assert request.json() == body


def test_success_returns_typed_deployment(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    result = rollback(client)

    check_example_deployment(result)
    check_sent_rollback(only_request(server), {})


def test_success_sends_the_given_body(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    rollback(client, body={"a": 1})

    check_sent_rollback(only_request(server), {"a": 1})


def test_async_success(server: LiveServer) -> None:
    server.enqueue(success_reply())

    async def scenario() -> object:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            return await async_rollback(client, body={"a": 1})

    check_example_deployment(asyncio.run(scenario()))
    request = only_request(server)
    check_sent_rollback(request, {"a": 1})
    assert sent_auth(request) == {"authorization": "Bearer t"}


def test_base_url_path_prefix_is_kept(server: LiveServer) -> None:
    server.enqueue(success_reply())
    with Client(api_token=BEARER, base_url=server.url + "/client/v4") as client:
        rollback(client)
    assert only_request(server).path == "/client/v4" + PATH


# --- path parameters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("identifier", "segment"),
    [("a/b", "a%2Fb"), ("a b", "a%20b"), ("a?b=1", "a%3Fb%3D1"), ("a#b", "a%23b")],
)
def test_path_params_are_percent_encoded(server: LiveServer, client: Client, identifier: str, segment: str) -> None:
    server.enqueue(success_reply())

    rollback(client, deployment_identifier=identifier)

    request = only_request(server)
    expected = f"/accounts/{ACCOUNT}/pages/projects/{PROJECT}/deployments/{segment}/rollback"
    assert request.path == expected
    assert request.query == {}


@pytest.mark.parametrize("identifier", [".", ".."])
def test_dot_segment_identifier_never_changes_the_route(server: LiveServer, client: Client, identifier: str) -> None:
    server.enqueue(success_reply())
    prefix = f"/accounts/{ACCOUNT}/pages/projects/{PROJECT}/deployments/"

    refused: ParameterValidationError | None = None
    try:
        rollback(client, deployment_identifier=identifier)
    except ParameterValidationError as error:
        refused = error

    if refused is not None:  # rejecting the value is a fix
        assert refused.parameter == "deployment_identifier"
        assert server.requests == []
    else:  # so is sending it escaped inside its own segment
        request = only_request(server)
        assert request.url_path.startswith(prefix)
        assert request.url_path.count("/") == PATH.count("/")
        assert request.url_path.endswith("/rollback")


# --- authentication and configuration ----------------------------------------------

TOKEN_HEADERS = {"authorization": "Bearer t"}
EMAIL_KEY_HEADERS = {"x-auth-email": "me@example.com", "x-auth-key": "k123"}
SERVICE_KEY_HEADERS = {"x-auth-user-service-key": "v1.0-svc"}


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"api_token": "t"}, TOKEN_HEADERS),
        ({"api_email": "me@example.com", "api_key": "k123"}, EMAIL_KEY_HEADERS),
        ({"user_service_key": "v1.0-svc"}, SERVICE_KEY_HEADERS),
    ],
    ids=["token", "email+key", "service-key"],
)
def test_auth_headers_from_arguments(server: LiveServer, arguments: dict[str, Any], expected: dict[str, str]) -> None:
    server.enqueue(success_reply())
    with Client(base_url=server.url, **arguments) as client:
        rollback(client)
    assert sent_auth(only_request(server)) == expected


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"CLOUDFLARE_API_TOKEN": "t"}, TOKEN_HEADERS),
        (
            {"CLOUDFLARE_EMAIL": "me@example.com", "CLOUDFLARE_API_KEY": "k123"},
            EMAIL_KEY_HEADERS,
        ),
        ({"CLOUDFLARE_API_USER_SERVICE_KEY": "v1.0-svc"}, SERVICE_KEY_HEADERS),
    ],
    ids=["token", "email+key", "service-key"],
)
def test_auth_headers_from_environment(
    server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    expected: dict[str, str],
) -> None:
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    server.enqueue(success_reply())
    with Client(base_url=server.url) as client:
        rollback(client)
    assert sent_auth(only_request(server)) == expected


@pytest.mark.parametrize(
    ("environment", "arguments", "expected"),
    [
        (
            {"CLOUDFLARE_API_TOKEN": "env-token"},
            {"api_email": "me@example.com", "api_key": "k123"},
            EMAIL_KEY_HEADERS,
        ),
        (
            {"CLOUDFLARE_EMAIL": "env@example.com", "CLOUDFLARE_API_KEY": "env-key"},
            {"api_token": "t"},
            TOKEN_HEADERS,
        ),
        ({"CLOUDFLARE_API_TOKEN": "env-token"}, {"api_token": "t"}, TOKEN_HEADERS),
    ],
    ids=["args-email-over-env-token", "args-token-over-env-email", "args-token-over-env"],
)
def test_explicit_credentials_win_over_environment(
    server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    arguments: dict[str, Any],
    expected: dict[str, str],
) -> None:
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    server.enqueue(success_reply())
    with Client(base_url=server.url, **arguments) as client:
        rollback(client)
    assert sent_auth(only_request(server)) == expected


@pytest.mark.parametrize(
    ("environment", "arguments", "mentions"),
    [
        ({}, {}, "CLOUDFLARE_API_TOKEN"),
        ({}, {"api_token": "t", "api_email": "me@example.com"}, "conflicting"),
        ({}, {"api_token": "t", "api_key": "k"}, "conflicting"),
        ({}, {"api_token": "t", "api_email": "e@x.io", "api_key": "k"}, "conflicting"),
        ({}, {"api_token": "t", "user_service_key": "s"}, "conflicting"),
        ({}, {"api_email": "me@example.com"}, "api_key"),
        ({}, {"api_key": "k"}, "api_email"),
        (
            {"CLOUDFLARE_API_TOKEN": "t", "CLOUDFLARE_EMAIL": "e", "CLOUDFLARE_API_KEY": "k"},
            {},
            "conflicting",
        ),
        (
            {"CLOUDFLARE_API_TOKEN": "t", "CLOUDFLARE_API_USER_SERVICE_KEY": "s"},
            {},
            "conflicting",
        ),
        ({"CLOUDFLARE_EMAIL": "me@example.com"}, {}, "api_key"),
        ({"CLOUDFLARE_API_TOKEN": "t"}, {"api_token": ""}, "empty"),
    ],
    ids=[
        "none",
        "token+email",
        "token+key",
        "token+email+key",
        "token+service-key",
        "email-without-key",
        "key-without-email",
        "env-token+email+key",
        "env-token+service-key",
        "env-email-without-key",
        "empty-token-never-falls-back-to-env",
    ],
)
def test_bad_credentials_fail_at_construction(
    server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    arguments: dict[str, Any],
    mentions: str,
) -> None:
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    with pytest.raises(ClientConfigurationError) as caught:
        Client(base_url=server.url, **arguments)
    assert isinstance(caught.value, ValueError)
    assert mentions in str(caught.value)
    with pytest.raises(ClientConfigurationError):
        AsyncClient(base_url=server.url, **arguments)
    assert server.requests == []


def test_base_url_from_environment(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.url + "/client/v4")
    server.enqueue(success_reply())
    with Client(api_token=BEARER) as client:
        assert client.base_url == server.url + "/client/v4"
        rollback(client)
    assert only_request(server).path == "/client/v4" + PATH


def test_base_url_argument_wins_over_environment(server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", f"http://127.0.0.1:{unused_port()}")
    server.enqueue(success_reply())
    with Client(api_token=BEARER, base_url=server.url) as client:
        rollback(client)
    assert only_request(server).path == PATH


# --- error statuses ----------------------------------------------------------------


def check_status_error(error: APIStatusError, status: int, server: LiveServer) -> None:
    assert isinstance(error, APIStatusError)
    assert isinstance(error, APIError)
    assert error.status_code == status
    assert error.response.status_code == status
    assert [(e.code, e.message) for e in error.errors] == [(7003, "No route for the URI.")]
    assert error.messages == []
    assert error.request_id == CF_RAY
    text = str(error)
    assert "\n" not in text
    assert str(status) in text
    assert "7003" in text
    assert "No route for the URI." in text
    assert "{" not in text  # no dict repr of the body
    assert only_request(server).path == PATH


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_error_status_raises_typed_error(
    server: LiveServer, client: Client, status: int, error_class: type[APIStatusError]
) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, status=status, headers={"cf-ray": CF_RAY}))

    with pytest.raises(APIStatusError) as caught:
        rollback(client)

    assert type(caught.value) is error_class
    check_status_error(caught.value, status, server)


def test_async_error_status(server: LiveServer) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, status=404, headers={"cf-ray": CF_RAY}))

    async def scenario() -> None:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            await async_rollback(client)

    with pytest.raises(NotFoundError) as caught:
        asyncio.run(scenario())
    check_status_error(caught.value, 404, server)


def test_several_errors_are_summarised_on_one_line(server: LiveServer, client: Client) -> None:
    body = {
        **FAILURE_ENVELOPE,
        "errors": [
            {"code": 8000007, "message": "Project not found."},
            {"code": 8000000, "message": "An unknown error occured."},
        ],
        "messages": [{"code": 10000, "message": "see the docs"}],
    }
    server.enqueue(json_reply(body, status=404))

    with pytest.raises(NotFoundError) as caught:
        rollback(client)

    error = caught.value
    assert [e.code for e in error.errors] == [8000007, 8000000]
    assert [(m.code, m.message) for m in error.messages] == [(10000, "see the docs")]
    assert error.request_id is None
    text = str(error)
    assert "\n" not in text
    assert "8000007" in text
    assert "Project not found." in text
    assert "+1 more" in text
    assert len(only_request(server).body) == 2


def test_multiline_error_message_still_gives_one_line(server: LiveServer, client: Client) -> None:
    body = {**FAILURE_ENVELOPE, "errors": [{"code": 7003, "message": "first line\nsecond line"}]}
    server.enqueue(json_reply(body, status=400))

    with pytest.raises(BadRequestError) as caught:
        rollback(client)

    assert caught.value.errors[0].message == "first line\nsecond line"
    assert only_request(server).path == PATH
    assert "\n" not in str(caught.value)


def test_success_false_on_200_raises_unsuccessful_response(server: LiveServer, client: Client) -> None:
    server.enqueue(json_reply(FAILURE_ENVELOPE, status=200, headers={"cf-ray": CF_RAY}))

    with pytest.raises(UnsuccessfulResponseError) as caught:
        rollback(client)

    assert isinstance(caught.value, APIStatusError)
    check_status_error(caught.value, 200, server)


HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>"
    + "<p>upstream connect error or disconnect/reset before headers</p>\n" * 100
    + "</body></html>"
).encode()


@pytest.mark.parametrize(
    ("status", "body", "content_type", "error_class", "excerpt"),
    [
        (502, HTML_PAGE, "text/html", InternalServerError, "<!DOCTYPE html>"),
        (500, b"", "application/json", InternalServerError, ""),
        (400, b'{"success": false, "errors": [', "application/json", BadRequestError, '"success"'),
        (503, b"\xff\xfe not utf-8 \x00", "text/plain", InternalServerError, "not utf-8"),
    ],
    ids=["html-502", "empty-500", "invalid-json-400", "binary-503"],
)
def test_non_envelope_error_bodies(
    *,
    server: LiveServer,
    client: Client,
    status: int,
    body: bytes,
    content_type: str,
    error_class: type[APIStatusError],
    excerpt: str,
) -> None:
    server.enqueue(Reply(status=status, headers={"Content-Type": content_type}, body=body))

    with pytest.raises(APIStatusError) as caught:
        rollback(client)

    error = caught.value
    assert type(error) is error_class
    assert error.status_code == status
    assert error.errors == []
    text = str(error)
    assert "\n" not in text
    assert text.startswith(str(status))
    assert excerpt in text
    assert len(text) <= 300
    assert not isinstance(error.__cause__, ValueError)
    assert not isinstance(error.__context__, ValueError)
    assert only_request(server).path == PATH


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        (b"<html>maintenance</html>", "not JSON"),
        (b"", "not JSON"),
        (json.dumps({"success": True, "errors": [], "messages": []}).encode(), "result"),
        (json.dumps([EXAMPLE_DEPLOYMENT]).encode(), "result"),
        (json.dumps(envelope({**EXAMPLE_DEPLOYMENT, "created_on": "not a date"})).encode(), "created_on"),
        (json.dumps(envelope([EXAMPLE_DEPLOYMENT])).encode(), "Deployment"),
        (json.dumps(envelope(None)).encode(), "Deployment"),
    ],
    ids=[
        "html",
        "empty",
        "no-result",
        "bare-list",
        "bad-date",
        "result-is-list",
        "result-is-null",
    ],
)
def test_invalid_success_body_raises_response_validation_error(
    server: LiveServer, client: Client, body: bytes, mentions: str
) -> None:
    server.enqueue(Reply(status=200, headers={"Content-Type": "application/json"}, body=body))

    with pytest.raises(APIError) as caught:  # strict: by default a bad field is kept (test_lenient_responses.py)
        rollback(client.with_options(strict_response_validation=True))

    error = caught.value
    assert type(error) is APIResponseValidationError
    assert error.status_code == 200
    assert error.response.status_code == 200
    text = str(error)
    assert "\n" not in text
    assert mentions in text
    assert only_request(server).path == PATH


# --- argument validation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "parameter", "rule"),
    [
        ({"account_identifier": "a" * 33}, "account_identifier", "maxLength 32"),
        ({"project_name": "-bad"}, "project_name", "pattern ^[a-z0-9][a-z0-9-]*$"),
        ({"project_name": "Bad"}, "project_name", "pattern ^[a-z0-9][a-z0-9-]*$"),
        ({"project_name": ""}, "project_name", "non-empty"),
        ({"deployment_identifier": ""}, "deployment_identifier", "non-empty"),
        ({"deployment_identifier": "d" * 33}, "deployment_identifier", "maxLength 32"),
        ({"account_identifier": 7}, "account_identifier", "string"),
    ],
    ids=[
        "account-too-long",
        "project-leading-dash",
        "project-uppercase",
        "project-empty",
        "deployment-empty",
        "deployment-too-long",
        "account-not-a-string",
    ],
)
def test_invalid_arguments_send_nothing(
    server: LiveServer,
    client: Client,
    overrides: dict[str, Any],
    parameter: str,
    rule: str,
) -> None:
    server.enqueue(success_reply())

    with pytest.raises(ParameterValidationError) as caught:
        rollback(client, **overrides)

    error = caught.value
    assert isinstance(error, ValueError)
    assert error.parameter == parameter
    assert rule in error.rule
    assert parameter in str(error)
    assert rule in str(error)
    assert server.requests == []


def test_limits_are_inclusive(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())
    rollback(client, account_identifier="a" * 32, project_name="0-", deployment_identifier="d")
    expected = f"/accounts/{'a' * 32}/pages/projects/0-/deployments/d/rollback"
    assert only_request(server).path == expected


def test_pattern_end_anchor_rejects_trailing_newline(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    with pytest.raises(ParameterValidationError):
        rollback(client, project_name="proj\n")

    assert server.requests == []


def test_async_invalid_arguments_send_nothing(server: LiveServer) -> None:
    server.enqueue(success_reply())

    async def scenario() -> None:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            await async_rollback(client, project_name="Bad")

    with pytest.raises(ParameterValidationError) as caught:
        asyncio.run(scenario())
    assert caught.value.parameter == "project_name"
    assert server.requests == []


# --- transport failures ------------------------------------------------------------


def test_connection_refused_raises_connection_error() -> None:
    port = unused_port()
    with (
        Client(api_token=BEARER, base_url=f"http://127.0.0.1:{port}", max_retries=0) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        rollback(client)
    error = caught.value
    assert not isinstance(error, APITimeoutError)
    assert isinstance(error, APIError)
    assert error.request is not None
    assert error.request.url.port == port
    assert "\n" not in str(error)


def test_slow_server_raises_timeout_error(server: LiveServer, client: Client) -> None:
    server.enqueue(Reply(delay=5.0, body=b"{}"))

    started = time.monotonic()
    with pytest.raises(APITimeoutError) as caught:
        rollback(client, timeout=0.2)
    elapsed = time.monotonic() - started

    assert isinstance(caught.value, APIConnectionError)
    assert elapsed < 2.0
    assert only_request(server).path == PATH


def test_async_slow_server_raises_timeout_error(server: LiveServer) -> None:
    server.enqueue(Reply(delay=5.0, body=b"{}"))

    async def scenario() -> None:
        async with AsyncClient(api_token=BEARER, base_url=server.url) as client:
            await async_rollback(client, timeout=0.2)

    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        asyncio.run(scenario())
    assert time.monotonic() - started < 2.0
    assert only_request(server).path == PATH


# --- per-call options --------------------------------------------------------------


def test_extra_headers_and_query_reach_the_server(server: LiveServer, client: Client) -> None:
    server.enqueue(success_reply())

    rollback(
        client,
        extra_headers={"X-Trace-Id": "abc-123", "Accept-Language": "fr"},
        extra_query={"dry_run": "true", "page": 2, "skipped": None},
    )

    request = only_request(server)
    assert request.url_path == PATH
    assert request.query == {"dry_run": ["true"], "page": ["2"]}
    assert request.headers["x-trace-id"] == "abc-123"
    assert request.headers["accept-language"] == "fr"
    assert request.headers["authorization"] == "Bearer t"
    assert request.json() == {}


def test_default_headers_reach_the_server(server: LiveServer) -> None:
    server.enqueue(success_reply())
    with Client(api_token=BEARER, base_url=server.url, default_headers={"X-Team": "pages"}) as client:
        rollback(client)
    request = only_request(server)
    assert request.headers["x-team"] == "pages"
    assert request.headers["authorization"] == "Bearer t"


# --- client lifecycle --------------------------------------------------------------


def test_sync_context_manager_closes_the_http_client(server: LiveServer) -> None:
    server.enqueue(success_reply())
    http = httpx.Client()
    with Client(api_token=BEARER, base_url=server.url, http_client=http) as client:
        rollback(client)
        assert not http.is_closed
    assert http.is_closed
    request = only_request(server)
    assert request.path == PATH
    assert request.headers["authorization"] == "Bearer t"


def test_async_context_manager_closes_cleanly(server: LiveServer) -> None:
    server.enqueue(success_reply(), success_reply())
    http = httpx.AsyncClient()

    async def scenario() -> list[bool]:
        states = []
        async with AsyncClient(api_token=BEARER, base_url=server.url, http_client=http) as client:
            await async_rollback(client)
            await async_rollback(client, deployment_identifier="other")
            states.append(http.is_closed)
        states.append(http.is_closed)
        return states

    assert asyncio.run(scenario()) == [False, True]
    other = f"/accounts/{ACCOUNT}/pages/projects/{PROJECT}/deployments/other/rollback"
    assert [r.path for r in server.requests] == [PATH, other]
    assert all(r.headers["authorization"] == "Bearer t" for r in server.requests)


# --- laziness ----------------------------------------------------------------------

LAZINESS_PROBE = """
import json, sys

def loaded(prefix):
    return sorted(m for m in sys.modules if m == prefix or m.startswith(prefix + "."))

import cloudflare_client
client = cloudflare_client.Client(api_token="t")
views = (client.with_raw_response, client.with_streaming_response, client.with_options(max_retries=0))
before = {
    "resources": loaded("cloudflare_client.resources"),
    "types": loaded("cloudflare_client.types"),
    "pydantic": "pydantic" in sys.modules,
}
deployments = client.pages.projects.deployments
after = {
    "resources": loaded("cloudflare_client.resources"),
    "types": loaded("cloudflare_client.types"),
    "pydantic": "pydantic" in sys.modules,
    "class": type(deployments).__name__,
}
print(json.dumps({"before": before, "after": after}))
"""


def test_import_and_construction_are_lazy() -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDFLARE_")}
    environment["PYTHONPATH"] = str(GENERATED_SRC)
    completed = subprocess.run(
        [sys.executable, "-c", LAZINESS_PROBE],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        timeout=30,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["before"] == {"resources": [], "types": [], "pydantic": False}
    after = report["after"]
    assert after["class"] == "DeploymentsResource"
    assert "cloudflare_client.resources.pages.projects.deployments.deployments" in after["resources"]
    # models load on the first call (tests/test_lazy_loading.py), not when a resource is touched
    assert after["types"] == []
    assert after["pydantic"] is False


def test_package_exports_are_resolved_lazily() -> None:
    assert set(cloudflare_client.__all__) <= set(dir(cloudflare_client))
    assert cloudflare_client.Client is Client
    with pytest.raises(AttributeError):
        _ = cloudflare_client.NoSuchThing
