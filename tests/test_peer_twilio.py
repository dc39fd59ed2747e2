"""Twilio's description with no config: its own identity, names from its keys, call paths from its conventions."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clientgen.project import write_tree

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def twilio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = os.environ.get("CLOUDFLARE_CORPUS")
    if not location:
        pytest.skip("set CLOUDFLARE_CORPUS to the shared corpus folder to run this test")
    out = tmp_path_factory.mktemp("twilio") / "out"
    write_tree(Path(location) / "corpus" / "peers" / "twilio" / "twilio_api_v2010.json", None, out)
    return out


def test_identity_comes_from_the_description(twilio: Path) -> None:
    client = (twilio / "src" / "twilio_client" / "_client.py").read_text(encoding="utf-8")
    assert 'DEFAULT_BASE_URL = "https://api.twilio.com"' in client
    assert 'BASE_URL_VARIABLE = "TWILIO_BASE_URL"' in client
    assert 'name = "twilio-client"' in (twilio / "pyproject.toml").read_text(encoding="utf-8")


def test_models_are_named_from_the_component_keys(twilio: Path) -> None:
    classes = {
        node.name
        for module in (twilio / "src" / "twilio_client" / "types").glob("*.py")
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }
    # api.v2010.account, api.v2010.account.call, api.v2010.account.message, api.v2010.account.queue
    assert {"Account", "Call", "Message", "Queue"} <= classes
    assert not any(name.startswith("N20100401") for name in classes)


def test_call_paths_read_twilios_conventions(twilio: Path) -> None:
    api = (twilio / "api.md").read_text(encoding="utf-8")
    for call in ("accounts.messages.create", "accounts.calls.list", "accounts.get", "accounts.calls.update"):
        assert f"`client.{call}(" in api, call
    assert "n_2010_04_01" not in api
    assert "messages_json" not in api


def test_the_package_passes_mypy_strict(twilio: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(twilio.parent / ".mypy"), str(twilio / "src")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-2000:]
