"""The model generator's output per types module, reused from the cache when that module's input is unchanged.

A module (``types/pages.py``) refers only to itself and to ``shared`` (``plan_modules``), so the generator
writes it the same whether it sees the other modules or not (the two-process split relies on this too).
Its key is the generator's input for that module and ``shared`` (schemas, field aliases, header, base
class); ``shared``'s key is its own input.  A one-operation change misses on the one or two modules it
touches; only those (with ``shared`` as their context) go through the generator again.

A run whose output is not one file per module (the generator moved classes into ``_internal.py``, or an
entry of its metadata is not a component) stores nothing: only clean per-module output is ever reused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clientgen.cache import Cache

__all__ = ["ModuleCache"]

_KIND = "models"


@dataclass
class ModuleCache:
    """The lookup for one generation: which modules were found, which the generator must write."""

    cache: Cache
    keys: dict[str, str]  # module -> key
    found: dict[str, dict[str, Any]] = field(default_factory=dict)  # module -> {"text", "entries"}

    @classmethod
    def lookup(cls, cache: Cache, module_inputs: dict[str, str]) -> ModuleCache:
        """``module_inputs``: module -> the generator's whole input for it (text), from which its key is made."""
        keys = {module: cache.key(_KIND, module, text) for module, text in sorted(module_inputs.items())}
        found = {}
        for module, key in keys.items():
            entry = cache.get_json(_KIND, key)
            if _well_formed(entry):
                found[module] = entry
        return cls(cache=cache, keys=keys, found=found)

    def missing(self) -> set[str]:
        return set(self.keys) - set(self.found)

    def complete(self, types_dir: Path, generated: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """Store the modules just generated, write the found ones into ``types_dir``; every module's entries.

        ``generated``: the metadata entries of what the generator just wrote into ``types_dir`` (the missing
        modules, with ``shared`` as context).  None when that output is not one file per module: then
        nothing is stored and nothing found is used (the caller generates everything without the cache).
        """
        by_module = _entries_by_module(generated)
        missing = self.missing()
        if by_module is None or not _only_module_files(types_dir, missing):
            return None
        entries: list[dict[str, Any]] = []
        for module in sorted(missing):
            path = types_dir / f"{module}.py"
            text = path.read_bytes().decode("utf-8") if path.is_file() else None
            self.cache.put_json(_KIND, self.keys[module], {"text": text, "entries": by_module.get(module, [])})
            entries.extend(by_module.get(module, []))
        types_dir.mkdir(parents=True, exist_ok=True)
        for module, entry in sorted(self.found.items()):
            if entry["text"] is not None:
                (types_dir / f"{module}.py").write_text(entry["text"], encoding="utf-8", newline="")
            entries.extend(entry["entries"])
        return entries


def _well_formed(entry: Any) -> bool:
    if not isinstance(entry, dict) or "text" not in entry:
        return False
    return isinstance(entry["text"], str | None) and isinstance(entry.get("entries"), list)


def _module_of(entry: dict[str, Any]) -> str | None:
    path = entry.get("source_path")
    if isinstance(path, list) and len(path) >= 3 and path[:2] == ["components", "schemas"]:
        module, dot, _ = str(path[2]).partition(".")
        return module if dot else None
    return None


def _entries_by_module(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]] | None:
    """Metadata entries grouped by the module of their component; None when one belongs to none."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        module = _module_of(entry)
        if module is None:
            return None
        grouped.setdefault(module, []).append(entry)
    for module_entries in grouped.values():
        module_entries.sort(key=lambda entry: json.dumps(entry, sort_keys=True))
    return grouped


def _only_module_files(types_dir: Path, modules: set[str]) -> bool:
    """The generator wrote one file per module it was given (and maybe ``__init__.py``), nothing else."""
    expected = {f"{module}.py" for module in modules} | {"__init__.py"}
    written = {path.relative_to(types_dir).as_posix() for path in types_dir.rglob("*") if path.is_file()}
    return written <= expected | {"shared.py"}
