"""Shared test setup: the pipeline (``scripts``) and the generated package (``generated/src``) are importable.

The ``corpus`` fixture is the shared folder holding ``seeds/`` and ``corpus/cloudflare/``:
``CLOUDFLARE_CORPUS`` when set, else ``../shared`` beside the repository; tests that need
it are skipped when neither exists.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

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
