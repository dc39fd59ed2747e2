"""Turn the bytes of a JSON or YAML file into a plain JSON tree, or a one-line SpecError.

JSON objects with a repeated key are refused: ``json`` would silently keep the last one,
and in ``paths`` that drops an endpoint without a word.  The hook that notices them has no
position, so the offending object is found afterwards and reported by JSON pointer.

Size is bounded before anything expensive happens (:mod:`clientgen.limits`): a file larger
than ``MAX_FILE_BYTES`` is not read, a JSON text that could decode to more than
``MAX_VALUES`` values is not decoded, and every decoded tree is checked for depth and
string length (:func:`clientgen.ingest.bounds.check_tree`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from clientgen.diagnostics import SpecError
from clientgen.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES

from .bounds import JSON_OPENERS, check_tree, estimate_values, line_of_value, line_too_deep
from .refs import Token, to_pointer
from .yamlsafe import parse_yaml

__all__ = [
    "DOCUMENT_SUFFIXES",
    "DuplicateKeys",
    "parse_file",
    "parse_json",
    "read_text",
    "recorded_reads",
    "refuse_constant",
    "refuse_too_many_values",
]

DOCUMENT_SUFFIXES = (".json", ".yaml", ".yml")
_RECORDERS: list[dict[Path, str]] = []  # the open :func:`recorded_reads` blocks


@contextlib.contextmanager
def recorded_reads() -> Iterator[dict[Path, str]]:
    """Within the block, every file ingest reads -> the sha256 of its bytes: what a cached result depends on."""
    reads: dict[Path, str] = {}
    _RECORDERS.append(reads)
    try:
        yield reads
    finally:
        _RECORDERS.remove(reads)


def read_text(path: Path) -> str:
    """The file's text; refused unread beyond ``MAX_FILE_BYTES`` (at most that much is ever read)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SpecError(path, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_FILE_BYTES:
        line = data.count(b"\n", 0, MAX_FILE_BYTES) + 1
        message = f"larger than {MAX_FILE_BYTES:,} bytes (the limit is crossed on this line): split the spec"
        raise SpecError(path, message, line=line)
    for reads in _RECORDERS:
        reads[path.resolve()] = hashlib.sha256(data).hexdigest()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SpecError(path, f"not UTF-8 text ({error.reason})", line=line) from None


def refuse_constant(name: str) -> Any:
    """``parse_constant`` hook: NaN and Infinity are not JSON, whatever Python accepts."""
    raise ValueError(f"{name} is not valid JSON")


def _first_repeated(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return ""


class DuplicateKeys:
    """``object_pairs_hook`` that builds dicts and remembers those given a key twice."""

    def __init__(self) -> None:
        self.found: dict[int, str] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            self.found[id(result)] = _first_repeated(pairs)
        return result

    def locate(self, root: Any) -> str | None:
        """JSON pointer of the first repeated key below ``root``, in document order, if any."""
        if not self.found:
            return None
        stack: list[tuple[Any, tuple[Token, ...]]] = [(root, ())]
        while stack:
            node, tokens = stack.pop()
            if isinstance(node, dict):
                if id(node) in self.found:
                    return to_pointer([*tokens, self.found[id(node)]])
                stack.extend(reversed([(value, (*tokens, key)) for key, value in node.items()]))
            elif isinstance(node, list):
                stack.extend(reversed([(value, (*tokens, index)) for index, value in enumerate(node)]))
        return None


def refuse_too_many_values(path: Path, text: str, openers: str = JSON_OPENERS) -> None:
    """Refuse, before decoding, a JSON (or YAML) text that may hold more than ``MAX_VALUES`` values."""
    if estimate_values(text, openers) > MAX_VALUES:
        kind = "JSON" if openers == JSON_OPENERS else "YAML"
        message = f"more than {MAX_VALUES:,} {kind} values by this line: too large to generate from; split the spec"
        raise SpecError(path, message, line=line_of_value(text, openers, MAX_VALUES))


def parse_json(path: Path, text: str, *, checked: bool = True) -> Any:
    """The decoded JSON; ``checked=False`` leaves :func:`check_tree` to the caller (which must run it, by parts)."""
    refuse_too_many_values(path, text)
    duplicates = DuplicateKeys()
    try:
        value = json.loads(text, parse_constant=refuse_constant, object_pairs_hook=duplicates)
    except json.JSONDecodeError as error:
        # The column matters: Cloudflare's specs are one line of several megabytes.
        message = f"invalid JSON at column {error.colno}: {error.msg.removesuffix(' at')}"
        raise SpecError(path, message, line=error.lineno) from None
    except ValueError as error:
        raise SpecError(path, f"invalid JSON: {error}") from None
    except RecursionError:
        message = f"nested more than {MAX_DEPTH} levels deep: flatten it or split it into components"
        raise SpecError(path, message, line=line_too_deep(text)) from None
    if checked:
        check_tree(path, value)
    pointer = duplicates.locate(value)
    if pointer is not None:
        raise SpecError(path, "duplicate key in a JSON object", pointer=pointer)
    return value


def parse_file(path: Path, *, checked: bool = True) -> Any:
    """Parse a ``.json``, ``.yaml`` or ``.yml`` file into plain data (``checked``: see :func:`parse_json`)."""
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise SpecError(path, f"unsupported file type {suffix or '(none)'!r}: expected .json, .yaml or .yml")
    text = read_text(path)
    return parse_json(path, text, checked=checked) if suffix == ".json" else parse_yaml(path, text)
