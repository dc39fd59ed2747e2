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
* memory after the first call of each of the same 50 operations through both SDKs (``_operations.py``: GETs that
  return a model, one per top-level resource first; every call answered in-process by one envelope whose
  ``result`` is ``{}``; the calls that reached the transport are counted: a model that rejects ``{}`` was
  still loaded to validate it);
* ``mypy --strict`` on a four-line user script with a cold cache, and pyright (pinned in ``tools/pyright``,
  which ``make bench-import`` installs with ``npm ci``) on the same script, against a floor script that uses
  only httpx and pydantic; both SDKs installed into site-packages as users get them (``_typecheck.py``).

Every package is measured from bytecode, as installed packages are (the generated tree is compiled first, and
``PYTHONDONTWRITEBYTECODE`` is dropped for the probes): compiling 2,500 model modules would otherwise be
most of what is measured.

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
from dataclasses import dataclass, field
from pathlib import Path

from _operations import PEAK_KB, PROBE, candidates, chosen, official_calls
from _typecheck import type_checking
from bench_call import _official_python

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
OPERATIONS = 50
TYPECHECK_ROUNDS = 3

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
http_client = httpx.Client(transport=httpx.MockTransport(answer))
client = {module}.{constructor}(api_email="e@example.com", api_key="k", http_client=http_client)
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
_PROBE = (
    """
import json, resource, sys, time
"""
    + PEAK_KB
    + """
start = time.perf_counter()
exec(compile(sys.argv[1], "<bench>", "exec"))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": peak_kb()}))
"""
)


@dataclass
class _Probe:
    """``code`` run in fresh interpreters: best seconds and median peak MB, or why it failed."""

    python: Path | str
    code: str
    env: dict[str, str]
    samples: list[dict[str, float]] = field(default_factory=list)
    failed: str = ""
    argv: list[str] | None = None  # ``code`` is a whole script taking these arguments (not run inside _PROBE)

    def run_once(self) -> None:
        if self.failed:
            return
        command = [str(self.python), "-c", _PROBE, self.code] if self.argv is None else [
            str(self.python), "-c", self.code, *self.argv]  # fmt: skip
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


def _operations_memory(tree: Path, official: Path | None, envs: dict[str, dict[str, str]]) -> dict[str, list[_Probe]]:
    """side -> the probes of the first call of each of the same operations through both SDKs (no official: ours)."""
    if official is None:
        return {}
    package = next((official.parent.parent / "lib").glob("python*/site-packages/cloudflare"))
    pairs = candidates(tree / ".clientgen" / "report.json", official_calls(package))
    email, token = "api_email='e@example.com', api_key='k'", "api_token='t'"
    plain = {
        "ours": f"__import__('cloudflare_client').Client({email})",
        "official": f"__import__('cloudflare').Cloudflare({email})",
    }
    mocked = ", http_client=httpx.Client(transport=transport))"
    constructors = {  # ours takes one kind of credentials per client, the official SDK any
        "ours": [
            plain["ours"][:-1] + mocked,
            plain["ours"].replace(email, token)[:-1] + mocked,
            plain["ours"].replace(email, f"{email}, {token}")[:-1] + mocked,
        ],
        "official": [plain["official"][:-1] + mocked],
    }
    pythons = {"ours": sys.executable, "official": str(official)}
    picked = chosen(pairs, {side: (pythons[side], plain[side], envs[side]) for side in pythons}, OPERATIONS)
    return {
        side: [_Probe(pythons[side], PROBE, envs[side], argv=[json.dumps(constructors[side]), json.dumps(calls)])]
        for side, calls in picked.items()
    }


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
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "src")], check=True, capture_output=True)
        plain_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONDONTWRITEBYTECODE"}}
        ours_env = {**plain_env, "PYTHONPATH": str(tree / "src")}
        official, why = _official_python()
        probes: list[_Probe] = []

        def probe(python: Path | str, code: str, env: dict[str, str]) -> _Probe:
            probes.append(_Probe(python, code, env))
            return probes[-1]

        floor = probe(sys.executable, FLOOR, plain_env)
        operations = _operations_memory(tree, official, {"ours": ours_env, "official": plain_env})
        probes.extend(probe for side in operations.values() for probe in side)
        measured: dict[str, tuple[object, ...]] = {
            "floor: import httpx, pydantic + one model (baseline)": (floor, None, None),
            "ours: import + Client() + pages.projects.deployments": (
                probe(sys.executable, OURS_TOUCH, ours_env),
                probe(sys.executable, TOUCH_ALL.format(constructor=OURS_CLIENT), ours_env),
                operations.get("ours", [None])[0],
            ),
            "ours: same + first rollback call (its models load)": (
                probe(sys.executable, FIRST_CALL.format(module="cloudflare_client", constructor="Client"), ours_env),
                None, None,
            ),
        }  # fmt: skip
        if official is not None:
            measured["official cloudflare 5.9.0: same"] = (
                probe(official, OFFICIAL_TOUCH, plain_env),
                probe(official, TOUCH_ALL.format(constructor=OFFICIAL_CLIENT), plain_env),
                operations["official"][0],
            )
            measured["official cloudflare 5.9.0: same + first rollback call"] = (
                probe(official, FIRST_CALL.format(module="cloudflare", constructor="Cloudflare"), plain_env),
                None, None,
            )  # fmt: skip
        else:
            measured[f"official cloudflare 5.9.0: {why}"] = ("not installed",) * 3
        _run_interleaved(probes)
        checking = type_checking(tree, official, folder / "typecheck", TYPECHECK_ROUNDS)
    _report(measured, floor.result())
    print("\n".join(checking))


def _operations_cell(value: object) -> str:
    if not isinstance(value, _Probe):
        return str(value) if value else ""
    result = value.result()
    if isinstance(result, str):
        return result
    sample = value.samples[-1]
    return f"{result[1]:.0f} MB ({sample['reached']:.0f}/{OPERATIONS} sent)"


def _report(measured: dict[str, tuple[object, ...]], floor: tuple[float, float] | str) -> None:
    base_s, base_mb = floor if isinstance(floor, tuple) else (None, None)
    print(f"start-up ratios against the floor (import httpx, pydantic + one model); best of {RUNS} interleaved runs;")
    print("peak memory: median")
    for name, (touch, touch_all, operations) in measured.items():
        result = _resolved(touch)
        seconds, megabytes = result if isinstance(result, tuple) else (result, result)
        all_resources = _resolved(touch_all)
        all_mb = all_resources[1] if isinstance(all_resources, tuple) else all_resources
        print(f"{name}")
        print(f"    start-up {_cell(seconds, base_s, 'ms')}, peak {_cell(megabytes, base_mb, 'MB')}")
        for label, cell in (
            ("every top-level resource touched", _cell(all_mb, None, "MB")),
            (f"after the first call of {OPERATIONS} operations", _operations_cell(operations)),
        ):
            if cell:
                print(f"    {label}: {cell}")


if __name__ == "__main__":
    main()
