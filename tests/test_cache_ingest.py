"""The ingested document from the cache (:mod:`clientgen.cached_ingest`): the same document, never a stale one.

A spec that bundles a file beside it is ingested through the cache: the second time from the entry, equal to
a fresh ingest (key order and value types included); a changed bundled file or a damaged entry is a miss.
An edit of an operation's prose reuses the entry of the document without its prose, unless a reference
points into ``paths``; on Cloudflare's full description too (with the corpus).
"""

from __future__ import annotations

import json
import marshal
from pathlib import Path
from typing import Any

import pytest

from clientgen import cached_ingest
from clientgen.cache import Cache
from clientgen.cached_ingest import load_source_cached
from clientgen.diagnostics import SpecError
from clientgen.ingest import load_source

_KIND, _WITHOUT_PROSE = "ingested", "ingested-without-prose"


class CountingCache(Cache):
    def __init__(self, root: Path) -> None:
        super().__init__(root, tools="t")
        self.found: list[bool] = []  # the exact entries' lookups
        self.without_prose: list[bool] = []

    def get(self, kind: str, key: str) -> bytes | None:
        payload = super().get(kind, key)
        if kind == _KIND:
            self.found.append(payload is not None)
        elif kind == _WITHOUT_PROSE:
            self.without_prose.append(payload is not None)
        return payload


def _spec(folder: Path, pet: dict[str, Any], summary: str = "List pets", *, into_paths: bool = False) -> Path:
    (folder / "schemas").mkdir(exist_ok=True)
    (folder / "schemas" / "pet.json").write_text(json.dumps(pet), encoding="utf-8")
    body = {"application/json": {"schema": {"$ref": "schemas/pet.json"}}}
    limit = {"name": "limit", "in": "query", "description": "At most.", "schema": {"type": "integer"}}
    get = {"operationId": "pets-get", "summary": summary, "parameters": [limit]}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "pets", "version": "1"},
        "paths": {
            "/pets": {
                "parameters": [{"name": "X-Trace", "in": "header", "schema": {"type": "string"}}],  # moves indices
                "get": {**get, "responses": {"200": {"description": "ok", "content": body}}},
            }
        },
        "components": {"schemas": {"Size": {"type": "number", "default": 1.0, "x-flag": True, "maximum": 1}}},
    }
    if into_paths:
        document["components"]["parameters"] = {"limit": {"$ref": "#/paths/~1pets/get/parameters/0"}}
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
    key = cache.key(_KIND, spec.suffix, spec.read_bytes())
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


def test_a_prose_edit_reuses_the_document_without_prose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pet = {"type": "object"}
    cache = CountingCache(tmp_path / "cache")
    load_source_cached(_spec(tmp_path, pet), cache)
    spec = _spec(tmp_path, pet, "List the pets (changed)")
    with monkeypatch.context() as patched:  # the prose goes back into the stored document: no ingest at all
        patched.setattr(cached_ingest, "load_source", None)
        patched.setattr(cached_ingest, "ingest_document", None)
        edited = load_source_cached(spec, cache)
    assert cache.without_prose == [False, True]
    assert edited["paths"]["/pets"]["get"]["summary"] == "List the pets (changed)"
    assert _same(edited, load_source(spec))
    assert _same(load_source_cached(spec, cache), load_source(spec))  # then the exact entry
    assert cache.found == [False, False, True]


def test_a_reference_into_paths_ingests_each_prose_edit_as_it_is(tmp_path: Path) -> None:
    pet = {"type": "object"}
    cache = CountingCache(tmp_path / "cache")
    load_source_cached(_spec(tmp_path, pet, into_paths=True), cache)
    spec = _spec(tmp_path, pet, "List the pets (changed)", into_paths=True)
    assert _same(load_source_cached(spec, cache), load_source(spec))
    assert cache.without_prose == [False, False]  # never stored


def test_cloudflare_prose_edit_ingests_as_without_the_cache(corpus: Path, tmp_path: Path) -> None:
    cloudflare_spec = corpus / "corpus" / "cloudflare" / "openapi-2024-08-06.json"
    cache = CountingCache(tmp_path / "cache")
    load_source_cached(cloudflare_spec, cache)
    edited = tmp_path / cloudflare_spec.name
    document = json.loads(cloudflare_spec.read_text(encoding="utf-8"))
    operations = [
        operation for item in document["paths"].values() for operation in item.values() if "summary" in operation
    ]
    for operation in operations[::50]:
        operation["summary"] += " (changed)"
        operation.pop("description", None)
    edited.write_text(json.dumps(document, indent=1), encoding="utf-8")
    assert _same(load_source_cached(edited, cache), load_source(edited))
    assert cache.without_prose == [False, True]
