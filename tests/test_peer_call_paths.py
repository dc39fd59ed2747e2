"""``docs/peers-call-paths.md`` and the README's "Other APIs" tables: what ``benchmarks/peer_call_paths.py`` writes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from peer_call_paths import README_END, README_START, render, render_readme  # noqa: E402 - benchmarks: no package

# Both tests on one worker: the second reads what the first parsed (``_call_paths`` is cached per process), instead
# of parsing Stripe's 5 MB of YAML (about 7 s of CPU) and building the three peers' APIs again on the other worker.
pytestmark = pytest.mark.xdist_group("peer-call-paths")


def _corpus() -> Path:
    location = os.environ.get("CLOUDFLARE_CORPUS")
    if not location:
        pytest.skip("set CLOUDFLARE_CORPUS to the shared corpus folder to run this test")
    return Path(location) / "corpus"


def test_the_committed_page_is_current() -> None:
    page = render(_corpus())
    assert (REPO / "docs" / "peers-call-paths.md").read_text(encoding="utf-8") == page
    assert "`client.coupons.update`" in page  # POST /v1/coupons/{coupon}
    assert "`client.accounts.messages.create`" in page  # POST /2010-04-01/Accounts/{AccountSid}/Messages.json


def test_the_readme_tables_are_current() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(README_START), readme.index(README_END) + len(README_END)
    section = render_readme(_corpus())
    assert readme[start:end] == section
    assert section.count("| `client.") == 36  # a dozen for each of the three peers
