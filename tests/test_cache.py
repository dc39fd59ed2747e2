"""Incremental regeneration (issue 15): the cache never changes a byte of the output, and is never trusted.

Unit tests of :mod:`clientgen.cache` (a corrupted entry is ignored and rewritten, another tool version
misses), then whole generations of the seed spec with and without the cache, then the daily Cloudflare
versions of June 2024 in sequence, each generated through the cache the previous one filled.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from clientgen import cache as cache_module
from clientgen.cache import Cache
from clientgen.project import write_tree
from clientgen.snapshot import diff_trees

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "spec"


def _entries(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def test_an_entry_reads_back_what_was_stored(tmp_path: Path) -> None:
    cache = Cache(tmp_path, tools="t")
    key = cache.key("kind", "input")
    assert cache.get("kind", key) is None
    cache.put("kind", key, b"result")
    assert cache.get("kind", key) == b"result"
    assert (cache.hits, cache.misses) == (1, 1)
    assert not list(tmp_path.rglob(".partial-*"))  # written to a temporary file, then renamed


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the payload flipped
        lambda data: b"clientgen-cache 0 " + data.partition(b" 1 ")[2],  # another format
        lambda _: b"",
    ],
)
def test_a_corrupted_entry_is_ignored_and_rewritten(tmp_path: Path, damage: object) -> None:
    cache = Cache(tmp_path, tools="t")
    key = cache.key("kind", "input")
    cache.put("kind", key, b"the formatted text")
    [path] = _entries(tmp_path)
    assert callable(damage)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get("kind", key) is None
    assert not path.exists()  # removed: the next run does not read it again
    cache.put("kind", key, b"the formatted text")
    assert cache.get("kind", key) == b"the formatted text"


def test_keys_separate_their_parts() -> None:
    assert cache_module.content_key("ab", "c") != cache_module.content_key("a", "bc")


def test_another_tool_version_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_module.fingerprint()
    cache_module.fingerprint.cache_clear()
    real = cache_module._version
    monkeypatch.setattr(cache_module, "_version", lambda name: "0.0.0" if name == "ruff" else real(name))
    try:
        after = cache_module.fingerprint()
    finally:
        cache_module.fingerprint.cache_clear()
    assert after != before
    old, new = Cache(tmp_path, tools=before), Cache(tmp_path, tools=after)
    old.put("ruff", old.key("ruff", "x = 1"), b"x = 1\n")
    assert new.get("ruff", new.key("ruff", "x = 1")) is None


def test_clientgen_source_is_in_the_fingerprint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "clientgen"
    source.mkdir()
    (source / "step.py").write_text("A = 1\n")
    monkeypatch.setattr(cache_module, "_SOURCE", source)
    cache_module.fingerprint.cache_clear()
    try:
        first = cache_module.fingerprint()
        (source / "step.py").write_text("A = 2\n")
        cache_module.fingerprint.cache_clear()
        second = cache_module.fingerprint()
    finally:
        cache_module.fingerprint.cache_clear()
    assert first != second


def test_the_seed_generates_the_same_bytes_cold_warm_and_from_a_corrupted_cache(tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    write_tree(SEED, None, cold)
    store = tmp_path / "cache"
    filling = Cache(store)
    write_tree(SEED, None, tmp_path / "filled", cache=filling)
    assert filling.hits == 0
    assert filling.misses > 0
    warm = Cache(store)
    write_tree(SEED, None, tmp_path / "warm", cache=warm)
    assert warm.misses == 0
    # every entry the filling run looked for is read back, but the path items' parts and the names contest's
    # result (cached_normalize): the whole normalized document's entry, read first, makes them unneeded
    beneath = sum(1 for kind in ("normalized-part", "names") for path in (store / kind).rglob("*") if path.is_file())
    assert beneath > 0
    assert warm.hits == filling.misses - beneath
    entries = _entries(store)
    for path in entries:  # every entry damaged: all ignored, recomputed and rewritten
        data = path.read_bytes()
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    damaged = Cache(store)
    write_tree(SEED, None, tmp_path / "damaged", cache=damaged)
    assert damaged.hits == 0
    assert len(_entries(store)) == len(entries)
    again = Cache(store)
    write_tree(SEED, None, tmp_path / "again", cache=again)
    assert again.misses == 0
    for name in ("filled", "warm", "damaged", "again"):
        assert diff_trees(cold, tmp_path / name) == [], name


def test_another_tool_version_regenerates_everything(tmp_path: Path) -> None:
    store = tmp_path / "cache"
    write_tree(SEED, None, tmp_path / "first", cache=Cache(store))
    other = Cache(store, tools="another ruff")
    write_tree(SEED, None, tmp_path / "second", cache=other)
    assert other.hits == 0
    assert diff_trees(tmp_path / "first", tmp_path / "second") == []


# The twelve dailies as one chain: every daily after the first is generated through the cache its predecessor
# filled (the first, on an empty cache, is a cold generation itself).  Compared with a generation without the cache:
# the first warm step, the middle daily and the last (a cold generation costs about 1.5 warm ones, and every warm
# step takes the same code path); CLIENTGEN_CACHE_COLD_EVERY=n compares every n-th step too (1: all of them).
# One chain, not two on the two workers: a second chain costs a second cache-filling cold generation and the middle
# daily's warm one twice (about 48 s of CPU), and the whole chain (about 300 s) is still well under half of the
# suite's CPU, so starting first (long_running, xdist_groups.py) it ends before the other worker runs out of work.
_CHAIN_SECONDS = 300
COLD_EVERY = int(os.environ.get("CLIENTGEN_CACHE_COLD_EVERY", "0"))


def _compared(step: int, steps: int) -> bool:
    """Whether the warm generation of the ``step``-th daily (0: the one that fills the cache) is compared with a cold
    one."""
    every = COLD_EVERY > 0 and step % COLD_EVERY == 0
    return step > 0 and (every or step in {1, (steps - 1) // 2, steps - 1})


@pytest.mark.slow("the twelve June 2024 dailies through one cache, three compared with cold ones: about 5 min of CPU")
@pytest.mark.long_running(_CHAIN_SECONDS)
def test_daily_versions_in_sequence_match_cold_generations(corpus: Path, tmp_path: Path) -> None:
    dailies = sorted((corpus / "corpus" / "cloudflare" / "daily-2024-06").glob("openapi-*.json"))
    if len(dailies) < 2:  # a cache-filling daily and a warm one
        pytest.skip("the daily Cloudflare versions (daily-2024-06/) are not in the corpus")
    config = REPO / "spec" / "config.toml"
    store, previous = tmp_path / "cache", None
    compared = []
    for step, daily in enumerate(dailies):
        out = tmp_path / f"warm-{step}"
        cache = Cache(store)
        write_tree(daily, config, out, previous=previous, cache=cache)
        assert cache.hits > 0 or step == 0, daily.name  # the previous daily's results were reused
        if _compared(step, len(dailies)):
            cold = tmp_path / "cold"
            write_tree(daily, config, cold, previous=previous)
            assert diff_trees(cold, out) == [], daily.name
            shutil.rmtree(cold)
            compared.append(daily.name)
        if previous is not None:
            shutil.rmtree(previous)
        previous = out
    assert compared
