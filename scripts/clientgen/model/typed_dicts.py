"""TypedDicts of the request models: a keyword argument that takes a model also takes a plain dict of its shape.

``nested=SettingNested(a="x")`` and ``nested={"a": "x"}`` are both checked by mypy: the argument is
typed ``SettingNested | SettingNestedDict``.  The TypedDicts live in ``<package>.dicts``, written in
the functional form (``TypedDict("XDict", {"wire-name": "..."}, total=False)``) so any wire name is a
key, with ``Required[...]`` on required keys; annotations are strings, so the module refers to the
models only for the type checker (resource modules import it under ``TYPE_CHECKING``).  Only the
models a keyword argument reaches (and the models inside them) get one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clientgen.model.types import Models, TypeExpr, type_of, union_of

__all__ = ["DictField", "DictShape", "TypedDicts"]

_REF_PREFIX = "#/components/schemas/"
_SUFFIX = "Dict"


@dataclass(frozen=True)
class DictField:
    wire_name: str
    annotation: str  # ``Required[...]`` around required keys


@dataclass(frozen=True)
class DictShape:
    name: str
    fields: tuple[DictField, ...]


@dataclass
class TypedDicts:
    """Hands out ``Model | ModelDict`` types and remembers which models need a TypedDict."""

    models: Models
    components: dict[str, Any]
    package: str
    wanted: dict[str, str] = field(default_factory=dict)  # component -> class name

    @property
    def module(self) -> str:
        return f"{self.package}.dicts"

    def type_of(self, schema: Any) -> TypeExpr:
        """``type_of`` with every model class ``X`` reached as ``X | XDict``."""
        if not isinstance(schema, dict):
            return type_of(schema, self.models)
        expr = self._base(schema)
        return expr.nullable() if schema.get("nullable") is True else expr

    def _base(self, schema: dict[str, Any]) -> TypeExpr:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            component = ref.removeprefix(_REF_PREFIX)
            target = self.models.get(component)
            plain = type_of(schema, self.models)
            if target is None or not target[2] or component not in self.components:
                return plain
            self.wanted[component] = target[1]
            name = f"{target[1]}{_SUFFIX}"
            return TypeExpr(f"{plain.annotation} | {name}", models=plain.models | {(self.module, name)})
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                return union_of([self.type_of(member) for member in schema[key]])
        if schema.get("type") == "array" and "enum" not in schema:
            item = self.type_of(schema.get("items"))
            return TypeExpr(f"List[{item.annotation}]", item.imports | {("typing", "List")}, models=item.models)
        return type_of(schema, self.models)

    def shapes(self) -> tuple[list[DictShape], list[TypeExpr]]:
        """Every TypedDict wanted so far (and those their fields reach), sorted; the types their fields name."""
        done: dict[str, DictShape] = {}
        used: list[TypeExpr] = []
        while pending := sorted(set(self.wanted) - set(done)):
            for component in pending:
                schema = self.components[component]
                required = {str(name) for name in schema.get("required") or []}
                fields = []
                for wire, raw in sorted((schema.get("properties") or {}).items()):
                    expr = self.type_of(raw)
                    used.append(expr)
                    text = f"Required[{expr.annotation}]" if wire in required else expr.annotation
                    fields.append(DictField(str(wire), text))
                done[component] = DictShape(f"{self.wanted[component]}{_SUFFIX}", tuple(fields))
        return sorted(done.values(), key=lambda shape: shape.name), used

    def module_view(self) -> tuple[list[DictShape], list[tuple[str, list[str]]]]:
        """The TypedDicts and the ``from module import names`` the module needs (type checking only), sorted."""
        shapes, used = self.shapes()
        imports = {imported for expr in used for imported in expr.imports | expr.models if imported[0] != self.module}
        imports |= {("typing", "Required")}
        by_module: dict[str, set[str]] = {}
        for module, name in imports:
            by_module.setdefault(module, set()).add(name)
        return shapes, [(module, sorted(names)) for module, names in sorted(by_module.items())]
