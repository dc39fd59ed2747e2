"""Many small cache values in one entry (:mod:`clientgen.cached_batch`): found by their own key, never stale.

A value is returned for exactly the key it was stored under (a content digest of its inputs); a damaged or
misshapen entry is ignored whole; each package has its own entry; the entry keeps the last generation's values
first and stays bounded.  Then the two users in the pipeline: the changelog surface and the compile verdicts.
"""

from __future__ import annotations

import json
import marshal
from pathlib import Path

from clientgen.cache import Cache
from clientgen.cached_batch import Batch
from clientgen.project import write_tree
from clientgen.snapshot import diff_trees
from test_cache_parts import small_spec

KIND = "example"


def _stored(cache: Cache, values: dict[str, bytes], package: str = "pkg") -> None:
    batch = Batch(cache, KIND, package)
    for key, value in values.items():
        batch.put(key, value)
    batch.save()


def _entry_files(root: Path) -> list[Path]:
    return sorted(path for path in (root / "batch").rglob("*") if path.is_file())


def test_a_stored_value_is_found_by_its_key_and_no_other(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", tools="t")
    first, second = cache.key(KIND, "input one"), cache.key(KIND, "input two")
    _stored(cache, {first: b"one"})
    again = Batch(Cache(tmp_path / "cache", tools="t"), KIND, "pkg")
    assert again.get(first) == b"one"  # a hit
    assert again.get(second) is None  # an edited input: another key, a miss
    assert again.cache.lookups[KIND, True] == again.cache.lookups[KIND, False] == 1


def test_another_package_or_tool_version_has_its_own_entry(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", tools="t")
    key = cache.key(KIND, "input")
    _stored(cache, {key: b"value"})
    assert Batch(Cache(tmp_path / "cache", tools="t"), KIND, "other").get(key) is None
    assert Batch(Cache(tmp_path / "cache", tools="another version"), KIND, "pkg").get(key) is None


def test_a_damaged_or_misshapen_entry_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", tools="t")
    key = cache.key(KIND, "input")
    _stored(cache, {key: b"value"})
    (entry,) = _entry_files(tmp_path / "cache")
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # truncated: fails the cache's checksum
    assert Batch(cache, KIND, "pkg").get(key) is None
    batch = Batch(cache, KIND, "pkg")
    cache.put("batch", batch._entry, marshal.dumps([key]))
    assert Batch(cache, KIND, "pkg").get(key) is None
    cache.put("batch", batch._entry, b"not marshal data")
    assert Batch(cache, KIND, "pkg").get(key) is None


def test_the_entry_keeps_this_generations_values_first_and_stays_bounded(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache", tools="t")
    keys = [cache.key(KIND, f"input {number}") for number in range(6)]
    _stored(cache, dict.fromkeys(keys[:4], b"old"))  # an earlier generation: four values
    batch = Batch(cache, KIND, "pkg")
    assert batch.get(keys[0]) == b"old"
    batch.put(keys[5], b"new")  # this generation: one reused, one new
    batch.save()
    later = Batch(cache, KIND, "pkg")
    found = [later.get(key) for key in keys]
    assert found[0] == b"old"
    assert found[5] == b"new"
    assert sum(value is not None for value in found) == 4  # twice this generation's two values, no more
    written = cache.written
    again = Batch(cache, KIND, "pkg")
    assert again.get(keys[0]) == b"old"
    again.save()  # nothing new: the entry is not written again
    assert cache.written == written


def _spec(folder: Path, spec: dict[str, object]) -> Path:
    path = folder / "spec.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return path


def test_surface_entries_and_compile_verdicts_are_reused_and_invalidated(tmp_path: Path) -> None:
    store = tmp_path / "cache"
    spec = small_spec()
    (tmp_path / "a").mkdir()
    write_tree(_spec(tmp_path / "a", spec), None, tmp_path / "first", cache=Cache(store))
    same = Cache(store)
    write_tree(tmp_path / "a" / "spec.json", None, tmp_path / "same", previous=tmp_path / "first", cache=same)
    assert same.lookups["surface", False] == 0  # every entry found
    assert same.lookups["surface", True] > 0
    assert same.lookups["compiled", False] == 0
    # a document-wide input: a component every widget operation reaches (the surface flattens its fields)
    spec["components"]["schemas"]["widget"]["properties"]["colour"] = {"type": "string"}
    (tmp_path / "b").mkdir()
    changed = Cache(store)
    write_tree(_spec(tmp_path / "b", spec), None, tmp_path / "warm", previous=tmp_path / "first", cache=changed)
    assert changed.lookups["surface", False] >= 1  # the operations reaching it: computed again
    assert changed.lookups["surface", True] >= 1  # the others: reused
    assert changed.lookups["compiled", False] >= 1  # the changed model module: compiled again
    write_tree(tmp_path / "b" / "spec.json", None, tmp_path / "cold", previous=tmp_path / "first")
    assert diff_trees(tmp_path / "cold", tmp_path / "warm") == []
