"""Cloudflare operation records (``*.txt``): one operation per file.

A record is: the description (possibly empty, possibly several lines), then the path,
the lower-case method, the first tag and the operationId one per line, then six JSON
values separated by whitespace: two extension values, ``parameters``, ``requestBody``,
``responses`` and ``security``.  A description may itself contain a line starting with
``/`` followed by a line ``post``, so the header is not found by counting lines: the
first candidate split from which exactly six JSON values decode with nothing left over
wins.  Structural candidates (a ``/`` line followed by a method line) are tried first;
if none decodes, a few splits found from the JSON side are tried so that a bad method or
path is reported on its own line rather than as a JSON error.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError
from clientgen.limits import MAX_DEPTH

from .bounds import check_tree, offset_too_deep
from .operation import Located, build_operation
from .parsing import DuplicateKeys, read_text, refuse_constant, refuse_too_many_values
from .recursion import recover_recursive_refs
from .refs import to_pointer
from .structure import check_path_template

__all__ = ["METHODS", "Record", "parse_record"]

METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_FIELDS = ("x-cfPermissionsRequired", "x-cfPlanAvailability", "parameters", "requestBody", "responses", "security")
_VALUE_COUNT = len(_FIELDS)
_JSON_START = frozenset('{["-0123456789ntf')
_NOT_HEADER = frozenset('{}[]"')
_MAX_FALLBACK_TRIES = 20


@dataclass(frozen=True)
class Record:
    """One parsed record: its operation, and the components its recursive refs need."""

    file: Path
    path: str
    method: str
    operation: dict[str, Any]
    schemas: dict[str, Any]
    path_line: int
    operation_id_line: int

    @property
    def operation_id(self) -> str:
        return str(self.operation["operationId"])


@dataclass(frozen=True)
class _Decoded:
    values: list[Any]
    offsets: list[int]
    duplicates: DuplicateKeys


@dataclass(frozen=True)
class _Failure:
    offset: int
    message: str


class _Text:
    """The record's text with line bookkeeping: offsets to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        self.starts = [0]
        for line in text.split("\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _decode_values(text: str, start: int) -> _Decoded | _Failure:
    decoded = _Decoded([], [], DuplicateKeys())
    decoder = json.JSONDecoder(parse_constant=refuse_constant, object_pairs_hook=decoded.duplicates)
    position = start
    for number in range(1, _VALUE_COUNT + 1):
        position = _skip_space(text, position)
        if position == len(text):
            return _Failure(position, f"expected {_VALUE_COUNT} JSON values after the header, found {number - 1}")
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            return _Failure(error.pos, f"invalid JSON value #{number}: {error.msg}")
        except ValueError as error:
            return _Failure(position, f"invalid JSON value #{number}: {error}")
        except RecursionError:
            message = f"JSON value #{number} is nested more than {MAX_DEPTH} levels deep: flatten it"
            return _Failure(offset_too_deep(text, position), message)
        decoded.values.append(value)
        decoded.offsets.append(position)
        position = end
    position = _skip_space(text, position)
    if position != len(text):
        return _Failure(position, f"unexpected text after the {_VALUE_COUNT} JSON values")
    return decoded


def _structural_splits(text: _Text) -> list[int]:
    lines = text.lines
    return [k for k in range(4, len(lines)) if lines[k - 4].startswith("/") and lines[k - 3] in METHODS]


def _fallback_splits(text: _Text, tried: set[int]) -> list[int]:
    """Splits whose four header lines look like text and whose next line looks like JSON."""
    lines = text.lines
    splits = [
        k
        for k in range(4, len(lines))
        if k not in tried
        and lines[k].lstrip()[:1] in _JSON_START
        and all(lines[i].strip() and lines[i].lstrip()[0] not in _NOT_HEADER for i in range(k - 4, k))
    ]
    return splits[:_MAX_FALLBACK_TRIES]


def _candidates(text: _Text) -> Iterator[int]:
    structural = _structural_splits(text)
    yield from structural
    yield from _fallback_splits(text, set(structural))


def _split(file: Path, text: _Text) -> tuple[int, _Decoded]:
    failures: list[_Failure] = []
    for k in _candidates(text):
        result = _decode_values(text.text, text.starts[k])
        if isinstance(result, _Decoded):
            return k, result
        failures.append(result)
    if failures:
        worst = max(failures, key=lambda failure: failure.offset)
        raise SpecError(file, worst.message, line=text.line_of(worst.offset))
    raise SpecError(
        file,
        "not a record: expected description, path, method, tag and operationId lines, then six JSON values",
        line=len(text.lines),
    )


def _header(file: Path, text: _Text, k: int) -> tuple[str, str, str, str]:
    path, method, tag, operation_id = text.lines[k - 4 : k]
    if not path.startswith("/") or any(char.isspace() for char in path):
        raise SpecError(file, f"expected a path starting with '/', found {path!r}", line=k - 3)
    if method not in METHODS:
        raise SpecError(
            file, f"unknown HTTP method {method!r} (expected one of {', '.join(sorted(METHODS))})", line=k - 2
        )
    if not tag.strip():
        raise SpecError(file, "the tag line is empty", line=k - 1)
    if not operation_id or any(char.isspace() for char in operation_id):
        raise SpecError(file, f"invalid operationId {operation_id!r}", line=k)
    return path, method, tag, operation_id


def _check_path_parameters(file: Path, path: str, operation: dict[str, Any], pointer: str, line: int) -> None:
    """No parameter twice; the path template and the path parameters agree (when no parameter is a $ref)."""
    parameters = operation.get("parameters") or []
    if any("$ref" in parameter for parameter in parameters):
        return
    seen: set[tuple[str, str]] = set()
    for parameter in parameters:
        key = (parameter["name"], parameter["in"])
        if key in seen:
            message = f"parameter {key[0]!r} (in: {key[1]}) is declared twice: remove one"
            raise SpecError(file, message, line=line, pointer=pointer + "/parameters")
        seen.add(key)
    declared = [name for name, location in seen if location == "path"]
    check_path_template(file, path, declared, pointer + "/parameters", line=line)


def parse_record(file: Path, content: str | None = None) -> Record:
    """Parse one record file (or ``content`` on behalf of ``file``) into a :class:`Record`."""
    text = _Text(read_text(file) if content is None else content)
    refuse_too_many_values(file, text.text)
    k, decoded = _split(file, text)
    path, method, tag, operation_id = _header(file, text, k)
    pointer = to_pointer(["paths", path, method])
    located = [
        Located(value, text.line_of(offset)) for value, offset in zip(decoded.values, decoded.offsets, strict=True)
    ]
    for field, item in zip(_FIELDS, located, strict=True):
        check_tree(file, item.value, base=pointer + to_pointer([field]), line=item.line)
        repeated = decoded.duplicates.locate(item.value)
        if repeated is not None:
            raise SpecError(
                file, "duplicate key in a JSON object", line=item.line, pointer=pointer + to_pointer([field]) + repeated
            )
    head: dict[str, Any] = {"operationId": operation_id, "tags": [tag]}
    description = "\n".join(text.lines[: k - 4])
    if description:
        head["description"] = description
    check_tree(file, {"path": path, **head}, base=pointer, line=1)
    operation = build_operation(file, pointer, head, located)
    _check_path_parameters(file, path, operation, pointer, k - 3)
    lines = {name: item.line for name, item in zip(_FIELDS, located, strict=True)}
    schemas = recover_recursive_refs(file, operation, pointer, lines)
    return Record(file, path, method, operation, schemas, k - 3, k)
