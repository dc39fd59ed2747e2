"""``report.json``: every source operation, how it was generated, and why anything about it is degraded.

Each operation lists its call path, return annotation, a status and ``reasons``: a
machine-readable ``code``, a sentence and the JSON pointer it is about.  ``untyped`` means
the method returns ``None`` or ``Any`` because the spec gives nothing to type the response
with — no success response, no body, no schema, or a schema without a type; the reason says
which.  ``untyped-by-pipeline`` would mean the pipeline gave up on a schema the spec does
give: the full-API tests require that none does.  Decisions the normalizer took inside an
operation that change what the method accepts or returns (defaults dropped, media types
read differently, names set by ``names.toml``, every warning) are listed too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clientgen.diagnostics import Diagnostic, Diagnostics, Level, escape_pointer_token
from clientgen.normalize.envelopes import is_success_envelope
from clientgen.normalize.media import json_media
from clientgen.normalize.schemas import op_pointer, success_response

if TYPE_CHECKING:
    from clientgen.model import Api, Operation

__all__ = ["UNTYPED_CODES", "Reason", "build_report", "response_reason", "unwrap_reason"]

# The spec gives nothing to type the response with.
NO_SUCCESS_RESPONSE = "no-success-response"
NO_RESPONSE_BODY = "no-response-body"
NO_RESPONSE_SCHEMA = "no-response-schema"
RESPONSE_SCHEMA_WITHOUT_TYPE = "response-schema-without-type"
RESULT_WITHOUT_TYPE = "result-without-type"  # an envelope whose result is {} (Workers AI runs)
# The pipeline did not use a schema the spec gives: a defect, never expected.
UNTYPED_BY_PIPELINE = "untyped-by-pipeline"
UNTYPED_CODES = frozenset(
    {
        NO_SUCCESS_RESPONSE,
        NO_RESPONSE_BODY,
        NO_RESPONSE_SCHEMA,
        RESPONSE_SCHEMA_WITHOUT_TYPE,
        RESULT_WITHOUT_TYPE,
        UNTYPED_BY_PIPELINE,
    }
)
# Typed, but not as a JSON model.
RESULT_NULL = "result-null"
MEDIA_MAPPED = "media-mapped"
# In an API whose methods return the envelope's ``result``, one that returns its whole 2xx body.
NOT_UNWRAPPED = "not-unwrapped"
# Normalizer decisions inside an operation that change what its method accepts or returns.
_DEGRADING_DECISIONS = frozenset({"default-dropped", "names-override", "schemaless-body"})
_TYPE_KEYWORDS = frozenset(
    {"type", "$ref", "properties", "items", "anyOf", "oneOf", "allOf", "enum", "additionalProperties"}
)


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    pointer: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "pointer": self.pointer}


def response_reason(op: dict[str, Any], operation: Operation) -> Reason | None:
    """Why the method's return type is not a model or type read from a response schema, if it is not."""
    pointer = op_pointer(operation.path, operation.http_method)
    success = success_response(op)
    if success is None:
        return Reason(NO_SUCCESS_RESPONSE, "the spec declares no 2xx response", f"{pointer}/responses")
    code, response = success
    where = f"{pointer}/responses/{escape_pointer_token(code)}"
    content = response.get("content") or {}
    if not content:
        return Reason(NO_RESPONSE_BODY, f"the spec declares the {code} response without a body", where)
    if operation.download is not None:
        media = ", ".join(sorted(content))
        kind = "str" if operation.download == "text" else "bytes"
        return Reason(MEDIA_MAPPED, f"{media} response returned as {kind}", f"{where}/content")
    media = json_media(content) or "application/json"
    media_object = content.get(media)
    schema = media_object.get("schema") if isinstance(media_object, dict) else None
    media_pointer = f"{where}/content/{escape_pointer_token(media)}"
    if not isinstance(schema, dict):
        if media_object is None:
            message = f"no JSON media type among the {code} response's media types ({', '.join(sorted(content))})"
            return Reason(UNTYPED_BY_PIPELINE, message, f"{where}/content")
        return Reason(NO_RESPONSE_SCHEMA, f"the spec gives no schema for the {code} response", media_pointer)
    if not _TYPE_KEYWORDS & set(schema):
        message = f"the spec's schema for the {code} response has no type (only {', '.join(sorted(schema)) or '{}'})"
        return Reason(RESPONSE_SCHEMA_WITHOUT_TYPE, message, f"{media_pointer}/schema")
    if is_success_envelope(schema) and operation.result is None:
        message = "the spec declares the envelope's result as always null: the method returns None"
        return Reason(RESULT_NULL, message, f"{media_pointer}/schema/properties/result")
    result = (schema.get("properties") or {}).get("result") if is_success_envelope(schema) else None
    if isinstance(result, dict) and not _TYPE_KEYWORDS & set(result):
        message = (
            f"the spec's envelope result for the {code} response has no type (only {', '.join(sorted(result)) or '{}'})"
        )
        return Reason(RESULT_WITHOUT_TYPE, message, f"{media_pointer}/schema/properties/result")
    if operation.result is None or operation.result.annotation == "Any":
        message = f"the {code} response's schema could not be typed; please report this with the spec"
        return Reason(UNTYPED_BY_PIPELINE, message, f"{media_pointer}/schema")
    return None


def _envelope_api(api: Api) -> bool:
    """Whether most methods with a JSON result return an envelope's ``result`` (the API's convention)."""
    json_results = [op for op in api.operations if op.download is None and (op.result is not None or op.unwrap_result)]
    return 2 * sum(op.unwrap_result for op in json_results) > len(json_results)


def unwrap_reason(op: dict[str, Any], operation: Operation) -> Reason | None:
    """Why a method of an envelope API returns its whole 2xx body instead of ``result``; ``None`` if it does not."""
    if operation.unwrap_result or operation.download is not None or operation.result is None:
        return None
    success = success_response(op)
    if success is None:
        return None
    code, response = success
    schema = ((response.get("content") or {}).get("application/json") or {}).get("schema")
    pointer = f"{op_pointer(operation.path, operation.http_method)}/responses/{escape_pointer_token(code)}"
    properties = sorted((schema.get("properties") or {}) if isinstance(schema, dict) else {})
    if "result" not in properties:
        why = "declares no result" if properties else "is not an object with properties"
    elif "success" in properties:
        why = "declares a success that is not always true"
    else:
        why = f"declares fields beside the envelope's ({', '.join(properties)})"
    message = f"the {code} response {why}: the method returns the whole body, not an envelope's result"
    return Reason(NOT_UNWRAPPED, message, pointer)


def _by_operation(diags: Diagnostics) -> dict[str, list[Diagnostic]]:
    """Diagnostics grouped by the operation they are inside (``/paths/<path>/<method>``)."""
    grouped: dict[str, list[Diagnostic]] = {}
    for item in diags.sorted():
        if item.level is Level.WARNING or item.code in _DEGRADING_DECISIONS:
            parts = item.pointer.split("/", 4)
            if len(parts) >= 4 and parts[1] == "paths":  # "", "paths", path, method
                grouped.setdefault("/".join(parts[:4]), []).append(item)
    return grouped


def _entry(
    op: dict[str, Any], operation: Operation, decisions: list[Diagnostic], *, envelope_api: bool
) -> dict[str, Any]:
    reason = response_reason(op, operation)
    unwrap = unwrap_reason(op, operation) if envelope_api and reason is None else None
    reasons = (
        ([reason] if reason is not None else [])
        + ([unwrap] if unwrap is not None else [])
        + [Reason(item.code, item.message, item.pointer) for item in decisions]
    )
    return {
        "operationId": operation.operation_id,
        "method": operation.http_method.upper(),
        "path": operation.path,
        "call": operation.call_path,
        "returns": operation.method_returns,
        "status": "untyped" if reason is not None and reason.code in UNTYPED_CODES else "typed",
        "reasons": [item.as_dict() for item in reasons],
        **(
            {"pagination": {"style": operation.pagination.style, "why": operation.pagination.reason}}
            if operation.pagination is not None
            else {}
        ),
    }


def build_report(api: Api, doc: dict[str, Any], diags: Diagnostics, *, models: int) -> dict[str, Any]:
    """The whole report: operations (sorted by path and method), diagnostics, and a summary of both."""
    decisions = _by_operation(diags)
    paths = doc.get("paths") or {}
    envelope_api = _envelope_api(api)
    operations = sorted(
        (
            _entry(
                paths[operation.path][operation.http_method],
                operation,
                decisions.get(op_pointer(operation.path, operation.http_method), []),
                envelope_api=envelope_api,
            )
            for operation in api.operations
        ),
        key=lambda entry: (entry["path"], entry["method"]),
    )
    not_unwrapped = sum(
        1 for entry in operations if any(reason["code"] == NOT_UNWRAPPED for reason in entry["reasons"])
    )
    untyped = Counter(
        entry["reasons"][0]["code"] for entry in operations if entry["status"] == "untyped"
    )  # the response reason comes first
    return {
        "operations": operations,
        "diagnostics": [item.as_dict() for item in diags.sorted()],
        "summary": {
            "operations": len(operations),
            "typed": len(operations) - sum(untyped.values()),
            "untyped": sum(untyped.values()),
            "untyped_reasons": dict(sorted(untyped.items())),
            "not_unwrapped": not_unwrapped,
            "models": models,
            "warnings": diags.count(Level.WARNING),
            "decisions": diags.count(Level.INFO),
        },
    }
