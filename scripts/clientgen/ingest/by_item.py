"""Ingest by path item: the rest of the document once, each path item on its own, then the two put together.

:func:`clientgen.ingest.documents.ingest_document` and :func:`clientgen.ingest.bounds.check_expansion` walk the
whole document.  Most of that walk is one path item's alone, so it is split here, for a cache to keep each
piece under its input (:mod:`clientgen.cached_ingest_items`):

- :func:`ingest_rest`: everything but ``paths`` (the parsed tree's bounds checked, references checked and
  unquoted, the top-level security requirements checked, the kept components and their bodies' expanded size);
- :func:`ingest_item`: one path item, given the rest (its parsed tree's bounds, its references checked and
  unquoted, its path and operations checked and its shared parameters merged, its requirements checked, its
  expanded size);
- :func:`assemble`: the document-wide checks from the pieces' summaries (the path keys, the parsed values'
  count, alias loops from every reference target, the expanded count, the budget of targets inside cycles),
  the skipped operations in path order, the missing Cloudflare security schemes.

The caller parses the file without :func:`~clientgen.ingest.bounds.check_tree` (``parse_file(checked=False)``):
the pieces check their own trees at their depth, and the sum of their values against the file's limit.

The result equals the whole ingest's, key order included (``tests/test_ingest_by_item.py``), where the pieces
are independent: a JSON document (YAML aliases share objects between items), every reference internal
(nothing to bundle) and outside what ingest changes or moves (``paths``, ``components/securitySchemes``,
``x-clientgen-skipped``, the whole document), no path key with ``?`` or ``#`` (those move operations between
items).  Elsewhere, and on any refusal, these functions raise; the caller then ingests the whole document,
which refuses it (or not) with its own message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from clientgen.limits import MAX_EXPANDED_VALUES, MAX_VALUES

from .bounds import (
    Expansion,
    check_keys,
    check_tree,
    count_kept_bodies,
    count_path_item,
    exceeds_cyclic_budget,
)
from .cycles import check_alias_loops
from .refgraph import cyclic_components
from .refs import clone, iter_refs, resolve_fragment, to_pointer
from .security import (
    CLOUDFLARE_SECURITY_SCHEMES,
    add_missing_schemes,
    check_requirements,
    defined_schemes,
    item_requirement_sites,
)
from .structure import SKIPPED, check_path

__all__ = ["Item", "ItemContext", "NotByItemError", "Rest", "assemble", "ingest_item", "ingest_rest", "rest_of"]


class NotByItemError(Exception):
    """The document cannot be ingested by path item: the caller ingests it whole."""


@dataclass
class Rest:
    """Everything but ``paths`` ingested, and what the document-wide checks need of it."""

    document: dict[str, Any]  # ``paths`` is ``{}``, where it stood
    targets: list[str]  # the internal references, sorted
    names: list[str]  # the security schemes the top-level requirements name
    kept: list[str]  # the cyclic schema components, sorted
    count: int  # the kept components' bodies' values once inlined
    cyclic: list[str]  # the references measured from those bodies whose targets reach a cycle
    values: int  # the values it holds as parsed (checked like the whole file's, with ``paths`` empty)


@dataclass
class Item:
    """One path item ingested (None: skipped whole), and its share of the document-wide checks."""

    item: Any
    skipped: list[dict[str, str]]
    targets: list[str]
    names: list[str]
    count: int
    cyclic: list[str]
    values: int  # the values it holds as parsed (checked like the whole file's)


def rest_of(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with ``paths`` emptied where it stands (the rest's input; shares the values)."""
    return {key: ({} if key == "paths" else value) for key, value in document.items()}


def _moved_by_ingest(plain: str) -> bool:
    """A (plain) reference into what ingest changes or moves, or to the whole document: not by item.

    The later passes resolve the plain reference, which unquotes it once more: both forms are looked at.
    """
    return any(_into_changed(form) for form in (plain, "#" + unquote(plain[1:])))


def _into_changed(plain: str) -> bool:
    tokens = [token.replace("~1", "/").replace("~0", "~") for token in plain[2:].split("/")]
    return (
        plain in {"#", "#/"}
        or tokens[0] in {"paths", SKIPPED}
        or (tokens[0] == "components" and (len(tokens) == 1 or tokens[1] == "securitySchemes"))
    )


def _followable(ref: str) -> None:
    """The expansion follows references in literal data too (unchecked): none may lead where ingest changes."""
    if _moved_by_ingest(ref):
        raise NotByItemError(ref)


def _checked_refs(document: dict[str, Any], root: Any) -> list[str]:
    """:func:`clientgen.ingest.documents.check_refs` on ``root`` (references resolve in ``document``)."""
    targets: set[str] = set()
    for _, holder in iter_refs(root):
        ref = holder["$ref"]
        if not ref.startswith("#"):
            raise NotByItemError(ref)  # bundled from another file: the whole document
        plain = "#" + unquote(ref[1:])
        if _moved_by_ingest(plain):
            raise NotByItemError(ref)
        resolve_fragment(document, ref[1:])  # dangling: the whole ingest says where
        holder["$ref"] = plain
        targets.add(plain)
    return sorted(targets)


def ingest_rest(file: Path, rest: dict[str, Any]) -> Rest:
    """Everything but ``paths`` (:func:`rest_of`) ingested: a copy, ``rest`` is not changed."""
    values = check_tree(file, rest)
    document = clone(rest)
    targets = _checked_refs(document, document)
    _, defined = defined_schemes(file, document)
    known = {**CLOUDFLARE_SECURITY_SCHEMES, **defined}
    names = check_requirements(file, document["security"], "/security", known) if "security" in document else []
    kept = sorted(cyclic_components(document))
    expansion = Expansion(document, kept, _followable)
    count = count_kept_bodies(file, expansion)
    return Rest(document, targets, sorted(set(names)), kept, count, sorted(expansion.cyclic_entries), values)


class ItemContext:
    """What every path item's ingest reads of the rest: made once per run."""

    def __init__(self, file: Path, rest: Rest) -> None:
        self.file = file
        self.rest = rest
        self.needs_responses = str(rest.document.get("openapi", "")).startswith("3.0")
        _, defined = defined_schemes(file, rest.document)
        self.known = {**CLOUDFLARE_SECURITY_SCHEMES, **defined}
        self.expansion = Expansion(rest.document, rest.kept, _followable)  # shared: each target scanned once


def ingest_item(context: ItemContext, path: str, item: Any) -> Item:
    """One path item ingested (a copy: ``item`` is not changed)."""
    file, document = context.file, context.rest.document
    values = check_tree(file, item, base=to_pointer(["paths", path]), depth=3)
    item = clone(item)
    targets = _checked_refs(document, item)
    stays, skipped = check_path(file, document, path, item, needs_responses=context.needs_responses)
    if not stays:
        return Item(None, skipped, targets, [], 0, [], values)
    names: set[str] = set()
    for security, pointer in item_requirement_sites(path, item):
        names.update(check_requirements(file, security, pointer, context.known))
    context.expansion.cyclic_entries = set()
    count = count_path_item(file, context.expansion, path, item)
    return Item(item, skipped, targets, sorted(names), count, sorted(context.expansion.cyclic_entries), values)


def assemble(
    file: Path, rest: Rest, items: list[tuple[str, Item]], *, loops_checked: bool, extra_values: int = 0
) -> tuple[dict[str, Any], int]:
    """The ingested document and its expanded count, from the pieces; ``rest.document`` becomes it.

    ``loops_checked``: the alias loops over these pieces' targets were checked before (the caller remembers).
    ``extra_values``: values of the parsed file checked apart (texts taken out), counted against the limit.
    """
    document = rest.document
    check_keys(file, [path for path, _ in items], "/paths")
    if rest.values + sum(found.values for _, found in items) + extra_values > MAX_VALUES:
        raise NotByItemError(MAX_VALUES)
    if not loops_checked:
        check_alias_loops(file, document, alias_targets_of(rest, items))
    count = 1 + rest.count + sum(found.count for _, found in items)  # 1: the paths object itself
    if count > MAX_EXPANDED_VALUES:
        raise NotByItemError(count)
    entries = sorted({*rest.cyclic, *(ref for _, found in items for ref in found.cyclic)})
    if entries and exceeds_cyclic_budget(document, rest.kept, entries, _followable):
        raise NotByItemError(entries)
    skipped: list[dict[str, str]] = list(document.get(SKIPPED) or [])
    for _, found in items:
        skipped.extend(found.skipped)
    document["paths"] = {path: found.item for path, found in items if found.item is not None}
    if skipped:
        document[SKIPPED] = skipped
    add_missing_schemes(file, document, {*rest.names, *(name for _, found in items for name in found.names)})
    return document, count


def alias_targets_of(rest: Rest, items: list[tuple[str, Item]]) -> list[str]:
    """Every internal reference of the document, sorted: where the alias-loop check starts."""
    return sorted({*rest.targets, *(ref for _, found in items for ref in found.targets)})
