"""Whether a stored part or names entry has the shape :mod:`clientgen.normalize.parts` writes: else unused.

A cache entry passed its checksum, so it is what some run wrote; these checks keep an entry of another
format (an older clientgen's, under a key it happens to share) from being read as this one's.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Level

__all__ = ["well_formed_names", "well_formed_part"]

_LEVELS = frozenset(level.value for level in Level)
_PAIR = 2  # votes: (envelopes, bodies); counts: (places, first pointer)
_DIAGNOSTIC = 5  # pointer, code, message, level, first-place tag ("" for none)
_KINDS: dict[str, type] = {
    "source": str, "evidence": list, "kept": list, "counts": dict, "uses_vote": bool, "votes": list,
    "under": dict, "item": dict, "schemas": dict, "hints_digest": str, "references": dict, "diagnostics": list,
}  # fmt: skip


def _strings(values: Any) -> bool:
    return isinstance(values, list) and all(isinstance(value, str) for value in values)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _diagnostics(items: Any, size: int) -> bool:
    return isinstance(items, list) and all(
        _strings(item) and len(item) == size and item[3] in _LEVELS for item in items
    )


def well_formed_part(part: Any) -> bool:
    if not isinstance(part, dict) or not all(isinstance(part.get(name), kind) for name, kind in _KINDS.items()):
        return False
    if not (_strings(part["evidence"]) and _strings(part["kept"])):
        return False
    votes = part["votes"]
    if len(votes) != _PAIR or not all(_int(vote) for vote in votes):
        return False
    counts = part["counts"].values()
    if not all(isinstance(c, list) and len(c) == _PAIR and _int(c[0]) and isinstance(c[1], str) for c in counts):
        return False
    if not all(isinstance(schema, dict) for schema in part["schemas"].values()):
        return False
    return all(_strings(words) for words in part["references"].values()) and _diagnostics(
        part["diagnostics"], _DIAGNOSTIC
    )


def well_formed_names(entry: Any, keys: dict[str, Any]) -> bool:
    """A names entry naming exactly ``keys`` (the hoisted schemas' content keys) with strings."""
    if not isinstance(entry, dict) or not isinstance(entry.get("names"), dict):
        return False
    names = entry["names"]
    if names.keys() != keys.keys() or not all(isinstance(name, str) for name in names.values()):
        return False
    return _diagnostics(entry.get("diagnostics"), 4)
