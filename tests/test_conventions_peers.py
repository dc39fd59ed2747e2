"""Packages generated from other real APIs (``corpus/peers``) authenticate and report errors their way.

Twilio (its package as generated with no config, shared with the other Twilio tests): HTTP basic auth
(account SID + auth token) as ``username=``/``password=``, its ``{code, message, more_info, status}``
errors and ``Twilio-Request-Id``; and not one Cloudflare word in the package.  Methods are found by
operationId through ``api.json``, so the test does not depend on how call paths are named.  Skipped without the corpus.
"""

from __future__ import annotations

import base64
import importlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from clientgen.layout import SURFACE_FILE
from clientgen.project import write_tree
from corpus_packages import TWILIO, CorpusPackages, peer_group
from imported_package import imported_package
from live_server import LiveServer, json_reply
from test_conventions import CLOUDFLARE_WORDS

PACKAGE = "twilio_client"  # with no config: named after the description's title
ACCOUNT = "AC" + "0123456789abcdef" * 2
TOKEN = "tw-auth-token"  # noqa: S105 - a dummy credential for a local server


@pytest.fixture(scope="module")
def twilio(corpus_package: CorpusPackages) -> Iterator[tuple[ModuleType, Path]]:
    out = corpus_package(TWILIO, config=None)  # generated once per run, shared with the other Twilio tests
    with imported_package(out / "src", PACKAGE) as package:
        yield package, out


def _method(client: object, out: Path, operation_id: str) -> Callable[..., Any]:
    operations = json.loads((out / SURFACE_FILE).read_text(encoding="utf-8"))["operations"]
    (call_path,) = [path for path, entry in operations.items() if entry["operationId"] == operation_id]
    target: Any = client
    for part in call_path.split(".")[1:]:
        target = getattr(target, part)
    return target  # type: ignore[no-any-return]


@peer_group(TWILIO)
def test_twilio_basic_auth_bytes_and_error_shape(
    twilio: tuple[ModuleType, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    package, out = twilio
    for variable in ("TWILIO_USERNAME", "TWILIO_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)
    error = {"code": 20404, "message": "The requested resource was not found", "more_info": "https://x", "status": 404}
    with LiveServer() as server:
        server.enqueue(json_reply({"currency": "USD", "balance": "1.00"}))
        server.enqueue(json_reply(error, status=404, headers={"Twilio-Request-Id": "RQ42"}))
        with package.Client(base_url=server.url, username=ACCOUNT, password=TOKEN) as client:
            fetch_balance = _method(client, out, "FetchBalance")
            assert fetch_balance(account_sid=ACCOUNT).currency == "USD"
            with pytest.raises(package.NotFoundError) as caught:
                fetch_balance(account_sid=ACCOUNT)
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
        assert [request.headers["authorization"] for request in server.requests] == [expected, expected]
        assert server.requests[0].url_path == f"/2010-04-01/Accounts/{ACCOUNT}/Balance.json"
    assert str(caught.value) == "404 Not Found: [20404] The requested resource was not found (request id RQ42)"
    with pytest.raises(package.ClientConfigurationError, match="TWILIO_USERNAME"):
        package.Client(base_url="http://127.0.0.1:9")  # every Twilio operation needs credentials


@peer_group(TWILIO)
def test_twilio_package_has_no_cloudflare_word(twilio: tuple[ModuleType, Path]) -> None:
    out = twilio[1]
    found = [
        f"{path.relative_to(out)}: {match.group(0)}"
        for path in sorted(out.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".md", ".toml", ".json"}
        for match in CLOUDFLARE_WORDS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert re.search(r"class TwilioError\(Exception\)", (out / "src" / PACKAGE / "_exceptions.py").read_text())


# --- Stripe: its security schemes and error shape on one small operation -------------------
# The whole Stripe description does not generate yet (its recursive `error` component inlines in more
# than a million ways): the test takes Stripe's own securitySchemes and /v1/balance's security list.


@pytest.fixture(scope="module")
def stripe(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    source = corpus / "corpus" / "peers" / "stripe" / "spec3-2023-09-12.yaml"
    if not source.is_file():
        pytest.skip(f"{source} is not in the corpus")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: the file is 5 MB
    stripe_spec = yaml.load(source.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    balance = stripe_spec["paths"]["/v1/balance"]["get"]
    error = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {name: {"type": "string"} for name in ("type", "code", "message", "param")},
            }
        },
    }
    spec = {
        "openapi": "3.0.0",
        "info": {"title": "Stripe API", "version": "2023-08-16"},
        "security": stripe_spec["security"],
        "components": {"securitySchemes": stripe_spec["components"]["securitySchemes"]},
        "paths": {
            "/v1/balance": {
                "get": {
                    "operationId": balance["operationId"],
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": BALANCE}}},
                        "default": {"description": "error", "content": {"application/json": {"schema": error}}},
                    },
                }
            }
        },
    }
    root = tmp_path_factory.mktemp("stripe")
    (root / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    config = '[package]\nimport_name = "stripe_peer"\ndistribution = "stripe-peer"\nenvironment_prefix = "STRIPE"\n'
    (root / "config.toml").write_text(config + 'base_url = "https://api.stripe.com"\n', encoding="utf-8")
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    try:
        yield importlib.import_module("stripe_peer")
    finally:
        sys.path.remove(str(root / "out" / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == "stripe_peer"]:
            del sys.modules[name]


BALANCE = {"type": "object", "properties": {"object": {"type": "string"}, "livemode": {"type": "boolean"}}}
STRIPE_KEY = "sk_test_123"  # a dummy key for a local server


@pytest.mark.parametrize(
    ("arguments", "authorization"),
    [
        ({"bearer_auth": STRIPE_KEY}, f"Bearer {STRIPE_KEY}"),
        ({"username": STRIPE_KEY, "password": ""}, "Basic " + base64.b64encode(f"{STRIPE_KEY}:".encode()).decode()),
    ],
    ids=["bearer", "basic-key-as-user"],
)
def test_stripe_bearer_or_basic(stripe: ModuleType, arguments: dict[str, str], authorization: str) -> None:
    with LiveServer(handler=lambda _: json_reply({"object": "balance", "livemode": False})) as server:
        with stripe.Client(base_url=server.url, **arguments) as client:
            assert client.balance.list().livemode is False
        assert [request.headers["authorization"] for request in server.requests] == [authorization]


def test_stripe_credentials_are_alternatives_and_errors_read(stripe: ModuleType) -> None:
    with pytest.raises(stripe.ClientConfigurationError, match="conflicting"):
        stripe.Client(bearer_auth=STRIPE_KEY, username=STRIPE_KEY, password="")
    declined = {"error": {"type": "card_error", "code": "card_declined", "message": "Your card was declined."}}
    reply = json_reply(declined, status=402, headers={"Request-Id": "req_9"})
    with (
        LiveServer(handler=lambda _: reply) as server,
        stripe.Client(base_url=server.url, bearer_auth=STRIPE_KEY) as client,
        pytest.raises(stripe.APIStatusError) as caught,
    ):
        client.balance.list()
    assert str(caught.value) == "402 Payment Required: [card_declined] Your card was declined. (request id req_9)"
    assert caught.value.body.error.code == "card_declined"  # the declared default error, as a model
