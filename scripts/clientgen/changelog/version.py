"""The generated package's version: the config's, or the previous one bumped by what changed.

Semantic versioning from the client user's point of view: ``major`` for a breaking change,
``minor`` for new things, ``patch`` for the rest.  Before 1.0.0 every level moves one step
down (semver item 4, as Cargo and most Python projects read it): a breaking change bumps
the minor number (0.3.1 -> 0.4.0), anything else the patch number (0.3.1 -> 0.3.2); the
major number only changes when someone sets 1.0.0 in ``spec/config.toml``.
"""

from __future__ import annotations

import re

__all__ = ["applied_level", "bump", "choose_version", "release_tuple"]

_RELEASE = re.compile(r"\d+(\.\d+)*")


def release_tuple(version: str) -> tuple[int, int, int]:
    """``1.2`` -> (1, 2, 0); pre-release and other suffixes are ignored."""
    match = _RELEASE.match(version)
    numbers = [int(part) for part in match.group(0).split(".")] if match else [0]
    return (numbers + [0, 0, 0])[0], (numbers + [0, 0, 0])[1], (numbers + [0, 0, 0])[2]


def applied_level(version: str, level: str) -> str:
    """The level actually bumped for a suggested ``level`` (one step lower before 1.0.0)."""
    if release_tuple(version)[0] > 0:
        return level
    return {"major": "minor", "minor": "patch", "patch": "patch"}[level]


def bump(version: str, level: str) -> str:
    major, minor, patch = release_tuple(version)
    applied = applied_level(version, level)
    if applied == "major":
        return f"{major + 1}.0.0"
    if applied == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def choose_version(configured: str, previous: str | None, level: str | None) -> str:
    """The higher of the config's version and the previous generation's (bumped when the API changed).

    Equal release numbers keep the previous generation's string: regenerating an unchanged API
    never changes the version.
    """
    if previous is None:
        return configured
    candidate = bump(previous, level) if level is not None else previous
    return configured if release_tuple(configured) > release_tuple(candidate) else candidate
