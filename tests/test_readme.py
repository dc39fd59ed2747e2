"""The generated README's examples run as written and type-check.

Its ``python`` blocks are executed in order, in one namespace (as a reader would paste them),
against a server on 127.0.0.1 (``CLOUDFLARE_BASE_URL``) with credentials from the environment,
and checked with ``mypy --strict``.  The seed package has no list operation, so a small API
with page-numbered lists and downloads (``test_pagination.SPEC``) is generated too: its
README shows iteration over pages, sync and async.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from clientgen.project import write_tree
from live_server import LiveServer, RecordedRequest, Reply, json_reply
from test_client_live import EXAMPLE_DEPLOYMENT, envelope
from test_pagination import SPEC as PAGED_SPEC

REPO = Path(__file__).resolve().parents[1]
TOKEN = "readme-token"  # noqa: S105 - a dummy credential for a local server
ROLLBACK = re.compile(r"/accounts/[^/]+/pages/projects/[^/]+/deployments/[^/]+/rollback")
FIRST_PAGES = {("1", "")}
FOLLOW_UPS = {("2", ""), ("1", "c2")}  # page 2 of the numbered list, the cursor's second page
EXCEPTION_TREE = re.compile(r"^[│├└─ ]*([A-Z][A-Za-z]+Error)\b", re.MULTILINE)


def python_blocks(readme: Path) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", readme.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def run_blocks(blocks: list[str], server: LiveServer) -> list[list[RecordedRequest]]:
    """Execute each block in one namespace; the requests each block sent."""
    namespace: dict[str, object] = {"__name__": "readme"}
    sent: list[list[RecordedRequest]] = []
    for number, block in enumerate(blocks, 1):
        before = len(server.requests)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)  # noqa: S102 - our own README
        sent.append(server.requests[before:])
    return sent


def mypy_strict(blocks: list[str], tmp_path: Path, package_src: Path, cache: Path) -> None:
    """``mypy --strict`` of the blocks as one script against ``package_src``, with the worker's ``cache`` (the
    ``mypy_cache`` fixture: the standard library, pydantic, httpx and the seed package analysed once)."""
    script = tmp_path / "readme_examples.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    env = {**os.environ, "MYPYPATH": str(package_src)}
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), str(script)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    with LiveServer() as server:
        monkeypatch.setenv("CLOUDFLARE_API_TOKEN", TOKEN)
        monkeypatch.setenv("CLOUDFLARE_BASE_URL", server.url)
        yield server


def test_seed_readme_examples_run_against_a_server(environment: LiveServer) -> None:
    environment.handler = lambda _request: json_reply(envelope(EXAMPLE_DEPLOYMENT))
    blocks = python_blocks(REPO / "generated" / "README.md")
    sent = run_blocks(blocks, environment)
    calling = [requests for block, requests in zip(blocks, sent, strict=True) if "rollback(" in block]
    assert len(calling) >= 5  # first call, errors, retries, async, raw and streaming
    assert all(requests for requests in calling), "a block that calls rollback sent nothing"
    for request in [request for requests in sent for request in requests]:
        assert request.method == "POST"
        assert ROLLBACK.fullmatch(request.url_path), request.url_path
        assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_seed_readme_examples_type_check(tmp_path: Path, mypy_cache: Path) -> None:
    mypy_strict(python_blocks(REPO / "generated" / "README.md"), tmp_path, REPO / "generated" / "src", mypy_cache)


def test_readme_exception_tree_is_the_package_s() -> None:
    import cloudflare_client  # noqa: PLC0415 - after conftest's path setup

    readme = (REPO / "generated" / "README.md").read_text(encoding="utf-8")
    tree = readme.split("## Errors", 1)[1].split("```", 2)[1]
    drawn = set(EXCEPTION_TREE.findall(tree)) | {"CloudflareError"}
    exported = {name for name in cloudflare_client.__all__ if name.endswith("Error")}
    assert drawn == exported


def _paged_answer(request: RecordedRequest) -> Reply:
    """Two pages for either list (by number or by cursor), a CSV and a PNG; 400 for any other page."""
    if request.url_path.endswith("/export"):
        return Reply(headers={"Content-Type": "text/csv"}, body=b"id,name\n1,w1\n")
    if request.url_path.endswith("/picture"):
        return Reply(headers={"Content-Type": "image/png"}, body=b"\x89PNG\r\n\x1a\n")
    page, cursor = request.query.get("page", ["1"])[0], request.query.get("cursor", [""])[0]
    if (page, cursor) not in FIRST_PAGES | FOLLOW_UPS:
        return json_reply({"success": False, "errors": [{"code": 1, "message": "no such page"}]}, status=400)
    items = [{"id": i, "name": f"w{page}{cursor}{i}"} for i in range(2)]
    info: dict[str, object] = {"page": int(page), "per_page": 2, "total_pages": 2}
    if request.url_path.endswith("/things") and not cursor:
        info = {"cursor": "c2"}
    return json_reply({"success": True, "errors": [], "messages": [], "result": items, "result_info": info})


def test_readme_of_a_paged_api_iterates_pages(tmp_path: Path, environment: LiveServer, mypy_cache: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(PAGED_SPEC), encoding="utf-8")
    # the environment fixture sets CLOUDFLARE_*; unset, the prefix would follow the import name (README_PAGED)
    config = (
        '[package]\nimport_name = "readme_paged"\ndistribution = "readme-paged"\nenvironment_prefix = "CLOUDFLARE"\n'
    )
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    out = tmp_path / "out"
    write_tree(tmp_path / "spec.json", tmp_path / "config.toml", out)
    readme = out / "README.md"
    pagination = readme.read_text(encoding="utf-8").split("## Pagination", 1)[1].split("## ", 1)[0]
    assert "```python" in pagination
    environment.handler = _paged_answer
    sys.path.insert(0, str(out / "src"))
    try:
        blocks = python_blocks(readme)
        sent = run_blocks(blocks, environment)
    finally:
        sys.path.remove(str(out / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == "readme_paged"]:
            del sys.modules[name]
    walking = [
        requests for block, requests in zip(blocks, sent, strict=True) if "iter_pages" in block or "async for" in block
    ]
    assert len(walking) == 2  # the pagination block and the async block
    for requests in walking:  # each went on to the second page (and no further: the server answers 400 there)
        asked = {(request.query.get("page", ["1"])[0], request.query.get("cursor", [""])[0]) for request in requests}
        assert asked & FOLLOW_UPS
    mypy_strict(blocks, tmp_path, out / "src", mypy_cache)
    assert importlib.util.find_spec("readme_paged") is None


def test_example_values_pass_the_checks_or_stay_visible_placeholders() -> None:
    from clientgen.examples import PLACEHOLDER, example_arguments  # noqa: PLC0415
    from clientgen.model.api import Check, Parameter  # noqa: PLC0415
    from clientgen.model.types import TypeExpr  # noqa: PLC0415
    from clientgen.names import PythonIdentifier  # noqa: PLC0415

    def parameter(name: str, annotation: str, *checks: Check) -> Parameter:
        return Parameter(
            wire_name=name,
            name=PythonIdentifier(name),
            location="path",
            required=name != "optional",
            type=TypeExpr(annotation),
            description="",
            checks=checks,
        )

    parameters = (
        parameter("zone_id", "str", Check("max_length", "32")),
        parameter("script_name", "str", Check("pattern", repr("^[a-z0-9_-]+$"))),
        parameter("version", "int", Check("minimum", "2")),
        parameter("kind", "Literal['a\"b', 'c']"),
        parameter("code", "str", Check("pattern", repr("^[A-Z]{7}$"))),
        parameter("optional", "str"),
    )
    operation = SimpleNamespace(parameters=parameters)  # all example_arguments reads
    literals = {argument.name: argument.literal for argument in example_arguments(operation)}  # type: ignore[arg-type]
    assert literals == {
        "zone_id": '"023e105f4ecef8ad9ca31a8372d0c353"',
        "script_name": '"my-script"',
        "version": "100",
        "kind": repr('a"b'),
        "code": PLACEHOLDER,
    }
