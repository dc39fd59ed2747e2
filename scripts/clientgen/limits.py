# ruff: noqa: E501  (in progress: tidied when the hostile-input work lands)
"""Every bound the pipeline puts on its input, in one place.

A spec is text someone else wrote, and the generators behind us hang or exhaust memory on
some of it (YAML alias bombs, exponential ``$ref`` fan-out, a 50 MB word, 10,000 nested
arrays).  The pipeline refuses such input up front with a one-line
:class:`~clientgen.diagnostics.SpecError` naming the limit, instead of hanging, swapping or
dying with a ``RecursionError``.  The bounds are generous for real specs — the largest
Cloudflare document (4.2 MB, 178,000 JSON values, nesting depth 29, longest string 6,954
characters, 1.9 million values once every ``$ref`` is inlined) stays far below each of them
— and tight enough that the worst accepted input is processed in bounded time and memory.

| limit | value | checked | why this value |
| --- | --- | --- | --- |
| ``MAX_FILE_BYTES`` | 100 MB | before a spec file is read | a real 60 MB spec fits; nothing larger is read into memory |
| ``MAX_VALUES`` | 4,000,000 | per file, before JSON is decoded (upper bound) and while YAML is composed | 22x the Cloudflare spec; about 1 GB once decoded |
| ``MAX_STRING_CHARS`` | 1,000,000 | every string and key, after parsing | a description is prose; 50 MB words make generators quadratic |
| ``MAX_DEPTH`` | 120 | JSON nesting, raw and with every ``$ref`` inlined | Python recursion in the normalizer and both generators (~1,000 frames) |
| ``MAX_EXPANDED_VALUES`` | 10,000,000 | values of the operations with every ``$ref`` inlined | ``$ref`` fan-out doubles per level: 30 levels are 10^9 values |
| ``MAX_ALIASES`` / ``MAX_ALIAS_NODES`` | 10,000 / 1,000,000 | YAML aliases, at composition | billion laughs: a 1 kB file expanding to 10^9 nodes |
| ``MAX_NAME_CHARS`` | 60 | generated identifiers (``clientgen.names``) | a 5,000-character operationId still gives a short, distinct name |
| ``MAX_DOC_CHARS`` | 4,000 | docstrings, model descriptions | a generated file stays readable whatever the spec says |
"""

from __future__ import annotations

__all__ = [
    "MAX_ALIASES",
    "MAX_ALIAS_NODES",
    "MAX_DEPTH",
    "MAX_DOC_CHARS",
    "MAX_EXPANDED_VALUES",
    "MAX_FILE_BYTES",
    "MAX_NAME_CHARS",
    "MAX_STRING_CHARS",
    "MAX_VALUES",
]

MAX_FILE_BYTES = 100_000_000
MAX_VALUES = 4_000_000
MAX_STRING_CHARS = 1_000_000
MAX_DEPTH = 120
MAX_EXPANDED_VALUES = 10_000_000
MAX_ALIASES = 10_000
MAX_ALIAS_NODES = 1_000_000
MAX_NAME_CHARS = 60
MAX_DOC_CHARS = 4_000
