"""The intermediate model: an API is a tree of resources holding operations."""

from __future__ import annotations

from dataclasses import dataclass, field

from clientgen.config import GeneratorConfig
from clientgen.model.auth import Auth
from clientgen.model.keywords import KeywordField, KeywordShape
from clientgen.model.typed_dicts import TypedDicts
from clientgen.model.types import TypeExpr
from clientgen.names import ClassName, PythonIdentifier

__all__ = ["Api", "Body", "Check", "FormField", "Operation", "Pagination", "Parameter", "ParseFunction", "Resource"]


def _grouped(imports: frozenset[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """``from module import names`` lines, sorted."""
    by_module: dict[str, set[str]] = {}
    for module, name in imports:
        by_module.setdefault(module, set()).add(name)
    return [(module, sorted(names)) for module, names in sorted(by_module.items())]


def _import_lines(expr: TypeExpr | None) -> list[str]:
    if expr is None:
        return []
    return [f"from {module} import {', '.join(names)}" for module, names in _grouped(expr.models)]


@dataclass(frozen=True)
class ParseFunction:
    """A module-level callable turning decoded JSON into ``type``; it imports its models on its first call.

    Resource modules import model classes only for the type checker: touching ``client.pages`` loads
    no model module, the first call of an operation loads the ones it returns.
    """

    operation: PythonIdentifier
    role: str  # "result", or "item": one element of a page
    type: TypeExpr

    @property
    def name(self) -> str:
        """``_rollback_result`` (validates one model class) or ``_LIST_RESULT`` (a lazily built ``Parser``).

        The role suffix keeps the names of different operations apart; parameters never start with ``_``.
        """
        if self.type.model_class is not None:
            return f"_{self.operation}_{self.role}"
        return f"_{self.operation.upper()}_{self.role.upper()}"

    @property
    def builder(self) -> str:
        """The function a ``Parser`` calls once to get the type it validates against."""
        return f"_{self.operation}_{self.role}_type"

    def model_imports(self) -> list[tuple[str, list[str]]]:
        return _grouped(self.type.models)


@dataclass(frozen=True)
class Check:
    """One constraint enforced before sending: rendered as ``keyword=literal`` in the generated call."""

    keyword: str
    literal: str


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    name: PythonIdentifier
    location: str  # path, query, header, cookie
    required: bool
    type: TypeExpr
    description: str
    checks: tuple[Check, ...] = ()
    style: str = ""  # OpenAPI style, defaults filled in (see model/wire.py); "" for the location's default
    explode: bool = False
    allow_reserved: bool = False

    @property
    def style_literal(self) -> str | None:
        """``Style(...)`` for a query parameter not sent as ``form``, exploded; ``None`` for the default."""
        if self.location != "query" or (self.style in {"", "form"} and self.explode and not self.allow_reserved):
            return None
        return f"Style({self.style or 'form'!r}, explode={self.explode}, allow_reserved={self.allow_reserved})"


@dataclass(frozen=True)
class FormField:
    """One property of a multipart body: a keyword argument of the method, sent as one form part (or several)."""

    wire_name: str
    name: PythonIdentifier
    part: str  # "fields" (plain text), "json" (JSON text part), "files" (file parts), "parts" (named by the caller)
    required: bool
    type: TypeExpr
    description: str

    @property
    def help(self) -> str:
        """The argument's line in the docstring: the spec's description and how the part is sent."""
        notes = {"parts": " (part name -> file)", "json": " (sent as a JSON part)"}
        return (self.description or self.wire_name) + notes.get(self.part, "")


# How the runtime (``_bodies``) encodes each kind of body; JSON bodies go through ``Request(body=...)``.
BODY_ENCODERS = {
    "multipart": "multipart_body",
    "form": "form_body",
    "binary": "binary_body",
    "text": "text_body",
    "ndjson": "ndjson_body",
}


# What the overloads of a method with keyword arguments name beside the body's types (``body: X | Mapping[str, Any]``).
_OVERLOAD_TYPES = TypeExpr(
    "Mapping[str, Any]", frozenset({("typing", "overload"), ("typing", "Mapping"), ("typing", "Any")})
)


@dataclass(frozen=True)
class Body:
    media_type: str
    type: TypeExpr
    required: bool
    default_empty_object: bool  # a required JSON object with no declared schema: send {} unless given
    kind: str = "json"  # json, multipart, form, binary, text, ndjson (see build.body_kind)
    fields: tuple[FormField, ...] = ()  # multipart only
    encoding: tuple[tuple[str, str, bool], ...] = ()  # form only: (property, style, explode) from ``encoding``

    shapes: tuple[KeywordShape, ...] = ()  # an object body (or a union of them): its properties as keywords

    @property
    def encoding_literal(self) -> str | None:
        """``{"metadata": Style("deepObject", explode=True)}`` for the runtime's form encoder; ``None`` if none."""
        if not self.encoding:
            return None
        entries = ", ".join(f"{name!r}: Style({style!r}, explode={explode})" for name, style, explode in self.encoding)
        return "{" + entries + "}"

    @property
    def encoder(self) -> str | None:
        """The ``_bodies`` function that encodes this body; ``None`` for JSON."""
        return BODY_ENCODERS.get(self.kind)

    @property
    def content_type(self) -> str | None:
        """A JSON body's ``Content-Type`` when it is not ``application/json`` (``application/merge-patch+json``)."""
        return None if self.kind != "json" or self.media_type == "application/json" else self.media_type

    def part(self, part: str) -> tuple[FormField, ...]:
        return tuple(field for field in self.fields if field.part == part)

    def types(self) -> list[TypeExpr]:
        if self.kind == "multipart":
            return [field.type for field in self.fields]
        if not self.shapes:
            return [self.type]
        return [self.type, _OVERLOAD_TYPES, *(expr for shape in self.shapes for expr in shape.types())]

    @property
    def keywords(self) -> list[KeywordField]:
        """Every keyword argument of every shape, once each (by name), in the implementation's order."""
        found: dict[str, KeywordField] = {}
        for shape in self.shapes:
            for keyword in shape.fields:
                found.setdefault(keyword.name, keyword)
        return sorted(found.values(), key=lambda keyword: keyword.name)

    @property
    def overloaded(self) -> bool:
        """Whether the method has overloads: one per shape, and one for ``body=``."""
        return bool(self.shapes)


@dataclass(frozen=True)
class Pagination:
    """How to walk a list operation's pages (see the runtime's ``_pagination`` for the stop rules)."""

    style: str  # page, cursor (Cloudflare), has_more, next_cursor, next_url, link, offset (model/pagination.py)
    item: TypeExpr  # one element of the list
    page_param: str | None = None  # wire names of the query parameters
    per_page_param: str | None = None
    cursor_param: str | None = None
    items_field: str | None = "result"  # the body field holding the items; None: the body is the list
    cursor_field: str | None = None  # the body field giving the next cursor, the next URL, or has_more
    offset_param: str | None = None
    limit_param: str | None = None
    total_field: str | None = None
    reason: str = ""  # why this style was detected (report.json)

    @property
    def walk_literal(self) -> str:
        """``PageWalk(...)`` for the runtime: the style and the non-default field names (Python literals)."""
        defaults = {
            "page_param": "page",
            "per_page_param": "per_page",
            "cursor_param": "cursor",
            "items_field": "result",
        }
        values = {
            "items_field": self.items_field,
            "page_param": self.page_param,
            "per_page_param": self.per_page_param,
            "cursor_param": self.cursor_param,
            "cursor_field": self.cursor_field,
            "offset_param": self.offset_param,
            "limit_param": self.limit_param,
            "total_field": self.total_field,
        }
        arguments = [repr(self.style)]
        for name, value in values.items():
            if name == "items_field" and value is None:
                arguments.append("items_field=None")
            elif value is not None and value != defaults.get(name):
                arguments.append(f"{name}={value!r}")
        return f"PageWalk({', '.join(arguments)})"

    def parse_function(self, operation_name: PythonIdentifier) -> ParseFunction | None:
        """The module-level function validating one item; ``None`` when items are untyped JSON."""
        return None if self.item.annotation == "Any" else ParseFunction(operation_name, "item", self.item)

    def parser(self, operation_name: PythonIdentifier) -> str:
        """The expression that validates one item."""
        function = self.parse_function(operation_name)
        return "passthrough" if function is None else function.name


@dataclass(frozen=True)
class Operation:
    operation_id: str
    http_method: str
    path: str  # the literal URL template, as written in the spec
    name: PythonIdentifier
    description: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    result: TypeExpr | None  # None: the operation returns nothing typed
    unwrap_result: bool  # the success body is an envelope: return its ``result``
    deprecated: bool
    security: tuple[tuple[str, ...], ...]  # requirement alternatives the client can send (model/auth.py)
    resource_path: tuple[PythonIdentifier, ...]
    scope: str | None = None  # accounts, zones, ...: the path's scope prefix
    level: str = "collection"  # item, collection, singleton, action (see routes.py)
    pagination: Pagination | None = None
    download: str | None = None  # "text" or "binary": a success body that is not JSON
    fixed_query: tuple[tuple[str, str], ...] = ()  # (name, value) the path key held literally: always sent
    request_security: tuple[tuple[str, ...], ...] | None = None  # set when it differs from the API's default
    # OAuth2 scopes (scheme, scopes), set when they differ from the API's most common (model/auth.py)
    request_scopes: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    # declared JSON error bodies by status key ("404", "4XX", "default"); not Cloudflare's failure envelope,
    # whose items the runtime reads into ``errors``/``messages`` already
    error_types: tuple[tuple[str, TypeExpr], ...] = ()
    accept: str | None = None  # the Accept header, None for the client's application/json (model/wire.py)
    event_stream: TypeExpr | None = None  # each event's data with stream=True; None: no stream (model/streaming.py)
    binary_alternative: bool = False  # a response that is not JSON is the result's bytes (model/alternatives.py)

    @property
    def error_functions(self) -> list[tuple[str, ParseFunction]]:
        """(status literal, parse function) per declared error body: ``404`` or ``'4XX'`` (the runtime's keys)."""
        return [
            (status if status.isdigit() else repr(status), ParseFunction(self.name, f"error_{status.lower()}", expr))
            for status, expr in self.error_types
        ]

    def styled_query(self) -> tuple[Parameter, ...]:
        """The query parameters whose style is not the default (``form``, exploded)."""
        return tuple(param for param in self.located("query") if param.style_literal is not None)

    @property
    def return_annotation(self) -> str:
        if self.result is None:
            return "None"
        return f"{self.result.annotation} | bytes" if self.binary_alternative else self.result.annotation

    @property
    def method_returns(self) -> str:
        """What the sync method returns, as ``api.md`` and ``report.json`` show it: a page for paginated lists."""
        if self.pagination is not None:
            return f"SyncPage[{self.pagination.item.annotation}]"
        return self.return_annotation

    @property
    def result_function(self) -> ParseFunction | None:
        """The module-level function validating the result; ``None`` for downloads and untyped results."""
        if self.download is not None or self.result is None or self.result.annotation == "Any":
            return None
        return ParseFunction(self.name, "result", self.result)

    @property
    def parser(self) -> str:
        """The expression that turns the decoded JSON into the return value."""
        if self.download is not None:
            return "read_text" if self.download == "text" else "read_bytes"
        if self.result is None:
            return "ignore"
        function = self.result_function
        parser = "passthrough" if function is None else function.name
        return f"json_or_bytes({parser})" if self.binary_alternative else parser

    @property
    def event_function(self) -> ParseFunction | None:
        """The module-level function validating each streamed event's data; ``None`` when untyped or no stream."""
        if self.event_stream is None or self.event_stream.annotation == "Any":
            return None
        return ParseFunction(self.name, "event", self.event_stream)

    @property
    def event_parser(self) -> str:
        """The expression that turns each event's decoded data into its type."""
        function = self.event_function
        return "passthrough" if function is None else function.name

    @property
    def stream_in_body(self) -> bool:
        """Whether ``stream`` is a keyword of the body (Workers AI's ``stream: true``): then it is sent as well."""
        body = self.body
        return body is not None and body.overloaded and any(field.name == "stream" for field in body.keywords)

    def stream_variants(self) -> list[tuple[str, str]]:
        """(``stream`` annotation and default, what the overload returns) for the ``stream=`` overloads.

        One entry with an empty annotation when the operation does not stream (its overloads are only the body's).
        """
        if self.event_stream is None:
            return [("", "plain")]
        off = "Literal[False] | NotGiven = NOT_GIVEN" if self.stream_in_body else "Literal[False] = False"
        return [(off, "plain"), ("Literal[True]", "stream"), ("bool", "either")]

    def stream_annotation(self, kind: str) -> str:
        """``Stream[Event[Chunk]]`` (``AsyncStream`` for ``kind`` "async"): what ``stream=True`` returns."""
        data = "Any" if self.event_stream is None else self.event_stream.annotation
        return f"{'AsyncStream' if kind == 'async' else 'Stream'}[Event[{data}]]"

    def parse_functions(self) -> list[ParseFunction]:
        """The module-level functions this operation's methods call: for the result, page items, events, errors."""
        function = self.result_function if self.pagination is None else self.pagination.parse_function(self.name)
        found = [] if function is None else [function]
        if self.event_function is not None:
            found.append(self.event_function)
        return found + [function for _, function in self.error_functions]

    def types(self) -> list[TypeExpr]:
        found = [param.type for param in self.parameters]
        if self.body is not None:
            found.extend(self.body.types())
        if self.result is not None:
            found.append(self.result)
        found.extend(expr for _, expr in self.error_types)
        if self.event_stream is not None:
            found.append(self.event_stream)
        if self.pagination is not None:  # the method returns a page of items
            found.append(self.pagination.item)
        return found

    @property
    def argument_names(self) -> list[str]:
        """The method's own keyword arguments, in signature order (``extra_*`` and call options left out)."""
        names = [str(param.name) for param in self.parameters]
        if self.body is not None and self.body.kind == "multipart":
            names += [str(field.name) for field in self.body.fields]
        elif self.body is not None and self.body.shapes:
            names += [str(field.name) for field in self.body.keywords] + ["body"]
        elif self.body is not None:
            names.append("body")
        return names + (["stream"] if self.event_stream is not None and not self.stream_in_body else [])

    @property
    def return_imports(self) -> list[str]:
        """``from <module> import <models>`` lines for the return type (page items for a paginated list)."""
        expr = self.pagination.item if self.pagination is not None else self.result
        return _import_lines(expr)

    @property
    def body_imports(self) -> list[str]:
        """``from <module> import <models>`` lines for the whole-body type (``body=``)."""
        return _import_lines(self.body.type if self.body is not None and self.body.kind == "json" else None)

    @property
    def body_media(self) -> str:
        """The request body's media type for the API index; empty for JSON and no body."""
        return "" if self.body is None or self.body.kind == "json" else self.body.media_type

    @property
    def call_path(self) -> str:
        return ".".join(("client", *self.resource_path, self.name))

    def located(self, location: str) -> tuple[Parameter, ...]:
        return tuple(param for param in self.parameters if param.location == location)


@dataclass
class Resource:
    path: tuple[PythonIdentifier, ...]
    class_name: ClassName
    children: list[Resource] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)

    @property
    def attribute(self) -> PythonIdentifier:
        return self.path[-1]

    @property
    def module(self) -> str:
        """Dotted module below the package: ``resources.pages.projects.projects``.

        ``_<name>`` when a child resource has the same name: its package would shadow the module.
        """
        leaf = str(self.path[-1])
        if any(child.attribute == leaf for child in self.children):
            leaf = f"_{leaf}"
        return ".".join(("resources", *self.path, leaf))

    def type_imports(self) -> list[tuple[str, list[str]]]:
        """``from module import names`` lines the operations' annotations need at run time (not models), sorted."""
        found = {imported for op in self.operations for expr in op.types() for imported in expr.imports}
        if self.children or self.model_imports():
            found.add(("typing", "TYPE_CHECKING"))
        if self.has_event_streams():  # the stream=True overloads
            found |= {("typing", "Literal"), ("typing", "overload")}
        return _grouped(frozenset(found))

    def model_imports(self) -> list[tuple[str, list[str]]]:
        """The model classes the annotations name: imported under ``TYPE_CHECKING`` only, sorted."""
        models = {imported for op in self.operations for expr in op.types() for imported in expr.models}
        return _grouped(frozenset(models))

    def serialization_imports(self) -> list[str]:
        """The ``_serialization`` names the operations use: ``Style`` for styled queries, ``header_text``."""
        names = {"Style" for op in self.operations if op.styled_query() or (op.body and op.body.encoding)}
        names |= {"header_text" for op in self.operations if op.located("header")}
        return sorted(names)

    def has_event_streams(self) -> bool:
        """Whether a method offers ``stream=True`` (``_streaming``)."""
        return any(op.event_stream is not None for op in self.operations)

    def has_keywords(self) -> bool:
        """Whether a method gathers keyword arguments into its body (``_arguments.body_fields``)."""
        return any(op.body is not None and op.body.overloaded for op in self.operations)

    def body_encoders(self) -> list[str]:
        """The ``_bodies`` functions the operations call, sorted."""
        return sorted({op.body.encoder for op in self.operations if op.body is not None and op.body.encoder})

    def walk(self) -> list[Resource]:
        return [self, *(node for child in self.children for node in child.walk())]


@dataclass
class Api:
    config: GeneratorConfig
    title: str
    description: str
    resources: list[Resource]
    security_schemes: dict[str, dict[str, str]]
    auth: Auth
    error_base: ClassName  # the base exception (CloudflareError for cloudflare_client)
    request_id_headers: tuple[str, ...]  # lower-case, first found names the request
    envelopes: bool  # some operation unwraps the envelope: a 2xx ``success: false`` is an error
    typed_dicts: TypedDicts | None = None  # the TypedDicts the keyword arguments name (``<package>.dicts``)

    @property
    def operations(self) -> list[Operation]:
        return [op for resource in self.all_resources() for op in resource.operations]

    def all_resources(self) -> list[Resource]:
        return [node for resource in self.resources for node in resource.walk()]
