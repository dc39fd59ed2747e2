"""Model names from the description's own words (component keys, titles) where its keys are words, per API."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from clientgen.diagnostics import Diagnostics
from clientgen.normalize import normalize
from clientgen.normalize.naming_source import (
    COMPONENT_MARKER,
    choose_names_source,
    component_candidates,
    is_machine_noise,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from peer_call_paths import peer_document  # benchmarks/: not a package


def _array_of(key: str) -> dict[str, Any]:
    items = {"$ref": f"#/components/schemas/{key}"}
    return {
        "200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": items}}}}
    }


def _one(key: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{key}"}
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


REPO_PARAMS = [
    {"name": "owner", "in": "path", "required": True, "schema": {"type": "string"}},
    {"name": "repo", "in": "path", "required": True, "schema": {"type": "string"}},
]
SIMPLE_USER = {"type": "object", "properties": {"login": {"type": "string"}, "id": {"type": "integer"}}}


def github_like(prefix: str = "") -> dict[str, Any]:
    """The shapes that named GitHub's ``issue-simple`` ``Assignee`` and ``simple-user`` ``Block``."""
    label = {"type": "object", "title": "Label", "properties": {"name": {"type": "string"}}}
    issue = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "assignee": {"$ref": f"#/components/schemas/{prefix}simple-user"},
            "labels": {"type": "array", "items": label},
        },
    }
    tree = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/" + prefix + "tree-node"}},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "GitHub v3 REST API", "version": "1"},
        "paths": {
            "/repos/{owner}/{repo}/issues": {
                "parameters": REPO_PARAMS,
                "get": {"operationId": "issues/list", "responses": _array_of(f"{prefix}issue-simple")},
            },
            "/user/blocks": {
                "get": {"operationId": "users/list-blocked", "responses": _array_of(f"{prefix}simple-user")}
            },
            "/repos/{owner}/{repo}/tree": {
                "parameters": REPO_PARAMS,
                "get": {"operationId": "git/tree", "responses": _one(f"{prefix}tree-node")},
            },
        },
        "components": {
            "schemas": {
                f"{prefix}simple-user": SIMPLE_USER,
                f"{prefix}issue-simple": issue,
                f"{prefix}tree-node": tree,
            }
        },
    }


def _names(document: dict[str, Any], source: str = "auto") -> list[str]:
    normalized = normalize(document, Diagnostics(), names_source=source)
    assert COMPONENT_MARKER not in json.dumps(normalized)  # the marker never leaves normalization
    return sorted(normalized["components"]["schemas"])


def test_a_document_with_word_keys_is_named_from_its_keys() -> None:
    names = _names(github_like())
    assert {"IssueSimple", "SimpleUser", "TreeNode"} <= set(names)
    assert "IssueSimpleLabel" not in names  # an inline schema's title is its name
    assert "Label" in names


def github_shapes() -> dict[str, Any]:
    """``github_like`` plus more of GitHub's component-key shapes: ``nullable-*`` twins, ``repository``
    referred to from issues, a ``nullable-repository`` inside it, ``minimal-repository`` for forks, a
    collaborator returned as ``nullable-simple-user``."""
    document = github_like()
    schemas = document["components"]["schemas"]
    ref = {key: {"$ref": f"#/components/schemas/{key}"} for key in ("simple-user", "nullable-simple-user")}
    schemas["nullable-simple-user"] = {**SIMPLE_USER, "nullable": True, "title": "Simple User"}
    schemas["nullable-repository"] = {
        "type": "object",
        "nullable": True,
        "title": "Repository",
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "owner": ref["simple-user"]},
    }
    schemas["repository"] = {
        "type": "object",
        "title": "Repository",
        "properties": {
            "id": {"type": "integer"},
            "full_name": {"type": "string"},
            "owner": ref["simple-user"],
            "template_repository": {"$ref": "#/components/schemas/nullable-repository"},
        },
    }
    schemas["minimal-repository"] = {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "node_id": {"type": "string"}, "owner": ref["simple-user"]},
    }
    issue = schemas["issue-simple"]["properties"]
    issue["user"] = ref["nullable-simple-user"]
    issue["repository"] = {"$ref": "#/components/schemas/repository"}
    username = {"name": "username", "in": "path", "required": True, "schema": {"type": "string"}}
    document["paths"].update(
        {
            "/repos/{owner}/{repo}": {
                "parameters": REPO_PARAMS,
                "get": {"operationId": "repos/get", "responses": _one("repository")},
            },
            "/repos/{owner}/{repo}/forks": {
                "parameters": REPO_PARAMS,
                "get": {"operationId": "repos/list-forks", "responses": _array_of("minimal-repository")},
            },
            "/repos/{owner}/{repo}/collaborators/{username}": {
                "parameters": [*REPO_PARAMS, username],
                "get": {"operationId": "repos/get-collaborator", "responses": _one("nullable-simple-user")},
            },
        }
    )
    return document


def test_github_component_keys_name_their_models() -> None:
    """Every component of the GitHub-like document is named from its key: no route word (``Fork``, ``Repo``,
    ``Block``, ``Assignee``) and no content hash where the description gives a name."""
    document = github_shapes()
    expected = {"".join(word.title() for word in key.split("-")) for key in document["components"]["schemas"]}
    assert expected == {
        "IssueSimple", "MinimalRepository", "NullableRepository", "NullableSimpleUser", "Repository", "SimpleUser",
        "TreeNode",
    }  # fmt: skip
    names = set(_names(document))
    assert expected <= names
    assert names - expected == {"Label"}  # the one inline schema, named by its title


def test_the_config_can_choose_content_names() -> None:
    names = _names(github_like(), source="content")
    assert "IssueSimple" not in names
    assert "SimpleUser" not in names


@pytest.mark.parametrize(
    ("key", "noise"),
    [
        ("issue-simple", False),
        ("payment_intent", False),
        ("api.v2010.account.call", False),
        ("ModelWithRecursiveRef", False),
        ("base64_content", False),
        ("1mkpWi3B_identifier", True),
        ("LoT7qKky_api-response-common", True),
        ("iam_response_collection", True),
        ("workers_deployments-create-body", True),
    ],
)
def test_machine_noise(key: str, *, noise: bool) -> None:
    assert is_machine_noise(key) is noise


def test_keys_sharing_one_prefix_are_a_namespace_not_names() -> None:
    source, share = choose_names_source(github_like("abc_"))
    assert (source, share) == ("content", 1.0)
    assert choose_names_source(github_like())[0] == "keys"


def test_dotted_namespaces_offer_their_last_parts_first() -> None:
    assert component_candidates("api.v2010.account.call") == (("call",), ("account", "call"))
    assert component_candidates("iam_response_collection", "Member") == (("member",),)


PEERS = {
    "stripe/spec3-2023-09-12.yaml": "keys",
    "twilio/twilio_api_v2010.json": "keys",
    "openapi-python-client/baseline_openapi_3.0.json": "keys",
}
CLOUDFLARE = ["openapi-2023-08-31.json", "openapi-2023-12-29.json", "openapi-2024-08-06.json"]


def _corpus() -> Path:
    location = os.environ.get("CLOUDFLARE_CORPUS")
    if not location:
        pytest.skip("set CLOUDFLARE_CORPUS to the shared corpus folder to run this test")
    return Path(location) / "corpus"


# On the worker of test_peer_call_paths.py, which reads the same parsed documents (peer_document: once per process).
@pytest.mark.xdist_group("peer-call-paths")
@pytest.mark.parametrize("name", sorted(PEERS))
def test_peers_are_named_from_their_keys(name: str) -> None:
    path = _corpus() / "peers" / name
    document = peer_document(path)  # parsed only: the whole pipeline may refuse a document this rule reads
    assert choose_names_source(document)[0] == PEERS[name]


@pytest.mark.parametrize("name", CLOUDFLARE)
def test_cloudflare_is_named_from_content(name: str) -> None:
    document = json.loads((_corpus() / "cloudflare" / name).read_text())
    assert choose_names_source(document)[0] == "content"


@pytest.mark.parametrize(
    "alias", [{"$ref": "#/components/schemas/issue-simple"}, {"allOf": [{"$ref": "#/components/schemas/issue-simple"}]}]
)
def test_an_alias_is_named_by_its_target(alias: dict[str, Any]) -> None:
    document = github_like()
    document["components"]["schemas"]["a"] = alias  # shorter than the target's name: it would win a tie
    document["paths"]["/repos/{owner}/{repo}/issues"]["get"]["responses"] = _array_of("a")
    assert "IssueSimple" in _names(document)
    assert "A" not in _names(document)
