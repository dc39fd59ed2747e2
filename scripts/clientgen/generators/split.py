"""The shared models split in two behind a lazy index: a call loads the envelope's models, not all of ``shared``.

datamodel-code-generator writes one module per top-level resource and ``shared.py`` (the models several use);
executing a pydantic class body costs even with ``defer_build``, and every resource module imports
``ResponseInfo`` from ``shared``: a first call paid for all of ``shared`` (85 classes of the full Cloudflare
API).  After the generator ran, ``types/shared.py`` is split: the envelope's models and what they refer to go
to ``types/_shared/envelope.py``, the rest to ``types/_shared/models.py`` (one file, so a review diff touches
one file where it touched ``shared.py``), and ``types/shared.py`` becomes a lazy index (module
``__getattr__``, ``__all__``, ``TYPE_CHECKING`` imports), so every import path keeps working.  Splitting
resource modules too (by model, or by the operation owning each model) made first calls cheaper still but
review diffs larger: docs/performance.md.

A module holding anything but imports, definitions and ``X.model_rebuild()`` calls is left whole.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from clientgen.render import make_environment

__all__ = ["private_package", "split_model_modules"]

_FUTURE = "from __future__ import annotations"


def private_package(module: str) -> str:
    """``pages`` -> ``_pages``: the package of a public model module's private modules."""
    return f"_{module}"


@dataclass
class _Definition:
    name: str
    lines: list[str]
    uses: set[str]
    rebuilds: list[str] = field(default_factory=list)  # ``X.model_rebuild()``: after every definition of the module


@dataclass
class _Module:
    """A generator-written module read as imports (bound name -> import line or relative source) and definitions."""

    name: str
    plain_imports: dict[str, str] = field(default_factory=dict)  # bound name -> ``from x import y`` line
    relative_imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # bound name -> (module, name)
    definitions: dict[str, _Definition] = field(default_factory=dict)
    groups: list[list[str]] = field(default_factory=list)  # definitions that share a private module
    group_file: dict[str, str] = field(default_factory=dict)  # definition -> its private module's name


def split_model_modules(types_dir: Path, header: str, package: str, *, module: str, envelope: Collection[str]) -> None:
    """Split ``types_dir/<module>.py`` into ``envelope`` (those names and what they use) and the rest.

    The other modules are left whole and not read: a private module imports from them by their public path,
    which needs no parsing (parsing every types module cost 1.4 s of the full Cloudflare API's generation).
    """
    path = types_dir / f"{module}.py"
    read = _read(path) if path.is_file() else None
    modules = {read.name: read} if read is not None else {}
    split = modules.get(module)
    if split is not None:
        named = _envelope_and_rest(split.definitions, envelope)
        split.groups = [members for _, members in named]
        split.group_file = {name: stem for stem, members in named for name in members}
    template = make_environment().get_template("package/types/lazy_module.py.jinja")
    for name, written in sorted(modules.items()):
        if not written.groups:
            continue
        folder = types_dir / private_package(name)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(f"{header}\n", encoding="utf-8", newline="\n")
        for group in written.groups:
            text = _private_text(written, group, modules, header)
            (folder / f"{written.group_file[group[0]]}.py").write_text(text, encoding="utf-8", newline="\n")
        exports = sorted((definition, written.group_file[definition]) for definition in written.definitions)
        text = template.render(
            header=header, package=package, module=name, private=private_package(name), exports=exports
        )
        (types_dir / f"{name}.py").write_text(text, encoding="utf-8", newline="\n")


def _read(path: Path) -> _Module | None:
    """The module's imports and definitions, or None when it holds anything else (it then stays whole)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    module = _Module(path.stem)
    pending: list[tuple[ast.Expr, str]] = []  # ``X.model_rebuild()`` calls: they go with X
    previous = ""  # the definition just read
    for node in ast.parse(text).body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            for alias in node.names:
                module.relative_imports[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                bound = f" as {alias.asname}" if alias.asname else ""
                module.plain_imports[alias.asname or alias.name] = f"from {node.module} import {alias.name}{bound}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                bound = f" as {alias.asname}" if alias.asname else ""
                module.plain_imports[alias.asname or alias.name.split(".")[0]] = f"import {alias.name}{bound}"
        elif (name := _defined_name(node)) is not None:
            previous = name
            start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            module.definitions[name] = _Definition(name, lines[start - 1 : node.end_lineno], _names_used(node))
        elif _is_docstring(node) and previous in module.definitions:  # an alias's docstring: it goes with it
            module.definitions[previous].lines += lines[node.lineno - 1 : node.end_lineno]
        elif isinstance(node, ast.Expr) and (owner := _rebuilt_model(node)) is not None:
            pending.append((node, owner))
        else:
            return None
    for node, owner in pending:
        if owner not in module.definitions:
            return None
        definition = module.definitions[owner]
        definition.rebuilds += lines[node.lineno - 1 : node.end_lineno]
        definition.uses |= _names_used(node)
    return module


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.ClassDef):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
        return node.target.id
    return None


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _rebuilt_model(node: ast.Expr) -> str | None:
    """``X`` of a top-level ``X.model_rebuild()``, else None."""
    call = node.value
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
        return call.func.value.id if call.func.attr == "model_rebuild" else None
    return None


def _names_used(node: ast.AST) -> set[str]:
    """Every name the statement reads, including those inside quoted annotations (forward references)."""
    names: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            names.add(child.id)
        elif isinstance(child, ast.Constant) and isinstance(child.value, str) and len(child.value) <= _MAX_QUOTED:
            names |= _quoted_names(child.value)
    return names


_MAX_QUOTED = 300  # longer strings are descriptions or examples, never a quoted annotation


def _quoted_names(text: str) -> set[str]:
    """Names of a quoted annotation (``"list[Tree] | None"``); an unrelated string only adds a harmless import."""
    try:
        expression = ast.parse(text, mode="eval")
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(expression) if isinstance(node, ast.Name)}


def _envelope_and_rest(definitions: dict[str, _Definition], names: Collection[str]) -> list[tuple[str, list[str]]]:
    """(``envelope``, the envelope's definitions and what they use), (``models``, the rest): never a cycle."""
    closure: set[str] = set()
    stack = [name for name in names if name in definitions]
    while stack:
        name = stack.pop()
        if name not in closure:
            closure.add(name)
            stack.extend(definitions[name].uses & definitions.keys())
    groups = [
        ("envelope", [name for name in definitions if name in closure]),
        ("models", [name for name in definitions if name not in closure]),
    ]
    return [(stem, members) for stem, members in groups if members]


def _private_text(module: _Module, group: list[str], modules: dict[str, _Module], header: str) -> str:
    members = set(group)
    used = set().union(*(module.definitions[name].uses for name in group)) - members
    imports = sorted({module.plain_imports[name] for name in used if name in module.plain_imports})
    siblings: dict[str, set[str]] = {}
    for name in sorted(used & module.definitions.keys()):
        siblings.setdefault(f".{module.group_file[name]}", set()).add(name)
    for bound in sorted(used & module.relative_imports.keys()):
        source, original = module.relative_imports[bound]
        target = modules.get(source)
        where = (
            f"..{private_package(source)}.{target.group_file[original]}"
            if target and original in target.group_file
            else f"..{source}"
        )
        siblings.setdefault(where, set()).add(original if original == bound else f"{original} as {bound}")
    relative = [f"from {where} import {', '.join(sorted(names))}" for where, names in sorted(siblings.items())]
    body = "\n\n\n".join("\n".join(module.definitions[name].lines) for name in group)
    rebuilds = [line for name in group for line in module.definitions[name].rebuilds]
    if rebuilds:  # a model on a cycle is completed once the others of its cycle are defined
        body += "\n\n\n" + "\n".join(rebuilds)
    import_block = "\n".join(imports) + ("\n\n" if imports and relative else "") + "\n".join(relative)
    return f"{header}\n\n{_FUTURE}\n\n{import_block}\n\n\n{body}\n"
