"""The normalizer run path item by path item: each item's work is reused while what it depends on is the same.

:func:`clientgen.normalize.normalize` walks the whole document pass after pass.  Most of that work is one path
item's alone; what is not is decided across the document, here first, from each item's small summary, and then
each item runs with those decisions (:mod:`clientgen.normalize.part_run`):

* the typeless evidence (``typeless``): the union of every item's, before ``repair_constraints``;
* whether responses use envelopes, then whether the envelope is the convention (``envelopes``): the items'
  votes, before ``mark_success_envelopes``' two halves;
* the cyclic components the items meet (``refs``): kept and inlined once, with the rest of the document
  (everything but ``paths``), which the same passes then run on;
* the decisions reported only at their first place (a cyclic component met, a component's discriminator
  mapping dropped where it is first expanded; tagged by ``refs.Inliner``): each item reports its own, and the
  first item in document order that reports a tag keeps it, then the rest of the document;
* the unchecked keywords' counts (``unchecked``): added up in document order;
* the routes (each operation's depends on every path), the kept components' pending keys (``hoist``), and the
  names contest (``naming``) over every item's hints, in the order ``hoist_objects`` walks the operations.

A stored :data:`~clientgen.normalize.part_run.Part` (the caller keeps them, keyed by the item's content and the
rest of the document) is reused where the decisions it was made under are the current ones; else the item runs
again.  The names contest's result is reused where its inputs' digest is the same (every item's hints, the
references, the previous generation's names).  The result equals ``normalize``'s, diagnostics as a set
(``tests/test_normalize_parts.py``); where that cannot be shown (a recursion through a sub-schema, a path item
that is not an object, a refused document) the whole document is normalized instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from clientgen.diagnostics import Diagnostic, Diagnostics, Level, SpecError
from clientgen.ingest.refgraph import cyclic_components
from clientgen.name_memory import NameMemory
from clientgen.normalize import PASSES, copy_for_passes, normalize
from clientgen.normalize.constraints import repair_constraints
from clientgen.normalize.envelopes import is_convention
from clientgen.normalize.hint_codec import HintFormatError, decode_hints, encode_hints
from clientgen.normalize.hoist import add_part, apply_names, name_schemas, start_hoisting
from clientgen.normalize.naming_source import choose_names_source
from clientgen.normalize.part_run import (
    Decisions,
    ItemRun,
    Part,
    RecursionMetError,
    json_digest,
    methods,
    routes_of,
    source_digest,
)
from clientgen.normalize.part_shape import well_formed_names, well_formed_part
from clientgen.normalize.refs import Inliner, has_operations, inline_components
from clientgen.normalize.unchecked import add_counts, report_counts, report_unchecked_keywords, unchecked_counts
from clientgen.routes import route_table

__all__ = ["Parts", "Reuse", "normalize_parts"]

_LEVELS = {level.value: level for level in Level}


def _nothing(_key: str) -> Any:
    return None


@dataclass(frozen=True)
class Reuse:
    """What earlier runs left: path -> part; the hints stored under their digest; names under their inputs' key.

    The parts are the run's own (read from the cache for it): a reused part's item and schemas are renamed in
    place and become the result's.
    """

    parts: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)  # path -> source_digest, where the caller has it
    hints: Callable[[str], Any] = _nothing
    names: Callable[[str], Any] = _nothing


@dataclass
class Parts:
    """What :func:`normalize_parts` reused and made, for the caller to keep."""

    reused: int = 0
    made: dict[str, Part] = field(default_factory=dict)  # path -> part (its hints under "hints")
    names: tuple[str, dict[str, Any]] | None = None  # (key, entry) of a names contest run now
    whole: bool = False  # the document was normalized whole: nothing to keep


class _Unsplittable(Exception):  # noqa: N818 - not an error: the whole document is normalized instead
    """The parts of this document cannot be shown to give ``normalize``'s result."""


def normalize_parts(  # noqa: PLR0913 - normalize()'s arguments, then what to reuse
    document: dict[str, Any],
    diags: Diagnostics,
    memory: NameMemory | None,
    *,
    names_source: str = "auto",
    unwraps: Callable[[str], bool] | None = None,
    reuse: Reuse | None = None,
) -> tuple[dict[str, Any], Parts]:
    """:func:`clientgen.normalize.normalize`'s result (its diagnostics as a set), reusing what ``reuse`` holds.

    ``reuse.parts`` must be of the same path items, in a document whose everything but ``paths`` is the same,
    normalized with the same options: the caller's key says so.
    """
    before = len(diags.items)
    try:
        return _Run(document, diags, memory, unwraps, reuse or Reuse()).normalize(names_source)
    except (_Unsplittable, RecursionMetError, SpecError):  # a refused document raises again, as normalize does
        del diags.items[before:]
        normalized = normalize(document, diags, memory, names_source=names_source, unwraps=unwraps)
        return normalized, Parts(whole=True)


class _Run:
    """One document's normalization by parts, in the order of the decisions."""

    def __init__(
        self,
        document: dict[str, Any],
        diags: Diagnostics,
        memory: NameMemory | None,
        unwraps: Callable[[str], bool] | None,
        reuse: Reuse,
    ) -> None:
        paths = document.get("paths")
        if not isinstance(paths, dict) or not all(isinstance(item, dict) for item in paths.values()):
            raise _Unsplittable
        self.document, self.source_paths, self.diags, self.memory, self.reuse = document, paths, diags, memory, reuse
        self.doc = copy_for_passes(document)  # the rest of the document: the passes may change it
        self.paths = list(paths)  # document order: the inliner's walk, the first places, the counts
        self.cyclic = cyclic_components(document)
        self.sources = dict(reuse.sources)
        self.stored: dict[str, Part] = {
            path: part
            for path, part in reuse.parts.items()
            if path in paths and well_formed_part(part) and part["source"] == self.source(path)
        }
        self.fresh: dict[str, ItemRun] = {}
        self.rest_tags: dict[int, str] = {}
        self.decided = Decisions(unwraps=unwraps)
        self.by_keys = False
        self.result = Parts()

    def source(self, path: str) -> str:
        found = self.sources.get(path)
        if found is None:
            found = self.sources[path] = source_digest(path, self.source_paths[path])
        return found

    def item(self, path: str) -> ItemRun:
        found = self.fresh.get(path)
        if found is None:
            inliner = Inliner(self.doc, Diagnostics(), mark_components=self.by_keys, cyclic=self.cyclic)
            found = self.fresh[path] = ItemRun(path, self.source_paths[path], inliner)
            found.source = self.source(path)
            self.stored.pop(path, None)  # run fresh: a stored part is not used any more
        return found

    def normalize(self, names_source: str) -> tuple[dict[str, Any], Parts]:
        source, share = choose_names_source(self.document, names_source)
        self.diags.add(
            "/components/schemas",
            "names-source",
            f"model names from {'component keys' if source == 'keys' else 'content and use'} "
            f"({share:.0%} of component keys are machine noise; [names] source = {names_source!r})",
        )
        self.by_keys = source == "keys"
        kept = self._summaries()
        self._votes()
        rest, rest_diags, rest_counts = self._rest(kept)
        decided = self.decided
        decided.table = route_table((path, method) for path in sorted(self.paths) for method in self._methods(path))
        decided.hoisting = start_hoisting(rest, by_keys=self.by_keys)
        decided.hoisting_key = decided.hoisting.fingerprint
        parts = {path: self._part(path) for path in self.paths}
        self._report(parts, rest_diags, rest_counts)
        names = self._names(parts)
        rest["paths"] = {path: parts[path]["item"] for path in self.paths}
        reused = [part for path, part in parts.items() if path not in self.result.made]  # read here: ours alone
        owned = frozenset(id(node) for part in reused for node in (part["item"], *part["schemas"].values()))
        hoister = decided.hoisting.hoister
        return apply_names(hoister, rest, self.diags, self.memory, names, owned=owned), self.result

    def _summaries(self) -> set[str]:
        """The typeless evidence (decided) and the cyclic components the items meet (returned)."""
        evidence: set[str] = set()
        kept: set[str] = set()
        for path in self.paths:
            stored = self.stored.get(path)
            summary = {"evidence": self.item(path).evidence, "kept": self.item(path).kept} if stored is None else stored
            evidence.update(summary["evidence"])
            kept.update(summary["kept"])
        self.decided.evidence, self.decided.evidence_key = evidence, json_digest(sorted(evidence))
        return kept

    def _votes(self) -> None:
        decided = self.decided
        uses = False
        for path in self.paths:
            stored = self.stored.get(path)
            if stored is not None and decided.current(stored, "evidence"):
                uses = stored["uses_vote"] or uses
            else:
                uses = self.item(path).vote_uses(decided) or uses
        decided.uses = uses
        envelopes, bodies = 0, 0
        for path in self.paths:
            stored = self.stored.get(path)
            if stored is not None and decided.current(stored, "evidence", "uses"):
                votes = (stored["votes"][0], stored["votes"][1])
            else:
                votes = self.item(path).vote_convention(decided)
            envelopes, bodies = envelopes + votes[0], bodies + votes[1]
        decided.convention = uses and is_convention((envelopes, bodies))

    def _rest(self, kept: set[str]) -> tuple[dict[str, Any], Diagnostics, dict[str, tuple[int, str]]]:
        """Everything but ``paths`` through the passes: the kept components inlined, repaired, split."""
        diags = Diagnostics()
        rest, inliner = inline_components(
            self.doc,
            diags,
            mark_components=self.by_keys,
            cyclic=self.cyclic,
            kept=sorted(kept),
            operations=has_operations(self.source_paths),
        )
        if inliner.recursions:
            raise _Unsplittable
        counts: dict[str, tuple[int, str]] = {}
        for step in PASSES[1:]:
            if step is report_unchecked_keywords:
                counts = unchecked_counts(rest)
            elif step is repair_constraints:
                rest = repair_constraints(rest, diags, evidence=self.decided.evidence)
            else:
                rest = step(rest, diags)
        self.rest_tags = dict(inliner.tags)
        return rest, diags, counts

    def _methods(self, path: str) -> list[str]:
        fresh = self.fresh.get(path)
        return methods(fresh.item if fresh is not None else self.stored[path]["item"])

    def _part(self, path: str) -> Part:
        stored = self.stored.get(path)
        decided = self.decided
        if (
            stored is not None
            and decided.current(stored, "evidence", "uses", "convention", "hoisting")
            and stored["under"].get("routes") == routes_of(decided.table, path, stored["item"])
        ):
            self.result.reused += 1
            return stored
        part = self.result.made[path] = self.item(path).part(decided)
        return part

    def _report(self, parts: dict[str, Part], rest: Diagnostics, rest_counts: dict[str, tuple[int, str]]) -> None:
        """Every item's decisions (a first-place one from the first item reporting it), the rest's, the counts."""
        seen: set[str] = set()
        counts: dict[str, tuple[int, str]] = {}
        for path in self.paths:
            part = parts[path]
            tags = set()
            for pointer, code, message, level, tag in part["diagnostics"]:
                if not tag or tag not in seen:
                    tags.add(tag)
                    self.diags.items.append(Diagnostic(pointer, code, message, _LEVELS[level]))
            seen.update(tags)
            add_counts(counts, {keyword: (count[0], count[1]) for keyword, count in part["counts"].items()})
        self.diags.items.extend(
            item for at, item in enumerate(rest.items) if not self.rest_tags.get(at) or self.rest_tags[at] not in seen
        )
        add_counts(counts, rest_counts)
        report_counts(counts, self.diags)

    def _names(self, parts: dict[str, Part]) -> dict[str, str]:
        """The items' hoisting added in ``hoist_objects``' order (sorted paths); the names contest, or its result."""
        hoisting = self.decided.hoisting
        if hoisting is None:
            msg = "the kept components are hoisted before the names"
            raise RuntimeError(msg)
        hoister = hoisting.hoister
        kept_hints = encode_hints(hoister.hints)
        references: dict[str, tuple[str, ...]] = {}
        for path in sorted(self.paths):
            part = parts[path]
            add_part(hoister, part["schemas"], {}, {})
            references.update((key, tuple(words)) for key, words in part["references"].items())
        hoister.references.update(references)
        remembered = sorted(self.memory.class_names().items()) if self.memory else None
        digests = [[path, parts[path]["hints_digest"]] for path in sorted(self.paths)]
        key = json_digest([kept_hints, digests, sorted(references.items()), remembered])
        entry = self.reuse.names(key)
        if well_formed_names(entry, hoister.schemas):
            self.diags.items.extend(Diagnostic(p, c, m, _LEVELS[level]) for p, c, m, level in entry["diagnostics"])
            return dict(entry["names"])
        for path in sorted(self.paths):
            hints = self._hints(path, parts)
            for content_key, uses in hints.items():
                hoister.hints.setdefault(content_key, []).extend(uses)
        naming = Diagnostics()
        names = name_schemas(hoister, naming, self.memory)
        self.diags.items.extend(naming.items)
        diagnostics = [[item.pointer, item.code, item.message, item.level.value] for item in naming.items]
        self.result.names = (key, {"names": names, "diagnostics": diagnostics})
        return names

    def _hints(self, path: str, parts: dict[str, Part]) -> dict[str, Any]:
        """The item's hints: in its part, else stored under their digest (checked), else the item run again."""
        part = parts[path]
        encoded = part.get("hints")
        if encoded is None:
            encoded = self.reuse.hints(part["hints_digest"])
            if encoded is not None and json_digest(encoded) != part["hints_digest"]:
                encoded = None
        try:
            if encoded is not None:
                return decode_hints(encoded)
        except HintFormatError:
            pass
        part = parts[path] = self.result.made[path] = self.item(path).part(self.decided)
        return decode_hints(part["hints"])
