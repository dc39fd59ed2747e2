"""Every bound the pipeline puts on its input, in one place.

A spec is text someone else wrote, and the generators behind us hang or exhaust memory on
some of it (YAML alias bombs, exponential ``$ref`` fan-out, a 50 MB word, 10,000 nested
arrays).  The pipeline refuses such input up front with a one-line
:class:`~clientgen.diagnostics.SpecError` naming the limit, instead of hanging, swapping or
dying with a ``RecursionError``.  The bounds are generous for real specs — the largest
Cloudflare document (4.2 MB, 178,000 JSON values, nesting depth 29, longest string 6,954
characters, 1.9 million values once every ``$ref`` is inlined) stays far below each of them
— and tight enough that the worst accepted input is processed in bounded time and memory.

* ``MAX_FILE_BYTES`` = 100 MB, before a file is read: a real 60 MB spec fits; nothing
  larger is read into memory.
* ``MAX_VALUES`` = 4,000,000 values per file, counted before JSON is decoded or YAML parsed
  (an upper bound from separators) and while YAML is composed: 22x the Cloudflare spec,
  about 1 GB once decoded.
* ``MAX_STRING_CHARS`` = 1,000,000 characters per string or key: a description is prose; a
  50 MB word makes a generator's line wrapping quadratic.
* ``MAX_DEPTH`` = 120 levels of nesting, raw and with every ``$ref`` inlined (each ``$ref``
  followed counts as a level): the normalizer and both generators recurse per level and
  Python allows about 1,000 frames.
* ``MAX_EXPANDED_VALUES`` = 10,000,000 values in the operations with every ``$ref``
  inlined: ``$ref`` fan-out doubles per level, 30 levels are 10^9 values.
* ``MAX_ALIASES`` / ``MAX_ALIAS_NODES`` = 10,000 YAML aliases / 1,000,000 nodes they expand
  to, at composition: a 1 kB "billion laughs" file expands to 10^9 nodes.
* ``MAX_NAME_CHARS`` = 60 characters per generated identifier (``clientgen.names``): a
  5,000-character operationId still gives a short name, made distinct by a hash.
* ``MAX_DOC_CHARS`` = 4,000 characters per docstring or model description: a generated file
  stays readable whatever the spec says.
* ``MAX_TOOL_SECONDS`` = 600 seconds per run of datamodel-code-generator or ruff: the whole
  Cloudflare spec takes about 20; a tool that hangs anyway is stopped with a one-line error.
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
    "MAX_TOOL_SECONDS",
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
MAX_TOOL_SECONDS = 600
