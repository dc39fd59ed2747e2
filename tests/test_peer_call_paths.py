"""``docs/peers-call-paths.md`` is what ``benchmarks/peer_call_paths.py`` writes on the peer corpus."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from peer_call_paths import render  # noqa: E402 - the benchmarks folder is not a package


def test_the_committed_page_is_current() -> None:
    location = os.environ.get("CLOUDFLARE_CORPUS")
    if not location:
        pytest.skip("set CLOUDFLARE_CORPUS to the shared corpus folder to run this test")
    page = render(Path(location) / "corpus")
    assert (REPO / "docs" / "peers-call-paths.md").read_text(encoding="utf-8") == page
    assert "`client.coupons.update`" in page  # POST /v1/coupons/{coupon}
    assert "`client.accounts.messages.create`" in page  # POST /2010-04-01/Accounts/{AccountSid}/Messages.json
