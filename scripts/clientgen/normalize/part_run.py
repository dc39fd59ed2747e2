"""One path item normalized on its own, stage by stage, as the document-wide decisions it needs become known.

The stages are :data:`clientgen.normalize.PASSES` in their order, cut where a pass decides across the document
(:mod:`clientgen.normalize.parts` says what each decision is): the summary (inlined, through
``unsendable_parameters_as_text``: the typeless evidence and the cyclic components met), the envelopes' use vote
(after ``shape_failure_envelopes``), the convention's vote (``mark_success_envelopes``' first half), then the rest
and hoisting.  :meth:`ItemRun.part` is the item's :data:`Part`: JSON, with the decisions it was made under.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clientgen.cache_keys import UnkeyableError, document_bytes
from clientgen.normalize.allof import flatten_all_of
from clientgen.normalize.constraints import repair_constraints
from clientgen.normalize.dialect import downlevel_31
from clientgen.normalize.directions import apply_directions
from clientgen.normalize.envelopes import (
    envelope_votes,
    mark_bare_results,
    mark_plain_successes,
    reduce_error_envelopes,
    shape_failure_envelopes,
    uses_envelopes,
)
from clientgen.normalize.hint_codec import encode_hints
from clientgen.normalize.hoist import Hoisting, hoist_operations
from clientgen.normalize.media import normalize_media
from clientgen.normalize.parameters import unsendable_parameters_as_text
from clientgen.normalize.refs import Inliner
from clientgen.normalize.schemas import HTTP_METHODS
from clientgen.normalize.typeless import typeless_evidence
from clientgen.normalize.unchecked import unchecked_counts
from clientgen.normalize.unions import split_property_unions
from clientgen.routes import Route

__all__ = [
    "Decisions",
    "ItemRun",
    "Part",
    "RecursionMetError",
    "json_digest",
    "methods",
    "routes_of",
    "source_digest",
    "source_digest_of",
]

Part = dict[str, Any]  # one path item's work, JSON: see ItemRun.part


class RecursionMetError(Exception):
    """A reference recursion (through a sub-schema) met: first places cannot be told apart per item."""


def json_digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def source_digest(path: str, item: Any) -> str:
    """The digest of a path item as given (its exact bytes): a part is of this item or not used."""
    try:
        return source_digest_of(document_bytes({path: item}))
    except UnkeyableError:
        return ""  # no exact form: never equal to a stored part's


def source_digest_of(data: bytes) -> str:
    """:func:`source_digest` of a path item's ``document_bytes({path: item})``."""
    return hashlib.sha256(data).hexdigest()


def methods(item: Any) -> list[str]:
    """The operations of a path item, in the order the passes walk them."""
    return [method for method in HTTP_METHODS if isinstance(item, dict) and isinstance(item.get(method), dict)]


@dataclass
class Decisions:
    """The document-wide decisions, set in the order the stages need them."""

    evidence: set[str] = field(default_factory=set)
    evidence_key: str = ""
    uses: bool = False
    convention: bool = False
    hoisting: Hoisting | None = None
    hoisting_key: str = ""
    table: dict[tuple[str, str], Route] = field(default_factory=dict)
    unwraps: Callable[[str], bool] | None = None

    def current(self, part: Part, *names: str) -> bool:
        """Whether ``part`` was made under these decisions, as far as ``names`` (known so far) go."""
        now = {"evidence": self.evidence_key, "uses": self.uses, "convention": self.convention}
        now["hoisting"] = self.hoisting_key
        return all(part["under"].get(name) == now[name] for name in names)


def routes_of(table: dict[tuple[str, str], Route], path: str, item: Any) -> list[list[Any]]:
    """The item's operations' routes (each depends on every path of the document), JSON."""
    found = [(method, table.get((path, method))) for method in methods(item)]
    return [[method, list(route.nouns), route.verb, route.scope, route.level] for method, route in found if route]


class ItemRun:
    """One path item run fresh (``inliner``: a new one, on the whole document, for this item alone)."""

    def __init__(self, path: str, item: Any, inliner: Inliner) -> None:
        self.path = path
        self.source = ""  # the item's digest as given (``source_digest``), set by the caller
        self.diags = inliner.diags
        self.doc: dict[str, Any] = {"paths": inliner.inline({path: item}, "/paths", ())}
        if inliner.recursions:
            raise RecursionMetError(path)
        self.tags = dict(inliner.tags)  # its decisions' indexes are this run's: it reported first
        self.kept = sorted(inliner.kept)
        downlevel_31(self.doc, self.diags)
        self.counts = unchecked_counts(self.doc)
        for run in (normalize_media, reduce_error_envelopes, flatten_all_of, unsendable_parameters_as_text):
            self.doc = run(self.doc, self.diags)
        self.evidence = sorted(typeless_evidence(self.doc))
        self.stage = "summary"
        self.uses_vote = False
        self.votes = (0, 0)

    @property
    def item(self) -> Any:
        return self.doc["paths"][self.path]

    def vote_uses(self, decided: Decisions) -> bool:
        if self.stage == "summary":
            self.doc = repair_constraints(self.doc, self.diags, evidence=decided.evidence)
            self.doc = shape_failure_envelopes(self.doc, self.diags)
            self.uses_vote = uses_envelopes(self.doc)
            self.stage = "uses"
        return self.uses_vote

    def vote_convention(self, decided: Decisions) -> tuple[int, int]:
        self.vote_uses(decided)
        if self.stage == "uses":
            if decided.uses:
                mark_plain_successes(self.doc, self.diags)
                self.votes = envelope_votes(self.doc)
            self.stage = "convention"
        return self.votes

    def part(self, decided: Decisions) -> Part:
        """The item finished with the document's decisions and hoisted: its part."""
        self.vote_convention(decided)
        if decided.uses and decided.convention:
            mark_bare_results(self.doc, self.diags)
        self.doc = split_property_unions(apply_directions(self.doc, self.diags), self.diags)
        if decided.hoisting is None:
            msg = "the kept components are hoisted before any item"
            raise RuntimeError(msg)
        self.doc["paths"] = decided.hoisting.pending_refs(self.doc["paths"])
        hoister = decided.hoisting.part()
        hoist_operations(hoister, self.doc, decided.table, decided.unwraps)
        hints = encode_hints(hoister.hints)
        under = {
            "evidence": decided.evidence_key,
            "uses": decided.uses,
            "convention": decided.convention,
            "hoisting": decided.hoisting_key,
            "routes": routes_of(decided.table, self.path, self.item),
        }
        return {
            "source": self.source,
            "evidence": self.evidence,
            "kept": self.kept,
            "counts": {keyword: list(count) for keyword, count in self.counts.items()},
            "uses_vote": self.uses_vote,
            "votes": list(self.votes),
            "under": under,
            "item": self.item,
            "schemas": hoister.schemas,
            "hints": hints,
            "hints_digest": json_digest(hints),
            "references": {key: list(words) for key, words in hoister.references.items()},
            "diagnostics": [
                [item.pointer, item.code, item.message, item.level.value, self.tags.get(at, "")]
                for at, item in enumerate(self.diags.items)
            ],
        }
