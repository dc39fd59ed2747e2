"""What a reviewer sees of one spec change: share of the expanded diff lines that are the client's API.

    python benchmarks/bench_review.py [--old SPEC] [--new SPEC] [corpus]

The user's loop, in a real git repository: generate ``--old`` (default Cloudflare's daily
2024-06-17) into it and commit, regenerate from ``--new`` (2024-06-18) with ``make generate``'s
command, then count the changed lines (added + removed, ``git diff --numstat``) of every file.
Files that ``git check-attr`` marks ``linguist-generated`` are shown collapsed in code review
(GitHub); the rest are expanded.  Printed: lines per kind of file, and the share of the
expanded lines that are Python, ``CHANGELOG.md`` or ``api.md`` (the goal is 80% or more), with
the share as it would be if nothing were collapsed.  Corpus: the ``shared/`` folder (argument
or ``CLOUDFLARE_CORPUS``); without it, the benchmark says so and exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DAILY = Path("corpus") / "cloudflare" / "daily-2024-06"
API_FILES = ("CHANGELOG.md", "api.md")  # besides Python: what the client's user reads
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid",
                "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.invalid"}  # fmt: skip


def _git(repo: Path, *arguments: str) -> str:
    git = shutil.which("git")
    if git is None:
        sys.exit("git is required")
    env = {**os.environ, **GIT_IDENTITY, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run([git, *arguments], cwd=repo, capture_output=True, text=True, check=True, env=env).stdout


def _generate(spec: Path, out: Path) -> None:
    command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(spec), "--out", str(out),
               "--config", str(ROOT / "spec" / "config.toml")]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    print(f"  generating {spec.name}", file=sys.stderr, flush=True)
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


def _kind(path: str) -> str:
    if path.endswith(".py"):
        return "python"
    return path if path in API_FILES else "other"


def measure(old: Path, new: Path) -> dict[str, dict[str, int]]:
    """Changed lines per kind of file (python, CHANGELOG.md, api.md, other), expanded and collapsed."""
    with tempfile.TemporaryDirectory(prefix="bench-review-") as folder:
        repo = Path(folder) / "client"
        _generate(old, repo)
        _git(repo, "init", "--quiet")
        _git(repo, "add", "--all")
        _git(repo, "commit", "--quiet", "-m", old.name)
        _generate(new, repo)
        _git(repo, "add", "--all")
        numstat = _git(repo, "diff", "--cached", "--numstat", "--no-renames").splitlines()
        paths = [line.split("\t", 2)[2] for line in numstat]
        attributes = _git(repo, "check-attr", "linguist-generated", "--", *paths).splitlines() if paths else []
    collapsed = {line.rsplit(": linguist-generated: ", 1)[0] for line in attributes if line.endswith(": true")}
    counts: dict[str, dict[str, int]] = {"expanded": {}, "collapsed": {}}
    for line in numstat:
        added, removed, path = line.split("\t", 2)
        lines = (int(added) if added != "-" else 0) + (int(removed) if removed != "-" else 0)
        side = counts["collapsed" if path in collapsed else "expanded"]
        side[_kind(path)] = side.get(_kind(path), 0) + lines
        side["files"] = side.get("files", 0) + 1
    return counts


def _share(side: dict[str, int]) -> float:
    total = sum(lines for kind, lines in side.items() if kind != "files")
    api = side.get("python", 0) + sum(side.get(name, 0) for name in API_FILES)
    return api / total if total else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", nargs="?", type=Path, default=os.environ.get("CLOUDFLARE_CORPUS"))
    parser.add_argument("--old", type=Path, default=None)
    parser.add_argument("--new", type=Path, default=None)
    args = parser.parse_args(argv)
    old = args.old or (Path(args.corpus) / DAILY / "openapi-2024-06-17.json" if args.corpus else None)
    new = args.new or (Path(args.corpus) / DAILY / "openapi-2024-06-18.json" if args.corpus else None)
    if old is None or new is None or not old.is_file() or not new.is_file():
        print("bench_review: the Cloudflare corpus is not here (CLOUDFLARE_CORPUS or an argument): skipped")
        return 0
    counts = measure(old, new)
    everything: dict[str, int] = {}
    for side in counts.values():
        for kind, lines in side.items():
            everything[kind] = everything.get(kind, 0) + lines
    print(f"{old.name} -> {new.name}: changed lines (added + removed) per kind of file")
    for name, side in (*counts.items(), ("all", everything)):
        detail = ", ".join(f"{kind} {lines}" for kind, lines in sorted(side.items()))
        print(f"  {name:9} {detail}")
    print(f"share of expanded lines that are Python, CHANGELOG.md or api.md: {_share(counts['expanded']):.1%} "
          f"(if nothing were collapsed: {_share(everything):.1%})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
