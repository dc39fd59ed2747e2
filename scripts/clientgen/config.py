"""The generator's configuration: a ``config.toml`` (or ``clientgen.toml``) beside the spec, all of it optional.

What the config does not set comes from the description (:mod:`clientgen.identity`): the
package's identity from ``info.title`` and ``servers``, the naming source from the component
keys.  The identity fields the templates render from:

* ``title`` — the API's display name (``info.title``: "Cloudflare API");
* ``distribution`` / ``import_name`` — the package (``cloudflare-client`` / ``cloudflare_client``);
* ``error_base_name`` — the root of the error tree (``CloudflareError``);
* ``environment_prefix`` — of the variables the client reads (``CLOUDFLARE`` -> ``CLOUDFLARE_API_TOKEN``);
* ``base_url`` — the first server's URL with every variable at its default, and
  ``base_url_template`` + ``server_variables``: each ``{variable}`` of that URL with a default
  is a client option (``Client(region="us")``);
* ``names_source`` — where model names come from: ``keys`` (component keys and titles),
  ``content`` (content and use) or ``auto`` (decided per document, see
  :mod:`clientgen.normalize.naming_source`).

``explicit`` lists the keys the config file set; only the others are derived.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError, escape_pointer_token
from clientgen.names import ClassName, PythonIdentifier

__all__ = [
    "CONFIG_FILE_NAMES",
    "NAMES_SOURCES",
    "PAGINATION_STYLES",
    "GeneratorConfig",
    "ServerVariable",
    "find_config",
    "load_config",
]

# Looked up beside the spec (in a spec folder, or in the folder of a spec file), in this order.
CONFIG_FILE_NAMES = ("clientgen.toml", "config.toml")
NAMES_SOURCES = ("auto", "keys", "content")
_DISTRIBUTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_VERSION = re.compile(r"\d+(\.\d+)*([abc]|rc)?\d*(\.post\d+)?(\.dev\d+)?")
_ENV_PREFIX = re.compile(r"[A-Z][A-Z0-9_]*")
_BASE_URL = re.compile(r"https?://[^\s\"'\\{}]+")
_IMPORT_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]*")
_DEFAULT_ERROR_BASE = ClassName("APIError")
_IDENTITY_KEYS = (
    "distribution", "import_name", "version", "base_url", "environment_prefix", "title", "error_base_name",
)  # fmt: skip


@dataclass(frozen=True)
class ServerVariable:
    """A ``{variable}`` of the server URL with a default: a keyword argument of ``Client``."""

    name: PythonIdentifier  # the client option (``region``)
    wire_name: str  # the placeholder in ``base_url_template`` (``{region}``)
    default: str
    choices: tuple[str, ...] = ()  # the server variable's ``enum``
    description: str = ""


_HEADER = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
_ENV_NAME = re.compile(r"[A-Z0-9_]+")
# Response headers that carry a request id, most specific first; the description's own come before these.
DEFAULT_REQUEST_ID_HEADERS = (
    "x-request-id", "request-id", "x-github-request-id", "twilio-request-id", "x-amzn-requestid", "x-correlation-id",
)  # fmt: skip
ENVELOPE_MODES = ("detect", "none")
# [conventions] form_array_style: how array items are keyed in form bodies and form/deepObject query parameters
# ("description": repeated name for form, indexed for deepObject; else that one everywhere; docs/wire.md)
FORM_ARRAY_STYLES = ("description", "indexed", "brackets", "repeat")
# [conventions.envelope_operations] operationId = one of these: unwrap nothing, or the body's ``result``
ENVELOPE_OPERATION_MODES = ("none", "result")


@dataclass(frozen=True)
class GeneratorConfig:
    distribution: str
    import_name: PythonIdentifier
    version: str
    base_url: str
    environment_prefix: str
    # operationId -> call path below the client ("pages.projects.deployments.rollback"), from names.toml
    call_paths: dict[str, tuple[PythonIdentifier, ...]] = field(default_factory=dict)
    title: str = "API"
    error_base_name: ClassName = _DEFAULT_ERROR_BASE
    base_url_template: str = ""  # empty: ``base_url`` has no variables
    server_variables: tuple[ServerVariable, ...] = ()
    names_source: str = "auto"
    explicit: frozenset[str] = frozenset()  # the keys the config file set: never derived from the description

    # [conventions]: what the description does not say, or says wrongly (see docs/conventions.md)
    request_id_headers: tuple[str, ...] = DEFAULT_REQUEST_ID_HEADERS
    envelope: str = "detect"  # "detect": unwrap where a response has the envelope's shape; "none": never
    envelope_operations: dict[str, str] = field(default_factory=dict)  # operationId -> "none" | "result"
    form_array_style: str = "description"  # one of FORM_ARRAY_STYLES
    path: str = "config.toml"  # the config file, named by errors about its keys
    # [auth]: requirement alternatives applied to every operation instead of each one's own `security`
    auth_requirements: tuple[tuple[str, ...], ...] | None = None
    auth_environment: dict[str, str] = field(default_factory=dict)  # client argument -> variable, after the prefix

    # operationId -> pagination style ("none" turns paging off), from [pagination] (model/pagination.py)
    pagination: dict[str, str] = field(default_factory=dict)

    def unwraps(self, operation_id: str) -> bool:
        """Whether the operation's success envelope (if it has one) is unwrapped: not when the config says ``none``."""
        return self.envelope == "detect" and self.envelope_operations.get(operation_id) != "none"

    def with_derived(self, derived: dict[str, Any]) -> GeneratorConfig:
        """The config with the ``derived`` values for every key the config file did not set."""
        return replace(self, **{key: value for key, value in derived.items() if key not in self.explicit})


def find_config(spec: Path) -> Path | None:
    """The config that belongs to ``spec``: ``clientgen.toml`` or ``config.toml`` in its folder (or beside it)."""
    folder = spec if spec.is_dir() else spec.parent
    return next((folder / name for name in CONFIG_FILE_NAMES if (folder / name).is_file()), None)


def _call_paths(path: Path) -> dict[str, tuple[PythonIdentifier, ...]]:
    """``names.toml`` beside the config: ``[operations]`` operationId = "resource.path.method"."""
    if not path.exists():
        return {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("operations", {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SpecError(path, f"cannot read name overrides: {error}") from None
    overrides: dict[str, tuple[PythonIdentifier, ...]] = {}
    for operation_id, call_path in sorted(table.items()):
        pointer = f"/operations/{operation_id}"
        if not isinstance(call_path, str) or len(call_path.split(".")) < 2:
            raise SpecError(path, f"{call_path!r} is not a call path like 'zones.dns_records.list'", pointer=pointer)
        try:
            overrides[operation_id] = tuple(PythonIdentifier(part) for part in call_path.split("."))
        except ValueError as error:
            raise SpecError(path, str(error), pointer=pointer) from None
    return overrides


def _strings(path: Path, value: object, pointer: str, pattern: re.Pattern[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and pattern.fullmatch(item) for item in value):
        raise SpecError(path, f"{value!r} is not a list of names", pointer=pointer)
    return tuple(value)


def _table(path: Path, data: dict[str, object], key: str) -> dict[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise SpecError(path, f"[{key}] must be a table", pointer=f"/{key}")
    return table


def _conventions(path: Path, data: dict[str, object]) -> dict[str, Any]:
    table = _table(path, data, "conventions")
    values: dict[str, Any] = {}
    if "request_id_headers" in table:
        headers = _strings(path, table["request_id_headers"], "/conventions/request_id_headers", _HEADER)
        values["request_id_headers"] = tuple(header.lower() for header in headers)
    if "envelope" in table:
        if table["envelope"] not in ENVELOPE_MODES:
            msg = f"envelope = {table['envelope']!r}: one of {', '.join(ENVELOPE_MODES)}"
            raise SpecError(path, msg, pointer="/conventions/envelope")
        values["envelope"] = table["envelope"]
    if "form_array_style" in table:
        if table["form_array_style"] not in FORM_ARRAY_STYLES:
            msg = f"form_array_style = {table['form_array_style']!r}: one of {', '.join(FORM_ARRAY_STYLES)}"
            raise SpecError(path, msg, pointer="/conventions/form_array_style")
        values["form_array_style"] = table["form_array_style"]
    operations = table.get("envelope_operations", {})
    if not isinstance(operations, dict):
        raise SpecError(
            path, "[conventions.envelope_operations] must be a table", pointer="/conventions/envelope_operations"
        )
    for operation_id, mode in operations.items():
        if mode not in ENVELOPE_OPERATION_MODES:
            msg = f"envelope_operations.{operation_id} = {mode!r}: one of {', '.join(ENVELOPE_OPERATION_MODES)}"
            pointer = f"/conventions/envelope_operations/{escape_pointer_token(str(operation_id))}"
            raise SpecError(path, msg, pointer=pointer)
    values["envelope_operations"] = {str(key): str(mode) for key, mode in sorted(operations.items())}
    return values


def _auth(path: Path, data: dict[str, object]) -> dict[str, Any]:
    table = _table(path, data, "auth")
    values: dict[str, Any] = {}
    if "requirements" in table:
        requirements = table["requirements"]
        if not isinstance(requirements, list):
            raise SpecError(path, "requirements must be a list of lists of scheme names", pointer="/auth/requirements")
        values["auth_requirements"] = tuple(
            _strings(path, names, f"/auth/requirements/{index}", re.compile(r"[^\s]+"))
            for index, names in enumerate(requirements)
        )
    environment = table.get("environment", {})
    if not isinstance(environment, dict):
        raise SpecError(path, "[auth.environment] must be a table", pointer="/auth/environment")
    for argument, variable in environment.items():
        if not isinstance(variable, str) or not _ENV_NAME.fullmatch(variable):
            raise SpecError(path, f"{variable!r} is not a variable name", pointer=f"/auth/environment/{argument}")
    values["auth_environment"] = dict(sorted(environment.items()))
    return values


def _names_source(path: Path, data: dict[str, object]) -> str:
    names = data.get("names", {})
    if not isinstance(names, dict):
        raise SpecError(path, "[names] must be a table", pointer="/names")
    source = names.get("source", "auto")
    if source not in NAMES_SOURCES:
        message = f"names.source = {source!r} is not one of {', '.join(map(repr, NAMES_SOURCES))}"
        raise SpecError(path, message, pointer="/names/source")
    return str(source)


# The styles of model/pagination.py, and "none".
PAGINATION_STYLES = ("none", "page", "cursor", "has_more", "next_cursor", "next_url", "link", "offset")


def _pagination(path: Path, table: object) -> dict[str, str]:
    """``[pagination]`` operationId = a style or ``"none"``."""
    if not isinstance(table, dict):
        raise SpecError(path, "[pagination] must be a table", pointer="/pagination")
    for operation_id, style in table.items():
        if style not in PAGINATION_STYLES:
            allowed = ", ".join(PAGINATION_STYLES)
            raise SpecError(
                path, f"pagination style {style!r} is not one of {allowed}", pointer=f"/pagination/{operation_id}"
            )
    return {str(operation_id): str(style) for operation_id, style in sorted(table.items())}


def load_config(path: Path | None, *, names_file: Path | None = None) -> GeneratorConfig:
    """The config at ``path`` (``None``: no config, everything from the description).

    Values the file does not set are placeholders until :func:`clientgen.identity.complete_config`
    fills them from the description.  ``names.toml`` is read beside the config, or ``names_file``.
    """
    data: dict[str, object] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise SpecError(path, f"cannot read config: {error}") from None
    where = path or Path("config.toml")
    package = data.get("package", {})
    if not isinstance(package, dict):
        raise SpecError(where, "[package] must be a table", pointer="/package")
    values = {
        "distribution": package.get("distribution", "api-client"),
        "import_name": package.get("import_name", "api_client"),
        "version": package.get("version", "0.1.0"),
        "base_url": package.get("base_url", "http://localhost"),
        "environment_prefix": package.get("environment_prefix", "API"),
        "title": package.get("title", "API"),
        "error_base_name": package.get("error_base_name", "APIError"),
    }
    checks: dict[str, Callable[[str], object]] = {
        "distribution": _DISTRIBUTION.fullmatch,
        "version": _VERSION.fullmatch,
        "environment_prefix": _ENV_PREFIX.fullmatch,
        "base_url": _BASE_URL.fullmatch,
        "import_name": _IMPORT_NAME.fullmatch,
        "title": lambda text: bool(text.strip()) and text.isprintable(),
        "error_base_name": _CLASS_NAME.fullmatch,
    }
    for key, check in checks.items():
        if not isinstance(values[key], str) or not check(values[key]):
            raise SpecError(where, f"package.{key} = {values[key]!r} is not valid", pointer=f"/package/{key}")
    try:
        import_name = PythonIdentifier(values["import_name"])
        error_base_name = ClassName(values["error_base_name"])
    except ValueError as error:
        raise SpecError(where, str(error), pointer="/package") from None
    names_file = names_file or (path.with_name("names.toml") if path is not None else None)
    return GeneratorConfig(
        distribution=values["distribution"],
        import_name=import_name,
        version=values["version"],
        base_url=values["base_url"].rstrip("/"),
        environment_prefix=values["environment_prefix"],
        call_paths=_call_paths(names_file) if names_file is not None else {},
        title=values["title"],
        error_base_name=error_base_name,
        names_source=_names_source(where, data),
        explicit=frozenset(key for key in _IDENTITY_KEYS if key in package),
        path=str(where),
        **_conventions(where, data),
        **_auth(where, data),
        pagination=_pagination(where, data.get("pagination", {})),
    )
