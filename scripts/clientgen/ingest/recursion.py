"""Give a record's leftover recursive ``$ref`` a component to point to.

A record is its operation with every ``$ref`` inlined — except a reference that would
have recursed forever, which the exporter left as ``{"$ref": "#/components/schemas/N"}``.
A record has no ``components``, so the reference would dangle.  The record does hold an
inlined copy of ``N``: the reference sits inside it.

Rule: walking outward from the ``$ref`` (the ``$ref`` object itself excluded), ``N`` is the
nearest enclosing schema that is the value of a ``properties`` entry whose key ``K`` is
``N`` or the tail of ``N`` after an underscore (component keys carry hash prefixes:
``G3s9LKM9_trace`` was inlined as property ``trace``).  If there is none, ``N`` is the
nearest enclosing object schema whose ``properties`` lead to the ``$ref``.  That schema
is moved to ``components/schemas/N`` and replaced in place by ``{"$ref": ...}``, which
restores the original document's shape.  Repeated until every reference resolves, so a
component may itself hold further recursive references.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .refs import Token, iter_refs, to_pointer

__all__ = ["COMPONENT_PREFIX", "recover_recursive_refs"]

COMPONENT_PREFIX = "#/components/schemas/"


def _name(file: Path, ref: str, pointer: str, line: int | None) -> str:
    name = ref.removeprefix(COMPONENT_PREFIX)
    if not ref.startswith(COMPONENT_PREFIX) or not name or "/" in name:
        raise SpecError(
            file, f"unsupported $ref {ref!r} in a record: expected {COMPONENT_PREFIX}<name>", line=line, pointer=pointer
        )
    return name.replace("~1", "/").replace("~0", "~")


def _named_like(key: Token, name: str) -> bool:
    return isinstance(key, str) and (key == name or name.endswith("_" + key))


def _choose(tokens: tuple[Token, ...], name: str) -> int | None:
    """Length of the token path that leads to the schema ``name`` denotes."""
    for depth in range(len(tokens) - 1, 1, -1):
        if tokens[depth - 2] == "properties" and _named_like(tokens[depth - 1], name):
            return depth
    for depth in range(len(tokens) - 1, -1, -1):
        if tokens[depth] == "properties":
            return depth
    return None


def _node(root: Any, tokens: tuple[Token, ...]) -> Any:
    node = root
    for token in tokens:
        node = node[token]
    return node


def _unresolved(roots: dict[str, tuple[Any, str]], known: set[str]) -> tuple[str, tuple[Token, ...], str] | None:
    for root_name, (root, _) in roots.items():
        for tokens, holder in iter_refs(root):
            if holder["$ref"] not in known:
                return root_name, tokens, holder["$ref"]
    return None


def recover_recursive_refs(
    file: Path, operation: dict[str, Any], base: str, lines: Mapping[str, int]
) -> dict[str, Any]:
    """Resolve ``operation``'s recursive refs in place; return the components they now point to.

    ``base`` is the operation's pointer in the document and ``lines`` the record line each
    operation field starts on, so that a failure names both.
    """
    schemas: dict[str, Any] = {}
    roots: dict[str, tuple[Any, str]] = {"": (operation, base)}
    while (found := _unresolved(roots, {COMPONENT_PREFIX + key for key in schemas})) is not None:
        root_name, tokens, ref = found
        root, root_pointer = roots[root_name]
        pointer = root_pointer + to_pointer(tokens)
        line = lines.get(str(tokens[0])) if root_name == "" and tokens else None
        name = _name(file, ref, pointer + "/$ref", line)
        depth = _choose(tokens, name)
        if not depth:
            raise SpecError(
                file, f"cannot find the schema that recursive $ref {ref!r} denotes", line=line, pointer=pointer
            )
        parent, key = _node(root, tokens[: depth - 1]), tokens[depth - 1]
        schemas[name] = parent[key]
        roots[name] = (schemas[name], "/components/schemas" + to_pointer([name]))
        parent[key] = {"$ref": ref}
    return dict(sorted(schemas.items()))
