"""Pass (read only): schema keywords the generated models do not check, reported once per keyword.

Conditional and negative JSON Schema keywords (``not``, ``if``/``then``/``else``,
``dependentSchemas``, ``dependentRequired``, ``unevaluated*``, ``contains``) and
``patternProperties``/``propertyNames`` have no pydantic spelling: the model is generated from the
rest of the schema (a property under ``not`` is any value, ``patternProperties`` values are any
value), so the client accepts what the API sends and lets the server judge what it is sent.  Each
keyword gets one ``schema-keyword-unchecked`` decision in ``report.json``: in how many places of the
normalized document it occurs and the first of them.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token

__all__ = ["UNCHECKED_KEYWORDS", "add_counts", "report_counts", "report_unchecked_keywords", "unchecked_counts"]

UNCHECKED_KEYWORDS = (
    "contains", "dependentRequired", "dependentSchemas", "else", "if", "not", "patternProperties",
    "propertyNames", "then", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
_NAMES = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})
_LITERALS = frozenset({"example", "examples", "default", "enum", "const"})  # data, not schemas


_KEYWORDS = frozenset(UNCHECKED_KEYWORDS)


def _count(node: Any, path: list[str], naming: bool, seen: dict[str, tuple[int, str]]) -> None:
    """Count the keywords of every schema below ``node`` (a map of names is walked, not read as a schema).

    Document order, as the pointers of the first places are reported; a pointer is built only for a schema
    that has one of the keywords (the walk meets every node of the document: most have none).
    """
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict | list):
                path.append(str(index))
                _count(item, path, False, seen)  # noqa: FBT003
                path.pop()
        return
    if not naming and not _KEYWORDS.isdisjoint(node):
        pointer = "".join(f"/{escape_pointer_token(token)}" for token in path)
        for keyword in UNCHECKED_KEYWORDS:
            if keyword in node:
                count, first = seen.get(keyword, (0, pointer))
                seen[keyword] = (count + 1, first)
    for key, value in node.items():
        if key not in _LITERALS and isinstance(value, dict | list):
            path.append(key)
            _count(value, path, key in _NAMES and not naming, seen)
            path.pop()


def unchecked_counts(doc: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Keyword -> (places, the first one's pointer) in ``doc``'s paths, then its schema components."""
    seen: dict[str, tuple[int, str]] = {}
    roots = {"paths": doc.get("paths"), "components": {"schemas": (doc.get("components") or {}).get("schemas")}}
    _count(roots, [], False, seen)  # noqa: FBT003
    return seen


def add_counts(seen: dict[str, tuple[int, str]], more: dict[str, tuple[int, str]]) -> None:
    """``more`` (counted in a later part of the document) added to ``seen``: the first place stays the earlier."""
    for keyword, (count, first) in more.items():
        before, earlier = seen.get(keyword, (0, first))
        seen[keyword] = (before + count, earlier)


def report_counts(seen: dict[str, tuple[int, str]], diags: Diagnostics) -> None:
    for keyword, (count, first) in sorted(seen.items()):
        places = "1 place" if count == 1 else f"{count:,} places"  # a component inlined into each use counts each
        message = f"{keyword!r} is not checked by the models ({places}; the rest of each schema is)"
        diags.add(first, "schema-keyword-unchecked", message)


def report_unchecked_keywords(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    report_counts(unchecked_counts(doc), diags)
    return doc
