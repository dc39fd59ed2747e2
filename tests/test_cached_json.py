"""Large JSON texts from per-entry fragments (:mod:`clientgen.cached_json`): always ``dumps_sorted``'s bytes."""

from __future__ import annotations

import marshal
import math
from pathlib import Path
from typing import Any

import pytest

from clientgen import cached_json
from clientgen.cache import Cache
from clientgen.cached_json import json_text
from clientgen.jsontext import dumps_sorted

DOCUMENTS: list[Any] = [
    {
        "paths": {"/b": {"get": {"summary": 'é \u2028 \n\t"', "x": [1, 2.5, None, True]}}, "/a": {}},
        "components": {"schemas": {"Z": {"type": "object"}, "A": []}, "empty": {}},
        "openapi": "3.1.0",
        "list": [{"b": 1, "a": [[]]}],
        "nan": math.nan,
    },
    {"operations": {"z.call": {"params": []}, "a.call": {"returns": {"type": "str"}}}, "version": "1.0.0", "n": 1},
    {"a": {1: "a non-string key two levels down"}},
    {"a": {"b": object()}},  # not JSON: json.dumps decides (and raises), as without fragments
    {},
    [1, {"a": 2}],
]


def _expected(data: Any, indent: int) -> str:
    return dumps_sorted(data, indent=indent, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("indent", [1, 2])
@pytest.mark.parametrize("number", range(len(DOCUMENTS)))
def test_the_text_is_dumps_sorted_text_cold_and_warm(tmp_path: Path, number: int, indent: int) -> None:
    data = DOCUMENTS[number]
    try:
        expected = _expected(data, indent)
    except TypeError:
        with pytest.raises(TypeError):
            json_text(Cache(tmp_path, tools="t"), "doc", data, indent=indent)
        return
    for _ in range(2):  # filling, then from the fragments
        assert json_text(Cache(tmp_path, tools="t"), "doc", data, indent=indent) == expected
    assert json_text(None, "doc", data, indent=indent) == expected


def test_an_edit_dumps_only_the_changed_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = {f"/{number}": {"get": {"summary": f"operation {number}"}} for number in range(20)}
    document = {"openapi": "3.0.3", "paths": paths}
    json_text(Cache(tmp_path, tools="t"), "doc", document, indent=2)
    paths["/7"]["get"]["summary"] = "changed"
    dumped: list[Any] = []

    def counting(value: Any, **options: Any) -> str:
        dumped.append(value)
        return dumps_sorted(value, **options)

    monkeypatch.setattr(cached_json, "dumps_sorted", counting)
    assert json_text(Cache(tmp_path, tools="t"), "doc", document, indent=2) == _expected(document, 2)
    assert dumped == ["3.0.3", paths["/7"]]  # the top-level value and the one changed path item


def test_a_damaged_or_foreign_fragment_entry_is_ignored(tmp_path: Path) -> None:
    document = {"paths": {"/a": {"get": {}}, "/b": {"put": {"x": 1}}}}
    cache = Cache(tmp_path, tools="t")
    json_text(cache, "doc", document, indent=2)
    key = cache.key("json-fragments", "doc", "2")
    for payload in (
        b"not marshal",
        b"\xe9\x00",
        marshal.dumps({"k": 1}),
        marshal.dumps([1]),
    ):
        cache.put("json-fragments", key, payload)
        assert json_text(Cache(tmp_path, tools="t"), "doc", document, indent=2) == _expected(document, 2)
