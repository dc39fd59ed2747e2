"""Incremental regeneration: one operation changed, ``make generate`` again, against a cold generation.

    make bench-incremental         # or: python benchmarks/bench_incremental.py [<spec.json>]

Baseline (1.00x): a cold generation without the cache (``--no-cache``) of the full Cloudflare spec
(openapi-2024-08-06.json, through CLOUDFLARE_CORPUS).  Then, in the same run: the generation that fills
an empty cache, versioned after the baseline (as ``make generate`` over an existing ``generated/``: the
names of the previous generation are an input, and they are the same); two edits of one operation, each
in a copy of the spec, each generated warm (versioned after the filling run, as ``make generate`` in
place), checked (``clientgen check`` of the copy against the warm output: what ``make check`` runs) and
generated cold, compared byte for byte with the warm one:

- prose: the middle operation's summary and one of its parameters' description changed;
- a parameter: a new optional query parameter on the same operation (its schema, its keyword argument).

CPU time includes the child processes (datamodel-code-generator, ruff, the compile helper): on a busy
machine it says more than wall time.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from _measure import Measurement, measure
from bench_generate import default_spec

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from clientgen.snapshot import diff_trees  # noqa: E402 - after the path is set

_METHODS = ("get", "put", "post", "patch", "delete")


def change_one_operation(spec: Path, changed: Path, *, edit: str = "prose") -> str:
    """A copy of ``spec`` with the middle operation changed.

    ``edit``: ``prose`` (its summary and first parameter's description) or ``parameter`` (a new optional
    query parameter).
    """
    document: dict[str, Any] = json.loads(spec.read_text(encoding="utf-8"))
    operations = [
        (path, method) for path, item in sorted(document["paths"].items()) for method in _METHODS if method in item
    ]
    path, method = operations[len(operations) // 2]
    operation = document["paths"][path][method]
    if edit == "parameter":
        added = {"name": "changed_filter", "in": "query", "required": False, "schema": {"type": "string"}}
        operation["parameters"] = [*operation.get("parameters", []), added]
    else:
        operation["summary"] = f"{operation.get('summary', '')} (changed)"
        for parameter in operation.get("parameters", []):
            if isinstance(parameter, dict) and "name" in parameter:
                parameter["description"] = "A changed description."
                break
    changed.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return f"{method.upper()} {path}"


EDITS = ("prose", "parameter")


def main() -> None:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else default_spec()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    config = ["--config", str(ROOT / "spec" / "config.toml")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cache = ["--cache-dir", str(work / "cache")]

        def generate(name: str, source: Path, out: str, *options: str) -> Measurement:
            command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(source), "--out", str(work / out)]
            return measure(name, [*command, *config, *options], env)

        runs = [
            generate("cold, no cache (baseline)", spec, "nocache", "--no-cache"),
            generate("cold, filling an empty cache", spec, "first", *cache, "--previous", str(work / "nocache")),
        ]
        verdicts, operation = [], ""
        for edit in EDITS:
            changed = work / f"changed-{edit}.json"
            operation = change_one_operation(spec, changed, edit=edit)
            runs += [
                generate(f"{edit} edit, warm", changed, f"warm-{edit}", *cache, "--previous", str(work / "first")),
                measure(f"{edit} edit, clientgen check (warm)", [sys.executable, "-m", "clientgen", "check", "--spec",
                        str(changed), "--out", str(work / f"warm-{edit}"), *config, *cache], env),
                generate(f"{edit} edit, cold (for comparison)", changed, f"cold-{edit}", "--no-cache",
                         "--previous", str(work / "first")),
            ]  # fmt: skip
            differences = diff_trees(work / f"cold-{edit}", work / f"warm-{edit}")
            verdict = "byte-identical" if not differences else f"DIFFERENT ({len(differences)}: {differences[0]})"
            verdicts.append(f"{edit} edit: warm output vs cold output: {verdict}")
    print(f"incremental generation of {spec.name}, changed: {operation}; ratios against: {runs[0].name}")
    print("CPU includes child processes; wall time depends on the machine's load, CPU time much less so")
    print(f"{'':46} {'exit':>4} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'wall x':>7} {'cpu x':>7}")
    for run in runs:
        print(
            f"{run.name:46} {run.exit_code:>4} {run.wall_s:8.1f} {run.cpu_s:8.1f} {run.peak_mb:8.0f} "
            f"{run.wall_s / runs[0].wall_s:7.2f} {run.cpu_s / runs[0].cpu_s:7.2f}"
        )
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
