"""Normalize: one OpenAPI document in, one document both generators understand out.

Each pass is one concern, in one module, run in this order (order matters: error envelopes
are reduced before ``allOf`` is flattened, constraints are repaired before hoisting so that
equal schemas compare equal).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.name_memory import NameMemory
from clientgen.normalize.allof import flatten_all_of
from clientgen.normalize.constraints import repair_constraints
from clientgen.normalize.dialect import downlevel_31
from clientgen.normalize.directions import apply_directions
from clientgen.normalize.envelopes import mark_success_envelopes, reduce_error_envelopes, shape_failure_envelopes
from clientgen.normalize.hoist import hoist_objects
from clientgen.normalize.media import normalize_media
from clientgen.normalize.naming_source import choose_names_source
from clientgen.normalize.parameters import unsendable_parameters_as_text
from clientgen.normalize.refs import inline_refs
from clientgen.normalize.unchecked import report_unchecked_keywords
from clientgen.normalize.unions import split_property_unions

__all__ = ["PASSES", "copy_for_passes", "normalize"]

Pass = Callable[[dict[str, Any], Diagnostics], dict[str, Any]]

PASSES: tuple[Pass, ...] = (
    inline_refs,
    downlevel_31,
    report_unchecked_keywords,
    normalize_media,
    reduce_error_envelopes,
    flatten_all_of,
    unsendable_parameters_as_text,
    repair_constraints,
    shape_failure_envelopes,
    mark_success_envelopes,
    apply_directions,
    split_property_unions,
)


def normalize(  # noqa: PLR0913 - the document, where to report, then keyword-only options
    document: dict[str, Any],
    diags: Diagnostics,
    memory: NameMemory | None = None,
    on_pass: Callable[[int, int, str], None] | None = None,
    *,
    names_source: str = "auto",
    unwraps: Callable[[str], bool] | None = None,
) -> dict[str, Any]:
    """The normalized copy of ``document``, which is left as it was: the passes, then hoisting and naming.

    Names follow the previous generation's in ``memory``, if given; ``on_pass(number, of, name)`` before each step.
    ``names_source`` (``auto``, ``keys``, ``content``): where model names come from (``naming_source``).
    ``unwraps(operationId)``: whether the client unwraps its success envelope (else the envelope is a model too).
    """
    source, share = choose_names_source(document, names_source)
    diags.add(
        "/components/schemas",
        "names-source",
        f"model names from {'component keys' if source == 'keys' else 'content and use'} "
        f"({share:.0%} of component keys are machine noise; [names] source = {names_source!r})",
    )
    by_keys = source == "keys"
    doc = copy_for_passes(document)
    total = len(PASSES) + 1
    for number, run in enumerate(PASSES, 1):
        if on_pass is not None:
            on_pass(number, total, run.__name__)
        doc = inline_refs(doc, diags, mark_components=True) if run is inline_refs and by_keys else run(doc, diags)
    if on_pass is not None:
        on_pass(total, total, hoist_objects.__name__)
    return hoist_objects(doc, diags, memory, by_keys=by_keys, unwraps=unwraps)


def copy_for_passes(document: dict[str, Any]) -> dict[str, Any]:
    """What the passes may change, copied; paths and component schemas (most of the document) shared.

    The first pass, :func:`inline_refs`, only reads those two and builds every schema and operation anew;
    no pass changes the literal data (examples, defaults) it carries over.
    """
    doc = {
        key: value if key == "paths" else copy.deepcopy(value) for key, value in document.items() if key != "components"
    }
    components = document.get("components")
    if isinstance(components, dict):
        doc["components"] = {
            key: value if key == "schemas" else copy.deepcopy(value) for key, value in components.items()
        }
    elif "components" in document:
        doc["components"] = copy.deepcopy(components)
    return doc
