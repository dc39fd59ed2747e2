"""Command line: ``python -m clientgen generate --spec spec --out generated``.

Every failure is one line on stderr and a non-zero exit: 1 for input that is refused (or
warnings under ``--strict``), 2 for a failure inside clientgen or a generator it runs (set
``CLIENTGEN_TRACEBACK=1`` to see the traceback), 130 for an interrupt (SIGINT or SIGTERM).
In each case the previous output is left exactly as it was.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from clientgen.cache import DEFAULT_CACHE_DIR, DEFAULT_CACHE_LIMIT, Cache
from clientgen.changelog.compare import changelog_between
from clientgen.config import find_config, load_config
from clientgen.diagnostics import SpecError
from clientgen.progress import Progress
from clientgen.project import REPORT_FILE, BuildResult, write_tree
from clientgen.snapshot import stale_report

__all__ = ["main"]

_CONFIG_HELP = "config file (default: clientgen.toml or config.toml beside the spec; none: all from the description)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clientgen", description="Generate a typed Python client from OpenAPI.")
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate", help="generate the client package")
    generate.add_argument("--spec", type=Path, default=Path("spec"), help="record file, OpenAPI document or folder")
    generate.add_argument("--config", type=Path, default=None, help=_CONFIG_HELP)
    generate.add_argument("--out", type=Path, default=Path("generated"))
    generate.add_argument("--strict", action="store_true", help="fail on warnings")
    generate.add_argument(
        "--force",
        action="store_true",
        help="write into a folder clientgen did not write (no manifest), overwriting its files of the same names",
    )
    generate.add_argument(
        "--previous",
        type=Path,
        default=None,
        help="version, changelog and model names after this generation (default: --out)",
    )
    check = commands.add_parser("check", help="fail when the output is not what generation would write")
    check.add_argument("--spec", type=Path, default=Path("spec"))
    check.add_argument("--config", type=Path, default=None, help=_CONFIG_HELP)
    check.add_argument("--out", type=Path, default=Path("generated"))
    for command in (generate, check):
        command.add_argument(
            "--cache-dir",
            type=Path,
            default=DEFAULT_CACHE_DIR,
            help="reuse results of earlier generations kept here (default: .clientgen-cache/ in the project)",
        )
        command.add_argument("--no-cache", action="store_true", help="generate everything from scratch")
        command.add_argument(
            "--cache-limit-mb",
            type=int,
            default=DEFAULT_CACHE_LIMIT // (1024 * 1024),
            help="the cache folder's size bound: the least recently used entries beyond it are deleted (default 1024)",
        )
    changelog = commands.add_parser("changelog", help="the client API's changelog between two specs")
    changelog.add_argument("--old", type=Path, required=True, help="the earlier spec (file or folder)")
    changelog.add_argument("--new", type=Path, required=True, help="the later spec")
    changelog.add_argument("--config", type=Path, default=None, help=_CONFIG_HELP)
    changelog.add_argument("--output", type=Path, default=None, help="write the changelog here instead of stdout")
    return parser


def _changelog(args: argparse.Namespace) -> int:
    text, changes = changelog_between(args.old, args.new, load_config(args.config or find_config(args.new)))
    if args.output is None:
        sys.stdout.write(text)
    else:
        partial = args.output.with_name(f".{args.output.name}.partial")
        partial.write_text(text, encoding="utf-8", newline="\n")
        partial.replace(args.output)  # never half-written
        breaking = sum(change.breaking for change in changes)
        print(f"wrote {args.output}: {len(changes)} changes, {breaking} breaking")
    return 0


def _cache(args: argparse.Namespace) -> Cache | None:
    return None if args.no_cache else Cache(args.cache_dir.resolve(), limit=args.cache_limit_mb * 1024 * 1024)


def _check(args: argparse.Namespace) -> int:
    cache = _cache(args)
    differences = stale_report(args.spec, args.config, args.out, cache=cache)
    if cache is not None:
        cache.settle()
    if differences:
        print("\n".join(differences), file=sys.stderr)
        print(
            f"error: {args.out}/ is stale or edited by hand: run `make generate` and commit the result", file=sys.stderr
        )
        return 1
    print(f"{args.out}/ is up to date")
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM is handled like Ctrl-C: the staging folder is removed, the previous output stays."""
    del signum, frame
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    progress = Progress(sys.stderr)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "changelog":
            return _changelog(args)
        cache = _cache(args)
        try:
            result = write_tree(
                args.spec,
                args.config,
                args.out,
                strict=args.strict,
                force=args.force,
                previous=args.previous,
                progress=progress,
                cache=cache,
            )
        finally:
            progress.close()  # an error or the summary starts on a clean line
        if cache is not None:
            cache.settle()  # bounded: the least recently used entries beyond the limit go
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("CLIENTGEN_TRACEBACK"):
            raise
        detail = " ".join(f"{type(error).__name__}: {error}".split())[:300]
        print(
            f"error: internal failure ({detail}); the previous output is unchanged. "
            "Set CLIENTGEN_TRACEBACK=1 for the traceback and please report it with the spec",
            file=sys.stderr,
        )
        return 2
    print(_summary(result, args.out, progress.elapsed))
    return 0


def _summary(result: BuildResult, out: Path, seconds: float) -> str:
    """One line: what was generated, what could not be typed and why, where, how long (the rest is in the report)."""
    summary = result.summary
    reasons = ", ".join(f"{count} {code}" for code, count in summary["untyped_reasons"].items())
    return (
        f"generated {summary['operations']} operations into {out} in {seconds:.1f} s: "
        f"{summary['typed']} typed, {summary['untyped']} untyped{f' ({reasons})' if reasons else ''}; "
        f"{summary['models']} models, {result.files} files; "
        f"{summary['warnings']} warnings, {summary['decisions']} decisions (see {REPORT_FILE}); "
        f"package version {result.api.config.version}"
    )


if __name__ == "__main__":
    sys.exit(main())
