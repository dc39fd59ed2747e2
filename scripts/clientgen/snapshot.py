"""Compare a freshly generated tree with the committed one, file by file.

Used by ``make check`` (is ``generated/`` stale?) and by the golden test: both regenerate
through the same :func:`clientgen.project.write_tree` that ``make generate`` runs.  Only the
files the committed generation lists in its manifest are compared: the user's own files in
the output folder (a ``.git``, a ``LICENSE``) are not clientgen's business.
"""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

from clientgen.cache import Cache
from clientgen.layout import INDEX_DIR
from clientgen.output_tree import listed_files
from clientgen.project import write_tree

__all__ = ["diff_trees", "stale_report"]

MAX_DIFF_LINES = 60
_GENERATED_HIDDEN = frozenset({INDEX_DIR, ".gitattributes"})  # hidden names clientgen writes itself


def _is_tool_output(relative: Path) -> bool:
    """Caches and build output that tools leave in the tree are not part of the generation."""
    if relative.parts[0] in {"build", "dist"}:  # only at the top: a resource may be called "build"
        return True
    hidden = [part for part in relative.parts if part.startswith(".") and part not in _GENERATED_HIDDEN]
    return bool(hidden) or any(part == "__pycache__" or part.endswith(".egg-info") for part in relative.parts)


def _files(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not _is_tool_output(relative):
            found[relative.as_posix()] = path
    return found


def _generated_files(root: Path, fresh: dict[str, Path]) -> dict[str, Path]:
    """The files of ``root`` that are clientgen's: those its manifest lists, and any the fresh generation writes.

    A folder without a manifest (from before it) is compared whole, caches and build output aside.
    """
    listed = listed_files(root)
    if listed is None:
        return _files(root)
    names = sorted(listed | fresh.keys())
    return {name: root / name for name in names if (root / name).is_file()}


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Human-readable differences; empty when the generated files are byte-identical."""
    want = _files(expected)
    have = _generated_files(actual, want)
    lines = [f"only in the fresh generation: {name}" for name in sorted(want.keys() - have.keys())]
    lines += [f"only in {actual}: {name}" for name in sorted(have.keys() - want.keys())]
    for name in sorted(want.keys() & have.keys()):
        old, new = have[name].read_bytes(), want[name].read_bytes()
        if old != new:
            diff = difflib.unified_diff(
                old.decode(errors="replace").splitlines(),
                new.decode(errors="replace").splitlines(),
                f"{actual.name}/{name}",
                f"fresh/{name}",
                lineterm="",
            )
            lines.extend(list(diff)[:MAX_DIFF_LINES])
    return lines


def stale_report(spec: Path, config: Path | None, out: Path, *, cache: Cache | None = None) -> list[str]:
    """The differences between ``out`` and a fresh generation (through ``cache``, as ``make generate`` does)."""
    with tempfile.TemporaryDirectory(prefix="clientgen-check-") as tmp:
        fresh = Path(tmp) / "fresh"
        # versioned after the committed generation, as in place
        write_tree(spec, config, fresh, previous=out, cache=cache)
        return diff_trees(fresh, out)
