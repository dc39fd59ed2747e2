"""The allOf pass: the envelope's generic ``result`` yields to the operation's concrete one."""

from __future__ import annotations

from typing import Any

import pytest

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.allof import is_placeholder, merge_schemas

CONCRETE = {"type": "object", "properties": {"id": {"type": "string"}}}


@pytest.mark.parametrize(
    "placeholder",
    [
        {"anyOf": [{"type": "object"}, {"type": "array", "items": {}}, {"type": "string"}]},
        {"anyOf": [{"type": "object", "nullable": True}, {"type": "string", "nullable": True}]},
        {"oneOf": [{"type": "object"}, {"type": "string"}], "nullable": True, "description": "result"},
    ],
)
def test_generic_result_yields_to_the_concrete_result(placeholder: dict[str, Any]) -> None:
    assert is_placeholder(placeholder)
    envelope = {"type": "object", "properties": {"result": placeholder}}
    override = {"properties": {"result": CONCRETE}}
    for branches in ([envelope, override], [override, envelope]):
        diags = Diagnostics()
        merged = merge_schemas(branches, "/x", diags)
        assert merged["properties"]["result"] == CONCRETE
        assert not diags.items


@pytest.mark.parametrize(
    "shape",
    [
        {"anyOf": [{"type": "object", "properties": {"id": {"type": "string"}}}, {"type": "string"}]},
        {"anyOf": [{"type": "object", "minProperties": 1}, {"type": "string"}]},
        {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
    ],
)
def test_a_union_with_content_is_not_a_placeholder(shape: dict[str, Any]) -> None:
    assert not is_placeholder(shape)


def test_a_collection_envelopes_nullable_list_of_anything_yields_to_the_concrete_list() -> None:
    generic = {"type": "array", "items": {}, "nullable": True}
    concrete = {"type": "array", "items": {"type": "string"}}
    assert is_placeholder(generic)
    envelope = {"type": "object", "properties": {"result": generic}}
    for branches in (
        [envelope, {"properties": {"result": concrete}}],
        [{"properties": {"result": concrete}}, envelope],
    ):
        diags = Diagnostics()
        assert merge_schemas(branches, "/x", diags)["properties"]["result"] == concrete  # not nullable
        assert not diags.items
    explicit = {**concrete, "nullable": True}  # a list the description itself calls nullable stays so
    assert (
        merge_schemas([envelope, {"properties": {"result": explicit}}], "/x", Diagnostics())["properties"]["result"]
        == explicit
    )
