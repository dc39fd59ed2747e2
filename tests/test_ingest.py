"""Tests for clientgen.ingest: records, documents, folders, and the Cloudflare corpus.

The corpus is not part of the repository: set ``CLOUDFLARE_CORPUS`` to the ``shared``
folder (default: ``../shared`` next to the repository) or the corpus tests are skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientgen.diagnostics import SpecError
from clientgen.ingest import load_source
from clientgen.ingest.records import parse_record
from clientgen.ingest.refs import iter_refs, resolve_fragment

REPO = Path(__file__).resolve().parents[1]
SCHEMES = {"api_email", "api_key", "api_token", "user_service_key"}


def _shared() -> Path | None:
    configured = os.environ.get("CLOUDFLARE_CORPUS")
    candidate = Path(configured) if configured else REPO.parent / "shared"
    return candidate if candidate.is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    found = _shared()
    if found is None:
        pytest.skip("set CLOUDFLARE_CORPUS=<path to shared/> to run")
    return found


@pytest.fixture(scope="session")
def cloudflare(shared: Path) -> Path:
    return shared / "corpus" / "cloudflare"


def dangling(document: dict[str, Any]) -> list[str]:
    out = []
    for _, holder in iter_refs(document):
        try:
            resolve_fragment(document, holder["$ref"].removeprefix("#"))
        except ValueError:
            out.append(holder["$ref"])
    return out


def one_line_error(error: pytest.ExceptionInfo[SpecError], file: Path, line: int | None) -> str:
    text = str(error.value)
    assert "\n" not in text
    where = f"{file}:{line}" if line is not None else str(file)
    assert text.startswith((where + ":", where + "#")), text
    return text


# --- records -------------------------------------------------------------------------

RESPONSES = {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
PARAMETERS = [{"in": "path", "name": "zone_id", "required": True, "schema": {"type": "string"}}]


def record_text(
    description: str = "List things.",
    *,
    path: str = "/zones/{zone_id}/things",
    method: str = "get",
    tag: str = "Things",
    operation_id: str = "things-list",
    values: list[Any] | None = None,
) -> str:
    if values is None:
        values = [None, None, PARAMETERS, None, RESPONSES, [{"api_token": []}]]
    body = " ".join(json.dumps(value, indent=0) for value in values)
    return f"{description}\n{path}\n{method}\n{tag}\n{operation_id}\n{body}"


def write(folder: Path, name: str, text: str) -> Path:
    file = folder / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return file


def operation(document: dict[str, Any]) -> dict[str, Any]:
    (item,) = document["paths"].values()
    (op,) = item.values()
    assert isinstance(op, dict)
    return op


def test_seed_record(shared: Path) -> None:
    document = load_source(shared / "seeds" / "000_27af25ed7d751ae7.txt")
    path = "/accounts/{account_identifier}/pages/projects/{project_name}/deployments/{deployment_identifier}/rollback"
    assert list(document["paths"]) == [path]
    assert list(document["paths"][path]) == ["post"]
    op = document["paths"][path]["post"]
    assert op["operationId"] == "pages-deployment-rollback-deployment"
    assert op["tags"] == ["Pages Deployment"]
    assert op["description"].startswith("Rollback the production deployment")
    assert len(op["parameters"]) == 3
    assert op["requestBody"] == {"content": {"application/json": {}}, "required": True}
    assert set(op["responses"]) == {"200", "4XX"}
    assert op["security"] == [{"api_email": [], "api_key": []}]
    assert set(document["components"]["securitySchemes"]) == SCHEMES
    assert document["components"]["securitySchemes"]["api_token"] == {"scheme": "bearer", "type": "http"}
    assert document["openapi"] == "3.0.3"
    assert document["servers"][0]["url"] == "https://api.cloudflare.com/client/v4"


def test_empty_description(tmp_path: Path) -> None:
    document = load_source(write(tmp_path, "r.txt", record_text("")))
    op = operation(document)
    assert "description" not in op
    assert op["operationId"] == "things-list"
    assert op["security"] == [{"api_token": []}]
    assert set(document["components"]["securitySchemes"]) == SCHEMES


def test_multiline_description_with_decoy_header(tmp_path: Path) -> None:
    description = "First line.\n/accounts/{id}/decoy\npost\nDecoy Tag\ndecoy-id\nLast line."
    op = operation(load_source(write(tmp_path, "r.txt", record_text(description))))
    assert op["description"] == description
    assert op["operationId"] == "things-list"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n"), max_size=30),
        min_size=1,
        max_size=6,
    )
)
def test_any_description_round_trips(lines: list[str]) -> None:
    description = "\n".join(lines)
    record = parse_record(Path("mem.txt"), record_text(description))
    assert record.operation.get("description", "") == description
    assert record.path == "/zones/{zone_id}/things"
    assert record.method == "get"


def test_extension_values(tmp_path: Path) -> None:
    permissions = {"enum": ["#zone:read"]}
    plans = {"business": True, "enterprise": True, "free": False, "pro": True}
    values = [permissions, plans, None, None, RESPONSES, None]
    op = operation(load_source(write(tmp_path, "a.txt", record_text(path="/things", values=values))))
    assert op["x-cfPermissionsRequired"] == permissions
    assert op["x-cfPlanAvailability"] == plans
    assert "enum" not in op
    assert "parameters" not in op
    assert "security" not in op
    merged = [{"x-cfPermissionsRequired": permissions}, {"deprecated": True, "x-cfDeprecation": {"eol": "2024"}}]
    op = operation(
        load_source(
            write(tmp_path, "b.txt", record_text(path="/things", values=[*merged, None, None, RESPONSES, None]))
        )
    )
    assert op["deprecated"] is True
    assert op["x-cfDeprecation"] == {"eol": "2024"}
    assert op["x-cfPermissionsRequired"] == permissions


def _values_line(text: str, index: int) -> int:
    """1-based line on which JSON value ``index`` (0..5) starts, for a one-line description."""
    decoder, lines = json.JSONDecoder(), text.split("\n")
    start = sum(len(line) + 1 for line in lines[:5])
    position = start
    for _ in range(index):
        while text[position].isspace():
            position += 1
        position = decoder.raw_decode(text, position)[1]
    while text[position].isspace():
        position += 1
    return text.count("\n", 0, position) + 1


def test_truncated_json(tmp_path: Path) -> None:
    lines = record_text().split("\n")
    text = "\n".join(lines[: len(lines) - 4])
    file = write(tmp_path, "cut.txt", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "invalid JSON" in one_line_error(error, file, text.count("\n") + 1)


def test_a_one_line_document_cut_short_names_the_column(tmp_path: Path) -> None:
    """Cloudflare publishes its spec as one line of megabytes: the line number alone locates nothing."""
    text = json.dumps({"openapi": "3.0.3", "info": {"title": "x" * 50}})[:-20]
    file = write(tmp_path, "cut.json", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    column = text.index('"xx') + 1  # where the cut string starts, counted from 1
    assert f"invalid JSON at column {column}: Unterminated string" in one_line_error(error, file, 1)


def test_only_five_values(tmp_path: Path) -> None:
    values = [None, None, PARAMETERS, None, RESPONSES]
    text = "\n".join(["d", "/x", "get", "T", "x-id", " ".join(json.dumps(value, indent=0) for value in values)])
    file = write(tmp_path, "five.txt", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "found 5" in one_line_error(error, file, text.count("\n") + 1)


@pytest.mark.parametrize(
    ("kwargs", "line", "needle"),
    [
        ({"method": "fetch"}, 3, "unknown HTTP method 'fetch'"),
        ({"method": "GET"}, 3, "unknown HTTP method 'GET'"),
        ({"path": "zones/things"}, 2, "expected a path"),
        ({"operation_id": "two words"}, 5, "invalid operationId"),
    ],
)
def test_bad_header(tmp_path: Path, kwargs: dict[str, Any], line: int, needle: str) -> None:
    file = write(tmp_path, "bad.txt", record_text("Something.", **kwargs))
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert needle in one_line_error(error, file, line)


def test_bad_method_after_decoy_description(tmp_path: Path) -> None:
    text = record_text("a\n/decoy/path\npost", method="fetch")
    file = write(tmp_path, "decoy.txt", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "unknown HTTP method 'fetch'" in one_line_error(error, file, 5)


@pytest.mark.parametrize(
    ("values", "index", "needle", "pointer"),
    [
        (
            [None, None, PARAMETERS, None, RESPONSES, [{"bogus": []}]],
            5,
            "unknown security scheme 'bogus'",
            "/security/0/bogus",
        ),
        ([None, None, {"name": "x"}, None, RESPONSES, None], 2, "parameters must be an array", "/parameters"),
        ([None, None, [{"name": "x", "in": "body"}], None, RESPONSES, None], 2, "parameter 'in'", "/parameters/0/in"),
        ([None, None, None, ["x"], RESPONSES, None], 3, "requestBody must be", "/requestBody"),
        ([None, None, None, None, [], None], 4, "responses must be", "/responses"),
        ([None, None, None, None, {"200": {}}, [{"api_token": "no"}]], 5, "scopes of 'api_token'", "/security/0"),
    ],
)
def test_bad_values(tmp_path: Path, values: list[Any], index: int, needle: str, pointer: str) -> None:
    text = record_text(values=values)
    file = write(tmp_path, "bad.txt", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    message = one_line_error(error, file, _values_line(text, index))
    assert needle in message
    assert f"#/paths/~1zones~1{{zone_id}}~1things/get{pointer}:" in message


def test_objects_with_other_keys_are_positional_values(tmp_path: Path) -> None:
    values = [{"operationId": "x"}, {"x-a": 1, "responses": 2}, None, None, RESPONSES, None]
    op = operation(load_source(write(tmp_path, "p.txt", record_text(path="/things", values=values))))
    assert op["operationId"] == "things-list"
    assert op["x-cfPermissionsRequired"] == {"operationId": "x"}
    assert op["x-cfPlanAvailability"] == {"x-a": 1, "responses": 2}


def test_extension_clash(tmp_path: Path) -> None:
    text = record_text(values=[{"x-a": 1, "deprecated": True}, {"deprecated": False}, None, None, RESPONSES, None])
    file = write(tmp_path, "clash.txt", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "'deprecated' given twice" in one_line_error(error, file, _values_line(text, 1))


@pytest.mark.parametrize("content", ["", "hello", "a\nb\nc\nd\ne\nf", "/x\nget\nT\nid\n{} {} {} {} {} {} {}"])
def test_not_a_record(tmp_path: Path, content: str) -> None:
    file = write(tmp_path, "junk.txt", content)
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "\n" not in str(error.value)
    assert str(error.value).startswith(f"{file}:")


def test_duplicate_key_in_record(tmp_path: Path) -> None:
    text = record_text().replace('"name": "zone_id",', '"name": "zone_id",\n"name": "again",')
    file = write(tmp_path, "dup.txt", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    message = one_line_error(error, file, _values_line(text, 2))
    assert message.endswith("~1things/get/parameters/0/name: duplicate key in a JSON object")


def test_not_utf8(tmp_path: Path) -> None:
    file = tmp_path / "bin.txt"
    file.write_bytes(b"ok\n\xff\xfe")
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "not UTF-8" in one_line_error(error, file, 2)


def test_duplicates_name_the_second_file(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", record_text(operation_id="one"))
    write(tmp_path, "b.txt", record_text(operation_id="two"))
    with pytest.raises(SpecError) as error:
        load_source(tmp_path)
    assert "already defined by a.txt" in one_line_error(error, tmp_path / "b.txt", 2)
    (tmp_path / "b.txt").write_text(record_text(operation_id="one", method="post"), encoding="utf-8")
    with pytest.raises(SpecError) as error:
        load_source(tmp_path)
    assert "already used by a.txt" in one_line_error(error, tmp_path / "b.txt", 5)


def test_folder_of_records_is_sorted_and_deterministic(tmp_path: Path) -> None:
    for index, (path, method) in enumerate([("/b", "put"), ("/a", "post"), ("/b", "get"), ("/a", "delete")]):
        values = [None, None, None, None, RESPONSES, [{"api_token": []}]]
        write(
            tmp_path,
            f"{9 - index}.txt",
            record_text(path=path, method=method, operation_id=f"op-{index}", values=values),
        )
    write(tmp_path, ".hidden.txt", "junk")
    write(tmp_path, "config.toml", "junk = [")
    document = load_source(tmp_path)
    assert [(path, list(item)) for path, item in document["paths"].items()] == [
        ("/a", ["delete", "post"]),
        ("/b", ["get", "put"]),
    ]
    script = (
        "import json, sys; from pathlib import Path; from clientgen.ingest import load_source; "
        "print(json.dumps(load_source(Path(sys.argv[1]))))"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO / "scripts")}
        result = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def _trace_record(properties_key: str, ref: str) -> list[Any]:
    step = {"type": "object", "properties": {"name": {"type": "string"}, "trace": {"$ref": ref}}}
    result = {"type": "object", "properties": {properties_key: {"type": "array", "items": step}}}
    schema = {"type": "object", "properties": {"result": result}}
    responses = {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    return [None, None, None, None, responses, None]


def test_recursive_ref_by_property_name(tmp_path: Path) -> None:
    document = load_source(
        write(
            tmp_path,
            "t.txt",
            record_text(path="/things", values=_trace_record("trace", "#/components/schemas/abc12345_trace")),
        )
    )
    component = document["components"]["schemas"]["abc12345_trace"]
    assert component["type"] == "array"
    assert component["items"]["properties"]["trace"] == {"$ref": "#/components/schemas/abc12345_trace"}
    schema = operation(document)["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["properties"]["result"]["properties"]["trace"] == {"$ref": "#/components/schemas/abc12345_trace"}
    assert dangling(document) == []


def test_recursive_ref_fallback_and_refusal(tmp_path: Path) -> None:
    document = load_source(
        write(
            tmp_path, "f.txt", record_text(path="/things", values=_trace_record("steps", "#/components/schemas/Step"))
        )
    )
    assert set(document["components"]["schemas"]["Step"]["properties"]) == {"name", "trace"}
    assert dangling(document) == []
    file = write(
        tmp_path, "g.txt", record_text(path="/things", values=_trace_record("steps", "#/components/responses/Step"))
    )
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "unsupported $ref" in one_line_error(error, file, _values_line(file.read_text(), 4))


# --- the corpus ----------------------------------------------------------------------


def test_every_corpus_record_loads(cloudflare: Path) -> None:
    files = sorted((cloudflare / "records-2023-08").glob("*.txt"))
    assert len(files) == 1285
    for file in files:
        document = load_source(file)
        assert sum(len(item) for item in document["paths"].values()) == 1, file
        assert dangling(document) == [], file


def test_corpus_records_folder(cloudflare: Path) -> None:
    document = load_source(cloudflare / "records-2023-08")
    operations = [op for item in document["paths"].values() for op in item.values()]
    assert len(operations) == 1285
    assert dangling(document) == []
    original = json.loads((cloudflare / "openapi-2023-08-31.json").read_text(encoding="utf-8"))
    assert document["components"]["schemas"] == {"G3s9LKM9_trace": original["components"]["schemas"]["G3s9LKM9_trace"]}
    assert document["components"]["securitySchemes"] == original["components"]["securitySchemes"]
    original_ids = {
        op["operationId"] for item in original["paths"].values() for key, op in item.items() if key != "parameters"
    }
    assert {op["operationId"] for op in operations} == original_ids
    assert sum("x-cfPermissionsRequired" in op for op in operations) == 597


@pytest.mark.parametrize("name", ["openapi-2023-08-31.json", "openapi-2023-12-29.json", "openapi-2024-08-06.json"])
def test_corpus_documents(cloudflare: Path, name: str) -> None:
    document = load_source(cloudflare / name)
    assert document["openapi"].startswith("3.0")
    assert set(document["components"]["securitySchemes"]) == SCHEMES
    assert dangling(document) == []


# --- documents -----------------------------------------------------------------------

YAML_30 = """\
openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      operationId: things-list
      security: [{api_token: []}]
      responses:
        200:
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      properties:
        created: {type: string, example: 2023-08-31}
        default: {type: string}
      example: {"$ref": "#/not/a/reference/just/data"}
"""


def test_yaml_30_document(tmp_path: Path) -> None:
    document = load_source(write(tmp_path, "api.yaml", YAML_30))
    op = document["paths"]["/things"]["get"]
    assert list(op["responses"]) == ["200"]
    assert document["components"]["schemas"]["Thing"]["properties"]["created"]["example"] == "2023-08-31"
    assert document["components"]["securitySchemes"] == {"api_token": {"scheme": "bearer", "type": "http"}}
    json.dumps(document)


def test_json_31_document_keeps_own_schemes(tmp_path: Path) -> None:
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {"get": {"security": [{"api_key": [], "mine": []}], "responses": {"204": {"description": "none"}}}}
        },
        "components": {
            "securitySchemes": {
                "mine": {"type": "http", "scheme": "basic"},
                "api_key": {"type": "http", "scheme": "bearer"},
            }
        },
    }
    document = load_source(write(tmp_path, "api.json", json.dumps(spec)))
    assert document["components"]["securitySchemes"] == spec["components"]["securitySchemes"]
    spec["paths"]["/a"]["get"]["security"] = [{"nobody": []}]
    file = write(tmp_path, "api.json", json.dumps(spec))
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "unknown security scheme 'nobody'" in one_line_error(error, file, None)
    assert "#/paths/~1a/get/security/0/nobody:" in str(error.value)


def _timed_refusal(file: Path, needle: str) -> None:
    started = time.perf_counter()
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert time.perf_counter() - started < 2
    assert needle in str(error.value)
    assert "\n" not in str(error.value)
    assert str(error.value).startswith(f"{file}:")


def test_yaml_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = [
        "openapi: 3.0.3",
        "info: {title: t, version: '1'}",
        "paths: {}",
        "x-l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    lines += [f"x-l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]" for level in range(1, 10)]
    _timed_refusal(write(tmp_path, "bomb.yaml", "\n".join(lines)), "too many YAML aliases")


def test_yaml_many_aliases_and_recursive_alias_are_refused(tmp_path: Path) -> None:
    many = (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a v\nx-b: ["
        + ", ".join(["*a"] * 10_001)
        + "]\n"
    )
    _timed_refusal(write(tmp_path, "many.yaml", many), "too many YAML aliases")
    recursive = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a [1, *a]\n"
    _timed_refusal(write(tmp_path, "rec.yaml", recursive), "recursive alias")


def test_few_aliases_are_fine(tmp_path: Path) -> None:
    text = YAML_30 + "    Other: &other {type: string}\n    Again: *other\n"
    document = load_source(write(tmp_path, "api.yaml", text))
    schemas = document["components"]["schemas"]
    assert schemas["Again"] == schemas["Other"]
    assert schemas["Again"] is not schemas["Other"]


@pytest.mark.parametrize(
    ("name", "text", "line", "needle"),
    [
        ("bad.json", '{"openapi": "3.0.3",\n"paths": {,}}', 2, "invalid JSON"),
        ("bad.yaml", "openapi: 3.0.3\npaths:\n  /a: [\n", 4, "invalid YAML"),
        ("nan.json", '{"openapi": "3.0.3", "paths": {}, "x": NaN}', None, "NaN"),
        ("bin.yaml", "openapi: 3.0.3\npaths: {}\nx-b: !!binary aGVsbG8=\n", None, "bytes"),
    ],
)
def test_unparsable_documents(tmp_path: Path, name: str, text: str, line: int | None, needle: str) -> None:
    file = write(tmp_path, name, text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert needle in one_line_error(error, file, line)


def test_duplicate_keys_in_documents(tmp_path: Path) -> None:
    paths = '{"/a": {"get": {"responses": {}}}, "/a": {}}'
    file = write(tmp_path, "dup.json", '{"openapi": "3.0.3", "paths": ' + paths + "}")
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert str(error.value) == f"{file}#/paths/~1a: duplicate key in a JSON object"
    file = write(tmp_path, "dup.yaml", "openapi: 3.0.3\npaths:\n  /a: {}\n  /b: {}\n  /a: {}\n")
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert "duplicate key '/a'" in one_line_error(error, file, 5)
    merged = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
    merged += "x-base: &base {a: 1, b: 2}\nx-over: {<<: *base, b: 3}\n"
    assert load_source(write(tmp_path, "merge.yaml", merged))["x-over"] == {"a": 1, "b": 3}


@pytest.mark.parametrize(
    ("text", "pointer"),
    [
        ('{"swagger": "2.0", "paths": {}}', "/swagger"),
        ('{"openapi": "2.0", "paths": {}}', "/openapi"),
        ("[1, 2]", "/openapi"),
    ],
)
def test_not_openapi(tmp_path: Path, text: str, pointer: str) -> None:
    file = write(tmp_path, "x.json", text)
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert str(error.value).startswith(f"{file}#{pointer}: ")


def _doc_with_ref(ref: str) -> str:
    schema = {"$ref": ref}
    responses = {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}
    return json.dumps(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": {"responses": responses}}},
        }
    )


REF_POINTER = "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref"


def test_dangling_ref_is_refused(tmp_path: Path) -> None:
    file = write(tmp_path, "api.json", _doc_with_ref("#/components/schemas/Missing"))
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert str(error.value).startswith(f"{file}{REF_POINTER}: dangling $ref")


@pytest.mark.parametrize(
    "ref",
    [
        "http://example.com/s.yaml#/X",
        "https://example.com/s.json",
        "file:///etc/passwd",
        "/etc/passwd",
        "../outside.yaml#/X",
        "sub/../../outside.yaml",
    ],
)
def test_external_refs_are_refused(tmp_path: Path, ref: str) -> None:
    write(tmp_path, "outside.yaml", "X: {type: string}\n")
    file = write(tmp_path, "spec/api.json", _doc_with_ref(ref))
    (tmp_path / "spec" / "sub").mkdir()
    with pytest.raises(SpecError) as error:
        load_source(file)
    assert str(error.value).startswith(f"{file}{REF_POINTER}: refusing external $ref")


def test_relative_refs_are_bundled(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    write(
        spec,
        "common.yaml",
        "components:\n  schemas:\n    Thing: {type: object, properties: {pet: {$ref: 'schemas/pet.json'}}}\n",
    )
    pet = {
        "type": "object",
        "properties": {
            "tag": {"$ref": "#/definitions/Tag"},
            "owner": {"$ref": "../common.yaml#/components/schemas/Thing"},
        },
        "definitions": {"Tag": {"type": "string"}},
    }
    write(spec, "schemas/pet.json", json.dumps(pet))
    write(spec, "params.yaml", "Limit: {name: limit, in: query, schema: {type: integer}}\n")
    write(
        spec,
        "paths/others.yaml",
        "get:\n  responses:\n    '200':\n      description: OK\n"
        "      content: {application/json: {schema: {$ref: '../schemas/pet.json'}}}\n",
    )
    main = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "parameters": [{"$ref": "params.yaml#/Limit"}],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                "application/json": {"schema": {"$ref": "./common.yaml#/components/schemas/Thing"}}
                            },
                        }
                    },
                }
            },
            "/others": {"$ref": "paths/others.yaml"},
        },
        "components": {"schemas": {"Thing": {"type": "string"}}},
    }
    document = load_source(write(spec, "api.json", json.dumps(main)))
    schemas = document["components"]["schemas"]
    assert set(schemas) == {"Thing", "Thing_2", "pet", "Tag"}
    assert schemas["Thing"] == {"type": "string"}
    assert schemas["Thing_2"]["properties"]["pet"] == {"$ref": "#/components/schemas/pet"}
    assert schemas["pet"]["properties"] == {
        "tag": {"$ref": "#/components/schemas/Tag"},
        "owner": {"$ref": "#/components/schemas/Thing_2"},
    }
    assert document["components"]["parameters"] == {
        "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    }
    things = document["paths"]["/things"]["get"]
    assert things["parameters"] == [{"$ref": "#/components/parameters/Limit"}]
    others = document["paths"]["/others"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert others == {"$ref": "#/components/schemas/pet"}
    assert dangling(document) == []
    assert all(holder["$ref"].startswith("#") for _, holder in iter_refs(document))


def test_bundled_file_errors_name_that_file(tmp_path: Path) -> None:
    write(tmp_path, "common.yaml", "components:\n  schemas:\n    A: {$ref: '#/components/schemas/Nope'}\n")
    write(tmp_path, "api.json", _doc_with_ref("common.yaml#/components/schemas/A"))
    with pytest.raises(SpecError) as error:
        load_source(tmp_path / "api.json")
    assert str(error.value).startswith(f"{tmp_path / 'common.yaml'}#/components/schemas/A/$ref: dangling $ref")


# --- folders and dispatch ------------------------------------------------------------


def test_folder_with_one_document(tmp_path: Path) -> None:
    write(tmp_path, "api.yaml", YAML_30)
    write(tmp_path, "config.toml", "[x]\n")
    write(tmp_path, ".other.json", "{}")
    write(tmp_path, "README.md", "# hi\n")
    assert "/things" in load_source(tmp_path)["paths"]


@pytest.mark.parametrize(
    ("files", "needle"),
    [
        ({"a.txt": record_text(), "api.yaml": YAML_30}, "both records"),
        ({"a.yaml": YAML_30, "b.json": "{}"}, "several OpenAPI documents"),
        ({"notes.md": "x"}, "holds no records"),
    ],
)
def test_bad_folders(tmp_path: Path, files: dict[str, str], needle: str) -> None:
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(SpecError) as error:
        load_source(tmp_path)
    assert needle in one_line_error(error, tmp_path, None)


def test_bad_paths(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        load_source(tmp_path / "missing.yaml")
    with pytest.raises(SpecError, match="unsupported source"):
        load_source(write(tmp_path, "api.xml", "<x/>"))
