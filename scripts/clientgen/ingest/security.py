"""Cloudflare's security schemes, and checks of the requirements that name them.

Records only *name* schemes (``[{"api_email": [], "api_key": []}]``); the definitions
live in the full document's ``components/securitySchemes``, identical in every published
version.  They are reproduced here so that a record, or a document that forgot one, still
yields a client that knows which header carries which credential.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .refs import clone, to_pointer

__all__ = [
    "CLOUDFLARE_SECURITY_SCHEMES",
    "add_missing_schemes",
    "check_requirements",
    "cloudflare_schemes",
    "complete_document_schemes",
    "defined_schemes",
    "item_requirement_sites",
]

CLOUDFLARE_SECURITY_SCHEMES: Mapping[str, Mapping[str, str]] = {
    "api_email": {"in": "header", "name": "X-Auth-Email", "type": "apiKey"},
    "api_key": {"in": "header", "name": "X-Auth-Key", "type": "apiKey"},
    "api_token": {"scheme": "bearer", "type": "http"},
    "user_service_key": {"in": "header", "name": "X-Auth-User-Service-Key", "type": "apiKey"},
}

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def cloudflare_schemes() -> dict[str, Any]:
    """A fresh copy of all four schemes, in sorted order."""
    return {name: clone(dict(scheme)) for name, scheme in sorted(CLOUDFLARE_SECURITY_SCHEMES.items())}


def check_requirements(
    file: Path, security: Any, pointer: str, known: Mapping[str, Any], *, line: int | None = None
) -> list[str]:
    """Validate a ``security`` array; return the scheme names it uses, refusing unknown ones."""
    if not isinstance(security, list):
        raise SpecError(file, "security must be an array of requirement objects", line=line, pointer=pointer)
    names: list[str] = []
    for index, requirement in enumerate(security):
        where = f"{pointer}/{index}"
        if not isinstance(requirement, dict):
            raise SpecError(file, "security requirement must be an object", line=line, pointer=where)
        for name, scopes in requirement.items():
            if not isinstance(scopes, list) or not all(isinstance(scope, str) for scope in scopes):
                raise SpecError(file, f"scopes of {name!r} must be an array of strings", line=line, pointer=where)
            if name not in known:
                raise SpecError(
                    file, f"unknown security scheme {name!r}", line=line, pointer=where + to_pointer([name])
                )
            names.append(name)
    return names


def item_requirement_sites(path: str, item: Any) -> Iterator[tuple[Any, str]]:
    """``(security, pointer)`` of each operation of one path item that has its own requirements."""
    if not isinstance(item, dict):
        return
    for method in _METHODS:
        operation = item.get(method)
        if isinstance(operation, dict) and "security" in operation:
            yield (operation["security"], to_pointer(["paths", path, method, "security"]))


def _requirement_sites(document: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    if "security" in document:
        yield document["security"], "/security"
    for path, item in document["paths"].items():
        yield from item_requirement_sites(path, item)


def defined_schemes(file: Path, document: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The document's ``components`` (``{}`` when absent) and its ``securitySchemes``; refused if not objects."""
    components = document.get("components", {})
    if not isinstance(components, dict):
        raise SpecError(file, "components must be an object", pointer="/components")
    defined = components.get("securitySchemes", {})
    if not isinstance(defined, dict):
        raise SpecError(file, "securitySchemes must be an object", pointer="/components/securitySchemes")
    return components, defined


def add_missing_schemes(file: Path, document: dict[str, Any], used: set[str]) -> None:
    """Define the Cloudflare schemes in ``used`` (checked names) that the document lacks, in sorted order."""
    components, defined = defined_schemes(file, document)
    missing = sorted(name for name in used if name not in defined)
    if missing:
        added = {name: clone(dict(CLOUDFLARE_SECURITY_SCHEMES[name])) for name in missing}
        components["securitySchemes"] = {**defined, **added}
        document["components"] = components


def complete_document_schemes(file: Path, document: dict[str, Any]) -> None:
    """Define any of Cloudflare's four schemes that a requirement names but the document lacks.

    Existing definitions are left alone; a requirement naming a scheme that is neither
    defined nor one of Cloudflare's is refused.
    """
    _, defined = defined_schemes(file, document)
    known = {**CLOUDFLARE_SECURITY_SCHEMES, **defined}
    used: set[str] = set()
    for security, pointer in _requirement_sites(document):
        used.update(check_requirements(file, security, pointer, known))
    add_missing_schemes(file, document, used)
