"""Per-call cost of the seed operation (``rollback``): our client vs raw httpx vs the official SDK, in one run.

    make bench-call                  # or: python benchmarks/bench_call.py [--calls N] [--rounds R]
    python benchmarks/bench_call.py --profile    # where our client spends its time (MockTransport)

Baseline (the floor): raw ``httpx.Client.post`` + ``json.loads`` of the body, no checks at
all.  Rows: this repository's ``cloudflare_client`` in both modes (envelope checked, result fully
validated by pydantic; strict, ``strict_response_validation=True``, raises on a mismatch, lenient,
the default, keeps the value as received and logs a WARNING) and the official ``cloudflare``
package, 5.9.0 from PyPI, installed into its own virtualenv (``.bench-venv/``, gitignored; if
that fails, the row says why and the others still run).

Two answers: a keep-alive loopback server in its own process (``_loopback_server.py``;
CPU is the client process's only, wall includes the server) and ``httpx.MockTransport``
(CPU only, no socket).  Each client runs in a fresh process (``_call_worker.py``); every
row runs once per round, rounds interleave, and the best round counts (the least
disturbed by whatever else the machine does).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
BENCH_VENV = ROOT / ".bench-venv"
OFFICIAL = "cloudflare==5.9.0"
TARGETS = ("loopback", "mock")


@dataclass
class Row:
    kind: str
    label: str
    python: Path | None  # None: the row cannot run (reason in ``skipped``)
    env: dict[str, str]
    skipped: str = ""


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _official_python() -> tuple[Path | None, str]:
    """The benchmark virtualenv's interpreter with ``cloudflare==5.9.0`` installed (created on first use)."""
    python = _venv_python(BENCH_VENV)
    probe = [str(python), "-c", "import cloudflare; print(cloudflare.__version__)"]
    version = OFFICIAL.split("==")[1]
    if python.exists():
        found = subprocess.run(probe, capture_output=True, text=True, check=False).stdout.strip()
        if found == version:
            return python, ""
    print(f"installing {OFFICIAL} into {BENCH_VENV.relative_to(ROOT)}/ (once) ...", flush=True)
    steps = [
        [sys.executable, "-m", "venv", str(BENCH_VENV)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", OFFICIAL],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"{' '.join(step[:4])} failed: {error}"
        if done.returncode != 0:
            lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
            return None, f"{' '.join(step[:4])} failed: {lines[-1] if lines else f'exit {done.returncode}'}"
    if subprocess.run(probe, capture_output=True, text=True, check=False).stdout.strip() != version:
        return None, f"{OFFICIAL} installed but does not import"
    return python, ""


def _rows(*, official: bool) -> list[Row]:
    base = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "CLOUDFLARE_LOG"}}
    ours_env = {**base, "PYTHONPATH": str(ROOT / "generated" / "src")}
    rows = [
        Row("floor", "raw httpx + json.loads (baseline)", Path(sys.executable), base),
        Row("ours-strict", "cloudflare_client, strict validation", Path(sys.executable), ours_env),
        Row("ours", "cloudflare_client, lenient (its default)", Path(sys.executable), ours_env),
    ]
    if official:
        python, reason = _official_python()
        rows.append(Row("official", f"cloudflare {OFFICIAL.split('==')[1]} (official SDK)", python, base, reason))
    return rows


def _run(row: Row, target: str, calls: int) -> dict[str, float] | str:
    assert row.python is not None
    command = [str(row.python), str(HERE / "_call_worker.py"), row.kind, target, str(calls)]
    done = subprocess.run(command, capture_output=True, text=True, env=row.env, cwd=HERE, timeout=900, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else f"exit {done.returncode}"
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(HERE / "_loopback_server.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE,
    )
    assert server.stdout is not None
    return server, f"http://127.0.0.1:{server.stdout.readline().strip()}/client/v4"


def measure(rows: list[Row], calls: int, rounds: int) -> dict[tuple[str, str, str], float]:
    best: dict[tuple[str, str, str], float] = {}
    server, url = _start_server()
    try:
        for number in range(1, rounds + 1):
            print(f"round {number}/{rounds} ...", flush=True)
            for row in rows:
                if row.python is None:
                    continue
                for target in TARGETS:
                    result = _run(row, url if target == "loopback" else "mock", calls)
                    if isinstance(result, str):
                        row.python, row.skipped = None, f"the worker failed: {result}"
                        break
                    for metric, value in result.items():
                        key = (row.kind, target, metric)
                        best[key] = min(best.get(key, value), value)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)
    return best


def report(rows: list[Row], best: dict[tuple[str, str, str], float], calls: int, rounds: int) -> None:
    columns = [("loopback", "cpu_us", "loopback CPU"), ("loopback", "wall_us", "loopback wall"),
               ("mock", "cpu_us", "MockTransport CPU")]  # fmt: skip
    print()
    print(f"per-call cost of client.pages.projects.deployments.rollback (POST, {calls} calls, best of {rounds} rounds)")
    print(f"python {platform.python_version()}, httpx {httpx.__version__}, {platform.machine()}")
    print("baseline (1.00x): raw httpx + json.loads; microseconds per call, ratio to the baseline")
    header = f"{'':42}" + "".join(f"{title:>24}" for _, _, title in columns)
    print(header)
    for row in rows:
        if row.skipped:
            print(f"{row.label:42}  skipped: {row.skipped}")
            continue
        cells = []
        for target, metric, _ in columns:
            value, floor = best.get((row.kind, target, metric)), best.get(("floor", target, metric))
            cells.append(f"{value:10.0f} us {value / floor:6.2f}x" if value and floor else f"{'n/a':>21}")
        print(f"{row.label:42}" + "".join(f"{cell:>24}" for cell in cells))


def profile(calls: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated" / "src")}
    command = [sys.executable, str(HERE / "_call_worker.py"), "ours", "mock", str(calls), "--profile"]
    subprocess.run(command, env=env, cwd=HERE, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per worker (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; the best counts (default 5)")
    parser.add_argument("--no-official", action="store_true", help="skip the official SDK row")
    parser.add_argument("--profile", action="store_true", help="profile our client instead (MockTransport)")
    arguments = parser.parse_args()
    if arguments.profile:
        profile(arguments.calls)
        return
    rows = _rows(official=not arguments.no_official)
    best = measure(rows, arguments.calls, arguments.rounds)
    report(rows, best, arguments.calls, arguments.rounds)


if __name__ == "__main__":
    main()
