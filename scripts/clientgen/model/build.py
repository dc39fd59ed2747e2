"""Build the intermediate model from the normalized document and the model index."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics
from clientgen.model.api import Api, Check, Operation, Pagination, Parameter, Resource
from clientgen.model.bodies import build_body
from clientgen.model.typed_dicts import TypedDicts
from clientgen.model.types import Models, TypeExpr, type_of
from clientgen.names import ClassName, PythonIdentifier, singular
from clientgen.normalize.envelopes import is_success_envelope
from clientgen.normalize.schemas import iter_operations, op_pointer, routes, success_content
from clientgen.routes import SCOPE_ORDER, Route

__all__ = ["build_api"]

# Keyword arguments every generated method has, and the module-level names its body calls (a parameter of that
# name would shadow them); a spec parameter with one of these names is renamed.
RESERVED_ARGUMENTS = frozenset(
    {"self", "body", "extra_headers", "extra_query", "extra_body", "timeout", "max_retries", "retry_non_idempotent",
     "fill_path", "path_param", "ignore", "passthrough", "binary_body", "multipart_body", "ndjson_body",
     "text_body"}
)  # fmt: skip
# Members of the generated Client / resource classes: a resource or method of that name would hide them.
CLIENT_MEMBERS = frozenset(
    {"base_url", "close", "max_retries", "request", "timeout", "with_options", "with_raw_response",
     "with_streaming_response"}
)  # fmt: skip
RESOURCE_MEMBERS = frozenset({"with_raw_response", "with_streaming_response"})
_LOCATIONS = ("path", "query", "header")
_STRING_CHECKS = {"maxLength": "max_length", "minLength": "min_length", "pattern": "pattern"}
_NUMBER_CHECKS = {"minimum": "minimum", "maximum": "maximum"}


def _checks(schema: dict[str, Any]) -> tuple[Check, ...]:
    table = _STRING_CHECKS if schema.get("type") == "string" else _NUMBER_CHECKS
    return tuple(Check(keyword, repr(schema[key])) for key, keyword in table.items() if key in schema)


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
        params.append(
            Parameter(
                wire_name=wire,
                name=name,
                location=location,
                required=bool(param.get("required")) or location == "path",
                type=type_of(schema, models),  # path schemas are never nullable: see normalize/constraints.py
                description=str(param.get("description") or schema.get("description") or ""),
                checks=_checks(schema) if location == "path" else (),
            )
        )

    # path parameters in URL order, then the other required ones, then the optional ones
    def position(param: Parameter) -> tuple[int, int]:
        if param.location == "path":
            return (0, path.find("{" + param.wire_name + "}"))
        return (1 if param.required else 2, 0)

    return tuple(sorted(params, key=position))


def _success_schema(op: dict[str, Any]) -> dict[str, Any] | None:
    schema = (success_content(op).get("application/json") or {}).get("schema")
    return schema if isinstance(schema, dict) else None


def _pagination(op: dict[str, Any], method: str, models: Models, components: dict[str, Any]) -> Pagination | None:
    """A GET whose envelope has ``result_info`` and a list ``result``, and that takes a page or cursor."""
    schema = _success_schema(op)
    if method != "get" or schema is None or not is_success_envelope(schema):
        return None
    info, result = schema["properties"].get("result_info"), schema["properties"]["result"]
    if not isinstance(info, dict) or not isinstance(result, dict) or result.get("type") != "array":
        return None
    query = {str(p.get("name")) for p in op.get("parameters") or [] if isinstance(p, dict) and p.get("in") == "query"}
    info = components.get(str(info.get("$ref", "")).rsplit("/", 1)[-1], info)
    fields = set((info.get("properties") or {}).keys())
    item = type_of(result.get("items"), models)
    if "cursor" in query and fields & {"cursor", "cursors"}:
        return Pagination(
            "cursor", item, per_page_param="per_page" if "per_page" in query else None, cursor_param="cursor"
        )
    if "page" in query:
        return Pagination("page", item, page_param="page", per_page_param="per_page" if "per_page" in query else None)
    return None


_TEXT_MEDIA = ("text/", "application/javascript", "application/x-ndjson", "application/xml")


def _download(op: dict[str, Any]) -> str | None:
    """``text`` or ``binary`` when the success response has a body but no JSON media type."""
    content = success_content(op)
    if not content or any(media.split(";")[0].strip().endswith(("/json", "+json")) for media in content):
        return None
    return "text" if all(media.startswith(_TEXT_MEDIA) for media in content) else "binary"


def _result(op: dict[str, Any], models: Models) -> tuple[TypeExpr | None, bool]:
    schema = _success_schema(op)
    if schema is None:
        return None, False
    if is_success_envelope(schema):
        result = type_of(schema["properties"]["result"], models)
        return (None if result.annotation == "None" else result), True
    return type_of(schema, models), False


def _operation(  # noqa: PLR0913, PLR0917 - one operation, its route and what it is typed against
    path: str,
    method: str,
    op: dict[str, Any],
    route: Route,
    models: Models,
    diags: Diagnostics,
    components: dict[str, Any] | None = None,
    package: str = "cloudflare_client",
    dicts: TypedDicts | None = None,
) -> Operation:
    pointer = op_pointer(path, method)
    parameters = _parameters(op, path, models, pointer, diags)
    taken = set(RESERVED_ARGUMENTS) | {param.name for param in parameters}
    result, unwrap = _result(op, models)
    download = _download(op)
    if download is not None:
        result, unwrap = TypeExpr("str" if download == "text" else "bytes"), False
    return Operation(
        operation_id=str(op.get("operationId") or f"{method} {path}"),
        http_method=method,
        path=path,
        name=PythonIdentifier.from_text(route.verb, shadow_builtins=True),
        description=str(op.get("description") or op.get("summary") or ""),
        parameters=parameters,
        body=build_body(
            op,
            models=models,
            components=components or {},
            package=package,
            taken=taken,
            pointer=pointer,
            diags=diags,
            dicts=dicts,
        ),
        result=result,
        unwrap_result=unwrap,
        deprecated=bool(op.get("deprecated")),
        security=tuple(tuple(sorted(requirement)) for requirement in op.get("security") or []),
        resource_path=_resource_path(route.nouns),
        scope=route.scope,
        level=route.level,
        pagination=_pagination(op, method, models, components or {}),
        download=download,
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


def build_api(doc: dict[str, Any], models: Models, config: GeneratorConfig, diags: Diagnostics) -> Api:
    table = routes(doc)
    components = doc.get("components", {}).get("schemas", {})
    dicts = TypedDicts(models, components, config.import_name)
    operations = [
        _overridden(
            _operation(path, method, op, table[path, method], models, diags, components, config.import_name, dicts),
            config,
            diags,
        )
        for path, method, op in iter_operations(doc)
    ]
    unknown = sorted(set(config.call_paths) - {op.operation_id for op in operations})
    for operation_id in unknown:
        diags.warn("/", "names-override", f"names.toml names {operation_id!r}, which is not in the spec")
    info = doc.get("info") or {}
    return Api(
        config=config,
        title=str(info.get("title") or "API"),
        description=str(info.get("description") or ""),
        resources=_tree(operations),
        security_schemes=doc.get("components", {}).get("securitySchemes") or {},
        typed_dicts=dicts,
    )
