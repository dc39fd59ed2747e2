"""Raw and streamed responses type-check under ``mypy --strict`` with the method's own types.

A snippet using every access path goes through mypy with ``assert_type``: the parsed value
of a raw or streamed response is typed as the method's return type, the wrapped methods
keep their exact signature (a wrong argument is an error), and sync and async differ where
they should.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from test_client_live import GENERATED_SRC, REPO

SNIPPET = """
from typing import TypedDict, assert_type

import httpx

from cloudflare_client import AsyncClient, AsyncStreamedResponse, Client, RawResponse, StreamedResponse
from cloudflare_client._response import AsyncStreamedResponseManager, StreamedResponseManager
from cloudflare_client.types.pages import Deployment

class Ids(TypedDict):
    account_identifier: str
    project_name: str
    deployment_identifier: str


IDS: Ids = {"account_identifier": "a", "project_name": "p", "deployment_identifier": "d"}


def sync_paths(client: Client) -> None:
    deployments = client.pages.projects.deployments
    assert_type(deployments.rollback(**IDS), Deployment)
    raw = deployments.with_raw_response.rollback(account_identifier="a", project_name="p", deployment_identifier="d")
    assert_type(raw, RawResponse[Deployment])
    assert_type(raw.parse(), Deployment)
    assert_type(raw.status_code, int)
    assert_type(raw.headers, httpx.Headers)
    assert_type(raw.request_id, str | None)
    top = client.with_raw_response.pages.projects.deployments.rollback(
        account_identifier="a", project_name="p", deployment_identifier="d", max_retries=0
    )
    assert_type(top.parse(), Deployment)
    manager = deployments.with_streaming_response.rollback(
        account_identifier="a", project_name="p", deployment_identifier="d", timeout=3.0
    )
    assert_type(manager, StreamedResponseManager[Deployment])
    with manager as streamed:
        assert_type(streamed, StreamedResponse[Deployment])
        assert_type(streamed.parse(), Deployment)
        for chunk in streamed.iter_bytes():
            assert_type(chunk, bytes)
    with client.with_streaming_response.pages.projects.deployments.rollback(**IDS) as other:
        assert_type(other.parse(), Deployment)
    assert_type(client.with_options(max_retries=5), Client)


async def async_paths(client: AsyncClient) -> None:
    deployments = client.pages.projects.deployments
    assert_type(await deployments.rollback(**IDS), Deployment)
    raw = await deployments.with_raw_response.rollback(
        account_identifier="a", project_name="p", deployment_identifier="d"
    )
    assert_type(raw, RawResponse[Deployment])
    assert_type(raw.parse(), Deployment)
    top = await client.with_raw_response.pages.projects.deployments.rollback(**IDS)
    assert_type(top.parse(), Deployment)
    manager = deployments.with_streaming_response.rollback(**IDS)
    assert_type(manager, AsyncStreamedResponseManager[Deployment])
    async with manager as streamed:
        assert_type(streamed, AsyncStreamedResponse[Deployment])
        assert_type(await streamed.parse(), Deployment)
        async for chunk in streamed.iter_bytes():
            assert_type(chunk, bytes)
    assert_type(client.with_options(timeout=1.0), AsyncClient)


def wrong_calls(client: Client) -> None:
    client.pages.projects.deployments.with_raw_response.rollback(account_identifier="a")  # E: missing arguments
    client.with_raw_response.pages.projects.deployments.rollback(**IDS, max_retries="2")  # E: wrong type
    client.pages.projects.deployments.with_streaming_response.rollback(**IDS).parse()  # E: manager, not response
"""


def test_raw_and_streamed_responses_type_check(tmp_path: Path) -> None:
    snippet = tmp_path / "typing_snippet.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(REPO / ".mypy_cache" / "runtime-typing"),
            str(snippet),
        ],
        capture_output=True,
        text=True,
        env={"MYPYPATH": str(GENERATED_SRC), "PATH": "/usr/bin:/bin"},
        cwd=REPO,
        timeout=300,
        check=False,
    )
    lines = completed.stdout.splitlines()
    expected_errors = {number for number, line in enumerate(SNIPPET.splitlines(), start=1) if "# E:" in line}
    reported = {int(line.split(":")[1]) for line in lines if ": error:" in line}
    assert reported == expected_errors, completed.stdout + completed.stderr
    assert len(expected_errors) == 3
