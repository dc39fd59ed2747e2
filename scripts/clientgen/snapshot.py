"""Compare a freshly generated tree with the committed one, file by file.

Used by ``make check`` (is ``generated/`` stale?) and by the golden test: both regenerate
through the same :func:`clientgen.project.write_tree` that ``make generate`` runs.
"""

from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

from clientgen.project import write_tree

__all__ = ["diff_trees", "stale_report"]

MAX_DIFF_LINES = 60


def _is_tool_output(relative: Path) -> bool:
    """Caches and build output that tools leave in the tree are not part of the generation."""
    if relative.parts[0] in {"build", "dist"}:  # only at the top: a resource may be called "build"
        return True
    return any(part.startswith(".") or part == "__pycache__" or part.endswith(".egg-info") for part in relative.parts)


def _files(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not _is_tool_output(relative):
            found[relative.as_posix()] = path
    return found


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Human-readable differences; empty when the trees are byte-identical."""
    want, have = _files(expected), _files(actual)
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


def stale_report(spec: Path, config: Path | None, out: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="clientgen-check-") as tmp:
        fresh = Path(tmp) / "fresh"
        write_tree(spec, config, fresh, previous=out)  # versioned after the committed generation, as in place
        return diff_trees(fresh, out)
