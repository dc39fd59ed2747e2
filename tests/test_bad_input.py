"""Malformed input is refused with one line naming the file and where, and nothing is written.

Plus the real corpus: every 2023-08 Cloudflare record ingests and normalizes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from clientgen.diagnostics import Diagnostics
from clientgen.ingest import load_source
from clientgen.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "spec" / "pages-deployment-rollback-deployment.txt"
CONFIG = REPO / "spec" / "config.toml"
RECORDS = Path("corpus") / "cloudflare" / "records-2023-08"
CORPUS_OPERATIONS = 1285
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def line_count(text: str) -> int:
    return text.count("\n") + 1


def resolve_pointer(document: Any, pointer: str) -> Any:
    node = document
    for raw in pointer.removeprefix("/").split("/") if pointer else []:
        token = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(f"{pointer!r}: no {token!r}")
    return node


# --- the bad inputs: each builds its file and says what the error must point at -------------


@dataclass(frozen=True)
class Bad:
    name: str
    text: Callable[[], str]  # the file's content
    line: Callable[[str], int] | None = None  # the line the error must name, from the text
    pointer_resolves: bool = False  # the error's pointer must lead somewhere in the (JSON) document


def _truncated_record() -> str:
    text = seed_text()
    return text[: len(text) // 2]


def _five_values() -> str:
    text = seed_text()
    cut = text.rindex("} [")  # the responses object ends, the security array begins
    return text[: cut + 1] + "\n"


def _bad_method() -> str:
    lines = seed_text().split("\n")
    assert lines[2] == "post"
    lines[2] = "fetch"
    return "\n".join(lines)


def _dangling_parameter_ref() -> str:
    """A record whose parameter schema is a $ref with nothing around it that it could denote."""
    text = seed_text()
    old = '"schema": {\n"description": "Name of the project.",'
    assert old in text
    return text.replace(
        old, '"schema": {\n"$ref": "#/components/schemas/missing",\n"description": "Name of the project.",'
    )


INVALID_JSON = '{\n  "openapi": "3.0.3",\n  "info": {"title": "t", "version": "1"},\n  "paths": {,}\n}\n'
NOT_OPENAPI_YAML = "name: a shopping list\nitems:\n  - bread\n  - milk\n"
DANGLING = json.dumps(
    {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/zones/{zone_id}": {
                "get": {
                    "operationId": "zones-get",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}},
                        }
                    },
                }
            }
        },
        "components": {"schemas": {"Present": {"type": "object"}}},
    },
    indent=2,
)
PARAMETER_CYCLE = json.dumps(
    {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/zones/{zone_id}": {
                "get": {
                    "operationId": "zones-get",
                    "parameters": [{"$ref": "#/components/parameters/P"}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"parameters": {"P": {"$ref": "#/components/parameters/P"}}},
    },
    indent=2,
)


def _json_error_line(text: str) -> int:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return error.lineno
    msg = "the text is valid JSON"
    raise AssertionError(msg)


def _method_line(text: str) -> int:
    return text.split("\n").index("fetch") + 1


BAD_INPUTS = [
    Bad("truncated.txt", _truncated_record, line=line_count),
    Bad("five-values.txt", _five_values),
    Bad("bad-method.txt", _bad_method, line=_method_line),
    Bad("dangling-parameter-ref.txt", _dangling_parameter_ref),
    Bad("invalid.json", lambda: INVALID_JSON, line=_json_error_line),
    Bad("not-openapi.yaml", lambda: NOT_OPENAPI_YAML),
    Bad("dangling.json", lambda: DANGLING, pointer_resolves=True),
    Bad("parameter-cycle.json", lambda: PARAMETER_CYCLE),
]

WHERE = re.compile(r"^(?::(?P<line>\d+))?(?:#(?P<pointer>/[^ ]*))?: \S")


def generate(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    command = ["generate", "--spec", str(spec), "--config", str(CONFIG), "--out", str(out)]
    return subprocess.run(
        [sys.executable, "-m", "clientgen", *command],
        capture_output=True, text=True, check=False, cwd=REPO, env=env, timeout=300,
    )  # fmt: skip


def located_error(result: subprocess.CompletedProcess[str], spec: Path) -> tuple[int | None, str | None]:
    """Check the one-line ``error: <file>[:N][#/pointer]: message`` contract; return (line, pointer)."""
    assert result.returncode == 1, f"exit {result.returncode}: {result.stdout}{result.stderr}"
    stderr = result.stderr
    assert stderr.endswith("\n"), f"not one line: {stderr!r}"
    assert stderr.count("\n") == 1, f"not exactly one line: {stderr!r}"
    prefix = f"error: {spec}"
    assert stderr.startswith(prefix), f"does not start with {prefix!r}: {stderr!r}"
    match = WHERE.match(stderr[len(prefix) :])
    assert match, f"no ':N' or '#/pointer' right after the file name: {stderr!r}"
    line = int(match["line"]) if match["line"] else None
    assert line is not None or match["pointer"], f"neither a line nor a pointer: {stderr!r}"
    return line, match["pointer"]


@pytest.mark.parametrize("existing", [False, True], ids=["no-previous-out", "previous-out"])
@pytest.mark.parametrize("bad", BAD_INPUTS, ids=[bad.name for bad in BAD_INPUTS])
def test_bad_input_is_refused_in_one_line(bad: Bad, existing: bool, tmp_path: Path) -> None:
    spec = tmp_path / "input" / bad.name
    spec.parent.mkdir()
    text = bad.text()
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    before: dict[str, bytes] | None = None
    if existing:
        (out / "sub").mkdir(parents=True)
        (out / "sub" / "kept.py").write_text("previous = True\n", encoding="utf-8")
        before = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}

    result = generate(spec, out)
    line, pointer = located_error(result, spec)

    if bad.line is not None:
        assert line == bad.line(text), f"expected line {bad.line(text)}: {result.stderr!r}"
    if line is not None:
        assert 1 <= line <= line_count(text), result.stderr
    if bad.pointer_resolves:
        assert pointer is not None, result.stderr
        resolve_pointer(json.loads(text), pointer)
    if existing:
        after = {path.relative_to(out).as_posix(): path.read_bytes() for path in out.rglob("*") if path.is_file()}
        assert after == before, "the previous output was changed"
    else:
        assert not out.exists(), "the output folder was created although generation failed"
    expected_entries = ["input", "out"] if existing else ["input"]
    assert sorted(entry.name for entry in tmp_path.iterdir()) == expected_entries, "something was left beside out"


def test_normalizer_error_pointer_is_escaped(tmp_path: Path) -> None:
    spec = tmp_path / "parameter-cycle.json"
    spec.write_text(PARAMETER_CYCLE, encoding="utf-8")
    _, pointer = located_error(generate(spec, tmp_path / "out"), spec)
    assert pointer is not None
    resolve_pointer(json.loads(PARAMETER_CYCLE), pointer)


def test_failed_run_creates_no_parent_folders(tmp_path: Path) -> None:
    spec = tmp_path / "truncated.txt"
    spec.write_text(_truncated_record(), encoding="utf-8")
    result = generate(spec, tmp_path / "new" / "deeper" / "out")
    located_error(result, spec)
    assert not (tmp_path / "new").exists(), "a failed run created new/deeper/"


# --- the real corpus ------------------------------------------------------------------------

_LITERALS = frozenset({"example", "examples", "default", "enum", "const"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "schemas", "responses", "content", "paths", "headers"})


def all_of_sites(node: Any, pointer: str = "", *, in_map: bool = False) -> list[str]:
    """Pointers of schema objects that still hold ``allOf`` (literal values and name keys excluded)."""
    found: list[str] = []
    if isinstance(node, dict):
        if not in_map and "allOf" in node:
            found.append(pointer)
        for key, value in node.items():
            if not in_map and (key in _LITERALS or key.startswith("x-")):
                continue
            token = key.replace("~", "~0").replace("/", "~1")
            found += all_of_sites(value, f"{pointer}/{token}", in_map=not in_map and key in _NAME_MAPS)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found += all_of_sites(item, f"{pointer}/{index}")
    return found


@dataclass(frozen=True)
class Normalized:
    source: dict[str, Any]
    document: dict[str, Any]
    diagnostics: Diagnostics
    files: int
    seconds: float

    def counts(self) -> str:
        counter = Counter(f"{item.level}:{item.code}" for item in self.diagnostics.sorted())
        return ", ".join(f"{name}={count}" for name, count in sorted(counter.items()))


@pytest.fixture(scope="module")
def corpus_normalized(corpus: Path) -> Normalized:
    folder = corpus / RECORDS
    if not folder.is_dir():
        pytest.skip(f"{folder} does not exist")
    started = time.perf_counter()
    source = load_source(folder)
    diagnostics = Diagnostics()
    document = normalize(source, diagnostics)
    seconds = time.perf_counter() - started
    files = sum(1 for path in folder.iterdir() if path.suffix == ".txt")
    return Normalized(source, document, diagnostics, files, seconds)


def test_corpus_records_ingest_and_normalize(corpus_normalized: Normalized) -> None:
    result = corpus_normalized
    context = f"diagnostics: {result.counts()}; ingest+normalize took {result.seconds:.1f}s"
    operations = [
        (path, method)
        for path, item in result.document["paths"].items()
        for method in METHODS
        if isinstance(item.get(method), dict)
    ]
    assert result.files == CORPUS_OPERATIONS, f"{result.files} record files; {context}"
    assert len(operations) == CORPUS_OPERATIONS, f"{len(operations)} operations; {context}"
    ids = Counter(result.document["paths"][path][method]["operationId"] for path, method in operations)
    assert len(ids) == CORPUS_OPERATIONS, f"operationIds repeated: {[i for i, n in ids.items() if n > 1][:5]}"
    left = all_of_sites(result.document["paths"], "/paths") + all_of_sites(
        result.document.get("components", {}).get("schemas", {}), "/components/schemas", in_map=True
    )
    assert not left, f"{len(left)} allOf left, first {left[:5]}; {context}"


def test_corpus_diagnostic_pointers_name_real_operations(corpus_normalized: Normalized) -> None:
    paths = corpus_normalized.source["paths"]
    wrong = []
    for item in corpus_normalized.diagnostics.sorted():
        if item.pointer.startswith("/paths/"):
            token = item.pointer.split("/")[2].replace("~1", "/").replace("~0", "~")
            if token not in paths:
                wrong.append(f"{item.code}: {item.pointer}")
    assert not wrong, f"{len(wrong)} diagnostics point at no path of the document: {wrong[:3]}"
