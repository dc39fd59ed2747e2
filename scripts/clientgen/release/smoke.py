"""Install the built wheel into a fresh virtualenv and run ``smoke_call.py`` there.

The virtualenv sees nothing of ours (no ``--system-site-packages``, no ``PYTHONPATH``, a
temporary working folder), so the import can only come from the wheel.  It is created
without pip; our pip installs into it (``pip --python``).  The wheel's dependencies (httpx,
pydantic) come from this virtualenv, packed into wheels (:mod:`clientgen.release.wheelhouse`)
and installed with ``--no-index``: offline, and exactly the versions our tests ran with.  Only
when this virtualenv lacks one does pip go to the configured index, pinned to
``requirements.lock`` (``--constraint``), and the output says so in one line.
"""

from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from clientgen.release import ReleaseError
from clientgen.release.build import Distribution
from clientgen.release.wheelhouse import installed_closure, pack_wheels

__all__ = ["smoke_test"]

SMOKE_SCRIPT = Path(__file__).with_name("smoke_call.py")
INSTALL_SECONDS = 600
# Variables that would let the fresh interpreter see our packages or our virtualenv.
_LEAKY_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONNOUSERSITE")


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error")]
    return (errors or lines or ["no output"])[-1]


def _run(command: list[str], what: str, env: dict[str, str], cwd: Path) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - argv built from fixed parts and paths
            command, capture_output=True, text=True, check=False, timeout=INSTALL_SECONDS, env=env, cwd=cwd
        )
    except subprocess.TimeoutExpired:
        msg = f"{what} took longer than {INSTALL_SECONDS} s"
        raise ReleaseError(msg) from None
    if result.returncode != 0:
        msg = f"{what} failed: {_one_line(result.stderr + result.stdout)}"
        raise ReleaseError(msg)
    return result.stdout.strip()


def _requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` of a built wheel."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(item for item in archive.namelist() if item.endswith(".dist-info/METADATA"))
        message = email.parser.Parser().parsestr(archive.read(name).decode("utf-8"), headersonly=True)
    return message.get_all("Requires-Dist") or []


def smoke_test(
    distribution: Distribution, constraints: Path | None, say: Callable[[str], None] = lambda _line: None
) -> str:
    """Fresh virtualenv, ``pip install`` the wheel, import it and call one method; returns the script's line."""
    env = {name: value for name, value in os.environ.items() if name not in _LEAKY_VARIABLES}
    env["PYTHONNOUSERSITE"] = "1"
    with tempfile.TemporaryDirectory(prefix="clientgen-smoke-") as tmp:
        folder = Path(tmp)
        venv = folder / "venv"
        _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], "creating a virtualenv", env, folder)
        python = str(venv / "bin" / "python")
        # Our pip installs into it (--python): seeding pip into every fresh virtualenv takes ~10 s.
        install = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-input"]
        install += ["--disable-pip-version-check"]
        found, missing = installed_closure(_requirements(distribution.wheel))
        if missing:
            say(f"the smoke test needs the network: this virtualenv lacks {', '.join(missing)} (pip's index)")
        else:
            install += ["--no-index", "--find-links", str(folder / "wheels")]
            pack_wheels(found, folder / "wheels")
        if constraints is not None:
            install += ["--constraint", str(constraints.resolve())]
        install.append(str(distribution.wheel.resolve()))
        where = "from the index" if missing else "offline, dependencies from this virtualenv"
        _run(install, f"installing {distribution.wheel.name} into a fresh virtualenv ({where})", env, folder)
        project = distribution.project
        command = [python, "-I", str(SMOKE_SCRIPT), project.import_name, project.version]
        return _run(command, f"the smoke test of the installed {distribution.wheel.name}", env, folder)
