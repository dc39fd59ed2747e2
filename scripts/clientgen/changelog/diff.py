"""Differences between two API surfaces, each classified from the client user's point of view.

Operations are matched, in order: by call path and endpoint together, by operationId (when
unique on both sides), by call path (what the user types), then by method and path with
parameter names left out.  A
matched operation under another call path was *renamed* (breaking: the old call path is
gone, or now calls another endpoint); what is left was removed or added.
Parameters are matched by their Python name (the keyword argument), fields by their path.

A change is **breaking** when code written against the old client can stop working — fail
at run time, or no longer type-check — with the new one.  The rules differ by direction:

* input (parameters, request body): removing, newly requiring, narrowing a type, removing
  an enum value or tightening a constraint breaks callers; the opposite does not.
* output (the returned value): removing a field, making it optional or nullable, or widening
  its type (another member in a union) breaks readers; adding fields or enum values does not
  (the client then accepts what the server sends), nor do narrower output types or any
  constraint change on output (the Python type stays the same).

Every change has a level for the version bump: ``major`` when breaking, ``minor`` for new
things (operations, optional parameters, fields, enum values, deprecations, wider inputs),
``patch`` for the rest (looser input constraints, output constraints, endpoint moves,
documentation).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from clientgen.changelog.surface import Descriptor, Surface
from clientgen.render import mdcode

__all__ = ["LEVELS", "Change", "bump_level", "diff_surfaces", "match_operations"]

LEVELS = ("patch", "minor", "major")
_ANY = "any"


@dataclass(frozen=True, order=True)
class Change:
    """One entry: ``<call path>: <noun> <subject> <verb>[: <detail>]``."""

    call_path: str
    noun: str  # "operation", "parameter", "request body field", "response field", ...
    subject: str  # the parameter's name or the field's path, as text; empty for the operation itself
    verb: str  # "added", "removed", "retyped", ...
    detail: str  # Markdown: spec text in it is already inline code (``mdcode``)
    breaking: bool
    level: str  # one of LEVELS

    @staticmethod
    def of(call: str, what: tuple[str, str, str], detail: str = "", *, breaking: bool, level: str = "") -> Change:
        noun, subject, verb = what
        return Change(call, noun, subject, verb, detail, breaking, "major" if breaking else level or "minor")


def bump_level(changes: list[Change]) -> str | None:
    """The highest level among ``changes``; ``None`` when there are none."""
    return max((change.level for change in changes), key=LEVELS.index, default=None)


def _types(name: str) -> set[str]:
    return set(name.split("|"))


def _is_wider(old: str, new: str) -> bool:
    return new == _ANY or (old != _ANY and _types(old) < _types(new))


def _is_narrower(old: str, new: str) -> bool:
    return old == _ANY or (new != _ANY and _types(new) < _types(old))


# --- constraints ----------------------------------------------------------------------------

_LOWER_BOUNDS = frozenset({"minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum"})
_UPPER_BOUNDS = frozenset({"maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum"})


def _constraint_direction(keyword: str, old: Any, new: Any) -> str:
    """``tightened`` or ``loosened`` (a changed ``pattern`` or ``multipleOf`` counts as tightened)."""
    if old is None or old is False:
        return "tightened"
    if new is None or new is False:
        return "loosened"
    numbers = all(isinstance(value, int | float) and not isinstance(value, bool) for value in (old, new))
    if numbers and keyword in _LOWER_BOUNDS:
        return "tightened" if new > old else "loosened"
    if numbers and keyword in _UPPER_BOUNDS:
        return "tightened" if new < old else "loosened"
    return "tightened"


def _show(value: Any) -> str:
    return "none" if value is None else mdcode(json.dumps(value, ensure_ascii=False))


# --- fields ---------------------------------------------------------------------------------


def _under(path: str, ancestors: set[str]) -> bool:
    """``path`` lies below one of ``ancestors`` (``""`` is above everything)."""
    return any(path != top and (top == "" or (path.startswith(top) and path[len(top)] in ".[{")) for top in ancestors)


def _descriptor_changes(
    call: str, what: tuple[str, str], old: Descriptor, new: Descriptor, *, output: bool
) -> Iterator[Change]:
    """Changes of one parameter or field (``what``: noun and name) present on both sides."""
    closed_over_any = (old["type"] == _ANY and "enum" in new) or (new["type"] == _ANY and "enum" in old)
    if old["type"] != new["type"] and not closed_over_any:  # the enum entry below says it
        detail = f"{mdcode(old['type'])} → {mdcode(new['type'])}"
        if output:
            breaking = not (_is_narrower(old["type"], new["type"]) or new["type"] == _ANY)
        else:
            breaking = not _is_wider(old["type"], new["type"])
        yield Change.of(call, (*what, "retyped"), detail, breaking=breaking)
    if bool(old.get("required")) != bool(new.get("required")):
        required = bool(new.get("required"))
        verb = "now required" if required else "now optional"
        yield Change.of(call, (*what, verb), breaking=required != output, level="minor" if not output else "patch")
    if bool(old.get("nullable")) != bool(new.get("nullable")):
        nullable = bool(new.get("nullable"))
        verb = "now nullable" if nullable else "no longer nullable"
        yield Change.of(call, (*what, verb), breaking=nullable == output, level="minor" if not output else "patch")
    yield from _enum_changes(call, what, old.get("enum"), new.get("enum"), output=output)
    old_bounds, new_bounds = old.get("constraints") or {}, new.get("constraints") or {}
    for keyword in sorted(old_bounds.keys() | new_bounds.keys()):
        before, after = old_bounds.get(keyword), new_bounds.get(keyword)
        if before == after:
            continue
        direction = _constraint_direction(keyword, before, after)
        detail = f"`{keyword}` {_show(before)} → {_show(after)}"
        breaking = direction == "tightened" and not output
        yield Change.of(call, (*what, f"constraint {direction}"), detail, breaking=breaking, level="patch")


def _enum_changes(
    call: str, what: tuple[str, str], old: list[str] | None, new: list[str] | None, *, output: bool
) -> Iterator[Change]:
    if old is None and new is None:
        return
    if old is None or new is None:  # a free value became a closed set, or the reverse
        closed = new is not None
        verb = "now limited to enum values" if closed else "no longer limited to enum values"
        detail = ", ".join(mdcode(value) for value in new or [])
        yield Change.of(call, (*what, verb), detail if closed else "", breaking=closed and not output)
        return
    removed, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    if added:
        yield Change.of(call, (*what, "enum values added"), ", ".join(map(mdcode, added)), breaking=False)
    if removed:
        yield Change.of(call, (*what, "enum values removed"), ", ".join(map(mdcode, removed)), breaking=not output)


def field_changes(
    call: str, nouns: tuple[str, str], old: dict[str, Descriptor], new: dict[str, Descriptor], *, output: bool
) -> Iterator[Change]:
    """Added, removed and changed fields of one value (``nouns``: what the value and a field of it are called).

    Nothing is reported below a field that appeared, disappeared or changed type: its own entry says it.
    """
    covered: set[str] = set()
    for path in sorted(old.keys() | new.keys()):
        if _under(path, covered):
            continue
        before, after = old.get(path), new.get(path)
        noun = nouns[1] if path else nouns[0]
        if before is None and after is not None:
            covered.add(path)
            required = bool(after.get("required"))
            detail = "required" if required and not output else ""
            yield Change.of(call, (noun, path, "added"), detail, breaking=required and not output)
        elif after is None and before is not None:
            covered.add(path)
            yield Change.of(call, (noun, path, "removed"), breaking=True)
        elif before is not None and after is not None:
            if before["type"] != after["type"]:
                covered.add(path)
            yield from _descriptor_changes(call, (noun, path), before, after, output=output)


# --- operations -----------------------------------------------------------------------------


def _parameter_changes(call: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        label = name
        if before is None and after is not None:
            required = bool(after.get("required"))
            yield Change.of(call, ("parameter", label, "added"), "required" if required else "", breaking=required)
        elif after is None:
            yield Change.of(call, ("parameter", label, "removed"), breaking=True)
        elif before is not None:
            yield from _descriptor_changes(call, ("parameter", label), before, after, output=False)
            if (before["wire"], before["in"]) != (after["wire"], after["in"]):
                detail = f"{before['in']} {mdcode(before['wire'])} → {after['in']} {mdcode(after['wire'])}"
                yield Change.of(call, ("parameter", label, "sent differently"), detail, breaking=False, level="patch")
            nouns = ("parameter", "parameter field")
            yield from field_changes(call, nouns, _nested(before, name), _nested(after, name), output=False)


def _nested(param: dict[str, Any], name: str) -> dict[str, Descriptor]:
    """The fields inside an object or array parameter, as paths that start with the parameter's name."""
    fields: dict[str, Descriptor] = param.get("fields") or {}
    return {name + (path if path[:1] in {"[", "{"} else f".{path}"): item for path, item in fields.items()}


def _body_changes(call: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> Iterator[Change]:
    if old is None and new is None:
        return
    if old is None or new is None:
        required = new is not None and bool(new.get("required"))
        verb = "added" if new is not None else "removed"
        yield Change.of(call, ("request body", "", verb), "required" if required else "", breaking=required or not new)
        return
    if old["media"] != new["media"]:
        detail = f"{mdcode(old['media'])} → {mdcode(new['media'])}"
        yield Change.of(call, ("request body", "", "media type changed"), detail, breaking=True)
        return
    if bool(old.get("required")) != bool(new.get("required")):
        required = bool(new.get("required"))
        yield Change.of(call, ("request body", "", "now required" if required else "now optional"), breaking=required)
    yield from field_changes(call, ("request body", "request body field"), old["fields"], new["fields"], output=False)


def _returns_changes(call: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    if old["kind"] != new["kind"]:
        detail = f"{old['kind']} → {new['kind']}"
        yield Change.of(call, ("return value", "", "changed"), detail, breaking=old["kind"] != "none")
        return
    if "fields" in old:
        yield from field_changes(call, ("response", "response field"), old["fields"], new["fields"], output=True)


def _endpoint(entry: dict[str, Any]) -> str:
    return f"{entry['method']} {entry['path']}"


def operation_changes(call: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Everything that differs between two versions of one operation (matched already)."""
    if old == new:  # most operations between two generations: nothing to walk
        return []
    changes: list[Change] = []
    if _endpoint(old) != _endpoint(new):
        detail = f"{mdcode(_endpoint(old))} → {mdcode(_endpoint(new))}"
        changes.append(Change.of(call, ("operation", "", "endpoint changed"), detail, breaking=False, level="patch"))
    if bool(old.get("deprecated")) != bool(new.get("deprecated")):
        deprecated = bool(new.get("deprecated"))
        verb, level = ("deprecated", "minor") if deprecated else ("no longer deprecated", "patch")
        changes.append(Change.of(call, ("operation", "", verb), breaking=False, level=level))
    changes.extend(_parameter_changes(call, old["params"], new["params"]))
    changes.extend(_body_changes(call, old.get("body"), new.get("body")))
    changes.extend(_returns_changes(call, old["returns"], new["returns"]))
    if not changes and old.get("docs") != new.get("docs"):
        changes.append(Change.of(call, ("documentation", "", "changed"), breaking=False, level="patch"))
    return changes


_PATH_PARAMETER = re.compile(r"\{[^}]*\}")


def _loose_endpoint(entry: dict[str, Any]) -> str:
    """Method and path with parameter names left out: ``GET /zones/{}/dns_records``."""
    return f"{entry['method']} {_PATH_PARAMETER.sub('{}', entry['path'])}"


def _unique(calls: list[str], key: Callable[[str], str]) -> dict[str, str]:
    """Key -> call path, for keys that exactly one of ``calls`` has."""
    found: dict[str, list[str]] = {}
    for call in calls:
        found.setdefault(key(call), []).append(call)
    return {ident: matches[0] for ident, matches in found.items() if len(matches) == 1}


def match_operations(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Old call path -> new call path of the same operation.

    In order: the same call path calling the same endpoint; the same operationId (unique on both
    sides); the same call path; the same method and path with parameter names left out (unique).
    """
    pairs: dict[str, str] = {}
    keys: list[tuple[Callable[[str], str], Callable[[str], str]]] = [
        (lambda call: f"{call} {_endpoint(old[call])}", lambda call: f"{call} {_endpoint(new[call])}"),
        (lambda call: str(old[call]["operationId"]), lambda call: str(new[call]["operationId"])),
        (lambda call: call, lambda call: call),
        (lambda call: _loose_endpoint(old[call]), lambda call: _loose_endpoint(new[call])),
    ]
    for old_key, new_key in keys:
        left = sorted(old.keys() - pairs.keys())
        right = sorted(new.keys() - set(pairs.values()))
        before, after = _unique(left, old_key), _unique(right, new_key)
        for ident in sorted(before.keys() & after.keys()):
            pairs[before[ident]] = after[ident]
    return pairs


def diff_surfaces(old: Surface, new: Surface) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted: breaking first, then by call path."""
    before, after = old["operations"], new["operations"]
    pairs = match_operations(before, after)
    changes: list[Change] = []
    for call in sorted(before):
        target = pairs.get(call)
        if target is None:
            changes.append(Change.of(call, ("operation", "", "removed"), breaking=True))
            continue
        if target != call:
            changes.append(Change.of(call, ("operation", "", "renamed"), f"now {mdcode(target)}", breaking=True))
        changes.extend(operation_changes(target, before[call], after[target]))
    changes.extend(
        Change.of(call, ("operation", "", "added"), mdcode(_endpoint(after[call])), breaking=False)
        for call in sorted(after.keys() - set(pairs.values()))
    )
    return sorted(changes, key=lambda change: (not change.breaking, LEVELS.index(change.level) * -1, change))
