"""Ingest: read the API description, whatever shape it comes in, as one OpenAPI 3.x document.

Accepted sources: a single Cloudflare operation record (``*.txt``), a single OpenAPI
3.0/3.1 document (``*.json``, ``*.yaml``, ``*.yml``), or a folder holding either records
(merged into one document) or exactly one document.  Every refusal is a
:class:`~clientgen.diagnostics.SpecError` whose ``str()`` is one line naming the file and
a line number or JSON pointer, so that a bad input never surfaces as a traceback.

Whatever the source, the document is then checked for reference loops that define a
schema only by itself (:mod:`clientgen.ingest.cycles`) and for the size and depth it will
have once every ``$ref`` is inlined (:mod:`clientgen.ingest.bounds`).  Nothing is read
from outside the spec's folder: a folder entry that is a link to elsewhere is refused, and
so is a ``$ref`` to another folder, an absolute path or a URL (:mod:`clientgen.ingest.bundle`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError

from .bounds import check_expansion
from .documents import load_document
from .merge import load_records
from .parsing import DOCUMENT_SUFFIXES

__all__ = ["load_source"]

_RECORD_SUFFIX = ".txt"
_IGNORED_NAMES = frozenset({"config.toml", "clientgen.toml", "names.toml"})


def _load_folder(folder: Path) -> dict[str, Any]:
    entries = sorted(
        (entry for entry in folder.iterdir() if not entry.name.startswith(".") and entry.name not in _IGNORED_NAMES),
        key=lambda entry: entry.name,
    )
    inside = folder.resolve()
    for entry in entries:
        if entry.suffix.lower() in (_RECORD_SUFFIX, *DOCUMENT_SUFFIXES) and not entry.resolve().is_relative_to(inside):
            message = f"{entry.name} links outside the folder ({entry.resolve()}): copy the file in instead"
            raise SpecError(folder, message)
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


def _load(path: Path) -> dict[str, Any]:
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


def load_source(path: Path) -> dict[str, Any]:
    """One OpenAPI 3.x document (plain JSON-compatible data) from a record, a document or a folder."""
    path = Path(path)
    document = _load(path)
    check_expansion(path, document)
    return document
