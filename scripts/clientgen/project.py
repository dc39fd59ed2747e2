"""The pipeline as a list of steps: :func:`build` reads top to bottom like the data flows.

spec -> ingest -> normalize -> plan model modules -> the generator's view (standard keywords only)
-> datamodel-code-generator (models) -> intermediate model -> Jinja (runtime, resources, client, docs)
-> ruff -> compile -> move into the output.

Everything is written into a temporary folder beside the output and moved in only when
every step succeeded: a failure — bad input, a generator crash, an interrupt — leaves the
previous output exactly as it was.  Only the files the previous generation listed in its
manifest are replaced or removed (:mod:`clientgen.output_tree`): the user's own files in
the output folder, a ``.git`` included, are never touched.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clientgen.cache import Cache
from clientgen.cache_keys import ModelMemo
from clientgen.cached_files import (
    Settled,
    python_files,
    store_compiled,
    store_formatted,
    take_compiled,
    take_formatted,
)
from clientgen.cached_ingest import load_source_cached
from clientgen.cached_json import json_text
from clientgen.cached_normalize import normalize_cached
from clientgen.cached_render import render_resource
from clientgen.cached_surface import CachedEntries
from clientgen.cached_templates import use_template_cache
from clientgen.changelog.release import write_release
from clientgen.changelog.surface import operation_entry
from clientgen.collector import fewer_collections
from clientgen.compile_stream import CompileStream, digest
from clientgen.config import GeneratorConfig, find_config, load_config
from clientgen.diagnostics import Diagnostics, Level, SpecError
from clientgen.examples import PER_CALL_OPTIONS, example_arguments, first_call_example, paginated_example
from clientgen.generators.models import (
    SHARED_MODULE,
    SHARED_NAMES,
    ModelIndex,
    WarmGenerators,
    emit_models,
    plan_modules,
)
from clientgen.generators.reexports import plan_reexports, write_reexports
from clientgen.generators.split import split_model_modules
from clientgen.generators.type_index import write_type_index
from clientgen.identity import complete_config
from clientgen.ingest import load_source
from clientgen.ingest.bounds import deepest_pointer
from clientgen.ingest.overlays import apply_overlays
from clientgen.jsontext import dumps_sorted
from clientgen.layout import ATTRIBUTES, ATTRIBUTES_FILE, MANIFEST_FILE, NAMES_FILE, NORMALIZED_FILE, REPORT_FILE
from clientgen.limits import MAX_TOOL_SECONDS
from clientgen.model import Api, build_api
from clientgen.model.types import type_of
from clientgen.name_memory import NameMemory, Remembered, names_json, read_names
from clientgen.output_tree import (
    LEGACY_MARKER,
    commit,
    plan_move,
    previous_files,
    recover,
    write_manifest,
)
from clientgen.progress import Progress
from clientgen.render import make_environment
from clientgen.report import build_report
from clientgen.sanitize import model_view

__all__ = ["REPORT_FILE", "BuildResult", "build", "write_tree"]

RUNTIME_TEMPLATES = ("__init__.py", "_arguments.py", "_auth.py", "_base_client.py", "_bodies.py", "_client.py",
                     "_exceptions.py", "_lenient.py", "_models.py", "_pagination.py", "_parsing.py", "_response.py",
                     "_serialization.py", "_streaming.py", "_types.py", "_validation.py", "_version.py",
                     "py.typed")  # fmt: skip


_BUILTINS = frozenset({"str", "int", "float", "bool"})


@dataclass
class BuildResult:
    api: Api
    diagnostics: Diagnostics
    files: int = 0
    notes: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)  # report.json's summary


def _dump_json(data: Any) -> str:
    return dumps_sorted(data, indent=2, ensure_ascii=False) + "\n"


def _render_package(  # noqa: PLR0913 - the package, where, and the cache, memo and callbacks of one build
    api: Api,
    root: Path,
    progress: Progress,
    *,
    cache: Cache | None = None,
    memo: ModelMemo | None = None,
    written: Callable[[Path], None] | None = None,
    settled: Settled | None = None,
) -> None:
    """Render the runtime, resources and docs into ``root``; ``written(path)`` after each file is complete.

    ``settled``: writes each module formatted at once when ruff's result for its text is in the cache.
    """

    def write(path: Path, text: str) -> None:
        if settled is None:
            _write(path, text)
        else:
            settled.write(path, text)
        if written is not None:
            written(path)

    env = make_environment()
    package = api.config.import_name
    package_dir = root / "src" / package
    example, paged = first_call_example(api.operations), paginated_example(api.operations)
    context = {
        "package": package,
        "distribution": api.config.distribution,
        "version": api.config.version,
        "base_url": api.config.base_url,
        "env_prefix": api.config.environment_prefix,
        "error_base_name": api.config.error_base_name,
        "base_url_template": api.config.base_url_template,
        "server_variables": api.config.server_variables,
        "title": api.title,
        "resources": api.resources,
        "operations": api.operations,
        "api": api,
        "auth": api.auth,
        "error_base": api.error_base,
        "exceptions": _exception_names(api.error_base),
        "exports": sorted(["AsyncClient", "Client", "__version__", *_exception_names(api.error_base)]),
        "example": example,
        "example_arguments": example_arguments(example),
        "paged": paged,
        "paged_arguments": example_arguments(paged),
        "per_call_options": list(PER_CALL_OPTIONS),
    }
    for name in RUNTIME_TEMPLATES:
        write(package_dir / name, env.get_template(f"package/{name}.jinja").render(context))
    resource_template = env.get_template("package/resources/resource.py.jinja")
    header = env.get_template("header.jinja").render()
    write(package_dir / "resources" / "__init__.py", header)
    rendered, total = 0, len(api.operations)
    for resource in api.all_resources():
        module_file = package_dir / Path(*resource.module.split("."))
        write(module_file.with_suffix(".py"), render_resource(resource_template, context, resource, cache, memo))
        write(module_file.parent / "__init__.py", header)
        rendered += len(resource.operations)
        progress.stage("render", rendered, total, "operations")
    if api.typed_dicts is not None and (view := api.typed_dicts.module_view())[0]:
        shapes, imports = view
        write(
            package_dir / "dicts.py", env.get_template("package/dicts.py.jinja").render(shapes=shapes, imports=imports)
        )
    write(root / "pyproject.toml", env.get_template("pyproject.toml.jinja").render(context))
    write(root / "README.md", env.get_template("README.md.jinja").render(context))
    write(root / "api.md", env.get_template("api.md.jinja").render({**context, "resources": api.all_resources()}))


def _exception_names(base: str) -> list[str]:
    return sorted(
        ["APIConnectionError", "APIError", "APIResponseValidationError", "APIStatusError", "APITimeoutError",
         "AuthenticationError", "BadRequestError", "ClientConfigurationError", base, "ConflictError",
         "ErrorDetail", "InternalServerError", "NotFoundError", "ParameterValidationError", "PermissionDeniedError",
         "RateLimitError", "UnprocessableEntityError", "UnsuccessfulResponseError"]
    )  # fmt: skip


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _ruff() -> list[str]:
    """The ruff binary beside this Python (no interpreter start-up per run), else ``python -m ruff``."""
    binary = Path(sysconfig.get_path("scripts")) / ("ruff.exe" if sys.platform == "win32" else "ruff")
    return [str(binary)] if binary.is_file() else [sys.executable, "-m", "ruff"]


def _format(
    paths: list[Path],
    *,
    first_party: str,
    cache: Cache | None = None,
    root: Path | None = None,
    settled: Settled | None = None,
) -> None:
    """Ruff removes unused imports, sorts them, and formats: the package reads like hand-written code.

    Each file is formatted on its own, so the models can be formatted while the rest is still rendered.
    With a ``cache``, a file whose text (and path below ``root``) was formatted before takes the stored result;
    ``settled``'s final files are formatted already.
    The package is named first-party: ruff would otherwise guess from the ``__init__.py`` files present
    at that moment, which depends on how far rendering has got (import order would vary between runs).
    """
    ruff = _ruff()
    common = [
        "--isolated", "--no-cache", "--line-length", "120", "--target-version", "py311",
        "--config", f"lint.isort.known-first-party = [{first_party!r}]",
    ]  # fmt: skip
    pending = None
    if cache is not None and root is not None:
        pending = take_formatted(cache, python_files(paths), root, first_party, settled)
        paths = [path for path, _ in pending]
        if not paths:
            return
    targets = [str(path) for path in paths]
    steps = [
        [*ruff, "check", *common, "--select", "F401,I", "--fix", "--quiet", "--exit-zero", *targets],
        [*ruff, "format", *common, "--quiet", *targets],
    ]
    for command in steps:
        result = subprocess.run(  # noqa: S603 - fixed argv
            command, capture_output=True, text=True, check=False, timeout=MAX_TOOL_SECONDS
        )
        if result.returncode != 0:
            msg = f"ruff failed on the generated package: {result.stderr.strip() or result.stdout.strip()}"
            raise RuntimeError(msg)
    if cache is not None and pending is not None:
        store_formatted(cache, pending)


def _format_models(  # noqa: PLR0913 - where, the settings, and the cache, stream and settled files of one build
    types_dir: Path, root: Path, first_party: str, cache: Cache | None, compiling: Any, *, settled: Settled | None
) -> None:
    """Ruff on the models; then each is compiled (``compiling``: a :class:`CompileStream`, or None)."""
    _format([types_dir], first_party=first_party, cache=cache, root=root, settled=settled)
    if isinstance(compiling, CompileStream):
        for module in python_files([types_dir]):
            compiling.submit(module)


@contextlib.contextmanager
def _in_background(work: Callable[[], None]) -> Iterator[None]:
    """Run ``work`` in a thread (it waits on subprocesses) while the block runs; re-raise what it raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread, raised there
            errors.append(error)

    thread = threading.Thread(target=run, name="clientgen-format", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if errors:
        raise errors[0]


def _package_parts(root: Path, *, besides: Path) -> list[Path]:
    """The files and folders that make up ``root/src`` without ``besides`` (handled already)."""
    parts: list[Path] = []
    folders = [root / "src"]
    while folders:
        for child in sorted(folders.pop().iterdir()):
            if besides.is_relative_to(child) and child != besides:
                folders.append(child)
            elif child != besides:
                parts.append(child)
    return parts


# Compiles the files named on stdin (JSON list) in order; prints the first failure as JSON and stops.
_COMPILE_HALF = """
import json, sys
for name in json.load(sys.stdin):
    try:
        with open(name, encoding="utf-8") as file:
            compile(file.read(), name, "exec", dont_inherit=True)
    except SyntaxError as error:
        print(json.dumps([name, "syntax", error.lineno, error.msg]))
        break
    except RecursionError:
        print(json.dumps([name, "recursion", 0, ""]))
        break
"""


def _compile_all(
    root: Path,
    progress: Progress,
    cache: Cache | None = None,
    checked: dict[Path, bytes] | None = None,
    package: str = "",
) -> None:
    """Every generated module compiles (without running), or nothing is swapped in: the last line of defence.

    Compiling is CPU-bound and the machine may have a second core: another Python compiles every other
    file meanwhile.  The failure reported is the first in sorted order, as if one process compiled all.
    With a ``cache``, files whose exact content compiled before (in a generation of ``package``: the batch of
    verdicts read) are not compiled again; ``checked``
    (module -> digest of its text, :class:`CompileStream`): compiled already while rendering, unless changed since.
    """
    paths = sorted((root / "src").rglob("*.py"))
    if checked:
        paths = [path for path in paths if checked.get(path) != digest(path)]
        if not paths:
            return
    pending, batch = (None, None) if cache is None else take_compiled(cache, paths, package)
    if pending is not None:
        paths = [path for path, _ in pending]
        if not paths:
            return
    mine, theirs = paths[0::2], paths[1::2]
    helper = subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-I", "-W", "ignore", "-c", _COMPILE_HALF],  # warnings: as unseen as in this process
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
    )  # fmt: skip
    assert helper.stdin is not None  # stdin and stdout are pipes (above)
    assert helper.stdout is not None
    helper.stdin.write(json.dumps([str(path) for path in theirs]))
    helper.stdin.close()
    failures: list[tuple[Path, int, str]] = []
    try:
        for number, path in enumerate(mine, 1):
            progress.stage("compile", min(number * 2, len(paths)), len(paths), "files")
            try:
                compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
            except SyntaxError as error:
                failures.append((path, error.lineno or 0, error.msg))
                break
    finally:
        output = helper.stdout.read()  # one pipe (stderr joined): nothing waits on an unread other
        helper.stdout.close()
        helper.wait(timeout=MAX_TOOL_SECONDS)
    if helper.returncode != 0:
        msg = f"compiling the generated package failed: {output.strip()}"
        raise RuntimeError(msg)
    if output.strip():
        name, kind, line, message = json.loads(output)
        if kind == "recursion" and not (failures and failures[0][0] < Path(name)):
            raise RecursionError
        failures.append((Path(name), line, message))
    if failures:
        path, line, message = min(failures)
        msg = f"generated code does not compile: {path.relative_to(root)}:{line}: {message}"
        raise RuntimeError(msg)
    if batch is not None and pending is not None:
        store_compiled(batch, pending)


def _model_index(index: ModelIndex, package: str, view: dict[str, Any]) -> dict[str, tuple[str, str, bool]]:
    """Component -> (module, class, is a class); a plain component the generator inlined -> its builtin type."""
    found = {name: (f"{package}.types.{ref.module}", ref.class_name, ref.is_class) for name, ref in index.items()}
    for name, schema in sorted(view.get("components", {}).get("schemas", {}).items()):
        plain = type_of(schema, {})
        if name not in found and plain.annotation in _BUILTINS:
            found[name] = ("", plain.annotation, False)
    return found


def _named_models(
    index: ModelIndex, keys: dict[str, str], aliases: dict[str, tuple[str, ...]]
) -> dict[str, Remembered]:
    """Content key -> where its class is: what the next generation keeps (``names.json``)."""
    return {
        keys[name]: Remembered(ref.class_name, ref.module, aliases.get(name, ()), component=name)
        for name, ref in index.items()
        if name in keys
    }


def build(  # noqa: PLR0913, PLR0915 - the spec, where to build, the generation to version after, and a progress display; the stages in order
    spec: Path,
    config: GeneratorConfig,
    root: Path,
    work: Path,
    *,
    previous: Path | None = None,
    progress: Progress | None = None,
    cache: Cache | None = None,
    warm: WarmGenerators | None = None,
) -> BuildResult:
    """Generate the whole output tree into ``root`` (an empty folder), versioned after the one in ``previous``.

    ``cache``: results of earlier generations reused where their input is the same (:mod:`clientgen.cache`).
    ``warm``: where the model generator's processes start (cold, without a cache) while the spec is normalized.
    """
    progress = progress or Progress(enabled=False)
    diags = Diagnostics()
    progress.stage("ingest", detail=spec.name)
    use_template_cache(cache)  # compiled templates from the cache too
    source = apply_overlays(spec, load_source_cached(spec, cache), diags)
    config = complete_config(config, source, spec.name, diags)  # what the config does not set: from the description
    if warm is not None and cache is None:  # a cache may leave the generator nothing to do: nothing started ahead
        warm.start(source, work)
    memory = NameMemory(previous=read_names(previous))  # models keep the names they had in ``previous``
    try:
        normalized = normalize_cached(
            source,
            diags,
            memory,
            cache,
            on_pass=lambda done, total, name: progress.stage("normalize", done, total, name),
            names_source=config.names_source,
            unwraps=config.unwraps,
            unwraps_key=json.dumps([config.envelope, sorted(config.envelope_operations.items())]),
        )
    except SpecError as error:  # the normalizer knows pointers, not files
        raise SpecError(spec, error.message, line=error.line, pointer=error.pointer) from None
    del source  # the normalized document is a copy: the raw one (the size of the input, again) is freed
    view = model_view(normalized, diags, any_json_base=f"{config.import_name}._models.AnyJsonModel")
    remembered = memory.by_component()
    plan = plan_modules(view, {name: entry.module for name, entry in remembered.items()})
    types_dir = root / "src" / config.import_name / "types"
    header = make_environment().get_template("header.jinja").render().strip()
    progress.stage("models", detail=f"datamodel-code-generator on {len(plan)} components")
    try:
        base_class = f"{config.import_name}._models.BaseModel"
        index = emit_models(  # the normalized document is final: written while the generator runs
            view, plan, types_dir, work, header, base_class=base_class,
            meanwhile=lambda: _write(root / NORMALIZED_FILE, json_text(cache, "normalized", normalized, indent=2)),
            cache=cache, warm=warm,
        )  # fmt: skip
    except SpecError as error:  # names the generator's input, a temporary file: name the spec instead
        message = f"{error.message} (on the models of the normalized document; please report this with the spec)"
        raise SpecError(spec, message, pointer=error.pointer or "/components/schemas") from None
    # a call loads its resource's module and the envelope's models, not all of ``shared`` (issue 15)
    split_model_modules(types_dir, header, config.import_name, module=SHARED_MODULE, envelope=sorted(SHARED_NAMES))
    aliases = plan_reexports(index, remembered)
    write_reexports(types_dir, index, aliases, header)
    write_type_index(types_dir, index, header=header, package=config.import_name)
    _write(root / NAMES_FILE, names_json(_named_models(index, memory.keys, aliases)))
    model_index = _model_index(index, config.import_name, view)
    del view  # the generator's copy of the components, not needed any more
    first_party = config.import_name
    settled = None if cache is None else Settled(cache, root, first_party)  # ruff's results written at once
    # the models are final: format them now; cold (no cache), each module is compiled once written and formatted
    with (
        CompileStream() if cache is None else contextlib.nullcontext() as compiling,
        _in_background(lambda: _format_models(types_dir, root, first_party, cache, compiling, settled=settled)),
    ):
        progress.stage("build", detail="resources and operations")
        api = build_api(normalized, model_index, config, diags)
        memo = ModelMemo()  # the operations' key texts, written once for the surface and the modules
        entries = None if cache is None else CachedEntries(cache, config.import_name, memo)
        write_release(api, normalized, previous, root, entries or operation_entry, cache=cache)  # sets the version
        if entries is not None:
            entries.save()
        written = None if compiling is None else compiling.submit
        _render_package(api, root, progress, cache=cache, memo=memo, written=written, settled=settled)
        report = build_report(api, normalized, diags, models=len(set(index.values())))
        _write(root / REPORT_FILE, _dump_json(report))
        _write(root / ATTRIBUTES_FILE, ATTRIBUTES)
        if compiling is not None:
            compiling.finish()  # everything it read is read: ruff may rewrite the files
        progress.stage("format", detail="ruff")
        _format(
            _package_parts(root, besides=types_dir), first_party=first_party, cache=cache, root=root, settled=settled
        )
        checked = None if compiling is None else compiling.checked()  # after ruff: the final texts' digests
    _compile_all(root, progress, cache, checked, config.import_name)
    files = sum(1 for path in root.rglob("*") if path.is_file())
    return BuildResult(api=api, diagnostics=diags, files=files, summary=report["summary"])


def _refuse_warnings(spec: Path, diags: Diagnostics) -> None:
    warnings = [item for item in diags.sorted() if item.level is Level.WARNING]
    if warnings:
        message = f"{warnings[0].message} (--strict: {len(warnings)} warnings, see {REPORT_FILE} without --strict)"
        raise SpecError(spec, message, pointer=warnings[0].pointer)


def write_tree(  # noqa: PLR0913 - the spec, config and output, then keyword-only options
    spec: Path,
    config_path: Path | None,
    out: Path,
    *,
    strict: bool = False,
    force: bool = False,
    previous: Path | None = None,
    progress: Progress | None = None,
    cache: Cache | None = None,
) -> BuildResult:
    """Build into a temporary sibling of ``out``; on success, replace exactly the previous generation's files.

    Files in ``out`` that clientgen did not write (a ``.git``, the user's ``LICENSE``) are kept; a folder
    without a manifest that holds anything is refused unless ``force``.  The version and changelog follow
    the generation in ``previous`` (default: what ``out`` holds now).
    """
    progress = progress or Progress(enabled=False)
    config_path = config_path or find_config(spec)  # a config belongs to its spec: never the seed's for another
    config = load_config(config_path)
    out = out.resolve()
    recover(out)  # a run killed in the middle of moving files in: put the previous generation back first
    created = [parent for parent in out.parents if not parent.exists()]  # removed again if the build fails
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".generated-", dir=out.parent))
    tree = staging / "tree"
    try:
        with tempfile.TemporaryDirectory(prefix="clientgen-") as work, WarmGenerators() as warm:
            previous = previous or _previous_generation(out)
            result = _bounded_build(
                spec, config, tree, Path(work), previous=previous, progress=progress, cache=cache, warm=warm
            )
        if strict:
            _refuse_warnings(spec, result.diagnostics)
        files = write_manifest(tree)
        # After the build, so that bad input is reported first, as the spec's error.
        # The package name the description completed (a config-less run names it from info.title), so that a
        # pre-manifest generation's package folder is found.  Refuses a folder that is not ours.
        owned, legacy = previous_files(out, result.api.config.import_name, force=force)
        keep = [Path(spec), *([Path(config_path)] if config_path else [])]
        plan = plan_move(out, tree, owned, legacy=legacy, force=force, keep=keep, files=files)
        progress.stage("swap", detail=f"{len(plan.placed)} files into {out}")
        try:
            with _signals_held():
                commit(plan, tree, staging)
        except KeyboardInterrupt:
            pass  # held during the moves, delivered after them: the new output is complete, the run succeeded
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for parent in created:  # deepest first: nothing half-written is left behind
            with contextlib.suppress(OSError):
                parent.rmdir()
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return result


def _previous_generation(out: Path) -> Path | None:
    """``out`` when clientgen wrote it (a manifest, or a report from before the manifest): versioned after it."""
    return out if (out / MANIFEST_FILE).is_file() or (out / LEGACY_MARKER).is_file() else None


def _bounded_build(  # noqa: PLR0913 - build()'s arguments, passed through
    spec: Path,
    config: GeneratorConfig,
    root: Path,
    work: Path,
    *,
    previous: Path | None,
    progress: Progress,
    cache: Cache | None,
    warm: WarmGenerators | None = None,
) -> BuildResult:
    """:func:`build`, with running out of stack or memory reported as one line (the limits should prevent both)."""
    try:
        with fewer_collections():
            return build(spec, config, root, work, previous=previous, progress=progress, cache=cache, warm=warm)
    except RecursionError:
        message = "nested too deeply to process (Python recursion limit) below this point: flatten the spec"
        raise SpecError(spec, message, pointer=_deepest(spec)) from None
    except MemoryError:
        raise SpecError(spec, "out of memory while generating: the spec is too large for this machine") from None


def _deepest(spec: Path) -> str:
    """Where the spec nests deepest: the best place to point at when something ran out of stack."""
    try:
        return deepest_pointer(load_source(spec)) or "/"
    except (SpecError, RecursionError):
        return "/"


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait while the files move: the output is never left half old, half new."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
