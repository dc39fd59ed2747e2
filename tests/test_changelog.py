"""The API changelog: every kind of entry and its classification, on small hand-made documents.

Each test changes one thing in a small API (a widget resource under an account) and checks the
entries the changelog reports for it, whether they are breaking, and the suggested bump.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from clientgen.__main__ import main
from clientgen.changelog.compare import document_surface
from clientgen.changelog.diff import Change, bump_level, diff_surfaces
from clientgen.changelog.release import Previous, plan_release, read_previous, render_section
from clientgen.changelog.version import bump, choose_version
from clientgen.config import GeneratorConfig
from clientgen.layout import SURFACE_FILE
from clientgen.names import PythonIdentifier
from clientgen.project import write_tree
from envelopes import success_envelope

CONFIG = GeneratorConfig(
    distribution="widgets",
    import_name=PythonIdentifier("widgets_client"),
    version="0.1.0",
    base_url="https://example.test",
    environment_prefix="WIDGETS",
)
ACCOUNT = {"in": "path", "name": "account_id", "required": True, "schema": {"type": "string", "maxLength": 32}}
WIDGET_ID = {"in": "path", "name": "widget_id", "required": True, "schema": {"type": "string"}}
ITEM = {"id": {"type": "string"}, "name": {"type": "string"}}
GET = "client.widgets.get"
CREATE = "client.widgets.create"


def _envelope(result: dict[str, Any]) -> dict[str, Any]:
    return success_envelope(result)


def _ok(result: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": _envelope(result)}}}}


def widget() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string", "maxLength": 64},
            "color": {"type": "string", "enum": ["red", "blue"]},
            "size": {"type": "object", "properties": {"width": {"type": "integer"}, "height": {"type": "integer"}}},
            "labels": {"type": "object"},
        },
    }


def base() -> dict[str, Any]:
    """GET one widget (query ``fields``, ``mode``) and POST a widget (body: name, color, size)."""
    request = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "maxLength": 64},
            "color": {"type": "string", "enum": ["red", "blue"]},
            "size": {"type": "object", "properties": {"width": {"type": "integer", "minimum": 1}}},
        },
    }
    return copy.deepcopy(
        {
            "openapi": "3.0.3",
            "info": {"title": "Widgets", "version": "1"},
            "paths": {
                "/accounts/{account_id}/widgets/{widget_id}": {
                    "get": {
                        "operationId": "widgets-get",
                        "description": "Get a widget.",
                        "parameters": [
                            ACCOUNT,
                            WIDGET_ID,
                            {"in": "query", "name": "fields", "schema": {"type": "string"}},
                            {"in": "query", "name": "mode", "schema": {"type": "string", "enum": ["full", "short"]}},
                        ],
                        "responses": _ok(widget()),
                    }
                },
                "/accounts/{account_id}/widgets": {
                    "post": {
                        "operationId": "widgets-create",
                        "parameters": [ACCOUNT],
                        "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
                        "responses": _ok(widget()),
                    }
                },
            },
        }
    )


def get_op(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["paths"]["/accounts/{account_id}/widgets/{widget_id}"]["get"]


def create_op(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["paths"]["/accounts/{account_id}/widgets"]["post"]


def result_of(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = op["responses"]["200"]["content"]["application/json"]["schema"]
    return schema["properties"]["result"]  # type: ignore[no-any-return]


def body_of(op: dict[str, Any]) -> dict[str, Any]:
    return op["requestBody"]["content"]["application/json"]["schema"]  # type: ignore[no-any-return]


def changes(old: dict[str, Any], new: dict[str, Any], config: GeneratorConfig = CONFIG) -> list[Change]:
    return diff_surfaces(document_surface(old, CONFIG), document_surface(new, config))


def summary(found: list[Change]) -> list[tuple[str, str, str, str, bool, str]]:
    """(call path, noun, subject, verb, breaking, level) of each change, in the changelog's order."""
    return [(c.call_path, c.noun, c.subject, c.verb, c.breaking, c.level) for c in found]


def test_an_unchanged_document_has_no_changes() -> None:
    assert changes(base(), base()) == []
    assert bump_level([]) is None


# --- operations -----------------------------------------------------------------------------


def test_added_and_removed_operations() -> None:
    new = base()
    new["paths"]["/accounts/{account_id}/gadgets"] = {"get": copy.deepcopy(get_op(new)) | {"operationId": "g-list"}}
    del new["paths"]["/accounts/{account_id}/widgets"]
    found = changes(base(), new)
    assert summary(found) == [
        (CREATE, "operation", "", "removed", True, "major"),
        ("client.gadgets.list", "operation", "", "added", False, "minor"),
    ]
    assert bump_level(found) == "major"


def test_an_operation_moved_under_its_operation_id_is_renamed() -> None:
    new = base()
    new["paths"]["/accounts/{account_id}/gadgets"] = new["paths"].pop("/accounts/{account_id}/widgets")
    found = changes(base(), new)
    assert summary(found)[0] == (CREATE, "operation", "", "renamed", True, "major")
    assert "`client.gadgets.create`" in found[0].detail
    assert [c.verb for c in found[1:]] == ["endpoint changed"]  # same arguments and result: only the URL moved
    assert not found[1].breaking


def test_an_operation_at_the_same_endpoint_with_a_new_call_path_is_renamed() -> None:
    new = base()
    get_op(new)["operationId"] = "widgets-fetch"
    pinned = GeneratorConfig(**{**CONFIG.__dict__, "call_paths": {"widgets-fetch": ("widgets", "fetch")}})
    found = changes(base(), new, pinned)
    assert summary(found) == [(GET, "operation", "", "renamed", True, "major")]
    assert found[0].detail == "now `client.widgets.fetch`"


def test_deprecation_and_documentation() -> None:
    new = base()
    get_op(new)["deprecated"] = True
    create_op(new)["description"] = "Create a widget, now documented."
    assert summary(changes(base(), new)) == [
        (GET, "operation", "", "deprecated", False, "minor"),
        (CREATE, "documentation", "", "changed", False, "patch"),
    ]
    assert bump_level(changes(base(), new)) == "minor"


def test_documentation_of_a_field_counts_too() -> None:
    new = base()
    result_of(get_op(new))["properties"]["name"]["description"] = "The widget's name."
    assert summary(changes(base(), new)) == [(GET, "documentation", "", "changed", False, "patch")]


# --- parameters -----------------------------------------------------------------------------


def test_parameters_added_removed_and_required() -> None:
    new = base()
    params = get_op(new)["parameters"]
    params.append({"in": "query", "name": "expand", "schema": {"type": "boolean"}})
    params.append({"in": "header", "name": "X-Trace", "required": True, "schema": {"type": "string"}})
    params.remove(params[2])  # fields
    assert summary(changes(base(), new)) == [
        (GET, "parameter", "fields", "removed", True, "major"),
        (GET, "parameter", "x_trace", "added", True, "major"),
        (GET, "parameter", "expand", "added", False, "minor"),
    ]


def test_a_parameter_that_becomes_required_breaks_and_one_that_becomes_optional_does_not() -> None:
    old, new = base(), base()
    get_op(new)["parameters"][2]["required"] = True
    assert summary(changes(old, new)) == [(GET, "parameter", "fields", "now required", True, "major")]
    assert summary(changes(new, old)) == [(GET, "parameter", "fields", "now optional", False, "minor")]


def test_parameter_types_narrowed_break_widened_do_not() -> None:
    new = base()
    get_op(new)["parameters"][2]["schema"] = {"type": "integer"}
    assert summary(changes(base(), new)) == [(GET, "parameter", "fields", "retyped", True, "major")]
    assert changes(base(), new)[0].detail == "`string` → `integer`"
    wider = base()
    get_op(wider)["parameters"][2]["schema"] = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert summary(changes(base(), wider)) == [(GET, "parameter", "fields", "retyped", False, "minor")]
    assert summary(changes(wider, base())) == [(GET, "parameter", "fields", "retyped", True, "major")]


def test_parameter_enum_values() -> None:
    new = base()
    get_op(new)["parameters"][3]["schema"]["enum"] = ["full", "brief"]
    assert summary(changes(base(), new)) == [
        (GET, "parameter", "mode", "enum values removed", True, "major"),
        (GET, "parameter", "mode", "enum values added", False, "minor"),
    ]
    found = changes(base(), new)
    assert found[0].detail == '`"short"`'
    assert found[1].detail == '`"brief"`'


def test_a_free_value_that_becomes_an_enum_is_one_entry() -> None:
    new = base()
    body_of(create_op(new))["properties"]["status"] = {"enum": ["on", "off"]}
    old = base()
    body_of(create_op(old))["properties"]["status"] = {}
    found = changes(old, new)
    assert summary(found) == [(CREATE, "request body field", "status", "now limited to enum values", True, "major")]
    assert found[0].detail == '`"off"`, `"on"`'
    assert summary(changes(new, old)) == [
        (CREATE, "request body field", "status", "no longer limited to enum values", False, "minor")
    ]


def test_parameter_constraints_tightened_break_loosened_do_not() -> None:
    new = base()
    get_op(new)["parameters"][0]["schema"]["maxLength"] = 16
    tightened = changes(base(), new)
    assert {(c.call_path, c.subject, c.verb, c.breaking) for c in tightened} == {
        (GET, "account_id", "constraint tightened", True),
        (CREATE, "account_id", "constraint tightened", True),
    }
    assert tightened[0].detail == "`maxLength` `32` → `16`"
    loosened = changes(new, base())
    assert {(c.verb, c.breaking, c.level) for c in loosened} == {("constraint loosened", False, "patch")}
    pattern = base()
    get_op(pattern)["parameters"][1]["schema"]["pattern"] = "^[a-f0-9]+$"
    assert summary(changes(base(), pattern)) == [(GET, "parameter", "widget_id", "constraint tightened", True, "major")]


# --- request body ---------------------------------------------------------------------------


def test_request_body_fields() -> None:
    new = base()
    body = body_of(create_op(new))
    body["properties"]["owner"] = {"type": "string"}
    body["properties"]["region"] = {"type": "string"}
    body["required"] = ["name", "region"]
    del body["properties"]["size"]
    body["properties"]["color"]["enum"] = ["red"]
    body["properties"]["name"]["maxLength"] = 128
    assert summary(changes(base(), new)) == [
        (CREATE, "request body field", "color", "enum values removed", True, "major"),
        (CREATE, "request body field", "region", "added", True, "major"),
        (CREATE, "request body field", "size", "removed", True, "major"),
        (CREATE, "request body field", "owner", "added", False, "minor"),
        (CREATE, "request body field", "name", "constraint loosened", False, "patch"),
    ]


def test_a_nested_request_field_constraint() -> None:
    new = base()
    body_of(create_op(new))["properties"]["size"]["properties"]["width"]["minimum"] = 10
    found = changes(base(), new)
    assert summary(found) == [(CREATE, "request body field", "size.width", "constraint tightened", True, "major")]
    assert found[0].detail == "`minimum` `1` → `10`"


def test_a_body_variant_dropped_from_a_union() -> None:
    """``oneOf[by roles, by policies]`` -> by roles: ``policies`` is gone, ``email`` was required in both already,
    ``roles[].id`` was required wherever ``roles`` was."""

    def variant(field: str) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["email", field],
            "properties": {
                "email": {"type": "string"},
                field: {"type": "array", "items": {"type": "object", "required": ["id"], "properties": ITEM}},
            },
        }

    old, new = base(), base()
    create_op(old)["requestBody"]["content"]["application/json"]["schema"] = {
        "oneOf": [variant("roles"), variant("policies")]
    }
    create_op(new)["requestBody"]["content"]["application/json"]["schema"] = variant("roles")
    assert summary(changes(old, new)) == [
        (CREATE, "request body field", "policies", "removed", True, "major"),
        (CREATE, "request body field", "roles", "now required", True, "major"),
    ]


def test_request_body_added_and_removed() -> None:
    new = base()
    get_op(new)["requestBody"] = {"content": {"application/json": {"schema": {"type": "object"}}}}
    assert summary(changes(base(), new)) == [(GET, "request body", "", "added", False, "minor")]
    del create_op(new)["requestBody"]
    assert (CREATE, "request body", "", "removed", True, "major") in summary(changes(base(), new))


# --- response -------------------------------------------------------------------------------


def test_response_fields_added_and_removed() -> None:
    new = base()
    result = result_of(get_op(new))
    result["properties"]["weight"] = {"type": "number"}
    del result["properties"]["size"]  # its own fields are not listed one by one
    assert summary(changes(base(), new)) == [
        (GET, "response field", "size", "removed", True, "major"),
        (GET, "response field", "weight", "added", False, "minor"),
    ]


def test_response_enum_values_added_or_removed_do_not_break_readers() -> None:
    new = base()
    result_of(get_op(new))["properties"]["color"]["enum"] = ["red", "green"]
    assert summary(changes(base(), new)) == [
        (GET, "response field", "color", "enum values added", False, "minor"),
        (GET, "response field", "color", "enum values removed", False, "minor"),
    ]


def test_a_response_field_that_may_be_missing_or_null_breaks_readers() -> None:
    new = base()
    result = result_of(get_op(new))
    result["required"] = ["id"]
    result["properties"]["id"]["nullable"] = True
    assert summary(changes(base(), new)) == [
        (GET, "response field", "id", "now nullable", True, "major"),
        (GET, "response field", "name", "now optional", True, "major"),
    ]
    assert summary(changes(new, base())) == [
        (GET, "response field", "id", "no longer nullable", False, "patch"),
        (GET, "response field", "name", "now required", False, "patch"),
    ]


def test_response_types_widened_break_readers_narrowed_do_not() -> None:
    new = base()
    result_of(get_op(new))["properties"]["labels"] = {"type": "object", "additionalProperties": {"type": "string"}}
    narrowed = changes(base(), new)
    assert summary(narrowed) == [(GET, "response field", "labels{}", "retyped", False, "minor")]
    assert narrowed[0].detail == "`any` → `string`"
    wider = base()
    result_of(get_op(wider))["properties"]["id"] = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
    assert summary(changes(base(), wider)) == [(GET, "response field", "id", "retyped", True, "major")]


def test_response_constraints_never_break() -> None:
    new = base()
    result_of(get_op(new))["properties"]["name"]["maxLength"] = 32
    assert summary(changes(base(), new)) == [(GET, "response field", "name", "constraint tightened", False, "patch")]


def test_return_value_appears_or_disappears() -> None:
    new = base()
    get_op(new)["responses"] = {"204": {"description": "nothing"}}
    assert summary(changes(base(), new)) == [(GET, "return value", "", "changed", True, "major")]
    assert summary(changes(new, base())) == [(GET, "return value", "", "changed", False, "minor")]


# --- versions and the changelog file --------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "level", "expected"),
    [
        ("0.1.0", "major", "0.2.0"),
        ("0.1.3", "minor", "0.1.4"),
        ("0.1.3", "patch", "0.1.4"),
        ("1.2.3", "major", "2.0.0"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "patch", "1.2.4"),
        ("2.0", "minor", "2.1.0"),
        ("1.0.0rc1", "patch", "1.0.1"),
    ],
)
def test_bump(version: str, level: str, expected: str) -> None:
    assert bump(version, level) == expected


def test_the_config_version_wins_when_higher() -> None:
    assert choose_version("0.1.0", None, None) == "0.1.0"
    assert choose_version("0.1.0", "0.3.2", None) == "0.3.2"
    assert choose_version("0.1.0", "0.3.2", "major") == "0.4.0"
    assert choose_version("1.0.0", "0.3.2", "major") == "1.0.0"
    assert choose_version("1.0.0", "1.0.0", None) == "1.0.0"


def test_releases_accumulate_and_an_unchanged_api_changes_nothing() -> None:
    first = plan_release(document_surface(base(), CONFIG), "0.1.0", "widgets", Previous(None, ""))
    assert first.version == "0.1.0"
    assert "## 0.1.0\n\nFirst generation: 2 operations.\n" in first.changelog
    previous = Previous(first.surface, first.changelog[first.changelog.index("## ") :], first.version)
    again = plan_release(document_surface(base(), CONFIG), "0.1.0", "widgets", previous)
    assert (again.version, again.changelog, again.surface_json()) == (
        first.version,
        first.changelog,
        first.surface_json(),
    )
    new = base()
    get_op(new)["parameters"].pop(2)
    result_of(get_op(new))["properties"]["weight"] = {"type": "number"}
    second = plan_release(document_surface(new, CONFIG), "0.1.0", "widgets", previous)
    assert second.version == "0.2.0"
    text = second.changelog
    assert text.index("## 0.2.0") < text.index("## 0.1.0")
    assert "1 breaking, 1 other changes since 0.1.0; suggested bump: major (minor before 1.0.0)." in text
    assert "### Breaking changes\n\n- `client.widgets.get`: parameter `fields` removed\n" in text
    assert "### Additions\n\n- `client.widgets.get`: response field `weight` added\n" in text


def test_entries_of_one_kind_share_a_line() -> None:
    new = base()
    for name in ("weight", "height"):
        result_of(get_op(new))["properties"][name] = {"type": "number"}
    first = plan_release(document_surface(base(), CONFIG), "0.1.0", "widgets", Previous(None, ""))
    second = plan_release(document_surface(new, CONFIG), "0.1.0", "widgets", Previous(first.surface, "", first.version))
    assert "- `client.widgets.get`: response fields `height`, `weight` added\n" in second.changelog
    assert second.version == "0.1.1"


def test_the_same_change_to_many_operations_is_one_entry_with_the_calls_folded() -> None:
    retyped = ("response field", "meta.isInstantaneous", "retyped")
    detail = "`object` → `boolean`"
    many = [Change.of(f"client.radar.r{number}.list", retyped, detail, breaking=True) for number in range(4)]
    removed = ("parameter", "page", "removed")
    few = [Change.of(f"client.zones.z{number}.get", removed, breaking=True) for number in range(2)]
    text = render_section("0.2.0", sorted([*many, *few], key=lambda change: change.call_path), "0.1.0", 9)
    folded = (
        "- 4 operations: response field `meta.isInstantaneous` retyped: `object` → `boolean`\n"
        "  <details><summary>The 4 operations</summary>\n\n"
        "  `client.radar.r0.list`, `client.radar.r1.list`, `client.radar.r2.list`, `client.radar.r3.list`\n\n"
        "  </details>\n"
    )
    assert folded in text
    assert text.count("isInstantaneous") == 1
    assert "- `client.zones.z0.get`: parameter `page` removed\n" in text  # two calls: not folded
    assert "- `client.zones.z1.get`: parameter `page` removed\n" in text


def test_spec_text_in_the_changelog_is_inline_code() -> None:
    new = base()
    result_of(get_op(new))["properties"]["we`ird\nname"] = {"type": "string"}
    first = plan_release(document_surface(base(), CONFIG), "0.1.0", "widgets", Previous(None, ""))
    second = plan_release(document_surface(new, CONFIG), "0.1.0", "widgets", Previous(first.surface, "", first.version))
    assert "response field ``we`ird name`` added" in second.changelog


def test_a_broken_previous_surface_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "api.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(Exception, match=r"api\.json.*delete it") as raised:
        read_previous(tmp_path)
    assert "\n" not in str(raised.value)
    (tmp_path / "api.json").write_text(json.dumps({"format": 1, "operations": {}}), encoding="utf-8")
    with pytest.raises(Exception, match="not an API surface"):
        read_previous(tmp_path)


def test_a_surface_of_another_format_is_not_compared(tmp_path: Path) -> None:
    """When clientgen changes how it describes the API, the version and changelog carry over without an entry."""
    old = {"format": 0, "version": "0.3.0", "operations": {"client.widgets.get": {}}}
    (tmp_path / "api.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\nintro\n\n## 0.3.0\n\nearlier entries\n")
    previous = read_previous(tmp_path)
    assert previous == Previous(None, "## 0.3.0\n\nearlier entries\n", "0.3.0")
    release = plan_release(document_surface(base(), CONFIG), "0.1.0", "widgets", previous)
    assert (release.version, release.changes) == ("0.3.0", [])
    assert release.changelog.endswith("\n## 0.3.0\n\nearlier entries\n")
    assert release.surface["format"] == 1


def test_generation_versions_the_package_after_the_previous_one(tmp_path: Path) -> None:
    """``make generate`` over a changed spec: a new section, a bumped version in pyproject and ``__version__``."""
    (tmp_path / "config.toml").write_text('[package]\nimport_name = "widgets_client"\ndistribution = "widgets"\n')
    spec, out = tmp_path / "spec.json", tmp_path / "out"
    spec.write_text(json.dumps(base()), encoding="utf-8")
    write_tree(spec, tmp_path / "config.toml", out)
    names = ("CHANGELOG.md", SURFACE_FILE, "pyproject.toml")
    first = {name: (out / name).read_text(encoding="utf-8") for name in names}
    write_tree(spec, tmp_path / "config.toml", out)  # unchanged spec: nothing changes
    assert {name: (out / name).read_text(encoding="utf-8") for name in first} == first
    new = base()
    create_op(new)["parameters"].append({"in": "query", "name": "dry_run", "schema": {"type": "boolean"}})
    spec.write_text(json.dumps(new), encoding="utf-8")
    write_tree(spec, tmp_path / "config.toml", out)
    assert 'version = "0.1.1"' in (out / "pyproject.toml").read_text(encoding="utf-8")
    assert '__version__ = "0.1.1"' in (out / "src" / "widgets_client" / "_version.py").read_text(encoding="utf-8")
    changelog = (out / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 0.1.1\n" in changelog
    assert "- `client.widgets.create`: parameter `dry_run` added\n" in changelog
    assert changelog.endswith(first["CHANGELOG.md"][first["CHANGELOG.md"].index("## 0.1.0") :])


def test_make_changelog_between_two_spec_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(base()), encoding="utf-8")
    changed = base()
    get_op(changed)["parameters"].pop(2)
    new.write_text(json.dumps(changed), encoding="utf-8")
    config = Path(__file__).resolve().parents[1] / "spec" / "config.toml"
    assert main(["changelog", "--old", str(old), "--new", str(new), "--config", str(config)]) == 0
    printed = capsys.readouterr().out
    # Two specs do not say which versions they are: no version is made up, the bump is suggested.
    assert printed.startswith("## `old.json` → `new.json`\n\n1 breaking, 0 other changes; suggested bump: major.\n")
    assert "0.1.0" not in printed
    assert "0.2.0" not in printed
    assert "- `client.widgets.get`: parameter `fields` removed\n" in printed
    target = tmp_path / "changes.md"
    arguments = ["changelog", "--old", str(old), "--new", str(new), "--config", str(config), "--output", str(target)]
    assert main(arguments) == 0
    assert target.read_text(encoding="utf-8") == printed
    assert sorted(path.name for path in tmp_path.iterdir()) == ["changes.md", "new.json", "old.json"]
    assert main(["changelog", "--old", str(tmp_path / "missing.json"), "--new", str(new)]) == 1
    assert "missing.json" in capsys.readouterr().err


def test_a_call_path_taken_over_by_another_endpoint() -> None:
    """An account-level twin appears and takes ``list``; the zone-level operation moves to ``list_for_zone``."""
    old = base()
    old["paths"]["/zones/{zone_id}/widgets"] = {
        "get": {
            "operationId": "zone-widgets-list",
            "parameters": [{"in": "path", "name": "zone_id", "required": True, "schema": {"type": "string"}}],
            "responses": _ok({"type": "array", "items": widget()}),
        }
    }
    new = copy.deepcopy(old)
    account_list = copy.deepcopy(old["paths"]["/zones/{zone_id}/widgets"]["get"])
    account_list["operationId"] = "account-widgets-list"
    account_list["parameters"] = [ACCOUNT]
    new["paths"]["/accounts/{account_id}/widgets"]["get"] = account_list
    assert summary(changes(old, new)) == [
        ("client.widgets.list", "operation", "", "renamed", True, "major"),
        ("client.widgets.list", "operation", "", "added", False, "minor"),
    ]
    assert changes(old, new)[0].detail == "now `client.widgets.list_for_zone`"
    # the same call path still calling the same endpoint stays itself, even when its operationId moved elsewhere
    renumbered = copy.deepcopy(new)
    renumbered["paths"]["/accounts/{account_id}/widgets"]["get"]["operationId"] = "zone-widgets-list"
    renumbered["paths"]["/zones/{zone_id}/widgets"]["get"]["operationId"] = "zone-widgets-list-2"
    assert changes(new, renumbered) == []
