"""Build the intermediate model from the normalized document and the model index."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics
from clientgen.ingest.oddpaths import FIXED_QUERY
from clientgen.model.alternatives import json_or_binary
from clientgen.model.api import Api, Check, Operation, Parameter, Resource
from clientgen.model.auth import build_auth, default_scopes, operation_requirements, operation_scopes
from clientgen.model.bodies import build_body
from clientgen.model.envelope_overrides import ENVELOPE_OVERRIDE, check_envelope_operations, forced_result
from clientgen.model.pagination import detect_pagination
from clientgen.model.streaming import event_stream_type
from clientgen.model.typed_dicts import TypedDicts
from clientgen.model.types import Models, TypeExpr, type_of
from clientgen.model.wire import DEFAULT_STYLES, accept_header, parameter_style
from clientgen.names import ClassName, PythonIdentifier, singular, split_words
from clientgen.normalize.envelopes import is_failure_envelope, is_success_envelope
from clientgen.normalize.media import json_media
from clientgen.normalize.schemas import iter_operations, op_pointer, routes, success_content
from clientgen.routes import SCOPE_ORDER, Route

__all__ = ["build_api"]

# Keyword arguments every generated method has, and the module-level names its body calls (a parameter of that
# name would shadow them); a spec parameter with one of these names is renamed.
RESERVED_ARGUMENTS = frozenset(
    {"self", "body", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "retry_non_idempotent",
     "fill_path", "path_param", "ignore", "passthrough", "binary_body", "multipart_body", "ndjson_body", "form_body",
     "header_text", "text_body"}
)  # fmt: skip
# Members of the generated Client / resource classes: a resource or method of that name would hide them.
CLIENT_MEMBERS = frozenset(
    {"base_url", "close", "max_retries", "request", "timeout", "with_options", "with_raw_response",
     "with_streaming_response"}
)  # fmt: skip
RESOURCE_MEMBERS = frozenset({"with_raw_response", "with_streaming_response"})
_LOCATIONS = ("path", "query", "header", "cookie")
_STRING_CHECKS = {"maxLength": "max_length", "minLength": "min_length", "pattern": "pattern"}
_NUMBER_CHECKS = {"minimum": "minimum", "maximum": "maximum"}


def _checks(schema: dict[str, Any]) -> tuple[Check, ...]:
    table = _STRING_CHECKS if schema.get("type") == "string" else _NUMBER_CHECKS
    return tuple(Check(keyword, repr(schema[key])) for key, keyword in table.items() if key in schema)


def _style_checks(style: str, explode: bool) -> tuple[Check, ...]:
    """A path parameter's style, given to ``path_param`` when it is not the default (``simple``, not exploded)."""
    default_style, default_explode, _ = DEFAULT_STYLES["path"]
    checks = () if style == default_style else (Check("style", repr(style)),)
    return checks if explode == default_explode else (*checks, Check("explode", repr(explode)))


def _parameters(
    op: dict[str, Any], path: str, models: Models, pointer: str, diags: Diagnostics
) -> tuple[Parameter, ...]:
    params: list[Parameter] = []
    used = set(RESERVED_ARGUMENTS)
    raw = [param for param in op.get("parameters") or [] if isinstance(param, dict)]
    for index, param in sorted(
        enumerate(raw),
        key=lambda item: (_LOCATIONS.index(item[1]["in"]) if item[1].get("in") in _LOCATIONS else 9, item[0]),
    ):
        location = param.get("in")
        if location not in _LOCATIONS:
            diags.warn(
                f"{pointer}/parameters/{index}", "parameter-location", f"{location!r} parameters are not supported"
            )
            continue
        wire = str(param["name"])
        name = PythonIdentifier.from_text(wire)
        while name in used:
            name = PythonIdentifier(f"{name}_{location}" if f"{name}_{location}" not in used else f"{name}_")
        used.add(name)
        schema = param.get("schema") or {}
        style, explode, allow_reserved = parameter_style(param, location, f"{pointer}/parameters/{index}", diags)
        params.append(
            Parameter(
                wire_name=wire,
                name=name,
                location=location,
                required=bool(param.get("required")) or location == "path",
                type=type_of(schema, models),  # path schemas are never nullable: see normalize/constraints.py
                description=str(param.get("description") or schema.get("description") or ""),
                checks=(*_checks(schema), *_style_checks(style, explode)) if location == "path" else (),
                style=style,
                explode=explode,
                allow_reserved=allow_reserved,
            )
        )

    # path parameters in URL order, then the other required ones, then the optional ones
    def position(param: Parameter) -> tuple[int, int]:
        if param.location == "path":
            return (0, path.find("{" + param.wire_name + "}"))
        return (1 if param.required else 2, 0)

    return tuple(sorted(params, key=position))


def _success_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    content = success_content(op)
    media = json_media(content)
    schema = (content.get(media) or {}).get("schema") if media is not None else None
    return schema if isinstance(schema, dict) else None


_TEXT_MEDIA = ("text/", "application/javascript", "application/x-ndjson", "application/xml")


def _download(op: dict[str, Any]) -> str | None:
    """``text`` or ``binary`` when the success response has a body but no JSON media type."""
    content = success_content(op)
    if not content or json_media(content) is not None:
        return None
    return "text" if all(media.startswith(_TEXT_MEDIA) for media in content) else "binary"


def _result(
    op: dict[str, Any], models: Models, components: dict[str, Any], *, envelopes: bool = True
) -> tuple[TypeExpr | None, bool, bool]:
    """(the JSON result's type, whether it is an envelope's ``result``, whether other media are its bytes)."""
    schema = _success_schema(op)
    if schema is None:
        return None, False, False
    content = success_content(op)
    if envelopes and is_success_envelope(schema):
        declared, binary = json_or_binary(schema["properties"]["result"], content, json_media(content), components)
        result = type_of(declared, models)
        return (None if result.annotation == "None" else result), True, binary
    declared, binary = json_or_binary(schema, content, json_media(content), components)
    return type_of(declared, models), False, binary


def _fixed_query(op: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Query pairs the path key held literally (``/responses?beta=true``): sent on every call."""
    fixed = op.get(FIXED_QUERY)
    if not isinstance(fixed, dict):
        return ()
    return tuple(sorted((str(name), str(value)) for name, value in fixed.items()))


_ERROR_STATUS = re.compile(r"[1-5][0-9][0-9]|[1-5]XX|default")


def _error_types(op: dict[str, Any], models: Models, components: dict[str, Any]) -> tuple[tuple[str, TypeExpr], ...]:
    """The declared JSON body of each error response, typed; untyped ones and failure envelopes left out."""
    found: list[tuple[str, TypeExpr]] = []
    for status, response in sorted((op.get("responses") or {}).items()):
        if not _ERROR_STATUS.fullmatch(str(status)) or str(status).startswith(("1", "2", "3")):
            continue
        content = response.get("content") if isinstance(response, dict) else None
        media = json_media(content)
        schema = (content or {}).get(media or "", {}).get("schema") if media is not None else None
        if not isinstance(schema, dict):
            continue
        if is_failure_envelope(components.get(str(schema.get("$ref", "")).rsplit("/", 1)[-1], schema)):
            continue
        expr = type_of(schema, models)
        if expr.model_class is not None:  # a model: validated; plain JSON stays as decoded
            found.append((str(status), expr))
    return tuple(found)


def _operation(  # noqa: PLR0913, PLR0917 - one operation, its route and what it is typed against
    path: str,
    method: str,
    op: dict[str, Any],
    route: Route,
    models: Models,
    diags: Diagnostics,
    components: dict[str, Any] | None = None,
    config: GeneratorConfig | None = None,
    dicts: TypedDicts | None = None,
) -> Operation:
    pointer = op_pointer(path, method)
    parameters = _parameters(op, path, models, pointer, diags)
    taken = set(RESERVED_ARGUMENTS) | {param.name for param in parameters}
    operation_id = str(op.get("operationId") or f"{method} {path}")
    override = config.envelope_operations.get(operation_id) if config is not None else None
    envelopes = (config is None or config.envelope == "detect") and override != "none"
    result, unwrap, binary_alternative = _result(op, models, components or {}, envelopes=envelopes)
    if override == "none":
        diags.add(pointer, ENVELOPE_OVERRIDE, "[conventions.envelope_operations] 'none': the method returns the body")
    elif override == "result":
        forced = forced_result(_success_schema(op), models, components or {}, pointer=pointer, diags=diags)
        result, unwrap = (forced, True) if forced is not None else (result, unwrap)
    download = _download(op)
    if download is not None:
        result, unwrap = TypeExpr("str" if download == "text" else "bytes"), False
    body = build_body(
        op,
        models=models,
        components=components or {},
        package=config.import_name if config is not None else "cloudflare_client",
        taken=taken,
        pointer=pointer,
        diags=diags,
        dicts=dicts,
    )
    arguments = {str(param.name): "parameter" for param in parameters}
    if body is not None and body.overloaded:  # body keywords: a ``stream: bool`` among them is the switch
        arguments |= {str(field.name): field.type.annotation for field in body.keywords}
    elif body is not None and body.kind == "multipart":
        arguments |= {str(field.name): "form field" for field in body.fields}
    return Operation(
        operation_id=operation_id,
        http_method=method,
        path=path,
        name=PythonIdentifier.from_text(route.verb, shadow_builtins=True),
        description=str(op.get("description") or op.get("summary") or ""),
        parameters=parameters,
        body=body,
        result=result,
        unwrap_result=unwrap,
        deprecated=bool(op.get("deprecated")),
        security=tuple(tuple(sorted(requirement)) for requirement in op.get("security") or []),
        resource_path=_resource_path(route.nouns),
        scope=route.scope,
        level=route.level,
        pagination=detect_pagination(
            op,
            method,
            models,
            components or {},
            config.pagination.get(str(op.get("operationId"))) if config is not None else None,
        ),
        fixed_query=_fixed_query(op),
        download=download,
        binary_alternative=binary_alternative and download is None and result is not None,
        error_types=_error_types(op, models, components or {}),
        accept=accept_header(op),
        event_stream=event_stream_type(op, models, pointer=pointer, arguments=arguments, diags=diags),
    )


def _resource_path(nouns: tuple[str, ...]) -> tuple[PythonIdentifier, ...]:
    """Attribute names of the resources, never one of the client's or a resource's own members."""
    path = [PythonIdentifier.from_text(noun, shadow_builtins=True) for noun in nouns]
    return tuple(
        PythonIdentifier.bounded(f"{name}_") if name in (CLIENT_MEMBERS if depth == 0 else RESOURCE_MEMBERS) else name
        for depth, name in enumerate(path)
    )


def _tree(operations: list[Operation]) -> list[Resource]:
    nodes: dict[tuple[PythonIdentifier, ...], Resource] = {}
    roots: list[Resource] = []
    for op in operations:
        for depth in range(1, len(op.resource_path) + 1):
            key = op.resource_path[:depth]
            if key not in nodes:
                nodes[key] = Resource(path=key, class_name=ClassName(ClassName.from_text(key[-1]) + "Resource"))
                (nodes[key[:-1]].children if depth > 1 else roots).append(nodes[key])
        nodes[op.resource_path].operations.append(op)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.attribute)
        node.operations = _unique_method_names(node)
    return sorted(roots, key=lambda root: root.attribute)


_LEVEL_RANK = {"item": 0, "singleton": 1, "action": 2, "collection": 3}
_BULK_VERBS = frozenset({"update", "edit", "delete"})


def _name_candidates(op: Operation) -> list[str]:
    """Names an operation may take, best first (the collision rule in routes.py)."""
    candidates: list[str] = [op.name]
    if op.level == "override":
        return candidates
    if op.level == "collection" and op.name in _BULK_VERBS:
        candidates.append(f"bulk_{op.name}")  # PATCH /pools beside PATCH /pools/{id}
    if op.scope is not None:
        candidates.append(f"{op.name}_for_{singular(op.scope)}")  # /zones/{id}/x beside /accounts/{id}/x
    candidates.append(PythonIdentifier.from_text(op.operation_id, shadow_builtins=True))
    return candidates


def _priority(op: Operation) -> tuple[int, int, str, str]:
    if op.level == "override":  # names.toml wins over every rule
        return (-1, 0, op.path, op.http_method)
    scope_rank = SCOPE_ORDER.index(op.scope) if op.scope in SCOPE_ORDER else len(SCOPE_ORDER)
    return (scope_rank, _LEVEL_RANK.get(op.level, 9), op.path, op.http_method)


def _unique_method_names(resource: Resource) -> list[Operation]:
    """Method names unique within a resource, never shadowing a child resource.

    Operations claim names in priority order (first scope in ``SCOPE_ORDER``, items before
    collections, then path): each takes its first free candidate from :func:`_name_candidates`.
    """
    taken = {child.attribute for child in resource.children} | RESOURCE_MEMBERS
    named: list[Operation] = []
    for op in sorted(resource.operations, key=_priority):
        name = next((PythonIdentifier.bounded(c) for c in _name_candidates(op) if c not in taken), None)
        while name is None or name in taken:
            name = PythonIdentifier.bounded(f"{name or op.name}_")
        taken.add(name)
        named.append(op if name == op.name else _renamed(op, name))
    return sorted(named, key=lambda op: op.name)


def _overridden(op: Operation, config: GeneratorConfig, diags: Diagnostics) -> Operation:
    call_path = config.call_paths.get(op.operation_id)
    if call_path is None:
        return op
    diags.add(
        op_pointer(op.path, op.http_method), "names-override", f"call path set by names.toml: {'.'.join(call_path)}"
    )
    return replace(op, resource_path=call_path[:-1], name=call_path[-1], level="override")


def _renamed(op: Operation, name: PythonIdentifier) -> Operation:
    return replace(op, name=name)


# operationIds that read as verb phrases (Twilio's ``FetchAccount``, ``ListCallEvent``): the verb word -> method
_OPERATION_VERBS = {"list": "list", "fetch": "get", "get": "get", "retrieve": "get", "create": "create",
                    "add": "create", "update": "update", "delete": "delete", "remove": "delete"}  # fmt: skip
_VERB_PHRASE_SHARE = 0.8


def _verb_phrase_ids(doc: dict[str, Any]) -> bool:
    """Whether the description's operationIds start with a verb word (at least 80% of them)."""
    first_words = [split_words(str(op.get("operationId") or ""))[:1] for _, _, op in iter_operations(doc)]
    verbs = sum(bool(words) and words[0] in _OPERATION_VERBS for words in first_words)
    return bool(first_words) and verbs >= _VERB_PHRASE_SHARE * len(first_words)


def _read_by_operation_id(route: Route, op: dict[str, Any]) -> Route:
    """An "action" whose operationId starts with a CRUD verb is a sub-resource, that verb its method.

    Only for descriptions whose operationIds are verb phrases (:func:`_verb_phrase_ids`): there the tree's last
    literal is a noun (``…/Calls/{CallSid}/Events``) and the operationId says the verb (``ListCallEvent`` ->
    ``calls.events.list``, ``FetchBalance`` -> ``balance.get``); ``CancelOrder`` stays the action ``cancel``.
    """
    words = split_words(str(op.get("operationId") or ""))
    if route.level != "action" or not words or words[0] not in _OPERATION_VERBS:
        return route
    return Route((*route.nouns, route.verb), _OPERATION_VERBS[words[0]], route.scope, "collection")


def _request_id_headers(doc: dict[str, Any], config: GeneratorConfig) -> tuple[str, ...]:
    """Request-id headers the description declares on responses, then the configured list."""
    declared = {
        str(name).lower()
        for _, _, op in iter_operations(doc)
        for response in (op.get("responses") or {}).values()
        if isinstance(response, dict) and isinstance(response.get("headers"), dict)
        for name in response["headers"]
        if "request-id" in str(name).lower() or "request_id" in str(name).lower()
    }
    return tuple(dict.fromkeys([*sorted(declared), *config.request_id_headers]))


def _error_base(config: GeneratorConfig) -> ClassName:
    """``[package] error_base_name``, else from the description's title (:mod:`clientgen.identity`)."""
    return config.error_base_name


def build_api(doc: dict[str, Any], models: Models, config: GeneratorConfig, diags: Diagnostics) -> Api:
    table = routes(doc)
    if _verb_phrase_ids(doc):
        table = {
            (path, method): _read_by_operation_id(table[path, method], op) for path, method, op in iter_operations(doc)
        }
    components = doc.get("components", {}).get("schemas", {})
    dicts = TypedDicts(models, components, config.import_name)
    raw = list(iter_operations(doc))
    check_envelope_operations(config, {str(op.get("operationId") or f"{method} {path}") for path, method, op in raw})
    auth, security = build_auth([operation_requirements(op, doc, config) for _, _, op in raw], doc, config, diags)
    scopes = [operation_scopes(op, doc, auth) for _, _, op in raw]
    auth = replace(auth, scopes=default_scopes(scopes))
    operations = [
        _overridden(
            replace(
                _operation(path, method, op, table[path, method], models, diags, components, config, dicts),
                security=requirements,
                request_security=None if requirements == auth.default else requirements,
                request_scopes=None if wanted == auth.scopes else wanted,
            ),
            config,
            diags,
        )
        for (path, method, op), requirements, wanted in zip(raw, security, scopes, strict=True)
    ]
    unknown = sorted(set(config.call_paths) - {op.operation_id for op in operations})
    for operation_id in unknown:
        diags.warn("/", "names-override", f"names.toml names {operation_id!r}, which is not in the spec")
    info = doc.get("info") or {}
    return Api(
        config=config,
        title=config.title,
        description=str(info.get("description") or ""),
        resources=_tree(operations),
        security_schemes=doc.get("components", {}).get("securitySchemes") or {},
        auth=auth,
        error_base=_error_base(config),
        request_id_headers=_request_id_headers(doc, config),
        # the API's convention (a 2xx success: false raises anywhere): detected, not set for one operation
        envelopes=any(op.unwrap_result and op.operation_id not in config.envelope_operations for op in operations),
        typed_dicts=dicts,
    )
