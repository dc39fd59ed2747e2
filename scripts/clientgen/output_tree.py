"""Put a new generation into the output folder, replacing exactly the files the previous one wrote.

The output folder may be a git repository or hold the user's own files (``LICENSE``, ``.github/``,
a hand-written ``tests/``): every generation lists the files it wrote in a manifest inside the
output (:data:`MANIFEST_FILE`), and the next generation replaces or removes only those.  A
folder that holds files and no manifest is refused unless ``force``; a generation from before
the manifest (a ``report.json`` at the top) is migrated: its files are the package under
``src/<package>/``, the files clientgen has always written at the top, and what the new
generation writes.

A file whose bytes are already those of the new generation is left in place (neither moved aside nor
replaced): a one-operation change moves a handful of files, not all 1,800 of a large API, and the
unchanged files keep their modification times (bytecode caches, editors and ``git status`` see nothing).

The move is a transaction.  A journal beside the output lists the plan before anything moves;
every file that is replaced or removed is moved into a backup folder first (a rename: the same
filesystem), then the new files are moved in.  A failure rolls back from the journal; a run that
died in the middle (SIGKILL, power loss) is rolled back at the start of the next one.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from clientgen.diagnostics import SpecError
from clientgen.jsontext import dumps_sorted
from clientgen.layout import INDEX_DIR, MANIFEST_FILE

__all__ = [
    "INDEX_DIR",
    "JOURNAL_FILE",
    "LEGACY_MARKER",
    "MANIFEST_FILE",
    "Plan",
    "commit",
    "listed_files",
    "plan_move",
    "previous_files",
    "recover",
    "write_manifest",
]

LEGACY_MARKER = "report.json"  # generations from before the manifest had one at the top
# What generations before the manifest wrote at the top of the output (the package aside).
LEGACY_TOP_FILES = ("CHANGELOG.md", "README.md", "api.json", "api.md", "names.json", "openapi.normalized.json",
                    "pyproject.toml", "report.json")  # fmt: skip
JOURNAL_FILE = "journal.json"
MANIFEST_FORMAT = 1


@dataclass(frozen=True)
class Plan:
    """Which files move: ``displaced`` (present now, replaced or removed) and ``placed`` (the new generation)."""

    out: Path
    displaced: tuple[str, ...]
    placed: tuple[str, ...]
    created: tuple[str, ...]  # folders the new generation needs that do not exist yet, outermost first
    removed: tuple[str, ...]  # displaced and not placed again: their folders are pruned when emptied


def _relative_files(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def write_manifest(tree: Path) -> list[str]:
    """List every file of ``tree`` (a complete generation), the manifest included, in the manifest; return them."""
    manifest = tree / MANIFEST_FILE
    manifest.parent.mkdir(parents=True, exist_ok=True)
    files = sorted({*_relative_files(tree), MANIFEST_FILE})
    document = {"format": MANIFEST_FORMAT, "generator": "clientgen", "files": files}
    manifest.write_text(dumps_sorted(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    return files


def _safe_relative(entry: object) -> bool:
    """A manifest entry names a file inside the output: relative, no ``..``, not inside ``.git``."""
    if not isinstance(entry, str) or not entry or "\\" in entry or "\0" in entry:
        return False
    path = PurePosixPath(entry)
    return not path.is_absolute() and ".." not in path.parts and path.parts[0] != ".git" and path.as_posix() == entry


def listed_files(out: Path) -> frozenset[str] | None:
    """The files the manifest in ``out`` lists, or ``None`` without a manifest; a bad manifest is refused."""
    manifest = out / MANIFEST_FILE
    if not manifest.is_file():
        return None
    try:
        document = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SpecError(manifest, f"unreadable manifest ({error}); restore it from version control") from None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, list):
        raise SpecError(manifest, "not a clientgen manifest (no list of files)", pointer="/files")
    for number, entry in enumerate(files):
        if not _safe_relative(entry):
            message = f"refusing manifest entry {entry!r}: outside the output"
            raise SpecError(manifest, message, pointer=f"/files/{number}")
    return frozenset(files)


def previous_files(out: Path, package: str, *, force: bool) -> tuple[frozenset[str], bool]:
    """The files the previous generation in ``out`` wrote, and whether it predates the manifest.

    A folder that holds something and no manifest is refused (clientgen did not write it) unless ``force``.
    """
    if not out.exists():
        return frozenset(), False
    if not out.is_dir():
        raise SpecError(out, "refusing to replace the output: it is not a folder; choose another --out")
    listed = listed_files(out)
    if listed is not None:
        return listed, False
    if (out / LEGACY_MARKER).is_file():
        package_dir = out / "src" / package
        inside = _relative_files(package_dir) if package_dir.is_dir() else []
        package_files = [f"src/{package}/{name}" for name in inside if "__pycache__" not in name.split("/")]
        return frozenset([*LEGACY_TOP_FILES, *package_files]), True
    if force or not any(out.iterdir()):
        return frozenset(), False
    message = (
        f"refusing to replace the output folder: it is not empty and holds no {MANIFEST_FILE}, so clientgen "
        "did not write it; choose an empty or new --out, or pass --force (make generate FORCE=1) to write into it"
    )
    raise SpecError(out, message)


def _occupied(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _same_file(new: Path, old: Path) -> bool:
    """``old`` is a regular file (no link) holding exactly ``new``'s bytes: nothing to replace."""
    try:
        status = old.lstat()
        if not stat.S_ISREG(status.st_mode) or status.st_size != new.stat().st_size:
            return False
        return old.read_bytes() == new.read_bytes()
    except OSError:
        return False


def _folder_kind(folder: Path, seen: dict[Path, str]) -> str:
    """``folder`` is a ``dir``, ``missing`` or something else (``bad``: a link or a file); each looked at once."""
    kind = seen.get(folder)
    if kind is None:
        try:
            mode = folder.lstat().st_mode
        except OSError:
            kind = "missing"
        else:
            kind = "dir" if stat.S_ISDIR(mode) else "bad"
        seen[folder] = kind
    return kind


def plan_move(  # noqa: PLR0913 - the two trees and what is known about the previous generation
    out: Path,
    tree: Path,
    previous: frozenset[str],
    *,
    legacy: bool,
    force: bool,
    keep: list[Path],
    files: list[str] | None = None,
) -> Plan:
    """What moves, checked before anything does: nothing clientgen did not write is replaced without ``force``.

    ``files``: the files of ``tree`` (:func:`write_manifest`'s list), else found by a walk.  A file of ``out``
    that clientgen wrote and that holds the new bytes already stays where it is: neither displaced nor placed.
    """
    new = set(_relative_files(tree) if files is None else files)
    owned = previous | new if legacy else previous
    kept = {path.resolve() for path in keep}
    displaced, created, unchanged = [], set(), set()
    folders: dict[Path, str] = {}
    for name in sorted(owned | new):
        target = out / name
        for parent in PurePosixPath(name).parents[:-1]:
            kind = _folder_kind(out / parent, folders)
            if kind == "bad":
                message = f"refusing to write {name}: {parent} is not a folder clientgen can write into"
                raise SpecError(out, message + "; move it away or choose another --out")
            if kind == "missing" and name in new:
                created.add(parent.as_posix())
        if target.is_dir() and not target.is_symlink():
            if name in new:
                raise SpecError(out, f"refusing to replace the folder {name} by a generated file; move it away")
            continue  # a listed file that the user replaced by a folder: theirs now
        if not _occupied(target):
            continue
        if name not in owned and not force:
            message = f"refusing to overwrite {name}: clientgen did not write it (not in {MANIFEST_FILE})"
            raise SpecError(out, message + "; move it away or pass --force (make generate FORCE=1)")
        if target.resolve() in kept:
            raise SpecError(out, f"refusing to replace the output folder: it holds {target}; choose another --out")
        if name in new and name in owned and _same_file(tree / name, target):
            unchanged.add(name)
            continue
        displaced.append(name)
    if not out.exists():
        created.add("")  # the output folder itself: removed again if the moves fail
    removed = sorted(set(displaced) - new)
    placed = sorted(new - unchanged)
    ordered = sorted(created, key=lambda folder: (folder.count("/") + bool(folder), folder))
    return Plan(out, tuple(displaced), tuple(placed), tuple(ordered), tuple(removed))


def commit(plan: Plan, tree: Path, staging: Path) -> None:
    """Move the displaced files into ``staging``'s backup and the new ones in; roll back on any failure.

    Call with SIGINT/SIGTERM held: the moves are renames and take well under a second even for
    thousands of files.
    """
    journal = staging / JOURNAL_FILE
    backup = staging / "backup"
    record = {"out": str(plan.out), "displaced": list(plan.displaced), "placed": list(plan.placed),
              "created": list(plan.created)}  # fmt: skip
    journal.write_text(json.dumps(record), encoding="utf-8")  # before anything moves: a crash can be rolled back
    made: set[Path] = set()  # folders made (or found) already: one mkdir per folder, not per file (~0.3 ms each)

    def folder(path: Path) -> None:
        if path not in made:
            path.mkdir(parents=True, exist_ok=True)
            made.add(path)

    try:
        folder(plan.out)
        for name in plan.displaced:
            folder((backup / name).parent)
            (plan.out / name).replace(backup / name)
        for name in plan.placed:
            folder((plan.out / name).parent)
            (tree / name).replace(plan.out / name)
    except BaseException:
        _roll_back(journal)
        raise
    journal.unlink()  # committed: from here on nothing is rolled back
    _prune(plan.out, plan.removed)


def _roll_back(journal: Path) -> None:
    """Undo a commit from its journal, whatever point it reached: each file's state says what to do."""
    record = json.loads(journal.read_text(encoding="utf-8"))
    out, backup = Path(record["out"]), journal.parent / "backup"
    displaced = set(record["displaced"])
    for name in record["placed"]:
        if name not in displaced and _occupied(out / name):
            (out / name).unlink()  # nothing was there before: this is the new generation's file
    for name in sorted(displaced):
        if _occupied(backup / name):
            (backup / name).replace(out / name)  # over the new file, if it was placed already
    for folder in reversed(record["created"]):
        with contextlib.suppress(OSError):
            (out / folder).rmdir()
    journal.unlink()


def recover(out: Path) -> None:
    """Roll back a commit into ``out`` that a previous run did not finish (killed in the middle of it)."""
    if not out.parent.is_dir():
        return
    for journal in sorted(out.parent.glob(f".generated-*/{JOURNAL_FILE}")):
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            if Path(json.loads(journal.read_text(encoding="utf-8"))["out"]) == out:
                _roll_back(journal)
                shutil.rmtree(journal.parent, ignore_errors=True)


def _prune(out: Path, removed: tuple[str, ...]) -> None:
    """Remove the folders that only held removed files (and their bytecode); folders with anything else stay."""
    folders: set[PurePosixPath] = set()
    for name in removed:
        path = PurePosixPath(name)
        if path.suffix == ".py":  # the removed module's bytecode would keep its folder alive
            for stale in (out / path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
                stale.unlink(missing_ok=True)
        folders.update(path.parents[:-1])
    for folder in sorted(folders, key=lambda item: (-len(item.parts), item.as_posix())):
        for candidate in (out / folder / "__pycache__", out / folder):
            with contextlib.suppress(OSError):  # not empty (the user's files) or gone
                candidate.rmdir()
