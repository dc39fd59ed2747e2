"""A content-keyed cache of the costly steps' results, outside the output folder: incremental regeneration.

A generation after a small spec change recomputes only what that change touched: the model
generator's output per types module (keyed by the module's input schemas), ruff's output per file
(keyed by the unformatted text) and the compile check per file (keyed by its content).  Every key
also hashes :func:`fingerprint`: clientgen's own source and templates, the Python version and the
versions of datamodel-code-generator, ruff and pydantic, so a new tool or an edited template
misses instead of returning what an older one wrote.

Entries are never trusted: each file holds a checksum of its payload, and one that does not match
(truncated, edited, from another format) is ignored and deleted, then recomputed and rewritten.
Writes go to a temporary file in the same folder and are renamed into place, so concurrent runs
see a whole entry or none.  The output is byte-identical with or without the cache.

The cache is bounded (:meth:`Cache.settle`, after a generation or a check): a hit renews its entry's
modification time, and once a run's writes since the last pruning pass a quarter of the limit, the least
recently used entries are deleted until the folder holds at most the limit, never one this run used.  A full
Cloudflare generation fills about 71 MB, a one-day change adds a few; the default 1 GiB keeps about a dozen
full generations.  Warm runs write little, so they rarely walk the folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import marshal
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_CACHE_DIR", "DEFAULT_CACHE_LIMIT", "Cache", "content_key", "fingerprint", "unmarshal"]

DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[2] / ".clientgen-cache"  # in the project, gitignored
_SOURCE = Path(__file__).resolve().parent
_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_TOOLS = ("datamodel-code-generator", "ruff", "pydantic", "jinja2")
DEFAULT_CACHE_LIMIT = 1024 * 1024 * 1024  # bytes: about a dozen full Cloudflare generations
_LEDGER = "written-since-pruning"  # bytes written by the runs since the last pruning, a decimal number
_MAGIC = b"clientgen-cache 1 "  # format version; then the payload's sha256 and a newline, then the payload


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


@functools.cache
def fingerprint() -> str:
    """What every result depends on besides its own input: clientgen's code and templates, the tools' versions."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for tool in _TOOLS:
        digest.update(f"\0{tool}={_version(tool)}".encode())
    for folder in (_SOURCE, _TEMPLATES):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(*parts: str | bytes) -> str:
    """One sha256 over the parts, each length-prefixed (``("ab", "c")`` and ``("a", "bc")`` differ)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


class Cache:
    """Entries under ``root/<kind>/<key[:2]>/<key>``; ``root`` is created on the first write."""

    def __init__(self, root: Path, *, tools: str | None = None, limit: int = DEFAULT_CACHE_LIMIT) -> None:
        self.root = root
        self.tools = fingerprint() if tools is None else tools  # tests pass another to see it invalidate
        self.limit = limit
        self.hits = 0
        self.misses = 0
        self.written = 0  # bytes this run stored
        self.lookups: Counter[tuple[str, bool]] = Counter()  # (kind, hit) -> lookups: what tests and reports count
        self._used: set[Path] = set()  # entries this run read or wrote: never pruned by it

    def key(self, kind: str, *parts: str | bytes) -> str:
        return content_key(kind, self.tools, *parts)

    def count(self, kind: str, *, hit: bool) -> None:
        """Count a lookup of ``kind`` (here, or of a value kept inside an entry: :mod:`clientgen.cached_batch`)."""
        self.lookups[kind, hit] += 1

    def _path(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload stored under ``key``, or None: absent, or failing its checksum (then deleted)."""
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            self.count(kind, hit=False)
            return None
        header, newline, payload = data.partition(b"\n")
        if not newline or header != _MAGIC + hashlib.sha256(payload).hexdigest().encode():
            with contextlib.suppress(OSError):  # another run may have replaced or removed it meanwhile
                path.unlink()
            self.misses += 1
            self.count(kind, hit=False)
            return None
        self.hits += 1
        self.count(kind, hit=True)
        self._used.add(path)
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: the last to be pruned
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store atomically (temporary file + rename); a cache that cannot be written is only slower."""
        path = self._path(kind, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=path.parent)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(_MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
                Path(temporary).replace(path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return
        self.written += len(payload)
        self._used.add(path)

    def get_text(self, kind: str, key: str) -> str | None:
        payload = self.get(kind, key)
        return None if payload is None else payload.decode("utf-8")

    def put_text(self, kind: str, key: str, text: str) -> None:
        self.put(kind, key, text.encode("utf-8"))

    def get_json(self, kind: str, key: str) -> Any:
        payload = self.get(kind, key)
        return None if payload is None else json.loads(payload)

    def put_json(self, kind: str, key: str, data: Any) -> None:
        """Keys in their order: an ordered document read back is the same document."""
        self.put(kind, key, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def settle(self) -> int:
        """After a run: add its writes to the ledger and, past a quarter of the limit since the last pruning, prune.

        Returns the number of entries deleted.  A cache that cannot be read or written is left as it is.
        """
        ledger = self.root / _LEDGER
        try:
            since = int(ledger.read_text(encoding="ascii")) + self.written
        except (OSError, ValueError):  # absent (a new cache) or damaged: count from this run
            since = self.written
        due = since > self.limit // 4
        deleted = self.prune() if due else 0
        if self.written or due:
            with contextlib.suppress(OSError):
                ledger.write_text("0" if due else str(since), encoding="ascii")
        return deleted

    def prune(self) -> int:
        """Delete the least recently used entries until the folder holds at most ``limit`` bytes.

        Only entries (``<kind>/<xx>/<key>``) are deleted, never one this run used, never anything else; the
        number deleted is returned.
        """
        entries: list[tuple[float, str, int, Path]] = []
        total = 0
        for path in _entries(self.root):
            try:
                status = path.stat()
            except OSError:
                continue
            total += status.st_size
            if path not in self._used:
                entries.append((status.st_mtime, path.as_posix(), status.st_size, path))
        deleted = 0
        for _, _, size, path in sorted(entries):
            if total <= self.limit:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
                deleted += 1
        return deleted


def _entries(root: Path) -> list[Path]:
    """The entry files under ``root/<kind>/<xx>/``: the layout :meth:`Cache.put` writes, nothing else."""
    found: list[Path] = []
    for kind in _folders(root):
        for shard in _folders(Path(kind.path)):
            if len(shard.name) == 2:  # key[:2]
                found.extend(
                    Path(entry.path)
                    for entry in _listing(Path(shard.path))
                    if entry.is_file(follow_symlinks=False) and not entry.name.startswith(".partial-")
                )
    return found


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except OSError:
        return []


def _folders(folder: Path) -> list[os.DirEntry[str]]:
    return [entry for entry in _listing(folder) if entry.is_dir(follow_symlinks=False)]


def unmarshal(payload: bytes | None) -> Any:
    """The value of a ``marshal`` entry whose checksum passed, or None when absent or not marshal data.

    The entries are our own; marshal makes values (and code objects, which only the template cache asks for).
    """
    if payload is None:
        return None
    try:
        return marshal.loads(payload)  # noqa: S302 - our own checksummed entry
    except (EOFError, ValueError, TypeError):
        return None
