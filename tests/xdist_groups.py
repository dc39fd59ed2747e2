"""Which tests share a pytest-xdist worker (``make test`` runs ``-n 2``): the hooks ``conftest.py`` re-exports.

A test runs on the worker of its group, and a group is scheduled as one unit:

- an ``xdist_group(name)`` mark names its group (``corpus_packages.corpus_group``: the tests reading one
  generated corpus package, so that the other worker never waits for that generation);
- otherwise, the tests of a module that uses a module-scoped fixture form one group per parameter of
  such fixtures (``test_full_api.py``: one group per spec), so that an expensive module fixture is not
  built once per worker;
- every other test is a unit of its own, and fills the gaps at the end of the run.

The units start longest first, so that the two workers end together: a ``long_running(seconds)`` mark says
about how long its test's unit takes (CPU seconds on an idle machine, the largest mark of a unit counts), and
the marked units start first, longest first, then the others by number of tests.  A worker runs a test only
once it has the next one, so a worker busy with a long-running test is handed the smallest unit left (the
last one), not the next long one, which would wait behind it while the other worker runs out of work.  The
mark only orders the run: no test is ever deselected by it.

pytest-xdist's own ``--dist loadgroup`` does this for marks by renaming the items (``nodeid@group``),
which pytest 9's structured node ids no longer allow: its groups are silently ignored.  So the workers
write the group of each test into a file of this run (``CLIENTGEN_TEST_GROUPS``, set by the controller
before it starts them), and the controller's scheduler reads it: pytest-xdist's ``LoadScopeScheduling``
with those groups as its scopes, in the order above.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "LONG_RUNNING",
    "group_of",
    "next_unit",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_unconfigure",
    "pytest_xdist_make_scheduler",
    "unit_order",
]

GROUPS_VARIABLE = "CLIENTGEN_TEST_GROUPS"
LONG_RUNNING = "long_running"
# Fixtures built once per module (or class): the tests reading one such fixture stay on one worker.
_MODULE_SCOPES = frozenset({"module", "class", "package"})


def _is_controller(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    # Registered by pytest-xdist too; here so that the marks are known in a run without it.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one pytest-xdist worker")
    config.addinivalue_line(
        "markers",
        f"{LONG_RUNNING}(seconds): about the CPU seconds of this test's unit; the longest units start first"
        " (it only orders the run, never deselects)",
    )
    if _is_controller(config):  # the workers start later and inherit the variable
        os.environ[GROUPS_VARIABLE] = tempfile.mkdtemp(prefix="clientgen-test-groups-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _is_controller(config) and GROUPS_VARIABLE in os.environ:
        shutil.rmtree(os.environ.pop(GROUPS_VARIABLE), ignore_errors=True)


def _module_fixtures(item: pytest.Item) -> list[str]:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return []
    return sorted(name for name, defs in info.name2fixturedefs.items() if defs and defs[-1].scope in _MODULE_SCOPES)


def group_of(item: pytest.Item, sharing_modules: set[str]) -> str:
    """The scheduling unit of ``item``: its ``xdist_group``, its module's fixture group, or its own node id."""
    marks = sorted(str(mark.args[0] if mark.args else mark.kwargs["name"]) for mark in item.iter_markers("xdist_group"))
    if marks:
        return "group:" + "_".join(marks)
    module = item.nodeid.split("::")[0]
    if module not in sharing_modules:
        return item.nodeid
    indices: dict[str, int] = getattr(getattr(item, "callspec", None), "indices", {})
    return "-".join([module, *(f"{name}{indices[name]}" for name in _module_fixtures(item) if name in indices)])


def seconds_of(item: pytest.Item) -> float:
    """The ``long_running`` estimate of ``item`` (0 without the mark)."""
    return max((float(mark.args[0]) for mark in item.iter_markers(LONG_RUNNING)), default=0.0)


def unit_order(units: dict[str, list[str]], seconds: dict[str, float]) -> list[str]:
    """The units (group -> its node ids, as collected) in the order to start them: the long-running ones
    first, longest first, then by number of tests, largest first; ties as collected."""
    position = {unit: index for index, unit in enumerate(units)}
    return sorted(units, key=lambda unit: (-seconds.get(unit, 0.0), -len(units[unit]), position[unit]))


def next_unit(queue: list[str], seconds: dict[str, float], pending: list[str]) -> str:
    """The unit of ``queue`` to hand a worker whose unfinished units are ``pending``: the first, or the last
    (smallest) one while it runs a long-running unit, only so that it can start that one (it waits for its
    next test); the next long unit then goes to the worker that is free first."""
    return queue[-1] if any(seconds.get(unit, 0.0) for unit in pending) else queue[0]


@pytest.hookimpl(trylast=True)  # after -k and --deselect
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    folder = os.environ.get(GROUPS_VARIABLE)
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not folder or not worker:
        return
    sharing = {item.nodeid.split("::")[0] for item in items if _module_fixtures(item)}
    groups = {item.nodeid: group_of(item, sharing) for item in items}
    seconds: dict[str, float] = {}
    for item in items:
        if estimate := seconds_of(item):
            seconds[groups[item.nodeid]] = max(estimate, seconds.get(groups[item.nodeid], 0.0))
    partial = Path(folder) / f"{worker}.partial"
    partial.write_text(json.dumps({"groups": groups, "seconds": seconds}, sort_keys=True), encoding="utf-8")
    partial.replace(Path(folder) / f"{worker}.json")  # whole, or not there


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: called only when it runs the tests
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling  # noqa: PLC0415 - present only when this hook is called

    class GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """LoadScopeScheduling whose scopes are the groups the workers wrote (every worker collects alike),
        started longest first."""

        _groups: dict[str, str] | None = None
        _seconds: dict[str, float]
        _ordered = False

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                files = sorted(Path(os.environ[GROUPS_VARIABLE]).glob("*.json"))
                written = json.loads(files[0].read_text(encoding="utf-8")) if files else {}
                self._groups, self._seconds = written.get("groups", {}), written.get("seconds", {})
            return self._groups.get(nodeid, nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            if not self._ordered:  # the queue as xdist built it (by number of tests), reordered once
                self._ordered = True
                units = {unit: list(tests) for unit, tests in self.workqueue.items()}
                for unit in unit_order(units, self._seconds):
                    self.workqueue.move_to_end(unit)
            pending = [unit for unit, tests in self.assigned_work.get(node, {}).items() if not all(tests.values())]
            self.workqueue.move_to_end(next_unit(list(self.workqueue), self._seconds, pending), last=False)
            super()._assign_work_unit(node)  # hands out the first unit of the queue

    return GroupScheduling(config, log)
