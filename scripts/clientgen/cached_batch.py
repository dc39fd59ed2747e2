"""Many small cache values of one kind in one entry: one file read per generation instead of one per value.

A warm generation of the full Cloudflare description looked up 1,535 changelog surface entries one file at a
time (open, read, checksum, ``utime``, ``json.loads`` each): more time than computing the few that changed.
A :class:`Batch` reads one entry holding the values the last generation of the same package used, each under
its own exact key (:meth:`clientgen.cache.Cache.key`: a content digest of everything the value depends on), and
after the generation (:meth:`Batch.save`), when it computed a new value, writes the values this one used first,
then those of earlier generations it did not use, up to as many again (so that going back to an earlier
description, or alternating between two, still finds its values; the entry stays bounded).  The entry is found
by its kind and the package's import name only (so that two specs sharing a cache do not evict each other's),
but each value in it is found by its key: a value of another input is never returned.  A damaged entry fails
the cache's checksum or its shape check here and is ignored whole (every value is recomputed).
"""

from __future__ import annotations

import marshal
from typing import TypeVar

from clientgen.cache import Cache, unmarshal

__all__ = ["Batch", "stored_mapping"]

_KIND = "batch"
_Key = TypeVar("_Key", bytes, str)
_Value = TypeVar("_Value", bytes, str)
_KEPT = 2  # at most this many times the values one generation used: its own, then earlier ones


def stored_mapping(payload: bytes | None, key_type: type[_Key], value_type: type[_Value]) -> dict[_Key, _Value]:
    """A stored ``marshal`` mapping of ``key_type`` to ``value_type``; empty when absent or not of that shape."""
    found = unmarshal(payload)
    if not isinstance(found, dict) or not all(
        type(key) is key_type and type(value) is value_type for key, value in found.items()
    ):
        return {}
    return found


class Batch:
    """The values of ``kind`` for the package ``name``, read at once; :meth:`save` once they are all used."""

    def __init__(self, cache: Cache, kind: str, name: str) -> None:
        self.cache, self.kind = cache, kind
        self._entry = cache.key(_KIND, kind, name)
        self._before = stored_mapping(cache.get(_KIND, self._entry), bytes, bytes)
        self._used: dict[bytes, bytes] = {}

    def get(self, key: str) -> bytes | None:
        """The value stored under ``key`` (from :meth:`Cache.key`), or None; counted in the cache's ``lookups``."""
        digest = bytes.fromhex(key)
        value = self._used.get(digest)
        if value is None:
            value = self._before.get(digest)
        if value is not None:
            self._used[digest] = value
        self.cache.count(self.kind, hit=value is not None)
        return value

    def put(self, key: str, value: bytes) -> None:
        self._used[bytes.fromhex(key)] = value

    def save(self) -> None:
        """Store the values used since the batch was read, then earlier ones, when a value was new."""
        if self._used.keys() <= self._before.keys():
            return  # everything came from the stored entry: it holds this generation already
        kept = dict(self._used)
        bound = _KEPT * len(self._used)
        for digest, value in self._before.items():  # the most recent first, as written
            if len(kept) >= bound:
                break
            kept.setdefault(digest, value)
        self.cache.put(_KIND, self._entry, marshal.dumps(kept))
