"""``python -m clientgen.conformance --spec SPEC --prism PRISM --work DIR [--oracle opc]``: the per-operation table.

Generates the client into ``DIR/client``, gives Prism the ingested description (overlays applied,
``servers`` dropped so that it serves at its root), calls every operation and writes
``DIR/conformance.json`` and ``DIR/conformance.md``; prints the counts.  ``--oracle opc`` makes the
same run with openapi-python-client's client of the raw description (``conformance/opc.py``) and
writes ``DIR/conformance-opc.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from clientgen.config import find_config
from clientgen.conformance.opc import call_all_opc, generate_opc
from clientgen.conformance.prism import running_prism
from clientgen.conformance.run import Outcome, call_all, security_headers
from clientgen.diagnostics import Diagnostics, SpecError
from clientgen.ingest import load_source
from clientgen.ingest.overlays import apply_overlays
from clientgen.layout import NORMALIZED_FILE
from clientgen.model import Api
from clientgen.project import write_tree

__all__ = ["main"]


def counts(outcomes: list[Outcome], operations: int | None = None) -> dict[str, int]:
    """The table's totals; ``operations``: how many the description has, when the client has fewer."""
    tally: Counter[str] = Counter()
    if operations is not None:
        tally["operations"] = operations
        tally["generated"] = len(outcomes)
    for outcome in outcomes:
        tally["operations"] += operations is None
        tally["request accepted"] += outcome.accepted
        tally["response returned"] += outcome.returned
        tally["both"] += outcome.accepted and outcome.returned
        tally["not both, known limit"] += (
            not (outcome.accepted and outcome.returned) and outcome.known_limit is not None
        )
        tally["not both, unexplained"] += not (outcome.accepted and outcome.returned) and outcome.known_limit is None
    return dict(tally)


def _markdown(outcomes: list[Outcome], summary: dict[str, int]) -> str:
    lines = ["# Conformance against Prism", "", *(f"- {key}: {value}" for key, value in summary.items()), ""]
    lines += [
        "| operation | call | request accepted | response returned | reason | known limit |",
        "|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        cells = [
            outcome.operation_id,
            f"`{outcome.call_path}`",
            "yes" if outcome.accepted else "no",
            "yes" if outcome.returned else "no",
            outcome.reason.replace("|", "\\|"),
            outcome.known_limit or "",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _credentials(api: Api) -> dict[str, str]:
    """A value for every client argument of the API's usual way to authenticate (Prism checks presence only)."""
    ways = api.auth.alternatives
    arguments = [argument for scheme in ways[0].schemes for argument in scheme.arguments] if ways else []
    return {str(argument): "conformance" for argument in arguments}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="clientgen.conformance", description=__doc__)
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument(
        "--prism", type=Path, required=True, help="the prism executable (tools/prism/node_modules/.bin/prism)"
    )
    parser.add_argument("--config", type=Path, help="the config to generate with (default: the one beside the spec)")
    parser.add_argument("--work", type=Path, required=True, help="folder for the client, Prism's input and the table")
    parser.add_argument(
        "--oracle",
        choices=("ours", "opc"),
        default="ours",
        help="whose client to call: ours, or openapi-python-client's of the raw description",
    )
    parser.add_argument(
        "--opc",
        type=Path,
        default=Path(sys.executable).parent / "openapi-python-client",
        help="the openapi-python-client executable (--oracle opc)",
    )
    args = parser.parse_args(argv)
    work: Path = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        source = apply_overlays(args.spec, load_source(args.spec), Diagnostics())
        mock_spec = {key: value for key, value in source.items() if key != "servers"}
        (work / "prism-spec.json").write_text(json.dumps(mock_spec), encoding="utf-8")
        # the spec's own config (its credentials and conventions), as `make generate` would read it
        result = write_tree(args.spec, args.config or find_config(args.spec), work / "client", force=True)
    except SpecError as error:
        print(error, file=sys.stderr)  # noqa: T201 - the command's output
        return 1
    normalized = json.loads((work / "client" / NORMALIZED_FILE).read_text(encoding="utf-8"))
    opc_package = generate_opc(work / "prism-spec.json", work, args.opc) if args.oracle == "opc" else None
    generated = time.monotonic()
    operations = list(result.api.operations)
    with running_prism(args.prism, work / "prism-spec.json", work / "prism.log") as base_url:
        loaded = time.monotonic()
        if opc_package is None:
            outcomes = call_all(
                work / "client" / "src",
                result.api.config.import_name,
                operations,
                doc=normalized,
                source=source,
                base_url=base_url,
                credentials=_credentials(result.api),
            )
        else:
            schemes = normalized.get("components", {}).get("securitySchemes") or {}
            outcomes = call_all_opc(
                opc_package,
                operations,
                doc=normalized,
                source=source,
                base_url=base_url,
                extra_headers=lambda operation: security_headers(operation, normalized, schemes),
            )
    called = time.monotonic()
    summary = counts(outcomes, len(operations) if opc_package is not None else None)
    name = "conformance" if opc_package is None else "conformance-opc"
    (work / f"{name}.json").write_text(
        json.dumps({"summary": summary, "operations": [o.as_dict() for o in outcomes]}, indent=2) + "\n",
        encoding="utf-8",
    )
    (work / f"{name}.md").write_text(_markdown(outcomes, summary), encoding="utf-8")
    timing = (
        f"generate {generated - started:.0f} s, prism start {loaded - generated:.0f} s, calls {called - loaded:.0f} s"
    )
    print(json.dumps(summary), timing, f"table: {work / name}.md")  # noqa: T201 - the command's output
    return 0


if __name__ == "__main__":
    sys.exit(main())
