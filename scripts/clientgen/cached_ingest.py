"""The ingested document from the cache: no bundling, no reference, loop or expansion checks on a warm run.

Ingest (:func:`clientgen.ingest.load_source`) parses the document and walks it several times: bundling, the
reference, alias-loop, path and expansion checks (about 0.9 s of CPU for Cloudflare's full description, a
fifth of a warm regeneration).  Its result depends only on the files it reads, so it is stored as
``marshal`` data (which keeps key order, ``1``/``1.0``/``True`` apart and shared objects shared), in two
entries, each with the name and sha256 of every other file ingest read (bundled references beside the spec;
a hit whose other files changed, vanished or cannot be read is a miss):

- keyed by the spec file's bytes (and suffix): the same spec again (``make check`` after ``make generate``)
  costs a read and an unmarshal;
- keyed by the parsed document *without its operations' prose* (:mod:`clientgen.lifted_text`), holding what
  ingest gives for that copy: after an edit of an operation's summary or description (most daily changes)
  the file is parsed, the prose taken out and put back into the stored result.  Ingest never reads prose
  (it bundles references, checks them and the paths, and counts values: each lifted text is one value, so
  the size limit is checked on the stored count plus the texts); a document with a reference into
  ``paths`` (where a text could count more than once) or whose prose has no place to go back to is ingested
  as it is.

When the prose-free entry misses (an edit that is not only prose), a JSON document is ingested by path item
(:mod:`clientgen.cached_ingest_items`): everything but ``paths`` and each path item from their own entries, so
an edit of one operation re-ingests one path item.  On that path the file is parsed without the tree's bounds
check: the prose-free entry's hit checks the whole tree, the pieces check theirs (and the prose apart), the
whole ingest checks the whole tree first.

An entry that does not unpack to the expected shape is ignored (the cache checksums entries too).  A folder
spec is not cached: which files it holds is an input no file's bytes show.
"""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any

from clientgen.cache import Cache, unmarshal
from clientgen.cache_keys import UnkeyableError, document_bytes
from clientgen.cached_ingest_items import ingest_by_items
from clientgen.diagnostics import SpecError
from clientgen.ingest import load_source
from clientgen.ingest.bounds import check_expansion, check_tree
from clientgen.ingest.documents import ingest_document, validate_document
from clientgen.ingest.parsing import DOCUMENT_SUFFIXES, parse_file, recorded_reads
from clientgen.ingest.refs import iter_refs
from clientgen.lifted_text import Lifted, lift_texts
from clientgen.limits import MAX_EXPANDED_VALUES, MAX_FILE_BYTES

__all__ = ["load_source_cached"]

_INGESTED = "ingested"
_WITHOUT_PROSE = "ingested-without-prose"
_Reads = dict[Path, str]


def _bounded_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None when it cannot be read or is over the limit (ingest then says why)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_FILE_BYTES else None


def _unchanged(others: Any, folder: Path) -> bool:
    """``others`` is a list of (name below ``folder``, sha256) pairs, each file still holding those bytes."""
    if not isinstance(others, list):
        return False
    for entry in others:
        if not (isinstance(entry, tuple) and len(entry) == 2 and all(isinstance(part, str) for part in entry)):
            return False
        data = _bounded_bytes(folder / entry[0])
        if data is None or hashlib.sha256(data).hexdigest() != entry[1]:
            return False
    return True


def _unpacked(payload: bytes, folder: Path) -> tuple[Any, ...] | None:
    """The stored values (the other files read first), if the entry has that shape and those files are unchanged."""
    entry = unmarshal(payload)
    if not isinstance(entry, tuple) or len(entry) < 2 or not isinstance(entry[1], dict):
        return None
    return entry if _unchanged(entry[0], folder) else None


def _others(reads: _Reads, main: Path, data: bytes) -> list[tuple[str, str]] | None:
    """The files besides the spec that ingest read, as stored; None when the result must not be stored."""
    others = []
    for path, digest in sorted(reads.items()):
        if path == main:
            if digest != hashlib.sha256(data).hexdigest():  # changed between two reads
                return None
            continue
        if not path.is_relative_to(main.parent):
            return None  # bundling reads only beside the spec; anything else: not stored
        others.append((path.relative_to(main.parent).as_posix(), digest))
    return others


def _refers_into_paths(document: dict[str, Any]) -> bool:
    """A reference to an operation or to what holds one: a lifted text there could count more than once."""
    return any(
        holder["$ref"] in {"#", "#/"} or holder["$ref"].startswith("#/paths") for _, holder in iter_refs(document)
    )


def _holder(document: dict[str, Any], lifted: Lifted) -> dict[str, Any] | None:
    """Where ``lifted`` goes back: its operation, or the one inline parameter of it with the same name and place.

    Ingest puts a path item's parameters before the operation's own (so indices move); the own ones are the
    same objects, and no two of an operation's parameters share a name and place.
    """
    item = document["paths"].get(lifted.path)
    operation = item.get(lifted.method) if isinstance(item, dict) else None
    if not isinstance(operation, dict) or lifted.parameter is None:
        return operation if isinstance(operation, dict) else None
    parameters = operation.get("parameters")
    candidates = parameters if isinstance(parameters, list) else []
    found = [
        parameter
        for parameter in candidates
        if isinstance(parameter, dict)
        and "$ref" not in parameter
        and (parameter.get("name"), parameter.get("in")) == lifted.name
    ]
    return found[0] if len(found) == 1 else None


def _restore(document: dict[str, Any], texts: list[Lifted]) -> bool:
    """Put each text back after the key it followed (first without one); False when one has no place to go."""
    for lifted in texts:
        holder = _holder(document, lifted)
        if holder is None or lifted.key in holder or (lifted.after is not None and lifted.after not in holder):
            return False
        items = list(holder.items())
        at = 0 if lifted.after is None else [key for key, _ in items].index(lifted.after) + 1
        items.insert(at, (lifted.key, lifted.text))
        holder.clear()
        holder.update(items)
    return True


def _tree_checked(spec: Path, root: Any) -> bool:
    """:func:`check_tree` passed (the whole ingest says why it did not)."""
    try:
        check_tree(spec, root)
    except SpecError:
        return False
    return True


def _ingested_whole(spec: Path, document: dict[str, Any]) -> tuple[dict[str, Any], int]:
    ingested = ingest_document(spec, document)
    return ingested, check_expansion(spec, ingested)


def _without_prose(
    spec: Path, data: bytes, cache: Cache, reads: _Reads
) -> tuple[dict[str, Any], list[tuple[str, str]]] | None:
    """The ingested document through the prose-free entry and the other files it read, or None: ingest as it is."""
    by_parts = spec.suffix.lower() == ".json"  # the parsed tree's bounds checked below: by parts where they hit
    try:
        parsed = validate_document(spec, parse_file(spec, checked=not by_parts))
        lifted, texts = lift_texts(parsed)
        key = cache.key(_WITHOUT_PROSE, document_bytes(lifted))  # the file's name is no input of a document's ingest
    except (SpecError, UnkeyableError):
        return None  # refused as it is (the plain ingest says why) or not keyable
    main = spec.resolve()
    payload = cache.get(_WITHOUT_PROSE, key)
    stored = None if payload is None else _unpacked(payload, main.parent)
    if stored is not None and len(stored) == 3 and isinstance(stored[2], int):
        others, document, count = stored
        if by_parts and not _tree_checked(spec, parsed):
            return None
    else:
        by_items = None
        if by_parts and _tree_checked(spec, [text.text for text in texts]):  # the prose apart, the pieces check theirs
            by_items = ingest_by_items(spec, lifted, cache, extra_values=len(texts))
        if by_items is None and by_parts and not _tree_checked(spec, parsed):
            return None
        try:
            document, count = by_items or _ingested_whole(spec, lifted)  # changes ``parsed`` too: not used after
        except SpecError:
            return None
        others = _others(reads, main, data)
        if others is None or (by_items is None and _refers_into_paths(document)):
            return None
        cache.put(_WITHOUT_PROSE, key, marshal.dumps((others, document, count)))
    if count + len(texts) > MAX_EXPANDED_VALUES or not _restore(document, texts):
        return None
    return document, others


def load_source_cached(spec: Path, cache: Cache | None) -> dict[str, Any]:
    """:func:`load_source`, or its earlier result for the same spec file (or the same but for operations' prose)."""
    data = None if cache is None or not spec.is_file() else _bounded_bytes(spec)
    if cache is None or data is None:
        return load_source(spec)
    main = spec.resolve()
    # a document's name is no input of its ingest (its suffix is: how it is parsed); a record's may be
    key = cache.key(_INGESTED, spec.suffix.lower() if spec.suffix.lower() in DOCUMENT_SUFFIXES else spec.name, data)
    payload = cache.get(_INGESTED, key)
    if payload is not None and (stored := _unpacked(payload, main.parent)) is not None and len(stored) == 2:
        document: dict[str, Any] = stored[1]
        return document
    with recorded_reads() as reads:
        found = _without_prose(spec, data, cache, reads) if spec.suffix.lower() in DOCUMENT_SUFFIXES else None
        if found is None:
            document = load_source(spec)
            others = _others(reads, main, data)
        else:
            document, others = found
    if others is not None:
        cache.put(_INGESTED, key, marshal.dumps((others, document)))
    return document
