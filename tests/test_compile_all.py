"""The last check before the swap compiles every module in two processes, reporting the first failure in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from clientgen.progress import Progress
from clientgen.project import _compile_all


def _package(root: Path, broken: set[str]) -> None:
    for name in ["a", "b", "c", "d", "e"]:
        path = root / "src" / "pkg" / f"{name}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("return 1\n" if name in broken else f"VALUE = {name!r}\n", encoding="utf-8")


def test_all_compiling_passes(tmp_path: Path) -> None:
    _package(tmp_path, set())
    _compile_all(tmp_path, Progress(enabled=False))


@pytest.mark.parametrize(
    ("broken", "reported"),
    [({"a"}, "a"), ({"b"}, "b"), ({"e"}, "e"), ({"b", "c"}, "b"), ({"c", "d"}, "c"), ({"d", "e"}, "d")],
)
def test_first_failure_in_sorted_order_is_reported(tmp_path: Path, broken: set[str], reported: str) -> None:
    _package(tmp_path, broken)
    with pytest.raises(RuntimeError, match=rf"does not compile: src/pkg/{reported}\.py:1: 'return' outside function"):
        _compile_all(tmp_path, Progress(enabled=False))
