"""Run by the fresh virtualenv's Python: import the installed package and call one method over HTTP.

Standard library only, besides the package under test.  A server on 127.0.0.1 answers
``POST .../deployments/<id>/rollback`` with a Cloudflare envelope; the script calls
``pages.projects.deployments.rollback`` with ``Client`` and ``AsyncClient`` and checks what
the server saw and what came back.  Usage: ``python smoke_call.py <import name> <version>``.
Prints one line and exits 0, or prints one line starting with ``error:`` and exits 1.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["main"]

ACCOUNT = "023e105f4ecef8ad9ca31a8372d0c353"
PROJECT = "this-is-my-project-01"
DEPLOYMENT = "f64788e9fccd4d4aa28acb84f88f6aa0"
TOKEN = "smoke-test-token"  # noqa: S105 - a dummy credential for a local server
CALL_PATH = ("pages", "projects", "deployments", "rollback")
STAGE = {"name": "queued", "status": "active", "started_on": "2021-06-03T15:38:15.608194Z", "ended_on": None}
RESULT = {
    "id": DEPLOYMENT,
    "short_id": "f64788e9",
    "project_name": PROJECT,
    "environment": "production",
    "url": "https://f64788e9.this-is-my-project-01.pages.dev",
    "created_on": "2021-03-09T00:55:03.923456Z",
    "latest_stage": STAGE,
    "stages": [STAGE],
    "deployment_trigger": {"type": "ad_hoc", "metadata": {"branch": "main"}},
}


class SmokeError(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str]]  # method, path, Authorization header

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        del format, args

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(("POST", self.path, self.headers.get("Authorization", "")))
        body = json.dumps({"success": True, "errors": [], "messages": [], "result": RESULT}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("cf-ray", "0123456789abcdef-AMS")
        self.end_headers()
        self.wfile.write(body)


def _arguments(method: Callable[..., Any]) -> dict[str, str]:
    """Values for the required keyword arguments, by what their names say (names may change)."""
    values = {"account": ACCOUNT, "project": PROJECT, "deployment": DEPLOYMENT}
    arguments = {}
    for name, parameter in inspect.signature(method).parameters.items():
        if parameter.default is not inspect.Parameter.empty:
            continue
        matches = [value for word, value in values.items() if word in name]
        if len(matches) != 1:
            msg = f"cannot tell what to pass as {name!r} to {'.'.join(CALL_PATH)}"
            raise SmokeError(msg)
        arguments[name] = matches[0]
    return arguments


def _method(client: object) -> Callable[..., Any]:
    target: Any = client
    for part in CALL_PATH:
        if not hasattr(target, part):
            msg = f"the package has no client.{'.'.join(CALL_PATH)} to call"
            raise SmokeError(msg)
        target = getattr(target, part)
    return target  # type: ignore[no-any-return]


def _check_result(result: object, client_name: str) -> None:
    # The model's name depends on the spec (Deployment for the seed, ProjectCanonicalDeployment in
    # the whole API): what matters is a validated model carrying what the server sent.
    if not callable(getattr(result, "model_dump", None)) or getattr(result, "id", None) != DEPLOYMENT:
        msg = f"{client_name} rollback returned a {type(result).__name__}, not a model of the server's deployment"
        raise SmokeError(msg)
    stages = getattr(result, "stages", None) or [None]
    if not isinstance(getattr(stages[0], "started_on", None), datetime):
        msg = f"{client_name} rollback did not parse stages[0].started_on into a datetime"
        raise SmokeError(msg)


def _check_installed(package: Any, version: str) -> Path:
    location = Path(package.__file__).resolve().parent
    if not location.is_relative_to(Path(sys.prefix).resolve()):
        msg = f"{package.__name__} was imported from {location}, not from the virtualenv {sys.prefix}"
        raise SmokeError(msg)
    if package.__version__ != version:
        msg = f"{package.__name__}.__version__ is {package.__version__!r}, expected {version!r}"
        raise SmokeError(msg)
    if not (location / "py.typed").is_file():
        msg = f"{package.__name__} is installed without py.typed: type checkers would ignore it"
        raise SmokeError(msg)
    return location


def smoke(import_name: str, version: str) -> str:
    package = importlib.import_module(import_name)
    location = _check_installed(package, version)
    seen: list[tuple[str, str, str]] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base_url = f"http://127.0.0.1:{server.server_address[1]}/client/v4"
        try:
            with package.Client(api_token=TOKEN, base_url=base_url, max_retries=0) as client:
                method = _method(client)
                _check_result(method(**_arguments(method)), "Client")

            async def call_async() -> object:
                async with package.AsyncClient(api_token=TOKEN, base_url=base_url, max_retries=0) as client:
                    method = _method(client)
                    return await method(**_arguments(method))

            _check_result(asyncio.run(call_async()), "AsyncClient")
        finally:
            server.shutdown()
    path = f"/client/v4/accounts/{ACCOUNT}/pages/projects/{PROJECT}/deployments/{DEPLOYMENT}/rollback"
    expected = ("POST", path, f"Bearer {TOKEN}")
    if seen != [expected, expected]:
        msg = f"the server saw {seen!r}, expected two of {expected!r}"
        raise SmokeError(msg)
    return f"smoke test passed: {import_name} {version} from {location}: rollback returned deployment {DEPLOYMENT}"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: smoke_call.py <import name> <version>", file=sys.stderr)
        return 2
    try:
        print(smoke(argv[0], argv[1]))
    except SmokeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any failure of the installed package is the finding
        print(f"error: {type(error).__name__}: {' '.join(str(error).split())[:300]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
