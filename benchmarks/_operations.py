"""The same operations through both SDKs: which ones, and a probe that calls each once (``bench_import.py``).

Candidates are the ``GET`` operations of our generation (``report.json``: call path, method, path) that return a
model, one per top-level resource first; the official SDK's method for the same method and path (placeholders
erased) is found by reading its resource modules (``self._get(f"/accounts/{account_id}/...")`` in a class
``...Resource``; the call path is the module's path under ``cloudflare/resources``).  Each SDK then keeps the
candidates its client resolves and whose required arguments are exactly the path's placeholders; the first
``count`` both keep (sorted by path) are measured.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

__all__ = ["PEAK_KB", "PROBE", "RESOLVE", "candidates", "chosen", "official_calls"]

_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_HTTP = {"_get": "GET", "_post": "POST", "_put": "PUT", "_patch": "PATCH", "_delete": "DELETE"}


def _shape(method: str, path: str) -> str:
    return f"{method} {_PLACEHOLDER.sub('{}', path)}"


def _template(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)  # type: ignore[misc]
    return None


def official_calls(package: Path) -> dict[str, str]:
    """``METHOD /path/{}`` -> ``client.a.b.method`` of the official SDK's synchronous resources."""
    found: dict[str, str] = {}
    resources = package / "resources"
    for module in sorted(resources.rglob("*.py")):
        parts = list(module.relative_to(resources).with_suffix("").parts)
        if parts[-1] == "__init__":
            continue
        if len(parts) >= 2 and parts[-1] == parts[-2]:  # pages/pages.py is client.pages
            parts.pop()
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for cls in tree.body:
            if not isinstance(cls, ast.ClassDef) or not cls.name.endswith("Resource") or cls.name.startswith("Async"):
                continue
            for function in cls.body:
                if not isinstance(function, ast.FunctionDef) or function.name.startswith("_"):
                    continue
                for node in ast.walk(function):
                    if (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr in _HTTP
                        and node.args
                        and (path := _template(node.args[0])) is not None
                    ):
                        found.setdefault(
                            _shape(_HTTP[node.func.attr], path), ".".join(["client", *parts, function.name])
                        )
                        break
    return found


def candidates(report: Path, official: dict[str, str]) -> list[dict[str, str]]:
    """Our model-returning GETs with an official counterpart: one per top-level resource first, then the rest."""
    operations = json.loads(report.read_text(encoding="utf-8"))["operations"]
    pairs = []
    for op in sorted(operations, key=lambda op: (op["path"], op["method"])):
        shape = _shape(op["method"], op["path"])
        returns = str(op.get("returns", ""))
        plain = returns.startswith(("Dict", "List", "SyncPage", "Any")) or not returns[:1].isupper()
        if op["method"] == "GET" and shape in official and "pagination" not in op and not plain:
            pairs.append({"ours": op["call"], "official": official[shape], "path": op["path"]})
    firsts: dict[str, dict[str, str]] = {}
    for pair in pairs:
        firsts.setdefault(pair["ours"].split(".")[1], pair)
    return list(firsts.values()) + [pair for pair in pairs if pair not in firsts.values()]


# Runs in an SDK's interpreter: argv[1] the constructor, argv[2] JSON [call path, ...]; prints the required
# keyword arguments of each call path that resolves, or null.
RESOLVE = """
import inspect, json, sys
client = eval(sys.argv[1])
found = []
for call in json.loads(sys.argv[2]):
    target = client
    try:
        for name in call.split(".")[1:]:
            target = getattr(target, name)
        parameters = inspect.signature(target).parameters.values()
        required = [p for p in parameters if p.default is inspect.Parameter.empty and p.kind == p.KEYWORD_ONLY]
        found.append(sorted(p.name for p in required))
    except Exception:
        found.append(None)
print(json.dumps(found))
"""

# Runs in an SDK's interpreter: argv[1] JSON [constructor, ...] (``transport`` in scope), argv[2] JSON
# The peak memory of this process image (kB): ``VmHWM``, not ``ru_maxrss``.  A child started by ``subprocess``
# (vfork + exec) keeps its parent's peak in ``ru_maxrss``: every probe would read at least the benchmark's own
# 44 MB, the floor and ours alike (a child of a 200 MB parent reads 210 MB; its VmHWM: 9 MB).
PEAK_KB = """
def peak_kb():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""
# [[call, {kwargs}]]; every call answered by one envelope, through the first client whose credentials the
# operation accepts (ours refuses an operation's missing kind of credentials before sending); prints how many
# calls reached the transport and returned, and the peak memory.
PROBE = (
    """
import json, resource, sys
"""
    + PEAK_KB
    + """
import httpx
reached = []
def answer(request):
    reached.append(request.url.path)
    return httpx.Response(200, json={"success": True, "errors": [], "messages": [], "result": {}})
transport = httpx.MockTransport(answer)
clients = [eval(constructor) for constructor in json.loads(sys.argv[1])]
returned = 0
for call, arguments in json.loads(sys.argv[2]):
    for client in clients:
        target = client
        for name in call.split(".")[1:]:
            target = getattr(target, name)
        sent = len(reached)
        try:
            target(**arguments)
            returned += 1
        except Exception:
            pass
        if len(reached) > sent:
            break
print(json.dumps({"seconds": 0.0, "reached": len(reached), "returned": returned, "peak_kb": peak_kb()}))
"""
)


def chosen(
    pairs: list[dict[str, str]],
    sides: dict[str, tuple[str, str, dict[str, str]]],
    count: int,
) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """side -> [(call path, keyword arguments)] for the first ``count`` pairs every side can call with path values.

    ``sides``: side ("ours", "official") -> (python, constructor expression, environment).
    """
    required: dict[str, list[list[str] | None]] = {}
    for side, (python, constructor, env) in sides.items():
        calls = json.dumps([pair[side] for pair in pairs])
        result = subprocess.run([python, "-c", RESOLVE, constructor, calls], capture_output=True, text=True, env=env,
                                check=True)  # fmt: skip
        required[side] = json.loads(result.stdout)
    picked: dict[str, list[tuple[str, dict[str, str]]]] = {side: [] for side in sides}
    for number, pair in enumerate(pairs):
        placeholders = len(_PLACEHOLDER.findall(pair["path"]))
        names = {side: required[side][number] for side in sides}
        if all(found is not None and len(found) == placeholders for found in names.values()):
            for side in sides:
                picked[side].append((pair[side], dict.fromkeys(names[side] or [], "023e105f4ecef8ad9ca31a8372d0c353")))
        if len(picked["ours"]) == count:
            break
    return picked
