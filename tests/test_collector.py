"""The build's garbage-collector thresholds are raised for the block only, never lowered."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from clientgen.collector import fewer_collections


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def test_raised_inside_and_restored_after(thresholds: tuple[int, int, int]) -> None:
    with fewer_collections():
        inside = gc.get_threshold()
    assert inside[0] > thresholds[0]
    assert gc.get_threshold() == thresholds


def test_restored_after_an_error(thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match="bad input"), fewer_collections():
        raise ValueError("bad input")  # noqa: EM101 - the test's own error
    assert gc.get_threshold() == thresholds


def test_a_caller_s_higher_thresholds_are_kept(thresholds: tuple[int, int, int]) -> None:
    gc.set_threshold(1_000_000, 5_000, 5_000)
    with fewer_collections():
        assert gc.get_threshold() == (1_000_000, 5_000, 5_000)
