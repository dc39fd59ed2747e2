"""Operations' prose taken out of the document before normalizing, put back after: a prose edit reuses the rest.

The normalizer decides from schemas, paths, parameters' names and places and operationIds; an operation's
``summary`` and ``description`` and an inline parameter's ``description`` are carried through unread, in
the objects they were in.  So the cache normalizes a copy without them, keys the result on that copy, and
puts each back into the result where it was: after the same key in the same object.  An edit of one
operation's prose — changed, added or removed, the most common change between two daily Cloudflare
descriptions — then finds the whole normalized document in the cache.

Put back only where the result still has that object with the key before it and without the prose key (the
normalizer added none); otherwise :func:`restore_texts` says so and the caller normalizes the document as it
is, so the result is always the one the normalizer gives the document itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clientgen.normalize.schemas import HTTP_METHODS

__all__ = ["Lifted", "lift_texts", "restore_texts"]

_OPERATION_TEXTS = ("summary", "description")


@dataclass(frozen=True)
class Lifted:
    """One string taken out: of the operation at (path, method), of its parameter ``parameter`` (or itself)."""

    path: str
    method: str
    parameter: int | None  # index in the operation's ``parameters``; None: the operation object itself
    key: str
    after: str | None  # the key before it in its object; None: it was the first
    text: str
    name: tuple[Any, Any] = (None, None)  # a parameter's (name, in): it must still be there


def _without(node: dict[str, Any], keys: tuple[str, ...], found: list[tuple[str, str | None, str]]) -> dict[str, Any]:
    """``node`` without the string values of ``keys``; ``found`` receives (key, the key before it, text)."""
    kept: dict[str, Any] = {}
    previous: str | None = None
    for key, value in node.items():
        if key in keys and isinstance(value, str):
            found.append((key, previous, value))
        else:
            kept[key] = value
        previous = key
    return kept


def _lift_operation(path: str, method: str, operation: dict[str, Any], texts: list[Lifted]) -> dict[str, Any]:
    found: list[tuple[str, str | None, str]] = []
    lifted = _without(operation, _OPERATION_TEXTS, found)
    texts.extend(Lifted(path, method, None, key, after, text) for key, after, text in found)
    parameters = lifted.get("parameters")
    if isinstance(parameters, list):
        copied = []
        for index, item in enumerate(parameters):
            if isinstance(item, dict) and "$ref" not in item and isinstance(item.get("description"), str):
                found = []
                item = _without(item, ("description",), found)  # noqa: PLW2901 - the copy replaces the item
                name = (item.get("name"), item.get("in"))
                texts.extend(Lifted(path, method, index, key, after, text, name) for key, after, text in found)
            copied.append(item)
        lifted["parameters"] = copied
    return lifted


def lift_texts(document: dict[str, Any]) -> tuple[dict[str, Any], list[Lifted]]:
    """A copy of ``document`` without its operations' prose (``document`` is not changed), and the prose."""
    texts: list[Lifted] = []
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return document, texts
    lifted_paths: dict[str, Any] = {}
    for path, item in paths.items():
        if isinstance(item, dict):
            item = {  # noqa: PLW2901 - the copy replaces the item
                key: _lift_operation(path, key, value, texts)
                if key in HTTP_METHODS and isinstance(value, dict)
                else value
                for key, value in item.items()
            }
        lifted_paths[path] = item
    return {**document, "paths": lifted_paths}, texts


def _insert(node: dict[str, Any], key: str, after: str | None, value: str) -> bool:
    """Put ``key`` back right after ``after`` (first when None), in place; False when that cannot be done."""
    if key in node or (after is not None and after not in node):
        return False
    items = list(node.items())
    at = 0 if after is None else [name for name, _ in items].index(after) + 1
    items.insert(at, (key, value))
    node.clear()
    node.update(items)
    return True


def _target(normalized: dict[str, Any], lifted: Lifted) -> dict[str, Any] | None:
    item = (normalized.get("paths") or {}).get(lifted.path)
    operation = item.get(lifted.method) if isinstance(item, dict) else None
    if not isinstance(operation, dict) or lifted.parameter is None:
        return operation if isinstance(operation, dict) else None
    parameters = operation.get("parameters")
    if not isinstance(parameters, list) or lifted.parameter >= len(parameters):
        return None
    parameter = parameters[lifted.parameter]
    if not isinstance(parameter, dict) or (parameter.get("name"), parameter.get("in")) != lifted.name:
        return None
    return parameter


def restore_texts(normalized: dict[str, Any], texts: list[Lifted]) -> bool:
    """Put the prose back into ``normalized`` (in place), in order; False when one has no place to go back to.

    An object shared by two places that both had prose fails too (its key is there at the second).  After
    False, ``normalized`` is partly restored: the caller discards it.
    """
    for lifted in texts:
        target = _target(normalized, lifted)
        if target is None or not _insert(target, lifted.key, lifted.after, lifted.text):
            return False
    return True
