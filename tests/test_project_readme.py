"""Every code block of the project's README.md is tested, so the user's guide cannot drift from the tool.

* ``python``: run in order against a server on 127.0.0.1 with the committed seed package, and
  checked with ``mypy --strict`` (as the generated README's blocks are, ``test_readme.py``);
* ``toml``: the config example is a config ``make generate`` accepts: the seed is generated with it;
* ``text``: the summary line is the one that generation prints (time and folder aside), and the
  data-flow diagram names modules that exist and files that a generation writes;
* ``sh``: every ``make`` target is one ``make help`` lists, every ``VAR=`` one the Makefile reads,
  and ``make help`` itself runs.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from clientgen.__main__ import main
from clientgen.config import load_config
from live_server import LiveServer
from test_client_live import EXAMPLE_DEPLOYMENT, envelope
from test_readme import ROLLBACK, environment, json_reply, mypy_strict, python_blocks, run_blocks

if TYPE_CHECKING:
    import pytest

__all__ = ["environment"]  # the fixture, imported for the tests below

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SHELL_COMMANDS = ("make", "git")


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", README.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def test_python_blocks_run_against_a_server(environment: LiveServer) -> None:
    environment.handler = lambda _request: json_reply(envelope(EXAMPLE_DEPLOYMENT))
    found = python_blocks(README)
    assert found, "the README shows the generated package in a python block"
    sent = run_blocks(found, environment)
    requests = [request for block in sent for request in block]
    assert requests, "the example called nothing"
    assert all(ROLLBACK.fullmatch(request.url_path) for request in requests)


def test_python_blocks_type_check(tmp_path: Path, mypy_cache: Path) -> None:
    mypy_strict(python_blocks(README), tmp_path, REPO / "generated" / "src", mypy_cache)


def test_toml_config_generates_and_the_summary_line_is_the_real_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (config_text,) = blocks("toml")
    config = tmp_path / "config.toml"
    config.write_text(config_text, encoding="utf-8")
    assert load_config(config).import_name == "acme_client"
    out = tmp_path / "generated"
    assert main(["generate", "--spec", str(REPO / "spec"), "--config", str(config), "--out", str(out)]) == 0
    assert (out / "src" / "acme_client" / "py.typed").is_file()
    printed = capsys.readouterr().out.strip()
    shown = next(block.strip() for block in blocks("text") if block.startswith("generated "))

    def without_time_and_folder(line: str) -> str:
        return re.sub(r" into \S+ in [\d.]+ s:", " into OUT in N s:", line)

    assert without_time_and_folder(printed) == without_time_and_folder(shown)


def test_data_flow_names_real_modules_and_files(tmp_path: Path) -> None:
    diagram = next(block for block in blocks("text") if "ingest" in block)
    for module in re.findall(r"scripts/clientgen/\w+", diagram):
        assert (REPO / module).is_dir() or (REPO / f"{module}.py").is_file(), module
    listed = re.findall(r"[\w.]+\.(?:json|md|toml)\b", diagram.split("▼", 1)[1])
    generated = {path.name for path in (REPO / "generated").rglob("*") if path.is_file()}
    assert listed
    assert set(listed) <= generated, set(listed) - generated


def _make_help() -> str:
    result = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO, capture_output=True, text=True,  # noqa: S607 - make from PATH, as the user runs it
                            check=True, timeout=120)  # fmt: skip
    return result.stdout


def test_shell_blocks_use_real_targets_and_variables() -> None:
    listed = set(re.findall(r"^  ([a-z-]+) ", _make_help(), re.MULTILINE))
    assert {"generate", "test", "changelog", "dist", "publish", "check", "help"} <= listed
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    commands = [line.split("#", 1)[0].strip() for block in blocks("sh") for line in block.splitlines()]
    commands = [command for command in commands if command]
    assert commands
    for command in commands:
        words = command.split()
        assert words[0] in SHELL_COMMANDS, command
        if words[0] != "make":
            continue
        targets = [word for word in words[1:] if "=" not in word]
        assert targets, command
        assert set(targets) <= listed, command
        for variable in [word.split("=", 1)[0] for word in words[1:] if "=" in word]:
            assert f"$({variable})" in makefile, f"{command}: the Makefile does not read {variable}"


def test_bare_make_lists_the_targets() -> None:
    result = subprocess.run(["make", "--no-print-directory"], cwd=REPO, capture_output=True, text=True,  # noqa: S607
                            check=True, timeout=120)  # fmt: skip
    assert result.stdout == _make_help()
    assert ".installed-" not in result.stdout  # not the bootstrap stamp ("is up to date"), as before issue 14
