"""The fast indented JSON writer spells every value exactly as ``json.dumps`` does (output files are byte-stable)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from clientgen.jsontext import dumps_sorted

VALUES: list[Any] = [
    1, -7, 10**30, 1.5, -0.0, 1e16, 1e-7, float("nan"), float("inf"), -float("inf"), True, False, None,
    "plain", 'quote " backslash \\ newline \n tab \t nul \x00 line-sep \u2028 accent é emoji 😀',
    {}, [], (), {"b": [1, {"a": ()}], "a": {}, "é": "ü"}, [{"x": [[], [{}]]}, "y"], {"nested": {"deeper": [1.0, None]}},
    {1: "int key"}, {"a": 1, 2: 3}, {"set": {1, 2}},
]  # fmt: skip


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("indent", [0, 1, 2, 4])
@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_same_text_as_json_dumps(value: Any, indent: int, ensure_ascii: bool) -> None:
    try:
        expected = json.dumps(value, indent=indent, sort_keys=True, ensure_ascii=ensure_ascii)
    except TypeError as error:
        with pytest.raises(TypeError, match=str(error)):
            dumps_sorted(value, indent=indent, ensure_ascii=ensure_ascii)
        return
    assert dumps_sorted(value, indent=indent, ensure_ascii=ensure_ascii) == expected


def test_cycle_is_refused_like_json_dumps() -> None:
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_sorted(cycle, indent=2, ensure_ascii=False)
