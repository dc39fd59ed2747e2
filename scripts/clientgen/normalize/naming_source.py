"""Where model names come from, per API: the description's own component keys, or content and use.

The rule (``[names] source = "auto"``, the default; ``"keys"`` or ``"content"`` in the config
decide it outright): a component key is *machine noise* when its last dotted part holds a
random token (6+ letters and digits mixed: Cloudflare's re-rolled ``1mkpWi3B_identifier``)
or a word that says where a schema sits rather than what it is (``response``, ``collection``,
``single``, ``components``, ``schemas``, ``common``, ``body``, ``request``: Cloudflare's
``iam_response_collection``), or when it starts with a prefix (up to its first ``_``) that at
least half of the document's keys share: a machine namespace, not a name (``abc_widget``,
``abc_rule``).  A document whose keys are at most ``MAX_NOISE_SHARE`` noise is
named from its keys (Stripe 2%, openapi-python-client 1%, Twilio 0%, a GitHub-like
``issue-simple`` 0%); above it from content and use (Cloudflare 2024-08-06 41%, 2023-08-31
82%), whose names survive the keys' re-rolls.

Named from keys, a schema's candidates are its key's words, made Python-like
(``issue-simple`` -> ``IssueSimple``; a dotted namespace ``api.v2010.account.call`` offers
``Call``, then ``AccountCall``, ...), then its ``title``; a noisy key offers none (its schema is
named from use, as with content).  The ref pass marks each inlined component with
:data:`COMPONENT_MARKER` (its key) and each titled object with :data:`TITLE_MARKER` for the
hoist pass to read; the markers never reach the normalized document.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from clientgen.names import split_words

__all__ = [
    "COMPONENT_MARKER",
    "MARKERS",
    "MAX_NOISE_SHARE",
    "TITLE_MARKER",
    "choose_names_source",
    "component_candidates",
    "is_machine_noise",
    "noise_share",
    "strip_marker",
]

COMPONENT_MARKER = "x-clientgen-component"
TITLE_MARKER = "x-clientgen-title"  # a later pass turns titles into descriptions: the title, kept for naming
MARKERS = frozenset({COMPONENT_MARKER, TITLE_MARKER})
MAX_NOISE_SHARE = 0.2
_ROLE_WORDS = frozenset({"response", "responses", "collection", "single", "components", "schemas", "common", "body",
                         "request"})  # fmt: skip
_RANDOM_TOKEN = re.compile(r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{6,}")
# Letters and digits that are words: ``base64``, ``v2010``, ``oauth2``, ``1st``
_WORDY_TOKEN = re.compile(r"[A-Za-z]+\d{1,4}|v\d+|\d+[a-z]{1,2}")
_NAMESPACE_PART = re.compile(r"api|v\d+(?:\.\d+)*|\d{4}-?\d{2}-?\d{2}", re.IGNORECASE)
_MAX_PARTS = 3

Words = tuple[str, ...]


def _parts(key: str) -> list[str]:
    """The dotted parts of a key that name something: no ``api``, no version."""
    return [part for part in key.split(".") if part and not _NAMESPACE_PART.fullmatch(part)]


def is_machine_noise(key: str) -> bool:
    parts = _parts(key)
    if not parts:
        return True
    tokens = re.split(r"[^A-Za-z0-9]+", parts[-1])
    if any(_RANDOM_TOKEN.fullmatch(token) and not _WORDY_TOKEN.fullmatch(token) for token in tokens):
        return True
    return bool(set(split_words(parts[-1])) & _ROLE_WORDS)


def _shared_prefix(keys: list[str]) -> str | None:
    """The ``<prefix>_`` at least half of the keys start with, if any."""
    prefixes = Counter(key.split("_", 1)[0] for key in keys if "_" in key)
    if not prefixes:
        return None
    prefix, count = max(prefixes.items(), key=lambda item: (item[1], item[0]))
    return prefix if count * 2 >= len(keys) else None


def noise_share(keys: list[str]) -> float:
    """The share of ``keys`` that are machine noise (the rule above)."""
    if not keys:
        return 0.0
    prefix = _shared_prefix(keys)
    noisy = sum(is_machine_noise(key) or (prefix is not None and key.startswith(f"{prefix}_")) for key in keys)
    return noisy / len(keys)


def choose_names_source(document: dict[str, Any], configured: str = "auto") -> tuple[str, float]:
    """``keys`` or ``content`` for this document, and the share of noisy component keys it was judged on."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    keys = sorted(str(key) for key in schemas) if isinstance(schemas, dict) else []
    share = noise_share(keys)
    if configured in {"keys", "content"}:
        return configured, share
    return ("keys" if keys and share <= MAX_NOISE_SHARE else "content"), share


def component_candidates(key: str, title: object = None) -> tuple[Words, ...]:
    """Names a component offers, best first: its key's last parts, then its title; none for a noisy key."""
    candidates: list[Words] = []
    if not is_machine_noise(key):
        parts = [tuple(split_words(part)) for part in _parts(key)]
        for depth in range(1, min(len(parts), _MAX_PARTS) + 1):
            words = tuple(word for part in parts[-depth:] for word in part)
            if words and words not in candidates:
                candidates.append(words)
    if isinstance(title, str) and not is_machine_noise(title):
        words = tuple(split_words(title))
        if words and words not in candidates:
            candidates.append(words)
    return tuple(candidates)


def strip_marker(node: dict[str, Any]) -> tuple[dict[str, Any], str | None, str | None]:
    """``node`` without the markers, and the component key and title they carried."""
    if not MARKERS & node.keys():
        return node, None, None
    key, title = node.get(COMPONENT_MARKER), node.get(TITLE_MARKER)
    stripped = {name: value for name, value in node.items() if name not in MARKERS}
    return stripped, (str(key) if key is not None else None), (str(title) if title is not None else None)
