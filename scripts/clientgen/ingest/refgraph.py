"""The schema components that lie on a reference cycle: the ones kept as named, referenced models.

Every other component is inlined where it is used (names come from content, see
:mod:`clientgen.normalize.hoist`).  A component on a cycle cannot be inlined everywhere — a
chain of mutually recursive components (Stripe's ``customer`` ↔ ``invoice`` ↔
``subscription`` through ``anyOf [string, $ref]``) would expand in exponentially many ways —
so every member of a strongly connected component of the reference graph that loops is kept
as one component and referred to.  A component with no cycle through it is untouched, so a
document without cycles normalizes exactly as before.

The graph's nodes are component keys; ``X -> Y`` when ``X`` holds a ``$ref`` to ``Y`` or into
a sub-schema of ``Y`` (``#/components/schemas/Y/allOf/0``): following it may reach whatever
``Y`` refers to.  Iterative Tarjan, linear in the references.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .refs import iter_refs

__all__ = ["SCHEMA_PREFIX", "component_key", "cyclic_components"]

SCHEMA_PREFIX = "#/components/schemas/"


def component_key(ref: str) -> str | None:
    """The component key a ``$ref`` to a whole schema component names (``None`` for anything else)."""
    if not ref.startswith(SCHEMA_PREFIX) or "/" in ref[len(SCHEMA_PREFIX) :]:
        return None
    return ref[len(SCHEMA_PREFIX) :].replace("~1", "/").replace("~0", "~")


def _owner(ref: str) -> str | None:
    """The component a reference leads into, whole or a sub-schema of it."""
    if not ref.startswith(SCHEMA_PREFIX):
        return None
    return ref[len(SCHEMA_PREFIX) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~")


def _edges(schemas: dict[str, Any]) -> dict[str, list[str]]:
    edges: dict[str, list[str]] = {}
    for key in sorted(schemas):
        targets = {_owner(holder["$ref"]) for _, holder in iter_refs(schemas[key])}
        edges[key] = sorted(target for target in targets if target is not None and target in schemas)
    return edges


def cyclic_components(document: dict[str, Any]) -> frozenset[str]:
    """Keys of the schema components that reach themselves through references."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    if not isinstance(schemas, dict):
        return frozenset()
    edges = _edges(schemas)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    path: list[str] = []
    on_path: set[str] = set()
    cyclic: set[str] = set()
    for start in edges:
        if start in index:
            continue
        index[start] = low[start] = len(index)
        path.append(start)
        on_path.add(start)
        work: list[tuple[str, Iterator[str]]] = [(start, iter(edges[start]))]
        while work:
            key, pending = work[-1]
            inner = next(pending, None)
            if inner is not None:
                if inner not in index:
                    index[inner] = low[inner] = len(index)
                    path.append(inner)
                    on_path.add(inner)
                    work.append((inner, iter(edges[inner])))
                elif inner in on_path:
                    low[key] = min(low[key], index[inner])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[key])
            if low[key] == index[key]:
                members: list[str] = []
                while True:
                    member = path.pop()
                    on_path.discard(member)
                    members.append(member)
                    if member == key:
                        break
                if len(members) > 1 or key in edges[key]:
                    cyclic.update(members)
    return frozenset(cyclic)
