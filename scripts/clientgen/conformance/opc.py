"""The same conformance run for openapi-python-client's client: the comparison the issue asks for.

openapi-python-client (OPC) generates from the raw description into ``DIR/opc_client`` (one module
per operation it could generate, under ``api/<tag>/``).  Each module is matched to its operation
by HTTP method and path (parameter names aside: OPC renames them), then called through
``sync_detailed`` with the arguments our run builds (:func:`clientgen.conformance.run.arguments`,
converted to the types OPC's signature asks for: models ``from_dict``, enums, UUIDs, dates).  A
call counts as accepted as in our run (Prism found nothing wrong with the request) and as
returned when the response is a success whose ``parsed`` value is not ``None``.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import inspect
import io
import json
import re
import subprocess
import sys
import types
import typing
import uuid
from pathlib import Path
from typing import Any

from clientgen.conformance.limits import known_limit
from clientgen.conformance.run import PRISM_REJECTS, Outcome, body_value, parameter_values, prism_reason, short
from clientgen.model import Operation

__all__ = ["OPC_PACKAGE", "call_all_opc", "convert", "generate_opc", "operation_modules"]

OPC_PACKAGE = "opc_client"
_URL = re.compile(r'"method": "(\w+)",\s*"url": "([^"]*)"')
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_SKIPPED = frozenset({"client", "body"})


def generate_opc(spec: Path, work: Path, opc: Path) -> Path:
    """OPC's client of ``spec`` in ``work/opc_client`` (kept when it exists: generating takes minutes)."""
    out = work / OPC_PACKAGE
    if not (out / "api").is_dir():
        config = work / "opc.yaml"
        config.write_text("post_hooks: []\n", encoding="utf-8")  # no formatter: the code is only called
        command = [str(opc), "generate", "--path", str(spec), "--output-path", str(out), "--meta", "none"]
        command += ["--overwrite", "--config", str(config)]
        subprocess.run(command, check=False, capture_output=True, cwd=work)  # noqa: S603 - our own tool
    return out


def _key(method: str, path: str) -> tuple[str, str]:
    return method.lower(), _PLACEHOLDER.sub("{}", path)


def operation_modules(package: Path) -> dict[tuple[str, str], str]:
    """(method, path with anonymous placeholders) -> module name, for every operation OPC generated."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted((package / "api").rglob("*.py")):
        if path.name == "__init__.py":
            continue
        match = _URL.search(path.read_text(encoding="utf-8"))
        if match is not None:
            relative = path.relative_to(package.parent).with_suffix("")
            found.setdefault(_key(match[1], match[2]), ".".join(relative.parts))
    return found


def _plain(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _members(annotation: Any) -> list[Any]:
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return [member for member in typing.get_args(annotation) if getattr(member, "__name__", "") != "Unset"]
    return [annotation]


def _convert_one(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(kind) or (Any,)
        return [convert(item, element) for element in value]
    if not inspect.isclass(kind):
        return value
    if hasattr(kind, "from_dict") and isinstance(value, dict):
        return kind.from_dict(value)
    if issubclass(kind, enum.Enum):
        return kind(value)
    if kind is uuid.UUID:
        return uuid.UUID(str(value))
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(str(value))
    if kind is dt.date:
        return dt.date.fromisoformat(str(value))
    if kind.__name__ == "File":
        if not isinstance(value, bytes):
            msg = "a file takes bytes"
            raise TypeError(msg)  # another member of the union, then
        make_file: Any = kind  # OPC's File(payload=...)
        return make_file(payload=io.BytesIO(value))
    return value


def convert(annotation: Any, value: Any) -> Any:
    """``value`` (JSON from the description) as the type OPC's signature asks for: the first member that takes it."""
    for kind in _members(annotation):
        try:
            return _convert_one(kind, value)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
    return value


def _call(  # noqa: PLR0913, PLR0917 - the module, its client, the operation and both descriptions
    module: Any, client: Any, operation: Operation, doc: dict[str, Any], source: dict[str, Any], errors: Any
) -> tuple[bool, bool, str]:
    function = module.sync_detailed
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function)
    values = {_plain(wire): value for (_, wire), value in parameter_values(operation, doc).items()}
    kwargs: dict[str, Any] = {"client": client}
    for name, parameter in signature.parameters.items():
        if name in _SKIPPED:
            continue
        plain = _plain(name.removesuffix("_path").removesuffix("_query").removesuffix("_header"))  # OPC's renames
        if _plain(name) in values or plain in values:
            kwargs[name] = convert(hints.get(name, Any), values.get(_plain(name), values.get(plain)))
        elif parameter.default is inspect.Parameter.empty:
            return False, False, f"harness: no value for OPC's required argument {name!r}"
    if "body" in signature.parameters:
        kwargs["body"] = convert(hints.get("body", Any), body_value(operation, doc, source))
    try:
        response = function(**kwargs)
    except errors.UnexpectedStatus as error:
        return False, False, short(f"UnexpectedStatus: {error}")
    except Exception as error:  # noqa: BLE001 - OPC's client raising while sending or parsing is a row
        return False, False, short(f"{type(error).__name__}: {error}")
    status = int(response.status_code)
    try:
        body: Any = json.loads(response.content)
    except ValueError:
        body = None
    reason = prism_reason(body, response.headers)
    accepted = not reason and status not in PRISM_REJECTS
    if not 200 <= status < 300:
        return accepted, False, f"{status}: {reason or short(response.content[:200])}"
    if response.parsed is None:
        return accepted, False, reason or "no parsed value"
    return accepted, True, reason


def call_all_opc(  # noqa: PLR0913 - the client, what to call, the two descriptions and where
    package: Path,
    operations: list[Operation],
    *,
    doc: dict[str, Any],
    source: dict[str, Any],
    base_url: str,
    extra_headers: Any,
) -> list[Outcome]:
    """Every operation OPC generated, called once; ``extra_headers(operation)``: the credentials it names."""
    sys.path.insert(0, str(package.parent))
    client_module = importlib.import_module(f"{OPC_PACKAGE}.client")
    errors = importlib.import_module(f"{OPC_PACKAGE}.errors")
    modules = operation_modules(package)
    source_components = source.get("components", {}).get("schemas", {})
    source_bodies = source.get("components", {}).get("requestBodies", {})
    outcomes = []
    base = client_module.AuthenticatedClient(base_url=base_url, token="conformance", timeout=60.0)  # noqa: S106
    for operation in sorted(operations, key=lambda op: op.call_path):
        name = modules.get(_key(operation.http_method, operation.path))
        if name is None:
            continue  # not generated: counted apart
        try:
            module = importlib.import_module(name)
            typing.get_type_hints(module.sync_detailed)
        except Exception as error:  # noqa: BLE001 - OPC wrote a module that does not import: its row says so
            reason = short(f"OPC's module: {error!r}")
            row = Outcome(operation.operation_id, name, accepted=False, returned=False, reason=reason, known_limit=None)
            outcomes.append(row)
            continue
        try:
            client = base.with_headers(extra_headers(operation))
            accepted, returned, reason = _call(module, client, operation, doc, source, errors)
        except Exception as error:  # noqa: BLE001 - one operation's surprise is a row, not the end of the run
            accepted, returned, reason = False, False, short(f"harness: {type(error).__name__}: {error}")
        served = source.get("paths", {}).get(operation.path, {}).get(operation.http_method, {})
        limit = None if accepted and returned else known_limit(served, source_components, source_bodies)
        outcomes.append(Outcome(operation.operation_id, name, accepted, returned, reason, limit))
    return outcomes
