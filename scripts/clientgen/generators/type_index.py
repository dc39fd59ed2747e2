"""``<package>.types``: every model by name, imported lazily (module ``__getattr__``).

``from cloudflare_client.types import DnsRecordA`` works like ``from cloudflare_client.types.dns_records import
DnsRecordA`` and loads only that module; the type checker reads the ``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

from pathlib import Path

from clientgen.generators.models import ModelIndex
from clientgen.render import make_environment

__all__ = ["type_exports", "write_type_index"]


def type_exports(index: ModelIndex) -> dict[str, str]:
    """Class name -> module, sorted; a name in two modules (never expected) is exported from the first."""
    exports: dict[str, str] = {}
    for ref in sorted(index.values(), key=lambda ref: (ref.class_name, ref.module)):
        exports.setdefault(ref.class_name, ref.module)
    return exports


def write_type_index(types_dir: Path, index: ModelIndex, *, header: str, package: str) -> None:
    exports = type_exports(index)
    by_module: dict[str, list[str]] = {}
    for name, module in exports.items():
        by_module.setdefault(module, []).append(name)
    text = (
        make_environment()
        .get_template("package/types/__init__.py.jinja")
        .render(
            header=header,
            package=package,
            exports=sorted(exports.items()),
            by_module=[(module, sorted(names)) for module, names in sorted(by_module.items())],
        )
    )
    types_dir.mkdir(parents=True, exist_ok=True)
    (types_dir / "__init__.py").write_text(text, encoding="utf-8", newline="\n")
