"""Twilio's description with no config: its own identity, names from its keys, call paths from its conventions."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_packages import TWILIO, CorpusPackages, peer_group

REPO = Path(__file__).resolve().parents[1]

pytestmark = peer_group(TWILIO)  # on the worker of the other tests reading this package


@pytest.fixture(scope="module")
def twilio(corpus_package: CorpusPackages) -> Path:
    return corpus_package(TWILIO, config=None)  # generated once per run, shared with the other Twilio tests


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


def test_the_package_passes_mypy_strict(twilio: Path, mypy_cache: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), str(twilio / "src")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-2000:]
