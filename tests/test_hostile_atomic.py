"""Atomic output: whatever goes wrong, the previous output folder stays byte-identical.

Each kind of failure is tried against a real previous generation: input that is refused
(see also every refusal in ``test_hostile.py``), ``--strict`` with warnings, the model
generator crashing, an unexpected failure inside clientgen, and an interrupt (SIGINT to
the whole process group, as Ctrl-C sends it, or SIGTERM) at different points of a run.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clientgen.layout import REPORT_FILE
from clientgen.project import write_tree
from test_hostile import REPO, one_line_error, snapshot

SPEC = REPO / "spec"
CONFIG = SPEC / "config.toml"


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "site" / "generated"
    write_tree(SPEC, CONFIG, out)
    return out, snapshot(out)


def leftovers(out: Path) -> list[str]:
    return sorted(entry.name for entry in out.parent.iterdir() if entry.name != out.name)


def run_patched(patch: str, spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The command line, after ``patch`` (Python source) has replaced part of the pipeline."""
    script = f"import sys\n{patch}\nfrom clientgen.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
    command = [
        sys.executable,
        "-c",
        script,
        "generate",
        "--spec",
        str(spec),
        "--config",
        str(CONFIG),
        "--out",
        str(out),
        "--no-cache",  # the patched stage must run, not be answered from an earlier run's cache
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    env.pop("CLIENTGEN_TRACEBACK", None)
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=REPO, env=env, timeout=300)


def test_model_generator_crash_leaves_previous_output(previous: tuple[Path, dict[str, bytes]]) -> None:
    out, before = previous
    patch = "import clientgen.generators.models as m\nm.DMCG_OPTIONS = (*m.DMCG_OPTIONS, '--no-such-option')"
    result = run_patched(patch, SPEC, out)
    _, _, message = one_line_error(result, SPEC)
    assert "datamodel-code-generator failed" in message
    assert "please report" in message
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_unexpected_failure_is_one_line_and_leaves_previous_output(previous: tuple[Path, dict[str, bytes]]) -> None:
    out, before = previous
    patch = (
        "import clientgen.project as p\n"
        "def broken(paths, **options):\n"
        "    raise RuntimeError('ruff failed on the generated package: boom')\n"
        "p._format = broken"
    )
    result = run_patched(patch, SPEC, out)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("error: internal failure (RuntimeError: ruff failed"), result.stderr
    assert "previous output is unchanged" in result.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_generated_code_that_does_not_compile_is_never_swapped_in(previous: tuple[Path, dict[str, bytes]]) -> None:
    """The last line of defence: if a template or generator ever wrote code that does not compile, nothing moves."""
    out, before = previous
    patch = (
        "import clientgen.project as p\n"
        "compile_all = p._compile_all\n"
        "def broken(root, *rest):\n"
        "    (root / 'src' / 'cloudflare_client' / '_version.py').write_text('return 1\\n')\n"
        "    compile_all(root, *rest)\n"
        "p._compile_all = broken"
    )
    result = run_patched(patch, SPEC, out)
    assert result.returncode == 2, result.stderr
    assert "generated code does not compile: src/cloudflare_client/_version.py:1" in result.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_strict_warnings_leave_previous_output(previous: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    out, before = previous
    spec = tmp_path / "warn.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n"
        "      parameters: [{name: n, in: query, schema: {type: integer, default: ten}}]\n"
        "      responses: {'204': {description: none}}\n",
        encoding="utf-8",
    )
    result = run_patched("", spec, out)
    assert result.returncode == 0, result.stderr
    assert "1 warnings" in result.stdout
    generated = snapshot(out)
    report = json.loads(generated[REPORT_FILE])
    (warning,) = [item for item in report["diagnostics"] if item["level"] == "warning"]
    assert warning["code"] == "default-type"
    assert "fix the default" in warning["message"]
    assert warning["pointer"] == "/paths/~1a/get/parameters/0/schema"
    seed = ["generate", "--spec", str(SPEC), "--config", str(CONFIG), "--out", str(out)]
    strict = subprocess.run(
        [sys.executable, "-m", "clientgen", *seed], capture_output=True, text=True, check=False, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "scripts")}, timeout=300,
    )  # fmt: skip
    assert strict.returncode == 0, strict.stderr  # the seed has no warnings: --strict passes
    before = snapshot(out)
    command = ["generate", "--spec", str(spec), "--config", str(CONFIG), "--out", str(out), "--strict"]
    strict = subprocess.run(
        [sys.executable, "-m", "clientgen", *command], capture_output=True, text=True, check=False, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO / "scripts")}, timeout=300,
    )  # fmt: skip
    _, pointer, message = one_line_error(strict, spec)
    assert pointer == "/paths/~1a/get/parameters/0/schema"
    assert "--strict: 1 warnings" in message
    assert snapshot(out) == before


def test_interrupt_during_the_moves_waits_for_them(previous: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    """Ctrl-C while files move in would leave the output half old, half new: it is held until they all moved."""
    out, before = previous
    spec = tmp_path / "other.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: Other, version: '1'}\npaths:\n  /other:\n    get:\n"
        "      operationId: other\n      responses: {'204': {description: none}}\n",
        encoding="utf-8",
    )
    patch = (
        "import os, signal\n"
        "import clientgen.project as p\n"
        "commit = p.commit\n"
        "def interrupted(plan, tree, staging):\n"
        "    os.kill(os.getpid(), signal.SIGINT)  # arrives while the files move\n"
        "    commit(plan, tree, staging)\n"
        "p.commit = interrupted"
    )
    result = run_patched(patch, spec, out)
    assert result.returncode == 0, result.stderr
    after = snapshot(out)
    assert after != before
    assert b"client.other.list" in after["api.md"]
    assert leftovers(out) == []


@contextlib.contextmanager
def interruptible_children() -> Iterator[None]:
    """Processes started inside take Ctrl-C (SIGINT) as they do on a terminal: a shell without job control starts a
    background job (``make test &`` in a script) with SIGINT ignored, and every process it starts inherits that."""
    before = signal.getsignal(signal.SIGINT)
    if before is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a handler: reset to the default in a child
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _slow_spec(folder: Path) -> Path:
    """Enough operations and models that a run lasts a few seconds, so an interrupt lands inside it."""
    paths: dict[str, Any] = {}
    for index in range(120):
        properties = {f"field_{index}_{number}": {"type": "string", "description": "x" * 200} for number in range(12)}
        schema = {
            "type": "object",
            "properties": {**properties, "nested": {"type": "object", "properties": properties}},
        }
        paths[f"/things{index}/{{thing_id}}"] = {
            "get": {
                "operationId": f"thing-{index}",
                "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
            }
        }
    spec = folder / "slow.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "Slow", "version": "1"}, "paths": paths}))
    return spec


def _staging(out: Path) -> list[Path]:
    return sorted(out.parent.glob(".generated-*"))


def _wait_for(condition: Any, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"finished before the interrupt: {process.communicate()}"
        assert time.monotonic() < deadline, "the run never reached the point to interrupt"
        time.sleep(0.005)


@pytest.mark.parametrize(
    ("when", "how"),
    [
        ("staging", signal.SIGINT),  # while reading and normalizing
        ("models", signal.SIGINT),  # while datamodel-code-generator or the templates or ruff run
        ("models", signal.SIGTERM),
    ],
    ids=["sigint-early", "sigint-late", "sigterm-late"],
)
def test_interrupt_leaves_previous_output(
    previous: tuple[Path, dict[str, bytes]], tmp_path: Path, when: str, how: signal.Signals
) -> None:
    out, before = previous
    spec = _slow_spec(tmp_path / "slow")
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    command = [
        sys.executable,
        "-m",
        "clientgen",
        "generate",
        "--spec",
        str(spec),
        "--config",
        str(CONFIG),
        "--out",
        str(out),
        "--no-cache",  # a warm project cache could end the run before the interrupt lands
    ]
    with interruptible_children():
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
            start_new_session=True,
        )
    try:
        if when == "staging":
            _wait_for(lambda: bool(_staging(out)), process)
        else:
            _wait_for(lambda: any((stage / "tree" / "src").exists() for stage in _staging(out)), process)
        if how == signal.SIGINT:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the generator's children too
        else:
            process.send_signal(how)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr
    assert stderr == "error: interrupted; the previous output is unchanged\n", stderr
    assert snapshot(out) == before, "an interrupt changed the previous output"
    assert leftovers(out) == [], "an interrupt left a staging folder"
