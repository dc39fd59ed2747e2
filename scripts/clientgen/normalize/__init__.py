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
from clientgen.normalize.envelopes import reduce_error_envelopes, shape_failure_envelopes
from clientgen.normalize.hoist import hoist_objects
from clientgen.normalize.media import normalize_media
from clientgen.normalize.refs import inline_refs
from clientgen.normalize.unions import split_property_unions

__all__ = ["PASSES", "normalize"]

Pass = Callable[[dict[str, Any], Diagnostics], dict[str, Any]]

PASSES: tuple[Pass, ...] = (
    inline_refs,
    normalize_media,
    reduce_error_envelopes,
    flatten_all_of,
    repair_constraints,
    shape_failure_envelopes,
    split_property_unions,
)


def normalize(document: dict[str, Any], diags: Diagnostics, memory: NameMemory | None = None) -> dict[str, Any]:
    """The passes, then hoisting and naming (after the previous generation's names in ``memory``, if given)."""
    doc = copy.deepcopy(document)
    for run in PASSES:
        doc = run(doc, diags)
    return hoist_objects(doc, diags, memory)
