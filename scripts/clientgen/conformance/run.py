"""Call every operation of a generated client against a running Prism and judge each call."""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientgen.conformance.check import satisfies
from clientgen.conformance.limits import known_limit
from clientgen.conformance.values import parameter_value, schema_value
from clientgen.model import Operation

__all__ = [
    "PRISM_REJECTS",
    "Outcome",
    "arguments",
    "body_value",
    "call_all",
    "parameter_values",
    "prism_reason",
    "security_headers",
    "short",
]

_PRISM_ERRORS = "https://stoplight.io/prism/errors#"
_REASON_CHARS = 240
_BODY_BYTES = b"conformance"
_BROKEN = "description: its own example of the response, which Prism answers with, breaks the response schema"
PRISM_REJECTS = frozenset({400, 401, 403, 404, 405, 406, 415, 422})  # statuses Prism answers a request it refuses


@dataclass(frozen=True)
class Outcome:
    operation_id: str
    call_path: str
    accepted: bool  # Prism found nothing wrong with the request
    returned: bool  # the method returned a value
    reason: str  # why not, else ""
    known_limit: str | None  # Prism's or the description's, when that explains it

    def as_dict(self) -> dict[str, Any]:
        return {
            "operation_id": self.operation_id,
            "call": self.call_path,
            "request_accepted": self.accepted,
            "response_returned": self.returned,
            "reason": self.reason,
            "known_limit": self.known_limit,
        }


def short(text: object) -> str:
    return " ".join(str(text).split())[:_REASON_CHARS]


def _raw_operation(doc: dict[str, Any], operation: Operation) -> dict[str, Any]:
    found: dict[str, Any] = doc["paths"][operation.path][operation.http_method]
    return found


def _json_body(raw: dict[str, Any], media: str, components: dict[str, Any], bodies: dict[str, Any]) -> Any:
    body = raw.get("requestBody") or {}
    if isinstance(body.get("$ref"), str):
        body = bodies.get(body["$ref"].rsplit("/", 1)[-1], {})
    content = body.get("content", {}).get(media, {})
    schema = content.get("schema", {})
    examples = [content["example"]] if "example" in content else []
    examples += [
        item["value"] for item in (content.get("examples") or {}).values() if isinstance(item, dict) and "value" in item
    ]
    for example in examples:
        if satisfies(example, schema, components):  # some examples break their own schema: logpush's kind ""
            return example
    return schema_value(schema, components)


def parameter_values(operation: Operation, doc: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """A value for each required parameter, by (location, wire name)."""
    raw = _raw_operation(doc, operation)
    components = doc.get("components", {}).get("schemas", {})
    by_wire = {(p.get("in"), p.get("name")): p for p in raw.get("parameters") or [] if isinstance(p, dict)}
    return {
        (parameter.location, parameter.wire_name): parameter_value(
            by_wire.get((parameter.location, parameter.wire_name), {}), components
        )
        for parameter in operation.parameters
        if parameter.required
    }


def _json_value(operation: Operation, media: str, doc: dict[str, Any], source: dict[str, Any] | None) -> Any:
    """A JSON body, from the served description when there is one: Prism validates against that.

    The normalizer relaxes request bodies for the client (every property of a PATCH body optional,
    a union's record-describing ``required`` dropped); Prism enforces the description's own.
    """
    served = (source or {}).get("paths", {}).get(operation.path, {}).get(operation.http_method, {})
    if isinstance(served, dict) and served.get("requestBody"):
        components = (source or {}).get("components", {})
        return _json_body(served, media, components.get("schemas", {}), components.get("requestBodies", {}))
    return _json_body(_raw_operation(doc, operation), media, doc.get("components", {}).get("schemas", {}), {})


def body_value(operation: Operation, doc: dict[str, Any], source: dict[str, Any] | None = None) -> Any:
    """The request body as one value (JSON, a form's fields, bytes), for a client that takes it whole."""
    body = operation.body
    if body is None:
        return None
    raw = _raw_operation(doc, operation)
    components = doc.get("components", {}).get("schemas", {})
    if body.kind == "json":
        return _json_value(operation, body.media_type, doc, source)
    if body.kind in {"binary", "text"}:
        return _BODY_BYTES
    schema = (raw.get("requestBody") or {}).get("content", {}).get(body.media_type, {}).get("schema", {})
    return schema_value(schema, components)


def arguments(operation: Operation, doc: dict[str, Any], source: dict[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments from the description alone: required parameters and a body of required properties.

    ``doc`` is the normalized description the client was generated from, ``source`` the one Prism serves.
    """
    raw = _raw_operation(doc, operation)
    components = doc.get("components", {}).get("schemas", {})
    wire_values = parameter_values(operation, doc)
    kwargs: dict[str, Any] = {
        str(parameter.name): wire_values[parameter.location, parameter.wire_name]
        for parameter in operation.parameters
        if parameter.required
    }
    body = operation.body
    if body is None:
        return kwargs
    if body.kind == "json":
        kwargs["body"] = _json_value(operation, body.media_type, doc, source)
    elif body.kind == "multipart":
        schema = (raw.get("requestBody") or {}).get("content", {}).get(body.media_type, {}).get("schema", {})
        values = schema_value(schema, components) or {}
        for field in body.fields:
            if not field.required:
                continue
            if field.part == "files":
                kwargs[str(field.name)] = _BODY_BYTES
            elif field.part == "parts":
                kwargs[str(field.name)] = {"part": _BODY_BYTES}
            else:
                kwargs[str(field.name)] = values.get(field.wire_name, "example") if isinstance(values, dict) else "x"
    elif body.kind == "binary":
        kwargs["body"] = _BODY_BYTES
    elif body.kind == "ndjson":
        kwargs["body"] = [{}]
    else:
        kwargs["body"] = "conformance"
    return kwargs


def _violations(headers: Any, where: str) -> str:
    """Prism's ``sl-violations`` at ``where`` (``request`` or ``response``), joined."""
    text = headers.get("sl-violations")
    if not text:
        return ""
    try:
        found = [item for item in json.loads(text) if (item.get("location") or [""])[0] == where]
    except (ValueError, AttributeError, TypeError):
        return short(text) if where == "request" else ""
    return short("; ".join(f"{'.'.join(map(str, v.get('location', [])))}: {v.get('message')}" for v in found))


def prism_reason(body: object, headers: Any) -> str:
    violations = _violations(headers, "request")
    if violations:
        return violations
    if isinstance(body, dict) and str(body.get("type", "")).startswith(_PRISM_ERRORS):
        details = body.get("validation") or []
        text = "; ".join(f"{'.'.join(map(str, v.get('location', [])))}: {v.get('message')}" for v in details)
        return short(f"{body.get('title')}: {text or body.get('detail', '')}")
    return ""


class _AnswerBreaksSchema(Exception):  # noqa: N818 - a signal between _call and call_all, not an error
    """Not returned, and Prism reports that its answer (the description's example) breaks the schema."""

    def __init__(self, reason: str, *, accepted: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.accepted = accepted


def _call(client: Any, operation: Operation, kwargs: dict[str, Any], errors: Any) -> tuple[bool, bool, str]:
    resource = client
    for step in operation.resource_path:
        resource = getattr(resource, str(step))
    method = getattr(resource.with_raw_response, str(operation.name))
    try:
        raw = method(**kwargs)
    except errors.APIStatusError as error:
        reason = prism_reason(error.body, error.response.headers)
        accepted = not reason and error.status_code not in PRISM_REJECTS
        return accepted, False, f"{error.status_code}: {reason or short(error)}"
    except errors.CloudflareError as error:
        return False, False, short(f"{type(error).__name__}: {error}")
    except (TypeError, ValueError) as error:  # arguments the client refuses before sending
        return False, False, short(f"client refused the arguments: {type(error).__name__}: {error}")
    violations = _violations(raw.headers, "request")
    example = _violations(raw.headers, "response")
    note = f"prism's answer violates the description: {example}" if example else ""
    try:
        raw.parse()
    except errors.CloudflareError as error:
        if note:  # the description's own example breaks its schema: Prism says so, and the client could not use it
            raise _AnswerBreaksSchema(
                short(f"{note}; {type(error).__name__}: {error}"), accepted=not violations
            ) from error
        return not violations, False, short(f"{type(error).__name__}: {error}")
    return not violations, True, violations or note


def security_headers(operation: Operation, doc: dict[str, Any], schemes: dict[str, Any]) -> dict[str, str]:
    """Headers for every apiKey scheme of the operation's first security requirement.

    Cloudflare lists ``api_email``, ``api_key`` and ``api_token`` in one requirement (all at once,
    as OpenAPI reads it) where any one is meant; the client sends one kind of credentials (a
    token here), so the run adds the other headers the requirement names.
    """
    declared = doc.get("paths", {}).get(operation.path, {}).get(operation.http_method, {}).get("security")
    requirements = declared if isinstance(declared, list) else doc.get("security") or []  # the description's own
    headers: dict[str, str] = {}
    for name in requirements[0] if requirements and isinstance(requirements[0], dict) else ():
        scheme = schemes.get(name)
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            header = str(scheme.get("name"))
            headers[header] = "user@example.com" if "mail" in header.lower() else "conformance"
    return headers


def call_all(  # noqa: PLR0913 - the client, what to call, the two descriptions and where
    src: Path,
    package: str,
    operations: list[Operation],
    *,
    doc: dict[str, Any],
    source: dict[str, Any],
    base_url: str,
    credentials: dict[str, str],
) -> list[Outcome]:
    """Every operation called once through a fresh client of the generated ``package``.

    Arguments come from ``doc`` (the normalized description the client was generated from); known
    limits are read from ``source``, the description Prism serves.
    """
    sys.path.insert(0, str(src))
    module = importlib.import_module(package)
    errors = importlib.import_module(f"{package}._exceptions")
    schemes = doc.get("components", {}).get("securitySchemes") or {}
    source_components = source.get("components", {}).get("schemas", {})
    source_bodies = source.get("components", {}).get("requestBodies", {})
    outcomes = []
    client = module.Client(**credentials, base_url=base_url, max_retries=0, timeout=60.0)
    try:
        for operation in sorted(operations, key=lambda op: op.call_path):
            broken = False
            try:
                kwargs = arguments(operation, doc, source)
                headers = security_headers(operation, doc, schemes)
                if headers:
                    kwargs["extra_headers"] = headers
                accepted, returned, reason = _call(client, operation, kwargs, errors)
            except _AnswerBreaksSchema as answer:
                accepted, returned, reason, broken = answer.accepted, False, answer.reason, True
            except Exception as error:  # noqa: BLE001 - one operation's surprise is a row, not the end of the run
                accepted, returned, reason = False, False, short(f"harness: {type(error).__name__}: {error}")
            served = source.get("paths", {}).get(operation.path, {}).get(operation.http_method, {})
            limit = None if accepted and returned else known_limit(served, source_components, source_bodies)
            limit = limit or (_BROKEN if broken else None)
            outcomes.append(Outcome(operation.operation_id, operation.call_path, accepted, returned, reason, limit))
    finally:
        client.close()
    return outcomes
