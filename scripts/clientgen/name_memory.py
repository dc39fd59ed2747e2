"""Name memory: a model keeps the name and module it had while its content exists.

Names come from content and use (:mod:`clientgen.normalize.naming`), which keeps them stable
under renamed keys and unrelated additions, but not under related changes: when Cloudflare
flips a schema between two forms, two contents compete for one name and the winner can
change; a content gaining a use can gain a better name; a model a second top-level resource
starts using moves to ``shared``.  Each generation therefore writes ``names.json``: per model,
its content key (the hoist pass's hash of its canonical content, parts by their own content
keys) -> module and class, plus the older modules it is still re-exported from.  The next
generation reads it from the previous generation (the folder ``api.json`` is read from) and

* hands every remembered content its remembered class name before any contest, so new
  contents are named by the usual rule among the names left (never by iteration order);
* keeps a remembered model in its module while it can live there (``shared`` can hold
  anything; a resource's module only models of that resource alone); one that must leave
  goes to ``shared`` and its old module re-exports it, so ``from pkg.types.<old> import X``
  keeps working, for as long as the content exists.

A kept name can read wrong after its uses changed (``TimeseriesGroupOs`` returned now only by
``…/os``): stability wins, as a review diff wants; the name changes with the content.  The
same spec generated after its own generation finds every content remembered under the name it
has, so regenerating changes no byte.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError
from clientgen.layout import NAMES_FILE, previous_index_file

__all__ = ["NAMES_FILE", "NameMemory", "Remembered", "names_json", "read_names"]

NAMES_FORMAT = 1
_MODULE = re.compile(r"[a-z_][a-z0-9_]{0,59}")  # the generator's own modules start with "_" (``_internal``)
_CLASS = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,99}")  # as the model generator wrote it
_COMPONENT = re.compile(r"[A-Z][A-Za-z0-9]{0,59}")  # as naming made it (ClassName: no underscore)
_KEY = re.compile(r"[A-Za-z0-9-]{1,200}")


@dataclass(frozen=True)
class Remembered:
    """Where one content's model was: ``<package>.types.<module>.<class_name>``, also importable from ``aliases``.

    ``component`` is the name naming gave it, when the model generator wrote another class name (a union
    ``ListItem`` becomes the root model ``ListItemModel3`` beside its variants): naming keeps that one.
    """

    class_name: str
    module: str
    aliases: tuple[str, ...] = ()
    component: str | None = None

    @property
    def name(self) -> str:
        """The component name to keep."""
        return self.component or self.class_name

    def as_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"class": self.class_name, "module": self.module}
        if self.aliases:
            entry["aliases"] = list(self.aliases)
        if self.component and self.component != self.class_name:
            entry["component"] = self.component
        return entry


@dataclass
class NameMemory:
    """The previous generation's models by content key, and this generation's component -> content key."""

    previous: dict[str, Remembered] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # set by the hoist pass

    def class_names(self) -> dict[str, str]:
        """Content key -> remembered class name."""
        return {key: entry.name for key, entry in self.previous.items()}

    def by_component(self) -> dict[str, Remembered]:
        """Component (this generation's name) -> what the previous generation remembered of its content."""
        return {name: self.previous[key] for name, key in self.keys.items() if key in self.previous}


def read_names(folder: Path | None) -> dict[str, Remembered]:
    """The models of the previous generation in ``folder``: none without a folder, a file or of another format."""
    path = previous_index_file(folder, NAMES_FILE) if folder is not None else None
    if path is None or not path.is_file():
        return {}
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        message = f"cannot read the previous generation's names ({error}); delete it to name models afresh"
        raise SpecError(path, message) from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("models"), dict):
        raise SpecError(path, "not a names file written by clientgen; delete it to name models afresh")
    if loaded.get("format") != NAMES_FORMAT:
        return {}  # clientgen changed what a content key means: its names would not match any content
    models: dict[str, Remembered] = {}
    for key, entry in sorted(loaded["models"].items()):
        remembered = _entry(entry) if _KEY.fullmatch(key) else None
        if remembered is None:
            pointer = "/models/" + key.replace("~", "~0").replace("/", "~1")
            message = "not a model entry written by clientgen (class, module); delete the file to name afresh"
            raise SpecError(path, message, pointer=pointer)
        models[key] = remembered
    return models


def _entry(entry: Any) -> Remembered | None:
    """A valid entry (names that are safe identifiers: the file is input like any other), else None."""
    if not isinstance(entry, dict) or set(entry) - {"class", "module", "aliases", "component"}:
        return None
    class_name, module, aliases = entry.get("class"), entry.get("module"), entry.get("aliases", [])
    component = entry.get("component", class_name)
    if not isinstance(class_name, str) or not _CLASS.fullmatch(class_name) or keyword.iskeyword(class_name):
        return None
    if not isinstance(component, str) or not _COMPONENT.fullmatch(component) or keyword.iskeyword(component):
        return None
    if not isinstance(aliases, list) or not all(_is_module(name) for name in [module, *aliases]):
        return None
    return Remembered(class_name, str(module), tuple(sorted(set(aliases))), component)


def _is_module(name: Any) -> bool:
    return isinstance(name, str) and bool(_MODULE.fullmatch(name)) and not keyword.iskeyword(name)


def names_json(models: dict[str, Remembered]) -> str:
    """``names.json``: one line per model, sorted by content key, so a renamed model is one changed line."""
    lines = [
        f"  {json.dumps(key)}: {json.dumps(entry.as_dict(), sort_keys=True, ensure_ascii=True)}"
        for key, entry in sorted(models.items())
    ]
    body = ",\n".join(lines)
    return (
        f'{{\n "format": {NAMES_FORMAT},\n "models": {{\n{body}\n }}\n}}\n'
        if lines
        else (f'{{\n "format": {NAMES_FORMAT},\n "models": {{}}\n}}\n')
    )
