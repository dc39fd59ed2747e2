"""Each corpus spec generated once per test run, shared by every test file that reads the same package.

Several files read the package generated from the same corpus spec with the repository's config
(``spec/config.toml``): the full 2024-08-06 API, the 2023-08 records folder.  Generating it is the
slowest step of the suite (15-40 s each), so the session fixture ``corpus_package`` (``conftest.py``)
generates it once into a folder of this run and hands out its path; the tests only read it.

Under pytest-xdist each worker is a session of its own: the folder is then the run's folder that all
workers share (``basetemp``'s parent), and a file lock makes the first worker that asks generate it
while another one that asks at the same time waits, then reads the finished tree.  A tree is written
under a temporary name and renamed when complete, so a crash never leaves a half tree for a later
test.

The packages are generated through one cache of the run (as ``make generate`` does, ``.clientgen-cache``):
the corpus specs are versions of one API (``records-2023-08`` holds the operations of 2023-08-31, 2023-12-29
re-rolls its component keys), so each generation reuses most of what the one before computed.  That the
cache changes no byte of the output is what ``test_cache.py`` proves (the daily chain, compared with cold
generations), and ``test_full_api.py`` regenerates 2024-08-06 without it and compares.  ``corpus_group``
puts every test reading a corpus package on one worker (``xdist_groups.py``), so that the other worker
never waits for a generation and each generation finds the cache the previous one filled.

Other APIs' descriptions (``corpus/peers``) are generated with no config at all (``config=None``: everything
from the description, as a user without a config gets it): Twilio's package is read by ``test_peer_twilio.py``
(that is what it tests), ``test_conventions_peers.py``, ``test_wire_corpus.py`` and ``test_peers.py``, which
generated it four times under four configs that differed only in the package's name, base URL and environment
prefix.  ``peer_group(spec)`` puts those tests on one worker: one import, one ``mypy`` cache.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

import pytest

from clientgen.cache import Cache
from clientgen.project import write_tree

__all__ = ["CONFIG", "GROUP", "TWILIO", "CorpusPackages", "corpus_group", "packages_root", "peer_group"]

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "spec" / "config.toml"


GROUP = "corpus-packages"
# Twilio's description, read with no config by four test files (its package: ``twilio_client``).
TWILIO = "corpus/peers/twilio/twilio_api_v2010.json"


def corpus_group(spec: str) -> pytest.MarkDecorator:
    """The ``xdist_group`` of the tests reading the package of ``spec`` (a path inside the corpus): one group
    for every package, which share the run's cache."""
    return pytest.mark.xdist_group(GROUP)


def peer_group(spec: str) -> pytest.MarkDecorator:
    """The ``xdist_group`` of the tests reading the description-only package of ``spec`` (one per spec: a peer's
    package shares no cache with Cloudflare's, so it need not wait for the corpus packages' worker)."""
    return pytest.mark.xdist_group(f"peer-{_slug(spec)}")


def _slug(spec: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", spec).strip("-")


class CorpusPackages:
    """The packages of corpus specs, generated on first request into ``root``, reused afterwards."""

    def __init__(self, corpus: Path, root: Path) -> None:
        self._corpus = corpus
        self._root = root

    def __call__(self, spec: str, config: Path | None = CONFIG) -> Path:
        """The generated tree (``src/``, ``report.json``, ...) of ``spec``, a path inside the corpus, with the
        repository's config (Cloudflare's) or, ``config=None``, none (everything from the description)."""
        source = self._corpus / spec
        if not source.exists():
            pytest.skip(f"{source} does not exist")
        if config not in {CONFIG, None}:  # the tree's name says which of the two it was generated with
            message = f"a corpus package is generated with {CONFIG} or no config, not {config}"
            raise ValueError(message)
        tree = self._root / (_slug(spec) if config else f"{_slug(spec)}--described")
        self._root.mkdir(parents=True, exist_ok=True)
        with (self._root / f"{tree.name}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when the test process dies
            if not tree.is_dir():
                partial = self._root / f"{tree.name}.partial-{os.getpid()}"
                shutil.rmtree(partial, ignore_errors=True)
                write_tree(source, config, partial, cache=Cache(self._root / "cache"))
                partial.rename(tree)
        return tree


def packages_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This run's folder for the shared packages: shared by the xdist workers of one run, by nothing else."""
    base = tmp_path_factory.getbasetemp()
    run = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return run / "corpus-packages"
