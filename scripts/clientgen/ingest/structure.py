"""The parts of an OpenAPI document every later pass relies on, checked once, with a pointer and a remedy.

* ``info``, when present, with a string ``title`` and ``version`` (a document without it is read);
* every path key a URL path template: starts with ``/``, no whitespace, control character,
  ``?`` or ``#``, braces balanced around non-empty names;
* every operation an object with a ``responses`` object (required in OpenAPI 3.0, optional
  in 3.1), every parameter an object with a non-empty ``name`` and a known ``in``, no
  parameter declared twice;
* path-item parameters merged into each operation (an operation's own parameter with the
  same ``name`` and ``in`` wins, as OpenAPI says), so that no later pass has to know about them;
* the path template and the declared path parameters name the same parameters: a
  ``{name}`` left unfilled would be sent literally, a path parameter missing from the
  template could never be sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .refs import clone, resolve_fragment, to_pointer

__all__ = ["METHODS", "SKIPPED", "check_info", "check_path", "check_path_template", "check_paths", "template_names"]

SKIPPED = "x-clientgen-skipped"  # [{pointer, reason}]: operations left out, reported by the normalizer

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_LOCATIONS = frozenset({"path", "query", "header", "cookie"})
_TEMPLATE = re.compile(r"\{([^{}/]*)\}")
_BAD_PATH_CHARS = re.compile(r"[\s\x00-\x1f\x7f?#\u2028\u2029\x85]")


def check_info(file: Path | str, document: dict[str, Any]) -> None:
    info = document.get("info")
    if info is None:  # usable without: the package is named from the file, with a warning (clientgen.identity)
        return
    if not isinstance(info, dict):
        raise SpecError(file, "info is missing: add info: {title: ..., version: ...}", pointer="/info")
    for key in ("title", "version"):
        if not isinstance(info.get(key), str):
            raise SpecError(file, f"info.{key} must be a string: add it", pointer=f"/info/{key}")


def template_names(file: Path | str, path: str, pointer: str, line: int | None = None) -> list[str]:
    """The ``{name}``s of a path template, in order; refuses a key that is not a URL path template."""
    if not path.startswith("/"):
        raise SpecError(file, f"path {_short(path)} must start with '/'", line=line, pointer=pointer)
    bad = _BAD_PATH_CHARS.search(path)
    if bad is not None:
        message = f"path {_short(path)} holds {bad.group(0)!r}: a path template has no spaces, controls, '?' or '#'"
        raise SpecError(file, message, line=line, pointer=pointer)
    names = _TEMPLATE.findall(path)
    rest = _TEMPLATE.sub("", path)
    if "{" in rest or "}" in rest or "" in names:
        message = f"path {_short(path)} has unbalanced or empty braces: write each parameter as {{name}}"
        raise SpecError(file, message, line=line, pointer=pointer)
    return names


def _short(text: str) -> str:
    return repr(text if len(text) <= 120 else text[:120] + "…")


def check_path_template(
    file: Path | str, path: str, declared: list[str], pointer: str, *, line: int | None = None
) -> None:
    """The template's ``{name}``s and the declared path parameters must be the same set."""
    in_template = template_names(file, path, pointer, line)
    for name in in_template:
        if name not in declared:
            message = (
                f"path {_short(path)} names {{{name}}} but no path parameter {name!r} is declared: "
                "declare it (in: path, required: true) or fix the path"
            )
            raise SpecError(file, message, line=line, pointer=pointer)
    for name in declared:
        if name not in in_template:
            message = (
                f"path parameter {name!r} does not appear in path {_short(path)}: "
                f"add {{{name}}} to the path or declare the parameter elsewhere (query, header)"
            )
            raise SpecError(file, message, line=line, pointer=pointer)


def _resolved(document: dict[str, Any], parameter: Any) -> Any:
    ref = parameter.get("$ref") if isinstance(parameter, dict) else None
    if isinstance(ref, str) and ref.startswith("#"):
        seen: set[str] = set()
        while isinstance(ref, str) and ref.startswith("#") and ref not in seen:  # alias chains, cycles stop
            seen.add(ref)
            parameter = resolve_fragment(document, ref[1:])
            ref = parameter.get("$ref") if isinstance(parameter, dict) else None
    return parameter


def _parameters(
    file: Path | str, document: dict[str, Any], parameters: Any, pointer: str
) -> Iterator[tuple[tuple[str, str], Any]]:
    """``((name, in), parameter)`` for each entry of a parameters array, validated."""
    if parameters is None:
        return
    if not isinstance(parameters, list):
        raise SpecError(file, "parameters must be an array", pointer=pointer)
    for index, parameter in enumerate(parameters):
        where = f"{pointer}/{index}"
        resolved = _resolved(document, parameter)
        if not isinstance(resolved, dict):
            raise SpecError(file, "a parameter must be an object", pointer=where)
        name, location = resolved.get("name"), resolved.get("in")
        if not isinstance(name, str) or not name:
            raise SpecError(file, "a parameter needs a non-empty string 'name'", pointer=where)
        if location not in _LOCATIONS:
            message = f"parameter {name!r}: 'in' must be one of {', '.join(sorted(_LOCATIONS))}"
            raise SpecError(file, message, pointer=where)
        yield (name, location), parameter


def _operations(item: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for method in METHODS:
        if method in item:
            yield method, item[method]


def check_paths(file: Path | str, document: dict[str, Any]) -> None:
    """Check every path and operation; merge path-item parameters into the operations (in place).

    A path or operation that fails a check is taken out of the document and listed under
    ``x-clientgen-skipped`` (pointer, the one-line reason): one bad operation never sinks the API;
    the normalizer reports it, ``--strict`` fails on it.
    """
    needs_responses = str(document.get("openapi", "")).startswith("3.0")
    skipped: list[dict[str, str]] = list(document.get(SKIPPED) or [])
    for path, item in list(document["paths"].items()):
        stays, found = check_path(file, document, path, item, needs_responses=needs_responses)
        if not stays:
            del document["paths"][path]
        skipped.extend(found)
    if skipped:
        document[SKIPPED] = skipped


def check_path(
    file: Path | str, document: dict[str, Any], path: str, item: Any, *, needs_responses: bool
) -> tuple[bool, list[dict[str, str]]]:
    """One path item's part of :func:`check_paths`: whether it stays, and what it skipped (merged in place).

    ``document`` is only read (the parameters' references resolve in it).
    """
    item_pointer = to_pointer(["paths", path])
    try:
        shared = _check_path_item(file, document, path, item)
    except SpecError as error:
        return False, [{"pointer": error.pointer or item_pointer, "reason": error.message}]
    skipped: list[dict[str, str]] = []
    for method, operation in list(_operations(item)):
        try:
            _check_operation(file, document, (path, method, operation), shared, needs_responses=needs_responses)
        except SpecError as error:
            del item[method]
            skipped.append({"pointer": error.pointer or f"{item_pointer}/{method}", "reason": error.message})
    item.pop("parameters", None)
    return True, skipped


def _check_path_item(file: Path | str, document: dict[str, Any], path: str, item: Any) -> dict[tuple[str, str], Any]:
    """The path key is a template and the item an object: its shared parameters, by (name, in)."""
    item_pointer = to_pointer(["paths", path])
    template_names(file, path, item_pointer)
    if not isinstance(item, dict):
        raise SpecError(file, "a path item must be an object", pointer=item_pointer)
    return dict(_parameters(file, document, item.get("parameters"), item_pointer + "/parameters"))


def _check_operation(
    file: Path | str,
    document: dict[str, Any],
    where: tuple[str, str, Any],
    shared: dict[tuple[str, str], Any],
    *,
    needs_responses: bool,
) -> None:
    path, method, operation = where
    pointer = to_pointer(["paths", path, method])
    if not isinstance(operation, dict):
        raise SpecError(file, "an operation must be an object", pointer=pointer)
    _check_responses(file, operation, pointer, required=needs_responses)
    own: dict[tuple[str, str], Any] = {}
    for key, parameter in _parameters(file, document, operation.get("parameters"), pointer + "/parameters"):
        if key in own:
            message = f"parameter {key[0]!r} (in: {key[1]}) is declared twice: remove one"
            raise SpecError(file, message, pointer=pointer + "/parameters")
        own[key] = parameter
    declared = [name for name, location in {**shared, **own} if location == "path"]
    check_path_template(file, path, declared, pointer + "/parameters")
    inherited = [clone(parameter) for key, parameter in shared.items() if key not in own]
    if inherited:
        operation["parameters"] = inherited + list(operation.get("parameters") or [])


def _check_responses(file: Path | str, operation: dict[str, Any], pointer: str, *, required: bool) -> None:
    responses = operation.get("responses")
    if responses is None and not required:
        return
    if not isinstance(responses, dict) or not responses:
        message = "responses must be a non-empty object (OpenAPI 3.0 requires it): declare at least one response"
        raise SpecError(file, message, pointer=pointer + "/responses")
    for code, response in responses.items():
        if not isinstance(response, dict):
            raise SpecError(
                file, f"response {code!r} must be an object", pointer=pointer + to_pointer(["responses", code])
            )
