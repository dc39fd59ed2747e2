"""The changelog surface (``api.json``) per operation from the cache: a one-operation change recomputes one entry.

An operation's entry (:func:`clientgen.changelog.surface.operation_entry`) is a function of its intermediate
model, its normalized operation object and the components that object reaches by ``$ref`` (through each other:
the surface resolves them and flattens their fields; whether one is recursive depends only on what it reaches).
The key is exactly those: the operation's model (:func:`clientgen.cache_keys.model_bytes`), the operation
object, and each reached component's name and content digest.  Components are digested once per generation.
"""

from __future__ import annotations

import json
from typing import Any

from clientgen.cache import Cache
from clientgen.cache_keys import ModelMemo, UnkeyableError, digest, document_bytes, model_bytes
from clientgen.changelog.surface import OperationEntry, operation_entry
from clientgen.generators.models import refs_in
from clientgen.model.api import Operation

__all__ = ["cached_operation_entries"]

_KIND = "surface"


class _Components:
    """Per component (lazily): its content digest and the names it refers to."""

    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components
        self.digests: dict[str, str] = {}
        self.refs: dict[str, set[str]] = {}

    def reached(self, node: Any) -> list[str]:
        """Every component name reachable from ``node`` through references, sorted (absent names included).

        A reference into a component (``Name/properties/x``) reaches that component too, as the cycle check does.
        """
        seen: set[str] = set()
        stack = sorted(_with_owners(refs_in(node)))
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            if name not in self.refs:
                self.refs[name] = _with_owners(refs_in(self.components.get(name)))
            stack.extend(self.refs[name] - seen)
        return sorted(seen)

    def digest_of(self, name: str) -> str:
        if name not in self.digests:
            component = self.components.get(name)
            self.digests[name] = "absent" if component is None else digest(document_bytes(component))
        return self.digests[name]


def _with_owners(names: set[str]) -> set[str]:
    owners = {name.split("/", 1)[0].replace("~1", "/").replace("~0", "~") for name in names}
    return names | owners


def cached_operation_entries(cache: Cache, memo: ModelMemo | None = None) -> OperationEntry:
    """An :data:`OperationEntry` returning the stored entry of an unchanged operation, else computing and storing it."""
    known: list[_Components] = []  # the components of the document being surfaced (one per generation)

    def entry(op: Operation, raw: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
        if not known or known[0].components is not components:
            known[:] = [_Components(components)]
        table = known[0]
        try:
            reached = table.reached(raw)
            parts = [f"{name}\0{table.digest_of(name)}" for name in reached]
            key = cache.key(_KIND, model_bytes(op, memo), document_bytes(raw), "\n".join(parts))
        except UnkeyableError:
            return operation_entry(op, raw, components)
        found = cache.get_json(_KIND, key)
        if isinstance(found, dict):
            return found
        computed = operation_entry(op, raw, components)
        text = json.dumps(computed, ensure_ascii=False)
        if json.loads(text) == computed:  # only what JSON carries exactly is stored
            cache.put(_KIND, key, text.encode("utf-8"))
        return computed

    return entry
