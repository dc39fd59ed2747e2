"""YAML documents as plain JSON trees, safe against alias bombs.

PyYAML's own safe loader still lets a small file expand into an enormous tree through
aliases ("billion laughs"): the tree is shared in memory, but every later pass that walks
or copies it would pay for the full expansion.  This SafeLoader subclass counts alias
resolutions and the number of nodes they expand to and refuses beyond fixed bounds, at
composition time, before anything is constructed.  It also keeps mapping keys as their
source text (``200:`` stays ``"200"``, ``on:`` stays ``"on"``), refuses duplicate keys
(which would silently drop an operation), and keeps timestamps as strings, so that the
result is always JSON-compatible.  The number of nodes composed is bounded too
(``MAX_VALUES``), so that a huge file is refused while it is read, not after.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from clientgen.diagnostics import SpecError
from clientgen.limits import MAX_ALIAS_NODES, MAX_ALIASES, MAX_DEPTH, MAX_VALUES

from .bounds import YAML_OPENERS, check_tree, estimate_values, line_of_value
from .refs import clone, to_pointer

__all__ = ["MAX_ALIASES", "MAX_ALIAS_NODES", "parse_yaml"]

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _AliasLimit(yaml.MarkedYAMLError):  # type: ignore[misc]
    """Raised by the loader when aliases would expand the document beyond the bounds."""


def _check_keys(node: Any) -> None:
    """Keys must be scalars and not repeat; merged (``<<``) keys may still be overridden.

    Checked at composition, before ``flatten_mapping`` splices merged keys in.
    """
    own: set[str] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain scalars", key_node.start_mark
            )
        if key_node.tag != _MERGE_TAG and key_node.value in own:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
            )
        own.add(key_node.value)


class _BoundedLoader(yaml.SafeLoader):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._alias_nodes = 0
        self._nodes = 0
        self._depth = 0
        self._open_anchors: set[str] = set()
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._count_alias(event)
            return super().compose_node(parent, index)
        self._nodes += 1
        if self._nodes > MAX_VALUES:
            raise _AliasLimit(problem=f"more than {MAX_VALUES:,} values: too large", problem_mark=event.start_mark)
        if self._depth >= MAX_DEPTH:  # before the composer's own recursion runs out
            problem = f"nested more than {MAX_DEPTH} levels deep: flatten it or split it into components"
            raise _AliasLimit(problem=problem, problem_mark=event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open_anchors.add(anchor)
        self._depth += 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open_anchors.discard(anchor)
        if isinstance(node, yaml.MappingNode):
            _check_keys(node)
        return node

    def _count_alias(self, event: Any) -> None:
        if event.anchor in self._open_anchors:
            raise _AliasLimit(problem=f"recursive alias *{event.anchor}", problem_mark=event.start_mark)
        self._aliases += 1
        target = self.anchors.get(event.anchor)
        if target is not None:
            self._alias_nodes += self._size(target)
        if self._aliases > MAX_ALIASES or self._alias_nodes > MAX_ALIAS_NODES:
            bounds = f"more than {MAX_ALIASES}, or expanding to more than {MAX_ALIAS_NODES} nodes"
            raise _AliasLimit(problem=f"too many YAML aliases ({bounds})", problem_mark=event.start_mark)

    def _size(self, node: Any) -> int:
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.SequenceNode):
            size = 1 + sum(self._size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            size = 1 + sum(self._size(key) + self._size(value) for key, value in node.value)
        else:
            size = 1
        self._sizes[id(node)] = size
        return size

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
        """Keys as their source text, so that ``200:`` and ``on:`` stay strings."""
        self.flatten_mapping(node)
        return {
            str(key_node.value): self.construct_object(value_node, deep=deep) for key_node, value_node in node.value
        }


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _check_plain(path: Path, root: Any) -> None:
    """Refuse YAML values JSON cannot hold (binary, sets, NaN), naming where they are."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, tokens = stack.pop()
        if isinstance(node, dict):
            stack.extend((value, (*tokens, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*tokens, index)) for index, value in enumerate(node))
        elif isinstance(node, float) and not math.isfinite(node):
            raise SpecError(path, "non-finite number is not JSON-compatible", pointer=to_pointer(tokens))
        elif node is not None and not isinstance(node, str | int | float | bool):
            kind = type(node).__name__
            raise SpecError(path, f"YAML value of type {kind} is not JSON-compatible", pointer=to_pointer(tokens))


def parse_yaml(path: Path, text: str) -> Any:
    if estimate_values(text, YAML_OPENERS) > MAX_VALUES:  # refused before the (pure Python, slow) parser starts
        message = f"more than {MAX_VALUES:,} YAML values by this line: too large to generate from; split the spec"
        raise SpecError(path, message, line=line_of_value(text, YAML_OPENERS, MAX_VALUES))
    try:
        value = clone(yaml.load(text, Loader=_BoundedLoader))  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise SpecError(path, f"invalid YAML: {error.problem or error.context}", line=line) from None
    except yaml.YAMLError as error:
        raise SpecError(path, f"invalid YAML: {error}") from None
    except RecursionError:
        raise SpecError(path, "invalid YAML: nested too deeply") from None
    check_tree(path, value)
    _check_plain(path, value)
    return value
