"""A package generated for a small non-Cloudflare API follows that API's own conventions.

Auth from ``components.securitySchemes`` and each operation's ``security`` (HTTP basic and
bearer, API keys in header, query and cookie, OpenID Connect as a bearer token); error
messages in the shapes other APIs use; no envelope unwrapping where none is declared;
vendor ``+json`` media types read as JSON; and not one Cloudflare word in the package.
Every call goes to a live server on 127.0.0.1, which records the exact bytes it got.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clientgen.project import write_tree
from imported_package import imported_package
from live_server import LiveServer, RecordedRequest, Reply, json_reply

PACKAGE = "conventions_client"
ITEM = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}, "required": ["id"]}
ERROR = {"type": "object", "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}
SECRET = "s3cr3t-value"  # noqa: S105 - a dummy credential for a local server


def _get(
    operation_id: str, security: list[dict[str, list[str]]] | None = None, *, media: str = "application/json"
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "responses": {
            "200": {"description": "ok", "content": {media: {"schema": ITEM}}},
            "4XX": {"description": "error", "content": {"application/json": {"schema": ERROR}}},
        },
    }
    if security is not None:
        operation["security"] = security
    return {"get": operation}


LISTING = {"type": "object", "properties": {"data": {"type": "array", "items": ITEM}, "next": {"type": "string"}}}
MACHINE_SCOPES = {"things:read": "read things", "things:write": "write things"}
WRAPPED = {
    "type": "object",
    "properties": {"success": {"type": "boolean"}, "result": ITEM, "note": {"type": "string"}},
}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Conventions Test API", "version": "1"},
    "servers": [{"url": "https://api.example.invalid"}],
    "security": [{"basicAuth": []}],
    "components": {
        "securitySchemes": {
            "basicAuth": {"type": "http", "scheme": "basic"},
            "bearerAuth": {"type": "http", "scheme": "bearer"},
            "clientId": {"type": "apiKey", "in": "header", "name": "PLAID-CLIENT-ID"},
            "secret": {"type": "apiKey", "in": "header", "name": "PLAID-SECRET"},
            "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session_id"},
            "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://api.example.invalid/.well-known/openid"},
            "machine": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": MACHINE_SCOPES}},
            },
        }
    },
    "paths": {
        "/public": _get("public-get", []),
        "/basic": _get("basic-get"),  # the document's security
        "/pair": _get("pair-get", [{"clientId": [], "secret": []}]),
        "/either": _get("either-get", [{"bearerAuth": []}, {"queryKey": []}]),
        "/cookie": _get("cookie-get", [{"session": []}]),
        "/oidc": _get("oidc-get", [{"oidc": []}]),
        "/machine": _get("machine-get", [{"machine": []}]),  # the flow's scopes
        "/writer": _get("writer-get", [{"machine": ["things:write"]}]),
        "/vendor": _get("vendor-get", [], media="application/vnd.github.v3+json"),
        "/listing": {
            "get": {
                "operationId": "listing-get",
                "security": [{"queryKey": []}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": LISTING}}}},
            }
        },
        "/wrapped": {
            "get": {
                "operationId": "wrapped-get",
                "security": [],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": WRAPPED}}}},
            }
        },
    },
}
CONFIG = """[package]
import_name = "conventions_client"
distribution = "conventions"
environment_prefix = "CONV"
base_url = "https://api.example.invalid"
"""
ENVIRONMENT = ("CONV_USERNAME", "CONV_PASSWORD", "CONV_BEARER_AUTH", "CONV_QUERY_KEY", "CONV_SESSION", "CONV_OIDC")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    root = tmp_path_factory.mktemp("conventions")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    with imported_package(root / "out" / "src", PACKAGE) as package:
        yield package, root / "out"


@pytest.fixture
def package(generated: tuple[ModuleType, Path], monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    for variable in ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)
    return generated[0]


@pytest.fixture
def live() -> Iterator[LiveServer]:
    with LiveServer(handler=lambda _: json_reply({"id": 1, "name": "one"})) as server:
        yield server


def _only(server: LiveServer) -> RecordedRequest:
    assert len(server.requests) == 1, server.requests
    return server.requests[0]


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


# --- auth ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ({"username": "ACxx", "password": "p:w"}, "basic", {"authorization": _basic("ACxx", "p:w")}, {}),
        ({"username": "sk_test", "password": ""}, "basic", {"authorization": _basic("sk_test", "")}, {}),
        ({"client_id": "cid", "secret": SECRET}, "pair", {"plaid-client-id": "cid", "plaid-secret": SECRET}, {}),
        ({"bearer_auth": SECRET}, "either", {"authorization": f"Bearer {SECRET}"}, {}),
        ({"query_key": SECRET}, "either", {}, {"api_key": [SECRET]}),
        ({"session": SECRET}, "cookie", {"cookie": f"session_id={SECRET}"}, {}),
        ({"oidc": SECRET}, "oidc", {"authorization": f"Bearer {SECRET}"}, {}),
    ],
    ids=[
        "basic",
        "basic-empty-password",
        "two-header-keys",
        "bearer-alternative",
        "query-alternative",
        "cookie",
        "openid-connect",
    ],
)
def test_each_scheme_is_sent_as_declared(
    package: ModuleType, live: LiveServer, case: tuple[dict[str, str], str, dict[str, str], dict[str, list[str]]]
) -> None:
    arguments, resource, headers, query = case
    with package.Client(base_url=live.url, **arguments) as client:
        assert getattr(client, resource).list().id == 1
    request = _only(live)
    credential_headers = {"authorization", "plaid-client-id", "plaid-secret", "cookie"}
    assert {name: request.headers[name] for name in credential_headers if name in request.headers} == headers
    assert request.query == query


def test_credentials_from_the_environment(
    package: ModuleType, live: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONV_USERNAME", "env-user")
    monkeypatch.setenv("CONV_PASSWORD", "env-pass")
    with package.Client(base_url=live.url) as client:
        client.basic.list()
    assert _only(live).headers["authorization"] == _basic("env-user", "env-pass")


def test_public_operations_need_no_credentials(package: ModuleType, live: LiveServer) -> None:
    with package.Client(base_url=live.url) as client:
        client.public.list()
    request = _only(live)
    assert "authorization" not in request.headers
    assert "cookie" not in request.headers
    assert request.query == {}


def test_public_operation_sends_nothing_even_with_credentials(package: ModuleType, live: LiveServer) -> None:
    with package.Client(base_url=live.url, username="u", password=SECRET) as client:
        client.public.list()
    assert "authorization" not in _only(live).headers


def test_an_operation_whose_credentials_are_missing_raises_before_sending(
    package: ModuleType, live: LiveServer
) -> None:
    with package.Client(base_url=live.url, session="s") as client:
        with pytest.raises(package.ClientConfigurationError) as caught:
            client.basic.list()
        message = str(caught.value)
        assert "username + password" in message
        assert "CONV_USERNAME" in message
        with pytest.raises(package.ClientConfigurationError, match="bearer_auth, or query_key"):
            client.either.list()
    assert live.requests == []


@pytest.mark.parametrize(
    ("arguments", "mentions"),
    [
        ({"bearer_auth": "t", "query_key": "k"}, "conflicting"),
        ({"username": "u"}, "without password"),
        ({"client_id": "c"}, "without secret"),
        ({"bearer_auth": ""}, "empty"),
    ],
    ids=["alternatives-together", "half-basic", "half-pair", "empty"],
)
def test_bad_credentials_fail_at_construction(
    package: ModuleType, live: LiveServer, arguments: dict[str, str], mentions: str
) -> None:
    with pytest.raises(package.ClientConfigurationError, match=mentions):
        package.Client(base_url=live.url, **arguments)
    with pytest.raises(package.ClientConfigurationError, match=mentions):
        package.AsyncClient(base_url=live.url, **arguments)
    assert live.requests == []


def test_async_client_sends_the_same_credentials(package: ModuleType, live: LiveServer) -> None:
    async def call() -> None:
        async with package.AsyncClient(base_url=live.url, client_id="cid", secret=SECRET) as client:
            await client.pair.list()

    asyncio.run(call())
    request = _only(live)
    assert (request.headers["plaid-client-id"], request.headers["plaid-secret"]) == ("cid", SECRET)


@pytest.mark.parametrize(
    ("arguments", "resource"),
    [
        ({"secret": SECRET, "client_id": "c"}, "pair"),
        ({"query_key": SECRET}, "either"),
        ({"session": SECRET}, "cookie"),
    ],
    ids=["header", "query", "cookie"],
)
def test_every_credential_is_redacted_in_logs_and_reprs(
    package: ModuleType, live: LiveServer, caplog: pytest.LogCaptureFixture, arguments: dict[str, str], resource: str
) -> None:
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    with package.Client(base_url=live.url, **arguments) as client:
        raw = getattr(client.with_raw_response, resource).list()
        getattr(client, resource).list()
        shown = [repr(raw), repr(client._options.credentials)]  # the held credentials' repr
    assert caplog.records, "nothing was logged at DEBUG"
    assert SECRET not in caplog.text
    assert all(SECRET not in text for text in shown), shown
    assert all(SECRET in " ".join([*request.headers.values(), request.path]) for request in live.requests)


def _shown(error: Exception) -> list[str]:
    """Everything an error shows of itself and of the request it was for."""
    request = getattr(error, "request", None)
    response = getattr(error, "response", None)
    texts = [repr(error), str(error), repr(request), repr(getattr(request, "url", None))]
    if response is not None:
        texts += [repr(response), repr(response.request), repr(response.request.url)]
    return texts


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (json_reply({"code": 5, "message": "nope"}, status=404), "NotFoundError"),
        (Reply(body=b"<html>not json</html>"), "APIResponseValidationError"),
    ],
    ids=["status", "validation"],
)
def test_a_query_credential_is_redacted_in_errors(
    package: ModuleType, caplog: pytest.LogCaptureFixture, reply: Reply, error: str
) -> None:
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    caplog.set_level(logging.INFO, logger="httpx")  # httpx's own request line names the URL
    with LiveServer(handler=lambda _: reply) as server, package.Client(base_url=server.url, query_key=SECRET) as client:
        with pytest.raises(getattr(package, error)) as raised:
            client.either.list()
        assert server.requests[0].query == {"api_key": [SECRET]}  # sent as given
    shown = _shown(raised.value)
    assert all(SECRET not in text for text in shown), shown
    assert "api_key=%3Credacted%3E" in repr(raised.value.request), shown
    assert str(raised.value.request.url).endswith(f"api_key={SECRET}")  # the URL itself is what was sent
    assert any(record.name == "httpx" and "api_key=%3Credacted%3E" in record.getMessage() for record in caplog.records)
    assert SECRET not in caplog.text


def test_a_query_credential_is_redacted_in_a_page_repr(package: ModuleType) -> None:
    def answer(request: RecordedRequest) -> Reply:
        if "page=2" in request.path:
            return json_reply({"data": [{"id": 2}]})
        return json_reply({"data": [{"id": 1}], "next": f"/listing?page=2&api_key={SECRET}"})  # the server echoes it

    with LiveServer(handler=answer) as server, package.Client(base_url=server.url, query_key=SECRET) as client:
        page = client.listing.list()
        assert [item.id for item in page] == [1, 2]
    assert repr(page) == "SyncPage(items=1, result_info={'next': '/listing?page=2&api_key=<redacted>'})"


def test_a_query_credential_is_redacted_in_connection_errors(
    package: ModuleType, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    with LiveServer() as server:
        url = server.url  # closed on exit: nothing listens there any more
    with (
        package.Client(base_url=url, query_key=SECRET, max_retries=0) as client,
        pytest.raises(package.APIConnectionError) as raised,
    ):
        client.either.list()
    shown = _shown(raised.value)
    assert all(SECRET not in text for text in shown), shown
    assert SECRET not in caplog.text


# --- errors ----------------------------------------------------------------------------

GITHUB_422 = {
    "message": "Validation Failed",
    "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}],
    "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue",
}
STRIPE_404 = {
    "error": {"type": "invalid_request_error", "code": "resource_missing", "message": "No such customer: 'cus_1'"}
}
TWILIO_404 = {"code": 20404, "message": "The requested resource was not found", "more_info": "https://x", "status": 404}
PROBLEM_403 = {
    "type": "https://example.com/probs/out-of-credit",
    "title": "You do not have enough credit.",
    "detail": "Your current balance is 30, but that costs 50.",
    "status": 403,
}
PROBLEM_SUMMARY = (
    "403 Forbidden: You do not have enough credit: Your current balance is 30, but that costs 50. (request id r-1)"
)


@pytest.mark.parametrize(
    "case",
    [
        (422, GITHUB_422, "application/json", {"X-GitHub-Request-Id": "gh-1"}, "UnprocessableEntityError",
         "422 Unprocessable Entity: Validation Failed (1 error listed) (request id gh-1)"),
        (404, STRIPE_404, "application/json", {"Request-Id": "req_1"}, "NotFoundError",
         "404 Not Found: [resource_missing] No such customer: 'cus_1' (request id req_1)"),
        (404, TWILIO_404, "application/json", {"Twilio-Request-Id": "RQ1"}, "NotFoundError",
         "404 Not Found: [20404] The requested resource was not found (request id RQ1)"),
        (403, PROBLEM_403, "application/problem+json", {"X-Request-Id": "r-1"}, "PermissionDeniedError",
         PROBLEM_SUMMARY),
        (400, {"code": 7, "message": "bad value"}, "application/json", {}, "BadRequestError",
         "400 Bad Request: [7] bad value"),
    ],
    ids=["github", "stripe", "twilio", "problem-json", "declared-error"],
)  # fmt: skip
def test_error_messages_in_each_shape(
    package: ModuleType, live: LiveServer, case: tuple[int, dict[str, Any], str, dict[str, str], str, str]
) -> None:
    status, body, content_type, headers, error_class, summary = case
    live.handler = lambda _: Reply(
        status=status, headers={"Content-Type": content_type, **headers}, body=json.dumps(body).encode()
    )
    with package.Client(base_url=live.url) as client, pytest.raises(package.APIStatusError) as caught:
        client.public.list()
    error = caught.value
    assert type(error).__name__ == error_class
    assert str(error) == summary
    assert error.response.json() == body
    assert error.errors == []  # GitHub's errors list is not an envelope's {code, message} list


def test_a_declared_error_body_is_parsed_into_its_model(package: ModuleType, live: LiveServer) -> None:
    live.handler = lambda _: json_reply({"code": 7, "message": "bad value"}, status=409)
    with package.Client(base_url=live.url) as client, pytest.raises(package.ConflictError) as caught:
        client.public.list()
    body = caught.value.body
    assert type(body).__module__.startswith(f"{PACKAGE}.types")
    assert (body.code, body.message) == (7, "bad value")


def test_an_error_body_that_breaks_its_schema_is_kept_leniently(package: ModuleType, live: LiveServer) -> None:
    """Lenient by default (issue 12): the declared model, the field that does not match kept as received."""
    live.handler = lambda _: json_reply({"code": "not a number", "message": "odd"}, status=400)
    with package.Client(base_url=live.url) as client, pytest.raises(package.BadRequestError) as caught:
        client.public.list()
    body = caught.value.body
    assert type(body).__module__.startswith(f"{PACKAGE}.types")
    assert (body.code, body.message) == ("not a number", "odd")
    assert [issue.path for issue in body.model_validation_errors()] == ["code"]
    assert str(caught.value) == "400 Bad Request: [not a number] odd"


def test_base_exception_is_named_after_the_api(package: ModuleType) -> None:
    assert issubclass(package.APIError, package.ConventionsTestError)
    assert issubclass(package.ClientConfigurationError, package.ConventionsTestError)


# --- envelopes and media types ---------------------------------------------------------


def test_a_success_result_object_is_not_an_envelope(package: ModuleType, live: LiveServer) -> None:
    live.handler = lambda _: json_reply({"success": False, "result": {"id": 3}, "note": "kept"})
    with package.Client(base_url=live.url) as client:
        wrapped = client.wrapped.list()
    assert (wrapped.success, wrapped.result.id, wrapped.note) == (False, 3, "kept")


def test_a_vendor_json_type_is_json(package: ModuleType, live: LiveServer) -> None:
    live.handler = lambda _: Reply(
        headers={"Content-Type": "application/vnd.github.v3+json"}, body=b'{"id": 5, "name": "five"}'
    )
    with package.Client(base_url=live.url) as client:
        item = client.vendor.list()
    assert (item.id, item.name) == (5, "five")


# --- identity --------------------------------------------------------------------------

CLOUDFLARE_WORDS = re.compile(r"cloudflare|cf-ray|x-auth-(email|key|user-service-key)|user_service_key", re.IGNORECASE)


def test_no_cloudflare_word_in_a_package_for_another_api(generated: tuple[ModuleType, Path]) -> None:
    out = generated[1]
    found = [
        f"{path.relative_to(out)}: {match.group(0)}"
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".md", ".toml", ".json", ".typed"}
        for match in CLOUDFLARE_WORDS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


# --- OAuth2 client credentials -----------------------------------------------------------


class TokenServer:
    """The token URL and one operation: counts tokens handed out, answers 401 to those listed as revoked."""

    def __init__(self, expires_in: int = 3600) -> None:
        self.expires_in = expires_in
        self.issued = 0
        self.revoked: set[str] = set()

    def __call__(self, request: RecordedRequest) -> Reply:
        if request.url_path == "/oauth/token":
            self.issued += 1
            return json_reply(
                {"access_token": f"tok-{self.issued}", "token_type": "bearer", "expires_in": self.expires_in}
            )
        if request.headers.get("authorization", "").removeprefix("Bearer ") in self.revoked:
            return json_reply({"message": "token revoked"}, status=401)
        return json_reply({"id": 1})


def _token_requests(server: LiveServer) -> list[RecordedRequest]:
    return [request for request in server.requests if request.url_path == "/oauth/token"]


def test_client_credentials_token_is_fetched_once_and_sent(package: ModuleType, live: LiveServer) -> None:
    live.handler = TokenServer()
    with package.Client(base_url=live.url, machine_client_id="app", machine_client_secret=SECRET) as client:
        client.machine.list()
        client.machine.list()
    (token_request,) = _token_requests(live)
    assert token_request.method == "POST"
    assert token_request.body == b"grant_type=client_credentials&scope=things%3Aread+things%3Awrite"
    assert token_request.headers["authorization"] == _basic("app", SECRET)
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    calls = [request for request in live.requests if request.url_path == "/machine"]
    assert [request.headers["authorization"] for request in calls] == ["Bearer tok-1", "Bearer tok-1"]


def test_client_credentials_token_per_scope_set(package: ModuleType, live: LiveServer) -> None:
    live.handler = TokenServer()

    async def calls() -> None:
        async with package.AsyncClient(base_url=live.url, machine_client_id="app", machine_client_secret=SECRET) as c:
            await c.writer.list()
            await c.machine.list()

    with package.Client(base_url=live.url, machine_client_id="app", machine_client_secret=SECRET) as client:
        client.machine.list()
        client.writer.list()
        client.with_options(max_retries=0).machine.list()  # a copy shares the cached tokens
        client.writer.list()
    asyncio.run(calls())
    assert [request.body for request in _token_requests(live)] == [
        b"grant_type=client_credentials&scope=things%3Aread+things%3Awrite",  # the flow's: the requirement lists none
        b"grant_type=client_credentials&scope=things%3Awrite",  # the requirement's own list
        b"grant_type=client_credentials&scope=things%3Awrite",  # a new client
        b"grant_type=client_credentials&scope=things%3Aread+things%3Awrite",
    ]
    sent = [(request.url_path, request.headers["authorization"]) for request in live.requests]
    assert [pair for pair in sent if pair[0] != "/oauth/token"] == [
        ("/machine", "Bearer tok-1"),
        ("/writer", "Bearer tok-2"),
        ("/machine", "Bearer tok-1"),
        ("/writer", "Bearer tok-2"),
        ("/writer", "Bearer tok-3"),
        ("/machine", "Bearer tok-4"),
    ]


def test_client_credentials_token_is_renewed_before_it_expires(package: ModuleType, live: LiveServer) -> None:
    live.handler = TokenServer(expires_in=30)  # inside the renewal margin: never reused
    with package.Client(base_url=live.url, machine_client_id="app", machine_client_secret=SECRET) as client:
        client.machine.list()
        client.machine.list()
    calls = [request.headers["authorization"] for request in live.requests if request.url_path == "/machine"]
    assert (len(_token_requests(live)), calls) == (2, ["Bearer tok-1", "Bearer tok-2"])


def test_client_credentials_token_is_renewed_once_on_401(package: ModuleType, live: LiveServer) -> None:
    tokens = TokenServer()
    tokens.revoked = {"tok-1"}
    live.handler = tokens

    async def call() -> None:
        async with package.AsyncClient(base_url=live.url, machine_client_id="app", machine_client_secret=SECRET) as c:
            assert (await c.machine.list()).id == 1

    asyncio.run(call())
    calls = [request.headers["authorization"] for request in live.requests if request.url_path == "/machine"]
    assert calls == ["Bearer tok-1", "Bearer tok-2"]
    tokens.revoked = {"tok-3", "tok-4"}  # the second client fetches these two
    with (
        package.Client(base_url=live.url, machine_client_id="app", machine_client_secret=SECRET) as client,
        pytest.raises(package.AuthenticationError),
    ):
        client.machine.list()  # a renewed token refused too: raised, not renewed again
    assert len(_token_requests(live)) == 4  # two per client


def test_a_token_url_without_a_token_is_an_error(package: ModuleType, live: LiveServer) -> None:
    live.handler = lambda _: json_reply({"error": "invalid_client", "error_description": "unknown app"}, 401)
    with (
        package.Client(base_url=live.url, machine_client_id="app", machine_client_secret=SECRET) as client,
        pytest.raises(package.AuthenticationError, match="invalid_client: unknown app"),
    ):
        client.machine.list()
    assert [request.url_path for request in live.requests] == ["/oauth/token"]
