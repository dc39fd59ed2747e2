"""Import and type-check cost of the full-API package, against the floor and the official SDK, in one run.

    make bench-import          # or: python benchmarks/bench_import.py [spec.json]

Generates the whole Cloudflare API (the corpus's openapi-2024-08-06.json, via
CLOUDFLARE_CORPUS) into a temporary folder, then measures in fresh processes (rows interleaved,
several rounds; the best time and the median peak memory count):

* start-up: ``import`` + construct a client + touch ``pages.projects.deployments``;
  baseline: the floor, ``import httpx, pydantic`` and one model;
* first call: the same, then one ``rollback`` call answered in-process (``httpx.MockTransport``):
  what loading the models of that call costs (ours imports them on the first call, not before);
* memory after touching every top-level resource (whatever that imports: ours loads no model);
* ``mypy --strict`` on a four-line user script with a cold cache.

The official ``cloudflare`` package runs from the benchmark's own virtualenv (``.bench-venv``,
shared with bench_call.py); if it cannot be installed its rows say why.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench_call import _official_python

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5

FLOOR = """
import httpx, pydantic
class Deployment(pydantic.BaseModel):
    id: str | None = None
Deployment.model_validate({"id": "x"})
"""
OURS_TOUCH = """
import cloudflare_client
client = cloudflare_client.Client(api_token="t")
client.pages.projects.deployments
"""
OFFICIAL_TOUCH = """
import cloudflare
client = cloudflare.Cloudflare(api_token="t")
client.pages.projects.deployments
"""
FIRST_CALL = """
import httpx
import {module}
DEPLOYMENT = {{"id": "d", "short_id": "s", "project_name": "p"}}
def answer(request):
    return httpx.Response(200, json={{"success": True, "errors": [], "messages": [], "result": DEPLOYMENT}})
client = {module}.{constructor}(api_token="t", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.pages.projects.deployments.rollback(account_id="a", project_name="p", deployment_id="d")
"""
TOUCH_ALL = """
import functools
client = {constructor}
for name, value in sorted(vars(type(client)).items()):
    if isinstance(value, functools.cached_property) and not name.startswith("with_"):
        getattr(client, name)
"""
OURS_CLIENT = "__import__('cloudflare_client').Client(api_token='t')"
OFFICIAL_CLIENT = "__import__('cloudflare').Cloudflare(api_token='t')"
OURS_SCRIPT = """from cloudflare_client import Client

client = Client(api_token="t")
deployment = client.pages.projects.deployments.rollback(account_id="a", project_name="p", deployment_id="d")
print(deployment.id)
"""
OFFICIAL_SCRIPT = """from cloudflare import Cloudflare

client = Cloudflare(api_token="t")
deployment = client.pages.projects.deployments.rollback(account_id="a", project_name="p", deployment_id="d")
print(deployment.id)
"""
_PROBE = """
import json, resource, sys, time
start = time.perf_counter()
exec(compile(sys.argv[1], "<bench>", "exec"))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


@dataclass
class _Probe:
    """``code`` run in fresh interpreters: best seconds and median peak MB, or why it failed."""

    python: Path | str
    code: str
    env: dict[str, str]
    samples: list[dict[str, float]] = field(default_factory=list)
    failed: str = ""

    def run_once(self) -> None:
        if self.failed:
            return
        command = [str(self.python), "-c", _PROBE, self.code]
        result = subprocess.run(command, capture_output=True, text=True, env=self.env, check=False)
        if result.returncode != 0:
            self.failed = (result.stderr.strip().splitlines() or ["failed"])[-1][:80]
        else:
            self.samples.append(json.loads(result.stdout.strip().splitlines()[-1]))  # the probe prints one JSON line

    def result(self) -> tuple[float, float] | str:
        if self.failed:
            return self.failed
        return min(s["seconds"] for s in self.samples), statistics.median(s["peak_kb"] for s in self.samples) / 1024


def _resolved(cell: object) -> object:
    return cell.result() if isinstance(cell, _Probe) else cell


def _run_interleaved(probes: list[_Probe]) -> None:
    """Every probe once per round, rounds interleaved: a busy moment of the machine hits all rows alike."""
    for _ in range(RUNS):
        for probe in probes:
            probe.run_once()


def _mypy(script: str, python: Path | str, env: dict[str, str], folder: Path) -> float | str:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "user_script.py"
    path.write_text(script, encoding="utf-8")
    start = time.perf_counter()
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(folder / "cache"), "--python-executable",
               str(python), str(path)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    return seconds if result.returncode == 0 else f"mypy failed: {result.stdout.strip().splitlines()[-1][:60]}"


def _spec() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    corpus = Path(os.environ.get("CLOUDFLARE_CORPUS", ROOT.parent / "shared"))
    spec = corpus / "corpus" / "cloudflare" / "openapi-2024-08-06.json"
    if not spec.exists():
        sys.exit(f"no spec at {spec}: set CLOUDFLARE_CORPUS=<path to shared/> or pass a spec path")
    return spec


def _cell(value: object, baseline: float | None, unit: str) -> str:
    if isinstance(value, str):
        return value
    if not isinstance(value, float):
        return ""
    ratio = f" ({value / baseline:.2f}x)" if baseline else ""  # against the floor
    return (
        f"{value * 1000:.0f} ms{ratio}"
        if unit == "ms"
        else f"{value:.0f} MB{ratio}"
        if unit == "MB"
        else f"{value:.1f} s{ratio}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tree = folder / "api"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
        subprocess.run([sys.executable, "-m", "clientgen", "generate", "--spec", str(_spec()), "--out", str(tree)],
                       env=env, check=True, capture_output=True)  # fmt: skip
        ours_env = {**os.environ, "PYTHONPATH": str(tree / "src")}
        official, why = _official_python()
        plain_env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        probes: list[_Probe] = []

        def probe(python: Path | str, code: str, env: dict[str, str]) -> _Probe:
            probes.append(_Probe(python, code, env))
            return probes[-1]

        floor = probe(sys.executable, FLOOR, plain_env)
        measured: dict[str, tuple[object, object, object]] = {
            "floor: import httpx, pydantic + one model (baseline)": (floor, None, None),
            "ours: import + Client() + pages.projects.deployments": (
                probe(sys.executable, OURS_TOUCH, ours_env),
                probe(sys.executable, TOUCH_ALL.format(constructor=OURS_CLIENT), ours_env),
                _mypy(OURS_SCRIPT, sys.executable, ours_env, folder / "mypy-ours"),
            ),
            "ours: same + first rollback call (its models load)": (
                probe(sys.executable, FIRST_CALL.format(module="cloudflare_client", constructor="Client"), ours_env),
                None,
                None,
            ),
        }  # fmt: skip
        if official is not None:
            measured["official cloudflare 5.9.0: same"] = (
                probe(official, OFFICIAL_TOUCH, plain_env),
                probe(
                    official,
                    TOUCH_ALL.format(constructor="__import__('cloudflare').Cloudflare(api_token='t')"),
                    plain_env,
                ),
                _mypy(OFFICIAL_SCRIPT, official, plain_env, folder / "mypy-official"),
            )
            measured["official cloudflare 5.9.0: same + first rollback call"] = (
                probe(official, FIRST_CALL.format(module="cloudflare", constructor="Cloudflare"), plain_env),
                None,
                None,
            )
        else:
            measured[f"official cloudflare 5.9.0: {why}"] = ("not installed", "not installed", "not installed")
        _run_interleaved(probes)
    rows = {name: (_resolved(touch), _resolved(touch_all), mypy) for name, (touch, touch_all, mypy) in measured.items()}
    _report(rows, floor.result())


def _report(rows: dict[str, tuple[object, object, object]], floor: tuple[float, float] | str) -> None:
    base_s, base_mb = floor if isinstance(floor, tuple) else (None, None)
    print(f"start-up ratios against the floor (import httpx, pydantic + one model); best of {RUNS} interleaved runs")
    print(f"{'':58} {'start-up':>16} {'peak':>14} {'all resources':>16} {'mypy script':>14}")
    for name, (touch, touch_all, mypy) in rows.items():
        seconds, megabytes = touch if isinstance(touch, tuple) else (touch, touch)
        all_mb = touch_all[1] if isinstance(touch_all, tuple) else touch_all
        print(
            f"{name:58} {_cell(seconds, base_s, 'ms'):>16} {_cell(megabytes, base_mb, 'MB'):>14} "
            f"{_cell(all_mb, None, 'MB'):>16} {_cell(mypy, None, 's'):>14}"
        )


if __name__ == "__main__":
    main()
