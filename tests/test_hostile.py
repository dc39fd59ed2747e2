"""Hostile and broken specs (``tests/hostile/``): safe, bounded, clear.

Every document in ``tests/hostile`` is one case of :data:`CASES`.  A case either

* **generates**: the package is written, every module compiles and imports, every
  operation is called against a server on 127.0.0.1, no payload ran (the marker file the
  payloads try to create never appears), no spec text stands outside a string literal or
  comment, ``pyproject.toml`` holds only what the template writes, and nothing was written
  outside the output folder; or
* **is refused**: the command line exits 1 with one line naming the file and a line or
  JSON pointer, no traceback, and the previous output folder is byte-identical.

The helpers here are shared by the other ``test_hostile_*`` modules.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tokenize
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from clientgen.layout import NORMALIZED_FILE, REPORT_FILE
from clientgen.output_tree import LEGACY_MARKER
from clientgen.project import write_tree
from live_server import LiveServer, RecordedRequest, Reply, json_reply

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().parent / "hostile"
MARKER = "@MARKER@"
MARKER_IN_POINTER = "@MARKER~POINTER@"  # the marker path as one JSON pointer token (in $ref values)
SERVER = "@SERVER@"
# Names a payload uses to run code; none may appear in generated code outside strings and comments.
FORBIDDEN_NAMES = frozenset({"__import__", "eval", "exec", "breakpoint", "pathlib", "touch", "system", "popen"})
TOKEN = "hostile-token"  # noqa: S105 - not a secret
WHERE = re.compile(r"^(?::(?P<line>\d+))?(?:#(?P<pointer>/[^ ]*))?: \S")


# --- running a case ------------------------------------------------------------------------------------


@dataclass
class Sandbox:
    """A case's temporary folder: ``input/`` (the spec), ``out/``, ``cwd/``, and the marker path."""

    root: Path
    server_url: str = "http://127.0.0.1:9"

    @property
    def marker(self) -> Path:
        return self.root / "PWNED-marker"

    @property
    def input(self) -> Path:
        return self.root / "input"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def substitute(self, text: str) -> str:
        pointer_token = str(self.marker).replace("~", "~0").replace("/", "~1")
        return (
            text.replace(MARKER_IN_POINTER, pointer_token)
            .replace(MARKER, str(self.marker))
            .replace(SERVER, self.server_url)
        )

    def place(self, name: str) -> Path:
        """Copy ``tests/hostile/<name>`` (file or folder) into ``input/``, placeholders filled; return the spec."""
        source = HOSTILE / name
        target = self.input / name
        files = [source] if source.is_file() else sorted(path for path in source.rglob("*") if path.is_file())
        for file in files:
            relative = file.relative_to(source.parent)
            destination = self.input / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(self.substitute(file.read_text(encoding="utf-8")).encode())
        return target if source.is_file() else target / "openapi.yaml"

    def config(self, import_name: str) -> Path:
        path = self.root / "config" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "[package]\n"
            f'distribution = "{import_name.replace("_", "-")}"\n'
            f'import_name = "{import_name}"\n'
            'version = "0.1.0"\n'
            'base_url = "http://127.0.0.1:9"\n'
            'environment_prefix = "HOSTILE"\n',
            encoding="utf-8",
        )
        return path

    def files_outside_out(self) -> set[str]:
        return {
            path.relative_to(self.root).as_posix()
            for path in self.root.rglob("*")
            if not path.is_relative_to(self.out) and path.name != self.out.name
        }


def import_name_for(case: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", case.lower()).strip("_")
    return f"hostile_{slug}"[:50]


def run_cli(spec: Path, config: Path, out: Path, *extra: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    env.pop("CLIENTGEN_TRACEBACK", None)
    command = [sys.executable, "-m", "clientgen", "generate", "--spec", str(spec), "--config", str(config)]
    return subprocess.run(
        [*command, "--out", str(out), "--no-cache", *extra],  # hostile input is never answered from a cache
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str], spec: Path) -> tuple[int | None, str | None, str]:
    """The ``error: <file>[:N][#/pointer]: message`` contract; returns (line, pointer, message)."""
    assert result.returncode == 1, f"exit {result.returncode}: {result.stdout}{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.endswith("\n"), repr(result.stderr)
    assert result.stderr.count("\n") == 1, f"not one line: {result.stderr!r}"
    prefix = f"error: {spec}"
    assert result.stderr.startswith(prefix), f"does not name {spec}: {result.stderr!r}"
    match = WHERE.match(result.stderr[len(prefix) :])
    assert match, f"no ':line' or '#/pointer' after the file: {result.stderr!r}"
    line = int(match["line"]) if match["line"] else None
    assert line is not None or match["pointer"], f"neither a line nor a pointer: {result.stderr!r}"
    return line, match["pointer"], result.stderr


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def fake_previous_output(out: Path) -> dict[str, bytes]:
    """An output folder as a previous run leaves it (a top-level report.json, as before the manifest, marks it)."""
    (out / "src" / "pkg").mkdir(parents=True)
    (out / LEGACY_MARKER).write_text('{"previous": true}\n', encoding="utf-8")
    (out / "src" / "pkg" / "__init__.py").write_text("PREVIOUS = True\n", encoding="utf-8")
    return snapshot(out)


# --- checking a generated package ----------------------------------------------------------------------


def python_files(out: Path) -> list[Path]:
    return sorted((out / "src").rglob("*.py"))


def code_tokens(source: str) -> Iterator[tokenize.TokenInfo]:
    """Every token that is code: not a string literal, comment or layout."""
    skip = {tokenize.STRING, tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    skip |= {
        getattr(tokenize, name)
        for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
        if hasattr(tokenize, name)
    }
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip and token.type != tokenize.ENDMARKER:
            yield token


def check_inert(out: Path, marker: Path) -> None:
    """No payload text is code: forbidden names and the marker path appear only inside strings or comments."""
    files = python_files(out)
    assert files, "no Python files were generated"
    for file in files:
        source = file.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(file))
        compile(tree, str(file), "exec")
        for token in code_tokens(source):
            assert token.string not in FORBIDDEN_NAMES, f"{file}:{token.start[0]}: code token {token.string!r}"
            assert str(marker) not in token.string, f"{file}:{token.start[0]}: the marker path is code"
        for node in ast.walk(tree):
            names = [getattr(node, attribute, None) for attribute in ("id", "attr", "name", "arg", "module")]
            for name in (part for dotted in names if isinstance(dotted, str) for part in dotted.split(".")):
                assert name not in FORBIDDEN_NAMES, f"{file}:{getattr(node, 'lineno', '?')}: {name!r} in the AST"
                assert name.isascii(), f"{file}: non-ASCII identifier {name!r}"
                assert name.isidentifier(), f"{file}: not an identifier {name!r}"


def check_pyproject(out: Path, import_name: str) -> None:
    data = tomllib.loads((out / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(data) == {"build-system", "project", "tool"}, sorted(data)
    assert set(data["tool"]) == {"setuptools"}, data["tool"]
    project = data["project"]
    assert project["name"] == import_name.replace("_", "-")
    assert project["version"] == "0.1.0"
    assert "\n" not in project["description"]


@dataclass
class Call:
    call: str
    outcome: str  # "ok", or the client error's class name


@dataclass
class Generated:
    """A generated package, imported in this process under a name of its own."""

    out: Path
    package: str
    report: dict[str, Any]
    module: Any = None
    calls: list[Call] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)

    def text(self, relative: str) -> str:
        return (self.out / "src" / self.package / relative).read_text(encoding="utf-8")

    def types_source(self) -> str:
        return "\n".join(
            path.read_text(encoding="utf-8")
            for path in sorted((self.out / "src" / self.package / "types").rglob("*.py"))  # with the private modules
        )

    def model(self, class_name: str) -> Any:
        for path in sorted((self.out / "src" / self.package / "types").glob("*.py")):
            module = importlib.import_module(f"{self.package}.types.{path.stem}")
            if hasattr(module, class_name):
                return getattr(module, class_name)
        msg = f"no model class {class_name}"
        raise AssertionError(msg)

    def operations(self) -> list[dict[str, Any]]:
        return list(self.report["operations"])

    def method(self, client: Any, call: str) -> Any:
        target = client
        for part in call.split(".")[1:]:
            target = getattr(target, part)
        return target


def _argument(annotation: str) -> Any:
    """A value of the annotated type, good enough to make a call."""
    text = annotation.replace(" | None", "").strip()
    if text.startswith("Literal["):
        first = ast.parse(text, mode="eval").body
        assert isinstance(first, ast.Subscript)
        element = first.slice.elts[0] if isinstance(first.slice, ast.Tuple) else first.slice
        return ast.literal_eval(element)
    simple = {"int": 1, "float": 1.5, "bool": True, "str": "x"}
    if text in simple:
        return simple[text]
    if text.startswith(("list[", "List[")):
        return []
    return {}


def call_everything(generated: Generated, server: LiveServer) -> None:
    """Construct a client and call every operation once; a call ends in a value or in one of the client's errors."""
    package = generated.module
    base_error = package.APIError.__mro__[1]  # the package's base exception, named after the API
    client = package.Client(api_token=TOKEN, base_url=server.url, max_retries=0)
    try:
        for operation in generated.operations():
            method = generated.method(client, operation["call"])
            kwargs = {
                name: _argument(str(parameter.annotation))
                for name, parameter in inspect.signature(method).parameters.items()
                if parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is inspect.Parameter.empty
            }
            try:
                method(**kwargs)
                outcome = "ok"
            except base_error as error:
                outcome = type(error).__name__
            generated.calls.append(Call(operation["call"], outcome))
    finally:
        client.close()
    generated.requests = server.requests


@dataclass(frozen=True)
class Generates:
    """The case generates; ``check`` looks at the result, ``warnings`` are codes --strict must refuse."""

    check: Callable[[Generated], None] | None = None
    warnings: tuple[str, ...] = ()
    reply: Callable[[RecordedRequest], Reply] | None = None


@dataclass(frozen=True)
class Refused:
    """The case is refused; the one-line error contains ``needle`` and carries a line or a pointer."""

    needle: str
    line: int | None = None  # when given, the line the error must name
    pointer: str | None = None  # when given, the start of the pointer the error must name


def default_reply(request: RecordedRequest) -> Reply:
    del request
    return json_reply({"success": True, "errors": [], "messages": [], "result": {}})


def import_package(out: Path, package: str) -> Any:
    sys.path.insert(0, str(out / "src"))
    importlib.invalidate_caches()
    module = importlib.import_module(package)
    for path in sorted((out / "src" / package).rglob("*.py")):
        parts = path.relative_to(out / "src").with_suffix("").parts
        importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return module


def forget_package(out: Path, package: str) -> None:
    for name in [name for name in sys.modules if name == package or name.startswith(package + ".")]:
        del sys.modules[name]
    if str(out / "src") in sys.path:
        sys.path.remove(str(out / "src"))


def generate_case(
    sandbox: Sandbox, spec: Path, package: str, monkeypatch: pytest.MonkeyPatch, *, strict: bool = False
) -> Generated:
    """Generate in-process from inside an empty working folder; check what every generated package must satisfy."""
    cwd = sandbox.root / "cwd"
    cwd.mkdir(exist_ok=True)
    config = sandbox.config(package)
    before = sandbox.files_outside_out()
    monkeypatch.chdir(cwd)
    write_tree(spec, config, sandbox.out, strict=strict)
    monkeypatch.chdir(REPO)
    assert not sandbox.marker.exists(), "a payload ran during generation"
    assert sandbox.files_outside_out() == before, "generation wrote outside the output folder"
    assert not list(cwd.iterdir()), "generation wrote into the working folder"
    check_inert(sandbox.out, sandbox.marker)
    check_pyproject(sandbox.out, package)
    report = json.loads((sandbox.out / REPORT_FILE).read_text(encoding="utf-8"))
    return Generated(sandbox.out, package, report)


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    return Sandbox(tmp_path)


# --- the cases -----------------------------------------------------------------------------------------


def _field_names(model: Any) -> dict[str, str]:
    """Wire name (alias) -> Python field name."""
    return {(info.alias if info.alias is not None else name): name for name, info in model.model_fields.items()}


def check_collide_properties(generated: Generated) -> None:
    thing = generated.model("Thing")
    names = _field_names(thing)
    schema = json.loads((generated.out / NORMALIZED_FILE).read_text(encoding="utf-8"))
    wire = set(schema["components"]["schemas"]["Thing"]["properties"])
    assert set(names) == wire, f"lost or invented: {sorted(set(names) ^ wire)}"
    python = list(names.values())
    assert len(set(python)) == len(python), f"two fields share a name: {python}"
    for name in python:
        assert name.isascii(), name
        assert name.isidentifier(), name
        assert len(name) <= 60, name
    assert names["class"].startswith("class_")
    assert names["json"] != "json"
    assert not names["model_dump"].startswith("model_")
    assert names["𝔘"] in {"u", "u_2", "u_3"}  # noqa: RUF001 - look-alike letters on purpose
    payload = {key: f"v{index}" for index, key in enumerate(sorted(wire)) if key not in {"int", "true", "datetime"}}
    payload |= {"int": 7, "true": True, "datetime": "2024-01-02T03:04:05Z"}
    parsed = thing.model_validate(payload)
    dumped = parsed.model_dump(by_alias=True, mode="json", exclude_unset=True)
    assert dumped == {**payload, "datetime": "2024-01-02T03:04:05Z"}, "wire names did not round-trip"
    assert parsed.model_dump(mode="json")  # the pydantic methods still work: no field shadows them
    for key in ("a_b", "a-b", "U", "𝔘"):  # one wire key fills one field, never a field *named* like it as well  # noqa: RUF001 - look-alike letters on purpose
        assert thing.model_validate({key: "only"}).model_dump(by_alias=True, exclude_unset=True) == {key: "only"}


def check_collide_schemas(generated: Generated) -> None:
    source = generated.types_source()
    classes = re.findall(r"^class (\w+)\(", source, flags=re.MULTILINE)
    assert len(classes) == len(set(classes)), f"a class is defined twice: {classes}"
    fields = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"}
    assert all(f"    {name}:" in source for name in fields), "a schema was dropped"
    assert not {"None", "True", "BaseModel", "Field"} & set(classes)


def check_collide_parameters(generated: Generated) -> None:
    client = generated.module.Client(api_token=TOKEN, base_url="http://127.0.0.1:9")
    method = generated.method(client, generated.operations()[0]["call"])
    parameters = list(inspect.signature(method).parameters)
    assert len(parameters) == len(set(parameters))
    for taken in ("fill_path", "path_param", "ignore", "passthrough", "body", "timeout", "self", "max_retries"):
        assert parameters.count(taken) <= 1
    (request,) = generated.requests
    assert request.url_path == "/params/x/x", request.url_path
    assert set(request.query) >= {"a-b"}, request.query
    client.close()


def check_collide_operations(generated: Generated) -> None:
    calls = [operation["call"] for operation in generated.operations()]
    assert len(calls) == 8, calls
    assert len(set(calls)) == len(calls), f"two operations share a method: {calls}"
    paths = sorted(request.url_path for request in generated.requests)
    assert paths == sorted(["/t7", "/t8", "/Pets", "/pets", "/PETS", "/a-b", "/a_b", "/A-B"]), paths


def check_case_insensitive(generated: Generated) -> None:
    files = [path.relative_to(generated.out).as_posix().lower() for path in generated.out.rglob("*")]
    assert len(files) == len(set(files)), "two generated paths differ only in case"
    assert len({operation["call"] for operation in generated.operations()}) == 3


def check_long_names(generated: Generated) -> None:
    for path in generated.out.rglob("*"):
        assert len(path.name) <= 80, path.name
    source = generated.types_source()
    assert source.count(" = None") >= 3, "a long-named field was dropped"
    calls = [operation["call"] for operation in generated.operations()]
    assert len(set(calls)) == len(calls) == 6, calls


def check_reserved_methods(generated: Generated) -> None:
    client = generated.module.Client(api_token=TOKEN, base_url="http://127.0.0.1:9")
    assert callable(client.close)
    assert inspect.ismethod(client.close)
    assert isinstance(client.base_url, str)
    calls = [operation["call"] for operation in generated.operations()]
    assert len(set(calls)) == len(calls) == 8, calls
    client.close()


def check_traversal(generated: Generated) -> None:
    for path in generated.out.rglob("*"):
        assert path.resolve().is_relative_to(generated.out.resolve()), path
        assert not {"..", "."} & set(path.relative_to(generated.out).parts), path


def check_toml_title(generated: Generated) -> None:
    data = tomllib.loads((generated.out / "pyproject.toml").read_text(encoding="utf-8"))
    assert "evil" not in data["tool"]
    assert data["project"]["version"] == "0.1.0"


def check_refs_inside(generated: Generated) -> None:
    schema = json.loads((generated.out / NORMALIZED_FILE).read_text(encoding="utf-8"))
    assert any("owner" in (component.get("properties") or {}) for component in schema["components"]["schemas"].values())
    (request,) = generated.requests
    assert request.url_path == "/pets/x"


def check_discriminator(generated: Generated) -> None:
    source = generated.types_source()
    assert "SECRET-OUTSIDE" not in source, "a file outside the spec's folder was read"


def check_inherited_parameters(generated: Generated) -> None:
    client = generated.module.Client(api_token=TOKEN, base_url="http://127.0.0.1:9")
    for operation in generated.operations():
        parameters = inspect.signature(generated.method(client, operation["call"])).parameters
        assert "account_id" in parameters, operation
    paths = {request.url_path for request in generated.requests}
    assert paths == {"/accounts/x/widgets"}, paths
    client.close()


def check_tree(generated: Generated) -> None:
    # the recursive component ``Node``: this document's keys are words, so it is named by its key (naming_source)
    node = generated.model("Node")
    payload = {"name": "a", "children": [{"name": "b", "children": [{"name": "c", "children": []}]}]}
    parsed = node.model_validate(payload)
    assert parsed.children[0].children[0].name == "c"
    assert parsed.model_dump(mode="json", exclude_unset=True) == payload
    person = generated.model("Person")
    nested = {"name": "p", "employer": {"title": "c", "staff": [{"name": "q", "employer": {"title": "d"}}]}}
    assert person.model_validate(nested).employer.staff[0].employer.title == "d"


def check_wrong_defaults(generated: Generated) -> None:
    codes = {item["code"] for item in generated.report["diagnostics"] if item["level"] == "warning"}
    assert codes, generated.report["diagnostics"]
    for item in generated.report["diagnostics"]:
        assert item["pointer"].startswith("/"), item


def reply_tree(request: RecordedRequest) -> Reply:
    if request.url_path == "/tree":
        return json_reply({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]})
    return json_reply({"name": "p", "employer": {"title": "c", "staff": []}})


def skips_one_operation(reason: str) -> Generates:
    """An operation-level problem skips that operation, reported with ``reason``; the API still generates."""

    def check(generated: Generated) -> None:
        skipped = [item for item in generated.report["diagnostics"] if item["code"] == "operation-skipped"]
        assert len(skipped) == 1, skipped
        assert reason in skipped[0]["message"], skipped[0]
        assert [op["operationId"] for op in generated.operations()] == ["ok-get"]

    return Generates(check, warnings=("operation-skipped",))


CASES: dict[str, Generates | Refused] = {
    # code from the spec
    "inject-descriptions.yaml": Generates(),
    "inject-names.yaml": Generates(),
    "inject-literals.yaml": Generates(),
    "inject-jinja.yaml": Generates(),
    "inject-paths.yaml": Generates(),
    "inject-servers-extensions.yaml": Generates(),
    "inject-record.txt": Generates(),
    "dmcg-x-python-type.yaml": Generates(),
    "dmcg-x-keys.yaml": Generates(),
    "dmcg-default-factory.yaml": Generates(),
    "bare-cr-comments.yaml": Generates(),
    "control-characters.json": Generates(),
    "backslashes.yaml": Generates(),
    "unicode-names.yaml": Generates(),
    "toml-title.yaml": Generates(check_toml_title),
    # names that collide after sanitizing
    "collide-properties.json": Generates(check_collide_properties),
    "collide-schemas.yaml": Generates(check_collide_schemas),
    "collide-parameters.yaml": Generates(check_collide_parameters),
    "collide-operations.yaml": Generates(check_collide_operations),
    "case-insensitive-modules.yaml": Generates(check_case_insensitive),
    "long-names.json": Generates(check_long_names),
    "reserved-methods.yaml": Generates(check_reserved_methods),
    # files outside the output folder
    "traversal-names.yaml": Generates(check_traversal),
    # no network, no reads outside the spec's folder
    "ref-http.yaml": Refused("refusing external $ref", pointer="/paths/~1http/get/responses/200"),
    "ref-https.yaml": Refused("refusing external $ref", pointer="/paths/~1https/get/responses/200"),
    "ref-file-url.yaml": Refused("refusing external $ref", pointer="/paths/~1file/get/responses/200"),
    "ref-parent.yaml": Refused("outside the spec's folder", pointer="/paths/~1parent/get/responses/200"),
    "ref-absolute.yaml": Refused("refusing external $ref", pointer="/paths/~1absolute/get/responses/200"),
    "ref-in-extension.yaml": Generates(),
    "refs-inside": Generates(check_refs_inside),
    "discriminator-mapping.yaml": Generates(check_discriminator),
    # bounded
    "yaml-alias-bomb.yaml": Refused("too many YAML aliases"),
    "yaml-alias-bomb-unused.yaml": Refused("too many YAML aliases"),
    "yaml-recursive-alias.yaml": Refused("recursive alias"),
    "ref-fan-out.json": Refused("values once every $ref is inlined", pointer="/paths/~1x/get"),
    "ref-cycle-fan-out.json": Generates(),  # twelve mutually recursive schemas: kept as references, not inlined
    "ref-deep-chain.json": Refused("levels deep once every $ref is inlined", pointer="/paths/~1x/get/responses"),
    "ref-alias-chain.json": Refused("levels deep once every $ref is inlined", pointer="/paths/~1x/get/responses"),
    # cycles
    "cycle-tree.yaml": Generates(check_tree, reply=reply_tree),
    "cycle-alias.yaml": Refused("$ref loop", pointer="/components/schemas/"),
    "cycle-allof-self.yaml": Refused("$ref loop", pointer="/components/schemas/A/allOf/0/$ref"),
    "cycle-anyof-mutual.yaml": Refused("$ref loop", pointer="/components/schemas/"),
    "cycle-parameter.yaml": Refused("$ref loop", pointer="/components/parameters/P/$ref"),
    # clear errors (an operation-level problem skips that operation, reported; --strict refuses)
    "invalid.json": Refused("invalid JSON", line=5),
    "invalid.yaml": Refused("invalid YAML", line=8),
    "not-openapi.yaml": Refused("a Swagger 2.0 document, not OpenAPI 3.x", pointer="/swagger"),
    "missing-info.yaml": Generates(warnings=("identity",)),
    "missing-responses.yaml": skips_one_operation("responses must be a non-empty object"),
    "dangling-ref.yaml": Refused("dangling $ref", pointer="/paths/~1a/get/responses/200"),
    "path-parameter-undeclared.yaml": skips_one_operation("no path parameter 'zone_id' is declared"),
    "path-parameter-unused.yaml": skips_one_operation("'zone_name' does not appear in path"),
    "path-braces.yaml": skips_one_operation("unbalanced or empty braces"),
    "path-parameter-inherited.yaml": Generates(check_inherited_parameters),
    "duplicate-parameter.yaml": skips_one_operation("declared twice"),
    "duplicate-keys.json": Refused("duplicate key", pointer="/paths/~1a"),
    "lone-surrogate.json": Refused("surrogate", pointer="/paths/~1a/get/description"),
    "wrong-typed-defaults.yaml": Generates(check_wrong_defaults, warnings=("default-type",)),
    "wrong-typed-keywords.yaml": Generates(warnings=("model-keyword",)),
}


def test_every_hostile_document_is_a_case() -> None:
    on_disk = {path.name for path in HOSTILE.iterdir() if path.name != "README.md"}
    assert on_disk == set(CASES), (
        f"without a case: {sorted(on_disk - set(CASES))}; missing: {sorted(set(CASES) - on_disk)}"
    )
    assert len(CASES) >= 40


def _place_outside(sandbox: Sandbox) -> None:
    """Files beside (not inside) the spec's folder, that refs or mappings try to reach."""
    secret = {
        "components": {"schemas": {"Secret": {"type": "object", "properties": {"SECRET-OUTSIDE": {"type": "string"}}}}}
    }
    sandbox.root.mkdir(parents=True, exist_ok=True)
    (sandbox.root / "outside.yaml").write_text(json.dumps(secret), encoding="utf-8")
    (sandbox.root / "outside.json").write_text(
        json.dumps({"Secret": secret["components"]["schemas"]["Secret"]}), encoding="utf-8"
    )


GENERATING = [name for name, case in CASES.items() if isinstance(case, Generates)]
REFUSED = [name for name, case in CASES.items() if isinstance(case, Refused)]


@pytest.mark.parametrize("name", GENERATING)
def test_hostile_document_generates_inert_code(name: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    assert isinstance(case, Generates)
    with LiveServer(handler=case.reply or default_reply) as server:
        sandbox.server_url = server.url
        _place_outside(sandbox)
        spec = sandbox.place(name)
        package = import_name_for(name)
        generated = generate_case(sandbox, spec, package, monkeypatch)
        assert not server.requests, "generation fetched something"
        try:
            generated.module = import_package(sandbox.out, package)
            call_everything(generated, server)
            assert not sandbox.marker.exists(), "a payload ran on import or call"
            assert generated.calls, "no operation was called"
            reached = [call for call in generated.calls if call.outcome != "ParameterValidationError"]
            assert len(generated.requests) >= len(reached), (generated.calls, generated.requests)
            if case.check is not None:
                case.check(generated)
        finally:
            forget_package(sandbox.out, package)
    assert not sandbox.marker.exists(), "a payload ran"
    warnings = {item["code"] for item in generated.report["diagnostics"] if item["level"] == "warning"}
    assert set(case.warnings) <= warnings, generated.report["diagnostics"]
    if case.warnings:
        before = snapshot(sandbox.out)
        result = run_cli(spec, sandbox.config(package), sandbox.out, "--strict")
        _line, _pointer, _ = one_line_error(result, spec)
        assert "--strict" in result.stderr
        assert snapshot(sandbox.out) == before, "--strict failure changed the previous output"


@pytest.mark.parametrize("name", REFUSED)
def test_hostile_document_is_refused_in_one_line(name: str, sandbox: Sandbox) -> None:
    case = CASES[name]
    assert isinstance(case, Refused)
    with LiveServer(handler=default_reply) as server:
        sandbox.server_url = server.url
        _place_outside(sandbox)
        spec = sandbox.place(name)
        before = fake_previous_output(sandbox.out)
        result = run_cli(spec, sandbox.config("hostile_refused"), sandbox.out)
        assert not server.requests, "something was fetched"
    line, pointer, message = one_line_error(result, spec)
    assert case.needle in message, message
    if case.line is not None:
        assert line == case.line, message
    if case.pointer is not None:
        assert pointer is not None, message
        assert pointer.startswith(case.pointer), message
    assert snapshot(sandbox.out) == before, "the previous output changed"
    assert not sandbox.marker.exists()
    assert sorted(path.name for path in sandbox.root.iterdir()) == sorted(
        ["input", "out", "config", "outside.yaml", "outside.json"]
    ), "something was left beside the output"


def test_symlink_out_of_the_spec_folder_is_refused(sandbox: Sandbox) -> None:
    """A link inside the spec's folder that points outside it: neither a $ref through it nor the link itself."""
    _place_outside(sandbox)
    folder = sandbox.input
    folder.mkdir(parents=True)
    (folder / "parts").symlink_to(sandbox.root, target_is_directory=True)
    (folder / "secret.yaml").symlink_to(sandbox.root / "outside.yaml")
    document = (HOSTILE / "ref-parent.yaml").read_text(encoding="utf-8")
    for target, spec_name in (("parts/outside.yaml", "via-folder.yaml"), ("secret.yaml", "via-file.yaml")):
        spec = folder / spec_name
        spec.write_text(document.replace("../outside.yaml", target), encoding="utf-8")
        result = run_cli(spec, sandbox.config("hostile_symlink"), sandbox.out)
        _, _, message = one_line_error(result, spec)
        assert "outside the spec's folder" in message
        spec.unlink()
    (folder / "openapi.yaml").symlink_to(sandbox.root / "outside.yaml")
    result = run_cli(folder, sandbox.config("hostile_symlink"), sandbox.out)
    assert result.returncode == 1, result.stderr
    assert "links outside the folder" in result.stderr, result.stderr
    assert not sandbox.out.exists()


def test_hostile_corpus_files_are_small() -> None:
    for path in HOSTILE.rglob("*"):
        if path.is_file():
            assert path.stat().st_size < 64_000, f"{path.name}: build large inputs in the test instead"


def test_output_folder_that_is_not_clientgen_s_is_never_replaced(sandbox: Sandbox) -> None:
    spec = sandbox.place("path-parameter-inherited.yaml")
    config = sandbox.config("hostile_foreign")
    foreign = sandbox.root / "project"
    (foreign / "src").mkdir(parents=True)
    (foreign / "src" / "main.py").write_text("print('mine')\n", encoding="utf-8")
    before = snapshot(foreign)
    result = run_cli(spec, config, foreign)
    assert result.returncode == 1, result.stderr
    assert "clientgen did not write it" in result.stderr, result.stderr
    assert snapshot(foreign) == before
    for out in (sandbox.input, sandbox.root):  # the spec's own folder, and a folder holding it
        result = run_cli(spec, config, out)
        assert result.returncode == 1, result.stderr
        assert "refusing to replace the output folder" in result.stderr, result.stderr
    assert spec.is_file()
    shutil.rmtree(sandbox.out, ignore_errors=True)
