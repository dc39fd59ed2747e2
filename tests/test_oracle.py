"""openapi-python-client (OPC) as an independent oracle for the normalized document.

OPC reads OpenAPI strictly and says so when it cannot type something.  On the normalized
document it must generate everything without a single warning and type the 200 response;
on the raw seed (the same operation before normalization) it skips the endpoint, which is
why the normalizer exists.  On the whole 2024 API it generates every operation from the
oracle's view of the normalized document (``oracle_view.py``: what OPC cannot express,
spelled its way; on the raw spec it skips 228 endpoints).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from clientgen.diagnostics import Diagnostics
from clientgen.ingest import load_source
from clientgen.layout import NORMALIZED_FILE
from clientgen.normalize import normalize
from clientgen.normalize.schemas import iter_operations
from oracle_view import oracle_view

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "spec" / "pages-deployment-rollback-deployment.txt"
NORMALIZED = REPO / "generated" / NORMALIZED_FILE
OPC = Path(sys.executable).with_name("openapi-python-client")
OPERATION_WORD = "rollback"


def run_opc(document: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    if not OPC.is_file():
        pytest.skip(f"{OPC} is not installed")
    config = tmp_path / "opc.yaml"
    config.write_text("post_hooks: []\n", encoding="utf-8")  # no ruff hook writing caches into the output
    out = tmp_path / "out"
    result = subprocess.run(
        [str(OPC), "generate", "--path", str(document), "--output-path", str(out), "--meta", "none",
         "--fail-on-warning", "--config", str(config)],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    return result, out


def endpoint_modules(out: Path) -> list[Path]:
    return sorted(path for path in (out / "api").rglob("*.py") if OPERATION_WORD in path.name) if out.is_dir() else []


def function(tree: ast.Module, name: str) -> ast.FunctionDef:
    (found,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name]
    return found


def imported_models(tree: ast.Module) -> dict[str, str]:
    """Class name -> module, for ``from ...models.x import X`` imports."""
    return {
        alias.asname or alias.name: node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("models")
        for alias in node.names
    }


def branch_for_status(parse: ast.FunctionDef, status: int) -> ast.If:
    for node in ast.walk(parse):
        if isinstance(node, ast.If) and f"status_code == {status}" in ast.unparse(node.test):
            return node
    pytest.fail(f"_parse_response has no branch for {status}:\n{ast.unparse(parse)}")


def test_normalized_document_generates_cleanly_and_typed(tmp_path: Path) -> None:
    result, out = run_opc(NORMALIZED, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "warning" not in output.lower(), output
    modules = endpoint_modules(out)
    assert len(modules) == 1, f"expected one endpoint module named like {OPERATION_WORD!r}: {modules}"
    tree = ast.parse(modules[0].read_text(encoding="utf-8"))
    models = imported_models(tree)
    parse = function(tree, "_parse_response")

    returns = ast.unparse(parse.returns) if parse.returns else ""
    assert "Any" not in returns, returns
    ok = branch_for_status(parse, 200)
    calls = [
        node for node in ast.walk(ok) if isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".from_dict")
    ]
    assert calls, f"the 200 branch builds no model:\n{ast.unparse(ok)}"
    model = ast.unparse(calls[0].func).removesuffix(".from_dict")
    assert model in models, f"{model} is not one of the generated models {sorted(models)}"

    # The envelope's `result` is the concrete deployment, not the generic anyOf placeholder.
    model_file = out / Path(*models[model].split(".")).with_suffix(".py")
    model_tree = ast.parse(model_file.read_text(encoding="utf-8"))
    (cls,) = [node for node in model_tree.body if isinstance(node, ast.ClassDef) and node.name == model]
    fields = {
        node.target.id: ast.unparse(node.annotation)
        for node in cls.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    }
    assert "result" in fields, fields
    result_type = fields["result"]
    assert result_type not in {"Any", "Unset", "None"}, result_type
    for placeholder in ("Type0", "list[Any]", "str"):  # the pieces of anyOf[object, array, string]
        assert placeholder not in result_type, result_type


def test_raw_seed_is_what_the_normalizer_is_for(tmp_path: Path) -> None:
    raw: dict[str, Any] = load_source(SEED)
    document = tmp_path / "raw.json"
    document.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    result, out = run_opc(document, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"OPC accepted the raw seed without warnings:\n{output}"
    assert "warning" in output.lower(), output
    assert endpoint_modules(out) == [], "OPC generated the endpoint from the raw seed"


@pytest.mark.long_running(45)  # about its CPU seconds: started early (xdist_groups.py)
def test_the_whole_api_generates_every_operation(corpus: Path, tmp_path: Path) -> None:
    normalized = normalize(load_source(corpus / "corpus" / "cloudflare" / "openapi-2024-08-06.json"), Diagnostics())
    document = tmp_path / "view.json"
    document.write_text(json.dumps(oracle_view(normalized)), encoding="utf-8")
    result, out = run_opc(document, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-5000:]
    assert "warning" not in output.lower(), output[-5000:]
    endpoints = [path for path in (out / "api").rglob("*.py") if path.name != "__init__.py"]
    assert len(endpoints) == sum(1 for _ in iter_operations(normalized)) == 1535
