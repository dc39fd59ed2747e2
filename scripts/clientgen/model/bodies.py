"""Request bodies: which media type a method sends, what kind of body that is, and the parts of a form.

Decisions (each recorded in the report with the operation's pointer):

* **One media type per method.**  When an operation offers several, the method sends the first
  kind in :data:`KIND_PREFERENCE` (JSON, then multipart, NDJSON, binary, text; ``application/json``
  before other ``+json`` types, then alphabetical).  The Workers script upload offers
  ``multipart/form-data``, ``application/javascript`` and ``text/javascript``: multipart, the
  only one that carries ES modules and the ``metadata`` part.
* **Kinds** (:func:`body_kind`): ``json`` (``application/json``, ``*+json``), ``multipart``
  (``multipart/form-data``), ``form`` (``application/x-www-form-urlencoded``: typed like a JSON
  body, the request model or a dict, encoded by the runtime's ``_serialization.form_body`` with
  the media object's ``encoding`` styles), ``ndjson`` (``application/x-ndjson``, ``application/jsonl``),
  ``text`` (``text/*``, JavaScript, XML; ``text/plain`` is also what the normalizer makes of the
  bogus keys ``undefined`` and ``string``), and ``binary`` for everything else
  (``application/octet-stream``, images: bytes as given).
* **Multipart parts** (:func:`part_of`): a property named ``<...>`` (the Workers
  ``<any part name>``) becomes ``parts``, a mapping of part names to files; ``format: binary``
  (or an array of it, or ``contentMediaType``) is a file part; an object or array is a JSON text
  part (Workers ``metadata``: "JSON encoded metadata"); a string without format or enum whose
  name is ``file``/``files`` or whose description speaks of a file, an upload or bytes
  (``loa_document``: "LOA document to upload", KV ``value``: "A byte sequence") is a file part
  that also takes a ``str`` (sent as a plain field); anything else is a plain text field.
* A ``oneOf``/``anyOf`` form (Workers: modules + metadata, or a rollback ``message``) offers the
  properties of every branch, all optional.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.model.api import Body, FormField
from clientgen.model.keywords import keyword_shapes
from clientgen.model.typed_dicts import TypedDicts
from clientgen.model.types import Models, TypeExpr, type_of
from clientgen.names import PythonIdentifier
from clientgen.normalize.schemas import resolve_component

__all__ = ["KIND_PREFERENCE", "body_kind", "build_body", "part_of"]

KIND_PREFERENCE = ("json", "multipart", "form", "ndjson", "binary", "text")
_FORM_MEDIA = "application/x-www-form-urlencoded"
_TEXT_MEDIA = ("application/javascript", "application/ecmascript", "application/xml", "application/x-javascript")
_NDJSON_MEDIA = ("application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines")
_FILE_WORDS = re.compile(r"\b(files?|upload|uploaded|bytes?)\b", re.IGNORECASE)
_ANY_PART = re.compile(r"<[^<>]*>")


def body_kind(media_type: str) -> str:
    base = media_type.split(";", 1)[0].strip().lower()
    if base == "application/json" or base.endswith("+json"):
        return "json"
    if base == "multipart/form-data":
        return "multipart"
    if base == _FORM_MEDIA:
        return "form"
    if base in _NDJSON_MEDIA:
        return "ndjson"
    if base.startswith("text/") or base in _TEXT_MEDIA or base.endswith("+xml"):
        return "text"
    return "binary"


def _chosen_media(content: dict[str, Any]) -> str:
    def rank(media: str) -> tuple[int, bool, str]:
        return (KIND_PREFERENCE.index(body_kind(media)), media != "application/json", media)

    return min(content, key=rank)


def _is_binary(schema: dict[str, Any]) -> bool:
    return schema.get("format") == "binary" or "contentMediaType" in schema


def part_of(wire: str, raw: Any, components: dict[str, Any]) -> tuple[str, str]:
    """(``fields``/``json``/``files``/``parts``, the reason) for one form property."""
    schema = resolve_component(raw, components)
    if _ANY_PART.fullmatch(wire):
        return "parts", "parts named by the caller"
    if _is_binary(schema):
        return "files", "file (format: binary)"
    kind = schema.get("type")
    if kind == "array" and _is_binary(resolve_component(schema.get("items"), components)):
        return "files", "files (array of format: binary)"
    if kind in {"object", "array"} or "properties" in schema:
        return "json", "JSON text part"
    described = f"{wire} {schema.get('description') or ''}"
    if kind == "string" and "format" not in schema and "enum" not in schema and _FILE_WORDS.search(described):
        return "files", "file or text (a string that names a file, an upload or bytes)"
    return "fields", "text field"


def _package_type(package: str, name: str) -> TypeExpr:
    return TypeExpr(name, frozenset({(f"{package}._types", name)}))


def _field_type(part: str, raw: Any, components: dict[str, Any], models: Models, package: str) -> TypeExpr:
    file_types = _package_type(package, "FileTypes")
    if part == "parts":
        return TypeExpr("Mapping[str, FileTypes]", file_types.imports | {("typing", "Mapping")})
    if part == "files":
        schema = resolve_component(raw, components)
        if schema.get("type") == "array":
            return TypeExpr("List[FileTypes]", file_types.imports | {("typing", "List")})
        return file_types if _is_binary(schema) else TypeExpr("FileTypes | str", file_types.imports)
    return type_of(raw, models)


def _form_fields(  # noqa: PLR0913 - one form and what it is typed against
    schema: Any,
    *,
    components: dict[str, Any],
    models: Models,
    package: str,
    taken: set[str],
    pointer: str,
    diags: Diagnostics,
) -> tuple[FormField, ...]:
    schema = resolve_component(schema, components)
    variants = schema.get("oneOf") or schema.get("anyOf")
    branches = [resolve_component(v, components) for v in variants] if isinstance(variants, list) else [schema]
    required = set() if isinstance(variants, list) else {str(name) for name in schema.get("required") or []}
    properties: dict[str, Any] = {}
    for branch in branches:
        declared = branch.get("properties")
        for wire, raw in (declared if isinstance(declared, dict) else {}).items():
            properties.setdefault(str(wire), raw)
    fields: list[FormField] = []
    decided: list[str] = []
    for wire, raw in sorted(properties.items(), key=lambda item: item[0] not in required):
        part, reason = part_of(wire, raw, components)
        name = PythonIdentifier("parts") if part == "parts" else PythonIdentifier.from_text(wire)
        while name in taken:
            name = PythonIdentifier.bounded(f"{name}_form" if f"{name}_form" not in taken else f"{name}_")
        taken.add(name)
        description = str(resolve_component(raw, components).get("description") or "")
        fields.append(
            FormField(
                wire_name=wire,
                name=name,
                part=part,
                required=wire in required and part != "parts",
                type=_field_type(part, raw, components, models, package),
                description=description,
            )
        )
        decided.append(f"{wire!r}: {reason}")
    diags.add(pointer, "multipart-parts", "multipart form, " + ("; ".join(decided) or "no properties"))
    return tuple(fields)


def _form_body(  # noqa: PLR0913, PLR0917 - one form body and what it is typed against
    media_type: str,
    media_object: Any,
    schema: dict[str, Any],
    required: bool,
    models: Models,
    pointer: str,
    diags: Diagnostics,
) -> Body:
    """A urlencoded form: the request model (or a dict); ``encoding`` styles kept per property, sorted."""
    encoding = media_object.get("encoding") if isinstance(media_object, dict) else None
    styles: list[tuple[str, str, bool]] = []
    for name, entry in sorted((encoding if isinstance(encoding, dict) else {}).items()):
        if isinstance(entry, dict) and ("style" in entry or "explode" in entry):
            style = str(entry.get("style") or "form")
            explode = entry.get("explode")
            styles.append((str(name), style, explode if isinstance(explode, bool) else style == "form"))
    model = type_of(schema, models)
    if model.model_class is not None:  # the request model, or a plain dict of the same fields
        model = TypeExpr(
            f"{model.annotation} | Dict[str, Any]",
            model.imports | {("typing", "Dict"), ("typing", "Any")},
            models=model.models,
        )
    declared = ", ".join(f"{name}: {style}{'' if explode else ', not exploded'}" for name, style, explode in styles)
    diags.add(pointer, "body-kind", f"{media_type} body typed {model.annotation}; encoding {declared or 'form'}")
    return Body(media_type, model, required, default_empty_object=False, kind="form", encoding=tuple(styles))


_KIND_TYPES = {"binary": "BinaryContent", "ndjson": "NdjsonContent"}


def build_body(  # noqa: PLR0913 - one operation's body and what it is typed against
    op: dict[str, Any],
    *,
    models: Models,
    components: dict[str, Any],
    package: str,
    taken: set[str],
    pointer: str,
    diags: Diagnostics,
    dicts: TypedDicts | None = None,
) -> Body | None:
    """The body the method sends; ``taken`` holds the argument names already used (form fields add theirs)."""
    body = op.get("requestBody")
    if not isinstance(body, dict) or not isinstance(body.get("content"), dict) or not body["content"]:
        return None
    content: dict[str, Any] = body["content"]
    media_type = _chosen_media(content)
    kind = body_kind(media_type)
    here = f"{pointer}/requestBody"
    if len(content) > 1:
        offered = ", ".join(sorted(content))
        diags.add(here, "body-media", f"offers {offered}; the method sends {media_type} ({kind})")
    media_object = content[media_type]
    schema = media_object.get("schema") if isinstance(media_object, dict) else None
    schema = schema if isinstance(schema, dict) else {}
    required = bool(body.get("required"))
    media_pointer = f"{here}/content/{escape_pointer_token(media_type)}"
    if kind == "json":
        is_open_object = schema.get("type") == "object" and not schema.get("required")
        shapes = keyword_shapes(schema, components=components, models=models, taken=taken, dicts=dicts)
        return Body(media_type, type_of(schema, models), required, required and is_open_object, shapes=shapes)
    if kind == "multipart":
        fields = _form_fields(
            schema,
            components=components,
            models=models,
            package=package,
            taken=taken,
            pointer=media_pointer,
            diags=diags,
        )
        return Body(media_type, type_of(schema, models), required, default_empty_object=False, kind=kind, fields=fields)
    if kind == "form":  # keyword arguments like a JSON object body's, sent through the form encoder
        shapes = keyword_shapes(schema, components=components, models=models, taken=taken, dicts=dicts)
        form = _form_body(media_type, media_object, schema, required, models, media_pointer, diags)
        return dataclasses.replace(form, shapes=shapes)
    expr = TypeExpr("str") if kind == "text" else _package_type(package, _KIND_TYPES[kind])
    diags.add(media_pointer, "body-kind", f"{media_type} body sent as {kind}: argument typed {expr.annotation}")
    return Body(media_type, expr, required, default_empty_object=False, kind=kind)
