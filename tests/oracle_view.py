"""The oracle's view of the normalized document: what openapi-python-client (OPC) cannot express, spelled its way.

The normalized document is valid OpenAPI; these are limits of OPC, not defects of the document,
so they are mapped here, for the oracle only, and never in the normalizer:

* media types OPC cannot read or send (``image/*``, ``application/pdf``, ``x-ndjson``,
  ``javascript``, a ``multipart`` response) become ``application/octet-stream``: bytes either way;
* a path that names a parameter twice (``/accounts/{account_id}/…/accounts/{account_id}``:
  the API means the same account both times, as the official SDK does) gets a second name
  for the repeated placeholder, which OPC requires;
* property names become the Python names our model generator gives them (``<=1y`` and
  ``>1y`` are ``le_1y`` and ``gt_1y``; OPC has no aliases and refuses names that collide);
* string enums with a value OPC cannot name (``'""'``) get ``x-enum-varnames``; a quoted
  default (``'""'``, which OPC unquotes and then finds outside the enum) and ``default: null``
  (which OPC cannot put in a union) are dropped; an enum without ``type`` gets the type of its
  values (OPC skips a parameter without one);
* a component is not itself nullable (its uses are): OPC names the nested classes of a nullable
  component twice and drops it;
* component keys get a ``Schema`` suffix: OPC names an inline enum or free-form object after its
  parent and property (``Rule`` + ``action`` = ``RuleAction``), which can be the name of another
  component of ours (our ``RuleAction`` is a different enum) — OPC then drops both.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from clientgen.generators.models import python_field_names
from clientgen.normalize.schemas import HTTP_METHODS

__all__ = ["OCTET_STREAM", "oracle_view"]

OCTET_STREAM = "application/octet-stream"
_REQUEST_MEDIA = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded", OCTET_STREAM)
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
_NAMEABLE = re.compile(r"[A-Za-z0-9]")
_JSON_TYPE = {bool: "boolean", int: "integer", float: "number", str: "string"}
_COMPONENT_REF = "#/components/schemas/"
_COMPONENT_SUFFIX = "Schema"


def _suffixed_refs(node: Any) -> Any:
    if isinstance(node, list):
        return [_suffixed_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    rebuilt = {key: _suffixed_refs(value) for key, value in node.items()}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(_COMPONENT_REF):
        rebuilt["$ref"] = ref + _COMPONENT_SUFFIX
    return rebuilt


def _readable(media: str, *, request: bool) -> bool:
    bare = media.split(";", maxsplit=1)[0].strip().lower()
    if bare.endswith(("/json", "+json")):
        return True
    return bare in _REQUEST_MEDIA if request else bare.startswith("text/") or bare == OCTET_STREAM


def _content(content: dict[str, Any], *, request: bool) -> dict[str, Any]:
    mapped: dict[str, Any] = {}
    for media, media_object in sorted(content.items()):
        if _readable(media, request=request) and media != OCTET_STREAM:
            mapped.setdefault(media, media_object)
        else:
            mapped.setdefault(OCTET_STREAM, {"schema": {"type": "string", "format": "binary"}})
    return mapped


def _schema(node: Any) -> Any:
    if isinstance(node, list):
        return [_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    rebuilt = {key: _schema(value) for key, value in node.items()}
    properties = node.get("properties")
    if isinstance(properties, dict):
        names = python_field_names(properties)
        rebuilt["properties"] = {names[wire]: _schema(schema) for wire, schema in properties.items()}
        if isinstance(node.get("required"), list):
            rebuilt["required"] = [names.get(name, name) for name in node["required"]]
    enum = node.get("enum")
    if isinstance(enum, list) and any(isinstance(value, str) and not _NAMEABLE.search(value) for value in enum):
        rebuilt["x-enum-varnames"] = [f"VALUE_{index}" for index, value in enumerate(enum) if value is not None]
    if isinstance(enum, list) and "type" not in node:
        kinds = {_JSON_TYPE.get(type(value)) for value in enum if value is not None}
        if len(kinds) == 1 and None not in kinds:
            rebuilt["type"] = kinds.pop()
    default = node.get("default", 0)
    if default is None or (isinstance(default, str) and default[:1] in {'"', "'"}):
        del rebuilt["default"]
    return rebuilt


def _path(path: str, item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A repeated placeholder renamed ``{name_2}``, with a parameter of its own in every operation."""
    seen: dict[str, int] = {}
    repeated: list[tuple[str, str]] = []

    def rename(match: re.Match[str]) -> str:
        name = match.group(1)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            return match.group(0)
        repeated.append((name, f"{name}_{seen[name]}"))
        return f"{{{name}_{seen[name]}}}"

    new_path = _PLACEHOLDER.sub(rename, path)
    for method in HTTP_METHODS:
        op = item.get(method)
        if not isinstance(op, dict):
            continue
        parameters = list(op.get("parameters") or [])
        for original, renamed in repeated:
            source = next(p for p in parameters if p.get("in") == "path" and p.get("name") == original)
            parameters.append({**source, "name": renamed})
        op["parameters"] = parameters
    return new_path, item


def oracle_view(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the normalized ``document`` as OPC can read all of it."""
    doc = copy.deepcopy(document)
    paths: dict[str, Any] = {}
    for path, item in sorted((doc.get("paths") or {}).items()):
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            body = op.get("requestBody")
            if isinstance(body, dict) and isinstance(body.get("content"), dict):
                body["content"] = _content(body["content"], request=True)
            for response in (op.get("responses") or {}).values():
                if isinstance(response, dict) and isinstance(response.get("content"), dict):
                    response["content"] = _content(response["content"], request=False)
        new_path, new_item = _path(path, item)
        paths[new_path] = new_item
    doc["paths"] = _schema(paths)
    components = doc.get("components") or {}
    if isinstance(components.get("schemas"), dict):
        schemas = {name: _schema(schema) for name, schema in components["schemas"].items()}
        for schema in schemas.values():
            if isinstance(schema, dict):
                schema.pop("nullable", None)
        components["schemas"] = {name + _COMPONENT_SUFFIX: schema for name, schema in schemas.items()}
    return _suffixed_refs(doc)
