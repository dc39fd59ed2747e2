"""What goes on the wire besides the body: parameter styles and the ``Accept`` header.

* **Styles** (OpenAPI 3 ``style``/``explode``/``allowReserved``): each parameter keeps what its
  description declares, defaults per location (path and header ``simple``, query and cookie
  ``form``; ``explode`` true only for ``form``).  A style that does not exist for the location is
  reported and the default used.  The runtime's ``_serialization`` applies them.
* **Accept**: the media types of the operation's success responses, as normalized (the
  description's ``string``/``undefined`` keys were read as ``text/plain``, a guess: ``*/*`` is
  added after it), JSON first (``application/json`` before other ``+json``), then the others in
  name order, ``*/*`` last;
  ``text/event-stream`` only when nothing else is offered (streaming calls are the runtime's
  concern).  No success body, or exactly ``application/json``: the client's default
  ``Accept: application/json`` is left as it is.
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.normalize.media import GUESSED_MEDIA_KEY

__all__ = ["DEFAULT_STYLES", "ParameterStyle", "accept_header", "parameter_style"]

# location -> (default style, default explode, styles the location allows)
DEFAULT_STYLES: dict[str, tuple[str, bool, frozenset[str]]] = {
    "path": ("simple", False, frozenset({"simple", "label", "matrix"})),
    "query": ("form", True, frozenset({"form", "spaceDelimited", "pipeDelimited", "deepObject"})),
    "header": ("simple", False, frozenset({"simple"})),
    "cookie": ("form", True, frozenset({"form"})),
}
_JSON_DEFAULT = "application/json"
_STREAM = "text/event-stream"

ParameterStyle = tuple[str, bool, bool]  # style, explode, allowReserved


def parameter_style(param: dict[str, Any], location: str, pointer: str, diags: Diagnostics) -> ParameterStyle:
    """The parameter's (style, explode, allowReserved), defaults filled in."""
    default_style, _, allowed = DEFAULT_STYLES[location]
    style = param.get("style", default_style)
    if style not in allowed:
        diags.warn(
            pointer,
            "parameter-style",
            f"style {style!r} is not defined for {location} parameters; sent as {default_style}",
        )
        style = default_style
    explode = param.get("explode")
    if not isinstance(explode, bool):
        explode = style == "form"
    allow_reserved = location == "query" and param.get("allowReserved") is True
    return str(style), explode, allow_reserved


def _is_json(media: str) -> bool:
    base = media.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _rank(media: str) -> tuple[int, str]:
    if media.split(";", 1)[0].strip().lower() == _JSON_DEFAULT:
        return (0, media)
    if _is_json(media):
        return (1, media)
    return (3 if media == "*/*" else 2, media)


def accept_header(op: dict[str, Any]) -> str | None:
    """The ``Accept`` header of the call; ``None`` when it is the client's ``application/json``."""
    offered: set[str] = set()
    for code, response in (op.get("responses") or {}).items():
        if str(code).startswith("2") and isinstance(response, dict) and isinstance(response.get("content"), dict):
            offered.update(str(media) for media in response["content"] if "/" in str(media))
            media_objects = [value for value in response["content"].values() if isinstance(value, dict)]
            if any(GUESSED_MEDIA_KEY in media_object for media_object in media_objects):
                offered.add("*/*")  # text/plain was our guess for a key that is no media type
    if len(offered) > 1:
        offered.discard(_STREAM)
    if not offered:
        return None
    accept = ", ".join(sorted(offered, key=_rank))
    return None if accept == _JSON_DEFAULT else accept
