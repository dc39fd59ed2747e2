"""Whole OpenAPI 3.0/3.1 documents in JSON or YAML.

A document is validated just enough for the later passes to rely on its shape (an
``openapi`` version they understand, ``info``, a ``paths`` object whose operations have
responses and whose path templates match their path parameters, references that
resolve, see :mod:`clientgen.ingest.structure`), its references to other local files are
bundled (see :mod:`clientgen.ingest.bundle`), and any of Cloudflare's security schemes it
uses but does not define are filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote

from clientgen.diagnostics import SpecError

from .bundle import bundle
from .cycles import check_alias_loops
from .oddpaths import repair_odd_paths
from .parsing import parse_file
from .refs import PointerError, iter_refs, resolve_fragment, to_pointer
from .security import complete_document_schemes
from .structure import check_info, check_paths

__all__ = ["check_refs", "ingest_document", "load_document", "validate_document"]


def validate_document(file: Path, document: Any) -> dict[str, Any]:
    """Refuse anything that is not an OpenAPI 3.0/3.1 object (Swagger 2.0 named as such); no ``paths`` reads as none."""
    version = document.get("openapi") if isinstance(document, dict) else None
    if isinstance(document, dict) and "swagger" in document and version is None:
        message = "a Swagger 2.0 document, not OpenAPI 3.x: convert it first (for example with swagger2openapi)"
        raise SpecError(file, message, pointer="/swagger")
    if not isinstance(document, dict) or not isinstance(version, str) or not version.startswith(("3.0", "3.1")):
        raise SpecError(file, "not an OpenAPI 3.x document (expected 'openapi: 3.0.x' or '3.1.x')", pointer="/openapi")
    if "paths" not in document:  # optional since 3.1 (components or webhooks only): a models-only package
        document["paths"] = {}
    if not isinstance(document.get("paths"), dict):
        raise SpecError(file, "paths must be an object: add paths: {}", pointer="/paths")
    check_info(file, document)
    return document


def check_refs(file: Path | str, document: dict[str, Any]) -> None:
    """Every Reference Object must be internal and resolve inside ``document``.

    Percent-encoded pointers (``#/components/schemas/a%20b``) are rewritten to their plain
    form, the only one the normalizer follows.
    """
    for tokens, holder in iter_refs(document):
        ref = holder["$ref"]
        pointer = to_pointer([*tokens, "$ref"])
        if not ref.startswith("#"):
            raise SpecError(file, f"refusing external $ref {ref!r} (bundle it first)", pointer=pointer)
        try:
            resolve_fragment(document, ref[1:])
        except PointerError as error:
            raise SpecError(file, f"dangling $ref {ref!r}: {error}: fix the pointer", pointer=pointer) from None
        holder["$ref"] = "#" + unquote(ref[1:])


def load_document(path: Path) -> dict[str, Any]:
    """Load, validate and bundle one OpenAPI document; fill in Cloudflare security schemes."""
    return ingest_document(path, validate_document(path, parse_file(path)))


def ingest_document(path: Path, document: dict[str, Any]) -> dict[str, Any]:
    """:func:`load_document` after the parse and :func:`validate_document`: bundled, checked, completed in place."""
    bundle(path, document)
    check_refs(path, document)
    check_alias_loops(path, document)
    repair_odd_paths(path, document)
    check_paths(path, document)
    complete_document_schemes(path, document)
    return document
