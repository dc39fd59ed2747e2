"""Generation benchmark: our whole pipeline against each generator alone, in one run.

    make bench-generate            # or: python benchmarks/bench_generate.py <spec> [--opc-config FILE] [--no-dmcg]

Baseline: openapi-python-client alone on the raw spec (what a user would otherwise run).
Ratios below 1.0 mean we are faster / lighter.  Default spec: the shared corpus's
openapi-2024-08-06.json (1,535 operations), found through CLOUDFLARE_CORPUS, generated with
``spec/config.toml``; any other spec with the config found beside it (none: identity from the
description), as a user would.  ``--opc-config`` is passed to openapi-python-client (Stripe needs
``literal_enums: true``); ``--no-dmcg`` leaves out the datamodel-code-generator run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _measure import Measurement, measure

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def default_spec() -> Path:
    corpus = Path(os.environ.get("CLOUDFLARE_CORPUS", ROOT.parent / "shared"))
    spec = corpus / "corpus" / "cloudflare" / "openapi-2024-08-06.json"
    if not spec.exists():
        sys.exit(f"no spec at {spec}: set CLOUDFLARE_CORPUS=<path to shared/> or pass a spec path")
    return spec


def _option(name: str) -> str | None:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv[:-1] else None


def main() -> None:
    given = [arg for index, arg in enumerate(sys.argv[1:], 1) if not arg.startswith("--")
             and sys.argv[index - 1] != "--opc-config"]  # fmt: skip
    spec = Path(given[0]) if given else default_spec()
    config = ["--config", str(ROOT / "spec" / "config.toml")] if not given else []
    opc_config = ["--config", opc] if (opc := _option("--opc-config")) else []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        commands = [
            ("openapi-python-client alone (baseline)", [str(BIN / "openapi-python-client"), "generate",
             "--path", str(spec), "--output-path", str(out / "opc"), "--meta", "none", *opc_config], None),
            ("datamodel-code-generator alone", [str(BIN / "datamodel-codegen"), "--input", str(spec),
             "--input-file-type", "openapi", "--output", str(out / "dmcg.py"), "--output-model-type",
             "pydantic_v2.BaseModel", "--naming-strategy", "full-path", "--reuse-model",
             "--collapse-reuse-models", "--disable-timestamp", "--no-allow-remote-refs"], None),
            ("clientgen (ingest+normalize+models+client)", [sys.executable, "-m", "clientgen", "generate",
             "--spec", str(spec), "--out", str(out / "ours"), "--no-cache", *config], env),  # cold, as the others
        ]  # fmt: skip
        skipped = "datamodel-code-generator alone" if "--no-dmcg" in sys.argv else None
        runs = [measure(name, command, run_env) for name, command, run_env in commands if name != skipped]
    _print(spec, runs)


def _print(spec: Path, runs: list[Measurement]) -> None:
    baseline = runs[0]
    print(f"generation of {spec.name}; ratios against: {baseline.name}")
    print(f"{'':46} {'exit':>4} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'wall x':>7} {'mem x':>7}")
    for run in runs:
        print(
            f"{run.name:46} {run.exit_code:>4} {run.wall_s:8.1f} {run.cpu_s:8.1f} {run.peak_mb:8.0f} "
            f"{run.wall_s / baseline.wall_s:7.2f} {run.peak_mb / baseline.peak_mb:7.2f}"
        )


if __name__ == "__main__":
    main()
