"""Incremental regeneration per part (issue 15): a small change reuses the rest, and never changes a byte.

A small spec (two resources, a shared component) is generated into a cache; then each kind of change — one
operation's text changed, one added, one removed, one renamed, a shared component changed — is generated
through that cache and compared with a generation without it.  The per-operation entries (the changelog
surface, the resource modules) are counted: an unchanged operation's are reused, a changed one's are not.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clientgen.cache import Cache
from clientgen.cache_keys import UnkeyableError, document_bytes, model_bytes
from clientgen.lifted_text import lift_texts, restore_texts
from clientgen.model.types import TypeExpr
from clientgen.project import write_tree
from clientgen.snapshot import diff_trees

REPO = Path(__file__).resolve().parents[1]
SURFACE, MODULES, BATCH = "surface", "resource-module", "batch"


class CountingCache(Cache):
    """A cache whose lookups per kind of value (:attr:`Cache.lookups`, batched values included) the tests read."""

    @property
    def found(self) -> Counter[tuple[str, bool]]:
        return self.lookups


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def small_spec() -> dict[str, Any]:
    account = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}, "description": "ID"}
    gadget = {"type": "object", "properties": {"id": {"type": "string"}, "size": {"type": "integer"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "parts", "version": "1"},
        "paths": {
            "/accounts/{account_id}/widgets": {
                "get": {
                    "operationId": "widgets-list",
                    "summary": "List widgets",
                    "parameters": [account],
                    "responses": _ok({"type": "array", "items": _ref("widget")}),
                },
                "post": {
                    "operationId": "widgets-create",
                    "summary": "Create a widget",
                    "description": "Creates a widget in the account.",
                    "parameters": [account],
                    "requestBody": {"content": {"application/json": {"schema": _ref("widget_create")}}},
                    "responses": _ok(_ref("widget")),
                },
            },
            "/accounts/{account_id}/gadgets": {
                "get": {
                    "operationId": "gadgets-list",
                    "summary": "List gadgets",
                    "parameters": [account],
                    "responses": _ok({"type": "array", "items": gadget}),
                },
            },
        },
        "components": {
            "schemas": {
                "owner": {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}}},
                "widget": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "owner": _ref("owner"), "color": {"type": "string"}},
                },
                "widget_create": {"type": "object", "properties": {"color": {"type": "string"}}},
            }
        },
    }


def _text_changed(spec: dict[str, Any]) -> None:
    spec["paths"]["/accounts/{account_id}/gadgets"]["get"]["summary"] = "List every gadget (changed)"


def _added(spec: dict[str, Any]) -> None:
    operation = copy.deepcopy(spec["paths"]["/accounts/{account_id}/gadgets"]["get"])
    operation["operationId"], operation["summary"] = "gadgets-delete", "Delete the gadgets"
    spec["paths"]["/accounts/{account_id}/gadgets"]["delete"] = operation


def _removed(spec: dict[str, Any]) -> None:
    del spec["paths"]["/accounts/{account_id}/widgets"]["post"]


def _renamed(spec: dict[str, Any]) -> None:
    spec["paths"]["/accounts/{account_id}/gadgets"]["get"]["operationId"] = "gadgets-list-all"


def _shared_changed(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["owner"]["properties"]["phone"] = {"type": "string"}


# change -> (surface entries that must be recomputed, resource modules that must be rendered again); at most
CHANGES: dict[str, tuple[Callable[[dict[str, Any]], None], int, int]] = {
    "one operation's text": (_text_changed, 1, 1),
    "one operation added": (_added, 1, 1),
    "one operation removed": (_removed, 0, 1),
    "one operation renamed": (_renamed, 1, 1),
    "a shared component": (_shared_changed, 2, 1),
}


def _write(folder: Path, name: str, spec: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small spec generated once into a fresh cache: (its output, the cache folder)."""
    folder = tmp_path_factory.mktemp("parts")
    out, store = folder / "first", folder / "cache"
    write_tree(_write(folder, "spec.json", small_spec()), None, out, cache=Cache(store))
    return out, store


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_small_change_reuses_the_rest_and_matches_a_cold_generation(
    filled: tuple[Path, Path], tmp_path: Path, change: str
) -> None:
    first, store = filled
    apply, surface_misses, module_misses = CHANGES[change]
    spec = small_spec()
    apply(spec)
    path = _write(tmp_path, "spec.json", spec)
    cache = CountingCache(store)
    write_tree(path, None, tmp_path / "warm", previous=first, cache=cache)
    write_tree(path, None, tmp_path / "cold", previous=first)
    assert diff_trees(tmp_path / "cold", tmp_path / "warm") == []
    assert cache.found[SURFACE, True] >= 1  # the unchanged operations' entries were reused
    assert cache.found[MODULES, True] >= 1
    assert cache.found[SURFACE, False] <= surface_misses
    assert cache.found[MODULES, False] <= module_misses


def test_damaged_per_operation_entries_are_ignored_and_rewritten(filled: tuple[Path, Path], tmp_path: Path) -> None:
    first, store = filled
    kinds = (BATCH, MODULES)  # the surface entries are kept in a batch
    entries = sorted(path for kind in kinds for path in (store / kind).rglob("*") if path.is_file())
    assert entries
    for path in entries:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])  # truncated
    spec = _write(tmp_path, "spec.json", small_spec())
    damaged = CountingCache(store)
    write_tree(spec, None, tmp_path / "damaged", previous=first, cache=damaged)
    assert damaged.found[SURFACE, True] == damaged.found[MODULES, True] == 0
    again = CountingCache(store)
    write_tree(spec, None, tmp_path / "again", previous=first, cache=again)
    assert again.found[SURFACE, False] == again.found[MODULES, False] == 0  # rewritten whole by the damaged run
    write_tree(spec, None, tmp_path / "cold", previous=first)
    for name in ("damaged", "again"):
        assert diff_trees(tmp_path / "cold", tmp_path / name) == [], name


def test_another_template_or_tool_version_misses_every_part(filled: tuple[Path, Path], tmp_path: Path) -> None:
    first, store = filled
    other = CountingCache(store, tools="templates or tools of another version")
    write_tree(_write(tmp_path, "spec.json", small_spec()), None, tmp_path / "other", previous=first, cache=other)
    assert other.found[SURFACE, True] == other.found[MODULES, True] == 0
    assert other.found[SURFACE, False] > 0
    assert other.found[MODULES, False] > 0


def test_document_bytes_tell_apart_what_json_equality_confuses() -> None:
    values = [1, 1.0, True, "1", [1], {"a": 1, "b": 2}, {"b": 2, "a": 1}]
    assert len({document_bytes(value) for value in values}) == len(values)
    with pytest.raises(UnkeyableError):
        document_bytes({"x": object()})


def test_model_bytes_are_exact_and_independent_of_the_hash_seed() -> None:
    expr = TypeExpr("A | B", frozenset({("typing", "Any"), ("a", "b")}), models=frozenset({("m", "A"), ("m", "B")}))
    assert model_bytes(expr) != model_bytes(TypeExpr("A | B", frozenset({("typing", "Any")})))
    assert model_bytes((1, "1")) != model_bytes((True, "1"))
    assert model_bytes(["x"]) != model_bytes(("x",))
    names = [f"name{number}" for number in range(40)]
    code = (
        "from clientgen.cache_keys import model_bytes; from clientgen.model.types import TypeExpr; import hashlib; "
        f"print(hashlib.sha256(model_bytes(TypeExpr('x', frozenset(('m', n) for n in {names!r})))).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO / "scripts")}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        digests.add(result.stdout.strip())
    assert len(digests) == 1
    with pytest.raises(UnkeyableError):
        model_bytes(object())


@pytest.mark.parametrize("edit", ["changed", "added and removed"])
def test_a_prose_edit_reuses_the_whole_normalized_document(
    filled: tuple[Path, Path], tmp_path: Path, edit: str
) -> None:
    first, store = filled
    again = tmp_path / "again"  # as `make generate` over its own output: versioned after itself, same names
    write_tree(_write(tmp_path, "spec.json", small_spec()), None, again, previous=first, cache=Cache(store))
    spec = small_spec()
    operation = spec["paths"]["/accounts/{account_id}/widgets"]["post"]
    parameter = operation["parameters"][0]
    if edit == "changed":
        operation["summary"], operation["description"] = "Create one widget (edited)", "A new description."
        operation["parameters"] = [{**parameter, "description": "The account (edited)."}]
    else:
        del operation["summary"]
        operation["parameters"] = [{key: value for key, value in parameter.items() if key != "description"}]
        listing = spec["paths"]["/accounts/{account_id}/gadgets"]["get"]
        spec["paths"]["/accounts/{account_id}/gadgets"]["get"] = {"description": "Every gadget.", **listing}
    path = _write(tmp_path, "edited.json", spec)
    cache = CountingCache(store)
    write_tree(path, None, tmp_path / "warm", previous=again, cache=cache)
    assert cache.found["normalized", True] == 1
    assert cache.found["normalized", False] == 0
    write_tree(path, None, tmp_path / "cold", previous=again)
    assert diff_trees(tmp_path / "cold", tmp_path / "warm") == []


def test_prose_goes_back_where_it_was_or_not_at_all() -> None:
    spec = small_spec()
    before = json.dumps(spec)
    copy, texts = lift_texts(spec)
    assert json.dumps(spec) == before  # the document itself is not changed
    assert "List gadgets" in [lifted.text for lifted in texts]
    assert "List gadgets" not in json.dumps(copy)
    restored = json.loads(json.dumps(copy))
    assert restore_texts(restored, texts)
    assert json.dumps(restored) == before  # the same keys in the same order
    for damage in ("prose already there", "the key before it gone", "the parameter moved"):
        damaged = json.loads(json.dumps(copy))
        operation = damaged["paths"]["/accounts/{account_id}/widgets"]["post"]
        if damage == "prose already there":  # the normalizer wrote one of its own
            operation["summary"] = "Made up"
        elif damage == "the key before it gone":
            del operation["operationId"]
        else:
            operation["parameters"].insert(0, {"name": "other", "in": "query"})
        assert not restore_texts(damaged, texts), damage
