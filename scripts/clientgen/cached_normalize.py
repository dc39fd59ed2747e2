"""The normalizer's result from the cache: whole when its input is unchanged, else path item by path item.

The whole document's key is the ingested document (pickled: exact types and key order, so ``{1: x}`` and
``{"1": x}`` differ), the names source and the previous generation's name memory; the entry (marshal: data
only, exact) is the normalized document, the diagnostics the passes added and the name keys hoisting set.
An edit of an operation's prose (summary, description, a parameter's description; changed, added or removed)
hits it: the prose is taken out of the normalizer's input (:mod:`clientgen.lifted_text`) and put back after.
Any other change misses it and normalizes by path items (:mod:`clientgen.normalize.parts`): each item's part
is cached under the item and the rest of the document, its naming hints under their digest, the names
contest's result under its inputs' digest; an unchanged item's part is reused, a changed one made again.
"""

from __future__ import annotations

import json
import marshal
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clientgen.cache import Cache, unmarshal
from clientgen.cache_keys import UnkeyableError, document_bytes
from clientgen.diagnostics import Diagnostic, Diagnostics, Level
from clientgen.lifted_text import lift_texts, restore_texts
from clientgen.name_memory import NameMemory, names_json
from clientgen.normalize import normalize
from clientgen.normalize.part_run import source_digest_of
from clientgen.normalize.parts import Reuse, normalize_parts

__all__ = ["normalize_cached"]

_KIND = "normalized"  # the whole normalized document, marshal (format 4): exact, and cheap to write and read
_MARSHAL_VERSION = 4
_DIAGNOSTIC = 4  # pointer, code, message, level
_PART_KIND = "normalized-part"  # one path item's part, keyed by its content and the rest of the document
_HINTS_KIND = "naming-hints"  # a part's naming hints, keyed by their digest
_NAMES_KIND = "names"  # the names contest's result, keyed by its inputs' digest
_LEVELS = frozenset(level.value for level in Level)


def normalize_cached(  # noqa: PLR0913 - normalize()'s arguments and the cache
    document: dict[str, Any],
    diags: Diagnostics,
    memory: NameMemory,
    cache: Cache | None,
    on_pass: Callable[[int, int, str], None] | None = None,
    *,
    names_source: str = "auto",
    unwraps: Callable[[str], bool] | None = None,
    unwraps_key: str = "",
) -> dict[str, Any]:
    """:func:`clientgen.normalize.normalize`, or what it returned before for the same input.

    ``unwraps_key`` says what ``unwraps`` decides (the config's envelope settings): part of the key.
    The operations' prose is taken out first and put back after (:mod:`clientgen.lifted_text`): an edit of it
    hits the cache.
    """
    if cache is None:
        return normalize(document, diags, memory, on_pass, names_source=names_source, unwraps=unwraps)
    options = _Options(names_source, unwraps, unwraps_key, on_pass)
    copy, texts = lift_texts(document)
    before = len(diags.items)
    normalized = _normalize_or_reuse(copy, diags, memory, cache, options)
    if restore_texts(normalized, texts):
        return normalized
    del diags.items[before:]  # the prose has no place to go back to: normalize the document as it is
    return _normalize_or_reuse(document, diags, memory, cache, options)


@dataclass(frozen=True)
class _Options:
    names_source: str
    unwraps: Callable[[str], bool] | None
    unwraps_key: str
    on_pass: Callable[[int, int, str], None] | None


def _normalize_or_reuse(
    document: dict[str, Any], diags: Diagnostics, memory: NameMemory, cache: Cache, options: _Options
) -> dict[str, Any]:
    names_source, unwraps, on_pass = options.names_source, options.unwraps, options.on_pass
    try:
        source = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, RecursionError):
        return normalize(document, diags, memory, on_pass, names_source=names_source, unwraps=unwraps)
    key = cache.key(_KIND, source, names_source, options.unwraps_key, names_json(memory.previous))
    entry = unmarshal(cache.get(_KIND, key))
    if _well_formed(entry):
        diags.items.extend(Diagnostic(item[0], item[1], item[2], Level(item[3])) for item in entry["diagnostics"])
        memory.keys = dict(entry["keys"])
        normalized: dict[str, Any] = entry["normalized"]
        return normalized
    before = len(diags.items)
    normalized = normalize_by_parts(document, diags, memory, cache, options)
    diagnostics = [[item.pointer, item.code, item.message, item.level.value] for item in diags.items[before:]]
    entry = {"normalized": normalized, "diagnostics": diagnostics}
    entry["keys"] = memory.keys
    try:  # marshal is exact (tuples, integers and NaN stay what they are) and raises on anything else
        payload = marshal.dumps(entry, _MARSHAL_VERSION)
    except ValueError:
        return normalized
    cache.put(_KIND, key, payload)
    return normalized


def normalize_by_parts(
    document: dict[str, Any], diags: Diagnostics, memory: NameMemory, cache: Cache, options: _Options
) -> dict[str, Any]:
    """The document normalized path item by path item (:mod:`clientgen.normalize.parts`), each item's part cached.

    A part's key: the item (path and content), everything else in the document, the options; the part says
    which document-wide decisions it was made under, and is made again where they changed.  Its naming hints
    are stored apart, under their digest, and read only when the names contest runs: its result is stored
    under the digest of its inputs (every item's hints, the references, the previous generation's names).
    """
    paths = document.get("paths")
    try:
        rest = document_bytes({key: value for key, value in document.items() if key != "paths"})
        items = {path: document_bytes({path: item}) for path, item in paths.items()} if isinstance(paths, dict) else {}
    except UnkeyableError:
        items = {}
    if not items:
        return normalize(
            document, diags, memory, options.on_pass, names_source=options.names_source, unwraps=options.unwraps
        )
    context = cache.key(_PART_KIND, rest, options.names_source, options.unwraps_key)
    keys = {path: cache.key(_PART_KIND, context, data) for path, data in items.items()}
    stored = {path: part for path, key in keys.items() if (part := cache.get_json(_PART_KIND, key)) is not None}
    reuse = Reuse(
        parts=stored,
        sources={path: source_digest_of(data) for path, data in items.items()},
        hints=lambda digest: cache.get_json(_HINTS_KIND, cache.key(_HINTS_KIND, digest)),
        names=lambda key: cache.get_json(_NAMES_KIND, cache.key(_NAMES_KIND, key)),
    )
    normalized, parts = normalize_parts(
        document, diags, memory, names_source=options.names_source, unwraps=options.unwraps, reuse=reuse
    )
    for path, part in parts.made.items():
        hints = part.pop("hints")
        hints_text, part_text = _exact_json(hints), _exact_json(part)
        if hints_text is not None and part_text is not None:
            cache.put(_HINTS_KIND, cache.key(_HINTS_KIND, part["hints_digest"]), hints_text)
            cache.put(_PART_KIND, keys[path], part_text)
    if parts.names is not None:
        key, entry = parts.names
        cache.put_json(_NAMES_KIND, cache.key(_NAMES_KIND, key), entry)
    return normalized


def _exact_json(value: Any) -> bytes | None:
    """``value`` as JSON, where JSON carries it exactly (no tuples, no NaN, only string keys); else None."""
    try:
        text = json.dumps(value, ensure_ascii=False)
        return text.encode("utf-8") if json.loads(text) == value else None
    except ValueError:
        return None


def _well_formed(entry: Any) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("normalized"), dict):
        return False
    keys, items = entry.get("keys"), entry.get("diagnostics")
    if not isinstance(keys, dict) or not all(isinstance(value, str) for value in keys.values()):
        return False
    return isinstance(items, list) and all(
        isinstance(item, list)
        and len(item) == _DIAGNOSTIC
        and all(isinstance(text, str) for text in item)
        and item[3] in _LEVELS
        for item in items
    )
