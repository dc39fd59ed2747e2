"""The ingested document from the cache, keyed by the spec file's bytes: no parse, no reference checks.

Ingest (:func:`clientgen.ingest.load_source`) parses the document and walks it several times: bundling, the
reference, alias-loop, path and expansion checks (about 0.9 s of CPU for Cloudflare's full description, a
fifth of a warm regeneration).  Its result depends only on the files it reads, so it is stored as
``marshal`` data (which keeps key order, ``1``/``1.0``/``True`` apart and shared objects shared) under a key
made of the spec file's name and bytes, with the name and sha256 of every other file it read (bundled
references beside the spec).  A hit whose other files changed, vanished or cannot be read is a miss; an
entry that does not unpack to that shape is ignored (the cache checksums entries too).  A folder spec is
not cached: which files it holds is an input no file's bytes show.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any

from clientgen.cache import Cache
from clientgen.ingest import load_source
from clientgen.ingest.parsing import recorded_reads
from clientgen.limits import MAX_FILE_BYTES

__all__ = ["load_source_cached"]

_INGESTED = "ingested"


def _bounded_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it cannot be read or is over the limit (ingest then says why)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_FILE_BYTES else None


def _unpacked(payload: bytes, folder: Path) -> dict[str, Any] | None:
    """The stored document, if the entry has the expected shape and every other file read is unchanged."""
    try:
        others, document = marshal.loads(payload)  # noqa: S302 - our own checksummed entry, plain data only
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(document, dict) or not isinstance(others, list):
        return None
    for entry in others:
        if not (isinstance(entry, tuple) and len(entry) == 2 and all(isinstance(part, str) for part in entry)):
            return None
        data = _bounded_bytes(folder / entry[0])
        if data is None or hashlib.sha256(data).hexdigest() != entry[1]:
            return None
    return document


def load_source_cached(spec: Path, cache: Cache | None) -> dict[str, Any]:
    """:func:`load_source`, or its earlier result for the same spec file and the same files it bundled."""
    data = None if cache is None or not spec.is_file() else _bounded_bytes(spec)
    if cache is None or data is None:
        return load_source(spec)
    main = spec.resolve()
    key = cache.key(_INGESTED, spec.name, data)
    payload = cache.get(_INGESTED, key)
    if payload is not None and (document := _unpacked(payload, main.parent)) is not None:
        return document
    with recorded_reads() as reads:
        document = load_source(spec)
    others = []
    for path, digest in sorted(reads.items()):
        if path == main:
            if digest != hashlib.sha256(data).hexdigest():  # changed between the two reads: not stored
                return document
            continue
        if not path.is_relative_to(main.parent):
            return document  # bundling reads only beside the spec; anything else: not stored
        others.append((path.relative_to(main.parent).as_posix(), digest))
    cache.put(_INGESTED, key, marshal.dumps((others, document)))
    return document
