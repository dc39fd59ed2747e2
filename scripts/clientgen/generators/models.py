"""Models: datamodel-code-generator is the only emitter of model classes.

The normalized document already has one component per distinct object schema, with its
final name, so the generator is run with numbering and re-use heuristics switched off in
effect: every class it writes is one component.  Components are grouped into modules
(``types/pages.py``, ``types/shared.py``) by the top-level resource that uses them, so that
touching ``client.pages`` imports only the models of ``pages``.  Field names come from our
own :class:`~clientgen.names.PythonIdentifier` rule (passed as ``--aliases``); the wire name
stays the alias.  The generator's model metadata links each component to its class.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError
from clientgen.limits import MAX_TOOL_SECONDS
from clientgen.names import PythonIdentifier
from clientgen.normalize.envelopes import ENVELOPE_ITEM_NAMES, FAILURE_ENVELOPE_NAME
from clientgen.normalize.schemas import iter_operations, routes

__all__ = ["SHARED_MODULE", "ModelIndex", "ModelRef", "emit_models", "plan_modules"]

SHARED_MODULE = "shared"
_SHARED_NAMES = frozenset({*ENVELOPE_ITEM_NAMES.values(), FAILURE_ENVELOPE_NAME})
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
    # email/uri stay plain str: EmailStr needs email-validator and rejects addresses the API returns,
    # AnyUrl rewrites values ("https://a.b" -> "https://a.b/"); the format stays in the normalized document
    "--type-mappings", "email=string", "idn-email=string", "uri=string", "uri-reference=string",
    "--no-formatters",  # the whole package is formatted once, with ruff, at the end
)
# fmt: on


@dataclass(frozen=True)
class ModelRef:
    """Where the class for one component lives: ``<package>.types.<module>.<class_name>``."""

    module: str
    class_name: str


ModelIndex = dict[str, ModelRef]


def _refs_in(node: Any) -> set[str]:
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
    direct = {name: _refs_in(schema) for name, schema in schemas.items()}
    users: dict[str, set[str]] = {name: set() for name in schemas}
    table = routes(doc)
    for path, method, op in iter_operations(doc):
        top = PythonIdentifier.from_text(table[path, method].nouns[0], shadow_builtins=True)
        stack, seen = list(_refs_in(op)), set()
        while stack:
            name = stack.pop()
            if name in seen or name not in users:
                continue
            seen.add(name)
            users[name].add(top)
            stack.extend(direct[name])
    plan = {
        name: SHARED_MODULE if name in _SHARED_NAMES or len(tops) != 1 else next(iter(tops))
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


def _python_field_names(properties: dict[str, Any]) -> dict[str, str]:
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
    for class_name, schema in sorted(schemas.items()):
        properties = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(properties, dict):
            for wire, python in _python_field_names(properties).items():
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
        "components": {"schemas": {qualified[name]: rename(schema) for name, schema in sorted(schemas.items())}},
    }


def emit_models(doc: dict[str, Any], plan: dict[str, str], types_dir: Path, work_dir: Path, header: str) -> ModelIndex:
    """Run datamodel-code-generator into ``types_dir``; return component -> class."""
    if not plan:  # nothing to model: the generator would fail with "Models not found"
        types_dir.mkdir(parents=True, exist_ok=True)
        (types_dir / "__init__.py").write_text(header + "\n", encoding="utf-8")
        return {}
    source = work_dir / "models.openapi.json"
    source.write_text(json.dumps(_module_document(doc, plan), sort_keys=True, indent=1), encoding="utf-8")
    aliases = work_dir / "field-aliases.json"
    aliases.write_text(json.dumps(_field_aliases(doc.get("components", {}).get("schemas", {}), plan), sort_keys=True))
    metadata = work_dir / "model-metadata.json"
    command = [
        sys.executable, "-m", "datamodel_code_generator",
        "--input", str(source), "--output", str(types_dir),
        "--aliases", str(aliases), "--emit-model-metadata", str(metadata),
        "--custom-file-header", header,
        *DMCG_OPTIONS,
    ]  # fmt: skip
    try:
        result = subprocess.run(  # noqa: S603 - fixed argv
            command, capture_output=True, text=True, check=False, cwd=work_dir, timeout=MAX_TOOL_SECONDS
        )
    except subprocess.TimeoutExpired:
        raise SpecError(source, f"datamodel-code-generator ran longer than {MAX_TOOL_SECONDS} s; stopped") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SpecError(source, f"datamodel-code-generator failed: {detail[0]}")
    shutil.rmtree(types_dir / ".ruff_cache", ignore_errors=True)
    return _read_index(metadata, plan)


def _read_index(metadata: Path, plan: dict[str, str]) -> ModelIndex:
    """Component -> class, found by each model's source pointer.

    The generator may rename or move a class (classes in an import cycle move to ``_internal``).
    """
    entries = json.loads(metadata.read_text(encoding="utf-8"))["models"]
    by_component: dict[str, dict[str, Any]] = {}
    for entry in sorted(entries, key=lambda entry: len(entry["source_path"])):
        path = entry["source_path"]
        if len(path) >= 3 and path[:2] == ["components", "schemas"]:
            by_component.setdefault(str(path[2]), entry)
    index: ModelIndex = {}
    for name, module in plan.items():
        entry = by_component.get(f"{module}.{name}")
        if entry is not None:
            index[name] = ModelRef(module=str(entry["module"]), class_name=str(entry["class_name"]))
    return index
