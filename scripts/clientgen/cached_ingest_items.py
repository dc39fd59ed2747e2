"""The ingested document from per-path-item cache entries: an edit of one operation re-ingests one path item.

:mod:`clientgen.ingest.by_item` splits ingest into the rest of the document and each path item; here each
piece's result is stored (``marshal``: exact, data only):

- the rest (everything but ``paths``, with ``paths``' place) under its content;
- each path item's result under (its path, its content), in one pack per rest key (its result depends on
  nothing else): one read and at most one write a run, not one file per path item (creating ~1,000 files cost
  more than the ingest they save);
- the alias-loop check's success under (the rest's key, every reference target): a warm run whose targets did
  not change does not walk the loops again.

An entry or a pack's record that does not unpack to the expected shape is ignored (the cache checksums entries
too) and the piece ingested again.  Where the document cannot be ingested by item, or any piece is refused,
:func:`ingest_by_items` returns None and the caller ingests the whole document as it is: a refusal's message is
always the whole ingest's, and a hostile item is refused exactly as without the cache.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from clientgen.cache import Cache, content_key, unmarshal
from clientgen.cache_keys import UnkeyableError, document_bytes
from clientgen.cached_batch import stored_mapping
from clientgen.ingest.by_item import (
    Item,
    ItemContext,
    Rest,
    alias_targets_of,
    assemble,
    ingest_item,
    ingest_rest,
    rest_of,
)

__all__ = ["ingest_by_items"]

_REST = "ingested-rest"
_ITEMS = "ingested-items"  # {content_key(path, item bytes): the item's record}, per rest key
_NO_LOOPS = "ingested-no-alias-loop"
_FIELDS = 7


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(text, str) for text in value)


def _integers(*values: Any) -> bool:
    return all(type(value) is int and value >= 0 for value in values)


def _skipped(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(entry, dict) and all(isinstance(text, str) for text in (*entry, *entry.values())) for entry in value
    )


def _unpacked(payload: bytes | None) -> tuple[Any, ...] | None:
    entry = unmarshal(payload)
    return entry if isinstance(entry, tuple) and len(entry) == _FIELDS else None


def _read_rest(payload: bytes | None) -> Rest | None:
    entry = _unpacked(payload)
    if entry is None:
        return None
    document, targets, names, kept, count, cyclic, values = entry
    if not (isinstance(document, dict) and document.get("paths") == {} and _integers(count, values)):
        return None
    if not all(_strings(value) for value in (targets, names, kept, cyclic)):
        return None
    return Rest(document, targets, names, kept, count, cyclic, values)


def _read_item(payload: bytes | None) -> Item | None:
    entry = _unpacked(payload)
    if entry is None:
        return None
    item, skipped, targets, names, count, cyclic, values = entry
    if not (isinstance(item, dict) or item is None) or not _integers(count, values) or not _skipped(skipped):
        return None
    if not all(_strings(value) for value in (targets, names, cyclic)):
        return None
    return Item(item, skipped, targets, names, count, cyclic, values)


def _pack_rest(rest: Rest) -> bytes:
    return marshal.dumps((rest.document, rest.targets, rest.names, rest.kept, rest.count, rest.cyclic, rest.values))


def _pack_item(found: Item) -> bytes:
    fields = (found.item, found.skipped, found.targets, found.names, found.count, found.cyclic, found.values)
    return marshal.dumps(fields)


def ingest_by_items(
    spec: Path, document: dict[str, Any], cache: Cache, *, extra_values: int = 0
) -> tuple[dict[str, Any], int] | None:
    """The ingested document (a new one: ``document`` is not changed) and its expanded count, or None.

    ``document``: parsed from the JSON file ``spec`` (its tree's bounds not checked: the pieces check theirs) and
    validated; ``extra_values``: values of the file checked apart.  None: ingest the whole document instead.
    """
    paths = document["paths"]
    if spec.suffix.lower() != ".json" or any(not isinstance(path, str) or "?" in path or "#" in path for path in paths):
        return None  # YAML aliases share objects between items; odd paths move operations between items
    rest_input = rest_of(document)
    try:
        rest_key = cache.key(_REST, document_bytes(rest_input))
        item_keys = [(path, content_key(path, document_bytes(item))) for path, item in paths.items()]
    except UnkeyableError:
        return None
    try:
        return _ingest(spec, (paths, rest_input), (rest_key, item_keys), cache, extra_values)
    except Exception:  # noqa: BLE001 - any failure of a piece: the whole ingest runs and says (or raises) what it does
        return None


def _ingest(
    spec: Path,
    inputs: tuple[dict[str, Any], dict[str, Any]],
    keys: tuple[str, list[tuple[str, str]]],
    cache: Cache,
    extra_values: int,
) -> tuple[dict[str, Any], int]:
    paths, rest_input = inputs
    rest_key, item_keys = keys
    rest = _read_rest(cache.get(_REST, rest_key))
    if rest is None:
        rest = ingest_rest(spec, rest_input)
        cache.put(_REST, rest_key, _pack_rest(rest))
    context: ItemContext | None = None
    items: list[tuple[str, Item]] = []
    pack_key = cache.key(_ITEMS, rest_key)
    stored = stored_mapping(cache.get(_ITEMS, pack_key), str, bytes)
    records: dict[str, bytes] = {}
    for path, key in item_keys:
        record = stored.get(key)
        found = None if record is None else _read_item(record)
        if found is None or record is None:
            context = context or ItemContext(spec, rest)
            found = ingest_item(context, path, paths[path])
            record = _pack_item(found)
        records[key] = record
        items.append((path, found))
    if records != stored:  # only this document's items: an edited item's old record goes
        cache.put(_ITEMS, pack_key, marshal.dumps(records))
    loops_key = cache.key(_NO_LOOPS, rest_key, "\0".join(alias_targets_of(rest, items)))
    loops_checked = cache.get(_NO_LOOPS, loops_key) is not None
    ingested = assemble(spec, rest, items, loops_checked=loops_checked, extra_values=extra_values)
    if not loops_checked:
        cache.put(_NO_LOOPS, loops_key, b"")
    return ingested
