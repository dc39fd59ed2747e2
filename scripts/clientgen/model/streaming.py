"""Server-sent events: whether an operation's success response offers ``text/event-stream``, and its event type.

An operation whose 2xx response lists ``text/event-stream`` (beside JSON or alone) gets a ``stream``
keyword; with ``stream=True`` the runtime (``_streaming``) yields parsed events.  The event's ``data``
is typed by the stream's schema when that schema is structured (a model, an array, a union); a string,
binary or missing schema describes the raw bytes, not the events, so their data stays plain JSON.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.model.types import ANY, Models, TypeExpr, type_of

__all__ = ["EVENT_STREAM", "event_stream_type"]

EVENT_STREAM = "text/event-stream"
_UNTYPED = frozenset({"Any", "str", "bytes", "None"})


def _stream_media(op: dict[str, Any]) -> dict[str, Any] | None:
    for code, response in sorted((op.get("responses") or {}).items()):
        if not str(code).startswith("2") or not isinstance(response, dict):
            continue
        content = response.get("content")
        if isinstance(content, dict) and isinstance(content.get(EVENT_STREAM), dict):
            return dict(content[EVENT_STREAM])
    return None


def event_stream_type(
    op: dict[str, Any], models: Models, *, pointer: str, arguments: dict[str, str], diags: Diagnostics
) -> TypeExpr | None:
    """The type of each event's ``data``; ``None`` when the operation does not stream events.

    ``arguments`` maps the method's other arguments to their annotations.  A body keyword ``stream: bool``
    (Workers AI) is the switch itself: ``stream=True`` also sends ``stream: true``.  Any other argument
    called ``stream`` leaves the operation without streaming (reported).
    """
    media = _stream_media(op)
    if media is None:
        return None
    if arguments.get("stream", "bool") != "bool":
        diags.warn(pointer, "event-stream", "text/event-stream not offered as stream=True: 'stream' is taken")
        return None
    expr = type_of(media.get("schema"), models)
    return ANY if expr.annotation in _UNTYPED else expr
