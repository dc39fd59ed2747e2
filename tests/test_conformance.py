"""The generated client against the SOURCE record (not against the normalized file).

Everything expected here is read from ``spec/pages-deployment-rollback-deployment.txt``
through :func:`clientgen.ingest.load_source`: operations, parameter names and rules,
properties, ``required`` lists, ``nullable``, ``format``, constraints and examples.  The
source composes its schemas with ``allOf``; the helpers below read a composed schema the
way ``allOf`` means it (properties united, ``required`` united, keywords beside the
``allOf`` winning over later branches winning over earlier ones) without using the
pipeline's own flattening code.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import typing
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest

from clientgen.ingest import load_source
from clientgen.layout import NORMALIZED_FILE, REPORT_FILE

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "spec" / "pages-deployment-rollback-deployment.txt"
GENERATED = REPO / "generated"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CREDENTIAL_VARIABLES = (
    "CLOUDFLARE_API_TOKEN",
    "CLOUDFLARE_EMAIL",
    "CLOUDFLARE_API_KEY",
    "CLOUDFLARE_API_USER_SERVICE_KEY",
    "CLOUDFLARE_BASE_URL",
)
MISSING: Any = object()

Parts = list[dict[str, Any]]


# --- reading the source's allOf compositions -------------------------------------------


def parts(schema: Any) -> Parts:
    """The schema and its allOf branches, highest priority first (siblings, then later branches)."""
    if not isinstance(schema, dict):
        return []
    own = {key: value for key, value in schema.items() if key != "allOf"}
    out = [own]
    for branch in reversed(schema.get("allOf") or []):
        out.extend(parts(branch))
    return out


def many(schemas: list[Any]) -> Parts:
    return [part for schema in schemas for part in parts(schema)]


def first(view: Parts, key: str) -> Any:
    for part in view:
        if key in part:
            return part[key]
    return MISSING


def properties(view: Parts) -> dict[str, Parts]:
    found: dict[str, list[Any]] = {}
    for part in view:
        for name, sub in (part.get("properties") or {}).items():
            found.setdefault(name, []).append(sub)
    return {name: many(subs) for name, subs in found.items()}


def required(view: Parts) -> set[str]:
    return {name for part in view for name in part.get("required") or []}


def items(view: Parts) -> Parts:
    return many([part["items"] for part in view if isinstance(part.get("items"), dict)])


def is_array(view: Parts) -> bool:
    return bool(first(view, "type") == "array")


def example_of(view: Parts) -> Any:
    """The source's example for a schema; for an object without one, built from its properties'."""
    example = first(view, "example")
    if example is not MISSING:
        return example
    props = properties(view)
    if props:
        built = {name: example_of(sub) for name, sub in props.items()}
        return {name: value for name, value in built.items() if value is not MISSING}
    if first(view, "nullable") is True:
        return None
    return MISSING


def constraints(view: Parts) -> dict[str, Any]:
    """pattern / maxLength / minimum (and minLength, meaning minItems on an array) a value must satisfy."""
    found: dict[str, Any] = {}
    pattern = first(view, "pattern")
    if pattern is not MISSING:
        found["pattern"] = pattern
    bounds = {"maxLength": min, "minimum": max, "minLength": max, "minItems": max}
    for key, strictest in bounds.items():
        values = [part[key] for part in view if key in part]
        if values:
            target = "minItems" if key == "minLength" and is_array(view) else key
            found[target] = strictest([*values, found.get(target, values[0])])
    return found


def source_constraints(node: Any, owner: str = "") -> Iterator[tuple[str, str, Any]]:
    """(property or parameter name, keyword, value) for every constraint anywhere in the source operation."""
    if isinstance(node, list):
        for item in node:
            yield from source_constraints(item, owner)
        return
    if not isinstance(node, dict):
        return
    if "in" in node and "name" in node and isinstance(node.get("schema"), dict):
        yield from source_constraints(node["schema"], node["name"])
        return
    for key in ("pattern", "maxLength", "minimum"):
        if key in node:
            yield owner, key, node[key]
    for key, value in node.items():
        if key in {"example", "examples", "default", "enum"}:
            continue
        if key == "properties" and isinstance(value, dict):
            for name, sub in value.items():
                yield from source_constraints(sub, name)
        else:
            yield from source_constraints(value, owner)


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def source() -> dict[str, Any]:
    return load_source(SEED)


@pytest.fixture(scope="module")
def operations(source: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [
        (path, method, item[method])
        for path, item in source["paths"].items()
        for method in METHODS
        if isinstance(item.get(method), dict)
    ]
    assert found, "the source has no operation"
    return found


@pytest.fixture(scope="module")
def operation(operations: list[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    assert len(operations) == 1, "the seed is one record: one operation"
    return operations[0][2]


def json_schema(operation: dict[str, Any], status: str) -> dict[str, Any]:
    media = operation["responses"][status]["content"]
    schemas: list[dict[str, Any]] = [
        entry["schema"] for name, entry in media.items() if name.startswith("application/json")
    ]
    assert len(schemas) == 1, f"{status}: {sorted(media)}"
    return schemas[0]


@pytest.fixture(scope="module")
def success(operation: dict[str, Any]) -> Parts:
    """The 200 envelope, read through its allOf."""
    return parts(json_schema(operation, "200"))


@pytest.fixture(scope="module")
def result(success: Parts) -> Parts:
    view = properties(success)["result"]
    assert properties(view), "the 200 result has no properties in the source"
    return view


@pytest.fixture(scope="module")
def failure(operation: dict[str, Any]) -> Parts:
    """The failure branch of the error response (the one saying ``success: false``)."""
    errors = [status for status in operation["responses"] if not status.startswith("2")]
    assert errors, "the source declares no error response"
    candidates = [json_schema(operation, status) for status in errors]

    def branches(schema: Any) -> Iterator[dict[str, Any]]:
        if isinstance(schema, dict):
            yield schema
            for branch in schema.get("allOf") or []:
                yield from branches(branch)

    found = [
        branch
        for schema in candidates
        for branch in branches(schema)
        if ((branch.get("properties") or {}).get("success") or {}).get("enum") == [False]
    ]
    assert found, "no failure branch (success: enum [false]) in the source's error responses"
    return parts(found[0])


@pytest.fixture
def client_and_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, list[httpx.Request], list[Any]]]:
    """A Client whose transport records every request and answers from ``replies`` (a list to fill)."""
    from cloudflare_client import Client  # noqa: PLC0415 - the generated package, put on sys.path by conftest

    for variable in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    calls: list[httpx.Request] = []
    replies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        status, body = (
            replies.pop(0) if replies else (200, {"success": True, "errors": [], "messages": [], "result": {}})
        )
        return httpx.Response(status, json=body)

    transport = httpx.MockTransport(handler)
    client = Client(api_token="t", http_client=httpx.Client(transport=transport))  # noqa: S106
    try:
        yield client, calls, replies
    finally:
        client.close()


def report_entry(operation_id: str) -> dict[str, Any]:
    report = json.loads((GENERATED / REPORT_FILE).read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = [entry for entry in report["operations"] if entry["operationId"] == operation_id]
    assert len(entries) == 1, f"report.json lists {len(entries)} entries for {operation_id}"
    return entries[0]


def method_for(client: Any, call: str) -> Any:
    head, *chain = call.split(".")
    assert head == "client", call
    target = client
    for name in chain:
        target = getattr(target, name)
    return target


def type_hints(method: Any) -> dict[str, Any]:
    """A generated method's annotations, resolved.

    Resource modules import model classes for the type checker only (they load on a method's first call), so the
    names are looked up in the package's model modules.
    """
    types = importlib.import_module(method.__module__.split(".")[0] + ".types")
    modules = [
        importlib.import_module(f"{types.__name__}.{found.name}") for found in pkgutil.iter_modules(types.__path__)
    ]
    models = {
        name: value
        for module in modules
        for name, value in vars(module).items()
        if inspect.isclass(value) and issubclass(value, pydantic.BaseModel)
    }
    return typing.get_type_hints(method, localns=models)


def models_in(annotation: Any) -> list[type[pydantic.BaseModel]]:
    """The pydantic model classes named by an annotation (through Optional, list, Annotated...)."""
    if inspect.isclass(annotation) and issubclass(annotation, pydantic.BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in models_in(arg)]


def types_in(annotation: Any) -> set[Any]:
    return {annotation} | {found for arg in typing.get_args(annotation) for found in types_in(arg)}


def has_keyword(node: Any, key: str, value: Any) -> bool:
    """``key: value`` somewhere in one field's JSON schema (not following $ref into other models)."""
    if isinstance(node, dict):
        if node.get(key) == value:
            return True
        return any(has_keyword(child, key, value) for name, child in node.items() if name not in {"$ref", "examples"})
    if isinstance(node, list):
        return any(has_keyword(child, key, value) for child in node)
    return False


# --- operations and parameters -------------------------------------------------------------


def test_every_source_operation_is_a_method(
    operations: list[tuple[str, str, dict[str, Any]]], client_and_calls: tuple[Any, Any, Any]
) -> None:
    client, _, _ = client_and_calls
    for path, method, op in operations:
        entry = report_entry(op["operationId"])
        assert (entry["method"], entry["path"]) == (method.upper(), path)
        assert entry["status"] == "typed", entry
        bound = method_for(client, entry["call"])
        assert callable(bound), entry["call"]
        signature = inspect.signature(bound)
        spec_names = {param["name"] for param in op.get("parameters") or []}
        keyword_only = {
            name for name, param in signature.parameters.items() if param.kind is inspect.Parameter.KEYWORD_ONLY
        }
        assert all(param.kind is inspect.Parameter.KEYWORD_ONLY for param in signature.parameters.values()), signature
        assert spec_names <= keyword_only, f"{entry['call']}{signature} lacks {sorted(spec_names - keyword_only)}"
        required_generated = {
            name for name, param in signature.parameters.items() if param.default is inspect.Parameter.empty
        }
        required_spec = {param["name"] for param in op.get("parameters") or [] if param.get("required")}
        assert required_generated == required_spec, f"{entry['call']}{signature}: required {sorted(required_generated)}"
        for param in op.get("parameters") or []:
            generated = signature.parameters[param["name"]]
            assert (generated.default is inspect.Parameter.empty) == bool(param.get("required")), (
                f"{param['name']}: required={param.get('required')} but default {generated.default!r}"
            )
        # the method's return annotation is a model (the 200 is typed, not Any)
        hints = type_hints(bound)
        assert models_in(hints["return"]), f"{entry['call']} returns {hints['return']!r}"


def _violations(rules: dict[str, Any], example: str) -> Iterator[tuple[str, str]]:
    if "maxLength" in rules:
        yield "maxLength", "a" * (rules["maxLength"] + 1)
    if "pattern" in rules and rules["pattern"].endswith("$") and re.search(rules["pattern"], example):
        yield "pattern", example + "\n"  # ECMA-262: `$` ends the string (Python's also matches before a final newline)
    if "pattern" in rules:
        compiled = re.compile(rules["pattern"])
        candidates = ["UPPER", "-", "_", "a b", "!", "-" + example, example.upper() + "!"]
        bad = next((text for text in candidates if compiled.search(text) is None), None)
        assert bad is not None, f"found no value violating {rules['pattern']!r}"
        yield "pattern", bad


def test_parameter_rules_are_enforced_before_sending(
    operation: dict[str, Any], client_and_calls: tuple[Any, list[httpx.Request], Any]
) -> None:
    from cloudflare_client import ParameterValidationError  # noqa: PLC0415

    client, calls, _ = client_and_calls
    bound = method_for(client, report_entry(operation["operationId"])["call"])
    source_file = Path(inspect.getsourcefile(type(bound.__self__)) or "")
    text = source_file.read_text(encoding="utf-8")
    valid = {param["name"]: param["schema"]["example"] for param in operation["parameters"]}
    checked = 0
    for param in operation["parameters"]:
        rules = constraints(parts(param["schema"]))
        if "maxLength" in rules:
            assert f"max_length={rules['maxLength']}" in text, (
                f"{source_file.name} lacks max_length for {param['name']}"
            )
        if "pattern" in rules:
            literals = (json.dumps(rules["pattern"]), repr(rules["pattern"]))
            assert any(f"pattern={literal}" in text for literal in literals), (
                f"{source_file.name} lacks the pattern literal for {param['name']}"
            )
        for rule, bad in _violations(rules, valid[param["name"]]):
            with pytest.raises(ParameterValidationError) as error:
                bound(**{**valid, param["name"]: bad})
            assert error.value.parameter == param["name"], (rule, str(error.value))
            checked += 1
    assert calls == [], "a request was sent although an argument broke its rule"
    assert checked >= 3, "the seed has two maxLength and one pattern parameter"
    bound(**valid)  # the examples themselves are accepted and sent
    assert len(calls) == 1


def test_call_sends_the_spec_request_and_unwraps_the_result(
    operations: list[tuple[str, str, dict[str, Any]]],
    operation: dict[str, Any],
    result: Parts,
    client_and_calls: tuple[Any, list[httpx.Request], list[Any]],
) -> None:
    client, calls, replies = client_and_calls
    path, method, _ = operations[0]
    valid = {param["name"]: param["schema"]["example"] for param in operation["parameters"]}
    payload = example_of(result)
    replies.append((200, {"success": True, "errors": [], "messages": [], "result": payload}))
    returned = method_for(client, report_entry(operation["operationId"])["call"])(**valid)
    (request,) = calls
    expected_path = path
    for name, value in valid.items():
        expected_path = expected_path.replace("{" + name + "}", value)
    assert request.method == method.upper()
    assert request.url.path.endswith(expected_path), request.url
    assert request.headers["authorization"] == "Bearer t"
    if operation.get("requestBody", {}).get("required"):
        assert json.loads(request.content) == {}, "a required JSON body without schema is sent as {}"
    assert returned.model_dump(mode="json", by_alias=True, exclude_unset=True) == payload


# --- the result models -----------------------------------------------------------------------


def check_model(
    model: type[pydantic.BaseModel], view: Parts, trail: str, seen: dict[str, str], covered: set[tuple[str, str, Any]]
) -> None:
    """Every property of ``view`` is a field of ``model`` with the spec's required flag, nullability, type, rules."""
    seen[model.__name__] = trail
    props = properties(view)
    fields = {(field.alias or name): (name, field) for name, field in model.model_fields.items()}
    assert set(fields) == set(props), (
        f"{model.__name__} ({trail}): fields {sorted(fields)} but the source has {sorted(props)}"
    )
    spec_required = required(view)
    schema = model.model_json_schema(by_alias=True)
    base = example_of(view)
    for wire, sub in props.items():
        where = f"{model.__name__}.{wire} ({trail}/{wire})"
        _, field = fields[wire]
        assert field.is_required() == (wire in spec_required), f"{where}: required={field.is_required()}"
        if first(sub, "nullable") is True:
            parsed = model.model_validate({**base, wire: None})
            assert getattr(parsed, fields[wire][0]) is None, where
        if first(sub, "format") == "date-time":
            assert datetime in types_in(field.annotation), f"{where}: {field.annotation!r} is not a datetime"
        field_schema = schema["properties"][wire]
        for key, value in constraints(sub).items():
            assert has_keyword(field_schema, key, value), f"{where}: {key}={value!r} missing from {field_schema}"
            covered.add((wire, key, value))
        nested = properties(sub)
        element = items(sub)
        if nested:
            inner = models_in(field.annotation)
            assert len(inner) == 1, f"{where}: an object with properties is typed {field.annotation!r}"
            check_model(inner[0], sub, f"{trail}/{wire}", seen, covered)
        elif element and properties(element):
            inner = models_in(field.annotation)
            assert len(inner) == 1, f"{where}: items with properties are typed {field.annotation!r}"
            check_model(inner[0], element, f"{trail}/{wire}/items", seen, covered)
        elif element:
            for key, value in constraints(element).items():
                assert has_keyword(field_schema.get("items", field_schema), key, value), f"{where} items: {key}"
                covered.add((wire, key, value))


@pytest.fixture(scope="module")
def deployment_model(operation: dict[str, Any]) -> type[pydantic.BaseModel]:
    from cloudflare_client import Client  # noqa: PLC0415

    call = report_entry(operation["operationId"])["call"]
    resource_method = method_for(Client(api_token="t"), call)  # noqa: S106
    (model,) = models_in(type_hints(resource_method)["return"])
    return model


def test_result_models_match_the_source(
    operation: dict[str, Any], result: Parts, failure: Parts, deployment_model: type[pydantic.BaseModel]
) -> None:
    from cloudflare_client.types.shared import ErrorEnvelope  # noqa: PLC0415

    seen: dict[str, str] = {}
    covered: set[tuple[str, str, Any]] = set()
    check_model(deployment_model, result, "200/result", seen, covered)
    check_model(ErrorEnvelope, failure, "4XX/failure", seen, covered)
    for param in operation["parameters"]:  # enforced by the path validator (test above)
        for key, value in constraints(parts(param["schema"])).items():
            covered.add((param["name"], key, value))
    assert set(seen) == {
        "Deployment",
        "DeploymentTrigger",
        "DeploymentTriggerMetadata",
        "DeploymentStage",
        "ErrorEnvelope",
        "ResponseInfo",
    }, seen
    everywhere = set(source_constraints(operation))
    assert everywhere, "the seed has constraints"
    missing = everywhere - covered
    assert not missing, f"constraints of the source found in no model nor validator: {sorted(missing, key=str)}"


def test_success_example_round_trips(result: Parts, deployment_model: type[pydantic.BaseModel]) -> None:
    payload = example_of(result)
    assert {"created_on", "stages", "deployment_trigger"} <= set(payload), payload
    assert set(payload["deployment_trigger"]) == {"metadata", "type"}
    parsed = deployment_model.model_validate(payload)
    assert isinstance(parsed.created_on, datetime)  # type: ignore[attr-defined]
    stage = parsed.stages[0]  # type: ignore[attr-defined]
    assert isinstance(stage.started_on, datetime)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == payload


def test_failure_example_round_trips_and_rules_hold(failure: Parts) -> None:
    from cloudflare_client.types.shared import ErrorEnvelope  # noqa: PLC0415

    payload = example_of(failure)
    assert payload["success"] is False
    assert payload["result"] is None
    assert payload["errors"], "the source's failure example lists errors"
    parsed = ErrorEnvelope.model_validate(payload)
    assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == payload

    with pytest.raises(pydantic.ValidationError):
        ErrorEnvelope.model_validate({**payload, "success": True})
    min_errors = constraints(properties(failure)["errors"]).get("minItems")
    assert min_errors == 1, "the source says errors has minLength 1 (on an array: minItems)"
    with pytest.raises(pydantic.ValidationError):
        ErrorEnvelope.model_validate({**payload, "errors": []})

    (response_info,) = models_in(ErrorEnvelope.model_fields["errors"].annotation)
    minimum = constraints(properties(items(properties(failure)["errors"]))["code"])["minimum"]
    response_info.model_validate({"code": minimum, "message": "m"})
    with pytest.raises(pydantic.ValidationError):
        response_info.model_validate({"code": minimum - 1, "message": "m"})


def test_error_response_raises_with_the_envelope_details(
    operation: dict[str, Any], failure: Parts, client_and_calls: tuple[Any, list[httpx.Request], list[Any]]
) -> None:
    from cloudflare_client import APIStatusError  # noqa: PLC0415

    client, _, replies = client_and_calls
    payload = example_of(failure)
    replies.append((404, payload))
    valid = {param["name"]: param["schema"]["example"] for param in operation["parameters"]}
    with pytest.raises(APIStatusError) as error:
        method_for(client, report_entry(operation["operationId"])["call"])(**valid)
    assert [(item.code, item.message) for item in error.value.errors] == [
        (item["code"], item["message"]) for item in payload["errors"]
    ]


# --- the normalized document keeps what the source says --------------------------------------

KEPT = ("description", "pattern", "maxLength", "minimum", "format", "nullable", "readOnly", "example")


def resolve(document: dict[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = document
        for token in node["$ref"].removeprefix("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
        assert seen < 50, "reference loop"
    return node


def compare_kept(document: dict[str, Any], view: Parts, normalized: Any, trail: str, problems: list[str]) -> None:
    node = resolve(document, normalized)
    if not isinstance(node, dict):
        problems.append(f"{trail}: missing in the normalized document")
        return
    for key in KEPT:
        want = first(view, key)
        if want is not MISSING and node.get(key, MISSING) != want:
            problems.append(f"{trail}: {key} is {node.get(key, '<absent>')!r}, source says {want!r}")
    if is_array(view) and first(view, "minLength") is not MISSING:
        want = constraints(view)["minItems"]
        if node.get("minItems") != want:
            problems.append(f"{trail}: minLength {want} on an array should be minItems, found {node.get('minItems')!r}")
    for name, sub in properties(view).items():
        compare_kept(document, sub, (node.get("properties") or {}).get(name), f"{trail}/properties/{name}", problems)
    element = items(view)
    if element:
        compare_kept(document, element, node.get("items"), f"{trail}/items", problems)


def test_normalized_document_keeps_descriptions_and_constraints(
    operations: list[tuple[str, str, dict[str, Any]]], result: Parts, failure: Parts
) -> None:
    document = json.loads((GENERATED / NORMALIZED_FILE).read_text(encoding="utf-8"))
    problems: list[str] = []
    for path, method, op in operations:
        normalized_op = document["paths"][path][method]
        for param in op.get("parameters") or []:
            (twin,) = [
                item
                for item in normalized_op["parameters"]
                if (item.get("name"), item.get("in")) == (param["name"], param["in"])
            ]
            assert twin.get("required") == param.get("required"), param["name"]
            compare_kept(document, parts(param["schema"]), twin["schema"], f"parameter {param['name']}", problems)
        normalized_200 = resolve(document, json_schema(normalized_op, "200"))
        compare_kept(document, result, normalized_200["properties"]["result"], "200/result", problems)
        for name in ("success", "errors", "messages"):
            source_200 = properties(parts(json_schema(op, "200")))[name]
            compare_kept(document, source_200, normalized_200["properties"][name], f"200/{name}", problems)
        (error_status,) = [status for status in op["responses"] if not status.startswith("2")]
        compare_kept(document, failure, json_schema(normalized_op, error_status), f"{error_status}/failure", problems)
    assert not problems, "the normalizer lost or changed what the source says:\n" + "\n".join(problems)
