"""The per-path-item ingest entries (:mod:`clientgen.cached_ingest_items`) through :func:`load_source_cached`.

A second run reads every piece; an edit of one operation (not its prose) re-ingests that path item only; a
damaged entry is ignored and made again; a hostile edit of one item is refused with the whole ingest's message,
however much of the document the cache holds; Cloudflare's full description after a parameter edit equals the
whole ingest (with the corpus).
"""

from __future__ import annotations

import copy
import json
import marshal
from pathlib import Path
from typing import Any

import pytest

from clientgen import cached_ingest_items
from clientgen.cache import Cache, content_key
from clientgen.cached_ingest import load_source_cached
from clientgen.diagnostics import SpecError
from clientgen.ingest import load_source
from clientgen.limits import MAX_DEPTH, MAX_STRING_CHARS

_ITEMS = "ingested-items"


def _same(left: Any, right: Any) -> bool:
    return marshal.dumps(left, 0) == marshal.dumps(right, 0)


def _document() -> dict[str, Any]:
    ok = {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "pets", "version": "1"},
        "paths": {
            f"/pets{index}": {"get": {"parameters": [{"name": "limit", "in": "query"}], "responses": copy.deepcopy(ok)}}
            for index in range(4)
        },
        "components": {
            "schemas": {
                "Pet": {"type": "object", "properties": {"name": {"type": "string"}}},
                **{
                    f"B{level}": {
                        "type": "object",
                        "properties": {
                            "a": {"$ref": f"#/components/schemas/B{level + 1}"},
                            "b": {"$ref": f"#/components/schemas/B{level + 1}"},
                        },
                    }
                    for level in range(30)
                },
                "B30": {"type": "string"},  # B0 is 2**30 values once inlined: unused until the hostile edit
            }
        },
    }


def _write(spec: Path, document: dict[str, Any]) -> Path:
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


class _Counting:
    """Wraps :func:`clientgen.ingest.by_item.ingest_item`: the paths ingested this run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = cached_ingest_items.ingest_item

        def counted(context: Any, path: str, item: Any) -> Any:
            self.paths.append(path)
            return real(context, path, item)

        monkeypatch.setattr(cached_ingest_items, "ingest_item", counted)


def test_a_warm_run_reads_every_item_and_an_edit_reingests_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = _Counting(monkeypatch)
    cache = Cache(tmp_path / "cache", tools="t")
    document = _document()
    spec = _write(tmp_path / "spec.json", document)
    assert _same(load_source_cached(spec, cache), load_source(spec))
    assert counting.paths == ["/pets0", "/pets1", "/pets2", "/pets3"]
    document["paths"]["/pets2"]["get"]["parameters"].append({"name": "cursor", "in": "query"})
    edited = _write(tmp_path / "edited.json", document)  # another file: no exact or prose-free entry
    counting.paths.clear()
    assert _same(load_source_cached(edited, cache), load_source(edited))
    assert counting.paths == ["/pets2"]
    counting.paths.clear()
    document["paths"]["/pets2"]["get"]["parameters"].pop()  # back: the prose-free entry of the first run
    assert _same(load_source_cached(_write(tmp_path / "back.json", document), cache), load_source(spec))
    assert counting.paths == []


def _pack_entries(cache_root: Path) -> list[Path]:
    return [entry for entry in sorted((cache_root / _ITEMS).rglob("*")) if entry.is_file()]


def test_damaged_records_and_packs_are_ignored_and_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path / "cache", tools="t")
    document = _document()
    load_source_cached(_write(tmp_path / "spec.json", document), cache)
    [entry] = _pack_entries(tmp_path / "cache")  # one pack: every item's record
    payload = cache.get(_ITEMS, entry.name)
    assert payload is not None
    records = marshal.loads(payload)  # noqa: S302 - the test's own cache entry
    assert len(records) == len(document["paths"])
    keys = {path: content_key(path, marshal.dumps(item, 0)) for path, item in document["paths"].items()}
    damaged = [b"not marshal data", marshal.dumps(("short",)), marshal.dumps(([1], [], [], [], 0, [], 0))]
    for path, record in zip(["/pets1", "/pets2", "/pets3"], damaged, strict=True):
        records[keys[path]] = record  # a valid checksum around records of another shape
    cache.put(_ITEMS, entry.name, marshal.dumps(records))
    counting = _Counting(monkeypatch)
    document["paths"]["/pets0"]["get"]["parameters"].append({"name": "cursor", "in": "query"})
    edited = _write(tmp_path / "edited.json", document)
    assert _same(load_source_cached(edited, cache), load_source(edited))
    assert counting.paths == ["/pets0", "/pets1", "/pets2", "/pets3"]  # one edited, three damaged
    counting.paths.clear()
    entry.write_bytes(entry.read_bytes()[:-3])  # truncated: fails its checksum, every item made again
    document["paths"]["/pets1"]["get"]["parameters"].append({"name": "cursor", "in": "query"})
    edited = _write(tmp_path / "edited2.json", document)
    assert _same(load_source_cached(edited, cache), load_source(edited))
    assert sorted(counting.paths) == sorted(document["paths"])


def _hostile(document: dict[str, Any], edit: str) -> None:
    """Make one operation of ``/pets1`` hostile: past a bound the whole ingest enforces."""
    operation = document["paths"]["/pets1"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    if edit == "expansion":  # 2**30 values once every $ref is inlined
        schema["$ref"] = "#/components/schemas/B0"
    elif edit == "depth":  # nested past the limit as parsed
        del schema["$ref"]
        node = schema
        for _ in range(MAX_DEPTH):
            node["items"] = {}
            node = node["items"]
    elif edit == "summary":  # prose (taken out before the pieces): a lone surrogate
        operation["summary"] = "pets \ud800"
    else:  # a description longer than the limit
        operation["parameters"][0]["description"] = "x" * (MAX_STRING_CHARS + 1)


@pytest.mark.parametrize("edit", ["expansion", "depth", "summary", "long string"])
def test_a_hostile_item_is_refused_as_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    cache = Cache(tmp_path / "cache", tools="t")
    document = _document()
    load_source_cached(_write(tmp_path / "spec.json", document), cache)
    counting = _Counting(monkeypatch)
    _hostile(document, edit)
    hostile = _write(tmp_path / "hostile.json", document)
    with pytest.raises(SpecError) as whole:
        load_source(hostile)
    with pytest.raises(SpecError) as cached:
        load_source_cached(hostile, cache)
    assert str(cached.value) == str(whole.value)
    if edit in {"expansion", "depth"}:  # refused through the cached pieces: then the whole ingest said why
        assert counting.paths == ["/pets1"]
        assert ("once every $ref is inlined" in str(whole.value)) == (edit == "expansion")


def test_cloudflare_parameter_edit_ingests_as_without_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloudflare_spec = corpus / "corpus" / "cloudflare" / "openapi-2024-08-06.json"
    cache = Cache(tmp_path / "cache", tools="t")
    load_source_cached(cloudflare_spec, cache)
    document = json.loads(cloudflare_spec.read_text(encoding="utf-8"))
    paths = sorted(document["paths"])
    for path in paths[::300]:
        for operation in document["paths"][path].values():
            if isinstance(operation, dict) and "responses" in operation:
                operation.setdefault("parameters", []).append({"name": "changed", "in": "query"})
    edited = _write(tmp_path / cloudflare_spec.name, document)
    counting = _Counting(monkeypatch)
    assert _same(load_source_cached(edited, cache), load_source(edited))
    assert counting.paths == paths[::300]


@pytest.mark.slow("the twelve June 2024 dailies ingested through one cache and whole: about 1 min of CPU")
def test_cloudflare_dailies_in_sequence_ingest_as_without_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dailies = sorted((corpus / "corpus" / "cloudflare" / "daily-2024-06").glob("openapi-*.json"))
    assert dailies
    cache = Cache(tmp_path / "cache", tools="t")
    counting = _Counting(monkeypatch)
    reingested = []
    for daily in dailies:
        counting.paths.clear()
        assert _same(load_source_cached(daily, cache), load_source(daily)), daily.name
        reingested.append(len(counting.paths))
    # every June daily changes something outside paths (a component, info): each re-ingests all its items
    print("path items ingested per day:", reingested)  # noqa: T201 - what the cache saved, for the reader
