"""Overlays: fix the description without forking it (OpenAPI Overlay 1.0).

``overlays/*.yaml`` beside the spec (for a folder spec, the folder's ``overlays/``; for a file,
``overlays/`` in the file's folder) are applied in file-name order, each action in order, to
the ingested document before normalizing.  An action is a JSONPath ``target`` and either
``update`` (merged into every matched object, appended to every matched array) or ``remove:
true`` (every matched node taken out of its parent).  An action whose target matches nothing
is an error naming the file and the action's index: a correction that no longer applies
must not go unnoticed when the description changes.  Every change is reported (code
``overlay``, the changed node's JSON pointer).

The JSONPath subset is what overlays use: ``$``, ``.name`` and ``['name']``, ``*`` and
``[*]``, ``..name`` (descendants), ``[0]`` (index, negative from the end) and simple filters
``[?(@.x == 'y')]`` / ``[?(@.x != 'y')]`` / ``[?(@.x)]`` (``x`` a dotted path, the value a
quoted string, a number, ``true``, ``false`` or ``null``).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientgen.diagnostics import Diagnostics, SpecError, escape_pointer_token
from clientgen.ingest.documents import check_refs
from clientgen.ingest.parsing import parse_file

__all__ = ["JSONPathError", "apply_overlays", "overlay_files", "select"]

OVERLAY_FOLDER = "overlays"
_SUFFIXES = (".yaml", ".yml", ".json")

Location = tuple[Any, ...]  # the tokens from the root to a node (str keys, int indexes)


class JSONPathError(ValueError):
    """A target outside the supported subset."""


class _ActionError(ValueError):
    """An action that cannot apply (one line: the file and index are added by the caller)."""


# --- JSONPath ------------------------------------------------------------------------

_NAME = r"[A-Za-z_$][\w$-]*"
_QUOTED = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_LITERAL = rf"{_QUOTED}|-?\d+(?:\.\d+)?|true|false|null"
_FILTER = re.compile(rf"\?\(\s*@((?:\.{_NAME})+)\s*(?:(==|!=)\s*({_LITERAL})\s*)?\)")


@dataclass(frozen=True)
class _Step:
    kind: str  # "name", "wildcard", "index", "filter", "descend"
    name: str = ""
    index: int = 0
    filter_path: tuple[str, ...] = ()
    operator: str = ""
    value: Any = None


def _literal(text: str) -> Any:
    if text[0] in "'\"":
        return text[1:-1].replace("\\" + text[0], text[0]).replace("\\\\", "\\")
    return json.loads(text)


def _bracket(inner: str, target: str) -> _Step:
    inner = inner.strip()
    if inner == "*":
        return _Step("wildcard")
    if re.fullmatch(_QUOTED, inner):
        return _Step("name", name=_literal(inner))
    if re.fullmatch(r"-?\d+", inner):
        return _Step("index", index=int(inner))
    found = _FILTER.fullmatch(inner)
    if found:
        operator = found.group(2) or "exists"
        value = _literal(found.group(3)) if found.group(3) else None
        return _Step("filter", filter_path=tuple(found.group(1)[1:].split(".")), operator=operator, value=value)
    msg = f"unsupported JSONPath selector [{inner}] in {target!r}"
    raise JSONPathError(msg)


def _closing(target: str, start: int) -> int:
    """The index of the ``]`` closing the ``[`` at ``start`` (quotes and parentheses skipped)."""
    quote, depth = "", 0
    for position in range(start + 1, len(target)):
        char = target[position]
        if quote:
            quote = "" if char == quote and target[position - 1] != "\\" else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "]" and depth == 0:
            return position
    msg = f"unclosed [ in JSONPath {target!r}"
    raise JSONPathError(msg)


def parse_path(target: str) -> list[_Step]:
    """The steps of a JSONPath in the supported subset."""
    if not target.startswith("$"):
        msg = f"a JSONPath starts with $, not {target[:20]!r}"
        raise JSONPathError(msg)
    steps: list[_Step] = []
    position = 1
    while position < len(target):
        if target.startswith("..", position):
            steps.append(_Step("descend"))
            position += 2
            if position < len(target) and target[position] == "[":
                continue
        elif target[position] == ".":
            position += 1
        elif target[position] != "[":
            msg = f"unexpected {target[position]!r} at {position} in JSONPath {target!r}"
            raise JSONPathError(msg)
        if position < len(target) and target[position] == "[":
            end = _closing(target, position)
            steps.append(_bracket(target[position + 1 : end], target))
            position = end + 1
            continue
        found = re.compile(rf"\*|{_NAME}").match(target, position)
        if found is None:
            msg = f"expected a name at {position} in JSONPath {target!r}"
            raise JSONPathError(msg)
        steps.append(_Step("wildcard") if found.group() == "*" else _Step("name", name=found.group()))
        position = found.end()
    return steps


def _children(node: Any, location: Location) -> list[tuple[Location, Any]]:
    if isinstance(node, dict):
        return [((*location, key), value) for key, value in node.items()]
    if isinstance(node, list):
        return [((*location, index), value) for index, value in enumerate(node)]
    return []


def _descendants(node: Any, location: Location) -> list[tuple[Location, Any]]:
    found = [(location, node)]
    for child_location, child in _children(node, location):
        found.extend(_descendants(child, child_location))
    return found


_MISSING = object()


def _matches(step: _Step, node: Any) -> bool:
    value = node
    for name in step.filter_path:
        value = value.get(name, _MISSING) if isinstance(value, dict) else _MISSING
    if step.operator == "exists":
        return value is not _MISSING
    equal = value is not _MISSING and value == step.value and type(value) is type(step.value)
    return equal if step.operator == "==" else not equal


def _apply(step: _Step, location: Location, node: Any) -> list[tuple[Location, Any]]:
    if step.kind == "name":
        return [((*location, step.name), node[step.name])] if isinstance(node, dict) and step.name in node else []
    if step.kind == "wildcard":
        return _children(node, location)
    if step.kind == "index":
        if not isinstance(node, list) or not -len(node) <= step.index < len(node):
            return []
        index = step.index % len(node)
        return [((*location, index), node[index])]
    if step.kind == "filter":
        return [(where, child) for where, child in _children(node, location) if _matches(step, child)]
    return _descendants(node, location)


def select(document: Any, target: str) -> list[Location]:
    """The locations a JSONPath selects, in document order, each once."""
    current: list[tuple[Location, Any]] = [((), document)]
    for step in parse_path(target):
        current = [found for location, node in current for found in _apply(step, location, node)]
    return list(dict.fromkeys(location for location, _ in current))


# --- applying ----------------------------------------------------------------------------


def _pointer(location: Location) -> str:
    return "".join(f"/{escape_pointer_token(str(token))}" for token in location) or "/"


def _node(document: Any, location: Location) -> Any:
    for token in location:
        document = document[token]
    return document


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def overlay_files(spec: Path) -> list[Path]:
    """The overlay files for ``spec``, in file-name order."""
    folder = (spec if spec.is_dir() else spec.parent) / OVERLAY_FOLDER
    if not folder.is_dir():
        return []
    inside = folder.resolve()
    files = sorted(entry for entry in folder.iterdir() if entry.suffix.lower() in _SUFFIXES and entry.is_file())
    for file in files:
        if not file.resolve().is_relative_to(inside):
            raise SpecError(file, "links outside the overlays folder: copy the file in instead")
    return files


def _actions(file: Path) -> list[dict[str, Any]]:
    overlay = parse_file(file)
    if not isinstance(overlay, dict) or not str(overlay.get("overlay", "")).startswith("1."):
        raise SpecError(file, "not an OpenAPI Overlay 1.x document (no 'overlay: 1.0.0')", pointer="/overlay")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        raise SpecError(file, "an overlay needs a non-empty list of actions", pointer="/actions")
    return actions


def _order(location: Location) -> list[tuple[int, int, str]]:
    """Document order for sorting: list indexes as numbers (10 after 9)."""
    return [(0, token, "") if isinstance(token, int) else (1, 0, str(token)) for token in location]


def _apply_action(document: Any, action: Any) -> list[str]:
    """Apply one action; the pointers it changed.  ``ValueError`` (one line) when it cannot apply."""
    if not isinstance(action, dict) or not isinstance(action.get("target"), str):
        msg = "an action needs a 'target' (a JSONPath)"
        raise _ActionError(msg)
    remove, has_update = action.get("remove") is True, "update" in action
    if remove == has_update:
        msg = "an action has exactly one of 'update' or 'remove: true'"
        raise _ActionError(msg)
    locations = select(document, action["target"])
    if not locations:
        msg = f"target {action['target']!r} matches nothing in the description"
        raise _ActionError(msg)
    if remove:
        if () in locations:
            msg = "the whole description cannot be removed"
            raise _ActionError(msg)
        for location in sorted(locations, key=_order, reverse=True):
            parent = _node(document, location[:-1])
            del parent[location[-1]]  # from the end: earlier list indexes stay valid
        return [_pointer(location) for location in locations]
    for location in locations:
        node, update = _node(document, location), action["update"]
        if isinstance(node, dict) and isinstance(update, dict):
            _merge(node, update)
        elif isinstance(node, list):
            node.extend(copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)])
        else:
            msg = f"{_pointer(location)} is a {type(node).__name__}: update merges into objects and arrays only"
            raise _ActionError(msg)
    return [_pointer(location) for location in locations]


def apply_overlays(spec: Path, document: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    """``document`` with the spec's overlays applied (a copy; the same object when there are none)."""
    files = overlay_files(spec)
    if not files:
        return document
    document = copy.deepcopy(document)
    for file in files:
        for index, action in enumerate(_actions(file)):
            where = f"/actions/{index}"
            try:
                changed = _apply_action(document, action)
            except (ValueError, KeyError, IndexError) as error:  # JSONPathError is a ValueError
                raise SpecError(file, f"action {index}: {error}", pointer=where) from None
            verb = "removed" if action.get("remove") is True else "updated"
            for pointer in changed:
                diags.add(pointer, "overlay", f"{verb} by {file.name} action {index}")
    check_refs(spec, document)
    return document
