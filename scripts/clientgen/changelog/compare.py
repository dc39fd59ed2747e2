"""``make changelog OLD= NEW=``: the changelog between two specs, through the front half of the pipeline only.

Each spec is ingested, normalized and turned into the intermediate model (no model generator,
no templates, no formatter), which is all the API surface needs: about the time of two
normalizations.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clientgen.changelog.diff import Change, diff_surfaces
from clientgen.changelog.release import render_section
from clientgen.changelog.surface import Surface, api_surface
from clientgen.config import GeneratorConfig
from clientgen.diagnostics import Diagnostics, SpecError
from clientgen.identity import complete_config
from clientgen.ingest import load_source
from clientgen.ingest.overlays import apply_overlays
from clientgen.model import build_api
from clientgen.normalize import normalize
from clientgen.render import mdcode

__all__ = ["changelog_between", "document_surface", "spec_surface"]


def document_surface(document: dict[str, Any], config: GeneratorConfig, spec_name: str = "") -> Surface:
    """The API surface of the client generated from an OpenAPI ``document`` (as ingested)."""
    diags = Diagnostics()
    config = complete_config(config, document, spec_name, diags)
    normalized = normalize(document, diags, names_source=config.names_source, unwraps=config.unwraps)
    return api_surface(build_api(normalized, {}, config, diags), normalized)


def spec_surface(spec: Path, config: GeneratorConfig) -> Surface:
    """The API surface the client generated from ``spec`` (a file or folder) would have."""
    source = apply_overlays(spec, load_source(spec), Diagnostics())
    try:
        return document_surface(source, config, spec.name)
    except SpecError as error:  # the normalizer knows pointers, not files
        raise SpecError(spec, error.message, line=error.line, pointer=error.pointer) from None


def changelog_between(old: Path, new: Path, config: GeneratorConfig) -> tuple[str, list[Change]]:
    """A changelog section for going from ``old`` to ``new``, headed by the two specs' names.

    No version: two specs do not say which release either belongs to (generation versions the
    package after the previous generation's ``api.json``); the suggested bump is given instead.
    """
    before, after = spec_surface(old, config), spec_surface(new, config)
    changes = diff_surfaces(before, after)
    heading = f"{mdcode(old.name)} → {mdcode(new.name)}"
    return render_section(config.version, changes, None, len(after["operations"]), heading=heading), changes
