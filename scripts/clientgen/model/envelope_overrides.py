"""``[conventions.envelope_operations]``: an operation's envelope unwrapping set in the config.

Envelopes are detected per operation (``normalize/envelopes.py``); where the description cannot
say, the config decides for one operation: ``"none"`` returns the whole 2xx body, ``"result"``
returns its ``result`` property (the body must declare one).  Each override is a decision in
``report.json`` (``envelope-override``); an operationId the description lacks is a config error.
"""

from __future__ import annotations

from typing import Any

from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics, SpecError, escape_pointer_token
from clientgen.model.types import Models, TypeExpr, type_of
from clientgen.normalize.schemas import resolve_component

__all__ = ["ENVELOPE_OVERRIDE", "check_envelope_operations", "forced_result"]

ENVELOPE_OVERRIDE = "envelope-override"
_TABLE = "conventions.envelope_operations"


def check_envelope_operations(config: GeneratorConfig, operation_ids: set[str]) -> None:
    """Refuse a config that names an operation the description does not have (first one, sorted)."""
    unknown = sorted(set(config.envelope_operations) - operation_ids)
    if unknown:
        pointer = f"/conventions/envelope_operations/{escape_pointer_token(unknown[0])}"
        msg = f"[{_TABLE}] names {unknown[0]!r}, which is not an operationId of the description"
        raise SpecError(config.path, msg, pointer=pointer)


def forced_result(
    schema: dict[str, Any] | None,
    models: Models,
    components: dict[str, Any],
    *,
    pointer: str,
    diags: Diagnostics,
) -> TypeExpr | None:
    """The type of the success body's ``result`` when the config says to unwrap it; ``None`` (warned) without one."""
    body = resolve_component(schema, components)
    result = (body.get("properties") or {}).get("result")
    if not isinstance(result, dict):
        message = f"[{_TABLE}] says 'result', but the success body declares no result: the whole body is returned"
        diags.warn(pointer, ENVELOPE_OVERRIDE, message)
        return None
    diags.add(pointer, ENVELOPE_OVERRIDE, f"[{_TABLE}] 'result': the method returns the body's result")
    return type_of(result, models)
