"""A schema shared between places is rebuilt once per pass and reported at every place (issue 15).

Inlining puts one dict wherever a component is used; :class:`clientgen.normalize.schemas.Shared` lets a pass
rebuild it once instead of once per place.  The document must come out as if every place had been rebuilt on
its own: the same content, and each decision reported at each place.
"""

from __future__ import annotations

import copy
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize import normalize
from clientgen.normalize.schemas import Shared, transform


def _repair(diags: Diagnostics) -> Any:
    def repair(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        if node.get("default") == "1":
            diags.add(pointer, "default-type", "read as 1")
            return {**node, "default": 1}
        return node

    return repair


def _shared_schema() -> dict[str, Any]:
    return {"type": "object", "properties": {"size": {"type": "integer", "default": "1"}}}


def test_a_shared_schema_is_rebuilt_once_and_reported_at_each_place() -> None:
    schema = _shared_schema()
    roots = {"a": {"properties": {"x": schema}}, "b": {"items": schema}}
    diags = Diagnostics()
    shared = Shared(diags)
    repair = _repair(diags)
    out = {name: transform(root, repair, f"/{name}", shared) for name, root in roots.items()}
    assert out["a"]["properties"]["x"] is out["b"]["items"]  # rebuilt once, still shared
    assert out["b"]["items"]["properties"]["size"]["default"] == 1
    assert sorted(item.pointer for item in diags.items) == [
        "/a/properties/x/properties/size",
        "/b/items/properties/size",
    ]
    assert schema["properties"]["size"]["default"] == "1"  # the input is left as it was


def test_sharing_changes_nothing_in_the_result() -> None:
    schema = _shared_schema()
    roots = {"a": {"properties": {"x": schema}}, "b": {"items": schema}}
    copies = copy.deepcopy(roots)  # the same content, nothing shared
    with_sharing, without = Diagnostics(), Diagnostics()
    shared = Shared(with_sharing)
    first = {name: transform(root, _repair(with_sharing), f"/{name}", shared) for name, root in roots.items()}
    second = {name: transform(root, _repair(without), f"/{name}") for name, root in copies.items()}
    assert first == second
    assert with_sharing.sorted() == without.sorted()


def _document(*, share: bool) -> dict[str, Any]:
    """Two operations using one schema at four places: a component (inlining shares it) or copies written out."""
    thing = {
        "type": "object",
        "required": ["id", "label"],  # label has no property: a decision
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "size": {"type": "integer", "default": "3"},  # read as 3: a decision
            "parts": {"allOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {"type": "string"}}}]},
        },
    }

    def use() -> dict[str, Any]:
        return {"$ref": "#/components/schemas/Thing"} if share else copy.deepcopy(thing)

    paths = {
        f"/{noun}": {
            "post": {
                "operationId": f"create_{noun}",
                "requestBody": {"content": {"application/json": {"schema": use()}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": use()}}}},
            }
        }
        for noun in ("things", "widgets")
    }
    components = {"schemas": {"Thing": thing}} if share else {}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths, "components": components}


def test_normalizing_a_shared_schema_equals_normalizing_copies() -> None:
    results = []
    for share in (True, False):
        diags = Diagnostics()
        normalized = normalize(_document(share=share), diags, names_source="content")
        results.append((normalized, [item for item in diags.sorted() if item.code != "names-source"]))
    (shared_doc, shared_diags), (copied_doc, copied_diags) = results
    assert shared_doc == copied_doc
    assert shared_diags == copied_diags
    pointers = {item.pointer for item in shared_diags if item.code == "default-type"}
    assert len(pointers) == 4  # each of the four places reports its own decision
