"""Ingest by path item (:mod:`clientgen.ingest.by_item` through :mod:`clientgen.cached_ingest_items`).

The pieces put together equal the whole ingest (key order and value types included) on a document that uses
what ingest changes: path-level parameters merged, an operation and a path skipped beside an existing
``x-clientgen-skipped``, Cloudflare security schemes added from the top level and an operation, cyclic
components (kept bodies), percent-encoded references, a document without ``components``; and on real
descriptions (with the corpus).  Where the pieces are not independent (a file to bundle, a reference into
``paths`` or ``securitySchemes``, an odd path key, YAML) or the document is refused, nothing is returned: the
caller ingests the whole document.
"""

from __future__ import annotations

import copy
import json
import marshal
from pathlib import Path
from typing import Any

import pytest

from clientgen.cache import Cache
from clientgen.cached_ingest_items import ingest_by_items
from clientgen.diagnostics import SpecError
from clientgen.ingest import load_source
from clientgen.ingest.bounds import check_expansion
from clientgen.ingest.documents import validate_document
from clientgen.ingest.parsing import parse_file


def _same(left: Any, right: Any) -> bool:
    """Equal with key order and value types (``1``, ``1.0``, ``True``): what JSON equality confuses."""
    return marshal.dumps(left, 0) == marshal.dumps(right, 0)


def _response(ref: str) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}}


def _document() -> dict[str, Any]:
    zone = {"name": "zone_id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "security": [{"api_token": []}],
        "x-clientgen-skipped": [{"pointer": "/paths/~1old", "reason": "left out before"}],
        "paths": {
            "/zones/{zone_id}": {
                "parameters": [zone],
                "get": {"operationId": "zone-get", "responses": _response("#/components/schemas/Node")},
                "post": {"operationId": "zone-post"},  # no responses in 3.0: skipped
                "delete": {
                    "operationId": "zone-delete",
                    "security": [{"api_email": [], "api_key": []}],
                    "parameters": [{"$ref": "#/components/parameters/Force"}],
                    "responses": _response("#/components/schemas/a%20b"),
                },
            },
            "no-slash": {"get": {"responses": _response("#/components/schemas/Node")}},  # skipped whole
            "/plain": {"get": {"responses": {"204": {"description": "none", "x-1": 1.0, "x-t": True}}}},
        },
        "components": {
            "schemas": {
                "Node": {"type": "object", "properties": {"children": {"$ref": "#/components/schemas/Nodes"}}},
                "Nodes": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "a b": {"type": "integer", "default": 1},
            },
            "parameters": {"Force": {"name": "force", "in": "query", "schema": {"type": "boolean"}}},
        },
    }


def _write(folder: Path, document: dict[str, Any], name: str = "spec.json") -> Path:
    spec = folder / name
    spec.write_text(json.dumps(document), encoding="utf-8")
    return spec


def _by_items(spec: Path, cache: Cache) -> tuple[dict[str, Any], int] | None:
    parsed = validate_document(spec, parse_file(spec))
    before = marshal.dumps(parsed, 0)
    found = ingest_by_items(spec, parsed, cache)
    assert marshal.dumps(parsed, 0) == before  # the caller's document is not changed
    return found


def _assert_equals_whole(spec: Path, cache: Cache) -> None:
    found = _by_items(spec, cache)
    assert found is not None
    whole = load_source(spec)
    assert _same(found[0], whole)
    assert found[1] == check_expansion(spec, whole)


def test_the_pieces_equal_the_whole_ingest_cold_and_warm(tmp_path: Path) -> None:
    spec = _write(tmp_path, _document())
    cache = Cache(tmp_path / "cache", tools="t")
    _assert_equals_whole(spec, cache)  # every piece made
    _assert_equals_whole(spec, cache)  # every piece read back
    ingested = load_source(spec)
    assert [entry["pointer"] for entry in ingested["x-clientgen-skipped"]][:1] == ["/paths/~1old"]
    assert list(ingested["components"]["securitySchemes"]) == ["api_email", "api_key", "api_token"]


def test_a_document_without_components_or_security_equals_the_whole_ingest(tmp_path: Path) -> None:
    document = _document()
    del document["components"], document["security"], document["x-clientgen-skipped"]
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("parameters", None)
                operation["responses"] = {"204": {"description": "none"}}
    _assert_equals_whole(_write(tmp_path, document), Cache(tmp_path / "cache", tools="t"))


@pytest.mark.parametrize(
    "change",
    [
        "bundled file",
        "into paths",
        "in an example",
        "twice encoded",
        "into securitySchemes",
        "odd path",
        "dangling",
        "whole document",
    ],
)
def test_what_is_not_by_item_returns_none(tmp_path: Path, change: str) -> None:
    document = _document()
    schemas = document["components"]["schemas"]
    if change == "bundled file":
        (tmp_path / "pet.json").write_text('{"type": "object"}', encoding="utf-8")
        schemas["Pet"] = {"$ref": "pet.json"}
    elif change == "into paths":
        schemas["Pet"] = {"$ref": "#/paths/~1plain/get"}
    elif change == "in an example":  # not checked (data), but the expansion follows it
        document["paths"]["/plain"]["get"]["responses"]["204"]["x-t"] = {"$ref": "#/paths"}
    elif change == "twice encoded":  # resolves as is, but the later passes unquote it again: into paths
        document["%70aths"] = {"/plain": {"get": {}}}
        schemas["Pet"] = {"$ref": "#/%2570aths/~1plain/get"}
    elif change == "into securitySchemes":
        schemas["Pet"] = {"$ref": "#/components/securitySchemes/api_token"}
    elif change == "odd path":
        document["paths"]["/plain?beta=true"] = document["paths"]["/plain"]
    elif change == "dangling":
        schemas["Pet"] = {"$ref": "#/components/schemas/Missing"}
    else:
        schemas["Pet"] = {"$ref": "#"}
    assert _by_items(_write(tmp_path, document), Cache(tmp_path / "cache", tools="t")) is None


def test_yaml_is_not_by_item(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(json.dumps(_document()), encoding="utf-8")  # JSON is YAML
    assert _by_items(spec, Cache(tmp_path / "cache", tools="t")) is None


def test_an_expansion_past_the_limit_returns_none(tmp_path: Path) -> None:
    document = _document()
    schemas = document["components"]["schemas"]
    for level in range(30):  # B0 holds B1 twice, ...: 2**30 values once inlined
        inner = {"$ref": f"#/components/schemas/B{level + 1}"}
        schemas[f"B{level}"] = {"type": "object", "properties": {"a": inner, "b": copy.deepcopy(inner)}}
    schemas["B30"] = {"type": "string"}
    cache = Cache(tmp_path / "cache", tools="t")
    _assert_equals_whole(_write(tmp_path, document), cache)  # unused: fine
    document["paths"]["/plain"]["get"]["responses"] = _response("#/components/schemas/B0")
    spec = _write(tmp_path, document)
    assert _by_items(spec, cache) is None
    with pytest.raises(SpecError, match="once every"):
        load_source(spec)


def test_openapi_python_client_3_0_equals_the_whole_ingest(corpus: Path, tmp_path: Path) -> None:
    spec = corpus / "corpus" / "peers" / "openapi-python-client" / "baseline_openapi_3.0.json"
    cache = Cache(tmp_path / "cache", tools="t")
    _assert_equals_whole(spec, cache)
    _assert_equals_whole(spec, cache)
