"""Progress on a terminal: the current stage and how far it got, on one line rewritten in place.

Shown only when the stream is a terminal: in CI or a pipe nothing is written until the final
summary, which the command line prints itself.  Updates within a stage are written at most
every 0.1 s (rendering 1,500 operations does not mean 1,500 writes); a new stage always shows.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]

_MIN_INTERVAL_S = 0.1
_CLEAR_LINE = "\r\x1b[K"


class Progress:
    """``stage("normalize", 4, 9, "inline_refs")`` -> ``[ 3.1s] normalize 4/9 inline_refs`` on one line."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        """``enabled`` defaults to whether ``stream`` (default: stderr) is a terminal."""
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._clock = clock
        self.started = self._clock()
        self._shown_stage = ""
        self._shown_at = float("-inf")
        self._dirty = False

    @property
    def elapsed(self) -> float:
        return self._clock() - self.started

    def stage(self, name: str, done: int | None = None, total: int | None = None, detail: str = "") -> None:
        """Show that ``name`` is running, ``done`` of ``total`` (if counted), with a short ``detail``."""
        if not self.enabled:
            return
        now = self._clock()
        finished = done is not None and done == total
        if name == self._shown_stage and not finished and now - self._shown_at < _MIN_INTERVAL_S:
            return
        count = f" {done}/{total}" if done is not None and total is not None else ""
        line = f"[{now - self.started:5.1f}s] {name}{count}{' ' + detail if detail else ''}"
        self.stream.write(_CLEAR_LINE + line[: _width()])
        self.stream.flush()
        self._shown_stage, self._shown_at, self._dirty = name, now, True

    def close(self) -> None:
        """Remove the progress line, so that the summary or an error starts on a clean line."""
        if self.enabled and self._dirty:
            self.stream.write(_CLEAR_LINE)
            self.stream.flush()
            self._dirty = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def _width() -> int:
    """One line shorter than the terminal, so that the line never wraps (a wrapped line is not rewritten)."""
    return max(20, shutil.get_terminal_size().columns - 1)
