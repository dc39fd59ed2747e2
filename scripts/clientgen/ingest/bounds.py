"""Bounds on what a spec may make the pipeline do: see :mod:`clientgen.limits` for the values.

Three checks, none recursive (a 100,000-level document must not exhaust the interpreter's
stack before it is refused):

* :func:`estimate_values` — an upper bound on the values a JSON or YAML text holds, counted
  before decoding, so that a 30 MB file of ``[0,0,…]`` is refused without first costing
  gigabytes; :func:`line_of_value` and :func:`line_too_deep` name the line where a text
  crosses the count or depth limit;
* :func:`check_tree` — nesting depth, value count and strings (length, lone surrogates) of
  a decoded file;
* :func:`check_expansion` — the size and depth of the operations once every ``$ref`` is
  inlined, as the normalizer will do it, measured without inlining.  A target that reaches
  no cycle expands the same wherever it is used: it is measured once, bottom-up over the
  strongly connected components of the reference graph.  A target inside a cycle expands
  differently depending on which members of its cycle are already being inlined; it is
  measured per (target, those members), memoized, within a step budget.  Thirty schemas
  each using the next twice (10^9 values inlined) take microseconds; twelve schemas each
  using all the others (12! inlinings) are refused in a fraction of a second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from clientgen.diagnostics import SpecError
from clientgen.limits import MAX_DEPTH, MAX_EXPANDED_VALUES, MAX_STRING_CHARS, MAX_VALUES

from .refgraph import SCHEMA_PREFIX, cyclic_components
from .refs import Token, to_pointer

__all__ = [
    "JSON_OPENERS",
    "YAML_OPENERS",
    "Expansion",
    "check_expansion",
    "check_keys",
    "check_tree",
    "count_kept_bodies",
    "count_path_item",
    "deepest_pointer",
    "estimate_values",
    "exceeds_cyclic_budget",
    "line_of_value",
    "line_too_deep",
    "offset_too_deep",
]

_Chain = tuple["_Chain", Token] | None
_SURROGATE = re.compile("[\ud800-\udfff]")


def _tokens(chain: _Chain) -> list[Token]:
    out: list[Token] = []
    while chain is not None:
        chain, token = chain
        out.append(token)
    return out[::-1]


JSON_OPENERS = ",{["
YAML_OPENERS = "\n-:?,[{"
_CHUNK = 1 << 20


def estimate_values(text: str, openers: str) -> int:
    """At least the number of values a JSON (``JSON_OPENERS``) or YAML (``YAML_OPENERS``) text holds.

    Every value but the first follows one of ``openers`` (strings are counted too: an upper bound).
    """
    return sum(text.count(char) for char in openers) + 1


def line_of_value(text: str, openers: str, number: int) -> int:
    """The line on which the ``number``-th opener stands: where a text crosses a value limit."""
    seen = 0
    for start in range(0, len(text), _CHUNK):
        chunk = text[start : start + _CHUNK]
        here = sum(chunk.count(char) for char in openers)
        if seen + here >= number:
            for match in re.finditer("[" + re.escape(openers) + "]", chunk):
                seen += 1
                if seen >= number:
                    return text.count("\n", 0, start + match.start()) + 1
        seen += here
    return text.count("\n") + 1


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def offset_too_deep(text: str, start: int = 0) -> int:
    """Where JSON ``text`` (from ``start``) first nests deeper than ``MAX_DEPTH`` (brackets in strings ignored)."""
    blanked = _JSON_STRING.sub(lambda match: "_" * len(match.group(0)), text[start:])
    depth = 0
    for match in _BRACKET.finditer(blanked):
        depth += 1 if match.group(0) in "[{" else -1
        if depth > MAX_DEPTH:
            return start + match.start()
    return start


def line_too_deep(text: str) -> int:
    """The line on which JSON ``text`` first nests deeper than ``MAX_DEPTH``."""
    return text.count("\n", 0, offset_too_deep(text)) + 1


def check_tree(file: Path | str, root: Any, *, base: str = "", line: int | None = None, depth: int = 1) -> int:
    """Refuse a decoded value that is too deep, too large, or holds a string that is too long or not text.

    Nested deeper than ``MAX_DEPTH``, more than ``MAX_VALUES`` values, a string or key longer
    than ``MAX_STRING_CHARS`` or holding a lone surrogate.  ``base`` is the pointer of
    ``root`` in the document, ``line`` where it starts (records), ``depth`` its level in the document (a
    part checked on its own).  Returns how many values it holds.
    """
    count = 0
    stack: list[tuple[Any, int, _Chain]] = [(root, depth, None)]
    while stack:
        node, depth, chain = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise SpecError(file, f"more than {MAX_VALUES:,} values: too large to generate from", line=line)
        if isinstance(node, dict):
            _check_depth(file, depth, base, chain, line)
            for key, value in node.items():
                _check_string(file, key, (base, (chain, key)), line, "key")
                stack.append((value, depth + 1, (chain, key)))
        elif isinstance(node, list):
            _check_depth(file, depth, base, chain, line)
            stack.extend((value, depth + 1, (chain, index)) for index, value in enumerate(node))
        elif isinstance(node, str):
            _check_string(file, node, (base, chain), line, "string")
    return count


def check_keys(file: Path | str, keys: list[str], base: str) -> None:
    """The checks :func:`check_tree` makes of an object's keys, for an object whose values are checked apart."""
    for key in keys:
        _check_string(file, key, (base, (None, key)), None, "key")


def deepest_pointer(root: Any) -> str:
    """The JSON pointer of the most deeply nested value (the first one, in document order)."""
    best: tuple[int, _Chain] = (0, None)
    stack: list[tuple[Any, int, _Chain]] = [(root, 0, None)]
    while stack:
        node, depth, chain = stack.pop()
        if depth > best[0]:
            best = (depth, chain)
        if isinstance(node, dict):
            stack.extend((value, depth + 1, (chain, key)) for key, value in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((value, depth + 1, (chain, index)) for index, value in reversed(list(enumerate(node))))
    return _pointer(best[1])


def _check_depth(file: Path | str, depth: int, base: str, chain: _Chain, line: int | None) -> None:
    if depth > MAX_DEPTH:
        pointer = base + to_pointer(_tokens(chain)[:8]) + "/…"
        message = f"nested more than {MAX_DEPTH} levels deep: flatten it or split it into components"
        raise SpecError(file, message, line=line, pointer=pointer)


def _check_string(file: Path | str, text: str, where: tuple[str, _Chain], line: int | None, what: str) -> None:
    if len(text) > MAX_STRING_CHARS:
        message = f"a {what} of {len(text):,} characters (more than {MAX_STRING_CHARS:,}): shorten it"
        raise SpecError(file, message, line=line, pointer=where[0] + _pointer(where[1]))
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        message = f"a {what} holds the lone surrogate U+{ord(surrogate.group(0)):04X}, which is not text: remove it"
        raise SpecError(file, message, line=line, pointer=where[0] + _pointer(where[1]))


def _pointer(chain: _Chain) -> str:
    return to_pointer([_shorten(token) for token in _tokens(chain)])


def _shorten(token: Token) -> Token:
    return token if isinstance(token, int) or len(token) <= 40 else token[:40] + "…"


# --- the document with every $ref inlined ------------------------------------------------------------


@dataclass
class _Target:
    """One reference target, scanned without following references.

    Its own values and its references; once classified, its strongly connected component and,
    when it reaches no cycle, its size and height with every reference inlined.
    """

    own: int = 0
    height: int = 0
    sites: list[tuple[int, int]] = field(default_factory=list)  # (target id, depth of the Reference Object)
    component: int = -1
    cyclic: bool = False  # reaches a cycle: its expansion depends on the references being inlined around it
    size_inlined: int = 0
    height_inlined: int = 0


def _ref_of(node: Any) -> str | None:
    ref = node.get("$ref") if isinstance(node, dict) else None
    return ref if isinstance(ref, str) and ref.startswith("#") else None


def _resolve(document: Any, ref: str) -> Any:
    fragment = unquote(ref[1:])
    if not fragment.startswith("/"):
        return document if fragment == "" else None
    node = document
    for raw in fragment[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _children(node: Any) -> Iterator[tuple[Token, Any]]:
    """What a walk visits below ``node``: a Reference Object's siblings, but not the reference itself."""
    if isinstance(node, dict):
        skip_ref = _ref_of(node) is not None
        for key, value in node.items():
            if not (skip_ref and key == "$ref"):
                yield key, value
    elif isinstance(node, list):
        yield from enumerate(node)


_STEPS = MAX_EXPANDED_VALUES // 10  # memoized measuring steps for targets inside cycles: about a second


class _TooLarge(Exception):  # noqa: N818 - a signal inside this module, never seen outside
    pass


class Expansion:
    """Reference targets by identity, each scanned once; sizes as the normalizer's inlining would make them.

    The normalizer inlines a reference unless its target is already being inlined on the way down, where it keeps
    the ``$ref`` (legal recursion).  A target that reaches no cycle therefore expands the same everywhere and is
    measured once, bottom-up.  A target inside a cycle expands differently depending on which members of its
    cycle are being inlined around it: it is measured per (target, those members), memoized, within a budget.
    """

    def __init__(
        self, document: Any, kept_keys: list[str] | None = None, guard: Callable[[str], None] | None = None
    ) -> None:
        """Measure ``document``'s references.

        ``kept_keys``: the document's sorted cyclic components, when the caller has them; ``guard``: called with
        each reference before it is first resolved (literal data's too), to raise where the caller cannot follow.
        """
        self.document = document
        self.guard = guard
        self.cyclic_entries: set[str] = set()  # references measured whose target reaches a cycle
        self.nodes: dict[str, Any] = {}
        self.known: dict[int, Any] = {}  # id -> node: ids stay valid, the document is alive and unchanged
        self.targets: dict[int, _Target] = {}
        self.components: dict[int, int] = {}  # target id -> component number, once classified
        self.memo: dict[tuple[int, frozenset[int]], tuple[int, int]] = {}
        self.steps = 0
        self.kept_keys = sorted(cyclic_components(document)) if kept_keys is None else kept_keys
        # kept components stay references: no site to follow into them
        self.kept = {id(self.node(SCHEMA_PREFIX + _escape(key))) for key in self.kept_keys}

    def node(self, ref: str) -> Any:
        if ref not in self.nodes:
            if self.guard is not None:
                self.guard(ref)
            node = self.nodes[ref] = _resolve(self.document, ref)
            if node is not None:
                self.known[id(node)] = node
        return self.nodes[ref]

    def by_id(self, key: int) -> _Target:
        if key not in self.targets:
            self.targets[key] = self._scan(self.known[key])
        return self.targets[key]

    def _scan(self, root: Any) -> _Target:
        found = _Target()
        stack: list[tuple[Any, int]] = [(root, 1)]
        while stack:
            node, depth = stack.pop()
            ref = _ref_of(node)
            if ref is not None and self.node(ref) is not None and id(self.node(ref)) not in self.kept:
                found.sites.append((id(self.node(ref)), depth))
            found.own += 1
            found.height = max(found.height, depth)
            stack.extend((value, depth + 1) for _, value in _children(node))
        return found

    def measure(self, ref: str) -> tuple[int, int] | None:
        """(values, levels) of the target of ``ref`` with every reference below it inlined; None if it dangles."""
        node = self.node(ref)
        if node is None:
            return None
        key = id(node)
        self._classify(key)
        target = self.targets[key]
        if not target.cyclic:
            return target.size_inlined, target.height_inlined
        self.cyclic_entries.add(ref)
        return self._cyclic(key)

    def _classify(self, start: int) -> None:
        """Tarjan's strongly connected components, iteratively, from ``start``.

        Components complete sinks first, so when one completes every target it refers to outside it is
        classified (and measured, if it reaches no cycle).
        """
        if start in self.components:
            return
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        path: list[int] = []
        on_path: set[int] = set()
        work: list[tuple[int, Iterator[tuple[int, int]]]] = []

        def enter(key: int) -> None:
            index[key] = low[key] = len(index)
            path.append(key)
            on_path.add(key)
            work.append((key, iter(self.by_id(key).sites)))

        enter(start)
        while work:
            key, pending = work[-1]
            site = next(pending, None)
            if site is not None:
                inner = site[0]
                if inner in self.components:
                    continue
                if inner not in index:
                    enter(inner)
                elif inner in on_path:
                    low[key] = min(low[key], index[inner])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[key])
            if low[key] == index[key]:
                self._complete(key, path, on_path)

    def _complete(self, root: int, path: list[int], on_path: set[int]) -> None:
        members: list[int] = []
        while True:
            key = path.pop()
            on_path.discard(key)
            members.append(key)
            if key == root:
                break
        number = len(self.components)
        for key in members:
            self.components[key] = number
            self.by_id(key).component = number
        looped = len(members) > 1 or any(inner == root for inner, _ in self.by_id(root).sites)
        cyclic = looped or any(self.targets[inner].cyclic for key in members for inner, _ in self.targets[key].sites)
        for key in members:
            self.targets[key].cyclic = cyclic
        if not cyclic:
            self._measure_acyclic(self.targets[root])

    def _measure_acyclic(self, target: _Target) -> None:
        size, height = target.own, target.height
        for inner_key, depth in target.sites:
            inner = self.targets[inner_key]
            size += inner.size_inlined - 1  # the Reference Object is replaced by its target
            height = max(height, depth + inner.height_inlined)
        target.size_inlined, target.height_inlined = min(size, MAX_EXPANDED_VALUES + 1), height

    def _cyclic(self, start: int) -> tuple[int, int]:
        """Size and height of a target that reaches a cycle, entered with no other target being inlined."""
        first = (start, frozenset({start}))
        if first in self.memo:
            return self.memo[first]
        # frames: (state, pending sites, size so far, height so far, depth of the site being measured)
        frames: list[tuple[tuple[int, frozenset[int]], Iterator[tuple[int, int]], list[int]]] = []

        def push(state: tuple[int, frozenset[int]]) -> None:
            target = self.targets[state[0]]
            frames.append((state, iter(target.sites), [target.own, target.height, 0]))

        push(first)
        while frames:
            state, pending, acc = frames[-1]
            site = next(pending, None)
            if site is None:
                frames.pop()
                self.memo[state] = (min(acc[0], MAX_EXPANDED_VALUES + 1), acc[1])
                if frames:
                    parent = frames[-1][2]
                    parent[0] += self.memo[state][0] - 1
                    parent[1] = max(parent[1], parent[2] + self.memo[state][1])
                continue
            self.steps += 1
            if self.steps > _STEPS:
                raise _TooLarge
            inner_key, depth = site
            inner = self.targets[inner_key]
            if inner_key in state[1]:
                continue  # kept as a $ref: already counted as one value
            if not inner.cyclic:
                acc[0] += inner.size_inlined - 1
                acc[1] = max(acc[1], depth + inner.height_inlined)
                continue
            same = inner.component == self.targets[state[0]].component
            inner_state = (inner_key, (state[1] | {inner_key}) if same else frozenset({inner_key}))
            if inner_state in self.memo:
                acc[0] += self.memo[inner_state][0] - 1
                acc[1] = max(acc[1], depth + self.memo[inner_state][1])
                continue
            acc[2] = depth
            push(inner_state)
        return self.memo[first]


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def check_expansion(file: Path | str, document: dict[str, Any]) -> int:
    """Refuse a document whose operations, with every ``$ref`` inlined, exceed the size or depth limits.

    Returns how many values that is (what a caller that took leaves out needs to check the rest against).
    """
    expansion = Expansion(document)
    stack: list[tuple[Any, int, _Chain]] = [(document.get("paths"), 2, (None, "paths"))]
    stack.extend(reversed(_kept_bodies(expansion)))
    return _walk(file, expansion, stack)


def _kept_bodies(expansion: Expansion) -> list[tuple[Any, int, _Chain]]:
    """Each kept component's body, where it stands (measured once, as it is)."""
    schemas_chain: _Chain = ((None, "components"), "schemas")
    return [(expansion.node(SCHEMA_PREFIX + _escape(key)), 3, (schemas_chain, key)) for key in expansion.kept_keys]


def count_kept_bodies(file: Path | str, expansion: Expansion) -> int:
    """The kept components' bodies' share of :func:`check_expansion`'s count (refused past a limit)."""
    return _walk(file, expansion, list(reversed(_kept_bodies(expansion))))


def count_path_item(file: Path | str, expansion: Expansion, path: str, item: Any) -> int:
    """One path item's share of :func:`check_expansion`'s count (refused past a limit on its own)."""
    return _walk(file, expansion, [(item, 3, ((None, "paths"), path))])


def exceeds_cyclic_budget(
    document: Any, kept_keys: list[str], entries: list[str], guard: Callable[[str], None] | None = None
) -> bool:
    """Whether measuring the references ``entries`` (whose targets reach a cycle) takes more than the budget.

    The steps are those of every (target, members being inlined) state reachable from the entries, each measured
    once, whatever the order: the sum over parts equals the whole document's.
    """
    expansion = Expansion(document, kept_keys, guard)
    try:
        for ref in entries:
            expansion.measure(ref)
    except _TooLarge:
        return True
    return False


def _walk(file: Path | str, expansion: Expansion, stack: list[tuple[Any, int, _Chain]]) -> int:
    count = 0
    while stack:
        node, depth, chain = stack.pop()
        ref = _ref_of(node)
        size, height = 1, depth
        if ref is not None and id(expansion.node(ref)) not in expansion.kept:
            try:
                measured = expansion.measure(ref)
            except _TooLarge:
                message = (
                    f"recursive $refs that inline in more than {_STEPS:,} distinct ways once every $ref is inlined:"
                    " too large to generate; let fewer schemas refer to each other"
                )
                raise SpecError(file, message + _via(ref), pointer=to_pointer(_tokens(chain)[:3])) from None
            if measured is not None:
                size, height = measured[0], depth + measured[1]
        count += size
        if count > MAX_EXPANDED_VALUES:
            message = f"more than {MAX_EXPANDED_VALUES:,} values once every $ref is inlined: too large to generate"
            raise SpecError(file, message + _via(ref), pointer=to_pointer(_tokens(chain)[:3]))
        if height > MAX_DEPTH:
            message = (
                f"nested more than {MAX_DEPTH} levels deep once every $ref is inlined (each $ref counts as a level)"
            )
            raise SpecError(file, message + _via(ref), pointer=to_pointer(_tokens(chain)))
        stack.extend((value, depth + 1, (chain, key)) for key, value in _children(node))
    return count


def _via(ref: str | None) -> str:
    return f" (through $ref {ref!r})" if ref else ""
