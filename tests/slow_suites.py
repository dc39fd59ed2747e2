"""Slow suites: ``make test`` leaves them out, ``make test-slow`` runs them, CI (``.ci/run``) runs both.

A ``slow(reason)`` mark puts a test in them (issue 14: ``make test`` under 8 minutes on two cores with the
corpus; split behind a marker only where CI still runs everything).  ``make test`` selects ``-m "not slow"``,
and its summary names each test left out and why, so that nobody reads a green run as the whole suite.  With
pytest-xdist the workers deselect; each writes what it left out into the run's folder (``CLIENTGEN_TEST_GROUPS``,
``xdist_groups.py``) and the controller prints it once.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from xdist_groups import GROUPS_VARIABLE

if TYPE_CHECKING:
    import pytest

__all__ = ["SLOW", "pytest_deselected", "pytest_terminal_summary", "register"]

SLOW = "slow"
_left_out: dict[str, str] = {}  # node id -> the mark's reason, in this process


def register(config: pytest.Config) -> None:
    """The mark, for ``pytest_configure``."""
    config.addinivalue_line(
        "markers",
        f"{SLOW}(reason): left out by `make test` (-m 'not slow'), run by `make test-slow`; CI runs both",
    )


def _reason(item: pytest.Item) -> str:
    mark = item.get_closest_marker(SLOW)
    return str(mark.args[0]) if mark is not None and mark.args else "marked slow"


def pytest_deselected(items: list[pytest.Item]) -> None:
    slow = {item.nodeid: _reason(item) for item in items if item.get_closest_marker(SLOW) is not None}
    if not slow:
        return
    _left_out.update(slow)
    folder = os.environ.get(GROUPS_VARIABLE)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if folder and worker:  # the controller prints the summary: hand it over (every worker collects alike)
        partial = Path(folder) / f"slow-{worker}.partial"
        partial.write_text(json.dumps(_left_out, sort_keys=True), encoding="utf-8")
        partial.replace(Path(folder) / f"slow-{worker}.json")


def _everything_left_out() -> dict[str, str]:
    found = dict(_left_out)
    folder = os.environ.get(GROUPS_VARIABLE)
    if folder and Path(folder).is_dir():
        for written in sorted(Path(folder).glob("slow-*.json")):
            found.update(json.loads(written.read_text(encoding="utf-8")))
    return found


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reporter = terminalreporter
    left_out = _everything_left_out()
    if not left_out:
        return
    count = "1 slow test" if len(left_out) == 1 else f"{len(left_out)} slow tests"
    reporter.write_sep("=", f"{count} not run here: `make test-slow` runs them (CI runs both)")
    for nodeid, reason in sorted(left_out.items()):
        reporter.write_line(f"SLOW {nodeid}: {reason}")
