"""Pass: inline every internal ``$ref`` to a component that lies on no cycle; keep the rest as references.

Component keys churn between versions of the Cloudflare spec (hash prefixes re-rolled),
so names must come from meaning, not keys: schemas are inlined here and re-hoisted by
content in :mod:`clientgen.normalize.hoist`.  A schema component on a reference cycle
(:func:`clientgen.ingest.refgraph.cyclic_components`: self, mutual, through unions or arrays)
is kept as one component and every reference to it stays a ``$ref``: the model generator
turns that into (mutually) recursive classes, and the work stays linear in the document —
inlining a cycle's members into each other expands in exponentially many ways.  References
to non-schema components (parameters, responses, request bodies, headers, examples) and into
sub-schemas (``#/components/schemas/Tag/allOf/0``) are inlined.

With ``mark_components`` (a document named from its keys, see
:mod:`clientgen.normalize.naming_source`) each inlined component schema carries its key as
``x-clientgen-component`` and each titled object its title as ``x-clientgen-title``, which
the hoist pass reads as names and removes.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics, SpecError, escape_pointer_token
from clientgen.ingest.oddpaths import SKIPPED
from clientgen.ingest.refgraph import component_key, cyclic_components
from clientgen.ingest.refs import PointerError, child_position, iter_refs, resolve_fragment
from clientgen.ingest.structure import METHODS as HTTP_METHODS
from clientgen.normalize.naming_source import COMPONENT_MARKER, TITLE_MARKER
from clientgen.normalize.webhooks import WEBHOOK_MODELS, inline_payloads

__all__ = ["KEPT_TAG", "Inliner", "has_operations", "inline_components", "inline_refs"]

_DOCUMENT = "<document>"  # the caller, which knows the file, re-raises with its name


def _resolve(doc: dict[str, Any], ref: str, pointer: str) -> Any:
    if not ref.startswith("#/"):
        raise SpecError(_DOCUMENT, f"unsupported $ref {ref!r}: bundle external files first", pointer=pointer)
    try:
        return resolve_fragment(doc, ref[1:])
    except PointerError:
        raise SpecError(_DOCUMENT, f"dangling $ref {ref!r}", pointer=pointer) from None


KEPT_TAG = "kept:"  # the tag of the decision that a component on a cycle is kept: reported at its first use


class Inliner:
    """Inlines references below the nodes it is given, expanding each schema component once.

    ``tags`` (index in ``diags.items`` -> tag) marks the decisions reported only at a component's first place
    in the walk: ``kept:<key>`` (a cyclic component met), or the ``$ref`` of the schema component whose
    (shared, once) expansion reported it.  A caller that inlines parts of a document one by one keeps the first
    of each tag in document order, which is what one walk of the whole document reports.
    """

    def __init__(
        self,
        doc: dict[str, Any],
        diags: Diagnostics,
        *,
        mark_components: bool = False,
        cyclic: frozenset[str] | None = None,
    ) -> None:
        self.doc = doc
        self.mark_components = mark_components
        self.diags = diags
        self.kept: dict[str, Any] = {}  # component key -> inlined schema, for recursive refs
        self.cyclic = cyclic_components(doc) if cyclic is None else cyclic  # kept wherever they are used
        self.tags: dict[int, str] = {}
        # A schema component whose expansion met no recursion expands the same from every place (were it
        # reachable from a ref on some other stack, that ref and it would form a cycle through itself):
        # it is expanded once and shared.  Passes never change a schema in place (normalize/schemas.py).
        self.expanded: dict[str, Any] = {}
        self.recursions = 0

    def inline(self, node: Any, pointer: str, stack: tuple[str, ...], *, in_map: bool = False) -> Any:
        if isinstance(node, list):
            return [
                self.inline(item, f"{pointer}/{escape_pointer_token(index)}", stack) for index, item in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and not in_map:
            return self._inline_ref(node, ref, pointer, stack)
        inlined: dict[str, Any] = {}
        for key, value in node.items():
            literal, name_map = child_position(key, value, in_map=in_map)  # a $ref in an example is data
            where = f"{pointer}/{escape_pointer_token(key)}"
            if key == "discriminator" and not in_map and isinstance(value, dict) and "mapping" in value:
                # its targets are component keys, inlined here: the mapping could only carry churning keys along
                value = {name: entry for name, entry in value.items() if name != "mapping"}  # noqa: PLW2901
                if stack and stack[-1].startswith("#/components/schemas/"):  # reported where first expanded
                    self.tags[len(self.diags.items)] = stack[-1]
                self.diags.add(where, "discriminator-mapping", "discriminator mapping dropped: its schemas are inlined")
            inlined[key] = value if literal else self.inline(value, where, stack, in_map=name_map)
        if self.mark_components and not in_map and isinstance(node.get("title"), str) and "properties" in node:
            inlined[TITLE_MARKER] = node["title"]
        return inlined

    def _inline_ref(self, node: dict[str, Any], ref: str, pointer: str, stack: tuple[str, ...]) -> Any:
        key = component_key(ref)
        if key is not None and key in self.cyclic:
            if key not in self.kept:
                self.kept[key] = None
                self.tags[len(self.diags.items)] = KEPT_TAG + key
                self.diags.add(pointer, "recursive-ref", f"{ref} lies on a reference cycle: kept as a component")
            return {"$ref": ref}  # siblings beside a recursive reference (a description) are dropped
        if ref in stack:
            if key is None:
                raise SpecError(
                    _DOCUMENT,
                    f"reference cycle through {ref!r}, which is not a whole schema component",
                    pointer=pointer,
                )
            self.kept.setdefault(key, None)
            self.recursions += 1
            self.diags.add(pointer, "recursive-ref", f"recursive reference to {ref} kept as a component")
            return {"$ref": ref}
        target = self._expand(ref, pointer, stack)
        # an alias (a component that is only a $ref) keeps its target's key: the innermost component is the schema
        marking = self.mark_components and isinstance(target, dict) and COMPONENT_MARKER not in target
        if marking and key is not None:
            target = {**target, COMPONENT_MARKER: key}
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        if siblings and isinstance(target, dict):
            # OpenAPI 3.1 allows siblings beside $ref (descriptions); the sibling wins, like an allOf override.
            return {**target, **self.inline(siblings, pointer, stack)}
        return target

    def _expand(self, ref: str, pointer: str, stack: tuple[str, ...]) -> Any:
        if ref in self.expanded:
            return self.expanded[ref]
        recursions = self.recursions
        target = self.inline(_resolve(self.doc, ref, pointer), pointer, (*stack, ref))
        if self.recursions == recursions and ref.startswith("#/components/schemas/"):
            self.expanded[ref] = target
        return target


def has_operations(paths: Any) -> bool:
    """Whether a ``paths`` object holds any operation (else the document is models only)."""
    return isinstance(paths, dict) and any(
        isinstance(item, dict) and any(method in item for method in HTTP_METHODS) for item in paths.values()
    )


def _model_roots(
    doc: dict[str, Any], schemas: dict[str, Any], diags: Diagnostics, *, has_operations: bool
) -> list[str]:
    """Components that are models of their own although no operation uses them.

    A document without operations (only components, or ``paths: {}``) is a models-only package: every schema
    component is kept.  Components a webhook refers to are kept too (webhooks get models, not methods).
    """
    roots: set[str] = set()
    if not has_operations:
        roots.update(schemas)
        diags.warn("/paths", "no-operations", "the document has no operations: a models-only package is generated")
    for _, holder in iter_refs(doc.get("webhooks")):
        key = component_key(holder["$ref"])
        if key is not None and key in schemas:
            roots.add(key)
    return sorted(roots)


def inline_refs(doc: dict[str, Any], diags: Diagnostics, *, mark_components: bool = False) -> dict[str, Any]:
    inliner = Inliner(doc, diags, mark_components=mark_components)
    paths = inliner.inline(doc.get("paths") or {}, "/paths", ())
    return _with_components(doc, diags, inliner, paths, has_operations=has_operations(doc.get("paths")))


def inline_components(  # noqa: PLR0913 - the document, where to report, then what the paths decided
    doc: dict[str, Any],
    diags: Diagnostics,
    *,
    mark_components: bool,
    cyclic: frozenset[str],
    kept: list[str],
    operations: bool,
) -> tuple[dict[str, Any], Inliner]:
    """:func:`inline_refs` of ``doc`` with its paths left empty, after they were inlined part by part.

    ``kept``: the cyclic components the paths met; ``operations``: whether the paths hold any operation.
    Returns the document and the inliner (its tags: :class:`Inliner`).
    """
    inliner = Inliner(doc, diags, mark_components=mark_components, cyclic=cyclic)
    inliner.kept = dict.fromkeys(sorted(kept))  # their first place is in the paths, reported there
    return _with_components(doc, diags, inliner, {}, has_operations=operations), inliner


def _with_components(
    doc: dict[str, Any], diags: Diagnostics, inliner: Inliner, paths: dict[str, Any], *, has_operations: bool
) -> dict[str, Any]:
    """The inlined document: ``paths``, the kept (cyclic, root) components inlined, webhooks' models named."""
    for entry in doc.get(SKIPPED) or []:  # operations ingest could not make part of the API
        diags.warn(entry["pointer"], "operation-skipped", f"operation skipped: {entry['reason']}")
    components = dict(doc.get("components") or {})
    schemas = components.get("schemas") or {}
    webhook_names: dict[str, str] = {}
    payloads = inline_payloads(
        doc.get("webhooks"), set(schemas), lambda node, at: inliner.inline(node, at, ()), webhook_names
    )
    kept: dict[str, Any] = {key: inliner.inline(schema, at, ()) for key, (at, schema) in payloads.items()}
    pending = sorted(set(inliner.kept) | set(_model_roots(doc, schemas, diags, has_operations=has_operations)))
    while pending:  # a kept component may itself reach other recursive components
        key = pending.pop()
        if key in kept:
            continue
        ref = "#/components/schemas/" + escape_pointer_token(key)
        kept[key] = inliner.inline(schemas[key], ref[1:], (ref,))
        pending.extend(sorted(set(inliner.kept) - set(kept)))
    new_components: dict[str, Any] = {"schemas": dict(sorted(kept.items()))}
    if "securitySchemes" in components:
        new_components["securitySchemes"] = components["securitySchemes"]
    return {  # webhooks are left out: their components are kept above, their operations are not the client's
        **{key: value for key, value in doc.items() if key not in {"paths", "components", "webhooks", SKIPPED}},
        "paths": paths,
        "components": new_components,
        **({WEBHOOK_MODELS: dict(sorted(webhook_names.items()))} if webhook_names else {}),
    }
