"""Nothing is imported until touched: resources load no model module, an operation's first call loads its own.

A small API with two top-level resources (``widgets``, ``gadgets``) is generated into a temporary package
(``lazy_client``).  Each check runs in a fresh interpreter, so ``sys.modules`` shows exactly what was loaded: after
``import`` + ``Client(...)`` + touching every resource and response view, no ``lazy_client.types`` module and not
pydantic; after one call, the models of that call's resource and nothing of the other, with validators built
only for the models it validated.  Every way a parse function
is reached is covered: a model result, a page's items, a list result (a lazily built ``TypeAdapter``), raw and
streamed responses, the async client.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clientgen.project import write_tree

OBJECT_LIST = {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "integer"}}}}
WIDGET = {"type": "object", "properties": {"id": {"type": "string"}, "size": {"type": "integer"}}}
PART = {"type": "object", "properties": {"serial": {"type": "string"}}}
GADGET = {"type": "object", "properties": {"id": {"type": "string"}}}
WIDGETS = {"type": "array", "items": WIDGET}
PAGE_INFO = {"type": "object", "properties": {"page": {"type": "number"}, "total_pages": {"type": "number"}}}


def _envelope(result: dict[str, Any], *, paged: bool = False) -> dict[str, Any]:
    properties = {
        "success": {"type": "boolean", "enum": [True]},
        "errors": OBJECT_LIST,
        "messages": OBJECT_LIST,
        "result": result,
        **({"result_info": PAGE_INFO} if paged else {}),
    }
    return {"type": "object", "required": ["success", "errors", "messages", "result"], "properties": properties}


def _get(operation_id: str, schema: dict[str, Any], path: list[str], query: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": [
            *({"in": "path", "name": name, "required": True, "schema": {"type": "string"}} for name in path),
            *({"in": "query", "name": name, "schema": {"type": "number"}} for name in query),
        ],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
    }


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Lazy API", "version": "1"},
    "paths": {
        "/accounts/{account_id}/widgets": {
            "get": _get("widgets-list", _envelope(WIDGETS, paged=True), ["account_id"], ("page",))
        },
        "/accounts/{account_id}/widgets/{widget_id}": {
            "get": _get("widgets-get", _envelope(WIDGET), ["account_id", "widget_id"])
        },
        "/accounts/{account_id}/widgets/{widget_id}/parts": {
            "get": _get("widgets-parts", _envelope({"type": "array", "items": PART}), ["account_id", "widget_id"])
        },
        "/accounts/{account_id}/gadgets/{gadget_id}": {
            "get": _get("gadgets-get", _envelope(GADGET), ["account_id", "gadget_id"])
        },
    },
}

# Runs in a fresh interpreter: argv[1] is the package's src folder, argv[2] the statement that sets ``value``.
DRIVER = """
import asyncio, json, sys
import httpx
sys.path.insert(0, sys.argv[1])
import lazy_client

def answer(request):
    path = request.url.path
    info = {}
    if path.endswith("/parts"):
        result = [{"serial": "s1"}]
    elif path.endswith("/widgets"):
        result, info = [{"id": "w1", "size": 3}], {"result_info": {"page": 1, "total_pages": 1}}
    else:
        result = {"id": "x1", "size": 3}
    return httpx.Response(200, json={"success": True, "errors": [], "messages": [], "result": result, **info})

def loaded():
    return sorted(name for name in sys.modules if name.startswith(("lazy_client.types", "pydantic")))

transport = httpx.MockTransport(answer)
client = lazy_client.Client(api_token="t", http_client=httpx.Client(transport=transport))
async_client = lazy_client.AsyncClient(api_token="t", http_client=httpx.AsyncClient(transport=transport))
for root in (client, async_client):
    for view in (root, root.with_raw_response, root.with_streaming_response):
        view.widgets, view.gadgets
    root.widgets.with_raw_response, root.widgets.with_streaming_response
before = loaded()
exec(sys.argv[2])
models = vars(sys.modules.get("lazy_client.types.widgets", sys))
built = sorted(name for name, model in models.items() if getattr(model, "__pydantic_complete__", False))
value_type = f"{type(value).__module__}.{type(value).__name__}"
print(json.dumps({"before": before, "after": loaded(), "value": value_type, "built": built}))
"""

CALLS = {
    "model result": "value = client.widgets.get(account_id='a', widget_id='w')",
    "page item": "value = list(client.widgets.list(account_id='a'))[0]",
    "list result": "value = client.widgets.parts(account_id='a', widget_id='w')[0]",
    "raw response": "value = client.widgets.with_raw_response.get(account_id='a', widget_id='w').parse()",
    "raw view": "value = client.with_raw_response.widgets.list(account_id='a').parse().items[0]",
    "streamed response": (
        "with client.widgets.with_streaming_response.get(account_id='a', widget_id='w') as response:\n"
        "    value = response.parse()"
    ),
    "async model result": "value = asyncio.run(async_client.widgets.get(account_id='a', widget_id='w'))",
    "async list result": "value = asyncio.run(async_client.widgets.parts(account_id='a', widget_id='w'))[0]",
}
EXPECTED_TYPE = {"list result": "Part", "async list result": "Part"}  # items named after what the route lists


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lazy")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text('[package]\nimport_name = "lazy_client"\ndistribution = "lazy"\n')
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    return root / "out" / "src"


def _run(src: Path, statement: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(src), statement], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    observed: dict[str, Any] = json.loads(result.stdout)
    return observed


def test_the_package_has_the_model_modules_the_checks_look_for(src: Path) -> None:
    # the checks below would pass vacuously if the models lived elsewhere
    assert {path.name for path in (src / "lazy_client" / "types").glob("*.py")} >= {"widgets.py", "gadgets.py"}


def test_touching_every_resource_loads_no_model_and_not_pydantic(src: Path) -> None:
    observed = _run(src, "value = None")
    assert observed["before"] == []
    assert observed["after"] == []


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_call_loads_the_models_of_its_resource_only(src: Path, call: str) -> None:
    observed = _run(src, CALLS[call])
    assert observed["before"] == []
    assert "lazy_client.types.widgets" in observed["after"]
    assert "lazy_client.types.gadgets" not in observed["after"]
    assert observed["value"] == f"lazy_client.types.widgets.{EXPECTED_TYPE.get(call, 'Widget')}"


def test_a_call_builds_validators_only_for_the_models_it_validates(src: Path) -> None:
    # the models subclass the package's BaseModel (defer_build): loading a module builds no validator
    assert _run(src, CALLS["model result"])["built"] == ["Widget"]
    assert _run(src, CALLS["page item"])["built"] == ["Widget"]


def test_resource_modules_import_models_only_for_the_type_checker(src: Path) -> None:
    for module in (src / "lazy_client" / "resources").rglob("*.py"):
        runtime = [
            line
            for line in module.read_text(encoding="utf-8").splitlines()
            if line.startswith("from lazy_client.types")  # indented imports are under TYPE_CHECKING or in functions
        ]
        assert runtime == [], module
