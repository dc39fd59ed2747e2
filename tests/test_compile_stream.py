"""Modules compiled while the client renders count as checked only as written then; the last check does the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from clientgen.compile_stream import CompileStream
from clientgen.progress import Progress
from clientgen.project import _compile_all


def _module(root: Path, name: str, text: str) -> Path:
    path = root / "src" / "pkg" / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_only_modules_that_compiled_are_checked(tmp_path: Path) -> None:
    good, bad = _module(tmp_path, "a", "VALUE = 1\n"), _module(tmp_path, "b", "return 1\n")
    with CompileStream() as compiling:
        compiling.submit(good)
        compiling.submit(bad)
        compiling.submit(tmp_path / "README.md")  # not a module: not taken
        compiling.finish()
        checked = compiling.checked()
    assert set(checked) == {good}
    with pytest.raises(RuntimeError, match=r"does not compile: src/pkg/b\.py:1: 'return' outside function"):
        _compile_all(tmp_path, Progress(enabled=False), None, checked)


def test_a_module_changed_after_its_check_is_compiled_again(tmp_path: Path) -> None:
    path = _module(tmp_path, "a", "VALUE = 1\n")
    with CompileStream() as compiling:
        compiling.submit(path)
        compiling.finish()
        checked = compiling.checked()
    assert set(checked) == {path}
    _compile_all(tmp_path, Progress(enabled=False), None, checked)  # nothing left to compile
    path.write_text("return 1\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"does not compile: src/pkg/a\.py:1"):
        _compile_all(tmp_path, Progress(enabled=False), None, checked)


def test_modules_submitted_after_finish_are_left_for_the_last_check(tmp_path: Path) -> None:
    early, late = _module(tmp_path, "a", "VALUE = 1\n"), _module(tmp_path, "b", "return 1\n")
    with CompileStream() as compiling:
        compiling.submit(early)
        compiling.finish()
        compiling.submit(late)
        checked = compiling.checked()
    assert set(checked) == {early}
    with pytest.raises(RuntimeError, match=r"src/pkg/b\.py:1"):
        _compile_all(tmp_path, Progress(enabled=False), None, checked)
