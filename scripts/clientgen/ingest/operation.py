"""Validate a record's six JSON values and assemble its Operation Object.

The two extension values come in two shapes.  In the 2023-08 corpus they are the bare
*values* of ``x-cfPermissionsRequired`` (``{"enum": [...]}``) and ``x-cfPlanAvailability``
(``{"business": ..., "free": ...}``), in that order: merging their keys into the
operation would invent fields called ``enum`` or ``free``.  An object whose keys are all
``x-*`` extensions or optional Operation fields (``{"deprecated": true,
"x-cfDeprecation": ...}``) is merged key by key instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .refs import to_pointer
from .security import CLOUDFLARE_SECURITY_SCHEMES, check_requirements

__all__ = ["POSITIONAL_EXTENSIONS", "Located", "build_operation"]

POSITIONAL_EXTENSIONS = ("x-cfPermissionsRequired", "x-cfPlanAvailability")
_MERGEABLE_FIELDS = frozenset({"deprecated", "summary", "externalDocs", "servers", "callbacks"})
_PARAMETER_LOCATIONS = frozenset({"path", "query", "header", "cookie"})


@dataclass(frozen=True)
class Located:
    """A decoded JSON value and the 1-based line it starts on."""

    value: Any
    line: int


def _is_mergeable(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(key.startswith("x-") or key in _MERGEABLE_FIELDS for key in value)
    )


def _extensions(file: Path, pointer: str, values: list[Located]) -> dict[str, Located]:
    merged: dict[str, Located] = {}
    for name, located in zip(POSITIONAL_EXTENSIONS, values, strict=True):
        if located.value is None:
            continue
        fields = located.value if _is_mergeable(located.value) else {name: located.value}
        for key, value in fields.items():
            if key in merged:
                raise SpecError(
                    file, f"extension {key!r} given twice", line=located.line, pointer=pointer + to_pointer([key])
                )
            merged[key] = Located(value, located.line)
    return merged


def _check_parameters(file: Path, pointer: str, located: Located) -> None:
    if not isinstance(located.value, list):
        raise SpecError(file, "parameters must be an array or null", line=located.line, pointer=pointer)
    for index, parameter in enumerate(located.value):
        where = f"{pointer}/{index}"
        if not isinstance(parameter, dict):
            raise SpecError(file, "a parameter must be an object", line=located.line, pointer=where)
        if "$ref" in parameter:
            continue
        if not isinstance(parameter.get("name"), str) or not parameter["name"]:
            raise SpecError(file, "a parameter needs a non-empty string 'name'", line=located.line, pointer=where)
        if parameter.get("in") not in _PARAMETER_LOCATIONS:
            raise SpecError(
                file,
                f"parameter 'in' must be one of {', '.join(sorted(_PARAMETER_LOCATIONS))}",
                line=located.line,
                pointer=where + "/in",
            )


def _check_responses(file: Path, pointer: str, located: Located) -> None:
    if not isinstance(located.value, dict) or not located.value:
        raise SpecError(file, "responses must be a non-empty object", line=located.line, pointer=pointer)
    for code, response in located.value.items():
        if not isinstance(response, dict):
            raise SpecError(
                file, f"response {code!r} must be an object", line=located.line, pointer=pointer + to_pointer([code])
            )


def build_operation(file: Path, pointer: str, head: dict[str, Any], values: list[Located]) -> dict[str, Any]:
    """The Operation Object: ``head`` (from the record's text lines) then the six values.

    ``pointer`` locates the operation in the merged document, for error messages.
    """
    extensions = _extensions(file, pointer, values[:2])
    parameters, request_body, responses, security = values[2:]
    operation = dict(head)
    if parameters.value is not None:
        _check_parameters(file, pointer + "/parameters", parameters)
        operation["parameters"] = parameters.value
    if request_body.value is not None:
        if not isinstance(request_body.value, dict):
            raise SpecError(
                file, "requestBody must be an object or null", line=request_body.line, pointer=pointer + "/requestBody"
            )
        operation["requestBody"] = request_body.value
    _check_responses(file, pointer + "/responses", responses)
    operation["responses"] = responses.value
    if security.value is not None:
        check_requirements(file, security.value, pointer + "/security", CLOUDFLARE_SECURITY_SCHEMES, line=security.line)
        operation["security"] = security.value
    for key, extension in extensions.items():
        if key in operation:
            message = f"extension {key!r} clashes with the record's own field"
            raise SpecError(file, message, line=extension.line, pointer=pointer + to_pointer([key]))
        operation[key] = extension.value
    return operation
