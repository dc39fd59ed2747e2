"""Where clientgen puts things in the output folder: every path, relative to it, in one place.

The package, its README, ``api.md`` and ``CHANGELOG.md`` are what a reviewer reads; the index
files clientgen keeps about a generation (the normalized spec, the API surface, the report,
the model names, the manifest) live in :data:`INDEX_DIR`, which a ``.gitattributes`` there marks
``linguist-generated``: code review shows them collapsed.  Tests and tools read them through
these constants (``out / REPORT_FILE``), never through a spelled-out path.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ATTRIBUTES",
    "ATTRIBUTES_FILE",
    "CHANGELOG_FILE",
    "INDEX_DIR",
    "MANIFEST_FILE",
    "NAMES_FILE",
    "NORMALIZED_FILE",
    "REPORT_FILE",
    "SURFACE_FILE",
    "previous_index_file",
]

INDEX_DIR = ".clientgen"
MANIFEST_FILE = f"{INDEX_DIR}/manifest.json"  # every file the generation wrote
REPORT_FILE = f"{INDEX_DIR}/report.json"  # every operation and decision
SURFACE_FILE = f"{INDEX_DIR}/api.json"  # the API surface the next changelog is computed against
NAMES_FILE = f"{INDEX_DIR}/names.json"  # model content -> class name, kept by the next generation
NORMALIZED_FILE = f"{INDEX_DIR}/openapi.normalized.json"  # the document the models were generated from
ATTRIBUTES_FILE = f"{INDEX_DIR}/.gitattributes"  # in the index folder: never collides with the user's own
CHANGELOG_FILE = "CHANGELOG.md"
ATTRIBUTES = "# Written by clientgen: its index files, shown collapsed in code review.\n* linguist-generated=true\n"


def previous_index_file(folder: Path, name: str) -> Path:
    """``name`` (one of the index files) in a previous generation, also one from before the index folder."""
    path = folder / name
    legacy = folder / Path(name).name
    return legacy if not path.exists() and legacy.is_file() else path
