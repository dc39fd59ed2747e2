"""Property-based: random schemas with hostile names generate a package that compiles, imports and round-trips.

Each example draws an object schema (random property names from a hostile alphabet, scalar,
enum, nullable, array and nested object properties, some required) and a JSON value that
fits it, generates a package, imports it, and checks that

* every model field has a distinct, valid, ASCII Python name and keeps its exact wire name;
* the example validates and dumps back to the same JSON (``by_alias``);
* a call returning the example over HTTP (127.0.0.1) gives the same value back;
* nothing outside string literals and comments comes from the spec (as in ``test_hostile``).

Bounded: 25 examples, each generating into its own temporary folder.
"""

from __future__ import annotations

import inspect
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from live_server import LiveServer, RecordedRequest, Reply, json_reply
from test_hostile import TOKEN, Sandbox, check_inert, forget_package, generate_case, import_package

NAME_ALPHABET = st.sampled_from(
    [*"abcXYZ019_-. $@'\"\\/{}:#%\r\n\t", "\x00", "é", "𝔘", "ｆ", "数", "ǅ", "\u2028", "\u200b"]  # noqa: RUF001 - look-alike letters on purpose
)
TRICKY_NAMES = [
    "", "class", "__init__", "self", "json", "model_dump", "model_config", "1abc", "a-b", "a_b", "A-B", "None",
    "true", "from", "import", "𝔘", "U", "'''", '"""', "{{ x }}", "{% if %}", "x" * 300, "str", "Field", "BaseModel",  # noqa: RUF001 - look-alike letters on purpose
]  # fmt: skip
PATH_ALPHABET = st.sampled_from([*"abcXYZ019_-.~$@'\"!*+", "é", "𝔘", "数"])  # no '/', '{', '}', '?', '#', space  # noqa: RUF001 - look-alike letters on purpose
names = st.one_of(st.sampled_from(TRICKY_NAMES), st.text(NAME_ALPHABET, max_size=10))
texts = st.text(max_size=8)
counter = itertools.count()

Drawn = tuple[dict[str, Any], st.SearchStrategy[Any]]


@st.composite
def leaf(draw: st.DrawFn) -> Drawn:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "enum"]))
    if kind == "enum":
        values = draw(st.lists(texts, min_size=1, max_size=4, unique=True))
        return {"type": "string", "enum": values}, st.sampled_from(values)
    values: dict[str, st.SearchStrategy[Any]] = {
        "string": texts,
        "integer": st.integers(-(2**53), 2**53),
        "number": st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
        "boolean": st.booleans(),
    }
    return {"type": kind}, values[kind]


@st.composite
def schema(draw: st.DrawFn, depth: int = 0) -> Drawn:
    choices = ["leaf", "leaf", "array"] + (["object"] if depth < 2 else [])
    kind = draw(st.sampled_from(choices))
    if kind == "leaf":
        drawn, values = draw(leaf())
    elif kind == "array":
        item, item_values = draw(leaf())
        drawn, values = {"type": "array", "items": item}, st.lists(item_values, max_size=3)
    else:
        drawn, values = draw(object_schema(depth + 1))
    if draw(st.booleans()) and kind != "object":
        return {**drawn, "nullable": True}, st.one_of(st.none(), values)
    return drawn, values


@st.composite
def object_schema(draw: st.DrawFn, depth: int = 0) -> Drawn:
    keys = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    properties = {key: draw(schema(depth)) for key in keys}
    required = sorted(key for key in keys if draw(st.booleans()))
    drawn: dict[str, Any] = {"type": "object", "properties": {key: value[0] for key, value in properties.items()}}
    if required:
        drawn["required"] = required

    @st.composite
    def instance(inner: st.DrawFn) -> dict[str, Any]:
        present = [key for key in keys if key in required or inner(st.booleans())]
        return {key: inner(properties[key][1]) for key in present}

    return drawn, instance()


@st.composite
def case(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(OpenAPI document, an example body of its one model)."""
    model, values = draw(object_schema())
    component = draw(names)
    # A $ref is a URI fragment (RFC 6901 section 6): a literal "%" in the key is written "%25".
    token = component.replace("~", "~0").replace("/", "~1").replace("%", "%25")
    ref = {"$ref": "#/components/schemas/" + token}
    noun = draw(st.text(PATH_ALPHABET, min_size=1, max_size=8))
    path_name = draw(st.text(PATH_ALPHABET, min_size=1, max_size=8))
    query = draw(names.filter(bool))
    parameters = [
        {"name": path_name, "in": "path", "required": True, "schema": {"type": "string"}},
        {"name": query, "in": "query", "schema": {"type": "string"}},
    ]
    document = {
        "openapi": "3.0.3",
        "info": {"title": draw(texts), "version": "1"},
        "paths": {
            f"/{noun}/{{{path_name}}}": {
                "get": {
                    "operationId": draw(names),
                    "description": draw(st.text(max_size=40)),
                    "parameters": parameters,
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}},
                }
            }
        },
        "components": {"schemas": {component: model}},
    }
    return document, draw(values)


def _wire_to_python(model: Any) -> dict[str, str]:
    return {(info.alias if info.alias is not None else name): name for name, info in model.model_fields.items()}


def _found_by_hypothesis() -> tuple[dict[str, Any], dict[str, Any]]:
    """A nested model with ``a-b`` and ``a_b``: ``{"a_b": ""}`` once filled both fields (one by name)."""
    inner = {
        "type": "object",
        "properties": {"a-b": {"type": "string"}, "a_b": {"type": "integer"}},
        "required": ["a_b"],
    }
    model = {"type": "object", "properties": {"": inner, "class": {"type": "number"}}, "required": [""]}
    parameters = [{"name": "0", "in": "path", "required": True, "schema": {"type": "string"}}]
    operation = {
        "operationId": "Field",
        "parameters": parameters,
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/"}}}}
        },
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "", "version": "1"},
        "paths": {"/0/{0}": {"get": operation}},
        "components": {"schemas": {"": model}},
    }
    return document, {"": {"a_b": 0}, "class": 0.5}


def _found_by_hypothesis_too() -> tuple[dict[str, Any], dict[str, Any]]:
    """A model named after a 300-character property: its cut name held ``_`` and the generator renamed the class,
    so the field aliases scoped by its name no longer applied (a non-ASCII field name was written)."""
    document, _ = _found_by_hypothesis()
    inner = {"type": "object", "properties": {"\\%ǅ$$\u200b\\ǅ0": {"type": "string"}}}
    document["components"]["schemas"] = {
        "": {"type": "object", "properties": {"class": {"type": "object", "properties": {"x" * 300: inner}}}}
    }
    return document, {"class": {"x" * 300: {"\\%ǅ$$\u200b\\ǅ0": "v"}}}


@pytest.mark.long_running(60)  # about its CPU seconds: started early (xdist_groups.py)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@example(drawn=_found_by_hypothesis())
@example(drawn=_found_by_hypothesis_too())
@given(drawn=case())
def test_random_schemas_generate_import_and_round_trip(drawn: tuple[dict[str, Any], dict[str, Any]]) -> None:
    document, example = drawn
    with tempfile.TemporaryDirectory(prefix="clientgen-hypothesis-") as folder, pytest.MonkeyPatch.context() as patch:
        sandbox = Sandbox(Path(folder))
        spec = sandbox.input / "openapi.json"
        spec.parent.mkdir(parents=True)
        spec.write_text(json.dumps(document), encoding="utf-8")
        package = f"hypothesis_{next(counter)}"
        generated = generate_case(sandbox, spec, package, patch)
        check_inert(sandbox.out, sandbox.marker)

        def reply(request: RecordedRequest) -> Reply:
            del request
            return json_reply(example)

        try:
            module = import_package(sandbox.out, package)
            (operation,) = generated.operations()
            assert operation["status"] == "typed", operation
            model = generated.model(operation["returns"])
            wire = _wire_to_python(model)
            assert set(wire) == set(next(iter(document["components"]["schemas"].values()))["properties"])
            python = list(wire.values())
            assert len(set(python)) == len(python), python
            assert all(name.isascii() and name.isidentifier() and len(name) <= 60 for name in python), python
            parsed = model.model_validate(example)
            assert parsed.model_dump(by_alias=True, mode="json", exclude_unset=True) == example
            with LiveServer(handler=reply) as server:
                client = module.Client(api_token=TOKEN, base_url=server.url, max_retries=0)
                method = generated.method(client, operation["call"])
                (required,) = [
                    name
                    for name, parameter in inspect.signature(method).parameters.items()
                    if parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is inspect.Parameter.empty
                ]
                result = method(**{required: "x y/z"})
                (request,) = server.requests
                client.close()
            assert result.model_dump(by_alias=True, mode="json", exclude_unset=True) == example
            assert request.url_path.endswith("/x%20y%2Fz"), request.url_path
        finally:
            forget_package(sandbox.out, package)
