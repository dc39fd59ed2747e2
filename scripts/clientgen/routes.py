"""Where an operation lives in the client: its resource nouns and its verb, from the path.

``POST /accounts/{account_identifier}/pages/projects/{project_name}/deployments/{id}/rollback``
-> resource ``("pages", "projects", "deployments")``, verb ``rollback``.  The rule:

1. A scope prefix (``/accounts/{…}``, ``/zones/{…}``, …) is dropped when more follows: the
   scope id becomes an ordinary keyword argument.  Literal segments are the resource nouns.
2. A literal right after a parameter at the end of the path is an *action* on that item
   (``…/deployments/{id}/rollback``), unless other paths continue below it (then it is a
   collection: ``…/projects/{name}/deployments`` has ``…/deployments/{id}``) or several methods
   share it (then it is a sub-resource: ``…/apps/{id}/ca`` with GET, POST and DELETE).
3. Otherwise the verb follows from the method and the level of the path: an *item*
   (ends in a parameter: ``get``, ``update`` for PUT, ``edit`` for PATCH, ``delete``), a
   *collection* (``list``, ``create``, ...), or a *singleton* below an item with no items of
   its own (``GET …/apps/{id}/ca`` is ``get``, not ``list``).
4. ``POST`` on an item is ``update`` when the description updates items with ``POST`` — it
   never puts or patches an item (Stripe, Twilio) — and ``create`` otherwise (Cloudflare
   updates with PUT and PATCH; its six item POSTs create: ``POST …/ai/run/{model_name}``).
5. What is not a resource: a leading version segment (``/v1``, ``/2010-04-01``; a version
   further down, Cloudflare's ``/images/v1``, stays the resource it names there) and a format
   suffix (``/Messages.json``, ``/{Sid}.json``: the segment without it).

Two operations that still land on one method name are separated in
:mod:`clientgen.model.build` (``bulk_`` for collection-wide writes, ``_for_<scope>`` across
scopes), and ``spec/names.toml`` can override any call path.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["SCOPE_ORDER", "Route", "resource_path", "route_table"]

# Scope prefixes, in the order that decides which scope keeps the plain verb on a collision.
SCOPE_ORDER = ("accounts", "zones", "organizations", "memberships", "users")
_COLLECTION_VERBS = {"get": "list", "post": "create", "put": "update", "patch": "edit", "delete": "delete"}
_ITEM_VERBS = {"get": "get", "post": "create", "put": "update", "patch": "edit", "delete": "delete"}
_UPDATE_BY_POST = {**_ITEM_VERBS, "post": "update"}
_VERSION_SEGMENT = re.compile(r"v\d+(?:\.\d+)*(?:alpha\d*|beta\d*)?|\d{4}-\d{2}-\d{2}")
_FORMAT_SUFFIXES = (".json", ".xml")


@dataclass(frozen=True)
class Route:
    nouns: tuple[str, ...]
    verb: str
    scope: str | None
    level: str  # item, collection, singleton, action


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def resource_path(path: str) -> str:
    """The path as the resource tree reads it: no leading version segment, no format suffix (rule 5)."""
    segments = [segment for segment in path.strip("/").split("/") if segment]
    if len(segments) > 1 and _VERSION_SEGMENT.fullmatch(segments[0]):
        segments = segments[1:]
    cleaned = [_without_format(segment) for segment in segments]
    return "/" + "/".join(segment for segment in cleaned if segment)


def _without_format(segment: str) -> str:
    for suffix in _FORMAT_SUFFIXES:
        if segment.lower().endswith(suffix) and len(segment) > len(suffix):
            return segment[: -len(suffix)]
    return segment


@dataclass(frozen=True)
class _Facts:
    continued: frozenset[str]  # paths another path continues
    itemized: frozenset[str]  # paths continued by a parameter segment: collections of items
    methods: Counter[str]
    update_by_post: bool  # no item is ever PUT or PATCHed: POST on an item updates it (rule 4)

    @classmethod
    def of(cls, pairs: list[tuple[str, str]]) -> _Facts:
        continued: set[str] = set()
        itemized: set[str] = set()
        for path, _ in pairs:
            segments = path.rstrip("/").split("/")
            for end in range(2, len(segments)):
                continued.add("/".join(segments[:end]))
                if _is_param(segments[end]):
                    itemized.add("/".join(segments[:end]))
        item_writes = {method for path, method in pairs if _is_param(path.rstrip("/").rsplit("/", 1)[-1])}
        return cls(
            frozenset(continued),
            frozenset(itemized),
            Counter(path for path, _ in pairs),
            update_by_post="post" in item_writes and not item_writes & {"put", "patch"},
        )


def _route(path: str, method: str, facts: _Facts) -> Route:
    segments = [segment for segment in path.strip("/").split("/") if segment]
    scope = None
    if len(segments) > 2 and segments[0] in SCOPE_ORDER and _is_param(segments[1]):
        scope, segments = segments[0], segments[2:]
    nouns = tuple(segment for segment in segments if not _is_param(segment)) or ((scope,) if scope else ("root",))
    key = path.rstrip("/")
    after_item = len(segments) >= 2 and _is_param(segments[-2]) and not _is_param(segments[-1])
    if after_item and len(nouns) >= 2 and key not in facts.continued and facts.methods[path] == 1:
        return Route(nouns[:-1], nouns[-1], scope, "action")
    if segments and _is_param(segments[-1]):
        return Route(
            nouns, (_UPDATE_BY_POST if facts.update_by_post else _ITEM_VERBS).get(method, method), scope, "item"
        )
    if after_item and key not in facts.itemized:
        return Route(nouns, _ITEM_VERBS.get(method, method), scope, "singleton")
    return Route(nouns, _COLLECTION_VERBS.get(method, method), scope, "collection")


def route_table(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Route]:
    """The route of every (path, method) of a document: each depends on the other paths."""
    listed = list(pairs)
    read = {path: resource_path(path) for path, _ in listed}
    facts = _Facts.of([(read[path], method) for path, method in listed])
    return {(path, method): _route(read[path], method, facts) for path, method in listed}
