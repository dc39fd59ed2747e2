"""``make publish``: every dry-run check, in order, then ``twine upload``.

1. the generated folder is what generation writes now (``clientgen check``);
2. sdist and wheel build reproducibly and pass ``twine check --strict``;
3. the wheel installs into a fresh virtualenv and one call works (skippable for tests);
4. the target repository does not have this version yet;
5. there are credentials for it — else stop here: the dry run passed, nothing was uploaded.

Each refusal is a :class:`ReleaseError` naming what to do.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clientgen.diagnostics import SpecError
from clientgen.release import ReleaseError
from clientgen.release.build import Distribution, build_distribution, check_distribution
from clientgen.release.index import target_repository, version_exists
from clientgen.release.smoke import smoke_test
from clientgen.snapshot import stale_report

__all__ = ["Sources", "make_dist", "publish"]

UPLOAD_SECONDS = 600


@dataclass(frozen=True)
class Sources:
    spec: Path
    config: Path | None
    out: Path
    dist: Path
    constraints: Path | None
    smoke: bool = True


def make_dist(sources: Sources, say: Callable[[str], None]) -> Distribution:
    """Build, ``twine check``, and (unless turned off) the smoke test of the installed wheel."""
    distribution = build_distribution(sources.out, sources.dist)
    say(f"built {distribution.sdist} and {distribution.wheel}")
    check_distribution(distribution)
    say("twine check --strict: passed")
    if sources.smoke:
        say(smoke_test(distribution, sources.constraints, say))
    return distribution


def _check_current(sources: Sources) -> None:
    try:
        differences = stale_report(sources.spec, sources.config, sources.out)
    except SpecError as error:
        msg = f"cannot regenerate to compare: {error}"
        raise ReleaseError(msg) from None
    if differences:
        msg = (
            f"{sources.out}/ is stale or edited by hand ({differences[0].strip()}): "
            "run `make generate` and commit the result; not publishing"
        )
        raise ReleaseError(msg)


def publish(sources: Sources, say: Callable[[str], None]) -> None:
    _check_current(sources)
    say(f"{sources.out}/ is up to date")
    distribution = make_dist(sources, say)
    project = distribution.project
    repository = target_repository()
    if version_exists(repository, project.name, project.version):
        msg = (
            f"{project.name} {project.version} is already on {repository.upload_url}: "
            "versions cannot be replaced; raise the version in the config (the changelog suggests the next one) "
            "and run `make generate`; not publishing"
        )
        raise ReleaseError(msg)
    say(f"{project.name} {project.version} is not on {repository.upload_url} yet")
    if not repository.has_credentials:
        msg = (
            f"dry run passed, nothing uploaded: no credentials for {repository.upload_url}; set TWINE_PASSWORD "
            "(a PyPI API token; TWINE_USERNAME defaults to __token__ on PyPI, set it for other repositories) "
            "or a password in ~/.pypirc"
        )
        raise ReleaseError(msg)
    env = {
        **os.environ,
        "TWINE_USERNAME": repository.username or "__token__",
        "TWINE_PASSWORD": repository.password or "",
    }
    command = [sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar"]
    command += ["--repository-url", repository.upload_url, *map(str, distribution.files)]
    try:
        result = subprocess.run(  # noqa: S603 - argv built from fixed parts and paths
            command, capture_output=True, text=True, check=False, timeout=UPLOAD_SECONDS, env=env
        )
    except subprocess.TimeoutExpired:
        msg = f"twine upload to {repository.upload_url} took longer than {UPLOAD_SECONDS} s"
        raise ReleaseError(msg) from None
    if result.returncode != 0:
        lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        detail = " ".join(lines[-2:]) if lines else "no output"
        msg = f"twine upload to {repository.upload_url} failed: {detail}"
        raise ReleaseError(msg)
    say(f"uploaded {project.name} {project.version} to {repository.upload_url}")
