"""Run a command in a child process and report its wall time, CPU time and peak memory.

Peak memory comes from ``getrusage(RUSAGE_CHILDREN)`` in a fresh intermediate process, so
each measurement sees only its own command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["Measurement", "measure"]

_PROBE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss}))
"""


@dataclass(frozen=True)
class Measurement:
    name: str
    exit_code: int
    wall_s: float
    cpu_s: float
    peak_mb: float


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Measurement:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *command], capture_output=True, text=True, env=env, check=True
    )
    data = json.loads(result.stdout)
    return Measurement(name, data["code"], data["wall"], data["cpu"], data["peak_kb"] / 1024)
