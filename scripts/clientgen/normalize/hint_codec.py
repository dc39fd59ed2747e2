"""Naming hints as JSON and back: a path item's hoisting, kept in the cache, names its schemas again.

A hint's ``parent`` is another hint (the nearest hoisted ancestor's, often one that is in no list), so the hints
are written as one table, each parent before its children, and referred to by index.  Read back, every field
has its exact type again (word tuples, not lists): the names contest compares and hashes them.
"""

from __future__ import annotations

from typing import Any

from clientgen.normalize.naming import Hint

__all__ = ["HintFormatError", "decode_hints", "encode_hints"]

_NO_PARENT = -1
_BAD = "not a hint table: {}"


class HintFormatError(ValueError):
    """A stored table is not one :func:`encode_hints` wrote: the entry is not used."""


def _words_list(value: tuple[tuple[str, ...], ...]) -> list[list[str]]:
    return [list(words) for words in value]


def encode_hints(hints: dict[str, list[Hint]]) -> dict[str, Any]:
    """``{"table": [fields...], "uses": {content key: [index...]}}``, JSON-ready; ``ranks_as`` is not kept.

    ``ranks_as`` is worked out by the names contest from all of a schema's uses: a part's hints have none yet.
    """
    table: list[list[Any]] = []
    index: dict[int, int] = {}

    def add(hint: Hint) -> int:
        found = index.get(id(hint))
        if found is not None:
            return found
        parent = _NO_PARENT if hint.parent is None else add(hint.parent)
        index[id(hint)] = len(table)
        table.append([
            hint.relation, hint.label, _words_list(hint.candidates), hint.kind, parent, hint.parent_key,
            _words_list(hint.route_words), _words_list(hint.own_names), list(hint.verb), list(hint.route_nouns),
            hint.lists, hint.part_of_item,
        ])  # fmt: skip
        return index[id(hint)]

    uses = {key: [add(hint) for hint in key_hints] for key, key_hints in hints.items() if key_hints}
    return {"table": table, "uses": uses}


def _words(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise HintFormatError(_BAD.format("words"))
    return tuple(value)


def _words_tuple(value: Any) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise HintFormatError(_BAD.format("word lists"))
    return tuple(_words(words) for words in value)


_FIELDS = 12


def _hint(fields: Any, made: list[Hint]) -> Hint:
    if not isinstance(fields, list) or len(fields) != _FIELDS:
        raise HintFormatError(_BAD.format("fields"))
    relation, label, candidates, kind, parent, parent_key, route_words, own_names, verb, nouns, lists, part = fields
    if not (isinstance(relation, str) and isinstance(label, str) and isinstance(kind, str)):
        raise HintFormatError(_BAD.format("relation"))
    if not (isinstance(parent, int) and _NO_PARENT <= parent < len(made)) or isinstance(parent, bool):
        raise HintFormatError(_BAD.format("parent"))  # parents come first: an index past this hint is not a table's
    if not (parent_key is None or isinstance(parent_key, str)) or not isinstance(lists, bool):
        raise HintFormatError(_BAD.format("parent key"))
    if not isinstance(part, bool):
        raise HintFormatError(_BAD.format("part of item"))
    return Hint(
        relation=relation,
        label=label,
        candidates=_words_tuple(candidates),
        kind=kind,
        parent=None if parent == _NO_PARENT else made[parent],
        parent_key=parent_key,
        route_words=_words_tuple(route_words),
        own_names=_words_tuple(own_names),
        verb=_words(verb),
        route_nouns=_words(nouns),
        lists=lists,
        part_of_item=part,
    )


def decode_hints(data: Any) -> dict[str, list[Hint]]:
    """The hints :func:`encode_hints` wrote, parents shared as they were; :class:`HintFormatError` otherwise."""
    if not isinstance(data, dict) or not isinstance(data.get("table"), list) or not isinstance(data.get("uses"), dict):
        raise HintFormatError(_BAD.format("table"))
    made: list[Hint] = []
    for fields in data["table"]:
        made.append(_hint(fields, made))
    hints: dict[str, list[Hint]] = {}
    for key, indexes in data["uses"].items():
        if not isinstance(indexes, list) or not all(
            isinstance(at, int) and not isinstance(at, bool) and 0 <= at < len(made) for at in indexes
        ):
            raise HintFormatError(_BAD.format("uses"))
        hints[key] = [made[at] for at in indexes]
    return hints
