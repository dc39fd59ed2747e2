"""Pass: every object schema becomes one named component, identical content shared.

After inlining, the same schema stands in many places (17x in the Cloudflare spec).  This
pass walks every operation bottom-up, replaces each object schema that has properties by a
``$ref`` keyed on its canonical content (children already replaced, so equal subtrees get
equal keys), and records a naming :class:`~clientgen.normalize.naming.Hint` for each place
it was used.  :mod:`clientgen.normalize.naming` turns those hints into names.

Success envelopes at the top of a response stay inline: the client unwraps them, so a
class per operation envelope would only add noise.  Their parts are hoisted like the rest.

Components the ref pass kept (recursive schemas) are named like the rest, from the places
that refer to them: their keys churn between Cloudflare versions, so a key never becomes a
name — unless the document is named from its keys (:mod:`clientgen.normalize.naming_source`):
then a component's key (the ``x-clientgen-component`` marker of the ref pass, removed here)
and its ``title`` are its first candidates.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.name_memory import NameMemory
from clientgen.normalize.envelopes import is_failure_envelope, is_success_envelope
from clientgen.normalize.naming import Hint, assign_names, operation_hint, role_hint, variant_labels
from clientgen.normalize.naming_source import component_candidates, strip_marker
from clientgen.normalize.schemas import iter_operation_schemas, iter_operations, op_pointer, routes
from clientgen.normalize.typeless import ANY_JSON
from clientgen.normalize.webhooks import WEBHOOK_MODELS
from clientgen.routes import Route

__all__ = [
    "Hoisting",
    "add_part",
    "apply_names",
    "finish_hoisting",
    "hoist_objects",
    "hoist_operations",
    "name_schemas",
    "start_hoisting",
]

_REF_PREFIX = "#/components/schemas/"
_HASH_ROUNDS = 3
_PENDING = "#pending/"


_PRIMITIVES = frozenset({"string", "integer", "number", "boolean"})
# Keys that do not make a primitive need a class of its own.
_PLAIN_KEYS = frozenset(
    {"type", "enum", "nullable", "example", "examples", "readOnly", "writeOnly", "deprecated", "title"}
)


def _is_object(node: dict[str, Any]) -> bool:
    properties = node.get("properties")
    return isinstance(properties, dict) and bool(properties) and node.get("type", "object") == "object"


def _needs_class(node: dict[str, Any], hint: Hint, *, wrap_primitives: bool) -> bool:
    """Objects, and constrained primitives inside arrays, maps and unions.

    For the latter the model generator would otherwise invent a wrapper class of its own naming.
    """
    if _is_object(node):
        return True
    constrained = node.get("type") in _PRIMITIVES and bool(set(node) - _PLAIN_KEYS)
    return wrap_primitives and constrained and hint.relation in {"item", "value", "variant"}


def _content_key(node: dict[str, Any]) -> str:
    """The hash of ``node``'s content; the any-JSON marker is a reading of the content, not more content."""
    identity = {key: value for key, value in node.items() if key != ANY_JSON} if ANY_JSON in node else node
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass
class _Hoister:
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    hints: dict[str, list[Hint]] = field(default_factory=dict)
    wrap_primitives: bool = True  # off for parameters: arguments stay plain str/int, checked by the client
    kept: frozenset[str] = frozenset()  # pending keys of recursive components, named from their referrers
    inside: str | None = None  # the kept component being hoisted: its references to itself do not name it
    same_as_kept: dict[str, str] = field(default_factory=dict)  # content key -> kept component of that content
    by_keys: bool = False  # named from component keys and titles
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)  # content key -> words of a bare ``{id}``

    member_keys: dict[int, tuple[Any, str]] = field(default_factory=dict)  # id -> (member, kept alive; its key)

    def _member_key(self, member: Any) -> str:
        """A union member's content key: a member shared between places (inlining) is serialized once."""
        found = self.member_keys.get(id(member))
        if found is None:
            found = self.member_keys[id(member)] = (member, _content_key(member))
        return found[1]

    def _own_names(self, node: dict[str, Any], hint: Hint) -> dict[str, Any]:
        """``node`` without its component marker; with ``by_keys``, its key and title become the hint's names."""
        node, component, title = strip_marker(node)
        if self.by_keys and _is_object(node):
            own = component_candidates(component or "", title)
            hint.own_names = tuple(dict.fromkeys((*own, *hint.own_names)))
        return node

    def hoist(self, node: Any, hint: Hint, *, keep_inline: bool = False) -> Any:
        """``node`` with its object subschemas (and itself, unless ``keep_inline``) replaced by refs."""
        if not isinstance(node, dict):
            return node
        node = self._own_names(node, hint)
        ref = node.get("$ref")
        target = ref[len(_PENDING) :] if isinstance(ref, str) and ref.startswith(_PENDING) else None
        if target in self.kept and target != self.inside:
            self.hints[target].append(hint)  # a use of a recursive component names it
        children: list[Hint] = []
        envelope = is_success_envelope(node) or is_failure_envelope(node)

        def sub(child: Any, relation: str, label: str) -> Any:
            role = role_hint(label, hint.route_words) if envelope and relation == "property" else None
            if role is not None:
                return self.hoist(child, role)
            child_hint = Hint(relation=relation, label=label)
            children.append(child_hint)
            return self.hoist(child, child_hint)

        rebuilt = dict(node)
        if isinstance(node.get("properties"), dict):
            rebuilt["properties"] = {name: sub(schema, "property", name) for name, schema in node["properties"].items()}
        if isinstance(node.get("items"), dict):
            rebuilt["items"] = sub(node["items"], "item", "")
        if isinstance(node.get("additionalProperties"), dict):
            rebuilt["additionalProperties"] = sub(node["additionalProperties"], "value", "")
        for key in ("anyOf", "oneOf"):
            if isinstance(node.get(key), list):
                objects = [schema for schema in node[key] if isinstance(schema, dict) and _is_object(schema)]
                labels = variant_labels(node[key], [self._member_key(schema) for schema in node[key]])
                rebuilt[key] = [
                    # the one object in a union (object | string | null) is the union's namesake
                    sub(schema, "same" if objects == [schema] else "variant", label)
                    for schema, label in zip(node[key], labels, strict=True)
                ]
        if keep_inline or not _needs_class(rebuilt, hint, wrap_primitives=self.wrap_primitives):
            for child in children:
                child.parent = hint  # named relative to the nearest hoisted ancestor
            return rebuilt
        # ``nullable`` belongs to the place, not the class: a component's own ``nullable`` is lost at every
        # ``$ref`` to it (page_shield.scripts.get's ``result``), so it stays beside the reference
        nullable = rebuilt.pop("nullable", None) is True
        key = _content_key(rebuilt)
        key = self.same_as_kept.get(key, key)  # the outer copy of a recursive schema is that schema
        for child in children:
            child.parent_key = key
        self.schemas.setdefault(key, rebuilt)
        self.hints.setdefault(key, []).append(hint)
        if set(rebuilt.get("properties", ())) == {"id"}:  # a reference to something else, whatever uses it
            self.references[key] = ("id", "ref") if "id" in rebuilt.get("required", ()) else ("optional", "id", "ref")
        return {"$ref": _PENDING + key, "nullable": True} if nullable else {"$ref": _PENDING + key}


def _renamed_ref(node: dict[str, Any], ref: str, names: dict[str, str]) -> dict[str, Any]:
    renamed = {"$ref": _REF_PREFIX + escape_pointer_token(names[ref[len(_PENDING) :]])}
    return {**renamed, "nullable": True} if node.get("nullable") is True else renamed


def _rename(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_rename(item, names) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_PENDING):
        return _renamed_ref(node, ref, names)
    return {key: _rename(value, names) for key, value in node.items()}


def _rename_in_place(node: Any, names: dict[str, str]) -> Any:
    """:func:`_rename`'s result, made by changing ``node`` (a tree no one else holds: read from the cache)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_PENDING):
            return _renamed_ref(node, ref, names)
        for key, value in node.items():
            if isinstance(value, dict | list):
                renamed = _rename_in_place(value, names)
                if renamed is not value:
                    node[key] = renamed  # an existing key: the dict's size does not change while it is walked
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                node[index] = _rename_in_place(value, names)
    return node


def _kept_components(
    doc: dict[str, Any], original_keys: dict[str, str]
) -> tuple[dict[str, Any], Callable[[Any], Any] | None]:
    """Components kept by the ref pass (recursive schemas) under pending keys from their content, refs rewritten.

    ``original_keys`` receives pending key -> component key.  Also returns what rewrites the references to them
    in the paths (None: there are none).
    """
    schemas = doc.get("components", {}).get("schemas", {})
    refs = {_REF_PREFIX + escape_pointer_token(key): key for key in schemas}

    def anonymous(node: Any, hashes: dict[str, str]) -> Any:  # a reference stands for its target's hash, not its key
        if isinstance(node, list):
            return [anonymous(item, hashes) for item in node]
        if not isinstance(node, dict):
            return node
        return {
            key: hashes[refs[value]] if key == "$ref" and value in refs else anonymous(value, hashes)
            for key, value in node.items()
        }

    # Content hashes that include what a component refers to, refined a few rounds (references go round
    # cycles): a renamed key changes nothing; a changed component changes those that refer to it.
    hashes = dict.fromkeys(schemas, "component")
    for _ in range(_HASH_ROUNDS):
        hashes = {key: _content_key(anonymous(schemas[key], hashes)) for key in sorted(schemas)}
    pending = {key: f"component-{hashes[key]}" for key in sorted(schemas)}
    uses = Counter(pending.values())  # counted once: a models-only document keeps every component
    for key in sorted(schemas):  # equal content under two keys: the key decides (only ever for this tie)
        if uses[pending[key]] > 1:
            pending[key] = f"{pending[key]}-{_content_key({'key': key})}"

    done: dict[int, tuple[Any, Any]] = {}  # id -> (node, kept alive; its rewrite): a shared dict is walked once

    def rewrite(node: Any) -> Any:  # copies only what holds a reference: the rest of the paths stays as it is
        if isinstance(node, list):
            items = [rewrite(item) for item in node]
            return items if any(new is not old for new, old in zip(items, node, strict=True)) else node
        if not isinstance(node, dict):
            return node
        if id(node) in done:
            return done[id(node)][1]
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in refs:
            rewritten = {**node, "$ref": _PENDING + pending[refs[ref]]}
        else:
            rewritten = {key: rewrite(value) for key, value in node.items()}
            if all(rewritten[key] is value for key, value in node.items()):
                rewritten = node
        done[id(node)] = (node, rewritten)
        return rewritten

    original_keys.update({pending[key]: key for key in schemas})
    return {pending[key]: rewrite(schema) for key, schema in schemas.items()}, rewrite if refs else None


def hoist_objects(
    doc: dict[str, Any],
    diags: Diagnostics,
    memory: NameMemory | None = None,
    *,
    by_keys: bool = False,
    unwraps: Callable[[str], bool] | None = None,
) -> dict[str, Any]:
    """Hoist and name every object schema; ``memory`` brings the previous generation's names and takes the keys.

    ``by_keys``: component keys and titles name their schemas first (the rule in ``naming_source``).
    ``unwraps(operationId)``: false where the config turns unwrapping off: that success envelope is hoisted too.
    """
    hoisting = start_hoisting(doc, by_keys=by_keys)
    doc["paths"] = hoisting.pending_refs(doc["paths"])
    hoist_operations(hoisting.hoister, doc, routes(doc), unwraps)
    return finish_hoisting(hoisting.hoister, doc, diags, memory)


@dataclass
class Hoisting:
    """The kept components hoisted (first, before any operation), and what the operations need of them."""

    hoister: _Hoister
    rewrite: Callable[[Any], Any] | None  # references to kept components -> their pending keys
    fingerprint: str  # what an operation's hoisting reads of them: equal fingerprints, equal hoisting

    def pending_refs(self, paths: Any) -> Any:
        return paths if self.rewrite is None else self.rewrite(paths)

    def part(self) -> _Hoister:
        """A hoister for some operations alone: its results are added to the whole one by :func:`add_part`."""
        whole = self.hoister
        return _Hoister(
            kept=whole.kept,
            hints={key: [] for key in whole.kept},
            by_keys=whole.by_keys,
            same_as_kept=whole.same_as_kept,
        )


def add_part(
    hoister: _Hoister,
    schemas: dict[str, dict[str, Any]],
    hints: dict[str, list[Hint]],
    references: dict[str, tuple[str, ...]],
) -> None:
    """A part's results (:meth:`Hoisting.part`) added, in document order, as its operations' hoisting adds them."""
    for key, schema in schemas.items():
        hoister.schemas.setdefault(key, schema)
    for key, uses in hints.items():
        if uses:
            hoister.hints.setdefault(key, []).extend(uses)
    hoister.references.update(references)


def start_hoisting(doc: dict[str, Any], *, by_keys: bool) -> Hoisting:
    """The kept (recursive) components hoisted: their parts hoisted and named after them."""
    original_keys: dict[str, str] = {}
    webhooks: dict[str, str] = doc.pop(WEBHOOK_MODELS, None) or {}  # webhook payloads: named from the webhook
    kept, rewrite = _kept_components(doc, original_keys)
    hoister = _Hoister(kept=frozenset(kept), hints={key: [] for key in kept}, by_keys=by_keys)
    for key in sorted(kept):  # recursive components: their parts hoisted and named after them
        hoister.inside = key
        if not by_keys and original_keys[key] in webhooks:
            hoister.hints[key].append(Hint("root", own_names=component_candidates(webhooks[original_keys[key]], None)))
        if by_keys:
            own = component_candidates(
                original_keys[key], kept[key].get("title") if isinstance(kept[key], dict) else None
            )
            hoister.hints[key].append(Hint("root", own_names=own))
        hoister.schemas[key] = hoister.hoist(kept[key], Hint("same", parent_key=key), keep_inline=True)
        hoister.same_as_kept[_content_key(hoister.schemas[key])] = key
    hoister.inside = None
    facts = [sorted(original_keys.items()), sorted(hoister.same_as_kept.items()), by_keys]
    fingerprint = hashlib.sha256(json.dumps(facts, ensure_ascii=False).encode()).hexdigest()
    return Hoisting(hoister, rewrite, fingerprint)


def hoist_operations(
    hoister: _Hoister,
    doc: dict[str, Any],
    table: dict[tuple[str, str], Route],
    unwraps: Callable[[str], bool] | None,
) -> None:
    """Every operation's schemas hoisted in place (``table``: the whole document's routes)."""
    for path, method, op in iter_operations(doc):
        base = op_pointer(path, method)
        for pointer, container, key in list(iter_operation_schemas(op, base)):
            schema = container[key]
            hint = operation_hint(table[path, method], op, pointer[len(base) :], schema, method=method)
            keep_inline = "/responses/" in pointer and is_success_envelope(schema)
            if keep_inline and unwraps is not None:
                keep_inline = unwraps(str(op.get("operationId") or f"{method} {path}"))
            hoister.wrap_primitives = "/parameters/" not in pointer
            container[key] = hoister.hoist(schema, hint, keep_inline=keep_inline)


def finish_hoisting(
    hoister: _Hoister, doc: dict[str, Any], diags: Diagnostics, memory: NameMemory | None
) -> dict[str, Any]:
    """The names contest over every use, then the pending references renamed: the normalized document."""
    return apply_names(hoister, doc, diags, memory, name_schemas(hoister, diags, memory))


def name_schemas(hoister: _Hoister, diags: Diagnostics, memory: NameMemory | None) -> dict[str, str]:
    """Content key -> class name: the contest over every use's hint (``naming.assign_names``)."""
    return assign_names(
        hoister.hints,
        diags=diags,
        remembered=memory.class_names() if memory else None,
        references=hoister.references,
    )


def apply_names(  # noqa: PLR0913 - the hoisting, its document, where to report, the memory, the names, the owned
    hoister: _Hoister,
    doc: dict[str, Any],
    diags: Diagnostics,
    memory: NameMemory | None,
    names: dict[str, str],
    *,
    owned: frozenset[int] = frozenset(),
) -> dict[str, Any]:
    """The pending references renamed with ``names`` (:func:`name_schemas`'s): the normalized document.

    ``owned``: the ids of path items and schemas no one else holds (read from the cache), renamed in place.
    """
    if memory is not None:
        memory.keys = {name: key for key, name in names.items()}

    def renamed(node: Any) -> Any:
        return _rename_in_place(node, names) if id(node) in owned else _rename(node, names)

    paths = doc["paths"]
    doc["paths"] = {path: renamed(item) for path, item in paths.items()} if isinstance(paths, dict) else renamed(paths)
    schemas = {names[key]: renamed(schema) for key, schema in hoister.schemas.items()}
    doc.setdefault("components", {})["schemas"] = dict(sorted(schemas.items()))
    diags.add(
        "/components/schemas", "hoist", f"{len(hoister.schemas)} distinct object schemas named and shared by content"
    )
    return doc
