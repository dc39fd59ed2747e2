"""Per-file results from the cache: ruff's output keyed by the unformatted text, compile checks by the content.

Two narrow hooks for :mod:`clientgen.project`: before a step, :func:`take_formatted` / :func:`take_compiled`
settle the files the cache knows and return the rest (with their keys); after the step succeeded on the
rest, :func:`store_formatted` / :func:`store_compiled` remember them.  Only successes are stored: a file
that does not compile is never in the cache, so it fails again.
"""

from __future__ import annotations

from pathlib import Path

from clientgen.cache import Cache
from clientgen.cached_batch import Batch

__all__ = [
    "Pending",
    "Settled",
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


class Settled:
    """Files written with their final text, known without reading them back: one write and no read per file.

    :meth:`write` looks a Python module's rendered text up in ruff's results before writing it: a hit writes
    the formatted text at once (instead of the rendered one, read back and rewritten by :func:`take_formatted`).
    :attr:`final` holds each module whose final bytes are known (written formatted here, or settled by
    :func:`take_formatted`): ruff leaves those alone.  :attr:`unformatted`: each module looked up in vain, with
    its key (not looked up again).
    """

    def __init__(self, cache: Cache, root: Path, settings: str) -> None:
        self.cache, self.root, self.settings = cache, root, settings
        self.final: dict[Path, bytes] = {}
        self.unformatted: dict[Path, str] = {}
        self._folders: set[Path] = set()  # created already: no mkdir per file

    def write(self, path: Path, text: str) -> None:
        data = text.encode("utf-8")  # as ``write_text(encoding="utf-8", newline="\n")`` writes it
        if path.suffix == ".py":
            key = self.cache.key(_FORMATTED, self.settings, path.relative_to(self.root).as_posix(), data)
            formatted = self.cache.get(_FORMATTED, key)
            if formatted is None:
                self.final.pop(path, None)  # written again unformatted: ruff formats it
                self.unformatted[path] = key
            else:
                self.unformatted.pop(path, None)
                data = self.final[path] = formatted
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        path.write_bytes(data)


def take_formatted(
    cache: Cache, files: list[Path], root: Path, settings: str, settled: Settled | None = None
) -> Pending:
    """Replace each file the cache has formatted before (same text, name and settings); return the others.

    The name is part of the key: ruff treats ``__init__.py`` differently (unused imports are re-exports).
    ``settled``: its final files are skipped (formatted already); the files settled here are added to it.
    """
    pending: Pending = []
    for path in files:
        if settled is not None and path in settled.final:
            continue
        if settled is not None and path in settled.unformatted:
            pending.append((path, settled.unformatted[path]))
            continue
        text = path.read_bytes()
        key = cache.key(_FORMATTED, settings, path.relative_to(root).as_posix(), text)
        formatted = cache.get(_FORMATTED, key)
        if formatted is None:
            pending.append((path, key))
            continue
        if formatted != text:
            path.write_bytes(formatted)
        if settled is not None:
            settled.final[path] = formatted
    return pending


def store_formatted(cache: Cache, pending: Pending) -> None:
    for path, key in pending:
        cache.put(_FORMATTED, key, path.read_bytes())


def take_compiled(cache: Cache, files: list[Path], package: str) -> tuple[Pending, Batch]:
    """The files whose exact content has not compiled before (the check is the same for any name).

    Each is read from the disk, whatever is known of it: the last line of defence checks what will be moved in.
    The verdicts of ``package`` are kept together (:class:`Batch`: one read, not one per file); pass the batch
    to :func:`store_compiled`.
    """
    batch = Batch(cache, _COMPILED, package)
    pending: Pending = []
    for path in files:
        key = cache.key(_COMPILED, path.read_bytes())
        if batch.get(key) != _OK:
            pending.append((path, key))
    return pending, batch


def store_compiled(batch: Batch, pending: Pending) -> None:
    """Remember the files that compiled, and keep the batch (also when all were known: it is saved if new)."""
    for _, key in pending:
        batch.put(key, _OK)
    batch.save()
