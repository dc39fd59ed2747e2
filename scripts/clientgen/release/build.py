"""Build the generated package into a reproducible sdist and wheel, and check them with twine.

The generated folder is copied (without caches or earlier build output) into a temporary
folder and built there with ``python -m build --no-isolation``: the build backend
(setuptools, pinned in ``requirements.lock``) is the one in our virtualenv, so no network is
needed and two builds of the same tree give byte-identical files.  ``SOURCE_DATE_EPOCH``
fixes the timestamps in the wheel; the sdist is rewritten afterwards with sorted entries,
that timestamp, no owner names and a gzip header without time, because setuptools' tarball
takes file times, owners and the gzip time from the machine.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from clientgen.release import ReleaseError

__all__ = ["Distribution", "build_distribution", "check_distribution", "read_project", "source_date_epoch"]

# 1980-01-01T00:00:00Z, the earliest time a zip file can hold: the timestamp when the
# generated folder is not in git and SOURCE_DATE_EPOCH is not set.
FALLBACK_EPOCH = 315_532_800
BUILD_SECONDS = 300


@dataclass(frozen=True)
class Project:
    name: str
    version: str
    import_name: str


@dataclass(frozen=True)
class Distribution:
    project: Project
    sdist: Path
    wheel: Path

    @property
    def files(self) -> tuple[Path, Path]:
        return (self.sdist, self.wheel)


def read_project(out: Path) -> Project:
    """Name and version from the generated ``pyproject.toml``, which must agree with ``_version.py``."""
    pyproject = out / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        name, version = str(project["name"]), str(project["version"])
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        msg = f"{pyproject}: no [project] name and version ({type(error).__name__}: {error}); run `make generate`"
        raise ReleaseError(msg) from None
    try:
        Version(version)
    except InvalidVersion:
        msg = f"{pyproject}: version {version!r} is not a valid Python package version"
        raise ReleaseError(msg) from None
    packages = sorted((out / "src").glob("*/_version.py"))
    if len(packages) != 1:
        msg = f"{out}/src: expected one package with a _version.py, found {len(packages)}; run `make generate`"
        raise ReleaseError(msg)
    written = packages[0].read_text(encoding="utf-8")
    if f"__version__ = {version!r}" not in written and f'__version__ = "{version}"' not in written:
        msg = f"{packages[0]} does not say __version__ = {version!r} like {pyproject}; run `make generate`"
        raise ReleaseError(msg)
    return Project(name=name, version=version, import_name=packages[0].parent.name)


def source_date_epoch(out: Path) -> int:
    """``SOURCE_DATE_EPOCH`` if set, else the time of the last commit touching ``out``, else 1980-01-01."""
    configured = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if configured:
        if not configured.isdigit():
            msg = f"SOURCE_DATE_EPOCH={configured!r} is not a number of seconds"
            raise ReleaseError(msg)
        return max(int(configured), FALLBACK_EPOCH)
    git = shutil.which("git")
    if git is not None and out.is_dir():
        result = subprocess.run(  # noqa: S603 - fixed argv, the folder is a path argument
            [git, "log", "-1", "--format=%ct", "--", "."],
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if result.returncode == 0 and result.stdout.strip().isdigit():
            return max(int(result.stdout.strip()), FALLBACK_EPOCH)
    return FALLBACK_EPOCH


def _copy_source(out: Path, source: Path, epoch: int) -> None:
    """Copy without caches and earlier build output; every file gets the same fixed time."""

    def tool_output(directory: str, names: list[str]) -> set[str]:
        at_top = Path(directory) == out
        return {
            name
            for name in names
            if name.startswith(".")
            or name == "__pycache__"
            or name.endswith(".egg-info")
            or (at_top and name in {"build", "dist"})
        }

    shutil.copytree(out, source, ignore=tool_output)
    for path in sorted(source.rglob("*"), reverse=True):
        os.utime(path, (epoch, epoch), follow_symlinks=False)


def _normalize_sdist(path: Path, epoch: int) -> None:
    """Rewrite the tarball with sorted entries, fixed times and owners, and no time in the gzip header."""
    with tarfile.open(path, "r:gz") as source:
        entries = []
        for member in sorted(source.getmembers(), key=lambda item: item.name):
            data = source.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            entries.append((member, data))
    raw = io.BytesIO()
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as target,
    ):
        for member, data in entries:
            member.mtime, member.uid, member.gid, member.uname, member.gname = epoch, 0, 0, "", ""
            member.mode = 0o755 if member.isdir() or member.mode & 0o100 else 0o644
            member.pax_headers = {}
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    path.write_bytes(raw.getvalue())


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _run(command: list[str], what: str, *, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(  # noqa: S603 - argv built from fixed parts and paths
        command, capture_output=True, text=True, check=False, timeout=BUILD_SECONDS, env=env, cwd=cwd
    )
    if result.returncode != 0:
        msg = f"{what} failed: {_last_line(result.stderr + result.stdout)}"
        raise ReleaseError(msg)
    return result.stdout


def _built_files(folder: Path) -> tuple[Path, Path]:
    sdists, wheels = sorted(folder.glob("*.tar.gz")), sorted(folder.glob("*.whl"))
    if len(sdists) != 1 or len(wheels) != 1:
        msg = f"the build wrote {len(sdists)} sdists and {len(wheels)} wheels, expected one of each"
        raise ReleaseError(msg)
    return sdists[0], wheels[0]


def _same_project(path: Path, name: str) -> bool:
    """A file in ``dist/`` that an earlier build of this project wrote (any version)."""
    try:
        if path.name.endswith(".whl"):
            return parse_wheel_filename(path.name)[0] == canonicalize_name(name)
        if path.name.endswith(".tar.gz"):
            return parse_sdist_filename(path.name)[0] == canonicalize_name(name)
    except (InvalidWheelFilename, InvalidSdistFilename):
        return False
    return False


def build_distribution(out: Path, dist: Path) -> Distribution:
    """Build ``out`` into ``dist/``, replacing what an earlier build of the same project left there."""
    project = read_project(out)
    epoch = source_date_epoch(out)
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryDirectory(prefix="clientgen-dist-") as tmp:
        source, built = Path(tmp) / "source", Path(tmp) / "dist"
        _copy_source(out, source, epoch)
        build = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(built), str(source)]
        _run(build, f"building {out}", env=env, cwd=Path(tmp))
        sdist, wheel = _built_files(built)
        _normalize_sdist(sdist, epoch)
        dist.mkdir(parents=True, exist_ok=True)
        for old in sorted(dist.iterdir()):
            if old.is_file() and _same_project(old, project.name):
                old.unlink()
        targets = (dist / sdist.name, dist / wheel.name)
        shutil.copyfile(sdist, targets[0])
        shutil.copyfile(wheel, targets[1])
    return Distribution(project=project, sdist=targets[0], wheel=targets[1])


def check_distribution(distribution: Distribution) -> None:
    """``twine check --strict``: metadata complete, the README renders on the index."""
    _run([sys.executable, "-m", "twine", "check", "--strict", *map(str, distribution.files)], "twine check")
