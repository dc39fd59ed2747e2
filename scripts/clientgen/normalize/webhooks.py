"""Webhook payloads (OpenAPI 3.1 ``webhooks``) as models: what the API sends to the user's server.

Webhooks get models, not methods: the client never calls them.  A payload that refers to a
component keeps that component (the ref pass); an inline payload becomes a component of its own,
keyed by the webhook's name plus ``Webhook`` (``newPet`` -> ``newPetWebhook``, the method added when
a webhook has several), importable from ``<package>.types`` like every model.  :data:`WEBHOOK_MODELS`
maps each payload's component key to the name it is given where names come from content and use
(``[names] source``): the webhook's (``NewPetWebhook``; a component that only a webhook uses has no
other use to be named from).  Where names come from keys, an inline payload's key is the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clientgen.diagnostics import escape_pointer_token
from clientgen.ingest.structure import METHODS as HTTP_METHODS

__all__ = ["WEBHOOK_MODELS", "inline_payloads"]

WEBHOOK_MODELS = "x-clientgen-webhook-models"  # {component key: name} of webhook payloads (removed by hoisting)


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _payload(body: Any) -> dict[str, Any] | None:
    """The request body's schema: its JSON media type's, else the first media type's with a schema."""
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict):
        return None
    media = sorted(str(key) for key, value in content.items() if isinstance(value, dict) and "schema" in value)
    chosen = next((name for name in media if _is_json(name)), media[0] if media else None)
    schema = content[chosen]["schema"] if chosen is not None else None
    return schema if isinstance(schema, dict) else None


def inline_payloads(
    webhooks: Any, taken: set[str], resolve: Callable[[Any, str], Any], names: dict[str, str]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Component key -> (JSON pointer, schema) of each webhook whose payload is an inline schema.

    ``resolve(node, pointer)`` resolves a request body that is a ``$ref`` (to ``components/requestBodies``).
    ``names`` receives the name of every payload component (inline ones and referenced ones).
    """
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    if not isinstance(webhooks, dict):
        return found
    for name in sorted(webhooks, key=str):
        item = webhooks[name]
        methods = [method for method in HTTP_METHODS if isinstance(item, dict) and isinstance(item.get(method), dict)]
        for method in methods:
            pointer = f"/webhooks/{escape_pointer_token(str(name))}/{method}/requestBody"
            body = item[method].get("requestBody")
            schema = _payload(resolve(body, pointer) if isinstance(body, dict) and "$ref" in body else body)
            if schema is None:
                continue
            named = f"{name}{'' if len(methods) == 1 else method.title()}Webhook"
            reference = schema.get("$ref") if set(schema) == {"$ref"} else None
            if isinstance(reference, str):  # a component: kept by the ref pass, named from the webhook if unused
                names.setdefault(reference.rpartition("/")[2].replace("~1", "/").replace("~0", "~"), named)
                continue
            key = named
            while key in taken or key in found:
                key += "_"
            found[key] = (pointer, schema)
            names[key] = key
    return found
