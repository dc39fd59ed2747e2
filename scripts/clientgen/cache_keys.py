"""Exact, cheap byte forms of the values cache keys are made of: documents and the intermediate model.

:func:`document_bytes` is ``marshal`` format 0 (no sharing, no interning: equal documents give equal bytes
whatever references they share; ``1``, ``1.0`` and ``True`` differ), about four times faster than
``json.dumps``.  :func:`model_bytes` writes a dataclass tree (the intermediate model) field by field, sets
sorted, so the same model gives the same bytes under any ``PYTHONHASHSEED``.  Both are exact: different
values never give the same bytes, so a key made of them is never shared by two different inputs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
from typing import Any

__all__ = ["ModelMemo", "UnkeyableError", "digest", "document_bytes", "model_bytes"]


class UnkeyableError(ValueError):
    """A value holds something with no exact byte form here (a custom object): it is not cached."""


def document_bytes(document: Any) -> bytes:
    """The exact bytes of a JSON-like value (dicts in their order)."""
    try:
        return marshal.dumps(document, 0)
    except ValueError as error:  # an object marshal does not know
        raise UnkeyableError(str(error)) from None


# Plain values' one-letter type tags (``kind.__name__[0]``), looked up by exact type: ``True`` is not ``1``
_PLAIN = {type(None): "N", bool: "b", int: "i", float: "f", str: "s"}
# dataclass -> (its text's opening, field names, frozen); None: not a dataclass.  Looked up once per type.
_SHAPES: dict[type, tuple[str, tuple[str, ...], bool] | None] = {}


def _shape_of(kind: type) -> tuple[str, tuple[str, ...], bool] | None:
    if kind in _SHAPES:
        return _SHAPES[kind]
    found = None
    if dataclasses.is_dataclass(kind):
        params = getattr(kind, "__dataclass_params__", None)
        names = tuple(item.name for item in dataclasses.fields(kind))
        found = (f"<{kind.__qualname__}\x1e", names, bool(params and params.frozen))
    _SHAPES[kind] = found
    return found


def _model_text(value: Any, memo: dict[int, tuple[Any, str]]) -> str:
    """``value`` as exact text; a frozen dataclass met again (shared type expressions) is written once.

    The hot path of every model key (~150,000 calls for Cloudflare): plain values and dataclasses come first.
    """
    kind = type(value)
    tag = _PLAIN.get(kind)
    if tag is not None:
        return tag + repr(value)
    shape = _shape_of(kind)
    if shape is not None and not (isinstance(value, str) and not hasattr(value, "__dict__")):
        start, names, frozen = shape
        if frozen:
            known = memo.get(id(value))
            if known is not None:
                return known[1]
        text = start + "\x1e".join([_model_text(getattr(value, name), memo) for name in names]) + ">"
        if frozen:
            memo[id(value)] = (value, text)  # kept alive with its text: its id is not reused meanwhile
        return text
    if isinstance(value, str) and not hasattr(value, "__dict__"):  # ``PythonIdentifier``: a checked str, no state
        return f"{kind.__qualname__}\x1d{str.__repr__(value)}"
    if isinstance(value, tuple | list):
        return f"[{kind.__name__}\x1e" + "\x1e".join([_model_text(item, memo) for item in value]) + "]"
    if isinstance(value, set | frozenset):
        return "{set\x1e" + "\x1e".join(sorted([_model_text(item, memo) for item in value])) + "}"
    if isinstance(value, dict):
        pairs = [f"{_model_text(key, memo)}\x1d{_model_text(item, memo)}" for key, item in value.items()]
        return "{dict\x1e" + "\x1e".join(pairs) + "}"
    msg = f"no exact byte form for a {kind.__qualname__}"
    raise UnkeyableError(msg)


def model_bytes(value: Any, memo: ModelMemo | None = None) -> bytes:
    """The exact bytes of an intermediate-model value: dataclasses, tuples, lists, sets, dicts, plain values.

    ``memo``: frozen dataclasses already written (by an earlier call with the same memo) are not walked again.
    """
    return _model_text(value, {} if memo is None else memo.texts).encode("utf-8", "surrogatepass")


class ModelMemo:
    """Frozen model values' texts, shared by the keys of one generation (the surface's and the modules')."""

    def __init__(self) -> None:
        self.texts: dict[int, tuple[Any, str]] = {}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
