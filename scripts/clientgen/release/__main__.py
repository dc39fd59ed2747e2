"""Command line: ``python -m clientgen.release dist|publish`` (what ``make dist`` and ``make publish`` run).

Exit 0 when every step passed (and, for ``publish``, the upload succeeded); 1 with one
``error:`` line for a refusal; 2 for an unexpected failure (``CLIENTGEN_TRACEBACK=1`` shows it).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clientgen.release import ReleaseError
from clientgen.release.publish import Sources, make_dist, publish

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clientgen.release", description="Build and publish the generated package.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("dist", "build sdist and wheel, twine check, smoke-test the installed wheel"),
        ("publish", "every dist check, then upload with twine to the repository named by TWINE_*"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--spec", type=Path, default=Path("spec"))
        command.add_argument("--config", type=Path, default=None)
        command.add_argument("--out", type=Path, default=Path("generated"), help="the generated folder")
        command.add_argument("--dist", type=Path, default=Path("dist"), help="where sdist and wheel are written")
        command.add_argument(
            "--constraints", type=Path, default=Path("requirements.lock"), help="pins for the smoke test's install"
        )
        command.add_argument("--no-smoke", action="store_true", help="skip installing and calling the wheel")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sources = Sources(
        spec=args.spec,
        config=args.config,
        out=args.out,
        dist=args.dist,
        constraints=args.constraints if args.constraints.is_file() else None,
        smoke=not args.no_smoke,
    )
    try:
        if args.command == "dist":
            make_dist(sources, print)
        else:
            publish(sources, print)
    except ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:
        if os.environ.get("CLIENTGEN_TRACEBACK"):
            raise
        detail = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        print(f"error: internal failure ({detail}); set CLIENTGEN_TRACEBACK=1 for the traceback", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
