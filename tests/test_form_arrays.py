"""How array items are keyed in form bodies and deepObject query parameters, per ``[conventions] form_array_style``.

One small API (a form body with a plain array, a comma-joined one, a deepObject one and a list of objects; a
deepObject query filter holding an array) generated once per style; a live server on 127.0.0.1 records the exact
bytes of the body and the query: ``description`` follows the description (``a=x&a=y`` for form, ``a[0]=x`` for
deepObject), ``indexed``, ``brackets`` and ``repeat`` key every exploded array item as ``a[0]=``, ``a[]=``, ``a=``.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clientgen.diagnostics import SpecError
from clientgen.project import write_tree
from live_server import LiveServer, json_reply

STRINGS = {"type": "array", "items": {"type": "string"}}
LINE = {"type": "object", "properties": {"price": {"type": "string"}}}
FORM = {
    "type": "object",
    "properties": {
        "tags": STRINGS,  # encoding: the default, form exploded
        "ids": STRINGS,  # form, explode: false
        "expand": STRINGS,  # deepObject
        "items": {"type": "array", "items": LINE},  # objects: always numbered
    },
}
FILTER = {"type": "object", "properties": {"ids": STRINGS, "status": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Form Arrays", "version": "1"},
    "paths": {
        "/orders": {
            "post": {
                "operationId": "createOrder",
                "parameters": [
                    {"in": "query", "name": "filter", "schema": FILTER, "style": "deepObject", "explode": True},
                    {"in": "query", "name": "labels", "schema": STRINGS},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": FORM,
                            "encoding": {
                                "ids": {"style": "form", "explode": False},
                                "expand": {"style": "deepObject", "explode": True},
                            },
                        }
                    },
                },
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": LINE}}}},
            }
        }
    },
}
BODY = {"tags": ["a", "b c"], "ids": ["1", "2"], "expand": ["x", "y"], "items": [{"price": "p1"}, {"price": "p2"}]}
EXPECTED = {
    "description": (
        b"tags=a&tags=b+c&ids=1,2&expand[0]=x&expand[1]=y&items[0][price]=p1&items[1][price]=p2",
        "/orders?filter[ids][0]=1&filter[ids][1]=2&filter[status]=open&labels=l1&labels=l2",
    ),
    "indexed": (
        b"tags[0]=a&tags[1]=b+c&ids=1,2&expand[0]=x&expand[1]=y&items[0][price]=p1&items[1][price]=p2",
        "/orders?filter[ids][0]=1&filter[ids][1]=2&filter[status]=open&labels[0]=l1&labels[1]=l2",
    ),
    "brackets": (
        b"tags[]=a&tags[]=b+c&ids=1,2&expand[]=x&expand[]=y&items[0][price]=p1&items[1][price]=p2",
        "/orders?filter[ids][]=1&filter[ids][]=2&filter[status]=open&labels[]=l1&labels[]=l2",
    ),
    "repeat": (
        b"tags=a&tags=b+c&ids=1,2&expand=x&expand=y&items[0][price]=p1&items[1][price]=p2",
        "/orders?filter[ids]=1&filter[ids]=2&filter[status]=open&labels=l1&labels=l2",
    ),
}


def _config(name: str, style: str | None) -> str:
    config = f'[package]\nimport_name = "{name}"\ndistribution = "{name.replace("_", "-")}"\n'
    return config + (f'\n[conventions]\nform_array_style = "{style}"\n' if style is not None else "")


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    style = str(request.param)
    name = f"form_arrays_{style}"
    root = tmp_path_factory.mktemp(name)
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text(_config(name, None if style == "description" else style), encoding="utf-8")
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(root / "out" / "src"))
        for module in [module for module in sys.modules if module.split(".")[0] == name]:
            del sys.modules[module]


def test_array_items_are_keyed_as_configured(generated: ModuleType) -> None:
    style = generated.__name__.removeprefix("form_arrays_")
    with LiveServer(handler=lambda _: json_reply({"price": "ok"})) as server:
        with generated.Client(base_url=server.url) as client:
            client.orders.create(body=BODY, filter={"ids": ["1", "2"], "status": "open"}, labels=["l1", "l2"])
        (request,) = server.requests
    assert (request.body, request.path) == EXPECTED[style]


def test_an_unknown_style_is_a_one_line_config_error(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (tmp_path / "config.toml").write_text(_config("form_arrays_bad", "php"), encoding="utf-8")
    with pytest.raises(SpecError) as raised:
        write_tree(tmp_path / "spec.json", tmp_path / "config.toml", tmp_path / "out")
    assert str(raised.value) == (
        f"{tmp_path}/config.toml#/conventions/form_array_style: form_array_style = 'php':"
        " one of description, indexed, brackets, repeat"
    )
