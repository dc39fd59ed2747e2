"""The package's identity from the description: what a config does not set.

* ``title`` is ``info.title`` (a document without it: the spec's file name, with a warning);
* the package words are the title's words without generic ones (``"Stripe API"`` -> ``stripe``,
  ``"Twilio - Api"`` -> ``twilio``): import name ``<words>_client``, distribution
  ``<words>-client``, error base ``<Words>Error``, environment prefix the import name in upper
  case without ``_CLIENT`` (``STRIPE``);
* ``base_url`` is the first server's URL, each ``{variable}`` at its default; the variables
  become client options.  No usable absolute server: ``http://localhost`` (plus a relative
  server's path), noted in the report (not a warning: many descriptions name no server), the
  user passes ``base_url=``.

Cloudflare's description gives exactly the names the seed's config sets.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from clientgen.config import GeneratorConfig, ServerVariable
from clientgen.diagnostics import Diagnostics
from clientgen.names import ClassName, PythonIdentifier, split_words

__all__ = ["complete_config", "package_words"]

# Words that say what every description is, not which API: left out of the package name.
_GENERIC_WORDS = frozenset({
    "api", "apis", "rest", "restful", "http", "openapi", "swagger", "spec", "specification", "service", "services",
    "web", "the", "documentation", "docs", "definition", "reference",
})  # fmt: skip
_VERSION_WORD = re.compile(r"v\d+|\d+")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ABSOLUTE_URL = re.compile(r"https?://[^\s\"'\\{}]+")
_SAFE_DEFAULT = re.compile(r"[A-Za-z0-9._~:@!$&()*+,;=/-]*")
_FALLBACK_HOST = "http://localhost"
_MAX_PACKAGE_WORDS = 4
# Keyword arguments Client already has: a server variable of that name gets a ``_`` suffix.
_CLIENT_OPTIONS = frozenset({
    "self", "api_token", "api_email", "api_key", "user_service_key", "base_url", "timeout", "max_retries",
    "retry_non_idempotent", "default_headers", "http_client",
})  # fmt: skip


def package_words(title: str, fallback: str = "") -> list[str]:
    """The words that name the API: the title's, as written (``GitHub`` stays one word), without generic words."""
    for text in (title, fallback):
        ascii_text = unicodedata.normalize("NFKC", text).encode("ascii", "ignore").decode()
        tokens = [token for token in re.split(r"[^A-Za-z0-9]+", ascii_text) if token]
        words = [w for w in tokens if w.lower() not in _GENERIC_WORDS and not _VERSION_WORD.fullmatch(w.lower())]
        if words:
            return words[:_MAX_PACKAGE_WORDS]
    return ["api"]


def _title(document: dict[str, Any], spec_name: str, diags: Diagnostics) -> str:
    info = document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    if isinstance(title, str) and title.strip() and title.isprintable():
        return " ".join(title.split())
    named = " ".join(split_words(Path(spec_name).stem)) or "API"
    diags.warn("/info/title", "identity", f"the description has no info.title: the package is named from {named!r}")
    return named


def _servers(document: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    """``base_url``, ``base_url_template`` and ``server_variables`` from the first server."""
    servers = document.get("servers")
    server = servers[0] if isinstance(servers, list) and servers and isinstance(servers[0], dict) else {}
    url = server.get("url")
    if not isinstance(url, str) or not url.strip():
        message = f"the description names no server: the client's default base URL is {_FALLBACK_HOST}"
        diags.add("/servers", "identity", message)
        return {"base_url": _FALLBACK_HOST, "base_url_template": "", "server_variables": ()}
    declared = server.get("variables")
    declared = declared if isinstance(declared, dict) else {}
    variables: list[ServerVariable] = []
    taken = set(_CLIENT_OPTIONS)
    resolved = url
    for wire in sorted(set(_PLACEHOLDER.findall(url))):
        spec: dict[str, Any] = declared[wire] if isinstance(declared.get(wire), dict) else {}
        default = spec.get("default")
        if not isinstance(default, str) or not _SAFE_DEFAULT.fullmatch(default):
            diags.add("/servers/0/url", "identity", f"server variable {wire!r} has no usable default: URL not used")
            return {"base_url": _FALLBACK_HOST, "base_url_template": "", "server_variables": ()}
        name = PythonIdentifier.from_text(wire)
        while name in taken:
            name = PythonIdentifier(f"{name}_")
        taken.add(name)
        choices = tuple(str(value) for value in spec.get("enum") or () if isinstance(value, str))
        description = str(spec.get("description") or "")
        variables.append(ServerVariable(name, wire, default, choices, description))
        resolved = resolved.replace("{" + wire + "}", default)
    resolved = resolved.rstrip("/")
    if not _ABSOLUTE_URL.fullmatch(resolved):
        relative = resolved if resolved.startswith("/") and _ABSOLUTE_URL.fullmatch(_FALLBACK_HOST + resolved) else ""
        message = f"the first server's URL is not absolute: the client's default base URL is {_FALLBACK_HOST}"
        diags.add("/servers/0/url", "identity", message + relative)
        return {"base_url": _FALLBACK_HOST + relative, "base_url_template": "", "server_variables": ()}
    template = url.rstrip("/") if variables else ""
    return {"base_url": resolved, "base_url_template": template, "server_variables": tuple(variables)}


def complete_config(
    config: GeneratorConfig, document: dict[str, Any], spec_name: str, diags: Diagnostics
) -> GeneratorConfig:
    """``config`` with every identity value it does not set taken from the description."""
    title = config.title if "title" in config.explicit else _title(document, spec_name, diags)
    explicit_import = config.import_name if "import_name" in config.explicit else None
    words = package_words(title, Path(spec_name).stem)
    import_name = explicit_import or PythonIdentifier.from_text("_".join(word.lower() for word in [*words, "client"]))
    prefix = import_name.upper().removesuffix("_CLIENT").lstrip("_") or "API"
    derived: dict[str, Any] = {
        "title": title,
        "import_name": import_name,
        "distribution": import_name.replace("_", "-").strip("-"),
        "environment_prefix": prefix if prefix[0].isalpha() else f"API_{prefix}",
        "error_base_name": ClassName.from_words([*words, "Error"]),  # as written: ``GitHubError``
    }
    if "base_url" not in config.explicit:  # a configured base URL replaces the servers (no warning about them)
        derived.update(_servers(document, diags))
    return config.with_derived(derived)
