"""Pass: constraints that are misspelled or mistyped in the source, repaired and reported.

The source's intent is kept, in the keyword that makes generators enforce it:

* ``minLength``/``maxLength`` on an array (the failure envelope's ``errors`` says
  ``minLength: 1``) mean ``minItems``/``maxItems``;
* a ``default`` of the wrong JSON type (``type: boolean, default: "true"``: 48 in the
  Cloudflare spec) is converted when unambiguous, dropped and reported otherwise;
* a ``default`` that the model could only hold as raw JSON (an object for a model field, a
  string for a date-time) is dropped and reported: the field stays optional, its value is
  whatever the API sends;
* a name in ``required`` that has no property gets an untyped property, so that the
  requirement is still enforced rather than silently lost;
* a ``title`` is documentation, but generators name classes after it (distinct schemas
  titled "Self Hosted Application" collide): it becomes the description when there is none;
* a schema with ``properties`` but no ``type`` is an object, or any JSON value where the
  description's examples show it holding something else (:mod:`clientgen.normalize.typeless`);
* a path parameter is never null: ``nullable`` is dropped from path parameter schemas;
* a ``pattern`` the package could not compile (``([a-z``; on a path parameter, one Python's ``re``
  rejects) is dropped and reported (:mod:`clientgen.normalize.patterns`).
"""

from __future__ import annotations

from typing import Any

from clientgen.diagnostics import Diagnostics, escape_pointer_token
from clientgen.normalize.patterns import compiles_for_models, compiles_in_python
from clientgen.normalize.schemas import Shared, iter_operations, map_operation_schemas, op_pointer, transform
from clientgen.normalize.typeless import widen_typeless

__all__ = ["repair_constraints"]

_ARRAY_KEYWORDS = {"minLength": "minItems", "maxLength": "maxItems"}
_BOOLEAN_TEXT = {"true": True, "false": False}


def _array_keywords(node: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    if node.get("type") != "array":
        return
    if node.get("enum") == [[]]:  # "always the empty list"
        del node["enum"]
        node["maxItems"] = 0
        diags.add(pointer, "array-keyword", "enum [[]] on an array read as maxItems 0")
    for wrong, right in _ARRAY_KEYWORDS.items():
        if wrong in node:
            value = node.pop(wrong)
            node.setdefault(right, value)
            diags.add(pointer, "array-keyword", f"{wrong} on an array read as {right}")


_PRIMITIVE_TYPES = frozenset({"string", "integer", "number", "boolean"})


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "array": (list,),
}  # fmt: skip


def _representable(node: dict[str, Any]) -> bool:
    """Whether the default can stand in the model as written (a plain literal of the right type)."""
    default = node["default"]
    if isinstance(node.get("enum"), list) and default not in node["enum"]:
        return False
    if node.get("type") in _PRIMITIVE_TYPES:
        return node.get("format") not in {"date-time", "date", "time", "binary", "byte"}
    if node.get("type") == "array":
        items = node.get("items")
        return isinstance(items, dict) and items.get("type") in _PRIMITIVE_TYPES and "format" not in items
    return False


def _converted(text: str, kind: str) -> bool | int | float | None:
    """``"true"`` for a boolean, ``"10"`` for an integer: the value meant, or None."""
    if kind == "boolean":
        return _BOOLEAN_TEXT.get(text.lower())
    try:
        return int(text) if kind == "integer" else float(text)
    except ValueError:
        return None


def _matches(value: Any, kind: str | None) -> bool:
    expected = _JSON_TYPES.get(str(kind), (object,))
    return isinstance(value, expected) and (bool in expected or not isinstance(value, bool))


def _typed_default(node: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    if node.get("default") is None:
        return
    kind = node.get("type")
    if isinstance(node["default"], str) and kind in {"boolean", "integer", "number"}:
        value = _converted(node["default"], str(kind))
        if value is not None:
            diags.add(pointer, "default-type", f"default {node['default']!r} read as {value!r}")
            node["default"] = value
    if not _matches(node["default"], kind):  # an error in the spec: say so, and what to do
        text = repr(node.pop("default"))[:60]
        diags.warn(pointer, "default-type", f"default {text} is not a {kind}; not emitted: fix the default in the spec")
    elif not _representable(node):
        text = repr(node.pop("default"))[:60]
        diags.add(pointer, "default-dropped", f"default {text} does not fit the schema as a literal; not emitted")


def _missing_required(node: dict[str, Any], pointer: str, diags: Diagnostics) -> None:
    required = node.get("required")
    if not isinstance(required, list) or node.get("type") not in {"object", None}:
        return
    properties = dict(node.get("properties") or {})
    for name in required:
        if isinstance(name, str) and name not in properties:
            properties[name] = {}
            diags.add(
                f"{pointer}/required", "required-without-property", f"required {name!r} has no property; added untyped"
            )
    if properties:
        node["properties"] = properties


def _title(node: dict[str, Any]) -> None:
    title = node.pop("title", None)
    if isinstance(title, str) and title.strip() and not node.get("description"):
        node["description"] = title


def _pattern(node: dict[str, Any], pointer: str, diags: Diagnostics, *, python: bool = False) -> None:
    pattern = node.get("pattern")
    if isinstance(pattern, str) and not (compiles_in_python if python else compiles_for_models)(pattern):
        del node["pattern"]
        engine = "Python's re, which checks path parameters, cannot" if python else "no regex engine of the models can"
        message = f"pattern {pattern[:60]!r} dropped: {engine} compile it"
        diags.warn(f"{pointer}/pattern", "pattern-dropped", message)


def _path_parameters(doc: dict[str, Any], diags: Diagnostics) -> None:
    for path, method, op in iter_operations(doc):
        for index, param in enumerate(op.get("parameters") or []):
            schema = param.get("schema") if isinstance(param, dict) and param.get("in") == "path" else None
            if isinstance(schema, dict) and isinstance(schema.get("pattern"), str):
                param["schema"] = schema = dict(schema)
                _pattern(schema, f"{op_pointer(path, method)}/parameters/{index}/schema", diags, python=True)
            if isinstance(schema, dict) and schema.get("nullable"):
                param["schema"] = {key: value for key, value in schema.items() if key != "nullable"}
                diags.add(
                    f"{op_pointer(path, method)}/parameters/{index}/schema",
                    "path-nullable",
                    "a path segment is never null",
                )


_PAGE_PARAMETERS = frozenset({"page", "per_page"})


def _page_parameters(doc: dict[str, Any], diags: Diagnostics) -> None:
    """``page``/``per_page`` of ``type: number`` (97 in 2024-08) count pages: integers, or ``page=2.0`` is sent."""
    for path, method, op in iter_operations(doc):
        for index, param in enumerate(op.get("parameters") or []):
            if not isinstance(param, dict) or param.get("in") != "query" or param.get("name") not in _PAGE_PARAMETERS:
                continue
            schema = param.get("schema")
            if not isinstance(schema, dict) or schema.get("type") != "number":
                continue
            bounds = {key: value for key, value in schema.items() if key in {"minimum", "maximum", "default"}}
            if not all(isinstance(value, int | float) and float(value).is_integer() for value in bounds.values()):
                continue
            param["schema"] = {**schema, "type": "integer", **{key: int(value) for key, value in bounds.items()}}
            diags.add(
                f"{op_pointer(path, method)}/parameters/{index}/schema",
                "page-integer",
                f"{param['name']} counts pages: integer, not number",
            )


def repair_constraints(doc: dict[str, Any], diags: Diagnostics, *, evidence: set[str] | None = None) -> dict[str, Any]:
    """``evidence``: the whole document's typeless evidence when ``doc`` is a part (``typeless``)."""
    widen_typeless(doc, diags, evidence)
    _path_parameters(doc, diags)
    _page_parameters(doc, diags)

    def repair(node: dict[str, Any], pointer: str) -> dict[str, Any]:
        _title(node)
        _array_keywords(node, pointer, diags)
        _typed_default(node, pointer, diags)
        _missing_required(node, pointer, diags)
        _pattern(node, pointer, diags)
        return node

    shared = Shared(diags)
    map_operation_schemas(doc, lambda schema, pointer: transform(schema, repair, pointer, shared))
    schemas = doc.get("components", {}).get("schemas", {})
    for key in sorted(schemas):
        schemas[key] = transform(schemas[key], repair, f"/components/schemas/{escape_pointer_token(key)}", shared)
    return doc
