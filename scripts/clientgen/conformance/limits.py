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
_UNMOCKABLE = ("application/vnd.tcpdump.pcap", "multipart/", "text/event-stream")


def _read_only_in_one_of(schema: Any, components: dict[str, Any], depth: int = 0) -> bool:
    if not isinstance(schema, dict) or depth > 8:
        return False
    if isinstance(schema.get("$ref"), str):
        return _read_only_in_one_of(components.get(schema["$ref"].rsplit("/", 1)[-1]), components, depth + 1)
    for member in schema.get("oneOf") or []:
        target = member
        if isinstance(member, dict) and isinstance(member.get("$ref"), str):
            target = components.get(member["$ref"].rsplit("/", 1)[-1], {})
        properties = target.get("properties", {}) if isinstance(target, dict) else {}
        for name in target.get("required", []) if isinstance(target, dict) else []:
            prop = properties.get(name, {})
            if isinstance(prop, dict) and isinstance(prop.get("$ref"), str):
                prop = components.get(prop["$ref"].rsplit("/", 1)[-1], {})
            if isinstance(prop, dict) and prop.get("readOnly"):
                return True
    properties = schema.get("properties")
    children = list(properties.values()) if isinstance(properties, dict) else []
    children += [schema["items"]] if isinstance(schema.get("items"), dict) else []
    return any(_read_only_in_one_of(child, components, depth + 1) for child in children)


def known_limit(operation: dict[str, Any], components: dict[str, Any]) -> str | None:
    """The known reason this operation cannot pass under Prism, or ``None``."""
    operation_id = str(operation.get("operationId", ""))
    if operation_id in DESCRIPTION_LIMITS:
        return f"description: {DESCRIPTION_LIMITS[operation_id]}"
    if {} in (operation.get("security") or []):
        return "prism: security [{}] (anonymous allowed) is not understood"
    media = sorted(success_content(operation))
    if media and all(any(m.startswith(kind) for kind in _UNMOCKABLE) for m in media):
        return f"prism: cannot produce a {media[0]} response"
    for content in (operation.get("requestBody") or {}).get("content", {}).values():
        if isinstance(content, dict) and _read_only_in_one_of(content.get("schema"), components):
            return "prism: demands readOnly properties inside oneOf branches"
    return None
