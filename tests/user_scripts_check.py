"""A user script against a generated package: type-checked as a user would, and run against a local server.

``test_keywords.py`` and ``test_form_keywords.py`` each hold a user script written as a user would write it
(no ``cast``, ``type: ignore``, ``model_construct`` or ``Any``), checked with ``mypy --strict`` against the
package, then run against a server on 127.0.0.1 that records what it received.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from live_server import LiveServer

__all__ = ["assert_no_crutches", "assert_type_checks_without_crutches", "mypy_against", "run_script"]

_MYPY = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
_CRUTCHES = (r"\bcast\(", r"type: ignore", r"model_construct", r"\bAny\b")


def mypy_against(tree: Path, script: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` of ``script`` with the package of ``tree`` on its path; one cache per generated tree,
    so the standard library, pydantic, httpx and the package are analysed once per test module."""
    environment = {**os.environ, "MYPYPATH": str(tree / "src")}
    return subprocess.run(
        [*_MYPY, "--cache-dir", str(tree / ".mypy_cache"), str(script)],
        capture_output=True, text=True, check=False, env=environment, timeout=600,
    )  # fmt: skip


def assert_no_crutches(script: Path) -> str:
    """The script's text, which uses none of the ways around the types."""
    text = script.read_text(encoding="utf-8")
    for crutch in _CRUTCHES:
        assert not re.search(crutch, text), f"{script.name}: {crutch}"
    return text


def assert_type_checks_without_crutches(tree: Path, script: Path, tmp_path: Path) -> None:
    """The script uses none of the ways around the types, and passes ``mypy --strict`` as it stands."""
    text = assert_no_crutches(script)
    copy = tmp_path / script.name  # checked from a copy in the test's own folder
    copy.write_text(text, encoding="utf-8")
    result = mypy_against(tree, copy)
    assert result.returncode == 0, result.stdout + result.stderr


def run_script(tree: Path, script: Path, server: LiveServer) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with the package of ``tree`` importable and ``server``'s URL as its argument."""
    environment = {**os.environ, "PYTHONPATH": str(tree / "src")}
    result = subprocess.run(
        [sys.executable, str(script), server.url],
        capture_output=True, text=True, check=False, env=environment, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result
