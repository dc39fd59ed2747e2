"""Which ``pattern`` values the generated package can compile.

A description's ``pattern`` is an ECMA-262 regular expression.  The models check it with
pydantic's regex engine (Rust's ``regex``, or Python's ``re`` where the pattern needs lookaround);
the client checks path parameters with Python's ``re``.  A pattern that the engine checking it
cannot compile would make the model fail on first use (``SchemaError``) or the call raise, so the
constraints pass drops it with a report instead (one bad pattern never sinks a model).
"""

from __future__ import annotations

import re
from functools import cache

from pydantic_core import SchemaError, SchemaValidator, core_schema

__all__ = ["compiles_for_models", "compiles_in_python"]


@cache
def compiles_in_python(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return False
    return True


@cache
def _compiles_in_rust(pattern: str) -> bool:
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError:
        return False
    return True


def compiles_for_models(pattern: str) -> bool:
    """Whether one of the engines a model may use compiles ``pattern``."""
    return compiles_in_python(pattern) or _compiles_in_rust(pattern)
