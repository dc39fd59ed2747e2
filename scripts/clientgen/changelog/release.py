"""One release of the generated package: its version, and CHANGELOG.md with a section for what changed.

``make generate`` compares the new API surface with the one the previous generation wrote
(``api.json`` in the output folder) and prepends a section to that generation's
``CHANGELOG.md``.  Nothing in it depends on the clock: regenerating an unchanged spec writes
the same version, the same ``api.json`` and the same ``CHANGELOG.md``, byte for byte.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from clientgen.cache import Cache
from clientgen.cached_json import json_text
from clientgen.changelog.diff import Change, bump_level, diff_surfaces
from clientgen.changelog.surface import SURFACE_FORMAT, OperationEntry, Surface, api_surface, operation_entry
from clientgen.changelog.version import applied_level, choose_version
from clientgen.diagnostics import SpecError
from clientgen.jsontext import dumps_sorted
from clientgen.layout import CHANGELOG_FILE, SURFACE_FILE, previous_index_file
from clientgen.model.api import Api
from clientgen.render import make_environment, mdcode

__all__ = [
    "CHANGELOG_FILE",
    "SURFACE_FILE",
    "Previous",
    "Release",
    "plan_release",
    "read_previous",
    "render_section",
    "write_release",
]

_SECTION_START = "\n## "
FOLD_AT = 3  # calls with the same change, from which they share one entry
_TITLES = {"major": "Breaking changes", "minor": "Additions", "patch": "Other changes"}


@dataclass(frozen=True)
class Previous:
    """What the previous generation left: its surface, its version and its changelog's sections."""

    surface: Surface | None  # None: no previous generation, or one whose surface cannot be compared
    sections: str  # everything from the first ``## `` heading on; empty when there is none
    version: str | None = None


@dataclass(frozen=True)
class Release:
    version: str
    level: str | None  # the suggested bump; None when the API did not change (or on a first generation)
    changes: list[Change]
    surface: Surface
    changelog: str  # the whole CHANGELOG.md

    def surface_json(self) -> str:
        return _surface_text(self.surface)


def _surface_text(surface: Surface) -> str:
    return dumps_sorted(surface, indent=1, ensure_ascii=False) + "\n"


def read_previous(folder: Path | None) -> Previous:
    """The previous generation in ``folder``; an empty one when there is none (or no folder)."""
    if folder is None:
        return Previous(None, "")
    surface_file, changelog_file = previous_index_file(folder, SURFACE_FILE), folder / CHANGELOG_FILE
    surface: Surface | None = None
    version: str | None = None
    if surface_file.is_file():
        try:
            loaded = json.loads(surface_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            message = f"cannot read the previous API surface ({error}); delete it to start the changelog afresh"
            raise SpecError(surface_file, message) from None
        if not isinstance(loaded, dict) or "operations" not in loaded or not isinstance(loaded.get("version"), str):
            message = "not an API surface written by clientgen; delete it to start the changelog afresh"
            raise SpecError(surface_file, message)
        version = loaded["version"]
        # A surface of another format (clientgen changed how it describes the API) is not compared: the
        # differences would be clientgen's, not the API's.  The version and the changelog carry over.
        surface = loaded if loaded.get("format") == SURFACE_FORMAT else None
    sections = ""
    if changelog_file.is_file():
        text = changelog_file.read_text(encoding="utf-8")
        start = text.find(_SECTION_START)
        sections = text[start + 1 :] if start >= 0 else ""
    return Previous(surface, sections, version)


def _entries(changes: list[Change]) -> list[dict[str, Any]]:
    """Changes of one level grouped into lines: one per call path, noun, verb and detail."""
    lines: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    documentation: list[str] = []
    for change in changes:
        if change.noun == "documentation":
            documentation.append(mdcode(change.call_path))
            continue
        key = (change.call_path, change.noun, change.verb, change.detail)
        line = lines.setdefault(
            key, {"calls": [mdcode(change.call_path)], "noun": change.noun, "verb": change.verb,
                  "detail": change.detail, "subjects": [], "folded": False}
        )  # fmt: skip
        if change.subject:
            line["subjects"].append(mdcode(change.subject))
    entries = _fold(list(lines.values()))
    if documentation:
        entries.append({"calls": documentation, "noun": "documentation", "folded": False})
    return entries


def _fold(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same change to :data:`FOLD_AT` or more calls is one entry: the count, then the calls folded away.

    A schema shared by many operations changes in all of them at once (Cloudflare's 2024-06-18 retyped
    one field in 97 Radar operations): one line says what changed, the list is there for who wants it.
    """

    def change(entry: dict[str, Any]) -> tuple[Any, ...]:
        return entry["noun"], tuple(entry["subjects"]), entry["verb"], entry["detail"]

    same: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for entry in entries:
        same.setdefault(change(entry), []).append(entry)
    folded: list[dict[str, Any]] = []
    for entry in entries:  # a folded entry stands where its first call did
        group = same[change(entry)]
        if len(group) < FOLD_AT:
            folded.append(entry)
        elif group[0] is entry:
            folded.append({**entry, "calls": [call for each in group for call in each["calls"]], "folded": True})
    return folded


def render_section(
    version: str, changes: list[Change], previous: str | None, operations: int, *, heading: str | None = None
) -> str:
    """One ``## version`` section of the changelog (Markdown).

    ``heading`` replaces the version when there is none to know (``make changelog`` between two specs):
    the summary then names no previous version either.
    """
    level = bump_level(changes)
    known = heading is None
    summary = {
        "first": previous is None and known,
        "operations": operations,
        "changes": len(changes),
        "breaking": sum(change.breaking for change in changes),
        "previous": previous if known else None,
        "level": level,
        "applied": applied_level(previous or version, level) if level and known else level,
    }
    groups = [
        {"title": title, "entries": _entries([change for change in changes if change.level == level])}
        for level, title in _TITLES.items()
        if any(change.level == level for change in changes)
    ]
    template = make_environment().get_template("changelog/section.md.jinja")
    return template.render(version=heading or version, summary=summary, groups=groups)


def plan_release(surface: Surface, configured: str, distribution: str, previous: Previous) -> Release:
    """The version and changelog of a generation whose API is ``surface``, after ``previous``."""
    old = previous.surface
    changes = diff_surfaces(old, surface) if old is not None else []
    level = bump_level(changes)
    version = choose_version(configured, previous.version, level)
    surface = {**surface, "version": version}
    sections = previous.sections
    if changes or not sections:
        section = render_section(version, changes, previous.version, len(surface["operations"]))
        sections = section + ("\n" + sections if sections else "")
    template = make_environment().get_template("changelog/CHANGELOG.md.jinja")
    changelog = template.render(distribution=distribution, sections=sections.rstrip("\n"))
    return Release(version=version, level=level, changes=changes, surface=surface, changelog=changelog)


def write_release(  # noqa: PLR0913 - the API, where, and how entries and texts are reused
    api: Api,
    normalized: dict[str, Any],
    previous: Path | None,
    root: Path,
    entry: OperationEntry = operation_entry,
    *,
    cache: Cache | None = None,
) -> Release:
    """The pipeline's step: version the package after ``previous`` (a folder), write api.json and CHANGELOG.md.

    ``entry``: how an operation's surface entry is made (the cache passes one that reuses stored entries);
    ``cache``: api.json's text is taken from it when the surface is the same.
    """
    surface = api_surface(api, normalized, entry)
    release = plan_release(surface, api.config.version, api.config.distribution, read_previous(previous))
    api.config = replace(api.config, version=release.version)
    root.mkdir(parents=True, exist_ok=True)
    (root / SURFACE_FILE).parent.mkdir(parents=True, exist_ok=True)
    text = json_text(cache, "api-surface", release.surface, indent=1)  # as ``release.surface_json()``
    (root / SURFACE_FILE).write_text(text, encoding="utf-8", newline="\n")
    (root / CHANGELOG_FILE).write_text(release.changelog, encoding="utf-8", newline="\n")
    return release
