"""Review-diff benchmark: how many generated files one real spec change touches, and which names move.

    python benchmarks/bench_churn.py [--baseline] [--cache DIR] [--trees DIR] [--no-memory] [--series N] [corpus]

For each consecutive pair of Cloudflare versions (``openapi-2023-08-31`` -> ``openapi-2023-12-29``
and the 12 days of ``daily-2024-06/``) both versions are generated and compared.  Each version is
generated after the one before it (``--previous``: the user's loop, ``make generate`` over the last
generated tree, which brings its version, changelog and model names); ``--no-memory`` generates
each on its own.  Trees are cached, keyed by the spec's and the generator's content and the
previous tree's key.

* **operations changed**: by operationId, added, removed, or with different content.  Content is
  the operation in ``openapi.normalized.json`` (path, method, parameters, bodies, responses,
  texts) with every ``$ref`` replaced by the content hash of its target, so a renamed component
  is not a change and a changed nested schema is one;
* **schemas changed**: every named schema of the normalized document by the same deep content
  hash (names play no part): *new* content (a schema added or changed, or a parent of a changed
  one) and *gone* content;
* **files touched**: generated files added, removed or different, all files and Python files
  only, with the index files any change touches (``api.md``, ``report.json``,
  ``openapi.normalized.json``, ``README.md``) counted apart;
* **public names changed for unchanged content**: models whose content hash is in both versions
  but whose class name or module differs, and operations whose operationId and content are
  unchanged but whose call path (``client.a.b.verb``) differs.  The goal is 0.

``--baseline`` also generates every version with openapi-python-client (OPC) on the raw spec in
the same run and counts its touched files against the same changes.  ``--trees DIR`` reads
already generated trees ``DIR/<version>/`` instead of generating (to compare an older generator).
Corpus: the ``shared/`` folder (argument or ``CLOUDFLARE_CORPUS``); without it, the benchmark
says so and exits 0.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REF_PREFIX = "#/components/schemas/"
INDEX = ".clientgen"  # clientgen.layout.INDEX_DIR (this script runs without clientgen on the path)
INDEX_FILES = frozenset({"api.md", f"{INDEX}/report.json", f"{INDEX}/openapi.normalized.json", "README.md",
                         f"{INDEX}/manifest.json", f"{INDEX}/.gitattributes"})  # fmt: skip
# What every release touches when generated after the previous one: the version and the changelog.
RELEASE_FILES = frozenset({f"{INDEX}/api.json", "CHANGELOG.md", f"{INDEX}/names.json", "pyproject.toml"})
_REEXPORT = re.compile(r"^from \.\w+ import (\w+) as \1$", re.MULTILINE)
_CLASS = re.compile(r"^class (\w+)\(", re.MULTILINE)
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


# --- versions ---------------------------------------------------------------------------------------------------


def versions(corpus: Path) -> list[list[Path]]:
    """The series of consecutive versions to compare, oldest first."""
    cloudflare = corpus / "corpus" / "cloudflare"
    return [
        [cloudflare / "openapi-2023-08-31.json", cloudflare / "openapi-2023-12-29.json"],
        sorted((cloudflare / "daily-2024-06").glob("openapi-*.json")),
    ]


def version_name(spec: Path) -> str:
    return spec.stem.removeprefix("openapi-")


def _generator_key() -> str:
    """Content of everything that shapes our output, so a cache never serves an older generator's tree."""
    sources = sorted([*(ROOT / "scripts" / "clientgen").rglob("*.py"), *(ROOT / "templates").rglob("*")])
    sources.append(ROOT / "spec" / "config.toml")
    digest = hashlib.sha256()
    for path in sources:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _spec_key(spec: Path) -> str:
    return hashlib.sha256(spec.read_bytes()).hexdigest()[:12]


def generate_ours(spec: Path, cache: Path, key: str, previous: Path | None = None) -> Path:
    """Our tree for ``spec``, generated after ``previous`` (the user's loop: ``make generate`` over the last tree).

    A tree generated after another depends on the whole chain before it: the cache key holds the previous one's.
    """
    chain = _digest(f"{_spec_key(spec)} {key} {previous.name if previous else ''}")[:12]
    out = cache / f"ours-{version_name(spec)}-{chain}"
    if not (out / INDEX / "report.json").is_file():
        env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
        command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(spec), "--out", str(out),
                   "--config", str(ROOT / "spec" / "config.toml")]  # fmt: skip
        if previous is not None:
            command += ["--previous", str(previous)]
        print(f"  generating {spec.name} (ours{', after ' + previous.name if previous else ''})", file=sys.stderr,
              flush=True)  # fmt: skip
        subprocess.run(command, env=env, check=True, capture_output=True)
    return out


def generate_series(specs: list[Path], cache: Path, key: str, *, memory: bool) -> list[Path]:
    """Every version of a series, each after the one before it (``memory``) or each on its own."""
    trees: list[Path] = []
    for spec in specs:
        trees.append(generate_ours(spec, cache, key, trees[-1] if memory and trees else None))
    return trees


def generate_opc(spec: Path, cache: Path) -> Path:
    out = cache / f"opc-{version_name(spec)}-{_spec_key(spec)}"
    if not out.is_dir():
        config = cache / "opc.yaml"
        config.write_text("post_hooks: []\n", encoding="utf-8")  # same as the oracle test: no formatter hook
        command = [str(BIN / "openapi-python-client"), "generate", "--path", str(spec), "--output-path", str(out),
                   "--meta", "none", "--overwrite", "--config", str(config)]  # fmt: skip
        print(f"  generating {spec.name} (openapi-python-client)", file=sys.stderr, flush=True)
        subprocess.run(command, check=False, capture_output=True, cwd=cache)
    return out


# --- what one version holds -------------------------------------------------------------------------------------


@dataclass
class Version:
    """The comparable content of one generated tree."""

    schema_hash: dict[str, str]  # component name -> deep content hash
    operations: dict[str, str]  # operationId -> deep content hash
    calls: dict[str, str]  # operationId -> call path
    classes: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # content hash -> {(module, class)}
    importable: set[tuple[str, str]] = field(default_factory=set)  # (module, class) defined or re-exported there


def _schema_hashes(schemas: dict[str, Any]) -> dict[str, str]:
    """Name -> hash of the schema with each ``$ref`` replaced by its target's hash (names play no part)."""
    done: dict[str, str] = {}

    def resolve(node: Any, stack: list[str]) -> Any:
        if isinstance(node, list):
            return [resolve(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF_PREFIX):
            target = ref[len(REF_PREFIX) :].replace("~1", "/").replace("~0", "~")
            marker = f"recursion:{len(stack) - stack.index(target)}" if target in stack else hash_of(target, stack)
            return {**{k: resolve(v, stack) for k, v in node.items() if k != "$ref"}, "$ref": marker}
        return {key: resolve(value, stack) for key, value in node.items()}

    def hash_of(name: str, stack: list[str]) -> str:
        if name in done:
            return done[name]
        text = _canonical(resolve(schemas.get(name, {}), [*stack, name]))
        digest = _digest(text)
        if not stack or "recursion:" not in text:  # inside a cycle the hash depends on where it was entered
            done[name] = digest
        return digest

    for name in sorted(schemas):
        hash_of(name, [])
    return done


def _resolve_refs(node: Any, hashes: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_resolve_refs(item, hashes) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        target = ref[len(REF_PREFIX) :].replace("~1", "/").replace("~0", "~")
        return {**{k: _resolve_refs(v, hashes) for k, v in node.items() if k != "$ref"}, "$ref": hashes[target]}
    return {key: _resolve_refs(value, hashes) for key, value in node.items()}


def _classes(tree: Path, names: set[str]) -> tuple[dict[str, tuple[str, str]], set[tuple[str, str]]]:
    """Component name -> (module, class) where the class is defined under ``types/``; every importable pair."""
    found: dict[str, tuple[str, str]] = {}
    importable: set[tuple[str, str]] = set()
    for module in sorted(tree.glob("src/*/types/**/*.py")):
        relative = ".".join(module.relative_to(next(tree.glob("src/*/types"))).with_suffix("").parts)
        text = module.read_text(encoding="utf-8")
        for class_name in _CLASS.findall(text):
            importable.add((relative, class_name))
            if class_name in names:
                found.setdefault(class_name, (relative, class_name))
        importable.update((relative, class_name) for class_name in _REEXPORT.findall(text))
    return found, importable


def read_version(tree: Path) -> Version:
    doc = json.loads((tree / INDEX / "openapi.normalized.json").read_text(encoding="utf-8"))
    report = json.loads((tree / INDEX / "report.json").read_text(encoding="utf-8"))
    schemas = doc.get("components", {}).get("schemas", {})
    hashes = _schema_hashes(schemas)
    operations: dict[str, str] = {}
    for path, item in sorted(doc.get("paths", {}).items()):
        for method in _METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                op_id = str(op.get("operationId") or f"{method.upper()} {path}")
                content = {"path": path, "method": method, "operation": _resolve_refs(op, hashes)}
                operations[op_id] = _digest(_canonical(content))
    calls = {str(entry.get("operationId")): str(entry.get("call")) for entry in report.get("operations", [])}
    classes, importable = _classes(tree, set(schemas))
    version = Version(schema_hash=hashes, operations=operations, calls=calls, importable=importable)
    for name, where in classes.items():
        version.classes.setdefault(hashes[name], set()).add(where)
    return version


# --- comparing two versions -------------------------------------------------------------------------------------


@dataclass
class Step:
    old: str
    new: str
    ops_added: int = 0
    ops_removed: int = 0
    ops_changed: int = 0
    schemas_new: int = 0
    schemas_gone: int = 0
    files_all: int = 0
    files_py: int = 0
    files_index: int = 0
    opc_files_all: int | None = None
    opc_files_py: int | None = None
    files_release: int = 0
    renamed_models: list[str] = field(default_factory=list)
    broken_imports: list[str] = field(default_factory=list)  # unchanged content no longer importable as before
    moved_calls: list[str] = field(default_factory=list)

    @property
    def ops_delta(self) -> int:
        return self.ops_added + self.ops_removed + self.ops_changed


def _files(tree: Path) -> dict[str, str]:
    ignored = {"__pycache__", ".ruff_cache", ".mypy_cache"}
    return {
        str(path.relative_to(tree)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(tree.rglob("*"))
        if path.is_file() and not ignored.intersection(path.relative_to(tree).parts)
    }


def touched(old: Path, new: Path) -> list[str]:
    """Relative paths of files added, removed or changed between two trees."""
    before, after = _files(old), _files(new)
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def compare(old: Version, new: Version, step: Step) -> None:
    step.ops_added = len(new.operations.keys() - old.operations.keys())
    step.ops_removed = len(old.operations.keys() - new.operations.keys())
    both = old.operations.keys() & new.operations.keys()
    step.ops_changed = sum(old.operations[op] != new.operations[op] for op in both)
    step.schemas_gone = len(set(old.schema_hash.values()) - set(new.schema_hash.values()))
    step.schemas_new = len(set(new.schema_hash.values()) - set(old.schema_hash.values()))
    for content in sorted(old.classes.keys() & new.classes.keys()):
        if old.classes[content] != new.classes[content]:
            before = ", ".join(f"{m}.{c}" for m, c in sorted(old.classes[content]))
            after = ", ".join(f"{m}.{c}" for m, c in sorted(new.classes[content]))
            step.renamed_models.append(f"{before} -> {after}")
            step.broken_imports.extend(f"{m}.{c}" for m, c in sorted(old.classes[content] - new.importable))
    for op in sorted(both):
        if old.operations[op] == new.operations[op] and old.calls.get(op) != new.calls.get(op):
            step.moved_calls.append(f"{op}: {old.calls.get(op)} -> {new.calls.get(op)}")


def _is_release_file(path: str) -> bool:
    parts = path.split("/")
    return path in RELEASE_FILES or (len(parts) == 3 and parts[0] == "src" and parts[2] == "_version.py")


def count_files(paths: list[str]) -> tuple[int, int, int, int]:
    """Files touched (without index and release files), Python files of those, index files, release files."""
    index = [path for path in paths if path in INDEX_FILES]
    release = [path for path in paths if _is_release_file(path)]
    rest = [path for path in paths if path not in INDEX_FILES and not _is_release_file(path)]
    python = [path for path in rest if path.endswith(".py")]
    return len(rest), len(python), len(index), len(release)


# --- report -----------------------------------------------------------------------------------------------------


def _module_only(renamed: list[str]) -> int:
    """Renamed models that kept their class name and only changed module (``cfd_tunnel`` -> ``shared``)."""
    return sum(
        before.rsplit(".", 1)[-1] == after.rsplit(".", 1)[-1]
        for before, after in (line.split(" -> ") for line in renamed)
    )


def _ratio(files: int, changes: int) -> str:
    return f"{files / changes:.2f}" if changes else "-"


def print_steps(steps: list[Step], *, baseline: bool) -> None:
    head = (
        f"{'step':25} {'ops +/-/~':>13} {'schemas new/gone':>16} {'files':>6} {'py':>5} {'index':>5} {'release':>7} "
        f"{'py/op':>6} {'py/(op+new)':>11} {'renamed':>7} {'of which module':>15} {'broken imports':>14} "
        f"{'moved':>5}"
    )
    if baseline:
        head += f" {'OPC files':>9} {'OPC py':>6} {'OPC py/op':>9}"
    print(head)
    series = sorted({step.old[:4] if step.old.startswith("2023") else step.old[:7] for step in steps})
    totals = [_total([step for step in steps if step.old.startswith(prefix)], prefix) for prefix in series]
    for step in [*steps, *totals, *([_total(steps, "all")] if len(totals) > 1 else [])]:
        line = (
            f"{step.old + ' -> ' + step.new:25} "
            f"{f'{step.ops_added}/{step.ops_removed}/{step.ops_changed}':>13} "
            f"{f'{step.schemas_new}/{step.schemas_gone}':>16} "
            f"{step.files_all:>6} {step.files_py:>5} {step.files_index:>5} {step.files_release:>7} "
            f"{_ratio(step.files_py, step.ops_delta):>6} "
            f"{_ratio(step.files_py, step.ops_delta + step.schemas_new):>11} "
            f"{len(step.renamed_models):>7} {_module_only(step.renamed_models):>15} {len(step.broken_imports):>14} "
            f"{len(step.moved_calls):>5}"
        )
        if baseline and step.opc_files_all is not None and step.opc_files_py is not None:
            line += f" {step.opc_files_all:>9} {step.opc_files_py:>6} {_ratio(step.opc_files_py, step.ops_delta):>9}"
        print(line)


def _total(steps: list[Step], label: str) -> Step:
    total = Step(old=f"total {label}", new=f"{len(steps)} steps")
    for name in ("ops_added", "ops_removed", "ops_changed", "schemas_new", "schemas_gone", "files_all", "files_py",
                 "files_index", "files_release"):  # fmt: skip
        setattr(total, name, sum(getattr(step, name) for step in steps))
    if all(step.opc_files_all is not None for step in steps):
        total.opc_files_all = sum(step.opc_files_all or 0 for step in steps)
        total.opc_files_py = sum(step.opc_files_py or 0 for step in steps)
    total.renamed_models = [name for step in steps for name in step.renamed_models]
    total.broken_imports = [name for step in steps for name in step.broken_imports]
    total.moved_calls = [call for step in steps for call in step.moved_calls]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=os.environ.get("CLOUDFLARE_CORPUS", str(ROOT.parent / "shared")))
    parser.add_argument("--cache", type=Path, help="keep generated versions here (default: a temporary folder)")
    parser.add_argument("--trees", type=Path, help="read generated trees DIR/<version>/ instead of generating")
    parser.add_argument("--baseline", action="store_true", help="also measure openapi-python-client")
    parser.add_argument("--series", type=int, choices=(0, 1), help="only this series (0: 2023, 1: daily-2024-06)")
    parser.add_argument(
        "--no-memory", action="store_true", help="generate each version on its own, not after the previous one"
    )
    parser.add_argument("--show", type=int, default=10, help="list up to this many renamed names per step")
    args = parser.parse_args()
    series = versions(Path(args.corpus))
    if not all(spec.is_file() for specs in series for spec in specs) or len(series[1]) < 2:
        print(f"no Cloudflare corpus under {args.corpus}: set CLOUDFLARE_CORPUS=<path to shared/>; skipped")
        return
    if args.series is not None:
        series = [series[args.series]]
    with tempfile.TemporaryDirectory() as tmp:
        cache = (args.cache or Path(tmp)).resolve()
        cache.mkdir(parents=True, exist_ok=True)
        key = _generator_key()
        steps: list[Step] = []
        for specs in series:
            trees = (
                [args.trees / version_name(spec) for spec in specs]
                if args.trees
                else generate_series(specs, cache, key, memory=not args.no_memory)
            )
            opc = [generate_opc(spec, cache) for spec in specs] if args.baseline else []
            for index in range(1, len(specs)):
                step = Step(old=version_name(specs[index - 1]), new=version_name(specs[index]))
                compare(read_version(trees[index - 1]), read_version(trees[index]), step)
                files = count_files(touched(trees[index - 1], trees[index]))
                step.files_all, step.files_py, step.files_index, step.files_release = files
                if opc:
                    step.opc_files_all, step.opc_files_py, _, _ = count_files(touched(opc[index - 1], opc[index]))
                steps.append(step)
    print("files: generated files added, removed or changed (without the index files); py: Python files only;")
    print("index: api.md, report.json, openapi.normalized.json, README.md; release: api.json, CHANGELOG.md,")
    print("names.json, pyproject.toml, _version.py (version and changelog, when generated after the previous one);")
    print("renamed: models with unchanged content whose class or module changed (of which module only: a model now")
    print("used by a second top-level resource moves to shared); broken imports: of those, old module.class no longer")
    print("importable (not re-exported); moved: unchanged operations whose call path changed (goal for all: 0)")
    print_steps(steps, baseline=args.baseline)
    for step in steps:
        for line in (step.renamed_models + step.moved_calls + [f"broken import {name}" for name in
                     step.broken_imports])[: args.show]:  # fmt: skip
            print(f"  {step.old} -> {step.new}: {line}")


if __name__ == "__main__":
    main()
