"""Shared test setup: the pipeline (``scripts``) and the generated package (``generated/src``) are importable.

The ``corpus`` fixture is the shared folder holding ``seeds/`` and ``corpus/cloudflare/``:
``CLOUDFLARE_CORPUS`` when set, else ``../shared`` beside the repository; tests that need
it are skipped when neither exists.  ``server`` is a live HTTP server on 127.0.0.1 and
``client`` a seed-package client pointed at it; no test sees the caller's credentials.

``corpus_package(spec)`` is the package generated from a corpus spec (a path inside the corpus) with
``spec/config.toml``, generated once per run and shared by every file that reads it (see
``corpus_packages.py``); mark the tests that use it with ``corpus_group(spec)`` so that they run on one
pytest-xdist worker (``make test`` runs ``-n 2``); the tests of a module that uses a module-scoped
fixture run on one worker too, so that an expensive module fixture is not built once per worker: the
hooks of ``xdist_groups.py``, re-exported here.  A ``slow(reason)`` mark leaves a test out of ``make test``
(``make test-slow`` and CI run it) and ``make test`` names it at its end: ``slow_suites.py``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from corpus_packages import CorpusPackages, packages_root
from live_server import LiveServer
from slow_suites import pytest_deselected, pytest_terminal_summary, register  # what `make test` leaves out
from xdist_groups import (  # the hooks that keep tests sharing a fixture on one worker
    pytest_collection_modifyitems,
    pytest_unconfigure,
    pytest_xdist_make_scheduler,
)
from xdist_groups import pytest_configure as configure_groups

__all__ = [
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_deselected",
    "pytest_terminal_summary",
    "pytest_unconfigure",
    "pytest_xdist_make_scheduler",
]


def pytest_configure(config: pytest.Config) -> None:
    register(config)
    configure_groups(config)


if TYPE_CHECKING:
    from cloudflare_client import Client

REPO = Path(__file__).resolve().parents[1]

for _entry in (REPO / "generated" / "src", REPO / "scripts"):
    if str(_entry) not in sys.path:
        sys.path.insert(0, str(_entry))


@pytest.fixture(scope="session")
def corpus() -> Path:
    configured = os.environ.get("CLOUDFLARE_CORPUS")
    folder = Path(configured) if configured else REPO.parent / "shared"
    if not folder.is_dir():
        pytest.skip("set CLOUDFLARE_CORPUS=<path to shared/> to run the corpus tests")
    return folder


@pytest.fixture(scope="session")
def corpus_package(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> CorpusPackages:
    return CorpusPackages(corpus, packages_root(tmp_path_factory))


@pytest.fixture(scope="session")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One mypy cache per test process (per xdist worker): the standard library, pydantic and httpx are
    analysed once, not in every test that runs mypy (about 3.5 s of CPU each, cold).  mypy checks each
    cached module against its source, so packages of the same name in other folders are analysed anew."""
    return tmp_path_factory.mktemp("mypy-cache")


# The environment variables the generated client reads: unset for every test, so that the
# machine's own credentials never decide an outcome (tests set what they need).
BEARER = "t"  # the api_token of every seed-package client in the tests
CLIENT_ENVIRONMENT = (
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_EMAIL",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_API_USER_SERVICE_KEY",
    "CLOUDFLARE_BASE_URL",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in CLIENT_ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with LiveServer() as live:
        yield live


@pytest.fixture
def client(server: LiveServer) -> Iterator[Client]:
    from cloudflare_client import Client  # noqa: PLC0415 - after the path setup above

    with Client(api_token=BEARER, base_url=server.url) as instance:
        yield instance
