"""Union variants and envelope parts take words, not content hashes, from what their content offers (issue 13).

Each case is one shape that ended in a hash on Cloudflare 2024-08-06, written small.
"""

from __future__ import annotations

import re
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize import normalize
from clientgen.normalize.variant_labels import variant_labels

HASHED = re.compile(r"[0-9A-Fa-f]{6}$")
KEYS = ["aaaaaa111111", "bbbbbb222222", "cccccc333333"]


def obj(properties: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if description is not None:
        schema["description"] = description
    return schema


STRING = {"type": "string"}


def labels(*variants: dict[str, Any]) -> list[str]:
    return variant_labels(list(variants), KEYS[: len(variants)])


def test_a_variant_told_apart_only_one_level_down_takes_the_nested_tag() -> None:
    destination = obj({"provider": {"type": "string", "enum": ["r2"]}, "key": STRING})
    aws = obj({"provider": {"type": "string", "enum": ["aws"]}, "region": STRING})
    gcs = obj({"provider": {"type": "string", "enum": ["gcs"]}, "email": STRING})
    # the destination is the same in both: it tells nothing; the source does
    first, second = obj({"destination": destination, "source": aws}), obj({"destination": destination, "source": gcs})
    assert labels(first, second) == ["aws", "gcs"]


def test_long_descriptions_offer_their_first_own_words() -> None:
    deny = "When triggered, traditional rules act upon the request. A 'deny' rule responds at once, see the docs."
    allow = "When triggered, traditional rules act on the request. An 'allow' rule lets it pass, see the docs."
    anomaly = "When triggered, anomaly detection rules add to a score, see the package's sensitivity and the docs."
    shape = {"id": STRING, "mode": STRING}
    found = labels(obj(shape, deny), obj(shape, allow), obj(shape, anomaly))
    assert found == ["deny", "allow", "anomaly detection"], found


def test_a_variant_allowing_several_values_of_the_tag_is_named_by_them() -> None:
    worker = obj({"type": {"type": "string", "enum": ["worker"]}, "value": obj({"id": STRING})})
    plain = obj({"type": {"type": "string", "enum": ["string", "secret"]}, "value": STRING})
    assert labels(plain, worker) == ["string or secret", "worker"]


def test_a_variant_is_named_by_what_it_lacks_or_has_beside_a_sibling() -> None:
    base = obj({"etag": STRING, "ipv4_cidrs": STRING})
    more = obj({"etag": STRING, "ipv4_cidrs": STRING, "extra_cidrs": STRING, "other": STRING})
    assert labels(base, more)[0] == "without extra_cidrs"
    success = {"type": "boolean", "enum": [True]}
    bare = obj({"result": STRING, "success": success})
    full = obj({"result": STRING, "success": success, "errors": STRING, "messages": STRING})
    # once the first is told apart, the second keeps its own label
    assert labels(full, bare) == ["with errors", "True"]


def test_a_primitive_with_one_value_is_labelled_by_it() -> None:
    seconds = {"type": "number", "minimum": 30, "maximum": 86400}
    automatic = {"type": "number", "enum": [1]}
    assert [label.split() for label in labels(seconds, automatic)] == [["number"], ["1"]]


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _envelope(result: dict[str, Any], **extra: Any) -> dict[str, Any]:
    info = {"type": "array", "items": extra.pop("info", obj({"code": {"type": "integer"}, "message": STRING}))}
    properties = {"success": {"type": "boolean", "enum": [True]}, "errors": info, "messages": info, "result": result}
    return {"type": "object", "required": ["success", "errors", "messages", "result"], "properties": properties}


def test_odd_envelope_items_take_the_route_and_property_words() -> None:
    thing = obj({"id": STRING, "name": STRING})
    odd = obj({"message": {"type": "string", "example": "Submission done"}})
    odder = obj({"message": {"type": "string", "example": "Error"}})
    paths = {
        "/things": {"get": {"operationId": "list", "responses": _ok(_envelope({"type": "array", "items": thing}))}},
        "/things/{id}": {"get": {"operationId": "get", "responses": _ok(_envelope(thing, info=odd))}},
        "/things/{id}/parts": {"get": {"operationId": "parts", "responses": _ok(_envelope(thing, info=odder))}},
    }
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    names = set(normalize(spec, Diagnostics(), names_source="content")["components"]["schemas"])
    assert not [name for name in names if HASHED.search(name) and any(c.isdigit() for c in name[-6:])], names
    assert {"ResponseInfo", "ThingResponseInfo"} <= names, names


def test_two_shared_bare_ids_returned_by_different_resources_both_read_as_references() -> None:
    read_only = obj({"id": {"type": "string", "readOnly": True}})
    read_only["required"] = ["id"]
    writable = obj({"id": {"type": "string", "maxLength": 32}})
    writable["required"] = ["id"]

    def returns(schema: dict[str, Any], operation_id: str) -> dict[str, Any]:
        return {"delete": {"operationId": operation_id, "responses": _ok(_envelope(schema))}}

    paths = {
        "/zones/{id}": returns(writable, "zone-delete"),
        "/purge_cache": {"post": {"operationId": "purge", "responses": _ok(_envelope(writable))}},
        "/filters/{id}": returns(read_only, "filter-delete"),
        "/apps/{id}": returns(read_only, "app-delete"),
    }
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    names = set(normalize(spec, Diagnostics(), names_source="content")["components"]["schemas"])
    assert {"IdRef", "ResourceRef"} <= names, names
    assert not names & {"Zone", "PurgeCache", "Filter", "App"}, names


def test_what_a_list_holds_is_named_after_the_list_when_a_part_of_its_items_returns_it() -> None:
    listed = obj({"id": STRING, "etag": STRING})
    uploaded = obj({"id": STRING, "etag": STRING, "startup_time_ms": {"type": "integer"}})

    def answers(method: str, operation_id: str, result: dict[str, Any]) -> dict[str, Any]:
        return {method: {"operationId": operation_id, "responses": _ok(_envelope(result))}}

    paths = {
        "/workers/scripts": answers("get", "list", {"type": "array", "items": listed}),
        "/workers/scripts/{name}": answers("put", "upload", uploaded),
        "/workers/scripts/{name}/content": answers("put", "content", listed),
    }
    spec = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}
    schemas = normalize(spec, Diagnostics(), names_source="content")["components"]["schemas"]
    by_fields = {tuple(sorted(schema.get("properties", {}))): name for name, schema in schemas.items()}
    # the item the list holds (and the content route returns) reads as the resource, qualified; the upload's result
    # keeps the bare noun; "Content" (a part of a script) names neither
    assert by_fields[("etag", "id")] == "WorkerScript", schemas.keys()
    assert by_fields[("etag", "id", "startup_time_ms")] == "Script", schemas.keys()
