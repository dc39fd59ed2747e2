"""Compiled templates from the cache: Jinja's parse and compile of the ~30 templates skipped on a warm run.

Jinja compiles every template a process renders (about 0.15 s of CPU per generation).  With a cache, the
compiled code of each template is stored as a checksummed entry keyed by the template's name and file (Jinja's
bucket key) and its source's checksum; the cache's fingerprint covers the templates, clientgen's code (the
environment's settings), Python and Jinja's version.  An entry that fails its checksum is ignored (the cache
deletes it); one that does not unmarshal to a code object is ignored too: the template is compiled again.
"""

from __future__ import annotations

import marshal
import types

import jinja2

from clientgen.cache import Cache, unmarshal
from clientgen.render import make_environment

__all__ = ["TemplateBytecode", "use_template_cache"]

_TEMPLATES = "template-code"


class TemplateBytecode(jinja2.BytecodeCache):
    """Jinja's bytecode cache kept in a :class:`Cache` (no pickle: only the code object is stored)."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def _key(self, bucket: jinja2.bccache.Bucket) -> str:
        return self.cache.key(_TEMPLATES, bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = unmarshal(self.cache.get(_TEMPLATES, self._key(bucket)))
        if isinstance(code, types.CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self.cache.put(_TEMPLATES, self._key(bucket), marshal.dumps(bucket.code))


def use_template_cache(cache: Cache | None) -> None:
    """Templates compiled from now on by :func:`make_environment`'s environment are read from/kept in ``cache``."""
    make_environment().bytecode_cache = None if cache is None else TemplateBytecode(cache)
