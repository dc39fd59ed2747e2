"""Keyword arguments for object bodies: each top-level property of the body is an argument of the method.

Decided from the body's schema, whatever its media type (the method sends what the body
description says; the arguments only collect it):

* **One shape** (an object with properties): one keyword argument per property, required when
  the schema requires it, typed from the property's schema (a nested object is its request model).
* **A tagged union of object shapes** (Cloudflare's 20 DNS record kinds: each requires ``type``
  with its own single value): one ``typing.overload`` per shape, each with that shape's
  properties only, so ``type="A"`` selects the A record's arguments and mypy checks them; the
  implementation takes every property of every shape.  **A union without a tag** gets the same
  overloads when its shapes are told apart by what they require (of any two, one requires a
  property the other lacks: ``url=`` or ``queue=``); otherwise (mypy would reject overloads that
  never match) its shapes are merged into one signature, a property required only where every
  shape requires it and typed as the union of its types.
* **PATCH**: every property optional but a union's discriminator, in the model too (the
  normalizer's ``directions`` pass), so the arguments follow the model's ``required``.
* A property whose Python name is taken (a path or query parameter, a reserved argument such as
  ``body`` or ``timeout``) gets the suffix ``_body``; its docstring line names the wire field.
* ``body=`` stays for a whole model or raw JSON; keywords given beside ``body=`` are sent on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clientgen.model.typed_dicts import TypedDicts
from clientgen.model.types import Models, TypeExpr, type_of, union_of
from clientgen.names import PythonIdentifier
from clientgen.normalize.schemas import resolve_component

__all__ = ["KeywordField", "KeywordShape", "keyword_shapes"]

# Past this many arguments a signature stops being readable; such bodies are sent with ``body=`` only.
MAX_KEYWORDS = 60


@dataclass(frozen=True)
class KeywordField:
    """One top-level property of an object body, as a keyword argument."""

    wire_name: str
    name: PythonIdentifier
    required: bool
    type: TypeExpr
    description: str

    @property
    def help(self) -> str:
        """The argument's docstring line: the description, and the wire name when the argument is renamed."""
        text = self.description or self.wire_name
        return text if self.name == self.wire_name else f"{text} (the body's {self.wire_name!r} field)"


@dataclass(frozen=True)
class KeywordShape:
    """One shape of the body (the only one, or one member of a union): its model and its properties."""

    model: TypeExpr
    fields: tuple[KeywordField, ...]

    def types(self) -> list[TypeExpr]:
        return [self.model, *(field.type for field in self.fields)]


def _object_members(schema: dict[str, Any], components: dict[str, Any]) -> list[Any] | None:
    """The schemas of the body's shapes (refs kept, for their model types); ``None`` when not all are objects."""
    resolved = resolve_component(schema, components)
    members = resolved.get("oneOf") or resolved.get("anyOf")
    raw_members = members if isinstance(members, list) and members else [schema]
    for member in raw_members:
        properties = resolve_component(member, components).get("properties")
        if not isinstance(properties, dict) or not properties:
            return None
    return raw_members


def keyword_shapes(
    schema: dict[str, Any],
    *,
    components: dict[str, Any],
    models: Models,
    taken: set[str],
    dicts: TypedDicts | None = None,
) -> tuple[KeywordShape, ...]:
    """The body's shapes with their keyword arguments; empty when the body is not made of objects.

    ``taken`` holds the method's other argument names; the body's names are added to it.  With ``dicts``,
    an argument that takes a model also takes a TypedDict of its shape.
    """
    members = _object_members(schema, components)
    if members is None:
        return ()
    resolved = [resolve_component(member, components) for member in members]
    wire_names = sorted({str(wire) for member in resolved for wire in member["properties"]})
    if len(wire_names) > MAX_KEYWORDS:
        return ()
    names: dict[str, PythonIdentifier] = {}
    for wire in wire_names:
        name = PythonIdentifier.from_text(wire)
        while name in taken:
            name = PythonIdentifier.bounded(f"{name}_body" if f"{name}_body" not in taken else f"{name}_")
        taken.add(name)
        names[wire] = name
    shapes: list[KeywordShape] = []
    for member, body in zip(members, resolved, strict=True):
        required = {str(name) for name in body.get("required") or []}
        fields = [
            KeywordField(
                wire_name=str(wire),
                name=names[str(wire)],
                required=str(wire) in required,
                type=type_of(raw, models) if dicts is None else dicts.type_of(raw),
                description=str(resolve_component(raw, components).get("description") or ""),
            )
            for wire, raw in body["properties"].items()
        ]
        fields.sort(key=lambda field: (not field.required, field.name))  # required first, then by name
        shapes.append(KeywordShape(model=type_of(member, models), fields=tuple(fields)))
    if len(shapes) == 1 or _is_tagged(shapes) or _told_apart_by_required(shapes):
        return tuple(shapes)
    return (_merged(shapes, type_of(schema, models)),)


def _told_apart_by_required(shapes: list[KeywordShape]) -> bool:
    """Whether, of any two shapes, one requires a property the other does not have.

    Then a call that fits one shape never fits the other, so each shape's overload can be matched
    (mypy rejects an overload that an earlier one always wins).
    """
    wires = [
        ({f.wire_name for f in shape.fields}, {f.wire_name for f in shape.fields if f.required}) for shape in shapes
    ]
    return all(
        (wires[b][1] - wires[a][0]) or (wires[a][1] - wires[b][0])
        for a in range(len(wires))
        for b in range(a + 1, len(wires))
    )


def _tag_values(shape: KeywordShape) -> dict[str, str]:
    """Wire name -> the one literal value of each required single-value ``Literal`` field."""
    return {
        field.wire_name: field.type.annotation
        for field in shape.fields
        if field.required and field.type.annotation.startswith("Literal[") and "," not in field.type.annotation
    }


def _is_tagged(shapes: list[KeywordShape]) -> bool:
    """Whether one field, required in every shape, has a different single literal value in each."""
    tags = [_tag_values(shape) for shape in shapes]
    common = set.intersection(*(set(tag) for tag in tags))
    return any(len({tag[wire] for tag in tags}) == len(shapes) for wire in common)


def _merged(shapes: list[KeywordShape], model: TypeExpr) -> KeywordShape:
    by_name: dict[str, list[KeywordField]] = {}
    for shape in shapes:
        for field in shape.fields:
            by_name.setdefault(field.name, []).append(field)
    fields = [
        KeywordField(
            wire_name=found[0].wire_name,
            name=found[0].name,
            required=len(found) == len(shapes) and all(field.required for field in found),
            type=union_of([field.type for field in found]),
            description=found[0].description,
        )
        for found in by_name.values()
    ]
    fields.sort(key=lambda field: (not field.required, field.name))
    return KeywordShape(model=model, fields=tuple(fields))
