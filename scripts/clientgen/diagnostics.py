"""Errors and warnings as values.

A :class:`Diagnostic` is something the pipeline noticed about the source document: a
decision it took (``info``), a degradation (``warning``) or a fatal problem (``error``).
Diagnostics are collected into the generation report; ``--strict`` turns warnings into
failures.  A :class:`SpecError` is raised for input the pipeline cannot work with: its
``str()`` is one line naming the file and where in it (line or JSON pointer).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Diagnostic", "Diagnostics", "Level", "SpecError", "escape_pointer_token"]


class Level(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, located by JSON pointer in the ingested document."""

    pointer: str
    code: str
    message: str
    level: Level = Level.INFO

    def as_dict(self) -> dict[str, str]:
        return {"level": str(self.level), "code": self.code, "pointer": self.pointer, "message": self.message}


@dataclass
class Diagnostics:
    """An ordered, de-duplicated collection of findings."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, pointer: str, code: str, message: str, level: Level = Level.INFO) -> None:
        self.items.append(Diagnostic(pointer, code, message, level))

    def warn(self, pointer: str, code: str, message: str) -> None:
        self.add(pointer, code, message, Level.WARNING)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def count(self, level: Level) -> int:
        return sum(1 for item in set(self.items) if item.level is level)


class SpecError(Exception):
    """Input the pipeline refuses.  ``str()`` is a single line: ``file:line: message`` or ``file#/pointer: message``."""

    def __init__(self, file: Path | str, message: str, *, line: int | None = None, pointer: str | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.pointer = pointer
        self.message = _one_line(message)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = _one_line(self.file, MAX_WHERE_CHARS)
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer is not None:
            where += "#" + _one_line(self.pointer, MAX_WHERE_CHARS)
        return f"{where}: {self.message}"


MAX_MESSAGE_CHARS = 1000
MAX_WHERE_CHARS = 500
_UNPRINTABLE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """One line of at most ``limit`` characters, whatever the cause said.

    Runs of whitespace become one space, other unprintable characters an escape, so that a
    message quoting spec text can neither break the line nor grow without bound.
    """
    text = " ".join(text[: limit * 4].split())
    text = _UNPRINTABLE.sub(_escape, text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    text = str(token)
    if "~" not in text and "/" not in text:  # nearly always: called for every node the passes walk
        return text
    return text.replace("~", "~0").replace("/", "~1")
