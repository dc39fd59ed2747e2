"""One private module per model: a call loads the models it validates and what they reference, nothing else.

datamodel-code-generator writes one module per top-level resource (``types/pages.py``: 127 classes with
``shared``); executing a pydantic class body costs even with ``defer_build``, so a first call that
loaded the whole module paid for every model of its resource.  After the generator ran, each public
module ``types/<module>.py`` is split: every definition (class or type alias) moves to a private
module ``types/_<module>/<snake_name>.py`` that imports exactly the definitions it refers to (models on
a reference cycle share one module: they must be defined together), and ``types/<module>.py`` becomes
a lazy index (module ``__getattr__``, ``__all__``, ``TYPE_CHECKING`` imports for type checkers), so
``from <package>.types.pages import Deployment`` keeps working and loads only ``Deployment``'s modules.

A module holding anything but imports, definitions and ``X.model_rebuild()`` calls is left whole.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from clientgen.generators.owners import Owner, common_owner, owner_module
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


def split_model_modules(  # noqa: PLR0913 - where, the header, the package, then how each module is split
    types_dir: Path,
    header: str,
    package: str,
    *,
    owners: Mapping[tuple[str, str], Owner] | None = None,
    per_model: Collection[str] | None = None,
    envelope: tuple[str, Collection[str]] | None = None,
) -> None:
    """Split the model modules of ``types_dir`` (not ``__init__.py``) into private modules and a lazy index.

    ``owners`` ((module, class) -> owner, :func:`clientgen.generators.owners.plan_owners`): a module with owned
    models is split by owner, one private module per operation or resource.  One without is split per model,
    each with its parts, when it is in ``per_model`` (default: every module), else left whole.
    ``envelope`` (module, names): that module is split in two instead, ``envelope`` (the names and what they
    refer to: what every call may validate) and ``models`` (the rest, one file as before the split).
    """
    modules = {}
    for path in sorted(types_dir.glob("*.py")):
        if path.name != "__init__.py":
            read = _read(path)
            if read is not None:
                modules[read.name] = read
    imported_elsewhere = {
        (source, original) for m in modules.values() for source, original in m.relative_imports.values()
    }
    for module in modules.values():
        owned = {name: owner for (where, name), owner in (owners or {}).items() if where == module.name}
        if owned:
            named = _by_owner(module.definitions, owned)
            module.groups = [members for _, members in named]
            module.group_file = {name: stem for stem, members in named for name in members}
            continue
        if envelope is not None and module.name == envelope[0]:
            named = _envelope_and_rest(module.definitions, envelope[1])
            module.groups = [members for _, members in named]
            module.group_file = {name: stem for stem, members in named for name in members}
            continue
        if per_model is not None and module.name not in per_model:
            continue  # left whole: modules importing from it import the module (see _private_text)
        shared = {name for name in module.definitions if (module.name, name) in imported_elsewhere}
        named = _with_parts(_cycles_together(module.definitions), module.definitions, shared)
        module.groups = [members for _, members in named]
        module.group_file = _file_names(named)
    template = make_environment().get_template("package/types/lazy_module.py.jinja")
    for name, module in sorted(modules.items()):
        if not module.groups:
            continue
        folder = types_dir / private_package(name)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(f"{header}\n", encoding="utf-8", newline="\n")
        for group in module.groups:
            text = _private_text(module, group, modules, header)
            (folder / f"{module.group_file[group[0]]}.py").write_text(text, encoding="utf-8", newline="\n")
        exports = sorted((definition, module.group_file[definition]) for definition in module.definitions)
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


def _cycles_together(definitions: dict[str, _Definition]) -> list[list[str]]:
    """Definitions grouped by strongly connected component of their references (Tarjan), in source order."""
    order = {name: number for number, name in enumerate(definitions)}
    edges = {
        name: sorted(d.uses & definitions.keys() - {name}, key=order.__getitem__) for name, d in definitions.items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in definitions:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    groups.append(sorted(group, key=order.__getitem__))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(edges[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(groups, key=lambda group: order[group[0]])


def _snake(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower().strip("_") or "model"
    return f"{words}_" if keyword.iskeyword(words) else words  # ``Import`` -> ``import_``: importable


def _with_parts(
    cycles: list[list[str]], definitions: dict[str, _Definition], imported_elsewhere: set[str]
) -> list[tuple[str, list[str]]]:
    """(root, members in source order): each cycle group joined by the groups only it refers to, transitively.

    A model's parts (``DeploymentStage``, used by ``Deployment`` only) live in their parent's module: what
    changes together stays in one file (a review diff touches one file, not one per part), and a call
    that validates the parent needs them anyway.  A group that another group or module also refers to
    keeps its own module.  References into a group then only reach its root, so modules import no cycle.
    """
    group_of = {name: number for number, members in enumerate(cycles) for name in members}
    referrers = _referrers(cycles, definitions, group_of)
    outside = {group_of[name] for name in imported_elsewhere}

    def root(number: int) -> int:
        while len(referrers[number]) == 1 and number not in outside:
            number = next(iter(referrers[number]))
        return number

    order = {name: position for position, name in enumerate(definitions)}
    joined: dict[int, list[str]] = {}
    for number, members in enumerate(cycles):
        joined.setdefault(root(number), []).extend(members)
    return [(min(cycles[top]), sorted(members, key=order.__getitem__)) for top, members in sorted(joined.items())]


def _by_owner(definitions: dict[str, _Definition], owned: dict[str, Owner]) -> list[tuple[str, list[str]]]:
    """(private module, members in source order), grouped by owner.

    A definition no operation uses directly (a type alias the generator wrote, a model only a webhook uses)
    goes to the owner common to all that refer to it, or to the resource's module.
    """
    cycles = _cycles_together(definitions)
    group_of = {name: number for number, members in enumerate(cycles) for name in members}
    referrers = _referrers(cycles, definitions, group_of)
    owner_of: dict[int, Owner] = {}
    for number, cycle in enumerate(cycles):
        known = [owned[name] for name in cycle if name in owned]
        if known:
            owner_of[number] = common_owner(known)
    changed = True
    while changed:  # referrers before what they refer to: the groups form no cycle
        changed = False
        for number in range(len(cycles)):
            if number not in owner_of and referrers[number] and referrers[number] <= owner_of.keys():
                owner_of[number] = common_owner(owner_of[referrer] for referrer in sorted(referrers[number]))
                changed = True
    stem_of = {number: owner_module(owner_of.get(number, ())) for number in range(len(cycles))}
    stem_of = _without_import_cycles(stem_of, referrers)
    order = {name: position for position, name in enumerate(definitions)}
    by_stem: dict[str, list[str]] = {}
    for number, group in enumerate(cycles):
        by_stem.setdefault(stem_of[number], []).extend(group)
    return [(stem, sorted(names, key=order.__getitem__)) for stem, names in sorted(by_stem.items())]


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


def _referrers(
    cycles: list[list[str]], definitions: dict[str, _Definition], group_of: dict[str, int]
) -> dict[int, set[int]]:
    """Group -> the other groups whose definitions use one of its definitions."""
    referrers: dict[int, set[int]] = {number: set() for number in range(len(cycles))}
    for number, members in enumerate(cycles):
        for name in members:
            for used in definitions[name].uses & definitions.keys():
                if group_of[used] != number:
                    referrers[group_of[used]].add(number)
    return referrers


def _without_import_cycles(stem_of: dict[int, str], referrers: dict[int, set[int]]) -> dict[int, str]:
    """Private modules that would import each other (two owners' names alike) merged into the shortest name."""
    files = sorted(set(stem_of.values()))
    uses: dict[str, set[str]] = {stem: set() for stem in files}
    for used, users in referrers.items():
        for user in users:
            if stem_of[user] != stem_of[used]:
                uses[stem_of[user]].add(stem_of[used])
    graph = {stem: _Definition(stem, [], uses[stem]) for stem in files}
    merged = {
        stem: min(group, key=lambda name: (len(name), name)) for group in _cycles_together(graph) for stem in group
    }
    return {number: merged[stem] for number, stem in stem_of.items()}


def _file_names(groups: list[tuple[str, list[str]]]) -> dict[str, str]:
    """Definition -> its private module's name: the snake-cased name of its group's root.

    The root is the first class name, alphabetically, of the root's cycle.

    Names that snake-case alike (``ABTest``, ``AbTest``) take a number, in the order of their class names.
    """
    taken: set[str] = {"__init__"}
    chosen: dict[str, str] = {}
    for root, group in sorted(groups):
        base = _snake(root)
        name, number = base, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        chosen.update(dict.fromkeys(group, name))
    return chosen


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
