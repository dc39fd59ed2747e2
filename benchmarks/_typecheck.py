"""What type-checking a short user script costs: mypy --strict and pyright, cold, both SDKs installed as users get them.

Each SDK is checked the way a user has it: installed into a virtualenv's site-packages (ours: ``pip install``
of the wheel built from the generated tree; the official ``cloudflare``: ``pip install`` in ``.bench-venv``).
That matters for mypy: in site-packages it reports no errors and drops the function bodies it does not need
(PEP 561); a package found on ``PYTHONPATH`` would have every body type-checked.  Both virtualenvs see the same
httpx and pydantic (ours through a ``.pth`` line to the official's site-packages), so the floor, a script
that uses only httpx and pydantic, is one row for both.

Rounds interleave floor / ours / official (each run with a fresh cache); the least CPU (user + system of the
checker process and its children) of the rounds counts, wall beside it.  Ratios are printed raw and over the
floor: (SDK - floor) / (official - floor) is what the SDK's own code costs.

    python benchmarks/_typecheck.py --tree <generated tree> [--rounds N]   # the rows of `make bench-import`
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYRIGHT_DIR = ROOT / "tools" / "pyright"
PYRIGHT = PYRIGHT_DIR / "node_modules" / ".bin" / "pyright"

FLOOR_SCRIPT = """import httpx
import pydantic


class Deployment(pydantic.BaseModel):
    id: str | None = None


print(Deployment.model_validate(httpx.get("https://example.com").json()).id)
"""
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


@dataclass
class Checked:
    """One script checked by one checker in several rounds: (wall, CPU) per round, or why it failed."""

    samples: list[tuple[float, float]] = field(default_factory=list)
    modules: int = 0  # mypy: modules it read (its cache entries)
    failed: str = ""

    def best(self) -> tuple[float, float] | None:
        return min(self.samples, key=lambda sample: sample[1]) if self.samples else None


def _timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, result


def _plain_env() -> dict[str, str]:
    """No PYTHONPATH: every package comes from the checked interpreter's site-packages."""
    return {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MYPYPATH", "PYTHONDONTWRITEBYTECODE"}}


def _site_packages(python: Path | str) -> str:
    done = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip()


def install_ours(tree: Path, folder: Path, dependencies_from: Path | str) -> Path:
    """A virtualenv with the generated package pip-installed from its wheel; httpx and pydantic from elsewhere."""
    wheels, venv = folder / "wheel", folder / "ours-venv"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
                    "--wheel-dir", str(wheels), str(tree)], check=True, capture_output=True)  # fmt: skip
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    # The same httpx and pydantic as the official SDK's virtualenv: the floor is one row for both.
    Path(_site_packages(python), "_bench_dependencies.pth").write_text(
        _site_packages(dependencies_from) + "\n", encoding="utf-8"
    )
    wheel = [str(path) for path in sorted(wheels.glob("*.whl"))]
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    "--no-index", *wheel], check=True, capture_output=True)  # fmt: skip
    return python


def _mypy(script: str, python: Path | str, folder: Path, checked: Checked) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "user_script.py").write_text(script, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", "cache", "--python-executable", str(python),
               "user_script.py"]  # fmt: skip
    wall, cpu, result = _timed(command, _plain_env(), folder)
    if result.returncode != 0:
        checked.failed = f"mypy failed: {(result.stdout.strip().splitlines() or ['?'])[-1][:70]}"
        return
    checked.samples.append((wall, cpu))
    checked.modules = _modules_in_cache(folder / "cache")


def _modules_in_cache(cache: Path) -> int:
    """Modules mypy read: one ``<module>.meta.ff`` entry each, in its SQLite cache (mypy 2) or as files."""
    names = [str(path) for path in cache.rglob("*.meta.*")]
    for database in cache.rglob("cache.*.db"):
        with contextlib.closing(sqlite3.connect(database)) as connection:
            names += [row[0] for row in connection.execute("SELECT path FROM files2")]
    return sum(1 for name in names if name.endswith((".meta.ff", ".meta.json")))


def pyright_binary() -> Path | str:
    """tools/pyright's pinned pyright (``make bench-import`` installs it with ``npm ci``), or why it is absent."""
    if PYRIGHT.exists():
        return PYRIGHT
    npm = shutil.which("npm")
    if npm is None:
        return "skipped: no npm to install tools/pyright"
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PYRIGHT_DIR, capture_output=True, text=True,
                          check=False)  # fmt: skip
    if done.returncode != 0 or not PYRIGHT.exists():
        return f"skipped: npm ci in tools/pyright failed: {(done.stderr.strip().splitlines() or ['?'])[-1][:50]}"
    return PYRIGHT


def _pyright(script: str, python: Path | str, folder: Path, checked: Checked) -> None:
    binary = pyright_binary()
    if isinstance(binary, str):
        checked.failed = binary
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "user_script.py").write_text(script, encoding="utf-8")
    config = {"typeCheckingMode": "strict", "include": ["user_script.py"]}
    (folder / "pyrightconfig.json").write_text(json.dumps(config), encoding="utf-8")
    wall, cpu, result = _timed([str(binary), "--pythonpath", str(python), "-p", "pyrightconfig.json"],
                               _plain_env(), folder)  # fmt: skip
    if result.returncode != 0:
        checked.failed = f"pyright failed: {(result.stdout.strip().splitlines() or ['?'])[-1][:60]}"
    else:
        checked.samples.append((wall, cpu))


CHECKERS = {"mypy --strict": _mypy, "pyright (strict)": _pyright}


def measure(sides: dict[str, tuple[str, Path | str]], folder: Path, rounds: int) -> dict[str, dict[str, Checked]]:
    """checker -> side -> its runs; ``sides``: name -> (script, interpreter whose site-packages hold the SDK)."""
    results = {checker: {side: Checked() for side in sides} for checker in CHECKERS}
    for _ in range(rounds):
        for checker, run in CHECKERS.items():
            for side, (script, python) in sides.items():
                checked = results[checker][side]
                if not checked.failed:
                    run(script, python, folder / "checks" / side, checked)
    return results


def _ratio(value: float, baseline: float | None) -> str:
    return f"{value / baseline:.2f}x" if baseline else "-"


def report(results: dict[str, dict[str, Checked]], rounds: int) -> list[str]:
    """Lines: per checker, each side's best CPU and wall, its ratio to the official SDK raw and over the floor."""
    lines = [f"type-checking the user script, cold cache, best CPU of {rounds} interleaved rounds (wall beside it);",
             "ratios: to the official SDK, raw and over the floor ((side - floor) / (official - floor))"]  # fmt: skip
    for checker, sides in results.items():
        lines.append(checker)
        floor, official = sides["floor"].best(), sides.get("official", Checked()).best()
        for side, checked in sides.items():
            best = checked.best()
            if best is None:
                lines.append(f"    {side}: {checked.failed or 'not measured'}")
                continue
            wall, cpu = best
            modules = f", {checked.modules} modules read" if checked.modules else ""
            ratios = ""
            if official is not None and floor is not None and side not in {"floor", "official"}:
                over = (cpu - floor[1]) / (official[1] - floor[1]) if official[1] > floor[1] else 0.0
                ratios = f"; {_ratio(cpu, official[1])} the official SDK's, {over:.2f}x over the floor"
            lines.append(f"    {side}: {cpu:.1f} s CPU, {wall:.1f} s wall{modules}{ratios}")
    return lines


def type_checking(tree: Path, official: Path | None, folder: Path, rounds: int) -> list[str]:
    """Install ours beside the official SDK's dependencies, check the three scripts, the report's lines."""
    dependencies_from: Path | str = official if official is not None else sys.executable
    ours = install_ours(tree, folder, dependencies_from)
    sides: dict[str, tuple[str, Path | str]] = {"floor": (FLOOR_SCRIPT, ours), "ours": (OURS_SCRIPT, ours)}
    if official is not None:
        sides["official"] = (OFFICIAL_SCRIPT, official)
    return report(measure(sides, folder, rounds), rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, required=True, help="a generated package (its pyproject.toml's folder)")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_call import _official_python  # noqa: PLC0415 - the official SDK's virtualenv, created on first use

    official, why = _official_python()
    if official is None:
        print(f"official cloudflare: {why}")
    with tempfile.TemporaryDirectory() as tmp:
        print("\n".join(type_checking(arguments.tree.resolve(), official, Path(tmp), arguments.rounds)))


if __name__ == "__main__":
    main()
