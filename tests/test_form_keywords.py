"""Keyword arguments for ``application/x-www-form-urlencoded`` bodies (Stripe's and Twilio's), written as a user would.

A small form API is generated once; a user script is type-checked with ``mypy --strict`` (no casts)
and run against a server on 127.0.0.1 that records the bytes it received.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from imported_package import generated_package
from live_server import LiveServer, RecordedRequest, Reply, json_reply
from user_scripts_check import assert_type_checks_without_crutches, mypy_against, run_script

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "user_scripts" / "form_customers.py"

CUSTOMER_FORM = {
    "type": "object",
    "required": ["email"],
    "properties": {
        "email": {"type": "string", "description": "The customer's email address."},
        "description": {"type": "string"},
        "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
        "expand": {"type": "array", "items": {"type": "string"}},
        "address": {
            "type": "object",
            "required": ["line1"],
            "properties": {"line1": {"type": "string"}, "city": {"type": "string"}},
        },
    },
}
CUSTOMER = {"type": "object", "properties": {"id": {"type": "string"}, "email": {"type": "string"}}}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Forms API", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/v1/customers": {
            "post": {
                "operationId": "PostCustomers",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": CUSTOMER_FORM,
                            "encoding": {"metadata": {"style": "deepObject", "explode": True}},
                        }
                    },
                },
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": CUSTOMER}}}},
            }
        }
    },
}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_package(tmp_path_factory.mktemp("forms"), SPEC, "forms_client", "forms")


def _answer(request: RecordedRequest) -> Reply:
    return json_reply({"id": "cus_1", "email": parse_qs(request.body.decode())["email"][0]})


def test_the_form_script_type_checks_without_casts(tree: Path, tmp_path: Path) -> None:
    assert_type_checks_without_crutches(tree, SCRIPT, tmp_path)


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        ('description="no email"', "email"),  # a required field missing
        ('email="a@example.com", address={"city": "Paris"}', "address"),  # the nested shape's required key
        ('email="a@example.com", expand="invoice"', "expand"),  # a list, not a string
    ],
)
def test_mypy_checks_form_keywords(tree: Path, tmp_path: Path, call: str, complaint: str) -> None:
    script = tmp_path / "wrong.py"
    script.write_text(f"from forms_client import Client\n\nClient().customers.create({call})\n")
    result = mypy_against(tree, script)
    assert result.returncode != 0
    assert complaint in result.stdout or "No overload variant" in result.stdout, result.stdout


def test_the_form_script_sends_the_bytes_it_says(tree: Path) -> None:
    with LiveServer() as server:
        server.handler = _answer
        result = run_script(tree, SCRIPT, server)
        sent: list[Any] = [
            (request.method, request.url_path, request.headers["content-type"], request.body)
            for request in server.requests
        ]
    form = "application/x-www-form-urlencoded"
    assert sent == [
        (
            "POST",
            "/v1/customers",
            form,
            (
                b"address[line1]=1+Main+St&address[city]=Paris&email=jo%40example.com"
                b"&expand=invoice&expand=sources&metadata[plan]=pro"
            ),
        ),
        ("POST", "/v1/customers", form, b"address[line1]=2+Side+St&email=al%40example.com"),
        ("POST", "/v1/customers", form, b"email=raw%40example.com&description=a+whole+form"),
    ]
    assert result.stdout.split() == ["cus_1", "jo@example.com"]
