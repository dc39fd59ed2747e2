"""Each limit of :mod:`clientgen.limits`, with inputs built here (nothing large is committed).

Every oversized input is refused in one line naming the file and where, within a few seconds
and without building the oversized tree first; an input just inside a limit still generates.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from clientgen import limits
from clientgen.diagnostics import SpecError
from clientgen.ingest import load_source
from clientgen.layout import NAMES_FILE
from clientgen.project import write_tree
from test_hostile import REPO, Sandbox, forget_package, generate_case, import_package, one_line_error, run_cli

SECONDS = 20  # every refusal here takes well under a second or two; this only catches a hang


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


def document(schema: Any, *, description: str = "ok", extra: dict[str, Any] | None = None) -> dict[str, Any]:
    response = {"description": "ok", "content": {"application/json": {"schema": schema}}}
    operation = {"operationId": "limits-get", "description": description, "responses": {"200": response}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Limits", "version": "1"},
        "paths": {"/limits": {"get": operation}},
        **(extra or {}),
    }


def write(sandbox: Sandbox, name: str, text: str) -> Path:
    spec = sandbox.input / name
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(text, encoding="utf-8")
    return spec


def refused(sandbox: Sandbox, spec: Path, needle: str) -> str:
    started = time.perf_counter()
    result = run_cli(spec, sandbox.config("hostile_limits"), sandbox.out)
    elapsed = time.perf_counter() - started
    _, _, message = one_line_error(result, spec)
    assert needle in message, message
    assert elapsed < SECONDS, f"took {elapsed:.1f}s"
    assert not sandbox.out.exists()
    return message


def nested(depth: int, leaf: Any = "x") -> Any:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def test_the_limits_fit_real_specs() -> None:
    """The numbers the limits module documents for the Cloudflare spec stay far below each limit."""
    assert limits.MAX_FILE_BYTES >= 60_000_000, "a real 60 MB spec must not be refused"
    assert limits.MAX_VALUES >= 20 * 178_000
    assert limits.MAX_EXPANDED_VALUES >= 10 * 800_000
    assert limits.MAX_DEPTH >= 2 * 45
    assert limits.MAX_STRING_CHARS >= 100 * 6954


def test_a_sixty_megabyte_real_spec_is_not_refused(corpus: Path, tmp_path: Path) -> None:
    """Seven renamed copies of the 2024 Cloudflare spec side by side (~59 MB): every bound holds, in seconds."""
    source = corpus / "corpus" / "cloudflare" / "openapi-2024-08-06.json"
    if not source.is_file():
        pytest.skip(f"{source} does not exist")
    spec = json.loads(source.read_text(encoding="utf-8"))
    paths: dict[str, Any] = {}
    components: dict[str, dict[str, Any]] = {}
    for copy in range(7):
        prefix = f"c{copy}_"
        text = json.dumps({"paths": spec["paths"], "components": spec["components"]})
        for section in spec["components"]:
            text = text.replace(f'"#/components/{section}/', f'"#/components/{section}/{prefix}')
        renamed = json.loads(text)
        paths |= {f"/v{copy}{path}": item for path, item in renamed["paths"].items()}
        for section, entries in renamed["components"].items():
            components.setdefault(section, {}).update({f"{prefix}{name}": entry for name, entry in entries.items()})
    big = tmp_path / "big.json"
    big.write_text(json.dumps({**spec, "paths": paths, "components": components}, indent=2), encoding="utf-8")
    size = big.stat().st_size
    assert 50_000_000 < size < limits.MAX_FILE_BYTES, size
    started = time.perf_counter()
    document = load_source(big)
    assert len(document["paths"]) == 7 * len(spec["paths"])
    assert time.perf_counter() - started < 60


def test_file_larger_than_the_limit_is_refused(sandbox: Sandbox) -> None:
    """Never more than the limit is read; the error names the line on which the limit is crossed."""
    spec = sandbox.input / "huge.json"
    spec.parent.mkdir(parents=True)
    with spec.open("wb") as handle:  # sparse: costs no disk
        handle.write(b"\n" * 10)
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    message = refused(sandbox, spec, f"larger than {limits.MAX_FILE_BYTES:,} bytes")
    assert f"{spec}:11: " in message


def test_ten_million_values_are_refused_before_decoding(sandbox: Sandbox) -> None:
    text = json.dumps(document({"type": "object"}))[:-1] + ', "x-values": [' + "0," * 10_000_000 + "0]}"
    refused(sandbox, write(sandbox, "values.json", text), f"more than {limits.MAX_VALUES:,} JSON values")


def test_ten_million_yaml_values_are_refused_before_parsing(sandbox: Sandbox) -> None:
    head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-values:\n"
    refused(sandbox, write(sandbox, "values.yaml", head + "- 0\n" * 5_000_000), "more than 4,000,000 YAML values")


def test_ten_million_values_once_refs_are_inlined(sandbox: Sandbox) -> None:
    """Twenty-four levels of schemas, each using the next twice: a 3 kB file, 2^24 schemas inlined."""
    schemas: dict[str, Any] = {
        f"S{i}": {
            "type": "object",
            "properties": {
                "a": {"$ref": f"#/components/schemas/S{i + 1}"},
                "b": {"$ref": f"#/components/schemas/S{i + 1}"},
            },
        }
        for i in range(24)
    }
    schemas["S24"] = {"type": "string"}
    text = json.dumps(document({"$ref": "#/components/schemas/S0"}, extra={"components": {"schemas": schemas}}))
    message = refused(sandbox, write(sandbox, "fan-out.json", text), "values once every $ref is inlined")
    assert "#/paths/~1limits/get" in message


def test_entangled_recursion_generates_one_model_per_component(sandbox: Sandbox) -> None:
    """Eighteen schemas each using all the others: 17! inlinings, were they inlined; kept as references, 18 models."""
    count = 18
    schemas = {
        f"C{i}": {
            "type": "object",
            "properties": {f"p{j}": {"$ref": f"#/components/schemas/C{j}"} for j in range(count) if j != i},
        }
        for i in range(count)
    }
    text = json.dumps(document({"$ref": "#/components/schemas/C0"}, extra={"components": {"schemas": schemas}}))
    result = run_cli(write(sandbox, "entangled.json", text), sandbox.config("hostile_limits"), sandbox.out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(json.loads((sandbox.out / NAMES_FILE).read_text(encoding="utf-8"))["models"]) == count


def test_a_fifty_megabyte_word_is_refused(sandbox: Sandbox) -> None:
    text = json.dumps(document({"type": "object"}, description="w" * 50_000_000))
    message = refused(sandbox, write(sandbox, "word.json", text), "a string of 50,000,000 characters")
    assert "#/paths/~1limits/get/description" in message


def test_a_long_word_in_yaml_is_refused(sandbox: Sandbox) -> None:
    word = "w" * (limits.MAX_STRING_CHARS + 1)
    text = f"openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-word: {word}\n"
    refused(sandbox, write(sandbox, "word.yaml", text), f"more than {limits.MAX_STRING_CHARS:,}")


def test_a_long_key_is_refused(sandbox: Sandbox) -> None:
    schema = {"type": "object", "properties": {"k" * (limits.MAX_STRING_CHARS + 1): {"type": "string"}}}
    refused(sandbox, write(sandbox, "key.json", json.dumps(document(schema))), "a key of 1,000,001 characters")


@pytest.mark.parametrize("depth", [limits.MAX_DEPTH + 1, 10_000, 100_000])
@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deep_nesting_is_refused_in_one_line(sandbox: Sandbox, depth: int, suffix: str) -> None:
    """Arrays nested 121, 10,000 and 100,000 deep: never a RecursionError traceback."""
    extra = {"x-deep": nested(depth)} if depth < 1000 else {}
    text = json.dumps(document({"type": "object"}, extra=extra))
    if depth >= 1000:  # built as text: json.dumps itself would recurse too deeply
        text = text[:-1] + ', "x-deep": ' + "[" * depth + "]" * depth + "}"
    message = refused(sandbox, write(sandbox, f"deep{suffix}", text), "nested")
    assert "deep" in message.lower()


def test_deep_nesting_in_a_record_is_refused(sandbox: Sandbox) -> None:
    seed = (REPO / "spec" / "pages-deployment-rollback-deployment.txt").read_text(encoding="utf-8")
    site = '"description": "Rollback deployment response failure."'
    text = seed.replace(site, '"x-deep": ' + "[" * 5000 + "]" * 5000 + ",\n" + site, 1)
    assert text != seed
    message = refused(sandbox, write(sandbox, "deep.txt", text), f"nested more than {limits.MAX_DEPTH} levels deep")
    line = int(message.split("deep.txt:", 1)[1].split(":", 1)[0])
    assert text.split("\n")[line - 1].startswith('"x-deep": [[['), message


def test_deep_schemas_are_refused_once_inlined(sandbox: Sandbox) -> None:
    """Each schema is shallow, but they nest 200 deep through properties once inlined."""
    schemas: dict[str, Any] = {
        f"D{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/D{i + 1}"}}}
        for i in range(200)
    }
    schemas["D200"] = {"type": "string"}
    text = json.dumps(document({"$ref": "#/components/schemas/D0"}, extra={"components": {"schemas": schemas}}))
    refused(sandbox, write(sandbox, "deep-refs.json", text), f"nested more than {limits.MAX_DEPTH} levels deep")


def test_just_inside_the_limits_still_generates(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """Objects nested 25 deep around arrays nested 60 deep (JSON depth 120 of 120), a 900,000-character word."""
    schema: dict[str, Any] = {"type": "array", "items": {"type": "integer"}}
    for _ in range(59):
        schema = {"type": "array", "items": schema}
    for level in range(25):
        schema = {
            "type": "object",
            "description": "d" * 900_000 if level == 3 else "level",
            "properties": {"inner": schema},
        }
    spec = write(sandbox, "inside.json", json.dumps(document(schema, description="w" * 900_000)))
    generated = generate_case(sandbox, spec, "hostile_inside", monkeypatch)
    try:
        module = import_package(generated.out, generated.package)
        assert module.Client
        for path in (generated.out / "src").rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "w" * (limits.MAX_DOC_CHARS + 1) not in text
            assert "d" * (limits.MAX_DOC_CHARS + 1) not in text
    finally:
        forget_package(generated.out, generated.package)


def test_recursion_limit_anywhere_is_one_line(sandbox: Sandbox) -> None:
    """Whatever runs out of stack (here: a spec 100 levels deep, under a small recursion limit) ends as one line."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(45):
        schema = {"type": "object", "properties": {"inner": schema}}
    spec = write(sandbox, "deep.json", json.dumps(document(schema)))
    script = (
        "import sys\n"
        "import clientgen.__main__, clientgen.project, jinja2, yaml, copy, json, tomllib\n"
        "sys.setrecursionlimit(120)\n"
        "sys.exit(clientgen.__main__.main(sys.argv[1:]))\n"
    )
    command = [
        sys.executable,
        "-c",
        script,
        "generate",
        "--spec",
        str(spec),
        "--config",
        str(REPO / "spec" / "config.toml"),
    ]
    result = subprocess.run(
        [*command, "--out", str(sandbox.out)], capture_output=True, text=True, check=False, cwd=REPO, timeout=120,
        env={"PYTHONPATH": str(REPO / "scripts"), "PATH": ""},
    )  # fmt: skip
    _, _, message = one_line_error(result, spec)
    assert "nested too deeply to process" in message
    assert not sandbox.out.exists()


def test_running_out_of_memory_is_one_line(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr("clientgen.project.normalize_cached", exhausted)
    with pytest.raises(SpecError, match="out of memory") as error:
        write_tree(REPO / "spec", REPO / "spec" / "config.toml", sandbox.out)
    assert "\n" not in str(error.value)
    assert not sandbox.out.exists()
