"""``make dist`` and ``make publish`` (``python -m clientgen.release``) on a copy of the golden tree.

Publishing goes to a real package index on 127.0.0.1 (pypiserver, pinned in requirements.lock):
the first upload succeeds and the index then holds exactly the built files; a second publish
of the same version is refused before twine runs.  Every run gets a private ``HOME`` (no
``~/.pypirc``) and no ``TWINE_*`` variables but the ones a test sets.  The smoke test installs
the wheel's dependencies with pip (from PyPI on CI).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clientgen.release.wheelhouse import installed_closure

REPO = Path(__file__).resolve().parents[1]
GENERATED = REPO / "generated"
SPEC, CONFIG = REPO / "spec", REPO / "spec" / "config.toml"
# pypiserver runs with -P . (no password check): any credentials let twine upload.
CREDENTIALS = {"TWINE_USERNAME": "uploader", "TWINE_PASSWORD": "not-checked"}


def _tree(tmp_path: Path) -> Path:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__", ".*_cache", "*.egg-info"))
    return out


def release(tmp_path: Path, command: str, out: Path, *extra: str, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("TWINE_", "CLIENTGEN_"))}
    env.update(PYTHONPATH=str(REPO / "scripts"), HOME=str(tmp_path / "home"), **variables)
    (tmp_path / "home").mkdir(exist_ok=True)
    argv = [sys.executable, "-m", "clientgen.release", command, "--spec", str(SPEC), "--config", str(CONFIG)]
    argv += ["--out", str(out), "--dist", str(tmp_path / "dist"), "--constraints", str(REPO / "requirements.lock")]
    return subprocess.run([*argv, *extra], capture_output=True, text=True, check=False, env=env, cwd=tmp_path)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


def digests(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


@pytest.fixture
def index(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A pypiserver on 127.0.0.1 accepting uploads without a password: (upload URL, its package folder)."""
    if importlib.util.find_spec("pypiserver") is None:
        pytest.skip("pypiserver is not installed: run `make` to install requirements.lock")
    packages = tmp_path / "index"
    packages.mkdir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "pypiserver", "run", "-i", "127.0.0.1", "-p", str(port)]
    command += ["-a", ".", "-P", ".", "--disable-fallback", str(packages)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(url + "simple/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("pypiserver did not start")
            time.sleep(0.1)
        yield url, packages
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_dist_builds_reproducibly_checks_and_smoke_tests_the_wheel(tmp_path: Path) -> None:
    out = _tree(tmp_path)
    offline = {"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_RETRIES": "0"}  # nothing listens there
    first = release(tmp_path, "dist", out, **offline)  # the smoke test installs from this virtualenv's packages
    assert first.returncode == 0, first.stderr
    assert "needs the network" not in first.stdout
    assert "twine check --strict: passed" in first.stdout
    assert "smoke test passed: cloudflare_client 0.1.0" in first.stdout
    built = digests(tmp_path / "dist")
    assert sorted(built) == ["cloudflare_client-0.1.0-py3-none-any.whl", "cloudflare_client-0.1.0.tar.gz"]
    time.sleep(1.1)  # a build that took the clock would now differ
    (out / "src" / "cloudflare_client" / "__pycache__").mkdir()  # tool output in the tree is not packaged
    (out / "src" / "cloudflare_client" / "__pycache__" / "x.pyc").write_bytes(b"cache")
    (out / "src" / "cloudflare_client" / "_version.py").chmod(0o664)  # another umask: the same bytes
    again = release(tmp_path, "dist", out, "--no-smoke")
    assert again.returncode == 0, again.stderr
    assert digests(tmp_path / "dist") == built
    with zipfile.ZipFile(tmp_path / "dist" / "cloudflare_client-0.1.0-py3-none-any.whl") as wheel:
        names = wheel.namelist()
    assert "cloudflare_client/py.typed" in names
    assert "cloudflare_client/resources/pages/projects/deployments/deployments.py" in names
    assert not [name for name in names if "__pycache__" in name]
    with tarfile.open(tmp_path / "dist" / "cloudflare_client-0.1.0.tar.gz") as sdist:
        members = sdist.getmembers()
    assert {(member.uid, member.gid, member.uname, member.gname) for member in members} == {(0, 0, "", "")}
    assert [member.name for member in members] == sorted(member.name for member in members)


def test_what_the_virtualenv_lacks_is_named_for_the_network() -> None:
    found, missing = installed_closure(["httpx==0.28.1", "no-such-distribution-here>=1", "pydantic<1"])
    assert {distribution.metadata["Name"].lower() for distribution in found} >= {"httpx", "httpcore", "anyio", "h11"}
    assert missing[0] == "no-such-distribution-here>=1"
    assert missing[1].startswith("pydantic<1 (installed: 2.")


def test_smoke_script_refuses_a_package_that_is_not_installed(tmp_path: Path) -> None:
    """The import must come from the fresh virtualenv: a source tree on the path is a failure, not a pass."""
    script = REPO / "scripts" / "clientgen" / "release" / "smoke_call.py"
    env = {**os.environ, "PYTHONPATH": str(GENERATED / "src")}
    argv = [sys.executable, str(script), "cloudflare_client", "0.1.0"]
    result = subprocess.run(argv, capture_output=True, text=True, check=False, env=env, cwd=tmp_path)
    line = one_error_line(result)
    assert f"was imported from {GENERATED / 'src' / 'cloudflare_client'}, not from the virtualenv" in line


def test_dist_refuses_a_version_that_disagrees_with_the_package(tmp_path: Path) -> None:
    out = _tree(tmp_path)
    pyproject = out / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "0.1.0"', 'version = "0.2.0"'))
    line = one_error_line(release(tmp_path, "dist", out, "--no-smoke"))
    assert "_version.py does not say __version__ = '0.2.0'" in line
    assert not (tmp_path / "dist").exists()


def test_publish_refuses_a_stale_tree(tmp_path: Path, index: tuple[str, Path]) -> None:
    url, packages = index
    out = _tree(tmp_path)
    readme = out / "README.md"
    readme.write_text(readme.read_text() + "edited by hand\n")
    result = release(tmp_path, "publish", out, "--no-smoke", **CREDENTIALS, TWINE_REPOSITORY_URL=url)
    line = one_error_line(result)
    assert "is stale or edited by hand" in line
    assert "not publishing" in line
    assert not (tmp_path / "dist").exists()
    assert list(packages.iterdir()) == []


def test_publish_without_credentials_stops_after_the_dry_run(tmp_path: Path, index: tuple[str, Path]) -> None:
    url, packages = index
    out = _tree(tmp_path)
    result = release(tmp_path, "publish", out, "--no-smoke", TWINE_REPOSITORY_URL=url)
    line = one_error_line(result)
    assert line.startswith(f"error: dry run passed, nothing uploaded: no credentials for {url}")
    assert "TWINE_PASSWORD" in line
    assert "twine check --strict: passed" in result.stdout
    assert f"cloudflare-client 0.1.0 is not on {url} yet" in result.stdout
    assert len(digests(tmp_path / "dist")) == 2
    assert list(packages.iterdir()) == []


def test_publish_uploads_once_then_refuses_the_same_version(tmp_path: Path, index: tuple[str, Path]) -> None:
    url, packages = index
    out = _tree(tmp_path)
    credentials = {**CREDENTIALS, "TWINE_REPOSITORY_URL": url}
    first = release(tmp_path, "publish", out, "--no-smoke", **credentials)
    assert first.returncode == 0, first.stderr
    assert f"uploaded cloudflare-client 0.1.0 to {url}" in first.stdout
    uploaded = digests(packages)
    assert uploaded == digests(tmp_path / "dist")
    simple = httpx.get(url + "simple/cloudflare-client/", timeout=5).text
    assert "cloudflare_client-0.1.0-py3-none-any.whl" in simple

    second = release(tmp_path, "publish", out, "--no-smoke", **credentials)
    line = one_error_line(second)
    assert line.startswith(f"error: cloudflare-client 0.1.0 is already on {url}: versions cannot be replaced")
    assert digests(packages) == uploaded

    # the same version written differently is the same version
    for path in (out / "pyproject.toml", out / "src" / "cloudflare_client" / "_version.py"):
        path.write_text(path.read_text().replace('"0.1.0"', '"0.1.0.0"'))
    from clientgen.release.index import Repository, version_exists  # noqa: PLC0415 - after conftest's path setup

    assert version_exists(Repository(url, None, None), "Cloudflare_Client", "0.1.0.0")
    assert not version_exists(Repository(url, None, None), "cloudflare-client", "0.1.1")
    assert not version_exists(Repository(url, None, None), "another-project", "0.1.0")


def test_pypi_project_json_lists_every_release_compared_as_versions() -> None:
    from packaging.version import Version  # noqa: PLC0415 - after conftest's path setup

    from clientgen.release import ReleaseError  # noqa: PLC0415
    from clientgen.release.index import _released_versions  # noqa: PLC0415

    body = {"releases": {"0.1.0": [], "1.0": [{"filename": "x-1.0.tar.gz"}], "not a version": []}}
    assert _released_versions(body) == {Version("0.1.0"), Version("1.0.0")}
    with pytest.raises(ReleaseError, match="no 'releases'"):
        _released_versions({"info": {}})
