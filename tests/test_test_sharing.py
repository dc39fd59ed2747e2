"""The test suite's own sharing: one generation per corpus package, and the groups that keep tests on one worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import corpus_packages
from clientgen.cache import Cache
from corpus_packages import CorpusPackages
from xdist_groups import group_of, next_unit, unit_order


def test_a_corpus_package_is_generated_once_for_every_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "specs").mkdir(parents=True)
    (corpus / "specs" / "api.json").write_text("{}", encoding="utf-8")
    written: list[Path] = []

    def fake_write_tree(spec: Path, config: Path | None, out: Path, *, cache: Cache) -> None:
        assert cache.root == root / "cache"  # one cache for the run's packages
        out.mkdir()
        (out / "report.json").write_text(f"{spec.name} {config}", encoding="utf-8")
        written.append(out)

    monkeypatch.setattr(corpus_packages, "write_tree", fake_write_tree)
    root = tmp_path / "run" / "corpus-packages"
    first, second = CorpusPackages(corpus, root), CorpusPackages(corpus, root)  # two workers of one run
    tree = first("specs/api.json")
    assert second("specs/api.json") == tree == first("specs/api.json")
    assert len(written) == 1
    assert written[0] != tree, "generated under a temporary name, renamed when whole"
    assert (tree / "report.json").read_text(encoding="utf-8") == f"api.json {corpus_packages.CONFIG}"
    described = second("specs/api.json", config=None)  # the description alone: a tree of its own, also once
    assert first("specs/api.json", config=None) == described != tree
    assert len(written) == 2
    assert (described / "report.json").read_text(encoding="utf-8") == "api.json None"
    with pytest.raises(ValueError, match="no config"):
        first("specs/api.json", config=tmp_path / "other.toml")
    with pytest.raises(pytest.skip.Exception, match="does not exist"):
        first("specs/missing.json")


@dataclass
class _FixtureDef:
    scope: str


@dataclass
class _FixtureInfo:
    name2fixturedefs: dict[str, list[_FixtureDef]]


@dataclass
class _CallSpec:
    indices: dict[str, int]


@dataclass
class _Item:
    """What ``group_of`` reads of a pytest item."""

    nodeid: str
    fixtures: dict[str, str] = field(default_factory=dict)
    indices: dict[str, int] | None = None
    groups: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._fixtureinfo = _FixtureInfo({name: [_FixtureDef(scope)] for name, scope in self.fixtures.items()})
        if self.indices is not None:
            self.callspec = _CallSpec(self.indices)

    def iter_markers(self, name: str) -> list[Any]:
        assert name == "xdist_group"
        return [pytest.mark.xdist_group(group).mark for group in self.groups]


def test_groups_follow_marks_then_module_fixtures_then_each_test_alone() -> None:
    marked = _Item("tests/test_a.py::test_x[2024]", {"generated": "module"}, {"generated": 0}, ["corpus-2024"])
    spec0 = _Item("tests/test_a.py::test_y[2023]", {"generated": "module", "tmp_path": "function"}, {"generated": 1})
    spec1 = _Item("tests/test_a.py::test_z[2023]", {"generated": "module"}, {"generated": 1})
    unparametrized = _Item("tests/test_a.py::test_plain", {"tmp_path": "function"})
    alone = _Item("tests/test_b.py::test_w", {"corpus": "session", "tmp_path": "function"})
    sharing = {"tests/test_a.py"}
    assert group_of(marked, sharing) == "group:corpus-2024"
    assert group_of(spec0, sharing) == group_of(spec1, sharing) == "tests/test_a.py-generated1"
    assert group_of(unparametrized, sharing) == "tests/test_a.py"
    assert group_of(alone, sharing) == "tests/test_b.py::test_w"


def test_long_running_units_start_first_then_the_largest() -> None:
    units = {"a": ["t1"], "b": ["t2", "t3"], "chain-1": ["t4"], "c": ["t5", "t6"], "chain-2": ["t7"], "d": ["t8"]}
    seconds = {"chain-2": 200.0, "chain-1": 220.0}
    assert unit_order(units, seconds) == ["chain-1", "chain-2", "b", "c", "a", "d"]
    assert unit_order(units, {}) == ["b", "c", "a", "chain-1", "chain-2", "d"]


def test_a_worker_busy_with_a_long_unit_gets_the_smallest_next() -> None:
    queue, seconds = ["chain-2", "big-group", "small"], {"chain-1": 220.0, "chain-2": 200.0}
    assert next_unit(queue, seconds, ["chain-1"]) == "small"
    assert next_unit(queue, seconds, []) == "chain-2"
    assert next_unit(queue, seconds, ["small"]) == "chain-2"
