"""Names depend on what a schema is and how it is used, never on component keys, order or unrelated schemas.

Cloudflare re-rolled every component-key prefix between two versions (about 3,500 schemas
renamed with identical content) and its spec flips between equivalent forms: a generated
name that followed keys, positions or counters would make every review diff huge.  The
churn over real versions is measured by ``benchmarks/bench_churn.py``; these tests pin the
rules on small documents (and one real spec behind the corpus fixture).
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientgen.diagnostics import Diagnostics, SpecError
from clientgen.ingest import load_source
from clientgen.layout import NAMES_FILE, REPORT_FILE
from clientgen.limits import MAX_NAME_CHARS
from clientgen.name_memory import NameMemory, Remembered, names_json, read_names
from clientgen.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
HASH_SUFFIX = re.compile(r"[0-9A-F]{8}$")  # what a name cut by characters, not words, would end with
KEYS = ("widget", "widget_create", "rule", "email_rule", "ip_rule", "typed_rule", "node", "deep")


def _ref(prefix: str, key: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{prefix}{key}"}


def _ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def _deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "object", "properties": {"innermost_setting_value": {"type": "string"}}}
    for level in range(levels):
        node = {"type": "object", "properties": {f"configuration_section_number_{level}": node}}
    return node


def mini_spec(prefix: str = "abc_") -> dict[str, Any]:
    """A small spec with the shapes that name badly: shared results, unions, recursion, deep nesting."""
    schemas: dict[str, Any] = {
        "widget": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
        },
        "widget_create": {"type": "object", "properties": {"name": {"type": "string"}}},
        "email_rule": {
            "type": "object",
            "properties": {"email": {"type": "object", "properties": {"email": {"type": "string"}}}},
        },
        "ip_rule": {
            "type": "object",
            "properties": {"ip": {"type": "object", "properties": {"ip": {"type": "string"}}}},
        },
        "typed_rule": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["geo"]},
                "country": {"type": "string"},
                "id": {"type": "string"},
            },
        },
        "rule": {"oneOf": [_ref(prefix, "email_rule"), _ref(prefix, "ip_rule"), _ref(prefix, "typed_rule")]},
        "node": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": _ref(prefix, "node")}},
        },
        "deep": _deep(4),
    }
    account = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}}
    widget_id = {"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "mini", "version": "1"},
        "paths": {
            "/accounts/{account_id}/widgets": {
                "post": {
                    "operationId": "widgets-create",
                    "parameters": [account],
                    "requestBody": {"content": {"application/json": {"schema": _ref(prefix, "widget_create")}}},
                    "responses": _ok(_ref(prefix, "widget")),
                },
            },
            "/accounts/{account_id}/widgets/{widget_id}": {
                "get": {
                    "operationId": "widgets-get",
                    "parameters": [account, widget_id],
                    "responses": _ok(_ref(prefix, "widget")),
                },
            },
            "/accounts/{account_id}/rules": {
                "get": {
                    "operationId": "rules-list",
                    "parameters": [account],
                    "responses": _ok({"type": "array", "items": _ref(prefix, "rule")}),
                },
            },
            "/accounts/{account_id}/trees": {
                "get": {"operationId": "trees-get", "parameters": [account], "responses": _ok(_ref(prefix, "node"))},
            },
            "/accounts/{account_id}/settings": {
                "get": {"operationId": "settings-get", "parameters": [account], "responses": _ok(_ref(prefix, "deep"))},
            },
        },
        "components": {"schemas": {f"{prefix}{key}": schema for key, schema in schemas.items()}},
    }


def normalized(spec: dict[str, Any]) -> dict[str, Any]:
    # names from content and use, as for Cloudflare (whose keys are noise): keys of a document named from its
    # keys are its names, by design (tests/test_naming_source.py)
    return normalize(spec, Diagnostics(), names_source="content")


def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, sort_keys=True, indent=1)


def components(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def test_renamed_component_keys_change_nothing() -> None:
    before = normalized(mini_spec("abc_"))
    after = normalized(mini_spec("Zq81x_"))
    assert text(after) == text(before)
    assert not any("abc" in name.lower() or "zq81x" in name.lower() for name in components(before))
    assert {"Widget", "Tree", "Setting"} <= set(components(before))  # named from the routes, not the keys


def test_order_of_paths_and_components_changes_nothing() -> None:
    spec = mini_spec()
    shuffled = copy.deepcopy(spec)
    shuffled["paths"] = dict(reversed(list(spec["paths"].items())))
    shuffled["components"]["schemas"] = dict(reversed(list(spec["components"]["schemas"].items())))
    assert text(normalized(shuffled)) == text(normalized(spec))


def test_an_unrelated_operation_moves_no_name() -> None:
    before = components(normalized(mini_spec()))
    spec = mini_spec()
    spec["paths"]["/accounts/{account_id}/gadgets"] = {
        "get": {
            "operationId": "gadgets-list",
            "responses": _ok({"type": "object", "properties": {"size": {"type": "integer"}, "rule": {"type": "object",
                              "properties": {"limit": {"type": "integer"}}}}}),
        }
    }  # fmt: skip
    spec["paths"]["/accounts/{account_id}/gadgets"]["get"]["parameters"] = [
        {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]
    after = components(normalized(spec))
    assert len(after) > len(before)
    assert {name: schema for name, schema in after.items() if name in before} == before


def test_an_error_body_that_is_no_envelope_is_named_as_an_error() -> None:
    spec = mini_spec()
    error = {"type": "object", "properties": {"code": {"type": "integer"}, "detail": {"type": "string"}}}
    for item in spec["paths"].values():
        for operation in item.values():
            operation["responses"]["4XX"] = {"description": "no", "content": {"application/json": {"schema": error}}}
    names = components(normalized(spec))
    assert [name for name, schema in names.items() if "code" in schema.get("properties", {})] == ["RuleError"]
    assert {"Widget", "Tree", "Setting"} <= set(names)  # used by five operations, it takes no result's name


def variant_names(doc: dict[str, Any]) -> set[str]:
    return {name for name in components(doc) if name.startswith("Rule")}


def test_union_variants_are_named_by_content_not_position() -> None:
    names = variant_names(normalized(mini_spec()))
    assert {"RuleEmail", "RuleIp", "RuleGeo"} <= names  # single property, single property, discriminator value
    spec = mini_spec()
    rule = spec["components"]["schemas"]["abc_rule"]
    rule["oneOf"].insert(0, {"type": "object", "properties": {"type": {"type": "string", "enum": ["asn"]}}})
    after = normalized(spec)
    assert variant_names(after) == names | {"RuleAsn"}
    before = components(normalized(mini_spec()))
    assert all(components(after)[name] == before[name] for name in names if name != "Rule")


def _get(result: dict[str, Any], operation_id: str) -> dict[str, Any]:
    return {"get": {"operationId": operation_id, "responses": _ok(result)}}


def _paths_spec(paths: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}


def test_variants_without_a_telling_field_are_named_by_their_descriptions_not_hashes() -> None:
    def variant(description: str) -> dict[str, Any]:
        return {"type": "object", "description": description, "properties": {"files": {"type": "string"}}}

    union = {"oneOf": [variant("Purge files"), variant("Purge files with URL and headers")]}
    names = set(components(normalized(_paths_spec({"/jobs": _get(union, "jobs-get")}))))
    # the first duplicate "files" label yields to its description; the second is then told apart by it
    assert names == {"JobPurgeFiles", "JobFiles"}, names
    long = "Purge the cached files of this zone by their {} in one call"
    three = {"oneOf": [variant(long.format("tag")), variant(long.format("host")), variant("Purge files")]}
    names = set(components(normalized(_paths_spec({"/jobs": _get(three, "jobs-get")}))))
    # a long description offers the words only it has
    assert names == {"JobTag", "JobHost", "JobFiles"}, names


def test_a_plural_get_action_names_its_items_after_what_it_lists() -> None:
    key = {"type": "object", "properties": {"name": {"type": "string"}, "expiration": {"type": "number"}}}
    namespace = {"type": "object", "properties": {"id": {"type": "string"}, "title": {"type": "string"}}}
    spec = _paths_spec({
        "/namespaces/{namespace_id}": _get(namespace, "namespace-get"),
        "/namespaces/{namespace_id}/keys": _get({"type": "array", "items": key}, "namespace-keys"),
    })  # fmt: skip
    names = components(normalized(spec))
    assert [name for name, schema in names.items() if "expiration" in schema.get("properties", {})] == ["Key"]
    assert [name for name, schema in names.items() if "title" in schema.get("properties", {})] == ["Namespace"]


def test_a_bare_id_shared_by_different_resources_takes_no_resource_name() -> None:
    bare = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    zone = {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}}
    held = {"type": "object", "properties": {"id": {"type": "string"}}}
    create = {"type": "object", "properties": {"name": {"type": "string"}, "account": held}}
    spec = _paths_spec({
        "/zones": _get({"type": "array", "items": zone}, "zones-list"),
        "/zones/{zone_id}": {"delete": _get(bare, "zone-delete")["get"]},
        "/filters/{filter_id}": {"delete": _get(bare, "filter-delete")["get"]},
        "/certificates/{certificate_id}": {"delete": _get(held, "certificate-delete")["get"]},
    })  # fmt: skip
    spec["paths"]["/zones"]["post"] = {
        "operationId": "zones-create",
        "requestBody": {"content": {"application/json": {"schema": create}}},
        "responses": _ok(zone),
    }
    names = components(normalized(spec))
    by_properties = {tuple(sorted(schema.get("properties", {}))): name for name, schema in names.items()}
    assert by_properties[("id", "name")] == "Zone"
    assert names["IdRef"]["required"] == ["id"]  # zone's and filter's delete result: neither a zone nor a filter
    assert "ZoneCreateParamsAccount" in names  # held by a property: named by it, not after a certificate


def test_long_names_keep_their_first_and_last_words() -> None:
    spec = mini_spec()
    spec["components"]["schemas"]["abc_deep"] = _deep(9)
    names = [name for name in components(normalized(spec)) if name.startswith("Setting")]
    assert len(names) == 10  # the result and its nine nested sections
    assert all(len(name) <= MAX_NAME_CHARS and not HASH_SUFFIX.search(name) for name in names)
    assert any(name.endswith("Number0") for name in names)  # the innermost section, by its own words


def _rekeyed(spec: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    """``spec`` with its component keys renamed by ``keys`` and every ``$ref`` following."""
    pattern = re.compile(r'"#/components/schemas/([^"]+)"')
    source = pattern.sub(lambda match: f'"#/components/schemas/{keys.get(match[1], match[1])}"', json.dumps(spec))
    result: dict[str, Any] = json.loads(source)
    result["components"]["schemas"] = {keys[key]: value for key, value in result["components"]["schemas"].items()}
    return result


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", min_size=1, max_size=12),
        min_size=len(KEYS),
        max_size=len(KEYS),
        unique=True,
    ),
    st.permutations(range(5)),
)
def test_any_renaming_of_keys_and_any_path_order_give_the_same_document(new_keys: list[str], order: list[int]) -> None:
    spec = mini_spec("")
    expected = text(normalized(spec))
    renamed = _rekeyed(spec, dict(zip(KEYS, new_keys, strict=True)))
    paths = list(renamed["paths"].items())
    renamed["paths"] = dict(paths[index] for index in order)
    assert text(normalized(renamed)) == expected


def test_generated_packages_are_byte_identical_under_renamed_keys(tmp_path: Path) -> None:
    trees = []
    for prefix in ("abc_", "Zq81x_"):
        spec = tmp_path / f"{prefix}.json"
        spec.write_text(json.dumps(mini_spec(prefix)), encoding="utf-8")
        out = tmp_path / f"out-{prefix}"
        subprocess.run(
            [sys.executable, "-m", "clientgen", "generate", "--spec", str(spec), "--out", str(out),
             "--config", str(REPO / "spec" / "config.toml")],
            check=True, capture_output=True, env={"PYTHONPATH": str(REPO / "scripts")}, cwd=tmp_path,
        )  # fmt: skip
        trees.append({str(path.relative_to(out)): path.read_bytes() for path in out.rglob("*") if path.is_file()})
    different = sorted(path for path in trees[0].keys() | trees[1].keys() if trees[0].get(path) != trees[1].get(path))
    assert different == [REPORT_FILE]  # which names the source's keys in its pointers, as it should
    reports = [json.loads(tree[REPORT_FILE]) for tree in trees]
    for report in reports:  # the one decision about a component: "recursive reference to <key> kept"
        report["diagnostics"] = [item for item in report["diagnostics"] if item["code"] != "recursive-ref"]
    assert reports[0] == reports[1]
    assert any(path.endswith("types/rules.py") for path in trees[0])


def test_a_rerolled_cloudflare_spec_normalizes_identically(corpus: Path) -> None:
    """Cloudflare's 2023-12-29 re-rolled every key prefix: the same again, on a real spec."""
    spec = load_source(corpus / "corpus" / "cloudflare" / "openapi-2023-08-31.json")
    keys = {key: f"x{index:05}_{key.split('_', 1)[-1]}" for index, key in enumerate(sorted(components(spec)))}
    assert text(normalized(_rekeyed(spec, keys))) == text(normalized(spec))


# --- memory: a content keeps the name and module it had in the previous generation -----------------------------


def _account() -> dict[str, Any]:
    return {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}}


def competing_spec() -> dict[str, Any]:
    """``mini_spec`` where a new widget content is returned by three operations, the old one by one only."""
    spec = mini_spec()
    other = {"type": "object", "properties": {"id": {"type": "string"}, "color": {"type": "string"}}}
    widget_id = {"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}}
    widgets = spec["paths"]["/accounts/{account_id}/widgets"]
    widgets["post"]["responses"] = _ok(other)
    widgets["get"] = {"operationId": "widgets-list", "parameters": [_account()], "responses": _ok(other)}
    spec["paths"]["/accounts/{account_id}/widgets/{widget_id}"]["put"] = {
        "operationId": "widgets-update",
        "parameters": [_account(), widget_id],
        "responses": _ok(other),
    }
    return spec


def remembered(spec: dict[str, Any]) -> NameMemory:
    """The memory a generation of ``spec`` leaves (modules play no part in naming)."""
    memory = NameMemory()
    normalize(spec, Diagnostics(), memory)
    return NameMemory(previous={key: Remembered(name, "widgets") for name, key in memory.keys.items()})


def named(doc: dict[str, Any], field: str) -> list[str]:
    return [name for name, schema in components(doc).items() if field in schema.get("properties", {})]


def test_a_kept_content_keeps_its_name_against_a_stronger_new_competitor() -> None:
    without = normalized(competing_spec())
    assert named(without, "owner") != ["Widget"]  # by the rule alone, the content more operations return wins
    assert named(without, "color") == ["Widget"]
    memory, diags = remembered(mini_spec()), Diagnostics()
    after = normalize(competing_spec(), diags, memory)
    assert named(after, "owner") == ["Widget"]
    assert named(after, "color") != ["Widget"]
    assert named(after, "color")[0].startswith("Widget")
    assert not [item for item in diags.sorted() if item.code == "names-kept"]  # a use still proposes Widget
    first = components(normalized(mini_spec()))
    assert {name: schema for name, schema in components(after).items() if name in first} == first


def test_new_contents_are_named_alike_in_any_order_after_a_memory() -> None:
    memory = remembered(mini_spec())
    spec = competing_spec()
    expected = text(normalize(spec, Diagnostics(), NameMemory(previous=dict(memory.previous))))
    shuffled = copy.deepcopy(spec)
    shuffled["paths"] = dict(reversed(list(spec["paths"].items())))
    shuffled["components"]["schemas"] = dict(reversed(list(spec["components"]["schemas"].items())))
    reversed_memory = NameMemory(previous=dict(reversed(list(memory.previous.items()))))
    assert text(normalize(shuffled, Diagnostics(), reversed_memory)) == expected


def test_an_unusable_or_taken_remembered_name_is_not_kept() -> None:
    memory = remembered(mini_spec())
    widget = next(key for key, entry in memory.previous.items() if entry.class_name == "Widget")
    tree = next(key for key, entry in memory.previous.items() if entry.class_name == "Tree")
    memory.previous[widget] = Remembered("BaseModel", "widgets")  # what model modules import
    memory.previous[tree] = Remembered("RuleEmail", "widgets")  # another kept content's name
    after = normalize(mini_spec(), Diagnostics(), memory)
    assert text(after) == text(normalized(mini_spec()))


def generate(spec: dict[str, Any], out: Path, tmp_path: Path, previous: Path | None = None) -> dict[str, bytes]:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(path), "--out", str(out),
               "--config", str(REPO / "spec" / "config.toml")]  # fmt: skip
    if previous is not None:
        command += ["--previous", str(previous)]
    subprocess.run(command, check=True, capture_output=True, env={"PYTHONPATH": str(REPO / "scripts")}, cwd=tmp_path)
    return {str(path.relative_to(out)): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def models_of(tree: dict[str, bytes]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(tree[NAMES_FILE])["models"]
    return loaded


def defining(tree: dict[str, bytes], module: str, class_name: str) -> str:
    """The module defining ``class_name``: ``types/<module>.py`` or one of its private modules (``_<module>/``)."""
    types = "src/cloudflare_client/types/"
    found = [
        text.decode()
        for path, text in sorted(tree.items())
        if (path == f"{types}{module}.py" or path.startswith(f"{types}_{module}/"))
        and f"\nclass {class_name}(".encode() in text
    ]
    assert len(found) == 1, f"{class_name} defined {len(found)} times in {module}"
    return found[0]


def test_names_json_lists_every_model_one_line_each(tmp_path: Path) -> None:
    tree = generate(mini_spec(), tmp_path / "out", tmp_path)
    models = models_of(tree)
    assert {entry["class"] for entry in models.values()} >= {"Widget", "Tree", "RuleGeo"}
    assert {entry["module"] for entry in models.values()} >= {"widgets", "trees", "rules"}
    lines = tree[NAMES_FILE].decode().splitlines()
    assert len(lines) == len(models) + 5  # braces, format, models: one line per model
    assert lines[3:-2] == sorted(lines[3:-2])


def test_a_generation_keeps_names_and_regenerating_after_itself_changes_no_byte(tmp_path: Path) -> None:
    first = tmp_path / "first"
    generate(mini_spec(), first, tmp_path)
    second = generate(competing_spec(), tmp_path / "second", tmp_path, previous=first)
    widgets = defining(second, "widgets", "Widget")
    assert re.search(r"class Widget\(BaseModel\):\n(?:.*\n){0,12}?\s+owner:", widgets)
    fresh = generate(competing_spec(), tmp_path / "fresh", tmp_path)
    assert models_of(fresh) != models_of(second)  # without the memory the contest goes the other way
    again = generate(competing_spec(), tmp_path / "second", tmp_path)  # in place: after its own generation
    assert again == second


def test_a_model_moving_to_shared_stays_importable_from_its_old_module(tmp_path: Path) -> None:
    first = tmp_path / "first"
    before = generate(mini_spec(), first, tmp_path)
    assert "class Tree(" in defining(before, "trees", "Tree")
    spec = mini_spec()
    spec["paths"]["/accounts/{account_id}/gadgets"] = {
        "get": {"operationId": "gadgets-get", "parameters": [_account()], "responses": _ok(_ref("abc_", "node"))}
    }
    out = tmp_path / "second"
    after = generate(spec, out, tmp_path, previous=first)
    assert "class Tree(" in defining(after, "shared", "Tree")
    assert "from .shared import Tree as Tree" in after["src/cloudflare_client/types/trees.py"].decode()
    check = (
        "from cloudflare_client.types.trees import Tree\n"
        "from cloudflare_client.types.shared import Tree as SharedTree\n"
        "assert Tree is SharedTree\n"
        "print(Tree.model_validate({'name': 'a', 'children': [{'name': 'b'}]}).children[0].name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(out / "src")}
    )
    assert result.stdout.strip() == "b"
    assert next(entry for entry in models_of(after).values() if entry["class"] == "Tree")["aliases"] == ["trees"]
    third = generate(spec, tmp_path / "third", tmp_path, previous=out)  # the re-export stays while the content does
    assert third["src/cloudflare_client/types/trees.py"] == after["src/cloudflare_client/types/trees.py"]
    fresh = generate(spec, tmp_path / "fresh", tmp_path)
    assert "src/cloudflare_client/types/trees.py" not in fresh  # only a memory makes the old module


def test_names_json_round_trips_and_refuses_what_clientgen_did_not_write(tmp_path: Path) -> None:
    models = {
        "a1": Remembered("ListItemModel3", "rules", component="ListItem"),  # the generator renamed a union's class
        "b2": Remembered("Tree", "shared", ("trees", "widgets"), component="Tree"),
    }
    (tmp_path / NAMES_FILE).parent.mkdir()
    (tmp_path / NAMES_FILE).write_text(names_json(models), encoding="utf-8")
    assert read_names(tmp_path) == models
    assert {entry.name for entry in read_names(tmp_path).values()} == {"ListItem", "Tree"}
    assert read_names(tmp_path / "absent") == {}
    for bad in ('{"format": 1, "models": {"a1": {"class": "os.system(1)", "module": "x"}}}', "{", "[]"):
        (tmp_path / NAMES_FILE).write_text(bad, encoding="utf-8")
        with pytest.raises(SpecError) as raised:
            read_names(tmp_path)
        assert NAMES_FILE in str(raised.value)
        assert "\n" not in str(raised.value)
    (tmp_path / NAMES_FILE).write_text('{"format": 0, "models": {}}', encoding="utf-8")
    assert read_names(tmp_path) == {}  # another format: names afresh


def test_the_same_document_after_its_own_names_reports_the_same_decisions() -> None:
    spec = mini_spec()
    operation = spec["paths"]["/accounts/{account_id}/trees"]["get"]
    for status, field in (("400", "a"), ("404", "b"), ("500", "c")):  # three error bodies, named by their statuses
        error = {"type": "object", "properties": {field: {"type": "string"}}}
        operation["responses"][status] = {"description": "no", "content": {"application/json": {"schema": error}}}
    # variants nothing tells apart (one property of one name, no description): one needs a content hash
    twins = {"oneOf": [{"type": "object", "properties": {"x": {"type": t}}} for t in ("string", "integer")]}
    operation["responses"]["409"] = {"description": "no", "content": {"application/json": {"schema": twins}}}
    first, again = Diagnostics(), Diagnostics()
    doc = normalize(spec, first, memory := NameMemory())
    previous = {key: Remembered(name, "trees") for name, key in memory.keys.items()}
    assert text(normalize(spec, again, NameMemory(previous=previous))) == text(doc)
    assert [item.as_dict() for item in again.sorted()] == [item.as_dict() for item in first.sorted()]
    assert any(re.search(r"Variant[0-9A-Fa-f]{6}$", name) for name in components(doc))  # a hashed name, kept alike


def test_a_moved_model_its_old_module_still_uses_is_imported_once(tmp_path: Path) -> None:
    first = tmp_path / "first"
    generate(mini_spec(), first, tmp_path)
    spec = mini_spec()  # the owner of a widget (same content as the create body) is now a gadget's part too
    gadget = {"type": "object", "properties": {"part": _ref("abc_", "widget_create"), "size": {"type": "integer"}}}
    spec["paths"]["/accounts/{account_id}/gadgets"] = {
        "get": {"operationId": "gadgets-get", "parameters": [_account()], "responses": _ok(gadget)}
    }
    after = generate(spec, tmp_path / "second", tmp_path, previous=first)
    widgets = after["src/cloudflare_client/types/widgets.py"].decode()
    assert "owner: WidgetCreateParams | None" in widgets  # used here, defined in shared
    assert re.findall(r"^from .*\bWidgetCreateParams\b.*$", widgets, re.MULTILINE) == [
        "from .shared import WidgetCreateParams as WidgetCreateParams"
    ]


def test_a_kept_name_no_use_proposes_any_more_is_kept_and_reported() -> None:
    spec = mini_spec()  # the widget content is now returned only by gizmos; the widget routes return another
    other = {"type": "object", "properties": {"id": {"type": "string"}, "color": {"type": "string"}}}
    for operation in spec["paths"]["/accounts/{account_id}/widgets/{widget_id}"].values():
        operation["responses"] = _ok(other)
    spec["paths"]["/accounts/{account_id}/widgets"]["post"]["responses"] = _ok(other)
    spec["paths"]["/accounts/{account_id}/gizmos"] = {
        "get": {"operationId": "gizmos-get", "parameters": [_account()], "responses": _ok(_ref("abc_", "widget"))}
    }
    assert named(normalized(spec), "owner") == ["Gizmo"]
    diags = Diagnostics()
    after = normalize(spec, diags, memory := remembered(mini_spec()))
    assert named(after, "owner") == ["Widget"]  # stability first: the name changes with the content
    assert named(after, "color") != ["Widget"]
    expected = "1 schema names kept from the previous generation that no use proposes now: Widget (now: Gizmo)"
    assert [item.message for item in diags.sorted() if item.code == "names-kept"] == [expected]
    again = Diagnostics()  # after its own generation: the same names, the same report
    previous = {key: Remembered(name, "widgets") for name, key in memory.keys.items()}
    assert text(normalize(spec, again, NameMemory(previous=previous))) == text(after)
    assert [item.as_dict() for item in again.sorted()] == [item.as_dict() for item in diags.sorted()]
