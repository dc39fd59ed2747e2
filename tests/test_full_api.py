"""The whole Cloudflare API through the pipeline: nothing dropped, everything importable and typed.

Runs on the shared corpus (``CLOUDFLARE_CORPUS``); each spec is generated once per session.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clientgen.ingest import load_source
from clientgen.layout import NORMALIZED_FILE, REPORT_FILE
from clientgen.normalize.schemas import iter_operations
from clientgen.snapshot import diff_trees
from corpus_packages import CorpusPackages, corpus_group

ROOT = Path(__file__).resolve().parents[1]
SPECS = {
    "2024-08-06": "corpus/cloudflare/openapi-2024-08-06.json",
    "2023-08-31": "corpus/cloudflare/openapi-2023-08-31.json",
    "2023-12-29": "corpus/cloudflare/openapi-2023-12-29.json",
    "records-2023-08": "corpus/cloudflare/records-2023-08",
}
_LOCATIONS = ("path", "query", "header")


@dataclass(frozen=True)
class Generated:
    name: str
    source: dict[str, Any]
    tree: Path
    report: dict[str, Any]

    @property
    def package(self) -> Path:
        return self.tree / "src" / "cloudflare_client"


# About the CPU seconds of the corpus packages' group (these tests, test_user_tasks.py, test_pipeline.py's corpus
# tests), for the order of the run (xdist_groups.py): generated in the order of SPECS's sorted names, each from
# the cache the one before filled (records-2023-08 after 2023-08-31, whose operations it holds).
_GROUP_SECONDS = 240


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(name, marks=[corpus_group(SPECS[name]), pytest.mark.long_running(_GROUP_SECONDS)], id=name)
        for name in sorted(SPECS)
    ],
)
def generated(request: pytest.FixtureRequest, corpus: Path, corpus_package: CorpusPackages) -> Generated:
    spec = corpus / SPECS[request.param]
    tree = corpus_package(SPECS[request.param])  # shared with the other files reading the same package
    report = json.loads((tree / REPORT_FILE).read_text(encoding="utf-8"))
    return Generated(request.param, load_source(spec), tree, report)


def _source_operations(source: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    yield from iter_operations(source)


def test_every_operation_is_a_method(generated: Generated) -> None:
    source_ids = sorted(str(op.get("operationId")) for _, _, op in _source_operations(generated.source))
    report_ids = sorted(entry["operationId"] for entry in generated.report["operations"])
    assert report_ids == source_ids, "operations dropped or invented"
    calls = [entry["call"] for entry in generated.report["operations"]]
    assert len(set(calls)) == len(calls), "two operations share a call path"


def _first_success(op: dict[str, Any]) -> dict[str, Any] | None:
    responses = op.get("responses") or {}
    codes = sorted(str(code) for code in responses if str(code).startswith("2"))
    return responses[codes[0]] if codes else None


def test_untyped_only_where_the_spec_gives_no_schema(generated: Generated) -> None:
    """Every response the pipeline leaves ``None``/``Any`` is one the spec gives nothing for; the report says which."""
    normalized = json.loads((generated.tree / NORMALIZED_FILE).read_text(encoding="utf-8"))
    untyped = [entry for entry in generated.report["operations"] if entry["status"] == "untyped"]
    for entry in generated.report["operations"]:
        op = normalized["paths"][entry["path"]][entry["method"].lower()]
        success = _first_success(op)
        json_media = ((success or {}).get("content") or {}).get("application/json")
        schema = (json_media or {}).get("schema")
        spec_gives_a_type = isinstance(schema, dict) and bool(set(schema) - {"example", "examples", "description"})
        result = (schema or {}).get("properties", {}).get("result") if isinstance(schema, dict) else None
        result_untyped = (schema or {}).get("properties", {}).get("success", {}).get("enum") == [True] and (
            isinstance(result, dict) and not set(result) - {"example", "examples", "description"}
        )
        if entry["status"] == "typed":
            assert entry["returns"] != "Any", entry
            continue
        code = entry["reasons"][0]["code"]
        assert code != "untyped-by-pipeline", entry
        if code == "result-without-type":  # an envelope whose result the spec leaves untyped ({})
            assert result_untyped, entry
            continue
        assert not spec_gives_a_type, entry
        expected = (
            "no-success-response"
            if success is None
            else "no-response-body"
            if not success.get("content")
            else "no-response-schema"
            if schema is None
            else "response-schema-without-type"
        )
        assert code == expected, entry
    summary = generated.report["summary"]
    assert summary["untyped"] == len(untyped)
    assert sum(summary["untyped_reasons"].values()) == len(untyped)
    assert "untyped-by-pipeline" not in summary["untyped_reasons"]


def _resource_module(package: Path, call: str) -> Path:
    parts = call.split(".")[1:-1]
    return package / "resources" / Path(*parts) / f"{parts[-1]}.py"


def test_every_parameter_survives(generated: Generated) -> None:
    calls = {(e["path"], e["method"]): e["call"] for e in generated.report["operations"]}
    missing = []
    texts: dict[Path, set[str]] = {}
    for path, method, op in _source_operations(generated.source):
        module = _resource_module(generated.package, calls[path, method.upper()])
        if module not in texts:
            tree = ast.parse(module.read_text(encoding="utf-8"))
            texts[module] = {
                node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            }
        wire_names = {
            p["name"] for p in op.get("parameters") or [] if isinstance(p, dict) and p.get("in") in _LOCATIONS
        }
        missing += [f"{method.upper()} {path}: {name}" for name in sorted(wire_names - texts[module])]
    assert not missing, f"{len(missing)} parameters lost, e.g. {missing[:5]}"


# Imports every module of the package, in a process of its own, and prints the field aliases of every model
# class defined in ``types/``: one import of the whole package serves both tests below.
_IMPORT_EVERY_MODULE = """
import importlib, inspect, json, pathlib, sys
from pydantic import BaseModel
root = pathlib.Path(sys.argv[1])
aliases = {}
for f in sorted(root.rglob('*.py')):
    name = '.'.join(f.relative_to(root.parent).with_suffix('').parts).removesuffix('.__init__')
    module = importlib.import_module(name)
    if root / 'types' in f.parents:  # public modules and the private ones a lazy index loads from
        for class_name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseModel) and value.__module__ == module.__name__:
                aliases[class_name] = sorted(field.alias or key for key, field in value.model_fields.items())
json.dump(aliases, sys.stdout)
"""


@dataclass(frozen=True)
class Imported:
    """Every module of a generated package imported: the outcome, and each model class's field aliases."""

    returncode: int
    stderr: str
    aliases: dict[str, list[str]]


@pytest.fixture(scope="module")
def imported(generated: Generated) -> Imported:
    env = {"PYTHONPATH": str(generated.package.parent), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_EVERY_MODULE, str(generated.package)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    aliases = json.loads(result.stdout) if result.returncode == 0 else {}
    return Imported(result.returncode, result.stderr, aliases)


def test_every_property_survives(generated: Generated, imported: Imported) -> None:
    assert imported.returncode == 0, imported.stderr[-2000:]
    normalized = json.loads((generated.tree / NORMALIZED_FILE).read_text(encoding="utf-8"))
    components = normalized["components"]["schemas"]
    lost = []
    for name, schema in components.items():
        aliases = imported.aliases.get(name)
        if aliases is None or not isinstance(schema.get("properties"), dict):
            continue
        lost += [f"{name}.{prop}" for prop in schema["properties"] if prop not in aliases]
    classes = len(imported.aliases)
    assert classes >= len([s for s in components.values() if isinstance(s.get("properties"), dict)]) * 0.95
    assert not lost, f"{len(lost)} properties lost, e.g. {lost[:5]}"


def test_every_module_imports(imported: Imported) -> None:
    assert imported.returncode == 0, imported.stderr[-2000:]


def test_package_passes_mypy_strict(generated: Generated, mypy_cache: Path) -> None:
    if generated.name != "2024-08-06":
        pytest.skip("mypy --strict runs on the newest spec only, to keep CI short")
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        str(mypy_cache),  # test_user_tasks.py's mypy, on the same worker, reads the package's analysis
        str(generated.tree / "src"),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_regeneration_after_itself_under_another_hash_seed_is_byte_identical(
    generated: Generated, corpus: Path, tmp_path: Path
) -> None:
    """What `make check` relies on, at full size: name memory, version, changelog, the two model-generator
    processes and the background formatting give the same bytes, whatever the hash seed."""
    if generated.name != "2024-08-06":
        pytest.skip("regenerated on the newest spec only, to keep CI short")
    out = tmp_path / "again"
    command = [
        sys.executable, "-m", "clientgen", "generate", "--spec", str(corpus / SPECS[generated.name]),
        "--config", str(ROOT / "spec" / "config.toml"), "--out", str(out), "--previous", str(generated.tree),
        "--no-cache",  # every step run again under this seed, none read from an earlier run's cache
    ]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT / "scripts")}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    differences = diff_trees(out, generated.tree)
    assert not differences, "\n".join(differences[:40])


# A class name that ends in a content hash: six hex digits, at least one a number (``AppVariant6E0Cc4``).
_HASH_TAIL = re.compile(r"[0-9A-Fa-f]{6}$")
# On 2024-08-06: 139 of 2,204 classes before role parts took route words and parts their parent's next
# candidates, 44 after; 33 once union variants take a telling example (ssh, vnc, biso); 12 once variants take their
# description's words and error bodies their route's verb; 0 once variants take a nested tag, their own description
# words, tag values or what they lack, and odd envelope parts their property (docs/names-and-identity.md).
HASHED_CLASSES_AT_MOST = 0


def _hash_named(names: set[str]) -> list[str]:
    return sorted(name for name in names if _HASH_TAIL.search(name) and any(c.isdigit() for c in name[-6:]))


def test_class_names_end_in_words_not_hashes(generated: Generated) -> None:
    if generated.name != "2024-08-06":
        pytest.skip("counted on 2024-08-06, the version the goal is set on")
    names = {
        node.name
        for module in (generated.package / "types").rglob("*.py")
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }
    hashed = _hash_named(names)
    sys.stderr.write(f"\n{len(hashed)} of {len(names)} classes end in a content hash: {hashed[:10]}\n")
    assert len(hashed) <= HASHED_CLASSES_AT_MOST, hashed
