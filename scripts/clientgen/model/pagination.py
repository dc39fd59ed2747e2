"""Which list operations page, and how: detected from the description, overridable in the config.

A GET pages when its success body holds a list of items (the envelope's ``result``, one array
property such as ``data``, or the body itself) and the description shows how to ask for the next
page.  Styles, checked in this order (the first that fits wins, and the report says why):

* ``page`` / ``cursor`` — Cloudflare's ``result_info`` beside ``result`` with a ``page`` query
  parameter, or ``cursor`` plus ``result_info.cursor(s)`` (unchanged).
* ``has_more`` — a boolean ``has_more`` beside the items and a ``starting_after`` query parameter:
  the next page starts after the last item's ``id`` (Stripe's lists).
* ``next_cursor`` — a body field ``next_cursor``/``next_page_token``/``nextPageToken``/``next_token``
  whose value goes back as the cursor query parameter (``cursor``, ``page_token``, ...).
* ``next_url`` — a body field ``next_page_uri``/``next_page_url``/``next_url``/``next`` holding the
  next page's URL (Twilio's ``next_page_uri``); followed only on the client's own origin.
* ``link`` — a ``Link`` response header declared on the success response (GitHub): its
  ``rel="next"`` URL, same origin only.
* ``offset`` — ``offset`` and ``limit`` query parameters and a total (``total``, ``total_count``,
  ``totalCount``, ``count``) beside the items.
* ``page`` without ``result_info`` — an integer ``page`` query parameter (and maybe ``per_page``,
  ``page_size`` or ``limit``) and nothing else that tells the next page: pages are walked until an
  empty page, or one shorter than the ``per_page`` asked for (GitHub's lists without a declared
  ``Link`` header).

``[pagination]`` in the config overrides by operationId: ``"<operationId>" = "none"`` turns
paging off; a style name forces that style (its fields found by the same rules, defaults
otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clientgen.model.api import Pagination
from clientgen.model.types import Models, type_of
from clientgen.normalize.envelopes import is_success_envelope
from clientgen.normalize.schemas import resolve_component, success_response

__all__ = ["detect_pagination"]

_ITEM_FIELDS = ("data", "items", "results", "records", "values", "entries")
_CURSOR_FIELDS = ("next_cursor", "next_page_token", "nextPageToken", "next_token", "nextCursor")
_CURSOR_PARAMS = ("cursor", "page_token", "pageToken", "next_token", "after", "starting_after", "nextCursor")
_URL_FIELDS = ("next_page_uri", "next_page_url", "next_url", "next")
_TOTAL_FIELDS = ("total", "total_count", "totalCount", "count", "total_results")
_PAGE_PARAMS = ("page", "Page", "page_number", "pageNumber")
_PER_PAGE_PARAMS = ("per_page", "page_size", "pageSize", "perPage", "limit", "PageSize")


@dataclass(frozen=True)
class _Shape:
    """Where a success body keeps its items, and what else it holds."""

    items_field: str | None  # None: the body is the list
    items: object  # the items' schema as written (a $ref names the model)
    fields: dict[str, Any]  # the body's properties (empty for a top-level list)


def _json_schema(response: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    content = response.get("content") or {}
    for media in sorted(content, key=lambda media: media != "application/json"):
        base = str(media).split(";", 1)[0].strip().lower()
        if base == "application/json" or base.endswith("+json"):
            return resolve_component((content[media] or {}).get("schema"), components)
    return {}


def _shape(schema: dict[str, Any], components: dict[str, Any]) -> _Shape | None:
    if schema.get("type") == "array":
        return _Shape(None, schema.get("items"), {})
    fields = {str(name): resolve_component(sub, components) for name, sub in (schema.get("properties") or {}).items()}
    arrays = sorted(name for name, sub in fields.items() if sub.get("type") == "array")
    named = [name for name in _ITEM_FIELDS if name in arrays]
    chosen = named[0] if named else (arrays[0] if len(arrays) == 1 else None)
    if chosen is None:
        return None
    return _Shape(chosen, fields[chosen].get("items"), fields)


def _first(names: tuple[str, ...], present: set[str] | dict[str, Any]) -> str | None:
    return next((name for name in names if name in present), None)


def _cloudflare(
    schema: dict[str, Any], query: set[str], components: dict[str, Any], models: Models
) -> Pagination | None:
    info, result = schema["properties"].get("result_info"), schema["properties"]["result"]
    if not isinstance(info, dict) or not isinstance(result, dict) or result.get("type") != "array":
        return None
    info = resolve_component(info, components)
    fields = set((info.get("properties") or {}).keys())
    item = type_of(result.get("items"), models)
    per_page = "per_page" if "per_page" in query else None
    if "cursor" in query and fields & {"cursor", "cursors"}:
        reason = "result_info.cursor and a cursor query parameter"
        return Pagination("cursor", item, per_page_param=per_page, cursor_param="cursor", reason=reason)
    if "page" in query:
        reason = "result_info beside the result list and a page query parameter"
        return Pagination("page", item, page_param="page", per_page_param=per_page, reason=reason)
    return None


def _link_header(response: dict[str, Any]) -> bool:
    return any(str(name).lower() == "link" for name in response.get("headers") or {})


def _styles(
    shape: _Shape, query: set[str], integers: set[str], response: dict[str, Any]
) -> list[tuple[str, dict[str, str | None], str]]:
    """Every style the operation fits, best first: (style, the walk's fields, why)."""
    fits: list[tuple[str, dict[str, str | None], str]] = []
    fields = shape.fields
    if fields.get("has_more", {}).get("type") == "boolean" and "starting_after" in query:
        fits.append(("has_more", {"cursor_param": "starting_after", "cursor_field": "has_more"},
                     "a has_more flag and a starting_after query parameter (the last item's id)"))  # fmt: skip
    cursor_field, cursor_param = _first(_CURSOR_FIELDS, fields), _first(_CURSOR_PARAMS, query)
    if cursor_field is not None and cursor_param is not None:
        fits.append(("next_cursor", {"cursor_param": cursor_param, "cursor_field": cursor_field},
                     f"a {cursor_field} field sent back as the {cursor_param} query parameter"))  # fmt: skip
    url_field = _first(_URL_FIELDS, {name for name, sub in fields.items() if sub.get("type") in {"string", None}})
    if url_field is not None:
        fits.append(("next_url", {"cursor_field": url_field}, f"the next page's URL in the {url_field} field"))
    if _link_header(response):
        fits.append(("link", {}, "a Link response header (rel=next)"))
    total = _first(_TOTAL_FIELDS, fields)
    if {"offset", "limit"} <= query and total is not None:
        fits.append(("offset", {"offset_param": "offset", "limit_param": "limit", "total_field": total},
                     f"offset and limit query parameters and a {total} field"))  # fmt: skip
    page_param = _first(_PAGE_PARAMS, integers)
    if page_param is not None:  # last: only when nothing above tells the next page
        per_page = _first(_PER_PAGE_PARAMS, query)
        end = "an empty page" + (f" or one shorter than {per_page}" if per_page else "")
        why = f"a page-number query parameter {page_param} and no total, link or next field: pages walked until {end}"
        fits.append(("page", {"page_param": page_param, "per_page_param": per_page}, why))
    return fits


def detect_pagination(
    op: dict[str, Any], method: str, models: Models, components: dict[str, Any], override: str | None = None
) -> Pagination | None:
    """The operation's pagination, or ``None`` when it returns a single page (or the config says ``none``)."""
    success = success_response(op)
    if method != "get" or success is None or override == "none":
        return None
    response = success[1]
    schema = _json_schema(response, components)
    parameters = [p for p in op.get("parameters") or [] if isinstance(p, dict) and p.get("in") == "query"]
    query = {str(p.get("name")) for p in parameters}
    integers = {
        str(p.get("name"))
        for p in parameters
        if resolve_component(p.get("schema"), components).get("type") == "integer"
    }
    if is_success_envelope(schema) and override in {None, "page", "cursor"}:
        found = _cloudflare(schema, query, components, models)
        if found is not None and override in {None, found.style}:
            return found
    shape = _shape(schema, components)
    if shape is None:
        return None
    fits = _styles(shape, query, integers, response)
    if override is not None:
        if override == "page":  # forced: a page parameter of any type will do
            fits = _styles(shape, query, query, response)
        fits = [fit for fit in fits if fit[0] == override] or [(override, {}, "set in the config")]
    if not fits:
        return None
    style, fields, reason = fits[0]
    if override is not None:
        reason = f"set in the config ({reason})" if reason != "set in the config" else reason
    return Pagination(
        style,
        type_of(shape.items, models),
        items_field=shape.items_field,
        reason=reason,
        **fields,
    )
