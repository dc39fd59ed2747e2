"""Who owns a model: the operation or the resource whose calls validate it, so it lives with them.

A model of ``types/<resource>.py`` is defined in a private module ``types/_<resource>/<owner>.py`` named after
its owner in the resource tree of the operations that use it (directly or through other models):

* used by one operation (``pages.projects.deployments.rollback``): that operation's module
  (``_pages/projects__deployments__rollback.py``) — a changed operation touches its own file;
* used by several: the module of the deepest resource they all belong to (``_pages/projects__deployments.py``,
  ``_pages/_resource.py`` for the top-level resource itself).

A model refers only to models used wherever it is (their users are a superset of its users), so a module
imports only modules of its owner's ancestors: private modules import no cycle.  Models of ``shared``
(several top-level resources use them) have no owner here: :mod:`.split` gives each its own module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from clientgen.generators.models import SHARED_MODULE, ModelIndex, refs_in
from clientgen.names import PythonIdentifier
from clientgen.normalize.schemas import iter_operations, routes

__all__ = ["OWNED_PER_OPERATION", "OWNER_DEPTH", "Owner", "common_owner", "owner_module", "plan_owners"]

Owner = tuple[str, ...]  # the resource nouns below the top-level resource, then the verb for one operation
OWNED_PER_OPERATION = True  # False: a model used by one operation lives with its resource (fewer, larger files)
OWNER_DEPTH: int | None = None  # owners deeper than this many nouns below the top-level resource: cut to it
_SEPARATOR = "__"  # between nouns in a module name: nouns themselves hold single underscores
_RESOURCE_MODULE = "_resource"  # the owner of models several of the top-level resource's branches use


def plan_owners(doc: dict[str, Any], index: ModelIndex) -> dict[tuple[str, str], Owner]:
    """(public module, class name) -> its owner, for every model outside ``shared`` that an operation uses."""
    schemas = doc.get("components", {}).get("schemas", {})
    direct = {name: refs_in(schema) for name, schema in schemas.items()}
    users: dict[str, set[Owner]] = {}
    table = routes(doc)
    for path, method, op in iter_operations(doc):
        route = table[path, method]
        words = tuple(str(PythonIdentifier.from_text(noun, shadow_builtins=True)) for noun in route.nouns)
        verb = str(PythonIdentifier.from_text(route.verb, shadow_builtins=True))
        key = (*words, verb) if OWNED_PER_OPERATION else words  # the top-level noun first: the public module
        stack, seen = list(refs_in(op)), set()
        while stack:
            name = stack.pop()
            if name in seen or name not in direct:
                continue
            seen.add(name)
            users.setdefault(name, set()).add(key)
            stack.extend(direct[name])
    owners: dict[tuple[str, str], Owner] = {}
    for name, keys in sorted(users.items()):
        ref = index.get(name)
        if ref is None or ref.module == SHARED_MODULE:
            continue
        owner = common_owner(keys)
        if owner[:1] == (ref.module,):  # the resource's own module (a remembered module keeps what it had)
            below = owner[1:] if len(keys) == 1 else _resource_part(keys, owner)
            owners[ref.module, ref.class_name] = below if OWNER_DEPTH is None else below[:OWNER_DEPTH]
    return owners


def _resource_part(keys: set[Owner], owner: Owner) -> Owner:
    """Several operations' common resource, below the top-level noun; never one operation's verb.

    Two operations at one route (``accounts`` and ``zones`` scopes of ``rollback``) share their verb: their
    model still belongs to the resource, as for any two operations.
    """
    shortest = min(len(key) for key in keys)
    resource = owner[: shortest - 1] if OWNED_PER_OPERATION else owner
    return resource[1:]


def common_owner(owners: Iterable[Owner]) -> Owner:
    """The longest prefix all ``owners`` share: the deepest resource above all of them."""
    found: Owner | None = None
    for owner in owners:
        if found is None:
            found = owner
            continue
        length = 0
        while length < min(len(found), len(owner)) and found[length] == owner[length]:
            length += 1
        found = found[:length]
    return found or ()


def owner_module(owner: Owner) -> str:
    """The private module's name: ``projects__deployments__rollback``; ``_resource`` for the resource itself."""
    return _SEPARATOR.join(owner) if owner else _RESOURCE_MODULE
