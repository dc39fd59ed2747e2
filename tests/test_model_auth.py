"""The auth tables of the intermediate model, read from securitySchemes and security lists (model/auth.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics
from clientgen.model.auth import build_auth, operation_requirements
from clientgen.names import PythonIdentifier

CONFIG = GeneratorConfig(
    distribution="x",
    import_name=PythonIdentifier("x_client"),
    version="0.1.0",
    base_url="https://x.invalid",
    environment_prefix="X",
)


def _auth(schemes: dict[str, Any], *requirements: Any, config: GeneratorConfig = CONFIG) -> Any:
    document = {"components": {"securitySchemes": schemes}, "paths": {}}
    declared = [operation_requirements({"security": security}, document, config) for security in requirements]
    return build_auth(declared, document, config, Diagnostics())


def test_several_basic_schemes_are_prefixed_with_their_names() -> None:
    auth, _ = _auth(
        {"main": {"type": "http", "scheme": "basic"}, "subAccount": {"type": "http", "scheme": "basic"}},
        [{"main": []}],
        [{"subAccount": []}],
    )
    assert [scheme.arguments for scheme in auth.schemes] == [
        ("main_username", "main_password"),
        ("sub_account_username", "sub_account_password"),
    ]
    assert auth.conflicts == ()  # never alternatives for one operation
    assert auth.required


def test_alternatives_conflict_and_combinations_do_not() -> None:
    schemes = {name: {"type": "apiKey", "in": "header", "name": f"X-{name}"} for name in ("a", "b", "c")}
    auth, usable = _auth(schemes, [{"a": [], "b": []}, {"c": []}], [{}])
    assert auth.conflicts == (("a", "c"), ("b", "c"))
    assert auth.requirements == (("a", "b"), ("c",))
    assert not auth.required  # the second operation's {} makes credentials optional
    assert usable == [(("a", "b"), ("c",)), ((),)]


def test_config_requirements_replace_every_operation_s_and_rename_variables() -> None:
    config = replace(
        CONFIG, auth_requirements=(("token",), ("email", "key")), auth_environment={"email": "EMAIL_ADDRESS"}
    )
    schemes = {
        "token": {"type": "http", "scheme": "bearer"},
        "email": {"type": "apiKey", "in": "header", "name": "X-Email"},
        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
    }
    auth, usable = _auth(schemes, [{"email": [], "key": [], "token": []}], [], config=config)
    assert usable == [(("token",), ("email", "key"))] * 2
    assert [scheme.name for scheme in auth.schemes] == ["token", "email", "key"]  # the default's order
    assert [scheme.variables for scheme in auth.schemes] == [("X_TOKEN",), ("X_EMAIL_ADDRESS",), ("X_KEY",)]
    assert auth.exclusive


def test_unsendable_schemes_are_reported_and_no_scheme_means_an_optional_token() -> None:
    diags = Diagnostics()
    document = {"components": {"securitySchemes": {"tls": {"type": "mutualTLS"}}}, "paths": {}}
    auth, usable = build_auth([(("tls",),)], document, CONFIG, diags)
    assert [scheme.name for scheme in auth.schemes] == []
    assert usable == [()]
    assert any(diagnostic.code == "security-scheme" for diagnostic in diags.items)
    fallback, _ = build_auth([(), ()], {"paths": {}}, CONFIG, Diagnostics())
    assert [(scheme.name, scheme.kind, scheme.arguments) for scheme in fallback.schemes] == [
        ("api_token", "bearer", ("api_token",))
    ]
    assert not fallback.required
