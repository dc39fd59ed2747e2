"""The singularizer that names list items and array parts (``policies`` -> ``Policy``), one table."""

from __future__ import annotations

import pytest

from clientgen.names import singular

PLURALS = {
    # regular and suffix rules
    "zones": "zone",
    "keys": "key",
    "scripts": "script",
    "policies": "policy",
    "addresses": "address",
    "matches": "match",
    "branches": "branch",
    "hashes": "hash",
    "boxes": "box",
    "indexes": "index",
    "quizzes": "quiz",
    "databases": "database",
    "responses": "response",
    # the suffix rules would get these wrong
    "caches": "cache",
    "statuses": "status",
    "aliases": "alias",
    "analyses": "analysis",
    "indices": "index",
    "cookies": "cookie",
    "heroes": "hero",
    "prefixes": "prefix",
    "skus": "sku",
    "people": "person",
    # already singular
    "status": "status",
    "alias": "alias",
    "access": "access",
    "analysis": "analysis",
    "series": "series",
    "analytics": "analytics",
    "dns": "dns",
    "ips": "ips",
    "tax_ids": "tax_id",
    "cache": "cache",
    # compounds: the last word
    "dns_records": "dns_record",
    "purge_caches": "purge_cache",
    "user_statuses": "user_status",
}


@pytest.mark.parametrize(("plural", "expected"), sorted(PLURALS.items()))
def test_singular(plural: str, expected: str) -> None:
    assert singular(plural) == expected


@pytest.mark.parametrize("word", sorted(set(PLURALS.values())))
def test_a_singular_stays_as_it_is(word: str) -> None:
    assert singular(word) == word
