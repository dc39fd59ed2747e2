"""The ingested document from the cache (:mod:`clientgen.cached_ingest`): the same document, never a stale one.

A spec that bundles a file beside it is ingested through the cache: the second time from the entry, equal to
a fresh ingest (key order and value types included); a changed bundled file or a damaged entry is a miss.
"""

from __future__ import annotations

import json
import marshal
from pathlib import Path
from typing import Any

import pytest

from clientgen.cache import Cache
from clientgen.cached_ingest import load_source_cached
from clientgen.diagnostics import SpecError
from clientgen.ingest import load_source

_KIND = "ingested"


class CountingCache(Cache):
    def __init__(self, root: Path) -> None:
        super().__init__(root, tools="t")
        self.found: list[bool] = []

    def get(self, kind: str, key: str) -> bytes | None:
        payload = super().get(kind, key)
        if kind == _KIND:
            self.found.append(payload is not None)
        return payload


def _spec(folder: Path, pet: dict[str, Any]) -> Path:
    (folder / "schemas").mkdir(exist_ok=True)
    (folder / "schemas" / "pet.json").write_text(json.dumps(pet), encoding="utf-8")
    body = {"application/json": {"schema": {"$ref": "schemas/pet.json"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "pets", "version": "1"},
        "paths": {
            "/pets": {"get": {"operationId": "pets-get", "responses": {"200": {"description": "ok", "content": body}}}}
        },
        "components": {"schemas": {"Size": {"type": "number", "default": 1.0, "x-flag": True, "maximum": 1}}},
    }
    spec = folder / "spec.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


def _same(left: Any, right: Any) -> bool:
    """Equal with key order and value types (``1``, ``1.0``, ``True``): what JSON equality confuses."""
    return marshal.dumps(left, 0) == marshal.dumps(right, 0)


def test_a_second_ingest_comes_from_the_cache_and_equals_a_fresh_one(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"type": "object", "properties": {"name": {"type": "string"}}})
    cache = CountingCache(tmp_path / "cache")
    first = load_source_cached(spec, cache)
    second = load_source_cached(spec, cache)
    assert cache.found == [False, True]
    assert _same(first, load_source(spec))
    assert _same(second, load_source(spec))
    assert "pet" in second["components"]["schemas"]  # bundled from the file beside the spec


def test_a_changed_bundled_file_is_a_miss(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"type": "object", "properties": {"name": {"type": "string"}}})
    cache = CountingCache(tmp_path / "cache")
    load_source_cached(spec, cache)
    _spec(tmp_path, {"type": "object", "properties": {"age": {"type": "integer"}}})
    changed = load_source_cached(spec, cache)
    assert _same(changed, load_source(spec))
    assert "age" in changed["components"]["schemas"]["pet"]["properties"]
    (tmp_path / "schemas" / "pet.json").unlink()
    with pytest.raises(SpecError, match=r"pet\.json"):  # gone: ingest reports it, the entry is not used
        load_source_cached(spec, cache)


def test_an_entry_of_another_shape_is_ignored(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"type": "object"})
    cache = CountingCache(tmp_path / "cache")
    load_source_cached(spec, cache)
    key = cache.key(_KIND, spec.name, spec.read_bytes())
    for payload in (b"not marshal data", marshal.dumps(["a list", "of strings"]), marshal.dumps(([("x", 1)], {}))):
        cache.put(_KIND, key, payload)  # a valid checksum around a payload of another shape
        assert _same(load_source_cached(spec, cache), load_source(spec))
    assert _same(load_source_cached(spec, cache), load_source(spec))  # rewritten by the last miss: a hit again
    assert cache.found[-1]


def test_without_a_cache_or_for_a_folder_nothing_is_stored(tmp_path: Path) -> None:
    spec = _spec(tmp_path, {"type": "object"})
    assert _same(load_source_cached(spec, None), load_source(spec))
    folder = tmp_path / "folder"
    folder.mkdir()
    _spec(folder, {"type": "object"})
    cache = CountingCache(tmp_path / "cache")
    assert _same(load_source_cached(folder, cache), load_source(folder))
    assert cache.found == []
