"""A package generated from a spec document in a test's folder; imported from its ``src`` folder for the length
of a fixture, then forgotten."""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from clientgen.project import write_tree

__all__ = ["generated_package", "imported_package"]


@contextlib.contextmanager
def imported_package(src: Path, package: str) -> Iterator[ModuleType]:
    """``package`` imported from ``src``; on exit ``src`` leaves ``sys.path`` and its modules ``sys.modules``.

    A package of the same name imported earlier in this process (``generated/src``'s, another test's tree) is set
    aside meanwhile and put back after: otherwise ``import_module`` would hand back that other tree's modules.
    """
    earlier = {name: sys.modules.pop(name) for name in [name for name in sys.modules if name.split(".")[0] == package]}
    sys.path.insert(0, str(src))
    importlib.invalidate_caches()
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(src))
        for name in [name for name in sys.modules if name.split(".")[0] == package]:
            del sys.modules[name]
        sys.modules.update(earlier)


def generated_package(root: Path, spec: dict[str, Any], import_name: str, distribution: str) -> Path:
    """``spec`` generated into ``root / "out"`` with a config naming only the package; the output folder."""
    (root / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    config = f'[package]\nimport_name = "{import_name}"\ndistribution = "{distribution}"\n'
    (root / "config.toml").write_text(config, encoding="utf-8")
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    return root / "out"
