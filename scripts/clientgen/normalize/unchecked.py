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

from collections.abc import Iterator
from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token

__all__ = ["UNCHECKED_KEYWORDS", "report_unchecked_keywords"]

UNCHECKED_KEYWORDS = (
    "contains", "dependentRequired", "dependentSchemas", "else", "if", "not", "patternProperties",
    "propertyNames", "then", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
_NAMES = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs", "definitions"})
_LITERALS = frozenset({"example", "examples", "default", "enum", "const"})  # data, not schemas


def _nodes(node: Any, pointer: str, naming: bool = False) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema below ``node`` (a map of names is walked, not read as a schema), in document order."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _nodes(item, f"{pointer}/{index}")
    elif isinstance(node, dict):
        if not naming:
            yield pointer, node
        for key, value in node.items():
            if key in _LITERALS:
                continue
            yield from _nodes(value, f"{pointer}/{escape_pointer_token(key)}", naming=key in _NAMES and not naming)


def report_unchecked_keywords(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    seen: dict[str, tuple[int, str]] = {}
    roots = {"paths": doc.get("paths"), "components": {"schemas": (doc.get("components") or {}).get("schemas")}}
    for pointer, node in _nodes(roots, ""):
        for keyword in UNCHECKED_KEYWORDS:
            if keyword in node:
                count, first = seen.get(keyword, (0, pointer))
                seen[keyword] = (count + 1, first)
    for keyword, (count, first) in sorted(seen.items()):
        places = "1 place" if count == 1 else f"{count:,} places"  # a component inlined into each use counts each
        message = f"{keyword!r} is not checked by the models ({places}; the rest of each schema is)"
        diags.add(first, "schema-keyword-unchecked", message)
    return doc
