"""``make changelog OLD= NEW=``: the changelog between two specs, through the front half of the pipeline only.

Each spec is ingested, normalized and turned into the intermediate model (no model generator,
no templates, no formatter), which is all the API surface needs: about the time of two
normalizations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clientgen.changelog.diff import Change, bump_level, diff_surfaces
from clientgen.changelog.release import render_section
from clientgen.changelog.surface import Surface, api_surface
from clientgen.changelog.version import choose_version
from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics, SpecError
from clientgen.ingest import load_source
from clientgen.ingest.overlays import apply_overlays
from clientgen.model import build_api
from clientgen.normalize import normalize

__all__ = ["changelog_between", "document_surface", "spec_surface"]


def document_surface(document: dict[str, Any], config: GeneratorConfig) -> Surface:
    """The API surface of the client generated from an OpenAPI ``document`` (as ingested)."""
    diags = Diagnostics()
    normalized = normalize(document, diags)
    return api_surface(build_api(normalized, {}, config, diags), normalized)


def spec_surface(spec: Path, config: GeneratorConfig) -> Surface:
    """The API surface the client generated from ``spec`` (a file or folder) would have."""
    source = apply_overlays(spec, load_source(spec), Diagnostics())
    try:
        return document_surface(source, config)
    except SpecError as error:  # the normalizer knows pointers, not files
        raise SpecError(spec, error.message, line=error.line, pointer=error.pointer) from None


def changelog_between(old: Path, new: Path, config: GeneratorConfig) -> tuple[str, list[Change]]:
    """A changelog section for going from ``old`` to ``new`` (headed by the version the config's would become)."""
    before, after = spec_surface(old, config), spec_surface(new, config)
    changes = diff_surfaces(before, after)
    version = choose_version(config.version, config.version, bump_level(changes))
    return render_section(version, changes, config.version, len(after["operations"])), changes
