"""The resource tree rule (scripts/clientgen/routes.py) and the collision rule (model/build.py)."""

from __future__ import annotations

import pytest

from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics
from clientgen.model import build_api
from clientgen.names import PythonIdentifier
from clientgen.routes import route_table

SEED = "/accounts/{account_identifier}/pages/projects/{project_name}/deployments/{deployment_identifier}/rollback"
PATHS = [
    (SEED, "post"),
    ("/accounts/{a}/pages/projects/{p}/deployments", "get"),
    ("/accounts/{a}/pages/projects/{p}/deployments", "post"),
    ("/accounts/{a}/pages/projects/{p}/deployments/{d}", "get"),
    ("/accounts/{a}/access/apps/ca", "get"),
    ("/accounts/{a}/access/apps/{app}/ca", "get"),
    ("/accounts/{a}/access/apps/{app}/ca", "post"),
    ("/accounts/{a}/access/apps/{app}/ca", "delete"),
    ("/accounts/{a}/load_balancers/pools", "patch"),
    ("/accounts/{a}/load_balancers/pools/{pool}", "patch"),
    ("/zones/{z}/purge_cache", "post"),
    ("/zones/{z}", "get"),
    ("/zones", "get"),
    ("/user/tokens/verify", "get"),
]


@pytest.mark.parametrize(
    ("path", "method", "nouns", "verb", "level"),
    [
        (SEED, "post", ("pages", "projects", "deployments"), "rollback", "action"),
        (
            "/accounts/{a}/pages/projects/{p}/deployments",
            "get",
            ("pages", "projects", "deployments"),
            "list",
            "collection",
        ),
        (
            "/accounts/{a}/pages/projects/{p}/deployments",
            "post",
            ("pages", "projects", "deployments"),
            "create",
            "collection",
        ),
        (
            "/accounts/{a}/pages/projects/{p}/deployments/{d}",
            "get",
            ("pages", "projects", "deployments"),
            "get",
            "item",
        ),
        ("/accounts/{a}/access/apps/ca", "get", ("access", "apps", "ca"), "list", "collection"),
        ("/accounts/{a}/access/apps/{app}/ca", "get", ("access", "apps", "ca"), "get", "singleton"),
        ("/accounts/{a}/access/apps/{app}/ca", "delete", ("access", "apps", "ca"), "delete", "singleton"),
        ("/accounts/{a}/load_balancers/pools", "patch", ("load_balancers", "pools"), "edit", "collection"),
        ("/zones/{z}/purge_cache", "post", ("purge_cache",), "create", "collection"),
        ("/zones/{z}", "get", ("zones",), "get", "item"),
        ("/zones", "get", ("zones",), "list", "collection"),
        ("/user/tokens/verify", "get", ("user", "tokens", "verify"), "list", "collection"),
    ],
)
def test_route(path: str, method: str, nouns: tuple[str, ...], verb: str, level: str) -> None:
    route = route_table(PATHS)[path, method]
    assert (route.nouns, route.verb, route.level) == (nouns, verb, level)


def test_scope_is_dropped_and_remembered() -> None:
    route = route_table(PATHS)[SEED, "post"]
    assert route.scope == "accounts"
    assert route_table(PATHS)["/zones/{z}/purge_cache", "post"].scope == "zones"


def test_routes_do_not_depend_on_input_order() -> None:
    assert route_table(PATHS) == route_table(list(reversed(PATHS)))


def _document(paths: list[tuple[str, str, str]]) -> dict[str, object]:
    items: dict[str, dict[str, object]] = {}
    for path, method, operation_id in paths:
        items.setdefault(path, {})[method] = {"operationId": operation_id, "responses": {"204": {"description": "ok"}}}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": items}


def test_collisions_get_documented_names() -> None:
    doc = _document(
        [
            ("/accounts/{a}/load_balancers/pools", "patch", "pools-bulk"),
            ("/accounts/{a}/load_balancers/pools/{pool}", "patch", "pools-one"),
            ("/accounts/{a}/custom_pages", "get", "account-pages"),
            ("/zones/{z}/custom_pages", "get", "zone-pages"),
            ("/zones/{z}/custom_pages/x/{id}", "get", "zone-page-x"),
        ]
    )
    config = GeneratorConfig("d", PythonIdentifier("pkg"), "1", "https://x", "X")
    calls = {op.operation_id: op.call_path for op in build_api(doc, {}, config, Diagnostics()).operations}
    assert calls["pools-one"] == "client.load_balancers.pools.edit"
    assert calls["pools-bulk"] == "client.load_balancers.pools.bulk_edit"
    assert calls["account-pages"] == "client.custom_pages.list"
    assert calls["zone-pages"] == "client.custom_pages.list_for_zone"
    overridden = GeneratorConfig(
        "d", PythonIdentifier("pkg"), "1", "https://x", "X", {"zone-pages": ("pages", "zone_list")}
    )
    calls = {op.operation_id: op.call_path for op in build_api(doc, {}, overridden, Diagnostics()).operations}
    assert calls["zone-pages"] == "client.pages.zone_list"
    assert calls["account-pages"] == "client.custom_pages.list"


STRIPE_LIKE = [  # updates by POST: no item is ever PUT or PATCHed
    ("/v1/coupons", "get"),
    ("/v1/coupons", "post"),
    ("/v1/coupons/{coupon}", "get"),
    ("/v1/coupons/{coupon}", "post"),
    ("/v1/coupons/{coupon}", "delete"),
    ("/v1/invoices/{invoice}/pay", "post"),
]
TWILIO_LIKE = [
    ("/2010-04-01/Accounts/{AccountSid}/Messages.json", "post"),
    ("/2010-04-01/Accounts/{AccountSid}/Messages.json", "get"),
    ("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "get"),
    ("/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "post"),
]


@pytest.mark.parametrize(
    ("pairs", "path", "method", "nouns", "verb"),
    [
        (STRIPE_LIKE, "/v1/coupons", "post", ("coupons",), "create"),
        (STRIPE_LIKE, "/v1/coupons", "get", ("coupons",), "list"),
        (STRIPE_LIKE, "/v1/coupons/{coupon}", "post", ("coupons",), "update"),
        (STRIPE_LIKE, "/v1/coupons/{coupon}", "get", ("coupons",), "get"),
        (STRIPE_LIKE, "/v1/coupons/{coupon}", "delete", ("coupons",), "delete"),
        (STRIPE_LIKE, "/v1/invoices/{invoice}/pay", "post", ("invoices",), "pay"),
        (TWILIO_LIKE, "/2010-04-01/Accounts/{AccountSid}/Messages.json", "post", ("Accounts", "Messages"), "create"),
        (TWILIO_LIKE, "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "get", ("Accounts", "Messages"), "get"),
        (
            TWILIO_LIKE,
            "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json",
            "post",
            ("Accounts", "Messages"),
            "update",
        ),
        # a description that updates with PUT or PATCH keeps POST on an item a create (Cloudflare's six)
        ([*STRIPE_LIKE, ("/v1/plans/{plan}", "put")], "/v1/coupons/{coupon}", "post", ("coupons",), "create"),
        # a version further down the path names a resource there (Cloudflare's images/v1)
        ([("/images/v1/{id}", "get")], "/images/v1/{id}", "get", ("images", "v1"), "get"),
    ],
)
def test_route_reads_the_descriptions_conventions(
    pairs: list[tuple[str, str]], path: str, method: str, nouns: tuple[str, ...], verb: str
) -> None:
    route = route_table(pairs)[path, method]
    assert (route.nouns, route.verb) == (nouns, verb)


def test_update_by_post_names_the_collection_create_plainly() -> None:
    doc = _document([(path, method, f"{method}-{path}") for path, method in STRIPE_LIKE])
    config = GeneratorConfig("d", PythonIdentifier("pkg"), "1", "https://x", "X")
    calls = {op.operation_id: op.call_path for op in build_api(doc, {}, config, Diagnostics()).operations}
    assert calls["post-/v1/coupons"] == "client.coupons.create"
    assert calls["post-/v1/coupons/{coupon}"] == "client.coupons.update"


def test_verb_phrase_operation_ids_name_what_the_tree_leaves_a_noun() -> None:
    """Twilio-like: operationIds are verb phrases, so a trailing noun is a sub-resource and the id says the verb."""
    calls = "/2010-04-01/Accounts/{AccountSid}/Calls"
    pairs = [
        (f"{calls}.json", "get", "ListCall"),
        (f"{calls}/{{Sid}}.json", "get", "FetchCall"),
        (f"{calls}/{{Sid}}.json", "post", "UpdateCall"),
        (f"{calls}/{{CallSid}}/Events.json", "get", "ListCallEvent"),
        ("/2010-04-01/Accounts/{AccountSid}/Balance.json", "get", "FetchBalance"),
        (f"{calls}/{{CallSid}}/Hangup.json", "post", "HangupCall"),
    ]
    config = GeneratorConfig("d", PythonIdentifier("pkg"), "1", "https://x", "X")
    api = build_api(_document(pairs), {}, config, Diagnostics())
    calls_by_id = {op.operation_id: op.call_path for op in api.operations}
    assert calls_by_id["ListCallEvent"] == "client.accounts.calls.events.list"
    assert calls_by_id["FetchBalance"] == "client.accounts.balance.get"
    assert calls_by_id["HangupCall"] == "client.accounts.calls.hangup"  # not a CRUD verb: the action stays
    assert calls_by_id["UpdateCall"] == "client.accounts.calls.update"
    # the same paths with Cloudflare-like ids (not verb phrases) keep the tree's reading
    tagged = build_api(
        _document([(p, m, f"calls-{i}") for i, (p, m, _) in enumerate(pairs)]), {}, config, Diagnostics()
    )
    assert {op.call_path for op in tagged.operations} >= {"client.accounts.calls.events", "client.accounts.balance"}
