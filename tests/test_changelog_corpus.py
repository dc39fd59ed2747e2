"""The changelog between consecutive daily Cloudflare specs, against expected output checked by hand.

``tests/changelog/<old>__<new>.md`` is what ``make changelog OLD=<old> NEW=<new>`` printed; every
entry was compared with a structural diff of the two source documents (see the note at the
top of each expected file).  Only the front half of the pipeline runs (ingest, normalize,
intermediate model): three normalizations of the full API, about 30 s of CPU.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from clientgen.changelog.compare import spec_surface
from clientgen.changelog.diff import diff_surfaces
from clientgen.changelog.release import render_section
from clientgen.changelog.surface import Surface
from clientgen.config import load_config

REPO = Path(__file__).resolve().parents[1]
EXPECTED = Path(__file__).resolve().parent / "changelog"
DAYS = ("2024-06-06", "2024-06-07", "2024-06-10")


@pytest.fixture(scope="module")
def surfaces(corpus: Path) -> dict[str, Surface]:
    folder = corpus / "corpus" / "cloudflare" / "daily-2024-06"
    config = load_config(REPO / "spec" / "config.toml")
    return {day: spec_surface(folder / f"openapi-{day}.json", config) for day in DAYS}


@pytest.mark.parametrize(("old", "new"), list(itertools.pairwise(DAYS)))
def test_changelog_of_consecutive_days(surfaces: dict[str, Surface], old: str, new: str) -> None:
    changes = diff_surfaces(surfaces[old], surfaces[new])
    text = render_section("0.2.0", changes, "0.1.0", len(surfaces[new]["operations"]))
    expected = (EXPECTED / f"{old}__{new}.md").read_text(encoding="utf-8")
    assert text == expected.split("-->\n", 1)[1], f"the changelog {old} -> {new} is not the one checked by hand"
