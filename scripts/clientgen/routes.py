"""Where an operation lives in the client: its resource nouns and its verb, from the path.

``POST /accounts/{account_identifier}/pages/projects/{project_name}/deployments/{id}/rollback``
-> resource ``("pages", "projects", "deployments")``, verb ``rollback``:

* a scope prefix (``/accounts/{…}``, ``/zones/{…}``, …) is dropped when more follows: the
  scope id becomes an ordinary keyword argument;
* literal segments are the resource nouns; parameters between them identify items;
* a literal right after a parameter at the end of the path is an action on that item
  (``…/deployments/{id}/rollback``) — unless other paths continue below it, which makes it a
  collection (``…/projects/{name}/deployments`` has ``…/deployments/{id}``);
* otherwise the verb follows from the method and whether the path ends at an item:
  ``list``/``get``, ``create``, ``update`` (PUT), ``edit`` (PATCH), ``delete``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Route", "parent_paths", "route_of", "route_table"]

SCOPES = frozenset({"accounts", "zones", "organizations", "memberships", "users"})
_COLLECTION_VERBS = {"get": "list", "post": "create", "put": "update", "patch": "edit", "delete": "delete"}
_ITEM_VERBS = {"get": "get", "post": "create", "put": "update", "patch": "edit", "delete": "delete"}


@dataclass(frozen=True)
class Route:
    nouns: tuple[str, ...]
    verb: str
    scope: str | None


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def parent_paths(paths: Iterable[str]) -> frozenset[str]:
    """Every path that another path continues (``/a/{id}`` continues ``/a``)."""
    parents: set[str] = set()
    for path in paths:
        segments = path.rstrip("/").split("/")
        parents.update("/".join(segments[:end]) for end in range(2, len(segments)))
    return frozenset(parents)


def route_of(path: str, method: str, parents: frozenset[str] = frozenset()) -> Route:
    segments = [segment for segment in path.strip("/").split("/") if segment]
    scope = None
    if len(segments) > 2 and segments[0] in SCOPES and _is_param(segments[1]):
        scope, segments = segments[0], segments[2:]
    nouns = [segment for segment in segments if not _is_param(segment)]
    ends_at_item = bool(segments) and _is_param(segments[-1])
    is_leaf = path.rstrip("/") not in parents
    if len(segments) >= 3 and not ends_at_item and _is_param(segments[-2]) and len(nouns) >= 2 and is_leaf:
        return Route(tuple(nouns[:-1]), nouns[-1], scope)
    verbs = _ITEM_VERBS if ends_at_item else _COLLECTION_VERBS
    return Route(tuple(nouns) or ((scope,) if scope else ("root",)), verbs.get(method, method), scope)


def route_table(paths: Iterable[str], methods: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Route]:
    """Routes of every (path, method) of a document, each knowing which paths continue which."""
    parents = parent_paths(paths)
    return {(path, method): route_of(path, method, parents) for path, method in methods}
