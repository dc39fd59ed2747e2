"""The generator's configuration: ``spec/config.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError
from clientgen.names import ClassName, PythonIdentifier

__all__ = ["GeneratorConfig", "load_config"]

_DISTRIBUTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_VERSION = re.compile(r"\d+(\.\d+)*([abc]|rc)?\d*(\.post\d+)?(\.dev\d+)?")
_ENV_PREFIX = re.compile(r"[A-Z][A-Z0-9_]*")
_HEADER = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")
_ENV_NAME = re.compile(r"[A-Z0-9_]+")
# Response headers that carry a request id, most specific first; the description's own come before these.
DEFAULT_REQUEST_ID_HEADERS = (
    "x-request-id", "request-id", "x-github-request-id", "twilio-request-id", "x-amzn-requestid", "x-correlation-id",
)  # fmt: skip
ENVELOPE_MODES = ("detect", "none")


@dataclass(frozen=True)
class GeneratorConfig:
    distribution: str
    import_name: PythonIdentifier
    version: str
    base_url: str
    environment_prefix: str
    # operationId -> call path below the client ("pages.projects.deployments.rollback"), from names.toml
    call_paths: dict[str, tuple[PythonIdentifier, ...]] = field(default_factory=dict)
    # [conventions]: what the description does not say, or says wrongly (see docs/conventions.md)
    error_base: ClassName | None = None  # the base exception; None: from the import name (x_client -> XError)
    request_id_headers: tuple[str, ...] = DEFAULT_REQUEST_ID_HEADERS
    envelope: str = "detect"  # "detect": unwrap where a response has the envelope's shape; "none": never
    # [auth]: requirement alternatives applied to every operation instead of each one's own `security`
    auth_requirements: tuple[tuple[str, ...], ...] | None = None
    auth_environment: dict[str, str] = field(default_factory=dict)  # client argument -> variable, after the prefix


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
    if "error_base" in table:
        name = table["error_base"]
        if not isinstance(name, str) or not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
            raise SpecError(path, f"{name!r} is not a class name", pointer="/conventions/error_base")
        values["error_base"] = ClassName(name)
    if "request_id_headers" in table:
        headers = _strings(path, table["request_id_headers"], "/conventions/request_id_headers", _HEADER)
        values["request_id_headers"] = tuple(header.lower() for header in headers)
    if "envelope" in table:
        if table["envelope"] not in ENVELOPE_MODES:
            msg = f"envelope = {table['envelope']!r}: one of {', '.join(ENVELOPE_MODES)}"
            raise SpecError(path, msg, pointer="/conventions/envelope")
        values["envelope"] = table["envelope"]
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


def load_config(path: Path) -> GeneratorConfig:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SpecError(path, f"cannot read config: {error}") from None
    package = data.get("package", {})
    if not isinstance(package, dict):
        raise SpecError(path, "[package] must be a table", pointer="/package")
    values = {
        "distribution": package.get("distribution", "cloudflare-client"),
        "import_name": package.get("import_name", "cloudflare_client"),
        "version": package.get("version", "0.1.0"),
        "base_url": package.get("base_url", "https://api.cloudflare.com/client/v4"),
        "environment_prefix": package.get("environment_prefix", "CLOUDFLARE"),
    }
    checks = {
        "distribution": _DISTRIBUTION.fullmatch,
        "version": _VERSION.fullmatch,
        "environment_prefix": _ENV_PREFIX.fullmatch,
        "base_url": re.compile(r"https?://[^\s\"'\\]+").fullmatch,
        "import_name": re.compile(r"[a-z_][a-z0-9_]*").fullmatch,
    }
    for key, check in checks.items():
        if not isinstance(values[key], str) or not check(values[key]):
            raise SpecError(path, f"package.{key} = {values[key]!r} is not valid", pointer=f"/package/{key}")
    try:
        import_name = PythonIdentifier(values["import_name"])
    except ValueError as error:
        raise SpecError(path, str(error), pointer="/package/import_name") from None
    return GeneratorConfig(
        distribution=values["distribution"],
        import_name=import_name,
        version=values["version"],
        base_url=values["base_url"].rstrip("/"),
        environment_prefix=values["environment_prefix"],
        call_paths=_call_paths(path.with_name("names.toml")),
        **_conventions(path, data),
        **_auth(path, data),
    )
