"""Normalization by path items (issue 15): the same result as the whole document's, reused part by part.

:func:`clientgen.normalize.parts.normalize_parts` decides the document-wide matters first (typeless evidence,
envelope votes, cyclic components kept, first-place decisions, unchecked counts, names) and runs each path item
alone; its result must be :func:`clientgen.normalize.normalize`'s exactly (document with its key order, the
diagnostics as a set, the name memory's keys), cold, with every part reused, and after an edit of one item.
The cached parts (``cached_normalize``) are never trusted: a damaged one is ignored and made again, a changed
item misses, and the entries written are the same bytes under any ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import copy
import json
import marshal
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from clientgen.cache import Cache
from clientgen.cached_normalize import normalize_cached
from clientgen.diagnostics import Diagnostics
from clientgen.ingest import load_source
from clientgen.name_memory import NameMemory
from clientgen.normalize import normalize
from clientgen.normalize.parts import Reuse, normalize_parts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from peer_call_paths import peer_document  # benchmarks/: not a package

REPO = Path(__file__).resolve().parents[1]
PART, NAMES, HINTS = "normalized-part", "names", "naming-hints"


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _envelope(result: dict[str, Any]) -> dict[str, Any]:
    messages = {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "integer"}}}}
    properties = {"success": {"type": "boolean"}, "errors": messages, "messages": messages, "result": result}
    return {"type": "object", "properties": properties}


def small_spec() -> dict[str, Any]:
    """Every document-wide decision at least once, across path items.

    A tree (cyclic component) met in two items; a pet union with a discriminator mapping in a component two
    items expand (reported where first expanded); ``not`` (an unchecked keyword) in two items; a typeless schema
    an example shows holding a string (typeless evidence) in one item, used in another; envelopes with a plain
    boolean ``success`` (the convention, voted) and a bare ``{result}`` body marked by it.
    """
    account = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}}
    typeless = {"properties": {"value": {"type": "string"}}, "example": "on"}
    body = {
        "type": "object",
        "properties": {"pet": _ref("pet"), "setting": typeless, "tag": {"not": {"type": "string"}}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "parts", "version": "1"},
        "paths": {
            "/accounts/{account_id}/trees": {
                "get": {
                    "operationId": "trees-list",
                    "parameters": [account, {"name": "q", "in": "query", "schema": {"not": {"type": "integer"}}}],
                    "responses": _ok(_envelope({"type": "array", "items": _ref("tree")})),
                },
            },
            "/accounts/{account_id}/trees/{tree_id}": {
                "get": {
                    "operationId": "trees-get",
                    "parameters": [account, {"name": "tree_id", "in": "path", "required": True, "schema": {}}],
                    "responses": _ok(_envelope(_ref("tree"))),
                },
                "put": {
                    "operationId": "trees-update",
                    "parameters": [account],
                    "requestBody": {"content": {"application/json": {"schema": _ref("setting")}}},
                    "responses": _ok({"type": "object", "properties": {"result": _ref("pet")}}),
                },
            },
            "/accounts/{account_id}/pets": {
                "get": {
                    "operationId": "pets-list",
                    "parameters": [account],
                    "responses": _ok(_envelope({"type": "array", "items": _ref("pet")})),
                },
                "post": {
                    "operationId": "pets-create",
                    "parameters": [account],
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": _ok(_envelope(_ref("pet"))),
                },
            },
        },
        "components": {
            "schemas": {
                "tree": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": _ref("tree")}},
                },
                "cat": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["cat"]}}},
                "dog": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["dog"]}}},
                "pet": {
                    "oneOf": [_ref("cat"), _ref("dog")],
                    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/cat"}},
                },
                "setting": typeless,
            }
        },
    }


def _whole(document: dict[str, Any]) -> tuple[bytes, list[Any], dict[str, str]]:
    diags, memory = Diagnostics(), NameMemory(previous={})
    result = normalize(copy.deepcopy(document), diags, memory)
    return marshal.dumps(result, 0), sorted(set(diags.items)), memory.keys


def _by_parts(
    document: dict[str, Any], reuse: Reuse | None = None
) -> tuple[tuple[bytes, list[Any], dict[str, str]], Any]:
    diags, memory = Diagnostics(), NameMemory(previous={})
    result, parts = normalize_parts(copy.deepcopy(document), diags, memory, reuse=reuse)
    assert not parts.whole  # shown equal part by part, not normalized whole
    return (marshal.dumps(result, 0), sorted(set(diags.items)), memory.keys), parts


def _stored(parts: Any) -> dict[str, Any]:
    return json.loads(json.dumps(parts.made))  # as the cache keeps them: JSON


def _edited(document: dict[str, Any]) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    added = {"name": "changed_filter", "in": "query", "schema": {"type": "string"}}
    edited["paths"]["/accounts/{account_id}/pets"]["get"]["parameters"].append(added)
    return edited


def test_the_small_spec_exercises_every_cross_item_decision() -> None:
    _, diagnostics, _ = _whole(small_spec())
    codes = Counter(item.code for item in diagnostics)
    for code in ("recursive-ref", "discriminator-mapping", "schema-keyword-unchecked", "success-envelope"):
        assert codes[code] >= 1, code
    assert any(item.code == "typeless-any" for item in diagnostics)


def test_parts_give_the_whole_documents_result_cold_reused_and_after_an_edit() -> None:
    spec = small_spec()
    cold, parts = _by_parts(spec)
    assert cold == _whole(spec)
    assert len(parts.made) == len(spec["paths"])
    warm, again = _by_parts(spec, Reuse(parts=_stored(parts)))
    assert warm == cold
    assert again.reused == len(spec["paths"])
    assert not again.made
    edited = _edited(spec)
    after, changed = _by_parts(edited, Reuse(parts=_stored(parts)))
    assert after == _whole(edited)
    assert sorted(changed.made) == ["/accounts/{account_id}/pets"]  # only the edited item ran again


def test_a_changed_document_wide_decision_makes_the_items_it_touches_again() -> None:
    spec = small_spec()
    _, parts = _by_parts(spec)
    no_evidence = copy.deepcopy(spec)
    body = no_evidence["paths"]["/accounts/{account_id}/pets"]["post"]["requestBody"]["content"]["application/json"]
    del body["schema"]["properties"]["setting"]["example"]  # the typeless evidence changes: every part may differ
    result, changed = _by_parts(no_evidence, Reuse(parts=_stored(parts)))
    assert result == _whole(no_evidence)
    assert len(changed.made) == len(spec["paths"])


def test_stored_parts_of_another_shape_are_not_used() -> None:
    spec = small_spec()
    _, parts = _by_parts(spec)
    stored = _stored(parts)
    stored["/accounts/{account_id}/pets"] = {"item": {}, "under": {}}  # another format's entry
    stored["/accounts/{account_id}/trees"]["votes"] = [1]
    result, again = _by_parts(spec, Reuse(parts=stored))
    assert result == _whole(spec)
    assert sorted(again.made) == ["/accounts/{account_id}/pets", "/accounts/{account_id}/trees"]


class CountingCache(Cache):
    def __init__(self, root: Path) -> None:
        super().__init__(root, tools="t")
        self.found: Counter[tuple[str, bool]] = Counter()

    def get(self, kind: str, key: str) -> bytes | None:
        payload = super().get(kind, key)
        self.found[kind, payload is not None] += 1
        return payload


def _cached(document: dict[str, Any], cache: Cache) -> tuple[bytes, list[Any], dict[str, str]]:
    diags, memory = Diagnostics(), NameMemory(previous={})
    result = normalize_cached(copy.deepcopy(document), diags, memory, cache)
    return marshal.dumps(result, 0), sorted(set(diags.items)), memory.keys


def _clear_whole_entries(store: Path) -> None:
    """The whole document's entry removed: the next run goes through the parts."""
    for path in (store / "normalized").rglob("*"):
        if path.is_file():
            path.unlink()


def test_cached_parts_are_reused_a_changed_item_misses_and_damage_is_ignored(tmp_path: Path) -> None:
    spec, store = small_spec(), tmp_path / "cache"
    assert _cached(spec, CountingCache(store)) == _whole(spec)
    edited = _edited(spec)
    cache = CountingCache(store)
    assert _cached(edited, cache) == _whole(edited)
    assert cache.found[PART, True] == len(spec["paths"]) - 1
    assert cache.found[PART, False] == 1  # the edited item's key
    assert cache.found[NAMES, True] + cache.found[NAMES, False] == 1
    _clear_whole_entries(store)
    for kind in (PART, NAMES, HINTS):
        for path in (store / kind).rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                path.write_bytes(data[: len(data) // 2])  # truncated: fails its checksum
    damaged = CountingCache(store)
    assert _cached(edited, damaged) == _whole(edited)
    assert damaged.found[PART, True] == 0
    _clear_whole_entries(store)
    again = CountingCache(store)
    assert _cached(edited, again) == _whole(edited)
    assert again.found[PART, False] == 0  # rewritten by the damaged run
    assert again.found[NAMES, True] == 1


def test_a_names_entry_or_hints_of_another_content_are_not_trusted(tmp_path: Path) -> None:
    spec, store = small_spec(), tmp_path / "cache"
    _cached(spec, CountingCache(store))
    cache = Cache(store, tools="t")
    for path in (store / NAMES).rglob("*"):
        if path.is_file():
            cache.put(NAMES, path.name, json.dumps({"names": {"x": "Y"}, "diagnostics": []}).encode())
    for path in (store / HINTS).rglob("*"):
        if path.is_file():
            cache.put(HINTS, path.name, json.dumps({"table": [], "uses": {}}).encode())  # not of its digest
    _clear_whole_entries(store)
    assert _cached(spec, CountingCache(store)) == _whole(spec)


_SEEDED = """
import json, sys
from pathlib import Path
sys.path.insert(0, {scripts!r}); sys.path.insert(0, {tests!r})
from test_normalize_parts import small_spec, _cached, _edited
from clientgen.cache import Cache
store = Path(sys.argv[1])
_cached(small_spec(), Cache(store, tools="t"))
_cached(_edited(small_spec()), Cache(store, tools="t"))
"""


def test_entries_are_the_same_bytes_under_any_hash_seed(tmp_path: Path) -> None:
    script = _SEEDED.format(scripts=str(REPO / "scripts"), tests=str(REPO / "tests"))
    stores = []
    for seed in ("0", "1", "4242"):
        store = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(store)], check=True, env=env, timeout=120)
        stores.append({path.relative_to(store): path.read_bytes() for path in store.rglob("*") if path.is_file()})
    assert stores[0]
    assert stores[0] == stores[1] == stores[2]


def _operations(document: dict[str, Any]) -> list[tuple[str, str]]:
    methods = ("get", "put", "post", "patch", "delete")
    return [(path, method) for path, item in sorted(document["paths"].items()) for method in methods if method in item]


def _check_an_edit_by_parts(document: dict[str, Any]) -> None:
    """The middle operation given an object parameter (a new model: the names contest runs), reusing every
    other item's part: the whole edited document's result; only the edited item made again."""
    _, parts = _by_parts(document)
    path, method = _operations(document)[len(_operations(document)) // 2]
    edited = copy.deepcopy(document)
    added = {"name": "changed_filter", "in": "query", "required": False, "schema": {"type": "object", "properties": {
        "since": {"type": "string"}}}}  # fmt: skip
    edited["paths"][path][method]["parameters"] = [*edited["paths"][path][method].get("parameters", []), added]
    after, changed = _by_parts(edited, Reuse(parts=_stored(parts)))
    assert after == _whole(edited)
    assert list(changed.made) == [path]


@pytest.mark.long_running(20)
def test_cloudflare_by_parts_after_an_edit_equals_the_whole(corpus: Path) -> None:
    spec = corpus / "corpus" / "cloudflare" / "openapi-2024-08-06.json"
    if not spec.is_file():
        pytest.skip("the Cloudflare description (cloudflare/openapi-2024-08-06.json) is not in the corpus")
    _check_an_edit_by_parts(load_source(spec))


# On the worker of test_peer_call_paths.py, which parses the same documents (peer_document: once per process).
@pytest.mark.xdist_group("peer-call-paths")
@pytest.mark.parametrize(
    "name",
    [
        "stripe/spec3-2023-09-12.yaml",
        "twilio/twilio_api_v2010.json",
        "openapi-python-client/baseline_openapi_3.0.json",
        "openapi-python-client/baseline_openapi_3.1.yaml",
    ],
)
def test_peer_descriptions_by_parts_after_an_edit_equal_the_whole(corpus: Path, name: str) -> None:
    spec = corpus / "corpus" / "peers" / name
    if not spec.is_file():
        pytest.skip(f"{name} is not in the corpus")
    _check_an_edit_by_parts(peer_document(spec))  # copied before any change: the shared parse stays as it was
