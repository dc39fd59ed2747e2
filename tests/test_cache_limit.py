"""The cache folder is bounded: the least recently used entries beyond the limit go, never one the run used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clientgen.cache import Cache
from clientgen.snapshot import diff_trees

REPO = Path(__file__).resolve().parents[1]
_KB = 1024


def _store(cache: Cache, name: str, size: int, *, age: int) -> Path:
    """An entry of ``size`` bytes, last used ``age`` seconds ago."""
    key = cache.key("kind", name)
    cache.put("kind", key, b"x" * size)
    path = cache.root / "kind" / key[:2] / key
    stamp = path.stat().st_mtime - age
    os.utime(path, (stamp, stamp))
    return path


def test_the_least_recently_used_go_first_and_never_what_this_run_used(tmp_path: Path) -> None:
    earlier = Cache(tmp_path, tools="t", limit=10 * _KB)
    old, older, oldest = (_store(earlier, name, 4 * _KB, age=age) for name, age in [("a", 10), ("b", 20), ("c", 30)])
    user_file = tmp_path / "NOTES.md"  # not an entry: never deleted, not counted
    user_file.write_text("mine", encoding="utf-8")
    run = Cache(tmp_path, tools="t", limit=10 * _KB)
    assert run.get("kind", run.key("kind", "c")) is not None  # the oldest, used again by this run
    fresh = _store(run, "d", 4 * _KB, age=0)
    assert run.prune() == 2  # 16 KB: down to 8 KB
    assert [path.exists() for path in (old, older, oldest, fresh)] == [False, False, True, True]
    assert user_file.read_text(encoding="utf-8") == "mine"


def test_a_read_renews_an_entry(tmp_path: Path) -> None:
    cache = Cache(tmp_path, tools="t", limit=5 * _KB)
    first, second = _store(cache, "a", 4 * _KB, age=100), _store(cache, "b", 4 * _KB, age=50)
    later = Cache(tmp_path, tools="t", limit=5 * _KB)
    assert later.get("kind", later.key("kind", "a")) is not None
    assert Cache(tmp_path, tools="t", limit=5 * _KB).prune() == 1
    assert first.exists()
    assert not second.exists()


def test_the_folder_is_walked_only_once_a_quarter_of_the_limit_was_written(tmp_path: Path) -> None:
    limit = 16 * _KB  # a quarter: 4 KB
    earlier = Cache(tmp_path, tools="t", limit=limit)
    old = [_store(earlier, f"old {number}", 5 * _KB, age=3600) for number in range(4)]  # 20 KB, over the limit
    small = Cache(tmp_path, tools="t", limit=limit)
    _store(small, "small", 1 * _KB, age=0)
    assert small.settle() == 0  # 1 KB written since: the folder is not walked
    assert (tmp_path / "written-since-pruning").read_text(encoding="ascii") == str(1 * _KB)
    assert all(path.exists() for path in old)
    larger = Cache(tmp_path, tools="t", limit=limit)
    _store(larger, "larger", 3 * _KB + 1, age=0)
    assert larger.settle() == 2  # 4 KB + 1 since: 24 KB + 1 down to 14 KB + 1
    assert (tmp_path / "written-since-pruning").read_text(encoding="ascii") == "0"
    assert [path.exists() for path in old] == [False, False, True, True]


def test_a_generation_keeps_its_cache_within_the_limit_and_its_output_intact(tmp_path: Path) -> None:
    cache = tmp_path / "cache"

    def generate(out: str, *options: str) -> None:
        command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(REPO / "spec"), "--out", out]
        done = subprocess.run(
            [*command, *options],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": str(REPO / "scripts")},
            timeout=300,
        )
        assert done.returncode == 0, done.stderr

    generate(str(tmp_path / "cold"), "--no-cache")
    generate(str(tmp_path / "filled"), "--cache-dir", str(cache))
    padding = Cache(cache, tools="t")  # entries of another clientgen version, unused for an hour: 1.5 MB
    old = [_store(padding, f"old {number}", 512 * _KB, age=3600) for number in range(3)]
    (cache / "written-since-pruning").write_text(str(10**9), encoding="ascii")  # much written since the last pruning
    generate(str(tmp_path / "warm"), "--cache-dir", str(cache), "--cache-limit-mb", "1")
    entries = [path for path in cache.rglob("*") if path.is_file() and path.name != "written-since-pruning"]
    assert sum(path.stat().st_size for path in entries) <= 1024 * _KB
    assert not any(path.exists() for path in old[:2])  # the oldest went first
    assert len([path for path in entries if path.parent.parent.name != "kind"]) > 0  # the run's own stayed
    assert diff_trees(tmp_path / "cold", tmp_path / "warm") == []
