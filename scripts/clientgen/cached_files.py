"""Per-file results from the cache: ruff's output keyed by the unformatted text, compile checks by the content.

Also :func:`dumped_json`: the text of a large JSON file (the normalized document) keyed by the exact data.

Two narrow hooks for :mod:`clientgen.project`: before a step, :func:`take_formatted` / :func:`take_compiled`
settle the files the cache knows and return the rest (with their keys); after the step succeeded on the
rest, :func:`store_formatted` / :func:`store_compiled` remember them.  Only successes are stored: a file
that does not compile is never in the cache, so it fails again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from clientgen.cache import Cache
from clientgen.cache_keys import UnkeyableError, document_bytes

__all__ = [
    "Pending",
    "dumped_json",
    "python_files",
    "store_compiled",
    "store_formatted",
    "take_compiled",
    "take_formatted",
]

Pending = list[tuple[Path, str]]  # a file the step must still process, and the key of its result
_FORMATTED = "ruff"
_COMPILED = "compiled"
_OK = b"ok"


def python_files(paths: list[Path]) -> list[Path]:
    """The Python files ruff would visit in ``paths`` (files and folders), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(child for child in path.rglob("*.py") if child.is_file())
        elif path.suffix == ".py":
            found.add(path)
    return sorted(found)


def take_formatted(cache: Cache, files: list[Path], root: Path, settings: str) -> Pending:
    """Replace each file the cache has formatted before (same text, name and settings); return the others.

    The name is part of the key: ruff treats ``__init__.py`` differently (unused imports are re-exports).
    """
    pending: Pending = []
    for path in files:
        text = path.read_bytes()
        key = cache.key(_FORMATTED, settings, path.relative_to(root).as_posix(), text)
        formatted = cache.get(_FORMATTED, key)
        if formatted is None:
            pending.append((path, key))
        elif formatted != text:
            path.write_bytes(formatted)
    return pending


def store_formatted(cache: Cache, pending: Pending) -> None:
    for path, key in pending:
        cache.put(_FORMATTED, key, path.read_bytes())


def take_compiled(cache: Cache, files: list[Path]) -> Pending:
    """The files whose exact content has not compiled before (the check is the same for any name)."""
    pending: Pending = []
    for path in files:
        key = cache.key(_COMPILED, path.read_bytes())
        if cache.get(_COMPILED, key) != _OK:
            pending.append((path, key))
    return pending


def store_compiled(cache: Cache, pending: Pending) -> None:
    for _, key in pending:
        cache.put(_COMPILED, key, _OK)


_DUMPED = "json-text"


def dumped_json(cache: Cache | None, name: str, data: Any, dump: Callable[[Any], str]) -> str:
    """``dump(data)``, or the text it gave before for the same data (``name`` says which dump: part of the key)."""
    if cache is None:
        return dump(data)
    try:
        key = cache.key(_DUMPED, name, document_bytes(data))
    except UnkeyableError:
        return dump(data)
    text = cache.get_text(_DUMPED, key)
    if text is None:
        text = dump(data)
        cache.put_text(_DUMPED, key, text)
    return text
