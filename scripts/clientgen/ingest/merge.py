"""Merge parsed records into one OpenAPI 3.0.3 document.

Files are read in sorted name order, so "the second" of two clashing records is well
defined and the error names it; paths and methods are inserted sorted, so the document
does not depend on the order the operating system lists files in.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .cycles import check_alias_loops
from .documents import check_refs
from .records import Record, parse_record
from .refs import clone, to_pointer
from .security import cloudflare_schemes

__all__ = ["DOCUMENT_HEADER", "build_document", "load_records"]

DOCUMENT_HEADER: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Cloudflare API", "version": "4.0.0"},
    "servers": [{"url": "https://api.cloudflare.com/client/v4"}],
}


def _check_unique(records: Sequence[Record]) -> None:
    by_route: dict[tuple[str, str], Record] = {}
    by_id: dict[str, Record] = {}
    for record in records:
        route = (record.path, record.method)
        if route in by_route:
            first = by_route[route].file.name
            message = f"{record.method.upper()} {record.path} is already defined by {first}"
            raise SpecError(record.file, message, line=record.path_line)
        if record.operation_id in by_id:
            first = by_id[record.operation_id].file.name
            message = f"operationId {record.operation_id!r} is already used by {first}"
            raise SpecError(record.file, message, line=record.operation_id_line)
        by_route[route] = record
        by_id[record.operation_id] = record


def _merge_schemas(records: Sequence[Record]) -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    owners: dict[str, Path] = {}
    for record in records:
        for name, schema in record.schemas.items():
            if name in schemas and schemas[name] != schema:
                pointer = "/components/schemas" + to_pointer([name])
                message = f"recursive schema {name!r} differs from the one recovered from {owners[name].name}"
                raise SpecError(record.file, message, pointer=pointer)
            schemas.setdefault(name, schema)
            owners.setdefault(name, record.file)
    return dict(sorted(schemas.items()))


def build_document(records: Sequence[Record]) -> dict[str, Any]:
    """One document holding every record's operation, in sorted path/method order."""
    _check_unique(records)
    paths: dict[str, dict[str, Any]] = {}
    for record in sorted(records, key=lambda record: (record.path, record.method)):
        paths.setdefault(record.path, {})[record.method] = record.operation
    components: dict[str, Any] = {"securitySchemes": cloudflare_schemes()}
    schemas = _merge_schemas(records)
    if schemas:
        components["schemas"] = schemas
    return {**clone(DOCUMENT_HEADER), "paths": paths, "components": components}


def load_records(files: Sequence[Path], source: Path | None = None) -> dict[str, Any]:
    """Parse ``files`` (in sorted name order) and merge them; ``source`` names the whole for errors."""
    if not files:
        raise SpecError(source or "<records>", "no record files")
    records = [parse_record(file) for file in sorted(files, key=lambda file: (file.name, str(file)))]
    document = build_document(records)
    check_refs(source or records[0].file, document)
    check_alias_loops(source or records[0].file, document)
    return document
