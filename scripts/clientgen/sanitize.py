"""What datamodel-code-generator is allowed to see: standard schema keywords, as data.

The model generator interprets more than JSON Schema.  In 0.89.0 it reads ``x-python-type``
and ``x-python-import`` (a type expression and an import, written into the module as code),
``x-enum-varnames``, ``x-is-base-class``, ``x-is-classvar``, ``x-python-unserializable``,
``x-datamodel-code-generator-*`` and other ``x-`` keys; it follows ``$ref`` and
``discriminator.mapping`` values to other files and URLs; it puts descriptions into
docstrings and, with some options, comments, where a bare CR once ended the comment.  So
the schemas it is given keep only the keywords listed in ``KEYWORDS`` — every ``x-`` key
and every unknown key is dropped — with every keyword's value of the type JSON Schema
says (others are dropped and reported), ``$ref`` and ``mapping`` values only to models of
the same document, and descriptions cut to ``MAX_DOC_CHARS`` with line breaks normalized
and control characters removed.  Literal values (``default``, ``example``, ``enum``,
``const``) stay data: the generator writes them as ``repr`` literals.

This view is built only for the generator: ``openapi.normalized.json`` keeps the document
as normalized, extensions included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clientgen.diagnostics import Diagnostics, SpecError, escape_pointer_token
from clientgen.ingest.refs import clone
from clientgen.normalize.typeless import ANY_JSON
from clientgen.render import clean_text

__all__ = ["KEYWORDS", "model_view"]

_REF_PREFIX = "#/components/schemas/"
_NORMALIZED = "<normalized document>"
_NORMALIZED = "<normalized document>"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_type(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# Keyword -> the check its value must pass.  Schema-valued keywords are walked separately.
_SCALARS: dict[str, Callable[[Any], bool]] = {
    "type": _is_type,
    "format": lambda value: isinstance(value, str),
    "description": lambda value: isinstance(value, str),
    "pattern": lambda value: isinstance(value, str),
    "required": _is_names,
    "enum": lambda value: isinstance(value, list) and bool(value),
    "nullable": lambda value: isinstance(value, bool),
    "readOnly": lambda value: isinstance(value, bool),
    "writeOnly": lambda value: isinstance(value, bool),
    "deprecated": lambda value: isinstance(value, bool),
    "uniqueItems": lambda value: isinstance(value, bool),
    "minimum": _is_number,
    "maximum": _is_number,
    "exclusiveMinimum": lambda value: _is_number(value) or isinstance(value, bool),  # 3.1 number, 3.0 boolean
    "exclusiveMaximum": lambda value: _is_number(value) or isinstance(value, bool),
    "multipleOf": lambda value: _is_number(value) and value > 0,
    "minLength": _is_count,
    "maxLength": _is_count,
    "minItems": _is_count,
    "maxItems": _is_count,
    "minProperties": _is_count,
    "maxProperties": _is_count,
    "example": lambda _: True,
    "examples": lambda _: True,
    "default": lambda _: True,
    "const": lambda _: True,
}
_SCHEMA = ("items", "not", "additionalProperties", "propertyNames")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties")
KEYWORDS = frozenset({*_SCALARS, *_SCHEMA, *_SCHEMA_LISTS, *_SCHEMA_MAPS, "$ref", "discriminator"})


class _View:
    def __init__(self, models: set[str], diags: Diagnostics) -> None:
        self.models = models
        self.diags = diags

    def schema(self, node: Any, pointer: str) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            self.diags.warn(pointer, "model-keyword", "a schema must be an object; read as any value")
            return {}
        kept: dict[str, Any] = {}
        for key, value in node.items():
            where = f"{pointer}/{escape_pointer_token(key)}"
            if key not in KEYWORDS:
                continue  # x- extensions and unknown keywords: never shown to the generator
            if key == "$ref":
                kept[key] = self._ref(value, where)
            elif key in _SCHEMA:
                kept[key] = self.schema(value, where)
            elif key in _SCHEMA_LISTS:
                if self._keep(isinstance(value, list), key, value, where):
                    kept[key] = [self.schema(item, f"{where}/{index}") for index, item in enumerate(value)]
            elif key in _SCHEMA_MAPS:
                if self._keep(isinstance(value, dict), key, value, where):
                    kept[key] = {
                        name: self.schema(item, f"{where}/{escape_pointer_token(name)}") for name, item in value.items()
                    }
            elif key == "discriminator":
                if (discriminator := self._discriminator(value, where)) is not None:
                    kept[key] = discriminator
            elif self._keep(_SCALARS[key](value), key, value, where):
                kept[key] = clean_text(value) if key == "description" else clone(value)
        return kept

    def _keep(self, valid: bool, key: str, value: Any, pointer: str) -> bool:
        if not valid:
            shown = repr(value)[:60]
            self.diags.warn(pointer, "model-keyword", f"{key} = {shown} is not of the type JSON Schema allows; dropped")
        return valid

    def _is_model_ref(self, value: Any) -> bool:
        return isinstance(value, str) and value.startswith(_REF_PREFIX) and value[len(_REF_PREFIX) :] in self.models

    def _ref(self, value: Any, pointer: str) -> str:
        if not self._is_model_ref(value):
            msg = f"the normalized document refers to {value!r}, which is not one of its models"
            raise SpecError(_NORMALIZED, msg, pointer=pointer)
        return str(value)

    def _discriminator(self, value: Any, pointer: str) -> dict[str, Any] | None:
        valid = isinstance(value, dict) and isinstance(value.get("propertyName"), str)
        if not self._keep(valid, "discriminator", value, pointer):
            return None
        mapping = value.get("mapping")
        kept = {
            tag: target
            for tag, target in (mapping.items() if isinstance(mapping, dict) else [])
            if self._is_model_ref(target)
        }
        if isinstance(mapping, dict) and len(kept) != len(mapping):
            message = "discriminator mapping entries to no model of the document dropped (never followed)"
            self.diags.add(pointer, "model-keyword", message)
        return {"propertyName": value["propertyName"], **({"mapping": kept} if kept else {})}


def model_view(doc: dict[str, Any], diags: Diagnostics, any_json_base: str | None = None) -> dict[str, Any]:
    """``doc`` with its component schemas reduced to what the model generator may see (a copy).

    A component marked ``x-clientgen-any-json`` (a typeless schema, :mod:`clientgen.normalize.typeless`) gets
    ``any_json_base`` (our import path, never spec text) as its class's base: the class that accepts any JSON value.
    """
    schemas = doc.get("components", {}).get("schemas", {})
    view = _View(set(schemas), diags)
    reduced = {
        name: view.schema(schema, f"/components/schemas/{escape_pointer_token(name)}")
        for name, schema in schemas.items()
    }
    if any_json_base is not None:
        for name, schema in schemas.items():
            if isinstance(schema, dict) and schema.get(ANY_JSON) is True and isinstance(reduced[name], dict):
                reduced[name] = {**reduced[name], "customBasePath": any_json_base}
    return {**doc, "components": {**doc.get("components", {}), "schemas": reduced}}
