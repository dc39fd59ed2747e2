"""Models: datamodel-code-generator is the only emitter of model classes.

The normalized document already has one component per distinct object schema, with its
final name, so the generator is run with numbering and re-use heuristics switched off in
effect: every class it writes is one component.  Components are grouped into modules
(``types/pages.py``, ``types/shared.py``) by the top-level resource that uses them, so that
the first call of a ``client.pages`` method imports only the models of ``pages`` (touching a
resource imports none: resource modules import models for the type checker only).  Field names come from our
own :class:`~clientgen.names.PythonIdentifier` rule (passed as ``--aliases``); the wire name
stays the alias.  The generator's model metadata links each component to its class.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from clientgen.cache import Cache
from clientgen.diagnostics import SpecError
from clientgen.generators.model_cache import ModuleCache
from clientgen.jsontext import dumps_sorted
from clientgen.limits import MAX_TOOL_SECONDS
from clientgen.names import PythonIdentifier
from clientgen.normalize.envelopes import ENVELOPE_ITEM_NAMES, FAILURE_ENVELOPE_NAME
from clientgen.normalize.schemas import HTTP_METHODS, iter_operations, routes

__all__ = [
    "SHARED_MODULE",
    "SHARED_NAMES",
    "ModelIndex",
    "ModelRef",
    "WarmGenerators",
    "emit_models",
    "optional_fields_accept_none",
    "plan_modules",
    "python_field_names",
    "refs_in",
]

SHARED_MODULE = "shared"
SHARED_NAMES = frozenset({*ENVELOPE_ITEM_NAMES.values(), FAILURE_ENVELOPE_NAME})
_REF_PREFIX = "#/components/schemas/"

# fmt: off
DMCG_OPTIONS = (
    "--input-file-type", "openapi",
    "--output-model-type", "pydantic_v2.BaseModel",
    "--target-python-version", "3.11",
    "--use-annotated", "--field-constraints",  # constraints enforced, in Annotated[..., Field(...)]
    "--use-standard-collections", "--use-union-operator", "--use-double-quotes",
    "--enum-field-as-literal", "all",
    "--output-datetime-class", "datetime",
    "--extra-fields", "allow",  # unknown fields the API adds are kept, not lost
    "--allow-population-by-field-name",
    "--strict-nullable",
    "--use-schema-description", "--use-field-description",
    "--treat-dot-as-module", "--use-exact-imports",  # one module per <module>.<Name> prefix
    "--disable-timestamp",  # deterministic output
    "--no-allow-remote-refs",  # never fetch; the normalized document has no external refs anyway
    "--collapse-root-models",  # constrained primitives are inlined where the generator can
    # and where it cannot, a type alias, never a RootModel: a user passes and reads plain values (`list[str]`,
    # `3600` for an `Annotated[float, Field(ge=30)]`), a union of models is the union itself
    "--use-type-alias",
    # email/uri stay plain str: EmailStr needs email-validator and rejects addresses the API returns,
    # AnyUrl rewrites values ("https://a.b" -> "https://a.b/"); the format stays in the normalized document
    # ipv4/ipv6 stay str too: a caller writes and reads addresses as text (`content="198.51.100.4"`)
    "--type-mappings", "email=string", "idn-email=string", "uri=string", "uri-reference=string",
    "ipv4=string", "ipv6=string",
    "--no-formatters",  # the whole package is formatted once, with ruff, at the end
)
# fmt: on


# A generator process started before its input exists: it imports what a run imports first (~0.45 s of CPU
# per process, the whole start-up) while clientgen still normalizes, then runs on the first request line
# ([folder, log, arguments]) exactly as ``python -m datamodel_code_generator <arguments>`` in ``folder``.
_WARM_GENERATOR = """
import json, os, sys
import datamodel_code_generator.__main__ as generator
import datamodel_code_generator.model.pydantic_v2, datamodel_code_generator.parser.openapi
request = sys.stdin.readline()
if not request:
    sys.exit(0)
folder, log, arguments = json.loads(request)
os.chdir(folder)
output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
os.dup2(output, 1)
os.dup2(output, 2)
sys.argv = ["datamodel-codegen", *arguments]
sys.exit(generator.main(arguments))
"""
# Below this many operations the models are one small run: a process started ahead would mostly be wasted.
_MIN_WARM = 250


class WarmGenerators:
    """Generator processes started ahead (:meth:`start`); a context manager: those never used are ended with it."""

    def __init__(self) -> None:
        self._waiting: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def start(self, document: Any, folder: Path) -> None:
        """Start the processes the generation of ``document`` (the raw description) will run first; none when small."""
        paths = document.get("paths") if isinstance(document, dict) else None
        items = [item for item in paths.values() if isinstance(item, dict)] if isinstance(paths, dict) else []
        if sum(1 for item in items for method in HTTP_METHODS if isinstance(item.get(method), dict)) < _MIN_WARM:
            return
        command = [sys.executable, "-c", _WARM_GENERATOR]
        while len(self._waiting) < _PARTS:
            self._waiting.append(
                subprocess.Popen(  # noqa: S603 - fixed argv
                    command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder
                )
            )

    def take(self) -> subprocess.Popen[bytes] | None:
        """A started process, still waiting for its request, or None."""
        while self._waiting:
            process = self._waiting.pop(0)
            if process.poll() is None:
                return process
        return None

    def close(self) -> None:
        for process in self._waiting:
            process.kill()
            process.wait()
        self._waiting.clear()


@dataclass(frozen=True)
class ModelRef:
    """Where the class for one component lives: ``<package>.types.<module>.<class_name>``."""

    module: str
    class_name: str
    is_class: bool = True  # False: a type alias (of a plain type or a union), validated with a TypeAdapter


ModelIndex = dict[str, ModelRef]


def refs_in(node: Any) -> set[str]:
    """The components a schema (or operation) refers to directly."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
                found.add(ref[len(_REF_PREFIX) :])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def plan_modules(doc: dict[str, Any], remembered: Mapping[str, str] | None = None) -> dict[str, str]:
    """Component -> module: the top-level resource using it, or ``shared`` when several do.

    ``remembered`` (component -> the previous generation's module of its content): a model stays
    where it was while it can live there; one that cannot (now used by another resource too, or
    only by another) moves to ``shared``, never to another resource's module: modules import
    ``shared``, never each other, and ``shared`` is where it can stay.
    """
    schemas = doc.get("components", {}).get("schemas", {})
    direct = {name: refs_in(schema) for name, schema in schemas.items()}
    users: dict[str, set[str]] = {name: set() for name in schemas}
    table = routes(doc)
    for path, method, op in iter_operations(doc):
        top = PythonIdentifier.from_text(table[path, method].nouns[0], shadow_builtins=True)
        stack, seen = list(refs_in(op)), set()
        while stack:
            name = stack.pop()
            if name in seen or name not in users:
                continue
            seen.add(name)
            users[name].add(top)
            stack.extend(direct[name])
    plan = {
        name: SHARED_MODULE if name in SHARED_NAMES or len(tops) != 1 else next(iter(tops))
        for name, tops in sorted(users.items())
    }
    for name, module in sorted((remembered or {}).items()):
        if name in plan and plan[name] != module:
            plan[name] = SHARED_MODULE
    # What a shared model refers to is shared too: modules import shared, never the reverse,
    # so there are no import cycles (the generator would otherwise pile cyclic models into _internal.py).
    stack = [name for name, module in plan.items() if module == SHARED_MODULE]
    while stack:
        for ref in direct[stack.pop()]:
            if ref in plan and plan[ref] != SHARED_MODULE:
                plan[ref] = SHARED_MODULE
                stack.append(ref)
    return plan


def python_field_names(properties: dict[str, Any]) -> dict[str, str]:
    """Wire name -> Python field name for one model, distinct even when names collide.

    ``>1y`` and ``1y``, or ``a-b`` and ``a_b``, sanitize alike: a wire name that is its own Python name keeps it,
    then the others take theirs in sorted order.  No field is named like another field's wire name: models
    accept field names as input keys too (``populate_by_name``), so ``{"a_b": 1}`` must mean one field only.
    """
    names = {wire: str(PythonIdentifier.from_text(wire)) for wire in properties}
    chosen = {wire: name for wire, name in names.items() if name == wire}
    used = set(chosen.values()) | set(properties)
    for wire in sorted(set(properties) - set(chosen)):
        name, number = names[wire], 2
        while name in used:
            name, number = PythonIdentifier.bounded(f"{names[wire]}_{number}"), number + 1
        used.add(name)
        chosen[wire] = name
    return chosen


def _field_aliases(schemas: dict[str, Any], plan: dict[str, str]) -> dict[str, str]:
    """Scoped ``module.Class.wire`` -> Python name for every property whose wire name is not its Python name.

    The generator scopes an alias by the model's qualified name (``pages.Deployment``), as given in the input.
    """
    aliases: dict[str, str] = {}
    for class_name in sorted(plan):  # the part's components only: a part costs its own size, not the whole's
        schema = schemas.get(class_name)
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict):
            for wire, python in python_field_names(properties).items():
                if python != wire:
                    aliases[f"{plan[class_name]}.{class_name}.{wire}"] = python
    return aliases


def _module_document(doc: dict[str, Any], plan: dict[str, str]) -> dict[str, Any]:
    """The components only, renamed ``<module>.<Name>`` so the generator writes one file per module."""
    qualified = {name: f"{module}.{name}" for name, module in plan.items()}

    def rename(node: Any) -> Any:
        if isinstance(node, list):
            return [rename(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            return {**node, "$ref": _REF_PREFIX + qualified[ref[len(_REF_PREFIX) :]]}
        return {key: rename(value) for key, value in node.items()}

    schemas = doc.get("components", {}).get("schemas", {})
    return {
        "openapi": doc.get("openapi", "3.0.3"),
        "info": {"title": "models", "version": "0"},
        "paths": {},
        "components": {"schemas": {qualified[name]: rename(schemas[name]) for name in sorted(plan) if name in schemas}},
    }


def emit_models(  # noqa: PLR0913 - the document, where to write, what every module starts with, and other work
    doc: dict[str, Any],
    plan: dict[str, str],
    types_dir: Path,
    work_dir: Path,
    header: str,
    *,
    base_class: str,
    meanwhile: Callable[[], None] | None = None,
    cache: Cache | None = None,
    warm: WarmGenerators | None = None,
) -> ModelIndex:
    """Run datamodel-code-generator into ``types_dir``; return component -> class.

    ``base_class`` is the package's own ``BaseModel`` (``_models.py``: validators built on first use).
    ``meanwhile`` runs once in this process while the generator processes run (this process would only wait).
    ``cache``: modules whose input is unchanged are taken from it, only the others generated (:mod:`.model_cache`).
    ``warm``: generator processes started ahead, used for the first runs (those unused are ended after).

    On a large document the modules are split into two parts generated by two processes at once
    (the generator is single-threaded and most of the run): see :func:`_parts`.
    """
    if not plan:  # nothing to model: the generator would fail with "Models not found"
        types_dir.mkdir(parents=True, exist_ok=True)
        (types_dir / "__init__.py").write_text(header + "\n", encoding="utf-8")
        if meanwhile is not None:
            meanwhile()
        return {}
    found = None if cache is None else ModuleCache.lookup(cache, _module_inputs(doc, plan, header, base_class))
    todo = plan if found is None else _plan_of(plan, found.missing())
    referenced = _referenced(doc, plan)
    try:
        entries = _run(doc, todo, types_dir, work_dir, header, base_class, referenced, meanwhile=meanwhile, warm=warm)
    finally:
        if warm is not None:
            warm.close()
    if found is not None:
        complete = found.complete(types_dir, entries)
        if complete is None:  # the generator's output is not one file per module: nothing reused
            shutil.rmtree(types_dir, ignore_errors=True)
            complete = _run(doc, plan, types_dir, work_dir / "uncached", header, base_class, referenced)
        entries = complete
    for module in sorted(types_dir.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        fixed = optional_fields_accept_none(text)
        if fixed != text:
            module.write_text(fixed, encoding="utf-8")
    return _read_index(entries, plan)


def _run(  # noqa: PLR0913, PLR0917 - emit_models's arguments, passed through
    doc: dict[str, Any],
    plan: dict[str, str],
    types_dir: Path,
    work_dir: Path,
    header: str,
    base_class: str,
    referenced: Mapping[str, frozenset[str]],
    *,
    meanwhile: Callable[[], None] | None = None,
    warm: WarmGenerators | None = None,
) -> list[dict[str, Any]]:
    """The generator on ``plan`` (in parts when large) into ``types_dir``; its metadata entries.

    ``referenced``: component -> the components of the whole plan that refer to it (:func:`_referenced`).
    """
    if not plan:  # every module came from the cache
        if meanwhile is not None:
            meanwhile()
        return []
    schemas = doc.get("components", {}).get("schemas", {})
    parts = [_without_unused_shared_aliases(part, schemas, referenced) for part in _parts(schemas, plan)]
    runs = _generate(doc, parts, work_dir / "parts", header, base_class, meanwhile=meanwhile, warm=warm)
    if not _merge([run.output for run in runs], types_dir):  # the parts disagree on a file: one run after all
        whole = _without_unused_shared_aliases(plan, schemas, referenced)
        runs = _generate(doc, [whole], work_dir / "whole", header, base_class)
        _merge([run.output for run in runs], types_dir)
    return [entry for run in runs for entry in json.loads(run.metadata.read_text(encoding="utf-8"))["models"]]


def _referenced(doc: dict[str, Any], plan: dict[str, str]) -> dict[str, frozenset[str]]:
    """Component -> the other components of ``plan`` whose schemas refer to it (the whole plan, not a part)."""
    schemas = doc.get("components", {}).get("schemas", {})
    referrers: dict[str, set[str]] = {}
    for name in sorted(plan):
        for ref in refs_in(schemas.get(name)):
            if ref != name:
                referrers.setdefault(ref, set()).add(name)
    return {name: frozenset(found) for name, found in referrers.items()}


def _without_unused_shared_aliases(
    part: dict[str, str], schemas: dict[str, Any], referenced: Mapping[str, frozenset[str]]
) -> dict[str, str]:
    """``part`` without the ``shared`` type aliases that the whole plan refers to but no component of ``part`` does.

    With ``--collapse-root-models`` the generator writes a plain type (an alias: no properties) in place of each
    reference to it and drops the alias it made redundant; a part that does not refer to it would write it.
    Its ``shared.py`` would then differ from the other parts' (and from one run over the whole plan), and
    :func:`_merge` would fall back to generating everything again in one run: the parts cost twice.  Left
    out, every part writes ``shared.py`` as the whole plan does; ``_merge`` still checks that they agree.
    Only aliases referred to directly: an alias that one of them refers to is not always collapsed (inside a
    union it stays a reference), so it is left in.
    """
    return {
        name: module
        for name, module in part.items()
        if module != SHARED_MODULE
        or name not in referenced
        or _is_class(schemas.get(name))
        or any(referrer in part for referrer in referenced[name])
    }


def _is_class(schema: Any) -> bool:
    """Whether the generator writes a class for ``schema`` (properties), not a type alias it may collapse."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return isinstance(properties, dict) and bool(properties)


def _plan_of(plan: dict[str, str], modules: set[str]) -> dict[str, str]:
    """The part of ``plan`` in ``modules``, with ``shared`` (their context) when there is any."""
    if not modules:
        return {}
    return {name: module for name, module in plan.items() if module in modules or module == SHARED_MODULE}


def _module_inputs(doc: dict[str, Any], plan: dict[str, str], header: str, base_class: str) -> dict[str, str]:
    """Module -> what the generator reads to write it: its and ``shared``'s schemas and aliases, the header.

    The generator's input is this, key-sorted (``dumps_sorted``), with each ``$ref`` renamed after the plan:
    the schemas by name and their module determine it, so each module's part is serialized once.
    """
    schemas = doc.get("components", {}).get("schemas", {})
    aliases = _field_aliases(schemas, plan)
    members: dict[str, list[str]] = {}
    for name, module in sorted(plan.items()):
        members.setdefault(module, []).append(name)

    def text(module: str) -> str:
        prefix = f"{module}."
        own = {name: schemas.get(name) for name in members[module]}
        return json.dumps(
            [own, {key: value for key, value in aliases.items() if key.startswith(prefix)}], sort_keys=True
        )

    shared = text(SHARED_MODULE) if SHARED_MODULE in members else ""
    context = f"{doc.get('openapi', '3.0.3')}\0{header}\0{base_class}\0{shared}"
    return {module: f"{context}\0{module}\0{text(module)}" for module in sorted(members)}


# ``name: T = None``: datamodel-code-generator's --strict-nullable output for a property that may be
# absent but is not nullable, when the field has no constraints (with them it writes ``T | None``).
_OPTIONAL_FIELD = re.compile(r"^(    [A-Za-z_][A-Za-z0-9_]*: )(?!Annotated\[)([^=\n]+?) = None$", re.MULTILINE)


def optional_fields_accept_none(source: str) -> str:
    """``name: T = None`` -> ``name: T | None = None``: the default must type-check (``mypy --strict``).

    Absent and null then read the same on the Python side; the wire format is unchanged (unset
    fields are not sent).  ``Any`` and unions that already hold ``None`` are left as they are.
    """

    def widen(match: re.Match[str]) -> str:
        annotation = match.group(2)
        if annotation == "Any" or re.search(r"\bNone\b", annotation):
            return match.group(0)
        return f"{match.group(1)}{annotation} | None = None"

    return _OPTIONAL_FIELD.sub(widen, source)


def _generate(  # noqa: PLR0913 - emit_models's arguments, passed through
    doc: dict[str, Any],
    plans: list[dict[str, str]],
    folder: Path,
    header: str,
    base_class: str,
    *,
    meanwhile: Callable[[], None] | None = None,
    warm: WarmGenerators | None = None,
) -> list[_Run]:
    """One generator process per plan, at most ``_PARTS`` at once; every one of them ended when this returns.

    A plan's input is written just before its process starts, so this process holds one part's document
    at a time, and the machine at most ``_PARTS`` generator processes.
    """
    runs: list[_Run] = []
    waiting = list(enumerate(plans))
    try:
        while waiting and len(runs) < _PARTS:
            number, plan = waiting.pop(0)
            started = _Run.start(doc, plan, folder / str(number), header, base_class, warm.take() if warm else None)
            runs.append(started)
        if meanwhile is not None:
            meanwhile()
        running = list(runs)
        while running:  # the next part starts as soon as any run ends: both cores stay busy
            ended = [run for run in running if run.ended()]
            for run in ended:
                running.remove(run)
                if waiting:
                    number, plan = waiting.pop(0)
                    runs.append(started := _Run.start(doc, plan, folder / str(number), header, base_class))
                    running.append(started)
            if not ended:
                time.sleep(_POLL_SECONDS)
    finally:
        for run in runs:
            run.stop()
    return runs


_POLL_SECONDS = 0.05
# Below this many components one generator run is about as fast as two (each pays the start-up).
_MIN_COMPONENTS_TO_SPLIT = 400
_PARTS = 2  # generator processes at once: the generator's share of the run on a 2-core machine
# The generator's memory grows with its input (~58 MB per 240 components of 30 fields; a 10,000-operation
# description in two runs: 1.6 GB a process), its CPU linearly (~1.9 s per such module, 0.4 s to start, measured
# from 240 to 1,200 components): a run gets at most this many components besides ``shared``, so a process's
# memory is bounded (~340 MB) for the price of one start-up a part.  Cloudflare (2,300 components): two parts.
_MAX_COMPONENTS_PER_RUN = 1500


def _parts(schemas: dict[str, Any], plan: dict[str, str]) -> list[dict[str, str]]:
    """The plan in parts of about equal size, each with the shared module: every part is self-contained.

    A module refers only to itself and to ``shared`` (see :func:`plan_modules`), so the generator
    writes each module the same whether it sees the others or not; :func:`_merge` checks what
    the parts have in common.  The output does not depend on how many parts there are.
    """
    modules = sorted({module for module in plan.values() if module != SHARED_MODULE})
    if len(plan) < _MIN_COMPONENTS_TO_SPLIT or len(modules) < _PARTS:
        return [plan]
    size, count = dict.fromkeys(modules, 0), dict.fromkeys(modules, 0)
    for name, module in plan.items():
        if module != SHARED_MODULE:
            size[module] += len(json.dumps(schemas.get(name), sort_keys=True))
            count[module] += 1
    wanted = -(-sum(count.values()) // _MAX_COMPONENTS_PER_RUN)  # ceiling division
    parts = min(len(modules), max(_PARTS, wanted))
    groups: list[set[str]] = [set() for _ in range(parts)]
    totals = [0] * parts
    for module in sorted(modules, key=lambda module: (-size[module], module)):  # largest first, to the lightest
        lightest = totals.index(min(totals))
        groups[lightest].add(module)
        totals[lightest] += size[module]
    members: list[dict[str, str]] = [{} for _ in range(parts)]
    part_of = {module: number for number, group in enumerate(groups) for module in group}
    for name, module in plan.items():
        if module == SHARED_MODULE:
            for member in members:
                member[name] = module
        else:
            members[part_of[module]][name] = module
    return members


@dataclass
class _Run:
    """One datamodel-code-generator process on part of the plan."""

    process: subprocess.Popen[bytes]
    source: Path
    output: Path
    metadata: Path
    log: Path
    deadline: float  # each run gets MAX_TOOL_SECONDS of its own (monotonic clock)

    @classmethod
    def start(  # noqa: PLR0913, PLR0917 - the part, where, and the process to run it in
        cls,
        doc: dict[str, Any],
        plan: dict[str, str],
        folder: Path,
        header: str,
        base_class: str,
        waiting: subprocess.Popen[bytes] | None = None,
    ) -> _Run:
        """Run the generator on ``plan`` in ``folder``: in ``waiting`` (a :class:`WarmGenerators` process) if given."""
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "models.openapi.json"
        source.write_text(dumps_sorted(_module_document(doc, plan), indent=1, ensure_ascii=True), encoding="utf-8")
        aliases = folder / "field-aliases.json"
        schemas = doc.get("components", {}).get("schemas", {})
        aliases.write_text(json.dumps(_field_aliases(schemas, plan), sort_keys=True))
        output, metadata = folder / "types", folder / "model-metadata.json"
        arguments = [
            "--input", str(source), "--output", str(output),
            "--aliases", str(aliases), "--emit-model-metadata", str(metadata),
            "--custom-file-header", header, "--base-class", base_class,
            *DMCG_OPTIONS,
        ]  # fmt: skip
        log = folder / "generator.log"  # a file, not a pipe: a run never waits for its output to be read
        process = waiting
        if process is not None:
            assert process.stdin is not None  # a pipe (WarmGenerators.start)
            try:
                process.stdin.write((json.dumps([str(folder), str(log), arguments]) + "\n").encode())
                process.stdin.close()
            except OSError:  # it ended meanwhile: a process of its own, as without it
                process.kill()
                process.wait()
                process = None
        if process is None:
            with log.open("wb") as output_file:
                process = subprocess.Popen(  # noqa: S603 - fixed argv
                    [sys.executable, "-m", "datamodel_code_generator", *arguments],
                    stdout=output_file, stderr=subprocess.STDOUT, cwd=folder,
                )  # fmt: skip
        deadline = time.monotonic() + MAX_TOOL_SECONDS
        return cls(process=process, source=source, output=output, metadata=metadata, log=log, deadline=deadline)

    def ended(self) -> bool:
        """Whether the run ended (successfully: a failure or running past its deadline raises :class:`SpecError`)."""
        if self.process.poll() is None:
            if time.monotonic() < self.deadline:
                return False
            msg = f"datamodel-code-generator ran longer than {MAX_TOOL_SECONDS} s; stopped"
            raise SpecError(self.source, msg)
        if self.process.returncode != 0:
            text = self.log.read_text(encoding="utf-8", errors="replace")
            detail = text.strip().splitlines()[-1:] or ["no output"]
            raise SpecError(self.source, f"datamodel-code-generator failed: {detail[0]}")
        return True

    def stop(self) -> None:
        """A run still going when another failed (or on an interrupt) is ended, not left behind."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _merge(outputs: list[Path], types_dir: Path) -> bool:
    """Move the parts' files into ``types_dir``; False (nothing moved) when two parts wrote one file differently."""
    files: dict[Path, Path] = {}
    for output in outputs:
        for path in sorted(output.rglob("*")):
            relative = path.relative_to(output)
            if path.is_dir() or relative.parts[0] == ".ruff_cache":
                continue
            first = files.setdefault(relative, path)
            if first != path and first.read_bytes() != path.read_bytes():
                return False
    types_dir.mkdir(parents=True, exist_ok=True)
    for relative, path in sorted(files.items()):
        (types_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, types_dir / relative)
    return True


def _read_index(entries: list[dict[str, Any]], plan: dict[str, str]) -> ModelIndex:
    """Component -> class, found by each model's source pointer.

    The generator may rename or move a class (classes in an import cycle move to ``_internal``).
    """
    by_component: dict[str, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda entry: len(entry["source_path"])):
        path = entry["source_path"]
        if len(path) >= 3 and path[:2] == ["components", "schemas"]:
            by_component.setdefault(str(path[2]), entry)
    index: ModelIndex = {}
    for name, module in plan.items():
        model = by_component.get(f"{module}.{name}")
        if model is not None:
            fields = model.get("fields") or []
            is_alias = len(fields) == 1 and not fields[0].get("name")  # the generator's root: one nameless field
            index[name] = ModelRef(
                module=str(model["module"]), class_name=str(model["class_name"]), is_class=not is_alias
            )
    return index
