"""The progress line: shown in place on a terminal, nothing at all elsewhere; the command's final summary."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from clientgen.progress import Progress

REPO = Path(__file__).resolve().parents[1]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_terminal_sees_each_stage_rewritten_in_place() -> None:
    stream, clock = FakeTerminal(), Clock()
    progress = Progress(stream, clock=clock, tick=None)
    progress.stage("ingest", detail="spec.json")
    clock.now = 1.5
    progress.stage("normalize", 4, 9, "allof")
    progress.close()
    written = stream.getvalue()
    assert written == "\r\x1b[K[  0.0s] ingest spec.json\r\x1b[K[  1.5s] normalize 4/9 allof\r\x1b[K"
    assert "\n" not in written  # one line, rewritten: never scrolls


def test_updates_within_a_stage_are_throttled_but_the_last_one_shows() -> None:
    stream, clock = FakeTerminal(), Clock()
    progress = Progress(stream, clock=clock, tick=None)
    for done in range(1, 1001):
        clock.now += 0.0001
        progress.stage("render", done, 1000, "operations")
    shown = [part for part in stream.getvalue().split("\r\x1b[K") if part]
    assert shown[0].endswith("render 1/1000 operations")
    assert shown[-1].endswith("render 1000/1000 operations")
    assert len(shown) == 2  # 0.1 s of updates: the first and the finished one


def test_the_time_ticks_while_a_stage_waits() -> None:
    """A stage that reports nothing for a while (the model generator's subprocess) still shows the clock run."""
    stream, clock = FakeTerminal(), Clock()
    progress = Progress(stream, clock=clock, tick=None)
    progress.stage("models", detail="datamodel-code-generator on 2281 components")
    clock.now = 0.3
    progress.refresh()  # younger than a tick: not rewritten
    for now in (0.6, 1.2, 1.8):
        clock.now = now
        progress.refresh()
    shown = [part for part in stream.getvalue().split("\r\x1b[K") if part]
    assert [part[:8] for part in shown] == ["[  0.0s]", "[  0.6s]", "[  1.2s]", "[  1.8s]"]
    assert all(part.endswith("models datamodel-code-generator on 2281 components") for part in shown)


def test_the_timer_thread_rewrites_the_line_without_being_asked() -> None:
    stream = FakeTerminal()
    progress = Progress(stream, tick=0.01)
    progress.stage("models", detail="waiting")
    deadline = time.monotonic() + 60  # a bound, not a measurement: the thread gets its turn long before
    while stream.getvalue().count("models waiting") < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    progress.close()
    assert stream.getvalue().count("models waiting") >= 3
    assert stream.getvalue().endswith("\r\x1b[K")  # closed: the line is cleared and the thread stopped
    written = stream.getvalue()
    time.sleep(0.05)
    assert stream.getvalue() == written


def test_nothing_is_written_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    progress.stage("ingest")
    progress.stage("render", 1, 2, "operations")
    progress.close()
    assert not progress.enabled
    assert stream.getvalue() == ""


def test_the_command_prints_only_the_summary_when_piped(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    result = subprocess.run(
        [sys.executable, "-m", "clientgen", "generate", "--out", str(tmp_path / "out")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress, no escape codes in a pipe
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"generated 1 operations into {tmp_path / 'out'} in ")
    assert "1 typed, 0 untyped;" in line
    assert " models, " in line
    assert " files; 0 warnings, " in line
