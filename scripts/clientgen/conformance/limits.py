"""Why an operation cannot pass a Prism run, when the reason is Prism's or the description's, not the client's.

Detected from the description (media types, security, readOnly inside ``oneOf``), except the
request bodies whose ``oneOf`` every object satisfies more than once: those are named here.
"""

from __future__ import annotations

from typing import Any

from clientgen.normalize.schemas import success_content

__all__ = ["DESCRIPTION_LIMITS", "known_limit"]

# Request bodies whose oneOf branches overlap (an object satisfies several): no request can pass.
DESCRIPTION_LIMITS = {
    "bot-management-for-a-zone-update-config": "request oneOf: every object matches several branches",
    "worker-script-upload-worker-module": "request oneOf: every object matches several branches",
    "namespace-worker-script-upload-worker-module": "request oneOf: every object matches several branches",
}
_MAX_DEPTH = 8  # deep enough for request bodies
_UNMOCKABLE = ("application/vnd.tcpdump.pcap", "multipart/", "text/event-stream")


def _flat(schema: Any, components: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """``schema`` with ``$ref`` followed and ``allOf`` merged (properties and required): what Prism reads."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return {}
    if isinstance(schema.get("$ref"), str):
        return _flat(components.get(schema["$ref"].rsplit("/", 1)[-1]), components, depth + 1)
    flat = dict(schema)
    for part in schema.get("allOf") or []:
        merged = _flat(part, components, depth + 1)
        flat["properties"] = {**merged.get("properties", {}), **flat.get("properties", {})}
        flat["required"] = [*merged.get("required", []), *flat.get("required", [])]
        if "oneOf" in merged and "oneOf" not in flat:  # a union inside a part (rulesets' request rule)
            flat["oneOf"] = merged["oneOf"]
    return flat


def _read_only_in_one_of(schema: Any, components: dict[str, Any], depth: int = 0) -> bool:
    schema = _flat(schema, components)
    if not schema or depth > _MAX_DEPTH:
        return False
    for member in schema.get("oneOf") or []:  # required beside the oneOf or in the branch, readOnly in the branch
        flat = _flat(member, components)
        properties = {**schema.get("properties", {}), **flat.get("properties", {})}
        required = [*schema.get("required", []), *flat.get("required", [])]
        if any(_flat(properties.get(name), components).get("readOnly") for name in required):
            return True
    properties = schema.get("properties")
    children = list(properties.values()) if isinstance(properties, dict) else []
    children += [schema["items"]] if isinstance(schema.get("items"), dict) else []
    return any(_read_only_in_one_of(child, components, depth + 1) for child in children)


def known_limit(
    operation: dict[str, Any], components: dict[str, Any], request_bodies: dict[str, Any] | None = None
) -> str | None:
    """Why this operation cannot pass under Prism, or ``None`` (``request_bodies``: bodies given by ``$ref``)."""
    operation_id = str(operation.get("operationId", ""))
    if operation_id in DESCRIPTION_LIMITS:
        return f"description: {DESCRIPTION_LIMITS[operation_id]}"
    if {} in (operation.get("security") or []):
        return "prism: security [{}] (anonymous allowed) is not understood"
    media = sorted(success_content(operation))
    if media and all(any(m.startswith(kind) for kind in _UNMOCKABLE) for m in media):
        return f"prism: cannot produce a {media[0]} response"
    if media and all("/" not in m for m in media):  # Cloudflare's script downloads: `undefined`, `string`
        return (
            f"description: the success media type {media[0]!r} is not a media type, so no Accept header can ask for it"
        )
    body = operation.get("requestBody") or {}
    if isinstance(body.get("$ref"), str):
        body = (request_bodies or {}).get(body["$ref"].rsplit("/", 1)[-1], {})
    for content in body.get("content", {}).values():
        if isinstance(content, dict) and _read_only_in_one_of(content.get("schema"), components):
            return "prism: demands readOnly properties inside oneOf branches"
    return None
