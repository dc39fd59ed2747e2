"""Labels for union variants, from their own content: what tells each apart from its siblings.

A variant's class is its parent's name + its label (``Rule`` + ``email`` -> ``RuleEmail``).  The
label never comes from the variant's position, so a variant added before another renames nothing.
A content hash is the very last resort, after every word the variants' content offers.
"""

from __future__ import annotations

import json
from typing import Any

from clientgen.limits import MAX_NAME_CHARS
from clientgen.names import split_words

__all__ = ["HASH_CHARS", "properties_of", "variant_labels"]

HASH_CHARS = 6  # content-hash suffix of the last resort: 16.7 million values per contested name
_LABEL_WORDS = 3
_DESCRIPTION_WORDS = 6
_TELLING_WORDS = 3
_ENUM_WORDS = 3  # a variant allowing a few values of its siblings' tag is labelled by them: ``string or secret``
_FILLER = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"})
# words that tell nothing about a variant, however rare among its siblings' descriptions
_PLAIN_WORDS = _FILLER | frozenset(
    {"upon", "at", "by", "from", "into", "as", "is", "are", "be", "will", "can", "this", "that", "it", "its", "if"}
)


def _single_value(schema: Any) -> str | None:
    """The one value a property allows (``enum: ["onelogin"]``, ``const``), as text."""
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return str(schema["const"])
    values = schema.get("enum")
    return str(values[0]) if isinstance(values, list) and len(values) == 1 else None


def properties_of(schema: Any) -> dict[str, Any]:
    """A schema's ``properties``, ``{}`` when it has none."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return properties if isinstance(properties, dict) else {}


def _short_text(schema: Any, key: str) -> str:
    """A title or description that reads as a name (``"Azure AD"``), else ``""``."""
    text = schema.get(key) if isinstance(schema, dict) else None
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_NAME_CHARS // 2:
        return ""
    plain = all(character.isalnum() or character in " -_" for character in text)
    return text if plain and 0 < len(split_words(text)) <= _LABEL_WORDS else ""


def _discriminators(variants: list[Any]) -> list[str]:
    """Properties with one allowed value in some variant, those most variants tag first."""
    return sorted(
        {name for variant in variants for name, schema in properties_of(variant).items() if _single_value(schema)},
        key=lambda name: (-sum(_single_value(properties_of(v).get(name)) is not None for v in variants), name),
    )


def _own_label(variant: Any, variants: list[Any], discriminators: list[str]) -> str:
    properties = properties_of(variant)
    others = {name for other in variants if other is not variant for name in properties_of(other)}
    values = [value for name in discriminators if (value := _single_value(properties.get(name))) is not None]
    unique = sorted(set(properties) - others)
    if values and split_words(values[0]):
        return values[0]
    if _short_text(variant, "title"):
        return _short_text(variant, "title")
    if len(properties) == 1:
        return next(iter(properties))
    if _short_text(variant, "description"):
        return _short_text(variant, "description")
    if unique and split_words(unique[0]):
        return unique[0]
    if not properties and isinstance(variant, dict) and isinstance(variant.get("type"), str):
        # a primitive: its one value (TTL ``1`` beside a number of seconds), else its type
        value = _single_value(variant)
        return value if value is not None else " ".join(str(variant.get(key, "")) for key in ("type", "format"))
    return ""


def variant_labels(variants: list[Any], content_keys: list[str]) -> list[str]:
    """A label per union variant, from its own content, distinct among its siblings.

    In order: the value of a discriminator (a property that has one allowed value in each
    variant that has it), a title, the one property of a single-property object, a short
    description (``"Azure AD"``), the first property no sibling has, the value or type of a
    primitive.  A variant without one, or whose label another sibling shares, takes, before
    ``variant`` + its content hash, the first of: the word example of a property whose examples
    tell every variant apart (``type`` example ``"self_hosted"``); its description's words (a
    short one whole, else the ≤ 3 words only it has); the labels of a property that tells the
    variants apart one level down (Sippy's ``source.provider``: ``aws``/``gcs``; envelopes by their
    ``result``); the first run of words only its description has (``traditional``/``anomaly
    detection``); the few values it allows of its siblings' tag (``string or secret``); what it
    lacks beside a sibling that has all of its properties and more (``without jdcloud cidrs``), or has
    beyond one whose properties it all has (``with errors``).
    """
    return _labels(variants, content_keys, nested=False)


def _labels(variants: list[Any], content_keys: list[str], *, nested: bool) -> list[str]:
    discriminators = _discriminators(variants)
    labels = [_own_label(variant, variants, discriminators) for variant in variants]
    examples = _example_labels(variants)
    inner = [""] * len(variants) if nested else _nested_labels(variants)
    for index, label in enumerate(labels):
        if not split_words(label) or [split_words(other) for other in labels].count(split_words(label)) > 1:
            told = {tuple(split_words(other)) for position, other in enumerate(labels) if position != index}
            described = (text for text in _described(variants, index) if tuple(split_words(text)) not in told)
            fallbacks = (
                inner[index],
                _first_own_run(variants, index),
                _tag_values(variants, index, discriminators),
                _difference(variants, index),
            )
            worded = (text for text in fallbacks if split_words(text) and tuple(split_words(text)) not in told)
            last = "" if nested else f"variant {content_keys[index][:HASH_CHARS]}"
            labels[index] = examples[index] or next(described, None) or next(worded, last)
    return labels


def _nested_labels(variants: list[Any]) -> list[str]:
    """Labels of the first object property every variant has whose own labels tell all variants apart."""
    shared = set.intersection(*(set(properties_of(variant)) for variant in variants)) if variants else set()
    for name in sorted(shared):
        inner = [properties_of(variant)[name] for variant in variants]
        distinct = {json.dumps(schema, sort_keys=True, default=str) for schema in inner}
        if len(distinct) < len(inner) or not all(properties_of(schema) for schema in inner):
            continue  # a part some variants share cannot tell them apart
        labels = _labels(inner, [""] * len(inner), nested=True)
        if all(split_words(label) for label in labels) and len({tuple(split_words(x)) for x in labels}) == len(labels):
            return labels
    return [""] * len(variants)


def _description_words(variant: Any) -> list[str]:
    text = variant.get("description") if isinstance(variant, dict) else None
    return split_words(text) if isinstance(text, str) else []


def _first_own_run(variants: list[Any], index: int) -> str:
    """The first run of (≤ 3) words of the variant's description that no sibling's description has."""
    others = {word for other, variant in enumerate(variants) if other != index for word in _description_words(variant)}
    run: list[str] = []
    for word in _description_words(variants[index]):
        if word not in others and word not in _PLAIN_WORDS and not word.isdigit():
            run.append(word)
            if len(run) == _TELLING_WORDS:
                break
        elif run:
            break
    return " ".join(run)


def _tag_values(variants: list[Any], index: int, discriminators: list[str]) -> str:
    """``string or secret``: the few values a variant allows of a property its siblings tag with one value."""
    properties = properties_of(variants[index])
    for name in discriminators:
        values = properties.get(name, {}).get("enum") if isinstance(properties.get(name), dict) else None
        if isinstance(values, list) and 1 < len(values) <= _ENUM_WORDS:
            return " or ".join(str(value) for value in values)
    return ""


def _difference(variants: list[Any], index: int) -> str:
    """What sets a variant apart from a sibling whose properties contain, or are contained in, its own.

    ``without jdcloud cidrs`` (the sibling has all of its properties and more), else ``with errors``.
    """
    own = set(properties_of(variants[index]))
    siblings = [set(properties_of(variant)) for other, variant in enumerate(variants) if other != index]
    for sibling in siblings:
        if own and own < sibling:
            return f"without {min(sibling - own)}"
    for sibling in siblings:
        if sibling and sibling < own:
            return f"with {min(own - sibling)}"
    return ""


def _described(variants: list[Any], index: int) -> list[str]:
    """Labels from a variant's description: the whole of a short one, else the words no sibling's description has.

    ``"Intune S2S Input"``; ``"URI to hero variant for an image."`` beside ``"URI to thumbnail …"`` -> ``hero``.
    """
    own = _description_words(variants[index])
    labels = [" ".join(own)] if 0 < len(own) <= _DESCRIPTION_WORDS and len("".join(own)) <= MAX_NAME_CHARS // 2 else []
    others = {word for other, variant in enumerate(variants) if other != index for word in _description_words(variant)}
    telling = list(dict.fromkeys(word for word in own if word not in others | _FILLER and not word.isdigit()))
    if 0 < len(telling) <= _TELLING_WORDS:
        labels.append(" ".join(telling))
    return labels


def _example_labels(variants: list[Any]) -> list[str]:
    """Per variant, the short example of the first property whose examples differ in every variant, else ``""``."""
    shared = set.intersection(*(set(properties_of(variant)) for variant in variants)) if variants else set()
    for name in sorted(shared):
        examples = [_short_example(properties_of(variant)[name]) for variant in variants]
        if all(examples) and len({tuple(split_words(example)) for example in examples}) == len(variants):
            return examples
    return [""] * len(variants)


def _short_example(schema: Any) -> str:
    example = schema.get("example") if isinstance(schema, dict) else None
    if not isinstance(example, str) or not example.replace("_", "").replace("-", "").isalpha():
        return ""  # words only: an id or a number is not a name
    return example if 0 < len(split_words(example)) <= _LABEL_WORDS else ""
