"""Pass: response keys and media types that the generators would otherwise skip.

* ``4xx``/``5xx`` response keys become ``4XX``/``5XX`` (OpenAPI spells ranges upper-case).
* A media key that is not a media type (``undefined``, ``string``: the Workers script
  downloads, whose examples are JavaScript source) is read as ``text/plain`` with a string
  schema, and reported; the media object keeps the key as ``x-clientgen-media-key`` so that
  the call's ``Accept`` adds ``*/*`` (``model/wire.py``): ``text/plain`` is our guess, not the
  description's word, and must not make a server refuse what it would send.
* A JSON request body without a schema (``"application/json": {}``: 135 operations in the
  2024 spec, the seed among them) gets ``{"type": "object"}``: the API wants a JSON object
  and the client sends ``{}`` by default.  Recorded as a decision in the report.
"""

from __future__ import annotations

import re
from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.normalize.schemas import iter_operations, op_pointer

__all__ = ["GUESSED_MEDIA_KEY", "is_json_media", "json_media", "normalize_media"]

GUESSED_MEDIA_KEY = "x-clientgen-media-key"  # on a media object read as text/plain: the description's own key

_ANY_JSON_OBJECT = {"type": "object", "description": "The source declares no schema: any JSON object."}


def is_json_media(media: str) -> bool:
    """``application/json`` or any ``+json`` type (``application/vnd.github.v3+json``, ``application/problem+json``)."""
    base = media.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def json_media(content: Any) -> str | None:
    """The JSON media key of a ``content`` object: ``application/json`` first, else the first ``+json`` one, sorted."""
    if not isinstance(content, dict):
        return None
    found = sorted((media.split(";", 1)[0].strip().lower() != "application/json", media) for media in content)
    return next((media for _, media in found if is_json_media(media)), None)


def _upper_status_keys(op: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    responses = op.get("responses") or {}
    fixed: dict[str, Any] = {}
    for code, response in responses.items():
        key = str(code).upper() if re.fullmatch(r"[1-5]xx", str(code), re.IGNORECASE) else str(code)
        if key in fixed:
            diags.warn(
                f"{pointer}/responses/{code}",
                "duplicate-status",
                f"response {code!r} duplicates {key!r}; kept the first",
            )
            continue
        if key != code:
            diags.add(f"{pointer}/responses/{code}", "status-case", f"response key {code!r} read as {key!r}")
        fixed[key] = response
    if responses:
        op["responses"] = fixed


def _fill_request_schema(op: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    body = op.get("requestBody")
    if not isinstance(body, dict):
        return
    content = dict(body.get("content") or {})
    for media, media_object in content.items():
        if is_json_media(media) and isinstance(media_object, dict) and "schema" not in media_object:
            content[media] = {**media_object, "schema": dict(_ANY_JSON_OBJECT)}
            diags.add(
                f"{pointer}/requestBody/content/{escape_pointer_token(media)}",
                "schemaless-body",
                "JSON request body has no schema; typed as any JSON object, sent as {} by default",
            )
    op["requestBody"] = {**body, "content": content}


def _bogus_media(owner: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    content = owner.get("content")
    if not isinstance(content, dict) or all("/" in media for media in content):
        return
    fixed: dict[str, Any] = {}
    for media, media_object in content.items():
        if "/" in media:
            fixed.setdefault(media, media_object)
            continue
        schema = dict((media_object or {}).get("schema") or {})
        schema.setdefault("type", "string")
        fixed.setdefault("text/plain", {**(media_object or {}), "schema": schema, GUESSED_MEDIA_KEY: media})
        diags.warn(
            f"{pointer}/content/{escape_pointer_token(media)}",
            "media-type",
            f"{media!r} is not a media type; read as text/plain",
        )
    owner["content"] = fixed


def normalize_media(doc: dict[str, Any], diags: Diagnostics) -> dict[str, Any]:
    for path, method, op in iter_operations(doc):
        pointer = op_pointer(path, method)
        _upper_status_keys(op, pointer, diags)
        if isinstance(op.get("requestBody"), dict):
            _bogus_media(op["requestBody"], f"{pointer}/requestBody", diags)
        for code, response in (op.get("responses") or {}).items():
            if isinstance(response, dict):
                _bogus_media(response, f"{pointer}/responses/{escape_pointer_token(code)}", diags)
        _fill_request_schema(op, pointer, diags)
    return doc
