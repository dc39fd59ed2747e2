"""The generator's configuration: ``spec/config.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from clientgen.diagnostics import SpecError
from clientgen.names import PythonIdentifier

__all__ = ["PAGINATION_STYLES", "GeneratorConfig", "load_config"]

_DISTRIBUTION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_VERSION = re.compile(r"\d+(\.\d+)*([abc]|rc)?\d*(\.post\d+)?(\.dev\d+)?")
_ENV_PREFIX = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class GeneratorConfig:
    distribution: str
    import_name: PythonIdentifier
    version: str
    base_url: str
    environment_prefix: str
    # operationId -> call path below the client ("pages.projects.deployments.rollback"), from names.toml
    call_paths: dict[str, tuple[PythonIdentifier, ...]] = field(default_factory=dict)
    # operationId -> pagination style ("none" turns paging off), from [pagination] (model/pagination.py)
    pagination: dict[str, str] = field(default_factory=dict)


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
        pagination=_pagination(path, data.get("pagination", {})),
    )
