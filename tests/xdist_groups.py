"""Which tests share a pytest-xdist worker (``make test`` runs ``-n 2``): the hooks ``conftest.py`` re-exports.

A test runs on the worker of its group, and a group is scheduled as one unit:

- an ``xdist_group(name)`` mark names its group (``corpus_packages.corpus_group``: the tests reading one
  generated corpus package, so that the other worker never waits for that generation);
- otherwise, the tests of a module that uses a module-scoped fixture form one group per parameter of
  such fixtures (``test_full_api.py``: one group per spec), so that an expensive module fixture is not
  built once per worker;
- every other test is a unit of its own, and fills the gaps at the end of the run.

pytest-xdist's own ``--dist loadgroup`` does this for marks by renaming the items (``nodeid@group``),
which pytest 9's structured node ids no longer allow: its groups are silently ignored.  So the workers
write the group of each test into a file of this run (``CLIENTGEN_TEST_GROUPS``, set by the controller
before it starts them), and the controller's scheduler reads it: pytest-xdist's ``LoadScopeScheduling``
with those groups as its scopes (largest group first).
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
    "group_of",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_unconfigure",
    "pytest_xdist_make_scheduler",
]

GROUPS_VARIABLE = "CLIENTGEN_TEST_GROUPS"
# Fixtures built once per module (or class): the tests reading one such fixture stay on one worker.
_MODULE_SCOPES = frozenset({"module", "class", "package"})


def _is_controller(config: pytest.Config) -> bool:
    return bool(getattr(config.option, "numprocesses", None)) and not hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    # Registered by pytest-xdist too; here so that the marks are known in a run without it.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one pytest-xdist worker")
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


@pytest.hookimpl(trylast=True)  # after -k and --deselect
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    folder = os.environ.get(GROUPS_VARIABLE)
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not folder or not worker:
        return
    sharing = {item.nodeid.split("::")[0] for item in items if _module_fixtures(item)}
    groups = {item.nodeid: group_of(item, sharing) for item in items}
    partial = Path(folder) / f"{worker}.partial"
    partial.write_text(json.dumps(groups, sort_keys=True), encoding="utf-8")
    partial.replace(Path(folder) / f"{worker}.json")  # whole, or not there


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: called only when it runs the tests
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling  # noqa: PLC0415 - present only when this hook is called

    class GroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
        """LoadScopeScheduling whose scopes are the groups the workers wrote (every worker collects alike)."""

        _groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self._groups is None:
                files = sorted(Path(os.environ[GROUPS_VARIABLE]).glob("*.json"))
                self._groups = json.loads(files[0].read_text(encoding="utf-8")) if files else {}
            return self._groups.get(nodeid, nodeid)

    return GroupScheduling(config, log)
