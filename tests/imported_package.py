"""A generated package imported from its ``src`` folder for the length of a fixture, then forgotten."""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

__all__ = ["imported_package"]


@contextlib.contextmanager
def imported_package(src: Path, package: str) -> Iterator[ModuleType]:
    """``package`` imported from ``src``; on exit ``src`` leaves ``sys.path`` and its modules ``sys.modules``."""
    sys.path.insert(0, str(src))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(src))
        for name in [name for name in sys.modules if name.split(".")[0] == package]:
            del sys.modules[name]
