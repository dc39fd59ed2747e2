"""Small documents for what the general core must read (``tests/specs31/``): each generates, imports, type-checks.

OpenAPI 3.1 keywords, documents with no operations, recursion shapes (self, mutual, through
``anyOf``, through arrays, a 10-component ring), ``$ref``s into sub-schemas and to non-schema
components, path keys holding ``?`` or ``#``, odd schemas and unsendable parameters (reported,
never sinking the API), webhook payload models.  One generation per document (module fixture), one
``mypy --strict`` run over all the packages; a few calls against a real server on 127.0.0.1.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clientgen.diagnostics import Diagnostics
from clientgen.ingest.parsing import parse_file
from clientgen.layout import NAMES_FILE, REPORT_FILE, SURFACE_FILE
from clientgen.normalize import normalize
from live_server import LiveServer, Reply, json_reply

REPO = Path(__file__).resolve().parent.parent
SPECS = Path(__file__).resolve().parent / "specs31"
NAMES = sorted(path.stem for path in SPECS.glob("*.yaml"))
MODELS_ONLY = {"components_only", "empty_paths"}


def _import_name(spec: str) -> str:
    return f"specs31_{spec}"


def _config(folder: Path, spec: str) -> Path:
    path = folder / f"{spec}.toml"
    path.write_text(
        "[package]\n"
        f'distribution = "{_import_name(spec).replace("_", "-")}"\n'
        f'import_name = "{_import_name(spec)}"\n'
        'version = "0.1.0"\n'
        'base_url = "http://127.0.0.1:9"\n'
        'environment_prefix = "SPECS31"\n',
        encoding="utf-8",
    )
    return path


def _generate(spec: Path, config: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(spec), "--config", str(config)]
    return subprocess.run(
        [*command, "--out", str(out), *extra], capture_output=True, text=True, check=False, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("specs31")
    outs: dict[str, Path] = {}
    for spec in NAMES:
        out = root / spec
        result = _generate(SPECS / f"{spec}.yaml", _config(root, spec), out)
        assert result.returncode == 0, f"{spec}: {result.stdout}{result.stderr}"
        outs[spec] = out
    return outs


@pytest.fixture(scope="module")
def packages(generated: dict[str, Path]) -> Iterator[dict[str, Any]]:
    """Every generated package imported (every module of it), then unloaded."""
    paths = [str(out / "src") for out in generated.values()]
    sys.path[:0] = paths
    try:
        yield {spec: importlib.import_module(_import_name(spec)) for spec in generated}
    finally:
        del sys.path[: len(paths)]
        for name in [name for name in sys.modules if name.startswith("specs31_")]:
            del sys.modules[name]


def _report(out: Path) -> list[dict[str, Any]]:
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    return list(report["diagnostics"])


def _operations(out: Path) -> dict[str, str]:
    """operationId -> call path (``client.a.b``), from the generated ``api.json``."""
    surface = json.loads((out / SURFACE_FILE).read_text(encoding="utf-8"))
    return {entry["operationId"]: call for call, entry in surface["operations"].items()}


def _method(client: Any, call: str) -> Any:
    target = client
    for part in call.split(".")[1:]:
        target = getattr(target, part)
    return target


def test_every_module_imports(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    for spec, out in generated.items():
        root = out / "src" / _import_name(spec)
        for module in sorted(root.rglob("*.py")):
            relative = module.relative_to(out / "src").with_suffix("")
            name = ".".join(part for part in relative.parts if part != "__init__")
            importlib.import_module(name)
        assert packages[spec].__name__ == _import_name(spec)


def test_every_package_passes_mypy_strict(generated: dict[str, Path], tmp_path: Path, mypy_cache: Path) -> None:
    sources = [str(out / "src" / _import_name(spec)) for spec, out in generated.items()]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), *sources],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": os.pathsep.join(str(out / "src") for out in generated.values())},
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_models_only_documents_warn_and_keep_their_components(generated: dict[str, Path]) -> None:
    for spec in MODELS_ONLY:
        codes = {entry["code"] for entry in _report(generated[spec])}
        assert "no-operations" in codes, spec
    models = json.loads((generated["components_only"] / NAMES_FILE).read_text(encoding="utf-8"))["models"]
    assert len(models) == 2  # Pet and Owner, mutually recursive


def test_recursive_components_are_one_model_each(generated: dict[str, Path]) -> None:
    models = json.loads((generated["recursion"] / NAMES_FILE).read_text(encoding="utf-8"))["models"]
    # Node, Husband, Wife, Customer, Invoice, Line, Plain and the ten members of the ring
    assert len(models) == 17


def test_every_recursive_model_builds(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    del packages  # imported: the model modules are importable by name
    for spec in ("recursion", "components_only", "keywords31"):
        models = json.loads((generated[spec] / NAMES_FILE).read_text(encoding="utf-8"))["models"]
        for entry in models.values():
            module = importlib.import_module(f"{_import_name(spec)}.types.{entry['module']}")
            assert isinstance(getattr(module, entry["class"]).model_json_schema(), dict)


def _client(package: Any, server: LiveServer) -> Any:
    return package.Client(api_token="token", base_url=server.url)  # noqa: S106 - a test credential


def test_recursive_results_validate_at_depth(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    calls = _operations(generated["recursion"])
    nested: Any = {"name": "leaf"}
    for depth in range(6):
        nested = {"name": f"level{depth}", "children": [nested]}
    ring: Any = {"label": "end"}
    for index in range(12):
        ring = {"label": str(index), "next": ring}
    answers = {
        "getNode": nested,
        "getCustomer": {"id": "cus_1", "latest_invoice": {"id": "in_1", "customer": {"id": "cus_1"}}},
        "getRing": ring,
    }
    with LiveServer() as server, _client(packages["recursion"], server) as client:
        for operation_id, payload in answers.items():
            server.enqueue(json_reply(payload))
            result = _method(client, calls[operation_id])()
            assert result.model_dump(exclude_unset=True) == payload, operation_id


def test_three_one_keywords_round_trip(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    calls = _operations(generated["keywords31"])
    box = {"label": None, "kind": "box", "size": "L", "corner": [1.0, 2.0], "inner": {"depth": None}}
    with LiveServer() as server, _client(packages["keywords31"], server) as client:
        server.enqueue(json_reply(box))
        result = _method(client, calls["createBox"])(body=box)
        assert json.loads(server.requests[0].body) == box
        assert result.label is None
        assert result.kind == "box"


def test_sub_schema_and_component_refs_resolve(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    calls = _operations(generated["subrefs"])
    assert set(calls) == {"getTagName", "putTag"}
    with LiveServer() as server, _client(packages["subrefs"], server) as client:
        server.enqueue(json_reply({"name": "blue"}))
        assert _method(client, calls["getTagName"])(tag_id="t1").name == "blue"
        assert server.requests[0].url_path.endswith("/tags/t1")


def test_a_literal_query_in_a_path_is_always_sent(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    calls = _operations(generated["oddpaths"])
    assert set(calls) == {"createResponse", "getToken", "revokeAll"}
    with LiveServer() as server, _client(packages["oddpaths"], server) as client:
        server.enqueue(json_reply({"id": "r1"}), Reply(status=204))
        _method(client, calls["createResponse"])(limit=3)
        _method(client, calls["revokeAll"])()
        first, second = server.wait_for_requests(2)
    assert first.url_path.endswith("/responses")
    assert first.query == {"beta": ["true"], "limit": ["3"]}
    assert second.url_path.endswith("/oauth2/revoke")


def test_a_colliding_fragment_skips_one_operation_with_a_report(generated: dict[str, Path]) -> None:
    skipped = [entry for entry in _report(generated["oddpaths"]) if entry["code"] == "operation-skipped"]
    assert [entry["pointer"] for entry in skipped] == ["/paths/~1oauth2~1token#refresh/post"]
    assert skipped[0]["level"] == "warning"


@pytest.mark.parametrize("spec", ["oddpaths", "oddschemas"])
def test_strict_fails_on_a_skipped_operation_or_a_parameter_as_text(spec: str, tmp_path: Path) -> None:
    result = _generate(SPECS / f"{spec}.yaml", _config(tmp_path, spec), tmp_path / "out", "--strict")
    assert result.returncode != 0
    assert not (tmp_path / "out").exists()


def _entries(out: Path, *codes: str) -> dict[str, str]:
    """pointer -> code of the report entries with one of ``codes``."""
    return {entry["pointer"]: entry["code"] for entry in _report(out) if entry["code"] in codes}


def test_odd_schemas_generate_with_a_report_entry_each(generated: dict[str, Path]) -> None:
    body = "/paths/~1addresses/post/requestBody/content/application~1json/schema"
    unchecked = [
        (entry["pointer"], entry["message"].split("'")[1])
        for entry in _report(generated["oddschemas"])
        if entry["code"] == "schema-keyword-unchecked"
    ]
    assert sorted(unchecked) == [
        (body, "dependentSchemas"),
        (body, "else"),
        (body, "if"),
        (body, "then"),
        ("/paths/~1labels/get/responses/200/content/application~1json/schema", "patternProperties"),
        ("/paths/~1nots/get/responses/200/content/application~1json/schema/properties/anything_but_text", "not"),
    ]
    assert _entries(generated["oddschemas"], "pattern-dropped") == {
        f"{body}/properties/postal/pattern": "pattern-dropped"
    }


def test_unsendable_parameters_are_taken_as_text(generated: dict[str, Path]) -> None:
    out = generated["oddschemas"]
    assert _entries(out, "parameter-as-text", "operation-skipped", "parameter-dropped") == {
        "/paths/~1points~1{point}/get/parameters/1": "parameter-as-text",  # content: application/xml, optional
        "/paths/~1points~1{point}/get/parameters/2": "parameter-as-text",  # header array of objects, optional
        "/paths/~1preferences/get/parameters/0": "parameter-as-text",  # required cookie object, nested
        "/paths/~1searches/get/parameters/0": "parameter-as-text",  # required content: application/json
    }
    assert all(entry["level"] == "warning" for entry in _report(out) if entry["code"] == "parameter-as-text")
    operations = {"createAddress", "getBorrowed", "getLabels", "getNot", "getPoint", "getPreferences"}
    assert set(_operations(out)) == {*operations, "putPreferences", "search"}


def test_odd_schema_operations_work(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    calls = _operations(generated["oddschemas"])
    package = packages["oddschemas"]
    point = importlib.import_module(f"{package.__name__}.types.points").Point(x=1, y=2)
    address = {"country": "US", "postal": "([0-9", "region": "CA"}
    with LiveServer() as server, _client(package, server) as client:
        server.enqueue(Reply(status=204), json_reply({"id": "a1"}), json_reply({"code": "class", "x-extra": "kept"}))
        server.enqueue(Reply(status=204), Reply(status=204))
        # an object path parameter, matrix style, from its model; unsendable ones as the caller's text
        _method(client, calls["getPoint"])(point=point, filter="<a>b</a>", x_tags="a=1")
        created = _method(client, calls["createAddress"])(**address)
        labels = _method(client, calls["getLabels"])(code="None")
        _method(client, calls["search"])(query='{"text":"cat"}')
        _method(client, calls["getPreferences"])(prefs="theme.dark=true")
        point_call, create_call, labels_call, search_call, cookie_call = server.wait_for_requests(5)
    assert point_call.url_path.endswith("/points/;x=1;y=2")
    assert point_call.query == {"filter": ["<a>b</a>"]}
    assert point_call.headers["x-tags"] == "a=1"
    assert json.loads(create_call.body) == address  # the dropped pattern checks nothing; the lookahead one passes
    assert created.id == "a1"
    assert labels_call.query == {"code": ["None"]}
    assert labels.code == "class"
    assert search_call.query == {"query": ['{"text":"cat"}']}
    assert "prefs=theme.dark%3Dtrue" in cookie_call.headers["cookie"]


def test_the_model_with_a_dropped_pattern_validates(generated: dict[str, Path], packages: dict[str, Any]) -> None:
    del generated
    params = importlib.import_module(f"{packages['oddschemas'].__name__}.types.addresses").AddressCreateParams
    assert params(postal="([0-9", region="CA").postal == "([0-9"  # the model builds: no SchemaError
    with pytest.raises(ValueError, match="region"):
        params(region="ca")  # the lookahead pattern is still checked


def test_webhook_payloads_are_models_named_from_the_webhook(
    generated: dict[str, Path], packages: dict[str, Any]
) -> None:
    models = json.loads((generated["webhooks"] / NAMES_FILE).read_text(encoding="utf-8"))["models"]
    assert sorted(entry["class"] for entry in models.values()) == [
        "Adoption",  # referenced: the component keeps its own name
        "InventoryChangedPostWebhook",  # a $ref to components/requestBodies, resolved
        "InventoryChangedPutWebhook",  # a form payload: a second method, so the method is in the name
        "NewPetWebhook",
        "NewPetWebhookOwner",
        "Pet",
    ]
    types = importlib.import_module(f"{packages['webhooks'].__name__}.types")
    event = types.NewPetWebhook.model_validate(
        {"event": "pet.created", "pet": {"name": "Rex"}, "owner": {"email": None}}
    )
    assert isinstance(event.pet, types.Pet)
    assert event.owner.email is None
    with pytest.raises(ValueError, match="event"):
        types.NewPetWebhook.model_validate({"event": "pet.deleted", "pet": {"name": "Rex"}})


@pytest.mark.parametrize("source", ["content", "keys"])
def test_webhook_payload_names_in_either_naming_mode(source: str) -> None:
    document = normalize(parse_file(SPECS / "webhooks.yaml"), Diagnostics(), names_source=source)
    names = set(document["components"]["schemas"])
    assert {"NewPetWebhook", "InventoryChangedPostWebhook", "InventoryChangedPutWebhook"} <= names
    # a component only a webhook uses: from its key where keys name models, else from the webhook
    assert ("Adoption" if source == "keys" else "PetAdoptedWebhook") in names
    assert not any(key.startswith("x-clientgen") for key in document)
