"""Nothing clientgen did not write is ever deleted or overwritten.

The output folder is the user's git repository (history, tracked, untracked and ignored files,
hand-written code beside and inside the generated package): ten regenerations between two
specs and an interrupted one keep every user file byte for byte and the repository intact;
regeneration replaces exactly the files the previous generation listed in its manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clientgen.diagnostics import SpecError
from clientgen.layout import INDEX_DIR, MANIFEST_FILE, NAMES_FILE, NORMALIZED_FILE, REPORT_FILE, SURFACE_FILE
from clientgen.output_tree import JOURNAL_FILE, LEGACY_MARKER, listed_files, plan_move
from clientgen.project import write_tree
from clientgen.snapshot import diff_trees
from test_hostile import REPO
from test_hostile_atomic import _slow_spec, _staging, _wait_for, interruptible_children

GIT = shutil.which("git")
PACKAGE = "safety_client"
WHO = {"NAME": "t", "EMAIL": "t@example.invalid"}

# The user's files: tracked, beside and inside the generated package, hidden, in folders of their own.
TRACKED = {
    "MY_NOTES.md": "# notes\nkeep me\n",
    "LICENSE": "MIT\n",
    ".gitignore": "*.secret\nlocal/\n",
    ".github/workflows/ci.yml": "on: push\n",
    "lib/helper.py": "def helper() -> int:\n    return 1\n",
    "tests/test_mine.py": "def test_mine() -> None:\n    assert True\n",
    f"src/{PACKAGE}/my_extension.py": "EXTENDED = True\n",
}
UNTRACKED = {"scratch.txt": "draft\n", f"src/{PACKAGE}/resources/mine/notes.txt": "beside a generated folder\n"}
IGNORED = {"api.secret": "token\n", "local/cache.bin": "\x00\x01binary\n"}
USER_FILES = {**TRACKED, **UNTRACKED, **IGNORED}


def _spec(folder: Path, name: str, resources: list[str]) -> Path:
    """A small API with one list operation per resource, each returning its own model."""
    paths: dict[str, Any] = {}
    for resource in resources:
        item = {"type": "object", "properties": {"id": {"type": "string"}, f"{resource}_size": {"type": "integer"}}}
        listed = {"type": "array", "items": item}
        paths[f"/{resource}"] = {
            "get": {
                "operationId": f"list-{resource}",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": listed}},
                    }
                },
            }
        }
    spec = folder / f"{name}.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": name, "version": "1"}, "paths": paths}))
    return spec


def _config(folder: Path) -> Path:
    path = folder / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[package]\ndistribution = "safety-client"\nimport_name = "{PACKAGE}"\nversion = "0.1.0"\n'
        'base_url = "http://127.0.0.1:9"\nenvironment_prefix = "SAFETY"\n',
        encoding="utf-8",
    )
    return path


def _git(repo: Path, *arguments: str) -> str:
    assert GIT is not None
    who = {f"GIT_{role}_{field}": value for role in ("AUTHOR", "COMMITTER") for field, value in WHO.items()}
    env = {**os.environ, **who, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent)}
    result = subprocess.run([GIT, *arguments], cwd=repo, capture_output=True, text=True, check=True, env=env)
    return result.stdout


def _place(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode())


def _hashes(root: Path, names: list[str]) -> dict[str, str]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in names}


def _git_tree_hashes(root: Path) -> dict[str, str]:
    """Every file of ``.git``: the repository itself must not change when clientgen runs."""
    git_dir = root / ".git"
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(git_dir.rglob("*")) if path.is_file()}  # fmt: skip


def _commit_generation(repo: Path, message: str) -> None:
    """What a user does after regenerating: commit what clientgen wrote (and removed), nothing else."""
    listed = listed_files(repo)
    assert listed is not None
    _git(repo, "add", "--", *sorted(listed))
    _git(repo, "add", "--update", "--", "src", ".clientgen")  # removed generated files
    _git(repo, "commit", "--quiet", "--allow-empty", "-m", message)


@pytest.mark.skipif(GIT is None, reason="git is not installed")
def test_git_repository_survives_ten_regenerations_and_an_interrupted_one(tmp_path: Path) -> None:
    config = _config(tmp_path / "config")
    specs = [
        _spec(tmp_path / "specs", "first", ["zones", "dns"]),
        _spec(tmp_path / "specs", "second", ["zones", "ips"]),
    ]
    repo = tmp_path / "client"
    write_tree(specs[0], config, repo)
    _git(repo, "init", "--quiet")
    _place(repo, TRACKED)
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "-m", "generated client and my files")
    _git(repo, "commit", "--quiet", "--allow-empty", "-m", "second commit: history")
    _place(repo, {**UNTRACKED, **IGNORED})
    assert _git(repo, "status", "--porcelain", "--ignored").count("!!") == 2  # ignored files are really ignored
    history = _git(repo, "log", "--format=%H %s")
    before = _hashes(repo, sorted(USER_FILES))

    for number in range(10):
        spec = specs[(number + 1) % 2]
        write_tree(spec, config, repo)
        assert _hashes(repo, sorted(USER_FILES)) == before, f"regeneration {number + 1} changed a user file"
        resources = repo / "src" / PACKAGE / "resources"
        assert (resources / "dns").is_dir() == (spec == specs[0])  # the previous generation's files went
        assert (resources / "ips").is_dir() == (spec == specs[1])
        _commit_generation(repo, f"regeneration {number + 1}")
        assert _git(repo, "status", "--porcelain") == "?? scratch.txt\n?? src/safety_client/resources/mine/\n"

    assert _git(repo, "log", "--format=%H %s").endswith(history), "the history before regenerating changed"
    assert _git(repo, "rev-list", "--count", "HEAD").strip() == "12"
    _git(repo, "fsck", "--full", "--strict")
    assert sorted(_git(repo, "ls-files", "--", *TRACKED).split()) == sorted(TRACKED)

    everything = {path.relative_to(repo).as_posix(): path.read_bytes() for path in repo.rglob("*") if path.is_file()}
    with interruptible_children():
        process = subprocess.Popen(
            [sys.executable, "-m", "clientgen", "generate", "--spec", str(_slow_spec(tmp_path / "slow")),
             "--config", str(config), "--out", str(repo), "--no-cache"],  # a warm cache could end it first
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, start_new_session=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "scripts")},
        )  # fmt: skip
    try:
        _wait_for(lambda: any((stage / "tree" / "src").exists() for stage in _staging(repo)), process)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr
    after = {path.relative_to(repo).as_posix(): path.read_bytes() for path in repo.rglob("*") if path.is_file()}
    assert after == everything, "the interrupted run changed a file"
    assert _staging(repo) == []
    _git(repo, "fsck", "--full", "--strict")


def test_folder_without_manifest_is_refused_unless_forced(tmp_path: Path) -> None:
    config, spec = _config(tmp_path / "config"), _spec(tmp_path / "specs", "first", ["zones"])
    out = tmp_path / "project"
    _place(out, {"README.md": "mine\n", "lib/helper.py": "X = 1\n"})
    with pytest.raises(SpecError, match=r"did not write it.*--force"):
        write_tree(spec, config, out)
    assert sorted(path.name for path in out.rglob("*")) == ["README.md", "helper.py", "lib"]
    write_tree(spec, config, out, force=True)  # README.md is clientgen's name too: forced, it is overwritten
    assert (out / "lib" / "helper.py").read_text() == "X = 1\n"
    assert (out / "README.md").read_text() != "mine\n"
    assert "README.md" in (listed_files(out) or ())
    assert "lib/helper.py" not in (listed_files(out) or ())


def test_a_user_file_where_clientgen_now_writes_is_refused(tmp_path: Path) -> None:
    config = _config(tmp_path / "config")
    out = tmp_path / "client"
    write_tree(_spec(tmp_path / "specs", "first", ["zones"]), config, out)
    mine = out / "src" / PACKAGE / "resources" / "dns" / "dns.py"
    mine.parent.mkdir()
    mine.write_text("# mine\n", encoding="utf-8")
    before = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    with pytest.raises(SpecError, match=r"refusing to overwrite src/safety_client/resources/dns/dns.py: clientgen did"):
        write_tree(_spec(tmp_path / "specs", "second", ["zones", "dns"]), config, out)
    after = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == before
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.startswith(".generated-")] == []


def test_emptied_folders_go_and_folders_with_user_files_stay(tmp_path: Path) -> None:
    config = _config(tmp_path / "config")
    out = tmp_path / "client"
    first = _spec(tmp_path / "specs", "first", ["zones", "dns"])
    write_tree(first, config, out)
    listed = listed_files(out)
    assert listed is not None
    assert MANIFEST_FILE in listed
    on_disk = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    assert listed == on_disk  # the manifest lists exactly what the generation wrote
    dns = out / "src" / PACKAGE / "resources" / "dns"
    (dns / "__pycache__").mkdir()  # bytecode of generated modules, as an import leaves it
    for module in dns.glob("*.py"):
        (dns / "__pycache__" / f"{module.stem}.cpython-311.pyc").write_bytes(b"")
    second = _spec(tmp_path / "specs", "second", ["ips"])
    write_tree(second, config, out)
    assert not dns.exists()  # held generated modules and their bytecode only: removed
    assert not (out / "src" / PACKAGE / "types" / "dns.py").exists()
    assert (out / "src" / PACKAGE / "types" / "ips.py").is_file()
    write_tree(first, config, out)
    (dns / "mine.txt").write_text("mine\n", encoding="utf-8")
    write_tree(second, config, out)
    assert (dns / "mine.txt").read_text() == "mine\n"  # its folder stays
    leftover = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    assert leftover == (listed_files(out) or set()) | {f"src/{PACKAGE}/resources/dns/mine.txt"}
    folders = [path for path in out.rglob("*") if path.is_dir()]
    assert all(any(folder.iterdir()) for folder in folders), "an emptied folder was kept"


def test_generation_from_before_the_manifest_is_migrated(tmp_path: Path) -> None:
    """Index files at the top and no manifest: the old package and index files are replaced, the user's kept."""
    config, spec = _config(tmp_path / "config"), _spec(tmp_path / "specs", "first", ["zones"])
    out = tmp_path / "client"
    write_tree(spec, config, out)
    fresh = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    for name in (REPORT_FILE, SURFACE_FILE, NAMES_FILE, NORMALIZED_FILE):  # where they were before the index folder
        (out / name).replace(out / Path(name).name)
    shutil.rmtree(out / INDEX_DIR)
    assert (out / LEGACY_MARKER).is_file()
    _place(out, {f"src/{PACKAGE}/resources/old_gone.py": "OLD = 1\n", "MY_NOTES.md": "mine\n"})
    write_tree(spec, config, out)
    assert not (out / "src" / PACKAGE / "resources" / "old_gone.py").exists()  # the old package's, not the user's
    assert (out / "MY_NOTES.md").read_text() == "mine\n"
    after = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == {**fresh, "MY_NOTES.md": b"mine\n"}  # same version, names and changelog: read from the top


def test_config_less_generation_from_before_the_manifest_is_migrated(tmp_path: Path) -> None:
    """Without a config the package is named from info.title: the old package folder is still found and pruned."""
    spec = _spec(tmp_path / "specs", "Pets Store", ["pets"])
    out = tmp_path / "client"
    write_tree(spec, None, out)
    packages = [path.name for path in (out / "src").iterdir()]
    assert packages == ["pets_store_client"]
    for name in (REPORT_FILE, SURFACE_FILE, NAMES_FILE, NORMALIZED_FILE):
        (out / name).replace(out / Path(name).name)
    shutil.rmtree(out / INDEX_DIR)
    _place(out, {"src/pets_store_client/resources/old_gone.py": "OLD = 1\n", "MY_NOTES.md": "mine\n"})
    write_tree(spec, None, out)
    assert not (out / "src" / "pets_store_client" / "resources" / "old_gone.py").exists()
    assert (out / "MY_NOTES.md").read_text() == "mine\n"


def test_make_check_ignores_user_files(tmp_path: Path) -> None:
    config, spec = _config(tmp_path / "config"), _spec(tmp_path / "specs", "first", ["zones"])
    out, fresh = tmp_path / "client", tmp_path / "fresh"
    write_tree(spec, config, out)
    write_tree(spec, config, fresh, previous=out)
    _place(out, {"MY_NOTES.md": "mine\n", "lib/helper.py": "X = 1\n"})
    assert diff_trees(fresh, out) == []
    (out / "src" / PACKAGE / "_version.py").write_text("edited\n", encoding="utf-8")
    assert any("_version.py" in line for line in diff_trees(fresh, out))


def test_a_run_killed_while_moving_files_is_rolled_back_by_the_next(tmp_path: Path) -> None:
    """SIGKILL cannot be held: the journal beside the output lets the next run put the previous generation back."""
    config = _config(tmp_path / "config")
    out = tmp_path / "client"
    write_tree(_spec(tmp_path / "specs", "first", ["zones", "dns"]), config, out)
    before = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    staging = tmp_path / ".generated-killed"
    tree = staging / "tree"
    write_tree(_spec(tmp_path / "specs", "second", ["zones", "ips"]), config, tree)
    previous = listed_files(out)
    assert previous is not None
    plan = plan_move(out, tree, previous, legacy=False, force=False, keep=[])
    record = {"out": str(out), "displaced": list(plan.displaced), "placed": list(plan.placed),
              "created": list(plan.created)}  # fmt: skip
    (staging / JOURNAL_FILE).write_text(json.dumps(record), encoding="utf-8")
    half = len(plan.displaced) // 2  # killed half-way through moving the previous files aside
    for name in plan.displaced[:half]:
        (staging / "backup" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).replace(staging / "backup" / name)
    with pytest.raises(SpecError, match="no-such-file"):
        write_tree(tmp_path / "no-such-file.json", config, out)  # the next run recovers first, then fails
    after = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == before
    assert not staging.exists()


def test_bad_manifest_is_one_line_naming_it(tmp_path: Path) -> None:
    config, spec = _config(tmp_path / "config"), _spec(tmp_path / "specs", "first", ["zones"])
    out = tmp_path / "client"
    write_tree(spec, config, out)
    (out / MANIFEST_FILE).write_text(json.dumps({"files": ["../outside.txt"]}), encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        write_tree(spec, config, out)
    assert str(raised.value).startswith(f"{out / MANIFEST_FILE}#/files/0: refusing manifest entry")
    assert "\n" not in str(raised.value)


def test_a_failure_while_moving_files_in_rolls_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _config(tmp_path / "config")
    first, second = _spec(tmp_path / "specs", "first", ["zones", "dns"]), _spec(tmp_path / "specs", "second", ["ips"])
    out = tmp_path / "client"
    write_tree(first, config, out)
    _place(out, {"MY_NOTES.md": "mine\n"})
    before = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    real_replace = Path.replace
    moves: list[Path] = []

    def failing_replace(self: Path, target: str | os.PathLike[str]) -> Path:
        if ".generated-" in f"{self}{target}":  # a move of the commit, not one inside the build
            moves.append(self)
            if len(moves) == 7:
                message = "No space left on device"
                raise OSError(message)
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        write_tree(second, config, out)
    moves.clear()
    with pytest.raises(OSError, match="No space left"):
        write_tree(second, config, tmp_path / "new")
    monkeypatch.undo()
    assert len(moves) == 7  # the failure came in the middle of the moves
    after = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
    assert after == before
    assert not (tmp_path / "new").exists()  # a new output folder is not left behind, empty or not
    assert [entry.name for entry in tmp_path.iterdir() if entry.name.startswith(".generated-")] == []


def test_unchanged_files_stay_in_place_and_edited_ones_are_restored(tmp_path: Path) -> None:
    """Only the files whose bytes change are moved: the others keep their inode (and modification time)."""
    config, specs = _config(tmp_path / "config"), tmp_path / "specs"
    out = tmp_path / "client"
    write_tree(_spec(specs, "first", ["zones", "dns"]), config, out)
    write_tree(_spec(specs, "first", ["zones", "dns"]), config, out)  # versioned after itself: a settled tree
    before = {path: path.stat().st_ino for path in out.rglob("*") if path.is_file()}
    edited = out / "src" / PACKAGE / "_version.py"
    edited.write_text("edited by hand\n", encoding="utf-8")
    before[edited] = edited.stat().st_ino
    write_tree(_spec(specs, "first", ["zones", "dns"]), config, out)
    write_tree(_spec(specs, "first", ["zones", "dns"]), config, tmp_path / "fresh", previous=out)
    assert diff_trees(tmp_path / "fresh", out) == []  # the hand edit is undone
    moved = sorted(path.relative_to(out).as_posix() for path, inode in before.items() if path.stat().st_ino != inode)
    assert moved == [f"src/{PACKAGE}/_version.py"]
