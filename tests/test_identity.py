"""The package's identity from the description, and the config that belongs to a spec."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clientgen.config import find_config, load_config
from clientgen.diagnostics import Diagnostics, Level, SpecError
from clientgen.identity import complete_config, package_words
from clientgen.project import write_tree

REPO = Path(__file__).resolve().parents[1]


def _document(**top: Any) -> dict[str, Any]:
    ok = {"204": {"description": "ok"}}
    return {"openapi": "3.0.3", "paths": {"/things": {"get": {"operationId": "things-list", "responses": ok}}}, **top}


def _identity(document: dict[str, Any], config: Path | None = None, name: str = "spec.json") -> tuple[Any, Diagnostics]:
    diags = Diagnostics()
    return complete_config(load_config(config), document, name, diags), diags


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Cloudflare API", ["Cloudflare"]),
        ("Stripe API", ["Stripe"]),
        ("Twilio - Api", ["Twilio"]),
        ("My Test API", ["My", "Test"]),
        ("GitHub v3 REST API", ["GitHub"]),
        ("API", ["api"]),
    ],
)
def test_package_words_leave_out_generic_words(title: str, words: list[str]) -> None:
    assert package_words(title) == words


def test_identity_from_title_and_servers() -> None:
    config, diags = _identity(
        _document(info={"title": "Stripe API", "version": "1"}, servers=[{"url": "https://api.stripe.com/"}])
    )
    assert config.title == "Stripe API"
    assert (config.import_name, config.distribution) == ("stripe_client", "stripe-client")
    assert (config.environment_prefix, config.error_base_name) == ("STRIPE", "StripeError")
    assert config.base_url == "https://api.stripe.com"
    assert not [item for item in diags.items if item.level is Level.WARNING]


def test_the_seed_description_gives_the_seed_configs_names() -> None:
    """Cloudflare's package keeps every name with or without its config."""
    seed = load_config(REPO / "spec" / "config.toml")
    document = _document(
        info={"title": "Cloudflare API", "version": "4"}, servers=[{"url": "https://api.cloudflare.com/client/v4"}]
    )
    derived, _ = _identity(document)
    configured = complete_config(seed, document, "spec", Diagnostics())
    for key in ("title", "import_name", "distribution", "environment_prefix", "error_base_name", "base_url"):
        assert getattr(derived, key) == getattr(configured, key), key


def test_server_variables_with_defaults_become_client_options() -> None:
    server = {
        "url": "https://{region}.api.example.com/{basePath}",
        "variables": {"region": {"default": "us", "enum": ["us", "eu"]}, "basePath": {"default": "v2"}},
    }
    config, _ = _identity(_document(info={"title": "Example", "version": "1"}, servers=[server]))
    assert config.base_url == "https://us.api.example.com/v2"
    assert config.base_url_template == "https://{region}.api.example.com/{basePath}"
    assert [(v.name, v.wire_name, v.default, v.choices) for v in config.server_variables] == [
        ("base_path", "basePath", "v2", ()),
        ("region", "region", "us", ("us", "eu")),
    ]


@pytest.mark.parametrize(
    "servers",
    [
        None,
        [{"url": "/api/v3"}],
        [{"url": "https://{host}/"}],  # a variable without a default
        [{"url": 'https://x"""/{v}', "variables": {"v": {"default": "'''"}}}],
    ],
)
def test_no_usable_server_is_noted_and_localhost(servers: Any) -> None:
    top: dict[str, Any] = {"info": {"title": "Example", "version": "1"}}
    if servers is not None:
        top["servers"] = servers
    config, diags = _identity(_document(**top))
    assert config.base_url.startswith("http://localhost")
    assert config.server_variables == ()
    # noted in the report, not a warning: many descriptions name no server, and --strict must not refuse them
    assert any(item.code == "identity" and item.level is Level.INFO for item in diags.items)


def test_a_document_without_info_is_named_from_its_file() -> None:
    config, diags = _identity(_document(), name="pet-store.yaml")
    assert (config.title, config.import_name, config.error_base_name) == (
        "pet store",
        "pet_store_client",
        "PetStoreError",
    )
    assert next(item.pointer for item in diags.items if item.level is Level.WARNING) == "/info/title"


def test_configured_values_win_and_the_rest_is_derived(tmp_path: Path) -> None:
    config_file = tmp_path / "clientgen.toml"
    config_file.write_text('[package]\nimport_name = "acme"\nbase_url = "https://acme.test"\n', encoding="utf-8")
    server = {"url": "https://{region}.x.test", "variables": {"region": {"default": "us"}}}
    config, _ = _identity(_document(info={"title": "Stripe API", "version": "1"}, servers=[server]), config_file)
    assert (config.import_name, config.distribution, config.environment_prefix) == ("acme", "acme", "ACME")
    assert config.base_url == "https://acme.test"
    assert config.server_variables == ()  # the configured base URL replaces the servers
    assert config.error_base_name == "StripeError"


def test_a_bad_names_source_is_a_one_line_error(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[names]\nsource = "hashes"\n', encoding="utf-8")
    with pytest.raises(SpecError, match=r"names\.source"):
        load_config(config_file)


def test_the_config_is_found_beside_its_spec(tmp_path: Path) -> None:
    folder = tmp_path / "api"
    folder.mkdir()
    spec = folder / "openapi.json"
    spec.write_text("{}", encoding="utf-8")
    assert find_config(spec) is None
    assert find_config(folder) is None
    (folder / "config.toml").write_text("", encoding="utf-8")
    assert find_config(spec) == folder / "config.toml"
    (folder / "clientgen.toml").write_text("", encoding="utf-8")
    assert find_config(folder) == folder / "clientgen.toml"


def test_generation_without_a_config_never_reads_the_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the project folder (where spec/config.toml is): a foreign spec gets its own identity."""
    monkeypatch.chdir(REPO)
    spec = tmp_path / "petstore.json"
    spec.write_text(
        json.dumps(
            _document(info={"title": "Swagger Petstore", "version": "1"}, servers=[{"url": "https://petstore.test/v1"}])
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    write_tree(spec, None, out)
    pyproject = (out / "pyproject.toml").read_text(encoding="utf-8")
    assert 'name = "petstore-client"' in pyproject
    assert (out / "src" / "petstore_client" / "_client.py").is_file()
    client = (out / "src" / "petstore_client" / "_client.py").read_text(encoding="utf-8")
    assert "https://petstore.test/v1" in client
    assert "PETSTORE_BASE_URL" in client
    assert "api.cloudflare.com" not in client


def test_server_variables_are_client_options_of_the_generated_package(tmp_path: Path) -> None:
    server = {
        "url": "https://{region}.api.example.test/{version}",
        "variables": {"region": {"default": "us", "enum": ["us", "eu"]}, "version": {"default": "v2"}},
    }
    spec = tmp_path / "example.json"
    spec.write_text(json.dumps(_document(info={"title": "Example API", "version": "1"}, servers=[server])), "utf-8")
    out = tmp_path / "out"
    write_tree(spec, None, out)
    probe = (
        "from example_client import Client\n"
        "print(Client(api_token='t')._options.base_url)\n"
        "print(Client(api_token='t', region='eu')._options.base_url)\n"
        "print(Client(api_token='t', region='eu', base_url='http://127.0.0.1:1')._options.base_url)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(out / "src")},
    )
    assert result.stdout.split() == [
        "https://us.api.example.test/v2",
        "https://eu.api.example.test/v2",
        "http://127.0.0.1:1",
    ]
