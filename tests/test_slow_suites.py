"""``make test`` leaves the slow tests out and says which and why; ``make test-slow`` and CI run them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
_CONFTEST = f"""
import sys
sys.path.insert(0, {str(REPO / "tests")!r})
from slow_suites import pytest_deselected, pytest_terminal_summary, register
from xdist_groups import pytest_collection_modifyitems, pytest_unconfigure, pytest_xdist_make_scheduler
from xdist_groups import pytest_configure as configure_groups


def pytest_configure(config):
    register(config)
    configure_groups(config)
"""
_TESTS = """
import pytest


def test_quick():
    pass


@pytest.mark.slow("walks every daily version")
def test_chain():
    pass
"""


def _pytest(folder: Path, *options: str) -> str:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    environment.pop("CLIENTGEN_TEST_GROUPS", None)  # this run's own, not the enclosing run's
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
        env=environment,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / "conftest.py").write_text(_CONFTEST, encoding="utf-8")
    (tmp_path / "test_sample.py").write_text(_TESTS, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("workers", ["0", "2"])
def test_what_make_test_leaves_out_is_named_with_its_reason(suite: Path, workers: str) -> None:
    output = _pytest(suite, "-n", workers, "-m", "not slow")
    assert re.search(r"^1 passed\b", output, re.MULTILINE)  # pytest-xdist's controller counts no deselected
    assert "1 slow test not run here: `make test-slow` runs them" in output
    assert re.search(r"^SLOW test_sample\.py::test_chain: walks every daily version$", output, re.MULTILINE)


def test_the_slow_run_runs_them_and_names_nothing(suite: Path) -> None:
    output = _pytest(suite, "-n", "0", "-m", "slow")
    assert "1 passed, 1 deselected" in output
    assert "SLOW " not in output


def test_ci_runs_both_halves() -> None:
    lines = [line.strip() for line in (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert "make test" in lines
    assert "make test-slow" in lines
