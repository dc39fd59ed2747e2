"""Pass: ``readOnly`` and ``writeOnly`` properties are required in one direction only.

OpenAPI 3.0: a property marked ``readOnly`` and listed in ``required`` is required in
responses only, a ``writeOnly`` one in requests only.  Cloudflare lists server-assigned
fields (``id``, ``created_on``, ``modified_on``) as required and ``readOnly`` in schemas it
uses for both directions (``dns-records_dns-record``), so a request model taken literally
would make callers invent them.  Request bodies drop ``readOnly`` names from ``required``
(the property stays, optional: nothing is sent unless given); responses drop ``writeOnly``
names.  A schema that differs between the directions then hoists to two classes.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.schemas import map_operation_schemas, transform

__all__ = ["apply_directions"]


def _relax(marker: str, diags: Diagnostics) -> Any:
    def relax(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        properties = node.get("properties")
        required = node.get("required")
        if not isinstance(properties, dict) or not isinstance(required, list):
            return node
        one_way = [name for name in required if isinstance(properties.get(name), dict) and properties[name].get(marker)]
        if not one_way:
            return node
        diags.add(
            pointer,
            "one-way-required",
            f"{', '.join(map(str, one_way))}: {marker} and required, so not required in this direction",
        )
        kept = [name for name in required if name not in one_way]
        return {
            **{key: value for key, value in node.items() if key != "required"},
            **({"required": kept} if kept else {}),
        }

    return relax


def apply_directions(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    requests, responses = _relax("readOnly", diags), _relax("writeOnly", diags)

    def relax(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        if "/requestBody/" in pointer:
            return transform(schema, requests, pointer)  # type: ignore[no-any-return]
        if "/responses/" in pointer:
            return transform(schema, responses, pointer)  # type: ignore[no-any-return]
        return schema

    map_operation_schemas(doc, relax)
    return doc
