"""Auth in the intermediate model: the API's security schemes as client arguments, and who needs what.

Read from ``components.securitySchemes`` and each operation's ``security`` (else the
document's), or from ``[auth] requirements`` in the config, which replaces every operation's
list (Cloudflare's per-operation lists are unreliable).  The runtime (``_auth.py``) only lays
these tables out:

* each scheme is one or two client arguments named after it (HTTP basic: ``username`` and
  ``password``, prefixed with the scheme's name when the API has several basic schemes), and
  one environment variable per argument (``<PREFIX>_<ARGUMENT>``, or ``[auth.environment]``);
* an operation's requirement alternatives are sent with the request only when they differ
  from the API's most common ones (``Operation.request_security``);
* two schemes *conflict* when some operation offers them as alternatives and no requirement
  anywhere combines them: giving both is an error at construction;
* credentials are required at construction only when every operation needs some;
* a description that uses no scheme at all gets an optional bearer token (``api_token``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.names import PythonIdentifier

__all__ = [
    "Alternative",
    "Auth",
    "AuthScheme",
    "Requirements",
    "Scopes",
    "build_auth",
    "default_scopes",
    "operation_requirements",
    "operation_scopes",
]

Requirements = tuple[tuple[str, ...], ...]  # alternatives, each the schemes it needs together
# OAuth2 client-credentials scopes an operation asks for: (scheme, its scopes), by scheme name
Scopes = tuple[tuple[str, tuple[str, ...]], ...]
# The client's own keyword arguments: a credential argument never takes one of these names.
CLIENT_OPTIONS = frozenset(
    {"self", "base_url", "timeout", "max_retries", "retry_non_idempotent", "default_headers", "http_client"}
)
FALLBACK_SCHEME = "api_token"


@dataclass(frozen=True)
class AuthScheme:
    """One security scheme, as the client sends it."""

    name: str  # the key in components.securitySchemes (spec text: rendered through pystr only)
    kind: str  # basic, bearer (also OAuth2 and OpenID Connect access tokens), api_key, client_credentials
    location: str  # header, query, cookie
    wire_name: str  # the header, query parameter or cookie carrying it; client_credentials: the token URL
    arguments: tuple[PythonIdentifier, ...]  # basic: (username, password); else one
    variables: tuple[str, ...]  # one environment variable per argument

    @property
    def described(self) -> str:
        """How the README and errors name it: ``username + password``, ``api_token``."""
        return " + ".join(self.arguments)

    @property
    def carrier(self) -> str:
        """Where it travels, for the README: ``Authorization: Bearer``, or the header, query or cookie name."""
        if self.kind in {"basic", "bearer"}:
            return f"Authorization: {self.kind.title()}"
        if self.kind == "client_credentials":
            return "Authorization: Bearer"
        return self.wire_name


@dataclass(frozen=True)
class Alternative:
    """One way to authenticate, as the README lists it."""

    schemes: tuple[AuthScheme, ...]

    @property
    def arguments(self) -> list[str]:
        return [argument for scheme in self.schemes for argument in scheme.arguments]

    @property
    def variables(self) -> list[str]:
        return [variable for scheme in self.schemes for variable in scheme.variables]


@dataclass(frozen=True)
class Auth:
    schemes: tuple[AuthScheme, ...]  # in the default requirements' order, then by name; only those used
    default: Requirements  # the most common requirement alternatives: sent without per-request data
    requirements: Requirements  # every distinct requirement (a given scheme must complete one of them)
    conflicts: tuple[tuple[str, str], ...]  # scheme pairs that are alternatives and never combined
    required: bool  # every operation needs credentials: checked when the client is built
    scopes: Scopes = ()  # the most common OAuth2 scopes: sent without per-request data

    @property
    def sensitive_headers(self) -> list[str]:
        """Lower-case names of every header a credential travels in: redacted in logs."""
        names = {"authorization"} | {
            s.wire_name.lower() for s in self.schemes if s.location == "header" and s.kind == "api_key"
        }
        if any(scheme.location == "cookie" for scheme in self.schemes):
            names.add("cookie")
        return sorted(names)

    @property
    def sensitive_query(self) -> list[str]:
        return sorted({scheme.wire_name for scheme in self.schemes if scheme.location == "query"})

    @property
    def alternatives(self) -> list[Alternative]:
        """Every requirement, the default ones first (in their order)."""
        ordered = [*self.default, *(names for names in self.requirements if names not in self.default)]
        return [Alternative(tuple(self.scheme(name) for name in names)) for names in ordered if names]

    @property
    def exclusive(self) -> bool:
        """Every two ways to authenticate conflict: the client takes exactly one kind."""
        ways = self.alternatives
        return len(ways) > 1 and all(
            any(tuple(sorted((a.name, b.name))) in self.conflicts for a in first.schemes for b in second.schemes)
            for index, first in enumerate(ways)
            for second in ways[index + 1 :]
        )

    @property
    def conflict_example(self) -> str:
        """One conflicting pair, as the README names it: ``api_token and api_email``."""
        first, second = self.conflicts[0]
        return f"{self.scheme(first).described} and {self.scheme(second).described}"

    def scheme(self, name: str) -> AuthScheme:
        return next(scheme for scheme in self.schemes if scheme.name == name)

    def describe(self, requirements: Requirements) -> list[str]:
        """Each alternative as its arguments: ``["api_token", "api_email + api_key"]``."""
        return [" + ".join(self.scheme(name).described for name in names) for names in requirements if names]


def _kind(definition: dict[str, Any]) -> tuple[str, str, str] | None:
    """(kind, location, wire name), or ``None`` for a scheme the client cannot send."""
    kind = definition.get("type")
    if kind == "http":
        scheme = str(definition.get("scheme", "")).lower()
        return {"basic": ("basic", "header", "Authorization"), "bearer": ("bearer", "header", "Authorization")}.get(
            scheme
        )
    flows = definition.get("flows")
    credentials_flow = flows.get("clientCredentials") if kind == "oauth2" and isinstance(flows, dict) else None
    if isinstance(credentials_flow, dict) and isinstance(credentials_flow.get("tokenUrl"), str):
        return "client_credentials", "header", str(credentials_flow["tokenUrl"])  # the token comes from here
    if kind in {"oauth2", "openIdConnect"}:
        return "bearer", "header", "Authorization"
    name, location = definition.get("name"), definition.get("in")
    if kind == "apiKey" and isinstance(name, str) and name and location in {"header", "query", "cookie"}:
        return "api_key", str(location), name
    return None


def _schemes(
    definitions: dict[str, Any], used: set[str], config: GeneratorConfig, diags: Diagnostics
) -> dict[str, AuthScheme]:
    kinds: dict[str, tuple[str, str, str]] = {}
    for name in sorted(used):
        found = _kind(definitions.get(name) or {}) if isinstance(definitions.get(name), dict) else None
        if found is None:
            pointer = f"/components/securitySchemes/{escape_pointer_token(name)}"
            diags.warn(pointer, "security-scheme", f"security scheme {name!r} cannot be sent by the client; ignored")
            continue
        kinds[name] = found
    pairs = {"basic": ("username", "password"), "client_credentials": ("client_id", "client_secret")}
    several = {kind: sum(found == kind for found, _, _ in kinds.values()) > 1 for kind in pairs}
    schemes: dict[str, AuthScheme] = {}
    taken = set(CLIENT_OPTIONS)
    for name, (kind, location, wire_name) in kinds.items():
        base = PythonIdentifier.from_text(name, fallback="credential")
        if kind in pairs:
            words = pairs[kind]
            prefixed = several[kind] or any(word in taken for word in words)
            arguments = tuple(PythonIdentifier.bounded(f"{base}_{word}" if prefixed else word) for word in words)
        else:
            arguments = (base,)
        while any(argument in taken for argument in arguments):  # two schemes whose names read the same
            arguments = tuple(PythonIdentifier.bounded(f"{argument}_") for argument in arguments)
        taken.update(arguments)
        variables = tuple(
            f"{config.environment_prefix}_{config.auth_environment.get(argument, argument.upper())}"
            for argument in arguments
        )
        schemes[name] = AuthScheme(name, kind, location, wire_name, arguments, variables)
    return schemes


def configured_requirements(document: dict[str, Any], config: GeneratorConfig) -> Requirements | None:
    """``[auth] requirements`` when the document defines a scheme they name (not a config meant for another API)."""
    defined = (document.get("components") or {}).get("securitySchemes") or {}
    names = {name for names in config.auth_requirements or () for name in names}
    return config.auth_requirements if isinstance(defined, dict) and names & defined.keys() else None


def operation_requirements(op: dict[str, Any], document: dict[str, Any], config: GeneratorConfig) -> Requirements:
    """The operation's requirement alternatives as declared (config, else its own, else the document's)."""
    configured = configured_requirements(document, config)
    if configured is not None:
        return configured
    security = op["security"] if "security" in op else document.get("security") or []
    if not isinstance(security, list):
        return ()
    return tuple(tuple(sorted(str(name) for name in item)) for item in security if isinstance(item, dict))


def _conflicts(lists: list[Requirements], requirements: Requirements) -> tuple[tuple[str, str], ...]:
    combined = {(a, b) for names in requirements for a in names for b in names}
    pairs = {
        tuple(sorted((a, b)))
        for alternatives in lists
        for first in alternatives
        for second in alternatives
        for a in first
        for b in second
        if a != b and (a, b) not in combined
    }
    return tuple(sorted((a, b) for a, b in pairs))


def build_auth(
    declared: list[Requirements], document: dict[str, Any], config: GeneratorConfig, diags: Diagnostics
) -> tuple[Auth, list[Requirements]]:
    """The API's auth tables, and each operation's requirements with unusable alternatives dropped."""
    definitions = (document.get("components") or {}).get("securitySchemes") or {}
    used = {name for requirements in declared for names in requirements for name in names}
    if not used and configured_requirements(document, config) is None:
        # A description that names no scheme at all (many leave auth out): an optional bearer token,
        # so the client can still authenticate; nothing is sent without one.
        diags.add("/", "security-fallback", f"no security scheme is used: optional bearer token {FALLBACK_SCHEME!r}")
        definitions = {FALLBACK_SCHEME: {"type": "http", "scheme": "bearer"}}
        used = {FALLBACK_SCHEME}
        declared = [((FALLBACK_SCHEME,), ()) for _ in declared]
    schemes = _schemes(definitions if isinstance(definitions, dict) else {}, used, config, diags)
    usable = [tuple(names for names in requirements if set(names) <= schemes.keys()) for requirements in declared]
    # an operation that declared requirements none of which the client can send: sent without credentials
    counts = Counter(usable)
    default = min(counts, key=lambda item: (-counts[item], repr(item))) if counts else ()
    requirements = tuple(sorted({names for alternatives in usable for names in alternatives if names}))
    first = list(dict.fromkeys(name for names in default for name in names))
    order = sorted(schemes, key=lambda name: (first.index(name) if name in first else len(first), name))
    auth = Auth(
        schemes=tuple(schemes[name] for name in order),
        default=default,
        requirements=requirements,
        conflicts=_conflicts(sorted(set(usable)), requirements),
        required=bool(usable) and all(alternatives and all(alternatives) for alternatives in usable),
    )
    return auth, usable


def _flow_scopes(definition: object) -> tuple[str, ...]:
    """Every scope a client-credentials flow declares, in the description's order."""
    flows = definition.get("flows") if isinstance(definition, dict) else None
    flow = flows.get("clientCredentials") if isinstance(flows, dict) else None
    scopes = flow.get("scopes") if isinstance(flow, dict) else None
    return tuple(str(name) for name in scopes) if isinstance(scopes, dict) else ()


def operation_scopes(op: dict[str, Any], document: dict[str, Any], auth: Auth) -> Scopes:
    """The scopes each client-credentials scheme asks the token URL for on this operation.

    Those the operation's security requirements list for the scheme (its own, else the
    document's; the alternatives' lists merged), else every scope the flow declares
    (RFC 6749 4.4.2: ``scope`` is the space-separated list).
    """
    definitions = (document.get("components") or {}).get("securitySchemes") or {}
    security = op["security"] if "security" in op else document.get("security") or []
    items = [item for item in security if isinstance(item, dict)] if isinstance(security, list) else []
    found: list[tuple[str, tuple[str, ...]]] = []
    for scheme in auth.schemes:
        if scheme.kind != "client_credentials":
            continue
        listed = [item.get(scheme.name) for item in items]
        named = [str(scope) for scopes in listed if isinstance(scopes, list) for scope in scopes]
        chosen = tuple(dict.fromkeys(named)) or _flow_scopes(definitions.get(scheme.name))
        if chosen:
            found.append((scheme.name, chosen))
    return tuple(found)


def default_scopes(scopes: list[Scopes]) -> Scopes:
    """The most common scopes (ties by their text): the client sends them unless an operation names others."""
    counts = Counter(scopes)
    return min(counts, key=lambda item: (-counts[item], repr(item))) if counts else ()
