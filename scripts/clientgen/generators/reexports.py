"""Re-exports: a model that moved to another module stays importable from the module it was in.

A model moves when it can no longer live in its resource's module (a second top-level
resource uses it: :func:`clientgen.generators.models.plan_modules`).  Code written against
the previous client imports it from the old module, so the old module re-exports it
(``from .shared import ConnectorConn as ConnectorConn``: an explicit re-export, which
``mypy --strict`` accepts) for as long as the content exists; ``names.json`` carries the
old modules from one generation to the next.
"""

from __future__ import annotations

import re
from pathlib import Path

from clientgen.generators.models import SHARED_MODULE, ModelIndex
from clientgen.name_memory import Remembered
from clientgen.render import make_environment

__all__ = ["plan_reexports", "write_reexports"]

_FUTURE = "from __future__ import annotations\n"
_PLAIN_IMPORT = re.compile(r"^from \.(\w+) import ([\w, ]+)\n", re.MULTILINE)  # one line, no ``as``


def plan_reexports(index: ModelIndex, remembered: dict[str, Remembered]) -> dict[str, tuple[str, ...]]:
    """Component -> the modules that re-export its class: where it was before, under the name it kept.

    ``shared`` never re-exports (it imports no resource's module), nor does the generator's ``_internal``.
    """
    aliases: dict[str, tuple[str, ...]] = {}
    for name, entry in sorted(remembered.items()):
        ref = index.get(name)
        if ref is None or ref.class_name != entry.class_name:
            continue
        old = {entry.module, *entry.aliases} - {ref.module, SHARED_MODULE, "_internal"}
        if old:
            aliases[name] = tuple(sorted(old))
    return aliases


def write_reexports(types_dir: Path, index: ModelIndex, aliases: dict[str, tuple[str, ...]], header: str) -> None:
    """Add the re-export imports to each old module (created with the header if it holds no model any more)."""
    by_module: dict[str, list[tuple[str, str]]] = {}
    for name, modules in aliases.items():
        for module in modules:
            by_module.setdefault(module, []).append((index[name].module, index[name].class_name))
    template = make_environment().get_template("package/types/reexports.py.jinja")
    for module, reexports in sorted(by_module.items()):
        block = template.render(reexports=sorted(reexports))
        path = types_dir / f"{module}.py"
        text = path.read_text(encoding="utf-8") if path.is_file() else f"{header}\n\n{_FUTURE}"
        text = _without_plain_imports(text, set(reexports))
        at = text.index(_FUTURE) + len(_FUTURE) if _FUTURE in text else len(text)
        path.write_text(f"{text[:at]}\n{block}{text[at:]}", encoding="utf-8", newline="\n")


def _without_plain_imports(text: str, reexports: set[tuple[str, str]]) -> str:
    """The generator's own ``from .shared import A, X`` without ``X``: the re-export imports it once."""

    def drop(match: re.Match[str]) -> str:
        names = [name.strip() for name in match[2].split(",")]
        kept = [name for name in names if (match[1], name) not in reexports]
        return f"from .{match[1]} import {', '.join(kept)}\n" if kept else ""

    return _PLAIN_IMPORT.sub(drop, text)
