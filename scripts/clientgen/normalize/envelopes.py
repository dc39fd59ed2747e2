"""Pass: Cloudflare's response envelopes ``{success, errors, messages, result}``.

Error responses (``4XX``, some ``5XX``) are written as ``allOf[success envelope + result,
failure envelope]``: ``success`` must be both ``true`` and ``false``, so no body can satisfy
it (804 operations in 2023-08).  The intent is plain: the body is the failure envelope.
:func:`reduce_error_envelopes` keeps only the failure branches (before ``allOf`` is
flattened); :func:`shape_failure_envelopes` then makes the failure envelope say what the API
does: ``success: false``, at least one ``{code, message}`` error, ``result`` nullable.
:func:`mark_success_envelopes` reads a 2xx ``{success: boolean, result}`` (radar, AI, zones:
345 operations in 2024-08) as ``success: true``, so the client unwraps its ``result`` like
every other envelope (a ``false`` one is raised as an error at run time).  In an API whose
2xx bodies are mostly success envelopes (the convention, detected from the description), a 2xx
body that declares only envelope fields and ``result`` but no ``success`` (``DELETE
/zones/{zone_id}/dns_records/{id}``: ``{result: {id}}``) is read as that envelope too, so every
delete returns its ``result`` like the other methods.

Envelopes are a detected convention, not an assumption: a plain-boolean ``{success, result}``
is marked only in a document that uses the envelope elsewhere: a response with ``success``,
``result`` *and* an ``errors`` or ``messages`` list (:func:`has_envelope_shape`), or one whose
``success`` is already ``true`` or ``false`` only.  Another API's ``{success, result}`` object
is an ordinary model: not marked, not unwrapped.

The predicates here also give envelope parts their role names (``ResponseInfo``,
``ResultInfo``, ``ErrorEnvelope``) used by the hoisting pass.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.schemas import map_operation_schemas

__all__ = [
    "ENVELOPE_ITEM_NAMES",
    "envelope_votes",
    "has_envelope_shape",
    "is_convention",
    "is_failure_envelope",
    "is_success_envelope",
    "mark_bare_results",
    "mark_plain_successes",
    "mark_success_envelopes",
    "reduce_error_envelopes",
    "shape_failure_envelopes",
    "uses_envelopes",
]

# Names of the envelope's parts, by the envelope property holding them (the item, for arrays).
ENVELOPE_ITEM_NAMES = {"errors": "ResponseInfo", "messages": "ResponseInfo", "result_info": "ResultInfo"}
FAILURE_ENVELOPE_NAME = "ErrorEnvelope"


def _success_enum(schema: Any) -> list[Any] | None:
    if not isinstance(schema, dict):
        return None
    success = (schema.get("properties") or {}).get("success")
    if isinstance(success, dict) and isinstance(success.get("enum"), list):
        return list(success["enum"])
    return None


def has_envelope_shape(properties: Any) -> bool:
    """``success`` and ``result`` beside an ``errors`` or ``messages`` list: Cloudflare's envelope."""
    if not isinstance(properties, dict) or not {"success", "result"} <= properties.keys():
        return False
    return any(isinstance(properties.get(key), dict) for key in ("errors", "messages"))


def is_failure_envelope(schema: Any) -> bool:
    return _success_enum(schema) == [False]


def is_success_envelope(schema: Any) -> bool:
    """A flattened success envelope: ``success: true`` beside a ``result``."""
    return _success_enum(schema) == [True] and "result" in (schema.get("properties") or {})


def _leaves(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The branches of a nested ``allOf``, innermost first, without their ``allOf`` keys."""
    branches = schema.get("allOf")
    if not isinstance(branches, list):
        return [schema]
    leaves = [leaf for branch in branches if isinstance(branch, dict) for leaf in _leaves(branch)]
    rest = {key: value for key, value in schema.items() if key != "allOf"}
    return [*leaves, rest] if rest else leaves


def _says_success(schema: Any) -> bool:
    """Whether a branch, through any composition, declares ``success: true``."""
    if not isinstance(schema, dict):
        return False
    if _success_enum(schema) == [True]:
        return True
    return any(_says_success(branch) for key in ("allOf", "anyOf", "oneOf") for branch in schema.get(key) or [])


def _reduce(schema: dict[str, Any], pointer: str, diags: Diagnostics) -> dict[str, Any]:
    leaves = _leaves(schema)
    failures = [leaf for leaf in leaves if _success_enum(leaf) == [False]]
    if not failures or not any(_says_success(leaf) for leaf in leaves):
        return schema
    failures = [{key: value for key, value in leaf.items() if key not in {"anyOf", "oneOf"}} for leaf in failures]
    diags.add(
        pointer,
        "error-envelope",
        "unsatisfiable allOf[success envelope, failure envelope] read as the failure envelope",
    )
    outer = {key: value for key, value in schema.items() if key not in {"allOf", "properties", "required", "type"}}
    return {"allOf": failures, **outer} if len(failures) > 1 or outer else failures[0]


def reduce_error_envelopes(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    map_operation_schemas(doc, lambda schema, at: _reduce(schema, at, diags) if "/responses/" in at else schema)
    return doc


def _shape(schema: dict[str, Any], pointer: str, diags: Diagnostics) -> dict[str, Any]:
    properties = dict(schema.get("properties") or {})
    errors = properties.get("errors")
    if isinstance(errors, dict) and errors.get("type") == "array" and errors.get("minItems", 0) < 1:
        properties["errors"] = {**errors, "minItems": 1}
        diags.add(f"{pointer}/properties/errors", "error-envelope", "a failure envelope carries at least one error")
    result = properties.get("result")
    if isinstance(result, dict) and not result.get("nullable"):
        properties["result"] = {**result, "nullable": True}
        diags.add(f"{pointer}/properties/result", "error-envelope", "a failure envelope's result may be null")
    return {**schema, "properties": properties}


def shape_failure_envelopes(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    def shape(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        return _shape(schema, pointer, diags) if "/responses/" in pointer and is_failure_envelope(schema) else schema

    map_operation_schemas(doc, shape)
    return doc


def _mark_success(schema: Any, pointer: str, diags: Diagnostics) -> Any:
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or "result" not in properties:
        return schema
    success = properties.get("success")
    if not isinstance(success, dict) or success.get("type") != "boolean" or "enum" in success:
        return schema
    diags.add(
        f"{pointer}/properties/success",
        "success-envelope",
        "a 2xx envelope whose success is a plain boolean: read as success: true (false is raised as an error)",
    )
    return {**schema, "properties": {**properties, "success": {**success, "enum": [True]}}}


def uses_envelopes(doc: dict[str, Any]) -> bool:
    """Whether any response is shaped as (or marked) an envelope: the success envelopes are read at all."""
    found: list[str] = []

    def look(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        if "/responses/" in pointer and (
            has_envelope_shape(schema.get("properties")) or _success_enum(schema) in ([True], [False])
        ):
            found.append(pointer)
        return schema

    map_operation_schemas(doc, look)
    return bool(found)


_ENVELOPE_FIELDS = frozenset({"result", "result_info", "errors", "messages"})
_TRUE = {"type": "boolean", "enum": [True], "description": "Whether the API call was successful"}


def _is_bare_result(schema: Any) -> bool:
    """``{result, ...}`` with envelope fields only and no ``success``."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return isinstance(properties, dict) and "result" in properties and set(properties) <= _ENVELOPE_FIELDS


def envelope_votes(doc: dict[str, Any]) -> tuple[int, int]:
    """(success envelopes, all) among the 2xx JSON bodies with a ``result``: the convention's vote of ``doc``."""
    found: list[bool] = []

    def count(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
        if "/responses/2" in pointer and "result" in (schema.get("properties") or {}):
            found.append(is_success_envelope(schema))
        return schema

    map_operation_schemas(doc, count)
    return sum(found), len(found)


def is_convention(votes: tuple[int, int]) -> bool:
    """Whether most 2xx JSON bodies with a ``result`` are success envelopes (after reading plain booleans)."""
    envelopes, bodies = votes
    return bodies > 0 and 2 * envelopes > bodies


def _mark_bare_result(schema: Any, pointer: str, diags: Diagnostics) -> Any:
    if not _is_bare_result(schema):
        return schema
    diags.add(
        f"{pointer}/properties",
        "success-envelope",
        "a 2xx body with the API's envelope fields but no success: read as the API's success envelope",
    )
    return {**schema, "properties": {**schema["properties"], "success": dict(_TRUE)}}


def mark_success_envelopes(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    if not uses_envelopes(doc):
        return doc
    mark_plain_successes(doc, diags)
    if is_convention(envelope_votes(doc)):
        mark_bare_results(doc, diags)
    return doc


def mark_plain_successes(doc: dict[str, Any], diags: Diagnostics) -> None:
    """The first half of :func:`mark_success_envelopes`, for a document that :func:`uses_envelopes`."""
    map_operation_schemas(doc, lambda schema, at: _mark_success(schema, at, diags) if "/responses/2" in at else schema)


def mark_bare_results(doc: dict[str, Any], diags: Diagnostics) -> None:
    """The second half of :func:`mark_success_envelopes`, where the envelope :func:`is_convention`."""
    map_operation_schemas(
        doc, lambda schema, at: _mark_bare_result(schema, at, diags) if "/responses/2" in at else schema
    )
