"""Operations' prose lifted out of the document before normalizing, put back after: a text edit reuses the rest.

The normalizer decides from schemas, paths, parameters' names and places and operationIds; an operation's
``summary`` and ``description`` and an inline parameter's ``description`` are carried through unread.  So
the cache normalizes a copy where each of those strings is a numbered placeholder (``clientgen-lifted-text-7``),
keys the result on that copy, and puts the strings back into the result: an edit of one operation's prose
(the most common change between two daily Cloudflare descriptions) finds the whole normalized document in
the cache.  A placeholder is only ever a whole string value; when one is found anywhere else afterwards (in
a longer string, a diagnostic, a component), or the document held the marker already, the caller normalizes
the original document instead, so the result is the same as without lifting.
"""

from __future__ import annotations

import marshal
from typing import Any

from clientgen.normalize.schemas import HTTP_METHODS

__all__ = ["MARKER", "lift_texts", "restore_texts"]

MARKER = "clientgen-lifted-text-"
_OPERATION_TEXTS = ("summary", "description")


def _placeholder(texts: list[str], text: str) -> str:
    texts.append(text)
    return f"{MARKER}{len(texts) - 1}"


def _lift_operation(operation: dict[str, Any], texts: list[str]) -> dict[str, Any]:
    lifted = dict(operation)
    for key in _OPERATION_TEXTS:
        if isinstance(lifted.get(key), str):
            lifted[key] = _placeholder(texts, lifted[key])
    parameters = lifted.get("parameters")
    if isinstance(parameters, list):
        lifted["parameters"] = [
            {**item, "description": _placeholder(texts, item["description"])}
            if isinstance(item, dict) and "$ref" not in item and isinstance(item.get("description"), str)
            else item
            for item in parameters
        ]
    return lifted


def lift_texts(document: dict[str, Any]) -> tuple[dict[str, Any], list[str]] | None:
    """A copy of ``document`` with its operations' prose replaced by placeholders, and the prose.

    None when the document already holds the marker, or a value with no exact byte form: nothing is lifted.
    """
    try:
        if MARKER.encode() in marshal.dumps(document, 0):
            return None
    except ValueError:  # a value marshal does not know: nothing is lifted
        return None
    texts: list[str] = []
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return document, texts
    lifted_paths: dict[str, Any] = {}
    for path in sorted(paths):  # numbered in a fixed order: equal documents but for prose lift to equal copies
        item = paths[path]
        if isinstance(item, dict):
            item = {
                key: _lift_operation(value, texts) if key in HTTP_METHODS and isinstance(value, dict) else value
                for key, value in item.items()
            }
        lifted_paths[path] = item
    return {**document, "paths": {path: lifted_paths[path] for path in paths}}, texts


def _restored(value: Any, texts: list[str]) -> Any:
    if isinstance(value, str) and value.startswith(MARKER) and value[len(MARKER) :].isdigit():
        number = int(value[len(MARKER) :])
        return texts[number] if number < len(texts) else value
    return value


def _restore_operation(operation: dict[str, Any], texts: list[str]) -> None:
    for key in _OPERATION_TEXTS:
        if key in operation:
            operation[key] = _restored(operation[key], texts)
    for item in operation.get("parameters") or ():
        if isinstance(item, dict) and "description" in item:
            item["description"] = _restored(item["description"], texts)


def restore_texts(normalized: dict[str, Any], texts: list[str], messages: list[str]) -> bool:
    """Put the prose back into ``normalized`` (in place) where its placeholders stand as whole strings.

    False when a placeholder is left anywhere after that, or in ``messages`` (the diagnostics the normalizer
    added): the normalizer used the text itself, and the document must be normalized as it is.
    """
    paths = normalized.get("paths")
    for item in paths.values() if isinstance(paths, dict) else ():
        for method in HTTP_METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                _restore_operation(item[method], texts)
    marker = MARKER.encode()
    return marker not in marshal.dumps(normalized, 0) and not any(MARKER in message for message in messages)
