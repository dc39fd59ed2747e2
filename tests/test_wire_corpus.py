"""Real descriptions on the wire (``$CLOUDFLARE_CORPUS/corpus/peers``), against a server on 127.0.0.1.

* Stripe: list charges with ``created[gte]`` (deepObject) and ``has_more`` + ``starting_after`` pages; create a
  charge as a urlencoded form by the description's ``encoding`` (``metadata[key]=``, ``expand[0]=``).  The whole
  Stripe description does not generate yet (its recursive ``$ref``s are refused as too large), so its
  ``/v1/charges`` operations are taken as written, the ``charge`` item cut to its ``id`` and other ``$ref``s to
  any value.
* Twilio: the whole description is generated (with no config: the package the other Twilio tests read); list
  messages walks ``next_page_uri`` pages, a date-time filter is ISO 8601, create message sends a flat form
  (``MediaUrl`` repeated).
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from clientgen.layout import REPORT_FILE
from clientgen.project import write_tree
from corpus_packages import TWILIO, CorpusPackages, peer_group
from imported_package import imported_package
from live_server import LiveServer, RecordedRequest, Reply, json_reply

TOKEN = "sk_test_local"  # noqa: S105 - a dummy credential for a local server
ACCOUNT = "AC" + "a" * 32
CHARGE = {"type": "object", "properties": {"id": {"type": "string"}}}


def _cut_refs(node: Any) -> Any:
    """The charge item kept to its id, every other ``$ref`` an untyped value (the sub-document has no components)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return dict(CHARGE) if node["$ref"] == "#/components/schemas/charge" else {}
        return {key: _cut_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_cut_refs(value) for value in node]
    return node


def _generate(root: Path, spec: dict[str, Any], package: str) -> ModuleType:
    (root / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    (root / "config.toml").write_text(f'[package]\nimport_name = "{package}"\ndistribution = "{package}"\n')
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    return importlib.import_module(package)


def _unload(root: Path, package: str) -> None:
    sys.path.remove(str(root / "out" / "src"))
    for name in [name for name in sys.modules if name.split(".")[0] == package]:
        del sys.modules[name]


def _client(package: ModuleType, url: str) -> Any:
    """A client with a dummy credential, whichever kind the generated client takes."""
    accepted = inspect.signature(package.Client).parameters
    credentials = {"api_token": TOKEN} if "api_token" in accepted else {"username": ACCOUNT, "password": TOKEN}
    return package.Client(base_url=url, **credentials)


@pytest.fixture(scope="module")
def stripe(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    source = corpus / "corpus" / "peers" / "stripe" / "spec3-2023-09-12.yaml"
    document = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    spec = {
        "openapi": document["openapi"],
        "info": document["info"],
        "paths": {"/v1/charges": _cut_refs(document["paths"]["/v1/charges"])},
    }
    root = tmp_path_factory.mktemp("stripe")
    try:
        yield _generate(root, spec, "stripe_wire")
    finally:
        _unload(root, "stripe_wire")


@pytest.fixture(scope="module")
def twilio(corpus_package: CorpusPackages) -> Iterator[ModuleType]:
    out = corpus_package(TWILIO, config=None)  # generated once per run, shared with the other Twilio tests
    with imported_package(out / "src", "twilio_client") as package:
        yield package


def _stripe_page(request: RecordedRequest) -> Reply:
    pages = {None: (["ch_1", "ch_2"], True), "ch_2": (["ch_3"], False)}
    after = request.query.get("starting_after", [None])[0]
    ids, more = pages[after]
    return json_reply({"object": "list", "url": "/v1/charges", "has_more": more, "data": [{"id": i} for i in ids]})


def test_stripe_list_charges_deep_object_and_has_more(stripe: ModuleType) -> None:
    with LiveServer(handler=_stripe_page) as server, _client(stripe, server.url) as client:
        page = client.charges.list(created={"gte": 1700000000, "lt": 1800000000}, limit=2, expand=["data.customer"])
        assert [charge.id for charge in page] == ["ch_1", "ch_2", "ch_3"]
    first, second = server.requests
    assert first.path == "/v1/charges?created[gte]=1700000000&created[lt]=1800000000&expand[0]=data.customer&limit=2"
    assert second.path == first.path + "&starting_after=ch_2"
    out = Path(str(stripe.__file__)).parents[2]
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    (listed,) = [entry for entry in report["operations"] if entry["method"] == "GET"]
    assert listed["pagination"]["style"] == "has_more"


def test_stripe_create_charge_form(stripe: ModuleType) -> None:
    with LiveServer(handler=lambda _: json_reply({"id": "ch_1"})) as server, _client(stripe, server.url) as client:
        client.charges.create(
            body={
                "amount": 2000,
                "currency": "usd",
                "capture": False,
                "metadata": {"order_id": "6735"},
                "expand": ["customer", "invoice"],
                "description": "Tea & cake",
            }
        )
    (request,) = server.requests
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.body == (
        b"amount=2000&currency=usd&capture=false&metadata[order_id]=6735&expand[0]=customer&expand[1]=invoice"
        b"&description=Tea+%26+cake"
    )


def _sid(page: int, index: int) -> str:
    return f"SM{page:016x}{index:016x}"  # a message SID: SM and 32 hex digits


def _twilio_page(request: RecordedRequest) -> Reply:
    page = int(request.query.get("Page", ["0"])[0])
    base = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    following = f"{base}?PageSize=2&Page={page + 1}&PageToken=PA{page}" if page < 2 else None
    messages = [{"sid": _sid(page, index), "body": "hi"} for index in range(2 if page < 2 else 1)]
    return json_reply({"messages": messages, "page": page, "page_size": 2, "next_page_uri": following})


def _messages(client: Any) -> Any:
    return client.accounts.messages


@peer_group(TWILIO)
def test_twilio_list_messages_next_page_uri(twilio: ModuleType) -> None:
    with LiveServer(handler=_twilio_page) as server, _client(twilio, server.url) as client:
        page = _messages(client).list(account_sid=ACCOUNT, date_sent=datetime(2024, 1, 2, tzinfo=UTC), page_size=2)
        assert [message.sid for message in page] == [_sid(0, 0), _sid(0, 1), _sid(1, 0), _sid(1, 1), _sid(2, 0)]
    paths = [request.path for request in server.requests]
    base = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert paths == [
        f"{base}?DateSent=2024-01-02T00%3A00%3A00Z&PageSize=2",
        f"{base}?PageSize=2&Page=1&PageToken=PA0",
        f"{base}?PageSize=2&Page=2&PageToken=PA1",
    ]


@peer_group(TWILIO)
def test_twilio_create_message_form(twilio: ModuleType) -> None:
    with LiveServer(handler=lambda _: json_reply({"sid": _sid(9, 9)})) as server, _client(twilio, server.url) as client:
        _messages(client).create(
            account_sid=ACCOUNT,
            body={"To": "+15558881111", "From": "+15552229999", "Body": "Hi there", "MediaUrl": ["https://a/1.png"]},
        )
    (request,) = server.requests
    assert request.body == b"To=%2B15558881111&From=%2B15552229999&Body=Hi+there&MediaUrl=https%3A%2F%2Fa%2F1.png"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
