"""Python type expressions for schemas: every annotation the templates write comes from here.

Resource classes have methods named ``list``, which shadow the builtin inside the class body,
so annotations use ``typing.List``/``Dict`` (as the official SDK does).

Model classes are kept apart from the other imports (``typing``, ``datetime``): a resource module
imports them only for the type checker, and an operation's parse function imports them on its
first call, so touching a resource loads no model module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ANY", "Models", "TypeExpr", "type_of", "union_of"]

_REF_PREFIX = "#/components/schemas/"
# Component name -> (module, name, is a class): a class validates itself (``Model.model_validate``); the other
# names are type aliases of plain types (``list[str]``, ``Annotated[float, Field(ge=30)]``, unions of models).
# An empty module: a component the generator inlined everywhere (a plain ``str``); the name is its annotation.
Models = Mapping[str, tuple[str, str, bool]]
_SCALARS = {"integer": "int", "number": "float", "boolean": "bool"}
_STRING_FORMATS = {"date-time": ("datetime", ("datetime", "datetime")), "date": ("date", ("datetime", "date"))}


@dataclass(frozen=True)
class TypeExpr:
    """An annotation (``list[Deployment] | None``) and the imports it needs, as (module, name)."""

    annotation: str
    imports: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # cheap: typing, datetime
    model_class: str | None = None  # set when the expression is exactly one model class
    models: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # model classes: imported lazily

    def nullable(self) -> TypeExpr:
        if self.annotation in {"Any", "None"} or self.annotation.endswith("| None"):
            return self
        return TypeExpr(f"{self.annotation} | None", self.imports, models=self.models)


ANY = TypeExpr("Any", frozenset({("typing", "Any")}))


def _top_level_members(annotation: str) -> list[str]:
    """``A | List[B | C] | None`` -> ``["A", "List[B | C]", "None"]``: split outside brackets and string literals."""
    parts, depth, start, quote, escaped = [], 0, 0, "", False
    for index, char in enumerate(annotation):
        if quote:  # inside a Literal's repr()'d string: brackets and bars are text
            escaped, quote = (False, quote) if escaped else (char == "\\", "" if char == quote else quote)
            continue
        if char in {"'", '"'}:
            quote = char
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and annotation.startswith(" | ", index):
            parts.append(annotation[start:index])
            start = index + 3
    return [*parts, annotation[start:]]


def _union(members: list[TypeExpr]) -> TypeExpr:
    flat = dict.fromkeys(part for member in members for part in _top_level_members(member.annotation))
    annotations = [part for part in flat if part != "None"] + (["None"] if "None" in flat else [])  # None once, last
    if "Any" in annotations or not annotations:
        return ANY
    imports = frozenset().union(*(member.imports for member in members))
    if len(annotations) == 1:
        return members[0]
    models = frozenset().union(*(member.models for member in members))
    return TypeExpr(" | ".join(annotations), imports, models=models)


def union_of(members: list[TypeExpr]) -> TypeExpr:
    """``A | B | None``: members flattened, each once, ``None`` last; ``Any`` absorbs the rest."""
    return _union(members)


def _literal(values: list[Any]) -> TypeExpr | None:
    if not values or not all(isinstance(value, str | int | bool) or value is None for value in values):
        return None
    # repr() of str/int/bool/None is always a valid, inert Python literal
    if all(value is None for value in values):
        return TypeExpr("None")  # enum [null]: the value is always null
    members = ", ".join(repr(value) for value in dict.fromkeys(values))
    return TypeExpr(f"Literal[{members}]", frozenset({("typing", "Literal")}))


def type_of(schema: Any, models: Models) -> TypeExpr:
    """``models`` maps component name -> (module, name, is a class)."""
    if not isinstance(schema, dict):
        return ANY
    expr = _base_type(schema, models)
    return expr.nullable() if schema.get("nullable") is True else expr


def _base_type(schema: dict[str, Any], models: Models) -> TypeExpr:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = models.get(ref.removeprefix(_REF_PREFIX))
        if target is None:
            return ANY
        module, class_name, is_class = target
        if not module:
            return TypeExpr(class_name)
        return TypeExpr(
            class_name, model_class=class_name if is_class else None, models=frozenset({(module, class_name)})
        )
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            return _union([type_of(member, models) for member in schema[key]])
    if isinstance(schema.get("enum"), list) and (literal := _literal(schema["enum"])) is not None:
        return literal
    kind = schema.get("type")
    if kind == "string":
        annotation, imported = _STRING_FORMATS.get(str(schema.get("format")), ("str", None))
        return TypeExpr(annotation, frozenset({imported}) if imported else frozenset())
    if kind in _SCALARS:
        return TypeExpr(_SCALARS[kind])
    if kind == "array":
        item = type_of(schema.get("items"), models)
        return TypeExpr(f"List[{item.annotation}]", item.imports | {("typing", "List")}, models=item.models)
    if kind == "object" or "properties" in schema:
        values = schema.get("additionalProperties")
        value = type_of(values, models) if isinstance(values, dict) and values else ANY
        return TypeExpr(f"Dict[str, {value.annotation}]", value.imports | {("typing", "Dict")}, models=value.models)
    return ANY
