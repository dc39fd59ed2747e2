"""Path keys that are not URL path templates, made into templates or set aside one operation at a time.

Real descriptions hold keys such as ``/responses?beta=true`` (a literal query the endpoint needs) and
``/oauth2/token#refresh`` (a fragment that tells two operations on one URL apart).  Neither is a path
template, but refusing the whole API for one of them would throw away every other operation:

* a literal query becomes its path plus fixed query parameters, recorded on each operation as
  ``x-clientgen-fixed-query`` (sent on every call, before any argument of the same name);
* a fragment is dropped: ``#refresh`` only ever named the operation;
* if the path that remains already has an operation with the same method, or still is not a
  template, that operation is skipped and listed in ``x-clientgen-skipped`` (the normalizer reports
  it in ``report.json``; ``--strict`` fails on it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from clientgen.diagnostics import SpecError

from .refs import to_pointer
from .structure import METHODS, SKIPPED, template_names

__all__ = ["FIXED_QUERY", "SKIPPED", "repair_odd_paths"]

FIXED_QUERY = "x-clientgen-fixed-query"


def _split(path: str) -> tuple[str, list[tuple[str, str]]]:
    base, _, _fragment = path.partition("#")
    base, _, query = base.partition("?")
    return base, parse_qsl(query, keep_blank_values=True)


def _merged_parameters(item: dict[str, Any], operation: dict[str, Any]) -> list[Any]:
    own = list(operation.get("parameters") or [])
    names = {(entry.get("name"), entry.get("in")) for entry in own if isinstance(entry, dict)}
    shared = [
        entry
        for entry in item.get("parameters") or []
        if not (isinstance(entry, dict) and (entry.get("name"), entry.get("in")) in names)
    ]
    return shared + own


def repair_odd_paths(file: Path | str, document: dict[str, Any]) -> None:
    """Rewrite path keys holding ``?`` or ``#`` in place; skipped operations listed under ``SKIPPED``."""
    paths: dict[str, Any] = document["paths"]
    odd = sorted(path for path in paths if isinstance(path, str) and ("?" in path or "#" in path))
    if not odd:
        return
    skipped: list[dict[str, str]] = list(document.get(SKIPPED) or [])
    for path in odd:
        item = paths.pop(path)
        base, query = _split(path)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            pointer = to_pointer(["paths", path, method])
            try:
                template_names(file, base, pointer)
            except SpecError as error:
                skipped.append({"pointer": pointer, "reason": error.message})
                continue
            target = paths.setdefault(base, {})
            if not isinstance(target, dict) or method in target:
                reason = f"{method.upper()} {base} is declared twice once {path!r} loses its query or fragment"
                skipped.append({"pointer": pointer, "reason": reason})
                continue
            moved = {**operation, "parameters": _merged_parameters(item, operation)}
            if query:
                moved[FIXED_QUERY] = dict(query)
            if not moved["parameters"]:
                del moved["parameters"]
            target[method] = moved
    if skipped:
        document[SKIPPED] = skipped
