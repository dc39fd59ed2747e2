"""Cloudflare 2024-08-06's schemas without ``type`` (issue 12): any JSON value, typed so where it is sent.

The counts the rule was decided on are in ARCHITECTURE.md ("Schemas without ``type``"); these tests read
the generated package (shared with test_user_tasks.py and test_full_api.py) for what a user meets.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from clientgen.layout import NORMALIZED_FILE, REPORT_FILE
from clientgen.normalize.typeless import ANY_JSON
from corpus_packages import CorpusPackages, corpus_group
from imported_package import imported_package

SPEC = "corpus/cloudflare/openapi-2024-08-06.json"
pytestmark = corpus_group(SPEC)


@pytest.fixture(scope="module")
def tree(corpus_package: CorpusPackages) -> Path:
    return corpus_package(SPEC)


@pytest.fixture(scope="module")
def cloudflare(tree: Path) -> Iterator[ModuleType]:
    with imported_package(tree / "src", "cloudflare_client") as package:
        yield package


def _any_json_classes(tree: Path) -> set[str]:
    found: set[str] = set()
    for module in (tree / "src" / "cloudflare_client").rglob("*.py"):
        found |= set(re.findall(r"^class (\w+)\(AnyJsonModel\):", module.read_text(encoding="utf-8"), re.MULTILINE))
    return found


def test_every_marked_component_is_an_any_json_class(tree: Path) -> None:
    normalized = json.loads((tree / NORMALIZED_FILE).read_text(encoding="utf-8"))
    marked = {name for name, schema in normalized["components"]["schemas"].items() if schema.get(ANY_JSON) is True}
    assert len(marked) > 100  # Cloudflare has hundreds: a lost marker shows
    assert _any_json_classes(tree) == marked


def test_a_typeless_model_takes_any_json_value_and_still_checks_objects(cloudflare: ModuleType) -> None:
    design = importlib.import_module(f"{cloudflare.__name__}.types").OrganizationLoginDesign
    assert design.__mro__[1].__name__ == "AnyJsonModel"
    assert [design.model_validate(value) for value in ("on", 3, [1])] == ["on", 3, [1]]
    assert type(design.model_validate({"text_color": "#000"})) is design
    with pytest.raises(ValueError, match="text_color"):
        design.model_validate({"text_color": 5})


def test_a_sent_typeless_field_is_typed_with_the_other_json_kinds(tree: Path) -> None:
    resource = tree / "src" / "cloudflare_client" / "resources" / "access" / "organizations" / "organizations.py"
    signatures = re.sub(r"\s*\n\s*\|", " |", resource.read_text(encoding="utf-8"))
    annotation = re.search(r"login_design: ([^\n=]+)", signatures)
    assert annotation is not None
    members = [member.strip() for member in annotation.group(1).split("|")]
    assert {"OrganizationLoginDesign", "OrganizationLoginDesignDict", "str", "float", "bool", "List[Any]"} <= set(
        members
    )


def test_page_rules_example_backed_values_are_typed_any_json_both_ways(tree: Path) -> None:
    report = json.loads((tree / REPORT_FILE).read_text(encoding="utf-8"))
    example_backed = [item["pointer"] for item in report["diagnostics"] if item["code"] == "typeless-any"]
    assert example_backed
    assert all("pagerules" in pointer and pointer.endswith("/value") for pointer in example_backed)
    assert any("/responses/" in pointer for pointer in example_backed)
    assert any("/requestBody/" in pointer for pointer in example_backed)
