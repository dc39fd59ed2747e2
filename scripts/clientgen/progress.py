"""Progress on a terminal: the current stage and how far it got, on one line rewritten in place.

Shown only when the stream is a terminal: in CI or a pipe nothing is written until the final
summary, which the command line prints itself.  Updates within a stage are written at most
every 0.1 s (rendering 1,500 operations does not mean 1,500 writes); a new stage always shows.
A timer thread rewrites the line every second while nothing else does, so a long wait (the
model generator on 2,000 components takes half a minute) shows the clock running, not a hang.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

__all__ = ["Progress"]

_MIN_INTERVAL_S = 0.1
_TICK_S = 0.5  # the line is rewritten when it is this old, checked every quarter of it: always within a second
_CLEAR_LINE = "\r\x1b[K"


class Progress:
    """``stage("normalize", 4, 9, "inline_refs")`` -> ``[ 3.1s] normalize 4/9 inline_refs`` on one line."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.perf_counter,
        tick: float | None = _TICK_S,
    ) -> None:
        """``enabled`` defaults to whether ``stream`` (default: stderr) is a terminal; ``tick=None``: no timer."""
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._clock = clock
        self.started = self._clock()
        self._shown_stage = ""
        self._shown_at = float("-inf")
        self._shown: tuple[str, str] = ("", "")  # the line after its time: stage and count, detail
        self._dirty = False
        self._lock = threading.Lock()  # the timer thread and the pipeline write the same line
        self._tick = tick
        self._stopped = threading.Event()
        self._timer: threading.Thread | None = None

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
        with self._lock:
            self._shown = (f"{name}{count}", detail)
            self._write(now)
            self._shown_stage = name
        if self._timer is None and self._tick is not None:
            self._timer = threading.Thread(target=self._run_timer, name="clientgen-progress", daemon=True)
            self._timer.start()

    def refresh(self) -> None:
        """Rewrite the line with the current time if it was last written a tick ago or more (the timer's step)."""
        with self._lock:
            now = self._clock()
            if self._dirty and now - self._shown_at >= (self._tick or _TICK_S):
                self._write(now)

    def close(self) -> None:
        """Remove the progress line, so that the summary or an error starts on a clean line."""
        self._stopped.set()
        if self._timer is not None:
            self._timer.join()
        with self._lock:
            if self.enabled and self._dirty:
                self.stream.write(_CLEAR_LINE)
                self.stream.flush()
                self._dirty = False

    def _write(self, now: float) -> None:
        what, detail = self._shown
        line = f"[{now - self.started:5.1f}s] {what}{' ' + detail if detail else ''}"
        self.stream.write(_CLEAR_LINE + line[: _width()])
        self.stream.flush()
        self._shown_at, self._dirty = now, True

    def _run_timer(self) -> None:
        tick = self._tick or _TICK_S
        while not self._stopped.wait(tick / 4):
            self.refresh()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def _width() -> int:
    """One line shorter than the terminal, so that the line never wraps (a wrapped line is not rewritten)."""
    return max(20, shutil.get_terminal_size().columns - 1)
