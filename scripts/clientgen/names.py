"""Names: spec text in, validated Python names out.

Spec text never becomes code directly.  Every identifier the generator writes goes
through :class:`PythonIdentifier` (snake_case, for modules, attributes, arguments) or
:class:`ClassName` (PascalCase), both of which can only hold a valid, non-keyword,
ASCII identifier of bounded length.
"""

from __future__ import annotations

import functools
import hashlib
import keyword
import re
import unicodedata
from typing import Self

from clientgen.limits import MAX_NAME_CHARS

__all__ = ["ClassName", "PythonIdentifier", "singular", "split_words"]

MAX_NAME_LENGTH = MAX_NAME_CHARS
_RUN = re.compile(r"[A-Z]+|[a-z]+|\d+")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Names a generated module or model must not shadow (builtins used in annotations, pydantic internals).
# Every attribute of pydantic's BaseModel (and its metaclass) is here: a field named ``json`` or ``model_dump``
# would shadow the method, or be refused, on every model that has it.
_BASE_MODEL_ATTRIBUTES = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "model_computed_fields", "model_config", "model_construct",
        "model_copy", "model_dump", "model_dump_json", "model_extra", "model_fields", "model_fields_set",
        "model_json_schema", "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate",
        "model_validate_json", "model_validate_strings", "mro", "parse_file", "parse_obj", "parse_raw", "register",
        "schema", "schema_json", "update_forward_refs", "validate",
    }
)  # fmt: skip
_PROTECTED_PREFIXES = ("model_dump", "model_validate")  # pydantic warns on any field name starting with these
_RESERVED = frozenset(
    {"bool", "bytes", "dict", "float", "int", "list", "object", "str", "self", "cls", *_BASE_MODEL_ATTRIBUTES}
)
# Plurals the suffix rules below would get wrong, and words that only look plural.
_IRREGULAR_SINGULAR = {
    "children": "child", "people": "person", "men": "man", "women": "woman", "data": "data", "media": "media",
    # -ches of a -che word, -ies of an -ie word, -oes of an -o word, -uses of an -us word
    "caches": "cache", "niches": "niche", "avalanches": "avalanche", "headaches": "headache", "quiches": "quiche",
    "cookies": "cookie", "movies": "movie", "zombies": "zombie", "selfies": "selfie", "rookies": "rookie",
    "heroes": "hero", "echoes": "echo", "potatoes": "potato", "tomatoes": "tomato", "vetoes": "veto",
    "statuses": "status", "bonuses": "bonus", "viruses": "virus", "campuses": "campus", "buses": "bus",
    "censuses": "census", "prefixes": "prefix", "consensuses": "consensus", "aliases": "alias",
    "biases": "bias", "canvases": "canvas", "atlases": "atlas", "gases": "gas",
    # -ses of a -sis word; -ices of an -ix/-ex word
    "analyses": "analysis", "bases": "base", "diagnoses": "diagnosis", "hypotheses": "hypothesis",
    "parentheses": "parenthesis", "syntheses": "synthesis", "theses": "thesis", "crises": "crisis",
    "indices": "index", "matrices": "matrix", "vertices": "vertex", "appendices": "appendix",
    # plurals of -u and -i words
    "ids": "id", "menus": "menu", "skus": "sku", "apis": "api", "uris": "uri", "kpis": "kpi",
    # singular words that end like plurals
    "access": "access", "alias": "alias", "analytics": "analytics", "atlas": "atlas", "bias": "bias",
    "canvas": "canvas", "chaos": "chaos", "dns": "dns", "kudos": "kudos", "news": "news", "series": "series",
    "species": "species", "status": "status", "ios": "ios", "macos": "macos", "gas": "gas",
}  # fmt: skip
# Suffix rules, first match wins: (plural ending, singular ending).
_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("zzes", "z"), ("ches", "ch"), ("shes", "sh"))


def _chunk_words(chunk: str) -> list[str]:
    """Words of one alphanumeric chunk, by case runs.

    ``HTTPServer`` -> http, server; ``TLSv1`` -> tls, v1; ``IPv6Address`` -> ip, v6, address;
    ``IDs`` -> ids; digits stay with the word before them (``d1``, ``ipv4``).
    """
    runs = _RUN.findall(chunk)
    words: list[str] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        following = runs[index + 1] if index + 1 < len(runs) else ""
        if run.isupper() and following.islower():
            if len(run) == 1 or following == "s":
                words.append(run + following)
            elif len(following) == 1:
                words.extend([run, following])
            else:
                words.extend([run[:-1], run[-1] + following])
            index += 2
        elif run.isdigit() and words:
            words[-1] += run
            index += 1
        else:
            words.append(run)
            index += 1
    return [word.lower() for word in words]


def split_words(text: str) -> list[str]:
    """Lower-case words of any spelling: ``"TLSv1.2"`` -> ``["tls", "v1", "2"]``.

    Text is NFKC-normalized and reduced to ASCII first, so look-alike letters cannot smuggle in.
    """
    return list(_split_words(text))


@functools.lru_cache(maxsize=65536)  # naming asks for the same few thousand words ~250,000 times on the full API
def _split_words(text: str) -> tuple[str, ...]:
    ascii_text = unicodedata.normalize("NFKC", text).encode("ascii", "ignore").decode()
    return tuple(word for chunk in re.split(r"[^A-Za-z0-9]+", ascii_text) if chunk for word in _chunk_words(chunk))


def _bounded(name: str, source: str, *, joiner: str = "_") -> str:
    """Cut over-long names, keeping them distinct with a short content hash."""
    if len(name) <= MAX_NAME_LENGTH:
        return name
    digest = hashlib.sha256(source.encode()).hexdigest()[:8]
    if not joiner:  # a class name: PascalCase, no underscore (the model generator would rename it)
        return f"{name[: MAX_NAME_LENGTH - 8]}{digest.upper()}"
    return f"{name[: MAX_NAME_LENGTH - 9].rstrip('_')}{joiner}{digest}"


class PythonIdentifier(str):
    """A snake_case identifier that is valid Python and not a keyword."""

    __slots__ = ()

    def __new__(cls, value: str) -> Self:
        if not _IDENTIFIER.fullmatch(value) or keyword.iskeyword(value) or len(value) > MAX_NAME_LENGTH:
            msg = f"not a safe Python identifier: {value!r}"
            raise ValueError(msg)
        return super().__new__(cls, value)

    @classmethod
    def bounded(cls, name: str) -> Self:
        """An identifier built from others (``bulk_`` + verb, name + ``_``), cut with a hash if it grew too long."""
        return cls(_bounded(name, name))

    @classmethod
    def from_text(cls, text: str, *, fallback: str = "value", shadow_builtins: bool = False) -> Self:
        """Sanitize arbitrary spec text: ``"cf-ray"`` -> ``cf_ray``, ``"from"`` -> ``from_``, ``"1"`` -> ``n_1``.

        Model fields must not shadow the builtins their class body annotates with (``str``,
        ``list``); a method or resource may (``client.zones.list``): pass ``shadow_builtins``.
        """
        name = "_".join(split_words(text)) or fallback
        if name[0].isdigit():
            name = f"n_{name}"
        reserved = _RESERVED if not shadow_builtins else frozenset({"self", "cls"})
        if not shadow_builtins and name.startswith(_PROTECTED_PREFIXES):
            name = f"field_{name}"
        elif keyword.iskeyword(name) or name in reserved:
            name += "_"
        return cls(_bounded(name, text))


class ClassName(str):
    """A PascalCase class name that is valid Python.

    Built names hold no underscore: datamodel-code-generator renames a class such as ``Node_``
    (to ``NodeModel``), and its scoped field aliases then no longer apply.
    """

    __slots__ = ()

    def __new__(cls, value: str) -> Self:
        if not _IDENTIFIER.fullmatch(value) or keyword.iskeyword(value) or not value[0].isupper():
            msg = f"not a safe class name: {value!r}"
            raise ValueError(msg)
        return super().__new__(cls, value)

    @classmethod
    def from_words(cls, words: list[str], *, fallback: str = "Model") -> Self:
        name = "".join(word[:1].upper() + word[1:] for word in words) or fallback
        if name[0].isdigit():
            name = f"N{name}"
        if keyword.iskeyword(name):  # None, True, False
            name += "Model"
        return cls(_bounded(name, " ".join(words), joiner=""))

    @classmethod
    def from_text(cls, text: str, *, fallback: str = "Model") -> Self:
        return cls.from_words(split_words(text), fallback=fallback)


def singular(word: str) -> str:
    """English singular of a lower-case path noun, good enough for API nouns (``policies`` -> ``policy``).

    Of a compound (``user_statuses``), the last word.  Words that end in ``ss``, ``us`` or ``is`` are
    singular (``access``, ``status``, ``analysis``), as are words of three letters or fewer (``ips``,
    ``dns``: two-letter plurals are ambiguous).
    """
    head, separator, last = word.rpartition("_")
    if separator and last:  # a compound noun: its last word (``dns_records`` -> ``dns_record``)
        return head + separator + singular(last)
    if word in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word
