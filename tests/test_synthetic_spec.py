"""The scale benchmark's synthetic description: the issue's shape (``flat``) and the default one."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "synthetic_spec.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic_spec", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _models(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The 30-field components (the envelopes' are left out)."""
    schemas = document["components"]["schemas"]
    return {key: schema for key, schema in schemas.items() if not key.startswith("common_")}


def _nested(schema: dict[str, Any]) -> list[str]:
    """The properties that hold an object with properties of its own (directly or as array items)."""
    found = []
    for name, field in schema["properties"].items():
        inner = field.get("items", field)
        if isinstance(inner, dict) and "properties" in inner:
            found.append(name)
    return found


def test_flat_is_one_thirty_field_model_per_operation_and_nothing_below() -> None:
    document = _module().synthetic_spec(8, flat=True)
    models = _models(document)
    assert len(models) == 8  # two resources of four operations
    assert all(len(schema["properties"]) == 30 for schema in models.values())  # the 30 fields
    assert [name for schema in models.values() for name in _nested(schema)] == []


def test_the_default_shares_nested_parts_and_flat_changes_only_those_fields() -> None:
    synthetic = _module().synthetic_spec
    default, flat = _models(synthetic(8)), _models(synthetic(8, flat=True))
    assert default.keys() == flat.keys()
    for key, schema in default.items():
        nested = _nested(schema)
        assert nested  # the resource's nested object or its array of objects (kinds 10 and 11 of twelve)
        same = {name: field for name, field in schema["properties"].items() if name not in nested}
        assert same == {name: flat[key]["properties"][name] for name in same}
