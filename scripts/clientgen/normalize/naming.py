"""Names for hoisted schemas, from what they mean rather than where they were found.

Each place a schema is used leaves a :class:`Hint`:

* at the top of an operation: the resource noun of its route (``…/deployments/{id}/rollback``
  -> ``Deployment``), the envelope roles (``ResponseInfo``, ``ResultInfo``, ``ErrorEnvelope``),
  ``<Noun><Verb>Params`` for request bodies;
* below a named schema: parent name + property name without repeating words
  (``Deployment`` + ``deployment_trigger`` -> ``DeploymentTrigger``), singular for array
  items (``stages`` -> ``DeploymentStage``).

Names are assigned parents first.  A schema used in several places takes its best
candidate (envelope roles, then results, then bodies, then nested parts; shorter first);
when two different schemas want one name, the one used more often wins (content key breaks
ties), and the other takes its next, more qualified candidate, or a numeric suffix last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.names import ClassName, singular, split_words
from clientgen.normalize.envelopes import ENVELOPE_ITEM_NAMES, FAILURE_ENVELOPE_NAME, is_failure_envelope
from clientgen.routes import Route

__all__ = ["Hint", "assign_names", "operation_hint", "role_hint"]

Words = tuple[str, ...]
# Class names the generated modules import or define themselves.
# fmt: off
RESERVED = frozenset(name.lower() for name in (
    # what model modules import
    "Any", "Annotated", "BaseModel", "ConfigDict", "Field", "Literal", "RootModel", "Enum", "AwareDatetime",
    "Optional", "Union", "UUID", "AnyUrl", "Model", "Self", "List", "Dict", "Datetime", "Date",
    # what resource modules and the client import or define
    "Client", "AsyncClient", "NotGiven", "Omit", "Request", "Query", "Headers", "TimeoutTypes", "Parser",
    "SyncAPIClient", "AsyncAPIClient", "RawResponse", "AsyncRawResponse", "Stream", "Page", "Paginator",
))
# fmt: on
_PRIORITY = {"role": 0, "result": 1, "body": 2, "response": 3, "parameter": 3, "nested": 4, "component": 0}


@dataclass(eq=False)
class Hint:
    """How one use of a schema would name it; ``parent``/``parent_key`` are bound after hoisting."""

    relation: str  # root, envelope, property, item, value, variant
    label: str = ""
    candidates: tuple[Words, ...] = ()
    kind: str = "nested"
    parent: Hint | None = None
    parent_key: str | None = None
    route_words: tuple[Words, ...] = field(default=())


def _join(base: Words, words: Words) -> Words:
    """``("deployment",) + ("deployment", "trigger")`` -> ``("deployment", "trigger")``."""
    for overlap in range(min(len(base), len(words)), 0, -1):
        if base[-overlap:] == words[:overlap]:
            return base + words[overlap:]
    return base + words


def _route_candidates(route: Route) -> tuple[Words, ...]:
    nouns = [singular(noun) for noun in route.nouns]
    words = [tuple(split_words(noun)) for noun in nouns]
    return tuple(tuple(w for part in words[-depth:] for w in part) for depth in range(1, len(words) + 1))


def operation_hint(route: Route, op: dict[str, Any], where: str, schema: dict[str, Any]) -> Hint:
    """The hint for a schema at the top of an operation (``where`` is the pointer below the operation)."""
    nouns = _route_candidates(route)
    verb = tuple(split_words(route.verb))
    op_words = tuple(split_words(str(op.get("operationId", ""))))
    if where.startswith("/responses/"):
        if is_failure_envelope(schema):
            failure = tuple(split_words(FAILURE_ENVELOPE_NAME))
            return Hint("root", candidates=(failure, *(n + failure for n in nouns)), kind="role")
        return Hint("envelope", candidates=(*nouns, op_words + ("result",)), kind="result", route_words=nouns)
    if where.startswith("/requestBody"):
        return Hint(
            "root", candidates=tuple(n + verb + ("params",) for n in nouns) + (op_words + ("params",),), kind="body"
        )
    name = tuple(split_words(str(_param_name(op, where))))
    return Hint("root", candidates=(name, *(n + name for n in nouns)), kind="parameter")


def _param_name(op: dict[str, Any], where: str) -> str:
    index = int(where.split("/")[2])
    return str(op["parameters"][index].get("name", "parameter"))


def _candidates(hint: Hint, names: dict[str, Words]) -> tuple[Words, ...] | None:
    """Word tuples this hint proposes, or None while its named parent has no name yet."""
    if hint.relation == "root":
        return hint.candidates
    if hint.relation == "envelope":  # an inline success envelope: the body itself, if it is hoisted
        return hint.candidates
    if hint.parent_key is not None:
        if hint.parent_key not in names:
            return None
        bases: tuple[Words, ...] = (names[hint.parent_key],)
    elif hint.parent is not None:
        if hint.parent.relation == "envelope":
            return _envelope_part(hint, hint.parent)
        parent_candidates = _candidates(hint.parent, names)
        if parent_candidates is None:
            return None
        return _relative(hint, parent_candidates, relative_to_parent=True)
    else:
        return None
    return _relative(hint, bases, relative_to_parent=False)


def _relative(hint: Hint, bases: tuple[Words, ...], *, relative_to_parent: bool) -> tuple[Words, ...]:
    label = tuple(split_words(hint.label))
    if hint.parent is not None and hint.parent.kind == "role":
        return bases  # the items of a role array carry the role's name
    if hint.relation == "property":
        return tuple(_join(base, label) for base in bases)
    if hint.relation == "item":
        # items of an array property: the parent's candidate already ends in the property's words
        return (
            tuple(base[:-1] + (singular(base[-1]),) if base else ("item",) for base in bases)
            if relative_to_parent
            else tuple(base + ("item",) for base in bases)
        )
    if hint.relation == "value":
        return tuple(base + ("value",) for base in bases)
    if hint.relation == "same":
        return bases
    return tuple(base + ("variant", *label) for base in bases)


def _envelope_part(hint: Hint, envelope: Hint) -> tuple[Words, ...]:
    if hint.label == "result":
        return envelope.candidates
    return tuple(_join(base, tuple(split_words(hint.label))) for base in envelope.route_words)


def _kind(hint: Hint) -> str:
    if hint.parent is not None and hint.parent.relation == "envelope" and hint.label == "result":
        return "result"
    if hint.parent is not None and hint.parent.kind == "role":
        return "role"
    return hint.kind if hint.relation in {"root", "envelope"} else "nested"


def role_hint(label: str) -> Hint | None:
    """The hint for an envelope property that has a role name (``errors`` items are ``ResponseInfo``)."""
    role = ENVELOPE_ITEM_NAMES.get(label)
    return None if role is None else Hint("root", candidates=(tuple(split_words(role)),), kind="role")


def assign_names(hints: dict[str, list[Hint]], *, taken: set[str], diags: Diagnostics) -> dict[str, str]:
    """Content key -> class name, parents before children, deterministic for any input order."""
    words: dict[str, Words] = {}
    names: dict[str, str] = {}
    used = {name.lower() for name in taken} | RESERVED
    pending = set(hints)
    numbered = 0
    while pending:
        ready: list[tuple[tuple[Any, ...], str, list[tuple[int, int, Words]]]] = []
        for key in pending:
            options = _options(hints[key], words)
            if options is not None:
                best = options[0]
                ready.append(((best[0], best[1], best[2], -len(hints[key]), key), key, options))
        if not ready:  # cannot happen for a DAG; guard against looping forever
            msg = "naming did not converge"
            raise RuntimeError(msg)
        for _, key, options in sorted(ready):
            names[key], words[key], suffixed = _first_free(options, used)
            numbered += suffixed
            used.add(names[key].lower())
            pending.discard(key)
    if numbered:
        diags.warn("/components/schemas", "names", f"{numbered} schema names needed a numeric suffix")
    return names


def _options(key_hints: list[Hint], words: dict[str, Words]) -> list[tuple[int, int, Words]] | None:
    options: set[tuple[int, int, Words]] = set()
    for hint in key_hints:
        candidates = _candidates(hint, words)
        if candidates is None:
            return None
        priority = _PRIORITY[_kind(hint)]
        options.update((priority, rank, candidate) for rank, candidate in enumerate(candidates) if candidate)
    if not options:
        options.add((9, 0, ("model",)))
    return sorted(options, key=lambda option: (option[1], option[0], len(option[2]), option[2]))


def _first_free(options: list[tuple[int, int, Words]], used: set[str]) -> tuple[str, Words, bool]:
    for _, _, candidate in options:
        name = ClassName.from_words(list(candidate))
        if name.lower() not in used:
            return str(name), candidate, False
    best = options[0][2]
    number = 2
    while f"{ClassName.from_words(list(best))}{number}".lower() in used:
        number += 1
    return f"{ClassName.from_words(list(best))}{number}", (*best, str(number)), True
