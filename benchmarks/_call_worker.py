"""Time one client making the seed's rollback call, in this process; print the result as JSON.

    python _call_worker.py <floor|ours|ours-strict|official> <base URL|mock> <calls> [--profile]

Run by ``bench_call.py`` with the right interpreter (the official SDK lives in its own
virtualenv).  ``mock`` answers through ``httpx.MockTransport``: CPU only, no socket.
Each client is checked once (the right value, validated where the client validates),
warmed up, then timed over ``calls`` calls: process CPU time and wall time per call.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx

from _payload import ACCOUNT, BODY, DEPLOYMENT, PATH, PROJECT, RESPONSE_HEADERS

WARMUP = 300


def _mock_transport() -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        return httpx.Response(200, headers=RESPONSE_HEADERS, content=BODY)

    return httpx.MockTransport(answer)


def _http_client(target: str) -> httpx.Client | None:
    return httpx.Client(transport=_mock_transport()) if target == "mock" else None


def _base_url(target: str) -> str:
    return "http://api.test/client/v4" if target == "mock" else target


def floor(target: str) -> Callable[[], Any]:
    """The least any client must do: one httpx request, then ``json.loads`` of the body."""
    http = _http_client(target) or httpx.Client()
    http.base_url = httpx.URL(_base_url(target))
    http.headers["Authorization"] = "Bearer t"

    def call() -> Any:
        return json.loads(http.post(PATH.lstrip("/"), json={}).content)["result"]

    return call


def ours(target: str, *, strict: bool = False) -> Callable[[], Any]:
    """Our client in its default (lenient) mode, or ``strict``: every response validated, a mismatch raises."""
    from cloudflare_client import Client  # noqa: PLC0415 - only this worker kind has it on its path

    client = Client(
        api_token="t",  # noqa: S106 - a dummy token
        base_url=_base_url(target),
        http_client=_http_client(target),
        strict_response_validation=strict,
    )
    deployments = client.pages.projects.deployments

    def call() -> Any:
        return deployments.rollback(account_identifier=ACCOUNT, project_name=PROJECT, deployment_identifier=DEPLOYMENT)

    result = call()
    assert type(result).__name__ == "Deployment", result  # a validated pydantic model
    assert result.created_on.year == 2021, result.created_on
    return call


def official(target: str) -> Callable[[], Any]:
    from cloudflare import Cloudflare  # noqa: PLC0415 - only in the benchmark's own virtualenv

    client = Cloudflare(api_token="t", base_url=_base_url(target), http_client=_http_client(target))  # noqa: S106 - a dummy token
    deployments = client.pages.projects.deployments

    def call() -> Any:
        return deployments.rollback(DEPLOYMENT, account_id=ACCOUNT, project_name=PROJECT)

    result = call()
    assert type(result).__name__ == "Deployment", result
    return call


def ours_strict(target: str) -> Callable[[], Any]:
    return ours(target, strict=True)


KINDS = {"floor": floor, "ours": ours, "ours-strict": ours_strict, "official": official}


def main() -> None:
    kind, target, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
    call = KINDS[kind](target)
    for _ in range(WARMUP):
        call()
    if "--profile" in sys.argv:
        import cProfile  # noqa: PLC0415
        import pstats  # noqa: PLC0415

        profiler = cProfile.Profile()
        profiler.runcall(lambda: [call() for _ in range(calls)])
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        return
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        call()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"cpu_us": cpu / calls * 1e6, "wall_us": wall / calls * 1e6}))


if __name__ == "__main__":
    main()
