"""Type annotations the intermediate model writes: unions flattened, ``None`` once and last."""

from __future__ import annotations

from clientgen.model.types import type_of


def test_a_union_of_nullable_members_names_none_once_at_the_end() -> None:
    schema = {"anyOf": [{"type": "object", "nullable": True}, {"type": "string", "nullable": True}]}
    annotation = type_of(schema, {}).annotation
    assert annotation.count("None") == 1, annotation
    assert annotation.endswith(" | None"), annotation


def test_bars_inside_brackets_and_literals_are_not_split() -> None:
    schema = {"anyOf": [{"type": "string", "enum": ["a | b", "c]"], "nullable": True}, {"type": "integer"}]}
    annotation = type_of(schema, {}).annotation
    assert "'a | b'" in annotation or '"a | b"' in annotation, annotation
    assert annotation.endswith("| int | None"), annotation
