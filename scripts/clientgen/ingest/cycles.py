"""Reference loops that define a schema only by itself.

A schema may refer to itself through a property, an array's items or a map's values: that
is a recursive data type (a tree node and its children), and the pipeline generates a
recursive model for it.  A loop that never nests — ``A: {$ref: B}``, ``B: {$ref: A}``;
``A: {allOf: [{$ref: A}, …]}``; the same through ``anyOf``, ``oneOf`` or ``not`` — describes
no value at all, and makes generators loop or crash.  It is refused here, naming the loop.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .refs import iter_refs, resolve_fragment

__all__ = ["alias_targets", "check_alias_loops"]

_SAME_VALUE = ("allOf", "anyOf", "oneOf")  # branches describe the value itself, not a part of it


def _same_value_refs(node: Any) -> Iterator[tuple[str, str]]:
    """``(ref, pointer below node)`` for references that stand for ``node``'s own value, not a nested one."""
    stack: list[tuple[Any, str]] = [(node, "")]
    while stack:
        current, pointer = stack.pop()
        if not isinstance(current, dict):
            continue
        ref = current.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            yield ref, pointer + "/$ref"
        for key in _SAME_VALUE:
            branches = current.get(key)
            if isinstance(branches, list):
                stack.extend((branch, f"{pointer}/{key}/{index}") for index, branch in enumerate(branches))
        if isinstance(current.get("not"), dict):
            stack.append((current["not"], pointer + "/not"))


def alias_targets(root: Any) -> list[str]:
    """The internal references below ``root``, sorted: where :func:`check_alias_loops` starts."""
    return sorted({holder["$ref"] for _, holder in iter_refs(root) if holder["$ref"].startswith("#")})


def check_alias_loops(file: Path | str, document: dict[str, Any], targets: list[str] | None = None) -> None:
    """Refuse a loop of references through same-value positions only; name its members.

    ``targets``: :func:`alias_targets` of the document, when the caller has them (from its parts).
    """
    targets = alias_targets(document) if targets is None else targets
    edges: dict[str, list[tuple[str, str]]] = {}
    for ref in targets:
        try:
            edges[ref] = list(_same_value_refs(resolve_fragment(document, ref[1:])))
        except ValueError:  # dangling: reported by check_refs
            edges[ref] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in targets:
        if start in state:
            continue
        path: list[str] = [start]
        pending: list[Iterator[tuple[str, str]]] = [iter(edges.get(start, []))]
        state[start] = 1
        while pending:
            step = next(pending[-1], None)
            if step is None:
                state[path.pop()] = 2
                pending.pop()
                continue
            ref, below = step
            if state.get(ref) == 1:
                loop = [*path[path.index(ref) :], ref]
                message = (
                    f"$ref loop {' -> '.join(loop)} defines a schema only by itself: "
                    "break the loop, or nest the recursion inside properties or items"
                )
                raise SpecError(file, message, pointer=path[-1][1:] + below)
            if ref not in state:
                state[ref] = 1
                path.append(ref)
                pending.append(iter(edges.get(ref, [])))
