"""Ingest: read the API description, whatever shape it comes in, as one OpenAPI 3.x document.

Accepted sources: a single Cloudflare operation record (``*.txt``), a single OpenAPI
3.0/3.1 document (``*.json``, ``*.yaml``, ``*.yml``), or a folder holding either records
(merged into one document) or exactly one document.  Every refusal is a
:class:`~clientgen.diagnostics.SpecError` whose ``str()`` is one line naming the file and
a line number or JSON pointer, so that a bad input never surfaces as a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .documents import load_document
from .merge import load_records
from .parsing import DOCUMENT_SUFFIXES

__all__ = ["load_source"]

_RECORD_SUFFIX = ".txt"
_IGNORED_NAMES = frozenset({"config.toml"})


def _load_folder(folder: Path) -> dict[str, Any]:
    entries = sorted(
        (entry for entry in folder.iterdir() if not entry.name.startswith(".") and entry.name not in _IGNORED_NAMES),
        key=lambda entry: entry.name,
    )
    files = [entry for entry in entries if entry.is_file()]
    records = [file for file in files if file.suffix.lower() == _RECORD_SUFFIX]
    documents = [file for file in files if file.suffix.lower() in DOCUMENT_SUFFIXES]
    if records and documents:
        names = ", ".join(file.name for file in documents)
        raise SpecError(folder, f"holds both records (*.txt) and OpenAPI documents ({names}): keep one kind")
    if len(documents) > 1:
        names = ", ".join(file.name for file in documents)
        raise SpecError(folder, f"holds several OpenAPI documents ({names}): pass the main one instead of the folder")
    if documents:
        return load_document(documents[0])
    if records:
        return load_records(records, folder)
    raise SpecError(folder, "holds no records (*.txt) and no OpenAPI document (*.json, *.yaml, *.yml)")


def load_source(path: Path) -> dict[str, Any]:
    """One OpenAPI 3.x document (plain JSON-compatible data) from a record, a document or a folder."""
    path = Path(path)
    if path.is_dir():
        return _load_folder(path)
    if not path.is_file():
        raise SpecError(path, "no such file or folder")
    suffix = path.suffix.lower()
    if suffix == _RECORD_SUFFIX:
        return load_records([path])
    if suffix in DOCUMENT_SUFFIXES:
        return load_document(path)
    raise SpecError(
        path, f"unsupported source {suffix or '(no suffix)'!r}: expected .txt, .json, .yaml, .yml or a folder"
    )
