"""Results that are JSON or raw bytes, chosen by the response's ``Content-Type``.

Workers AI's ``run`` declares its result as ``oneOf`` JSON shapes and a ``string`` of ``format:
binary`` (a text-to-image model answers with the image itself), and some operations offer a JSON
and a binary media type side by side.  Such a result is typed as the JSON union ``| bytes``: the
runtime parses a JSON response as declared and hands any other response's body over as bytes.
"""

from __future__ import annotations

from typing import Any

from clientgen.normalize.schemas import resolve_component

__all__ = ["is_binary_schema", "json_or_binary"]

_UNIONS = ("oneOf", "anyOf")
_TEXT_MEDIA = ("text/",)


def is_binary_schema(schema: Any) -> bool:
    """A ``string`` of raw bytes: ``format: binary`` (3.0) or a ``contentMediaType`` (3.1)."""
    return (
        isinstance(schema, dict)
        and schema.get("type") in {"string", None}
        and (schema.get("format") == "binary" or "contentMediaType" in schema)
        and not any(key in schema for key in (*_UNIONS, "properties", "items", "$ref"))
    )


def _without_binary(schema: dict[str, Any], components: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    def binary(member: Any) -> bool:  # hoisting may have made the member a component of its own
        return is_binary_schema(resolve_component(member, components))

    for key in _UNIONS:
        members = schema.get(key)
        if isinstance(members, list) and any(binary(member) for member in members):
            kept = [member for member in members if not binary(member)]
            if len(kept) == 1 and isinstance(kept[0], dict) and len(schema) == 1:
                return kept[0], True
            return {**schema, key: kept}, True
    return schema, False


def json_or_binary(
    result: Any, content: dict[str, Any], json_media: str | None, components: dict[str, Any]
) -> tuple[Any, bool]:
    """(the result's JSON schema, whether a non-JSON response is the result's bytes).

    ``result`` is the declared JSON result (the envelope's ``result`` or the whole body),
    ``content`` the success response's media types, ``json_media`` the JSON one among them.
    """
    if not isinstance(result, dict) or json_media is None:
        return result, False
    schema, binary_member = _without_binary(result, components)
    binary_media = any(
        media not in {json_media, "*/*"}
        and "/" in media
        and not media.startswith(_TEXT_MEDIA)
        and not media.endswith("json")
        for media in content
    )
    return schema, binary_member or binary_media
