"""Other APIs than Cloudflare's (``$CLOUDFLARE_CORPUS/corpus/peers``): each generates, imports and type-checks.

Stripe (mutually recursive components, form bodies), Twilio (version segments, ``.json``
paths) and openapi-python-client's own 3.0 and 3.1 end-to-end specs, with no config but a
package name.  Every module of every package imports, each package passes ``mypy --strict``,
and one call per API sends the request the description asks for to a server on 127.0.0.1
(through ``with_raw_response``: the request is what is checked, not the made-up answer).
Stripe is the big one: generation and type-checking take about a minute each on a quiet machine.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clientgen.layout import SURFACE_FILE
from live_server import LiveServer, json_reply

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Peer:
    name: str
    spec: str  # below corpus/peers
    operation_id: str  # one operation called against the local server
    arguments: dict[str, Any]
    method: str
    path: str  # the request path the call must send


TWILIO_ACCOUNT = "AC" + "0" * 32
OPC_ARGUMENTS = {"param1": "a", "param2": 2, "param3": 3, "param4": "d"}
OPC_PATH = "/multiple-path-parameters/d/something/2/a/3"
PEERS = [
    Peer("stripe", "stripe/spec3-2023-09-12.yaml", "GetCustomersCustomer", {"customer": "cus_1"}, "GET",
         "/v1/customers/cus_1"),
    Peer("twilio", "twilio/twilio_api_v2010.json", "FetchAccount", {"sid": TWILIO_ACCOUNT}, "GET",
         f"/2010-04-01/Accounts/{TWILIO_ACCOUNT}.json"),
    Peer("opc30", "openapi-python-client/baseline_openapi_3.0.json", "multiple_path_parameters",
         OPC_ARGUMENTS, "GET", OPC_PATH),
    Peer("opc31", "openapi-python-client/baseline_openapi_3.1.yaml", "multiple_path_parameters",
         OPC_ARGUMENTS, "GET", OPC_PATH),
]  # fmt: skip


def _import_name(peer: Peer) -> str:
    return f"peer_{peer.name}"


def _credentials(peer: Peer) -> dict[str, str]:
    """A value for each client argument of the API's usual way to authenticate, read from the generated ``_auth``."""
    auth = importlib.import_module(f"{_import_name(peer)}._auth")
    first = auth.DEFAULT_SECURITY[0] if auth.DEFAULT_SECURITY else ()
    return {argument: "token" for name in first for argument in auth.SCHEMES[name].arguments}


def _config(folder: Path, peer: Peer) -> Path:
    """Only the package's name (and a local base URL): everything else comes from the description."""
    path = folder / f"{peer.name}.toml"
    path.write_text(
        f'[package]\nimport_name = "{_import_name(peer)}"\ndistribution = "peer-{peer.name}"\n'
        f'base_url = "http://127.0.0.1:9"\nenvironment_prefix = "PEER"\nversion = "0.1.0"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module", params=PEERS, ids=[peer.name for peer in PEERS])
def peer_package(
    request: pytest.FixtureRequest, corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Peer, Path]]:
    peer: Peer = request.param
    spec = corpus / "corpus" / "peers" / peer.spec
    if not spec.is_file():
        pytest.skip(f"{spec} does not exist")
    folder = tmp_path_factory.mktemp(peer.name)
    out = folder / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(spec), "--out", str(out)]
    result = subprocess.run(
        [*command, "--config", str(_config(folder, peer))],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(out / "src"))
    try:
        yield peer, out
    finally:
        sys.path.remove(str(out / "src"))
        for name in [name for name in sys.modules if name.startswith(_import_name(peer))]:
            del sys.modules[name]


def test_every_module_imports(peer_package: tuple[Peer, Path]) -> None:
    peer, out = peer_package
    modules = sorted((out / "src" / _import_name(peer)).rglob("*.py"))
    assert modules
    for module in modules:
        relative = module.relative_to(out / "src").with_suffix("")
        importlib.import_module(".".join(part for part in relative.parts if part != "__init__"))


def test_the_package_passes_mypy_strict(peer_package: tuple[Peer, Path], mypy_cache: Path) -> None:
    peer, out = peer_package
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), _import_name(peer)],
        capture_output=True,
        text=True,
        check=False,
        cwd=out / "src",
        timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


def test_a_call_sends_what_the_description_asks(peer_package: tuple[Peer, Path]) -> None:
    peer, out = peer_package
    surface = json.loads((out / SURFACE_FILE).read_text(encoding="utf-8"))
    calls = {entry["operationId"]: call for call, entry in surface["operations"].items()}
    package = importlib.import_module(_import_name(peer))
    with LiveServer() as server, package.Client(**_credentials(peer), base_url=server.url) as client:
        server.enqueue(json_reply({}))
        target: Any = client.with_raw_response
        for part in calls[peer.operation_id].split(".")[1:]:
            target = getattr(target, part)
        target(**peer.arguments)
        (sent,) = server.wait_for_requests(1)
    assert sent.method == peer.method
    assert sent.url_path == peer.path


def test_a_stripe_form_body_is_sent_from_keyword_arguments(peer_package: tuple[Peer, Path]) -> None:
    peer, out = peer_package
    if peer.name != "stripe":
        pytest.skip("Stripe's urlencoded form bodies")
    surface = json.loads((out / SURFACE_FILE).read_text(encoding="utf-8"))
    call = next(call for call, entry in surface["operations"].items() if entry["operationId"] == "PostCustomers")
    package = importlib.import_module(_import_name(peer))
    with LiveServer() as server, package.Client(**_credentials(peer), base_url=server.url) as client:
        server.enqueue(json_reply({}))
        target: Any = client.with_raw_response
        for part in call.split(".")[1:]:
            target = getattr(target, part)
        target(email="jo@example.com", metadata={"plan": "pro"}, expand=["sources"], address={"line1": "1 Main St"})
        (sent,) = server.wait_for_requests(1)
    assert (sent.method, sent.url_path) == ("POST", "/v1/customers")
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.body == b"address[line1]=1+Main+St&email=jo%40example.com&expand[0]=sources&metadata[plan]=pro"
