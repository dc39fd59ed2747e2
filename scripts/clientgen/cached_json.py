"""Large key-sorted JSON texts (the normalized document, ``api.json``) from per-entry fragments kept in the cache.

The text of ``dumps_sorted(data, indent=...)`` is made of the texts of the values two levels down (each path
item of ``paths``, each operation of ``api.json``'s ``operations``): such a value's text at that depth is its
text at depth 0 with every line break followed by the depth's indentation (JSON strings hold no raw line
break).  The fragments of the last dump of each kind are kept in one entry, each under the sha256 of its
value's exact bytes (:func:`clientgen.cache_keys.document_bytes`), so the next dump writes only the values that
changed (one path item after a one-operation edit) instead of the whole 9 MB text.  The entry is found by the
dump's name and indentation only (the latest one), but every fragment in it is found by its value's content: a
fragment of another document is never used for this one.  A value this writer does not spell exactly as
:func:`clientgen.jsontext.dumps_sorted` would (another type, a non-string key) makes it dump the whole text.
"""

from __future__ import annotations

import hashlib
import marshal
from json.encoder import encode_basestring
from typing import Any

from clientgen.cache import Cache
from clientgen.cache_keys import UnkeyableError, document_bytes
from clientgen.cached_batch import stored_mapping
from clientgen.jsontext import UnhandledValueError, dumps_sorted

__all__ = ["json_text"]

_FRAGMENTS = "json-fragments"


def _split(data: Any) -> bool:
    return type(data) is dict and bool(data) and all(type(key) is str for key in data)


def json_text(cache: Cache | None, name: str, data: Any, *, indent: int) -> str:
    """``dumps_sorted(data, indent=indent, ensure_ascii=False)`` and a line break, re-dumping the changed entries."""
    if cache is None or not _split(data):
        return dumps_sorted(data, indent=indent, ensure_ascii=False) + "\n"
    entry = cache.key(_FRAGMENTS, name, str(indent))
    before = stored_mapping(cache.get(_FRAGMENTS, entry), bytes, str)
    fragments: dict[bytes, str] = {}
    one, two = "\n" + " " * indent, "\n" + " " * (2 * indent)

    def text_of(value: Any, pad: str) -> str:
        return dumps_sorted(value, indent=indent, ensure_ascii=False, fallback=False).replace("\n", pad)

    pieces = []
    try:
        for key in sorted(data):
            value = data[key]
            if not _split(value):
                pieces.append(f"{encode_basestring(key)}: {text_of(value, one)}")
                continue
            inner = []
            for inner_key in sorted(value):
                item = value[inner_key]
                digest = hashlib.sha256(document_bytes(item)).digest()
                text = before.get(digest) or fragments.get(digest)
                fragments[digest] = text = text_of(item, two) if text is None else text
                inner.append(f"{encode_basestring(inner_key)}: {text}")
            pieces.append(f"{encode_basestring(key)}: {{{two}{(',' + two).join(inner)}{one}}}")
    except (UnhandledValueError, UnkeyableError):
        return dumps_sorted(data, indent=indent, ensure_ascii=False) + "\n"
    if fragments.keys() != before.keys():
        cache.put(_FRAGMENTS, entry, marshal.dumps(fragments))
    return "{" + one + ("," + one).join(pieces) + "\n}\n"
