"""Errors and warnings as values.

A :class:`Diagnostic` is something the pipeline noticed about the source document: a
decision it took (``info``), a degradation (``warning``) or a fatal problem (``error``).
Diagnostics are collected into the generation report; ``--strict`` turns warnings into
failures.  A :class:`SpecError` is raised for input the pipeline cannot work with: its
``str()`` is one line naming the file and where in it (line or JSON pointer).
"""

from __future__ import annotations

import enum
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
        self.message = " ".join(message.split())  # one line, whatever the cause said
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer is not None:
            where += f"#{self.pointer}"
        return f"{where}: {self.message}"


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")
