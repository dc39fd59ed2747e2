"""Argument values for the README's examples, chosen so that the examples run as written.

A value must pass the parameter's checks (``maxLength``, ``pattern``, ``minimum``, ...) or
the example would raise ``ParameterValidationError`` before sending anything.  Candidates
follow Cloudflare's conventions (32-hex identifiers, lower-case names); the first one that
passes every check wins, and ``...`` (visibly a placeholder) when none does.  Values are
written with ``repr`` (double quotes when nothing needs escaping): spec text never becomes code.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from clientgen.model import Operation, Parameter

__all__ = ["PER_CALL_OPTIONS", "ExampleArgument", "example_arguments", "first_call_example", "paginated_example"]

IDENTIFIER = "023e105f4ecef8ad9ca31a8372d0c353"  # the shape of every Cloudflare account/zone/resource id
PLACEHOLDER = "..."


@dataclass(frozen=True)
class ExampleArgument:
    name: str
    literal: str  # a Python literal (repr), or ``...`` when no candidate passes the checks


# Options every generated method takes, shown once in the README's retries section.
PER_CALL_OPTIONS = (ExampleArgument("max_retries", "0"), ExampleArgument("timeout", "10.0"))


def _check_values(parameter: Parameter) -> dict[str, object]:
    values: dict[str, object] = {}
    for check in parameter.checks:
        try:
            values[check.keyword] = ast.literal_eval(check.literal)
        except (ValueError, SyntaxError):
            values[check.keyword] = None
    return values


def _passes(value: object, checks: dict[str, object]) -> bool:
    if isinstance(value, str):
        max_length, min_length, pattern = checks.get("max_length"), checks.get("min_length"), checks.get("pattern")
        if isinstance(max_length, int) and len(value) > max_length:
            return False
        if isinstance(min_length, int) and len(value) < min_length:
            return False
        if isinstance(pattern, str):
            try:
                return re.search(pattern, value) is not None
            except re.error:
                return False
        return bool(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        minimum, maximum = checks.get("minimum"), checks.get("maximum")
        below = isinstance(minimum, int | float) and value < minimum
        above = isinstance(maximum, int | float) and value > maximum
        return not (below or above)
    return True


def _string_candidates(name: str) -> list[object]:
    words = [word for word in name.split("_") if word]
    named = "-".join(word for word in words if word not in {"name", "identifier", "id"}) or "example"
    identifier_first = bool(words) and words[-1] in {"id", "identifier", "tag", "uuid"}
    candidates: list[object] = [IDENTIFIER, f"my-{named}"] if identifier_first else [f"my-{named}", IDENTIFIER]
    return [*candidates, "example", "example.com", "1"]


def _candidates(parameter: Parameter) -> list[object]:
    annotation = parameter.type.annotation.removesuffix(" | None")
    if annotation.startswith("Literal["):
        try:
            tree = ast.parse(annotation, mode="eval").body
        except SyntaxError:
            return []
        if isinstance(tree, ast.Subscript):
            members = tree.slice.elts if isinstance(tree.slice, ast.Tuple) else [tree.slice]
            values: list[object] = [member.value for member in members if isinstance(member, ast.Constant)]
            return values[:1]
        return []
    candidates: dict[str, list[object]] = {
        "str": _string_candidates(parameter.name),
        "int": [1, 100],
        "float": [1.0, 100.0],
        "bool": [True],
    }
    return candidates.get(annotation, [])


def _python_literal(value: object) -> str:
    """``repr``, with double quotes for plain strings as a formatter would write them."""
    if isinstance(value, str) and value.isascii() and value.isprintable() and not {'"', "\\"} & set(value):
        return f'"{value}"'
    return repr(value)


def _literal(parameter: Parameter) -> str:
    checks = _check_values(parameter)
    for value in _candidates(parameter):
        if _passes(value, checks):
            return _python_literal(value)
    return PLACEHOLDER


def example_arguments(operation: Operation | None) -> list[ExampleArgument]:
    """One value per required parameter of ``operation``, in signature order."""
    if operation is None:
        return []
    return [ExampleArgument(param.name, _literal(param)) for param in operation.parameters if param.required]


def paginated_example(operations: list[Operation]) -> Operation | None:
    """The first operation that returns a page, preferring one on the same resource level as most lists."""
    paginated = [operation for operation in operations if operation.pagination is not None]
    return min(paginated, key=lambda operation: (len(operation.resource_path), operation.call_path), default=None)


def first_call_example(operations: list[Operation]) -> Operation | None:
    """The README's first call: reading one item that returns a model, the gentlest thing to try.

    Else (the seed's single ``rollback``) the first operation.
    """
    readers = [
        operation
        for operation in operations
        if operation.http_method == "get"
        and operation.level == "item"
        and operation.result is not None
        and operation.result.model_class is not None
        and all(_literal(param) != PLACEHOLDER for param in operation.parameters if param.required)
    ]
    if readers:
        return min(readers, key=lambda operation: (len(operation.resource_path), operation.call_path))
    return operations[0] if operations else None
