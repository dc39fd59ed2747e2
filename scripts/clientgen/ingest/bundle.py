"""Bundle a document's references to other local files into its ``components``.

Later passes only understand internal references (``#/...``), so references to other
files are *bundled*: the target is copied into the main document's ``components`` and the
reference rewritten.  References inside a bundled file are relative to that file.  Only
files inside the main document's folder are read — a spec must not be able to make the
generator read ``/etc/passwd`` or fetch a URL — and nothing is ever fetched from the
network.

Placement: a target that is itself ``/components/<section>/<name>`` of another file goes to
the same section under ``<name>``; any other target (a whole file, ``#/definitions/X``)
goes to the section the referring site implies (a ``parameters`` entry to
``parameters``, a response to ``responses``, ..., anything else to ``schemas``) under the
last pointer token, or the file stem.  Names are sanitised to ``[A-Za-z0-9._-]`` and made
unique with ``_2``, ``_3``... in document order.  Path items have no component section in
3.0, so an external path item is inlined in place.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from clientgen.diagnostics import SpecError, escape_pointer_token

from .parsing import parse_file
from .refs import PointerError, Token, clone, iter_refs, resolve_fragment, to_pointer

__all__ = ["bundle"]

_SECTIONS = frozenset(
    {"schemas", "responses", "parameters", "examples", "requestBodies", "headers", "links", "callbacks"}
)
_SITE_SECTIONS = {
    "responses": "responses",
    "headers": "headers",
    "examples": "examples",
    "links": "links",
    "callbacks": "callbacks",
}
_INLINE = "inline"


def _site_section(context: tuple[Token, ...]) -> str:
    """Which components section an object found at ``context`` belongs to."""
    last = context[-1] if context else ""
    parent = context[-2] if len(context) > 1 else ""
    grand = context[-3] if len(context) > 2 else ""
    if len(context) == 2 and parent in ("paths", "webhooks"):
        return _INLINE
    if grand == "components" and isinstance(parent, str) and parent in _SECTIONS:
        return parent
    if parent == "parameters" and isinstance(last, int):
        return "parameters"
    if last == "requestBody":
        return "requestBodies"
    if isinstance(parent, str) and parent in _SITE_SECTIONS and grand != "properties":
        return _SITE_SECTIONS[parent]
    return "schemas"


def _sanitize(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name).strip("._") or "component"


class _Bundler:
    """One bundling run: loaded files, bundled targets and new components."""

    def __init__(self, main: Path, document: dict[str, Any]) -> None:
        self.main = main.resolve()
        self.root = self.main.parent
        self.document = document
        self.files: dict[Path, Any] = {self.main: document}
        self.done: dict[tuple[Path, str], str] = {}
        self.inlining: set[tuple[Path, str]] = set()
        self.added: dict[str, dict[str, Any]] = {}

    def run(self) -> None:
        self._rewrite(self.main, self.document, (), "")
        components = self.document.get("components", {})
        if self.added and not isinstance(components, dict):
            raise SpecError(self.main, "components must be an object", pointer="/components")
        for section, entries in self.added.items():
            existing = components.get(section, {})
            if not isinstance(existing, dict):
                raise SpecError(self.main, f"components/{section} must be an object", pointer=f"/components/{section}")
            components[section] = {**existing, **entries}
        if self.added:
            self.document["components"] = components

    def _rewrite(self, file: Path, node: Any, context: tuple[Token, ...], source: str) -> None:
        """Rewrite, in place, every reference below ``node`` that leaves the main document."""
        for tokens, holder in list(iter_refs(node)):
            ref = holder["$ref"]
            if file == self.main and ref.startswith("#"):
                continue
            where = source + to_pointer([*tokens, "$ref"])
            target, fragment = self._locate(file, ref, where)
            if target == self.main:
                holder["$ref"] = "#" + fragment
            elif _site_section((*context, *tokens)) == _INLINE:
                content = self._inline(target, fragment, (*context, *tokens), file, where)
                siblings = {key: value for key, value in holder.items() if key != "$ref"}
                holder.clear()
                holder.update({**content, **siblings})
            else:
                site = (*context, *tokens)
                holder["$ref"] = self._bundle(target, fragment, site, file, where)

    def _locate(self, file: Path, ref: str, where: str) -> tuple[Path, str]:
        location, _, fragment = ref.partition("#")
        parts = urlsplit(location)
        if parts.scheme or parts.netloc or location.startswith(("/", "\\")):
            raise SpecError(
                file, f"refusing external $ref {ref!r}: only files next to the spec are read", pointer=where
            )
        target = (file.parent / unquote(location)).resolve() if location else file
        if not target.is_relative_to(self.root):
            raise SpecError(file, f"refusing external $ref {ref!r}: outside the spec's folder", pointer=where)
        if fragment and not unquote(fragment).startswith("/"):
            raise SpecError(
                file, f"unsupported $ref {ref!r}: only JSON pointer fragments are understood", pointer=where
            )
        if not target.is_file():
            raise SpecError(file, f"$ref {ref!r}: file not found", pointer=where)
        return target, unquote(fragment)

    def _target(self, target: Path, fragment: str, file: Path, ref_where: str) -> Any:
        if target not in self.files:
            self.files[target] = parse_file(target)
        try:
            return resolve_fragment(self.files[target], fragment)
        except PointerError as error:
            raise SpecError(file, f"dangling $ref into {target.name}: {error}", pointer=ref_where) from None

    def _bundle(self, target: Path, fragment: str, context: tuple[Token, ...], file: Path, where: str) -> str:
        key = (target, fragment)
        if key in self.done:
            return self.done[key]
        content = clone(self._target(target, fragment, file, where))
        section, name = self._place(target, fragment, context)
        self.added.setdefault(section, {})[name] = content
        self.done[key] = f"#/components/{section}/{escape_pointer_token(name)}"
        self._rewrite(target, content, ("components", section, name), fragment)
        return self.done[key]

    def _inline(self, target: Path, fragment: str, context: tuple[Token, ...], file: Path, where: str) -> Any:
        key = (target, fragment)
        if key in self.inlining:
            raise SpecError(file, "recursive $ref between path items", pointer=where)
        content = clone(self._target(target, fragment, file, where))
        if not isinstance(content, dict):
            raise SpecError(file, "a path item $ref must point to an object", pointer=where)
        self.inlining.add(key)
        self._rewrite(target, content, context, fragment)
        self.inlining.discard(key)
        return content

    def _place(self, target: Path, fragment: str, context: tuple[Token, ...]) -> tuple[str, str]:
        tokens = [token.replace("~1", "/").replace("~0", "~") for token in fragment.split("/")[1:]]
        if len(tokens) == 3 and tokens[0] == "components" and tokens[1] in _SECTIONS:
            section, base = tokens[1], tokens[2]
        else:
            section, base = (_site_section(context), tokens[-1] if tokens else target.stem)
        existing = self.document.get("components", {})
        taken = set(existing.get(section, {}) if isinstance(existing, dict) else {})
        taken |= set(self.added.get(section, {}))
        name, counter = _sanitize(base), 1
        while name in taken:
            counter += 1
            name = f"{_sanitize(base)}_{counter}"
        return section, name


def bundle(main: Path, document: dict[str, Any]) -> None:
    """Rewrite, in place, every reference of ``document`` (loaded from ``main``) to another file."""
    _Bundler(main, document).run()
