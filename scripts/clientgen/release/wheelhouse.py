"""Wheels of what this virtualenv already holds, so the smoke test installs without the network.

The generated package's dependencies (httpx, pydantic and theirs) are installed here at the
versions ``requirements.lock`` pins: the tests ran with exactly them.  Each one is packed back
into a wheel from its installed files (``RECORD``; the ``WHEEL`` file gives the tags), and pip
installs from that folder with ``--no-index``.  Scripts outside ``site-packages`` are left out
(pip writes them again from ``entry_points.txt``), and so is bytecode.
"""

from __future__ import annotations

import base64
import hashlib
import re
import zipfile
from importlib import metadata
from pathlib import Path, PurePosixPath

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

__all__ = ["installed_closure", "pack_wheels"]

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the wheels are the same every time


def installed_closure(requirements: list[str]) -> tuple[list[metadata.Distribution], list[str]]:
    """The installed distributions ``requirements`` need, recursively, and those missing or of another version."""
    found: dict[str, metadata.Distribution] = {}
    missing: list[str] = []
    todo = [Requirement(text) for text in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            missing.append(str(requirement))
            continue
        if not requirement.specifier.contains(distribution.version, prereleases=True):
            missing.append(f"{requirement} (installed: {distribution.version})")
            continue
        found[name] = distribution
        extras = ["", *requirement.extras]
        for text in distribution.requires or []:
            needed = Requirement(text)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in extras):
                todo.append(needed)
    return [found[name] for name in sorted(found)], sorted(missing)


def _wheel_name(distribution: metadata.Distribution) -> str:
    tags = [line.split(":", 1)[1].strip() for line in (distribution.read_text("WHEEL") or "").splitlines()
            if line.startswith("Tag:")]  # fmt: skip
    tags = tags or ["py3-none-any"]
    parts = [sorted({tag.split("-")[index] for tag in tags}) for index in range(3)]
    name = re.sub(r"[-_.]+", "_", distribution.metadata["Name"]).lower()
    return f"{name}-{distribution.version}-{'-'.join('.'.join(part) for part in parts)}.whl"


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def pack_wheels(distributions: list[metadata.Distribution], folder: Path) -> list[Path]:
    """One wheel per installed distribution, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    wheels = []
    for distribution in distributions:
        files = sorted(str(path) for path in distribution.files or [])
        record = next((name for name in files if name.endswith(".dist-info/RECORD")), None)
        if record is None:
            msg = f"{distribution.metadata['Name']} has no RECORD: it cannot be packed again"
            raise ValueError(msg)
        target = folder / _wheel_name(distribution)
        lines = []
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
            for name in files:
                parts = PurePosixPath(name).parts
                if name == record or ".." in parts or "__pycache__" in parts or name.endswith(".pyc"):
                    continue
                data = Path(str(distribution.locate_file(name))).read_bytes()
                wheel.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data)
                lines.append(f"{name},{_digest(data)},{len(data)}")
            lines.append(f"{record},,")
            wheel.writestr(zipfile.ZipInfo(record, _FIXED_TIME), "\n".join(lines) + "\n")
        wheels.append(target)
    return wheels
