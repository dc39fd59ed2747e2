"""Pass: inline every internal ``$ref`` so that all later passes see one uniform shape.

Component keys churn between versions of the Cloudflare spec (hash prefixes re-rolled),
so names must come from meaning, not keys: schemas are inlined here and re-hoisted by
content in :mod:`clientgen.normalize.hoist`.  A reference that would recurse into a schema
already being inlined is kept as a ``$ref`` to a retained component: that is the legal
recursion the model generator turns into a self-referencing class.

With ``mark_components`` (a document named from its keys, see
:mod:`clientgen.normalize.naming_source`) each inlined component schema carries its key as
``x-clientgen-component`` and each titled object its title as ``x-clientgen-title``, which
the hoist pass reads as names and removes.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics, SpecError, escape_pointer_token
from clientgen.ingest.refs import child_position
from clientgen.normalize.naming_source import COMPONENT_MARKER, TITLE_MARKER

__all__ = ["inline_refs"]

_DOCUMENT = "<document>"  # the caller, which knows the file, re-raises with its name


def _resolve(doc: dict[str, Any], ref: str, pointer: str) -> Any:
    if not ref.startswith("#/"):
        raise SpecError(_DOCUMENT, f"unsupported $ref {ref!r}: bundle external files first", pointer=pointer)
    node: Any = doc
    for escaped in ref[2:].split("/"):
        token = escaped.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or token not in node:
            raise SpecError(_DOCUMENT, f"dangling $ref {ref!r}", pointer=pointer)
        node = node[token]
    return node


class _Inliner:
    def __init__(self, doc: dict[str, Any], diags: Diagnostics, *, mark_components: bool = False) -> None:
        self.doc = doc
        self.mark_components = mark_components
        self.diags = diags
        self.kept: dict[str, Any] = {}  # component key -> inlined schema, for recursive refs
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
                self.diags.add(where, "discriminator-mapping", "discriminator mapping dropped: its schemas are inlined")
            inlined[key] = value if literal else self.inline(value, where, stack, in_map=name_map)
        if self.mark_components and not in_map and isinstance(node.get("title"), str) and "properties" in node:
            inlined[TITLE_MARKER] = node["title"]
        return inlined

    def _inline_ref(self, node: dict[str, Any], ref: str, pointer: str, stack: tuple[str, ...]) -> Any:
        if ref in stack:
            key = ref.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            if not ref.startswith("#/components/schemas/"):
                raise SpecError(
                    _DOCUMENT, f"reference cycle through {ref!r} outside components/schemas", pointer=pointer
                )
            self.kept.setdefault(key, None)
            self.recursions += 1
            self.diags.add(pointer, "recursive-ref", f"recursive reference to {ref} kept as a component")
            return {"$ref": ref}
        target = self._expand(ref, pointer, stack)
        # an alias (a component that is only a $ref) keeps its target's key: the innermost component is the schema
        marking = self.mark_components and isinstance(target, dict) and COMPONENT_MARKER not in target
        if marking and ref.startswith("#/components/schemas/"):
            key = ref.removeprefix("#/components/schemas/").replace("~1", "/").replace("~0", "~")
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


def inline_refs(doc: dict[str, Any], diags: Diagnostics, *, mark_components: bool = False) -> dict[str, Any]:
    inliner = _Inliner(doc, diags, mark_components=mark_components)
    paths = inliner.inline(doc.get("paths", {}), "/paths", ())
    components = dict(doc.get("components") or {})
    schemas = components.get("schemas") or {}
    kept: dict[str, Any] = {}
    pending = sorted(inliner.kept)
    while pending:  # a kept component may itself reach other recursive components
        key = pending.pop()
        if key in kept:
            continue
        ref = f"#/components/schemas/{key}"
        kept[key] = inliner.inline(schemas[key], ref[1:], (ref,))
        pending.extend(sorted(set(inliner.kept) - set(kept)))
    new_components: dict[str, Any] = {"schemas": dict(sorted(kept.items()))}
    if "securitySchemes" in components:
        new_components["securitySchemes"] = components["securitySchemes"]
    return {
        **{key: value for key, value in doc.items() if key not in {"paths", "components"}},
        "paths": paths,
        "components": new_components,
    }
