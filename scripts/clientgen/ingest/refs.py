"""JSON pointers and the ``$ref`` sites of an OpenAPI document.

A ``$ref`` only means something where OpenAPI expects an object that may be a Reference:
inside literal values (``example``, ``default``, ``enum``, ``const``, an Example's ``value``,
extensions ``x-*``) it is data.  Cloudflare's 2023-08 document really has a dangling
``{"$ref": ...}`` inside a schema ``example``, so treating literals as references would
refuse a document that is valid.  Conversely, inside name maps (``properties``,
``responses``, ...) a key such as ``default`` or ``example`` is a name, not a literal.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from clientgen.diagnostics import escape_pointer_token

__all__ = ["PointerError", "child_position", "clone", "iter_refs", "resolve_fragment", "to_pointer"]

Token = str | int

_LITERAL_KEYS = frozenset({"example", "default", "enum", "const", "value"})
_NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas",
        "responses", "parameters", "examples", "requestBodies", "headers", "securitySchemes",
        "links", "callbacks", "pathItems", "paths", "webhooks", "content", "encoding", "variables",
    }
)  # fmt: skip


class PointerError(ValueError):
    """A JSON pointer that does not lead anywhere in the given document."""


def to_pointer(tokens: tuple[Token, ...] | list[Token]) -> str:
    return "".join("/" + escape_pointer_token(token) for token in tokens)


def _is_literal(key: str, value: Any) -> bool:
    return key in _LITERAL_KEYS or key.startswith("x-") or (key == "examples" and isinstance(value, list))


def child_position(key: str, value: Any, *, in_map: bool) -> tuple[bool, bool]:
    """For ``value`` under ``key`` of an object (itself a name map or not): (is it literal data, is it a name map).

    Literal data (an ``example``, a ``default``, an ``x-`` extension) holds no references, whatever keys it has.
    """
    if in_map:
        return False, False
    return _is_literal(key, value), key in _NAME_MAPS


_Chain = tuple["_Chain", Token] | None


def _tokens(chain: _Chain) -> tuple[Token, ...]:
    out: list[Token] = []
    while chain is not None:
        chain, token = chain
        out.append(token)
    return tuple(reversed(out))


def iter_refs(root: Any) -> Iterator[tuple[tuple[Token, ...], dict[str, Any]]]:
    """Yield ``(tokens, holder)`` for every Reference Object below ``root``, in document order.

    Iterative, so deeply nested documents cannot exhaust the interpreter stack; the token
    path is only materialised for the (rare) reference sites.
    """
    if not isinstance(root, dict | list):
        return
    stack: list[tuple[Any, _Chain, bool]] = [(root, None, False)]
    while stack:
        node, chain, is_map = stack.pop()
        if isinstance(node, dict):
            if not is_map and isinstance(node.get("$ref"), str):
                yield _tokens(chain), node
            children = [
                (child, (chain, key), not is_map and key in _NAME_MAPS)
                for key, child in node.items()
                if isinstance(child, dict | list) and (is_map or not _is_literal(key, child))
            ]
        else:
            children = [
                (child, (chain, index), False) for index, child in enumerate(node) if isinstance(child, dict | list)
            ]
        children.reverse()
        stack.extend(children)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def resolve_fragment(document: Any, fragment: str) -> Any:
    """Follow a URI fragment (``/components/schemas/X``, percent-encoded or not) into ``document``."""
    fragment = unquote(fragment)
    if fragment == "":
        return document
    if not fragment.startswith("/"):
        raise PointerError(f"fragment {fragment!r} is not a JSON pointer")
    node = document
    for raw in fragment[1:].split("/"):
        token = _unescape(raw)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise PointerError(f"no {token!r} at this point of the pointer")
    return node


def clone(node: Any) -> Any:
    """Copy a JSON tree; unlike ``copy.deepcopy`` this is cheap and never preserves sharing."""
    if isinstance(node, dict):
        return {key: clone(value) for key, value in node.items()}
    if isinstance(node, list):
        return [clone(value) for value in node]
    return node
