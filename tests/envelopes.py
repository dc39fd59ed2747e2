"""Cloudflare's success envelope, for the small APIs that tests generate."""

from __future__ import annotations

from typing import Any

__all__ = ["allof_envelope", "success_envelope"]

_MESSAGES = {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "integer"}}}}


def success_envelope(result: dict[str, Any], **extra: dict[str, Any]) -> dict[str, Any]:
    """``{success: true, errors, messages, result}`` around ``result``; ``extra`` adds properties (``result_info``)."""
    return {
        "type": "object",
        "required": ["success", "errors", "messages", "result"],
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "errors": _MESSAGES,
            "messages": _MESSAGES,
            "result": result,
            **extra,
        },
    }


def allof_envelope(result: dict[str, Any]) -> dict[str, Any]:
    """The envelope as Cloudflare writes it: ``allOf`` of the common part and ``{result}`` (``result`` not required)."""
    common = {
        "type": "object",
        "required": ["success", "errors", "messages"],
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "errors": {"type": "array", "items": {}},
            "messages": {"type": "array", "items": {}},
        },
    }
    return {"allOf": [common, {"type": "object", "properties": {"result": result}}]}
