"""Scale benchmark: time and peak memory per operation, a synthetic description against Cloudflare's, in one run.

    make bench-scale                      # N=10,083 and N=2,500, plus Cloudflare 2024-08-06
    python benchmarks/bench_scale.py --operations 2500 --operations 500 [--no-peer] [--no-cloudflare]

For each description, our pipeline (``clientgen generate``) and openapi-python-client alone (the
baseline a user would otherwise run) are measured in fresh processes: wall time, CPU time (user +
sys of every process, children included: steadier than wall on a busy machine) and peak memory
(the largest single process).  Printed per operation, with two ratios:

* **per-op x CF**: our cost per operation on the description against ours on Cloudflare 2024-08-06
  (goal: <= 1.5, "generation grows linearly");
* **x OPC**: ours against openapi-python-client alone on the same description (goal: <= 1.0).

The synthetic descriptions (``benchmarks/synthetic_spec.py``) are written to a temporary folder, never
kept.  Cloudflare's comes from the corpus (``CLOUDFLARE_CORPUS``); without it the synthetic rows are
printed without the per-operation ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from _measure import Measurement, measure
from synthetic_spec import write_synthetic_spec

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEFAULT_OPERATIONS = (10_083, 2_500)
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


@dataclass(frozen=True)
class Row:
    spec: str
    operations: int
    ours: Measurement
    peer: Measurement | None


def _operations(spec: Path) -> int:
    paths = json.loads(spec.read_text(encoding="utf-8")).get("paths", {})
    return sum(1 for item in paths.values() for method in item if method in _METHODS)


def _cloudflare() -> Path | None:
    corpus = os.environ.get("CLOUDFLARE_CORPUS")
    spec = Path(corpus or ROOT.parent / "shared") / "corpus" / "cloudflare" / "openapi-2024-08-06.json"
    return spec if spec.is_file() else None


def _run(spec: Path, out: Path, *, peer: bool, config: Path | None) -> Row:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    # cold, as openapi-python-client: a warm project cache would skip most of Cloudflare's work
    command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(spec), "--out", str(out / "ours"),
               "--no-cache"]  # fmt: skip
    ours = measure("clientgen", [*command, *(["--config", str(config)] if config else [])], env)
    baseline = None
    if peer:
        baseline = measure("openapi-python-client alone", [str(BIN / "openapi-python-client"), "generate",
                           "--path", str(spec), "--output-path", str(out / "opc"), "--meta", "none"])  # fmt: skip
    return Row(spec.name, _operations(spec), ours, baseline)


def _print(rows: list[Row], reference: Row | None) -> None:
    print(f"load average at the end: {_load()}; CPU = user+sys of all processes; peak = largest process")
    head = f"{'description':26} {'ops':>6} {'':5} {'exit':>4} {'wall s':>7} {'cpu s':>7} {'peak MB':>8}"
    print(f"{head} {'cpu ms/op':>9} {'KB/op':>7} {'per-op x CF (cpu, wall, mem)':>29} {'x OPC (cpu, wall, mem)':>23}")
    for row in rows:
        for who, run in (("ours", row.ours), ("OPC", row.peer)):
            if run is None:
                continue
            per_op = f"{run.cpu_s * 1000 / row.operations:9.2f} {run.peak_mb * 1024 / row.operations:7.1f}"
            versus_cf = _ratios(run, row.operations, reference.ours if reference else None, reference)
            versus_peer = _ratios(run, 0, row.peer, None) if who == "ours" and row.peer else ""
            line = f"{row.spec:26} {row.operations:>6} {who:5} {run.exit_code:>4} {run.wall_s:7.1f} {run.cpu_s:7.1f}"
            print(f"{line} {run.peak_mb:8.0f} {per_op} {versus_cf if who == 'ours' else '':>29} {versus_peer:>23}")


def _ratios(run: Measurement, operations: int, base: Measurement | None, reference: Row | None) -> str:
    """``run`` against ``base``: per operation when ``reference`` (base's row) is given, else whole runs."""
    if base is None:
        return ""
    scale = (reference.operations / operations) if reference is not None else 1.0
    return (
        f"{run.cpu_s * scale / base.cpu_s:.2f} {run.wall_s * scale / base.wall_s:.2f} "
        f"{run.peak_mb * scale / base.peak_mb:.2f}"
    )


def _load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, action="append", help="synthetic sizes (repeatable)")
    parser.add_argument("--plain", action="store_true", help="synthetic bodies without envelopes, word keys")
    parser.add_argument("--flat", action="store_true", help="the issue's shape: one 30-field model per operation")
    parser.add_argument("--no-peer", action="store_true", help="skip openapi-python-client")
    parser.add_argument("--no-cloudflare", action="store_true", help="skip Cloudflare 2024-08-06")
    args = parser.parse_args()
    sizes = args.operations or list(DEFAULT_OPERATIONS)
    rows: list[Row] = []
    reference: Row | None = None
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        cloudflare = None if args.no_cloudflare else _cloudflare()
        if cloudflare is None and not args.no_cloudflare:
            print("no Cloudflare 2024-08-06 in the corpus (set CLOUDFLARE_CORPUS): no per-operation ratio")
        if cloudflare is not None:
            reference = _run(cloudflare, folder / "cloudflare", peer=not args.no_peer,
                             config=ROOT / "spec" / "config.toml")  # fmt: skip
            rows.append(reference)
        for size in sizes:
            spec = write_synthetic_spec(size, folder / f"synthetic-{size}.json", plain=args.plain, flat=args.flat)
            rows.append(_run(spec, folder / f"synthetic-{size}", peer=not args.no_peer, config=None))
            spec.unlink()
    _print(rows, reference)


if __name__ == "__main__":
    main()
