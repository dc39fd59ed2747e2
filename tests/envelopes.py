"""Cloudflare's success envelope, for the small APIs that tests generate."""

from __future__ import annotations

from typing import Any

__all__ = ["success_envelope"]

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
