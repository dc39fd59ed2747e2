"""The changelog surface (``api.json``) per operation from the cache: a one-operation change recomputes one entry.

An operation's entry (:func:`clientgen.changelog.surface.operation_entry`) is a function of its intermediate
model, its normalized operation object and the components that object reaches by ``$ref`` (through each other:
the surface resolves them and flattens their fields; whether one is recursive depends only on what it reaches).
The key is exactly those: the operation's model (:func:`clientgen.cache_keys.model_bytes`), the operation
object, and each reached component's name and content digest.  Components are digested once per generation.
The entries of one package are stored together (:mod:`clientgen.cached_batch`): one file read per generation.
"""

from __future__ import annotations

import contextlib
from typing import Any

from clientgen.cache import Cache, unmarshal
from clientgen.cache_keys import ModelMemo, UnkeyableError, digest, document_bytes, model_bytes
from clientgen.cached_batch import Batch
from clientgen.changelog.surface import operation_entry
from clientgen.generators.models import refs_in
from clientgen.model.api import Operation

__all__ = ["CachedEntries"]

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


class CachedEntries:
    """An :data:`OperationEntry` returning the stored entry of an unchanged operation, else computing it.

    The entries are kept together (:class:`clientgen.cached_batch.Batch`, one read per generation); call
    :meth:`save` once the surface is complete.
    """

    def __init__(self, cache: Cache, package: str, memo: ModelMemo | None = None) -> None:
        self.cache, self.memo = cache, memo
        self.batch = Batch(cache, _KIND, package)
        self.known: list[_Components] = []  # the components of the document being surfaced (one per generation)

    def __call__(self, op: Operation, raw: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
        if not self.known or self.known[0].components is not components:
            self.known[:] = [_Components(components)]
        table = self.known[0]
        try:
            reached = table.reached(raw)
            parts = [f"{name}\0{table.digest_of(name)}" for name in reached]
            key = self.cache.key(_KIND, model_bytes(op, self.memo), document_bytes(raw), "\n".join(parts))
        except UnkeyableError:
            return operation_entry(op, raw, components)
        found = _entry_of(self.batch.get(key))
        if found is not None:
            return found
        computed = operation_entry(op, raw, components)
        with contextlib.suppress(UnkeyableError):  # only what marshal carries exactly is stored
            self.batch.put(key, document_bytes(computed))
        return computed

    def save(self) -> None:
        self.batch.save()


def _entry_of(payload: bytes | None) -> dict[str, Any] | None:
    found = unmarshal(payload)
    return found if isinstance(found, dict) else None
