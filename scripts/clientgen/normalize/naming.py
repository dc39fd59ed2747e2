"""Names for hoisted schemas, from what they mean rather than where they were found.

Each place a schema is used leaves a :class:`Hint`:

* at the top of an operation: the resource noun of its route (``…/deployments/{id}/rollback``
  -> ``Deployment``), the envelope roles (``ResponseInfo``, ``ResultInfo``, ``ErrorEnvelope``),
  ``<Noun>Error`` for other error bodies, ``<Noun><Verb>Params`` for request bodies;
* below a named schema: parent + property name without repeating words
  (``Deployment`` + ``deployment_trigger`` -> ``DeploymentTrigger``), singular for array
  items (``stages`` -> ``DeploymentStage``);
* union variants: what tells them apart, read from their own content (a discriminator value
  ``type: "geo"`` -> ``RuleGeo``, a title, the one property of a single-property object, a
  short description ``"Azure AD"``, a property no sibling has), a short content hash last.

Names depend only on content and use, never on component keys (Cloudflare re-rolls their
prefixes), positions or counters.  A schema used in several places prefers its best
candidate (envelope roles, then results, then bodies, then nested parts; shorter first), and
parts are named from their parent's preferred words.  When different schemas want one name,
the better candidate wins, then the one more operations use, then the content key; the
others take their next, more qualified candidate, or their own content hash as a suffix.  A
name longer than the limit keeps its first and last words, not a hash.

After a previous generation (:mod:`clientgen.name_memory`), every content it named keeps its
name, handed out before any contest; only new contents take part in the contests, for the
names left.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clientgen.diagnostics import Diagnostics
from clientgen.limits import MAX_NAME_CHARS
from clientgen.names import ClassName, singular, split_words
from clientgen.normalize.envelopes import ENVELOPE_ITEM_NAMES, FAILURE_ENVELOPE_NAME, is_failure_envelope
from clientgen.normalize.variant_labels import HASH_CHARS, properties_of, variant_labels
from clientgen.routes import Route

__all__ = ["Hint", "assign_names", "operation_hint", "role_hint", "variant_labels"]

Words = tuple[str, ...]
# Class names the generated modules import or define themselves.
# fmt: off
RESERVED = frozenset(name.lower() for name in (
    # what model modules import
    "Any", "Annotated", "BaseModel", "ConfigDict", "Field", "Literal", "RootModel", "Enum", "AwareDatetime",
    "Optional", "Union", "UUID", "AnyUrl", "Model", "Self", "List", "Dict", "Datetime", "Date",
    # what resource modules and the client import or define
    "Client", "AsyncClient", "NotGiven", "Omit", "Request", "Query", "Headers", "TimeoutTypes", "Parser",
    "SyncAPIClient", "AsyncAPIClient", "RawResponse", "AsyncRawResponse", "Stream", "Page", "Paginator",
))
# fmt: on
_EXAMPLES = 5  # dated names listed in the report
_TAIL_WORDS = 3  # a shortened name keeps at least its last words: what the thing is
_OWN_PRIORITY = -1
_PART_BASES = 4  # a part's candidates come from its parent's first few candidates
_PRIORITY = {"role": 0, "result": 1, "body": 2, "response": 3, "parameter": 3, "nested": 4, "component": 0}


@dataclass(eq=False)
class Hint:
    """How one use of a schema would name it; ``parent``/``parent_key`` are bound after hoisting."""

    relation: str  # root, envelope, property, item, value, variant
    label: str = ""
    candidates: tuple[Words, ...] = ()
    kind: str = "nested"
    parent: Hint | None = None
    parent_key: str | None = None
    route_words: tuple[Words, ...] = field(default=())
    own_names: tuple[Words, ...] = ()  # what the description calls the schema here (component key, title): first
    verb: Words = ()  # an operation's verb, for the parts of its envelope that the route's nouns leave contested
    route_nouns: tuple[str, ...] = ()  # a response's route: which resource it returns, or lists (``lists``)
    lists: bool = False
    part_of_item: bool = False  # a response's route is a part of an item (``…/scripts/{name}/content``)
    ranks_as: str = ""  # how this use ranks among its schema's uses, once known (:func:`_listed_kind`)


def _join(base: Words, words: Words) -> Words:
    """``("deployment",) + ("deployment", "trigger")`` -> ``("deployment", "trigger")``."""
    for overlap in range(min(len(base), len(words)), 0, -1):
        if base[-overlap:] == words[:overlap]:
            return base + words[overlap:]
    return base + words


def _route_candidates(route: Route) -> tuple[Words, ...]:
    nouns = [singular(noun) for noun in route.nouns]
    words = [tuple(split_words(noun)) for noun in nouns]
    return tuple(tuple(w for part in words[-depth:] for w in part) for depth in range(1, len(words) + 1))


def operation_hint(route: Route, op: dict[str, Any], where: str, schema: dict[str, Any], *, method: str = "") -> Hint:
    """The hint for a schema at the top of an operation (``where`` is the pointer below the operation).

    A ``GET`` action named by a plural noun that lists (``…/namespaces/{id}/keys``) reads what it
    names: its items are keys (``NamespaceKey``), before the resource it hangs from.
    """
    nouns = _route_candidates(route)
    route_nouns = route.nouns if route.level != "action" else (*route.nouns, route.verb)
    lists = method == "get" and route.level == "collection" and _lists(schema)
    if method == "get" and route.level == "action" and singular(route.verb) != route.verb and _lists(schema):
        nouns = _route_candidates(Route((*route.nouns, route.verb), "get", route.scope, "collection")) + nouns
        lists = True
    verb = tuple(split_words(route.verb))
    op_words = tuple(split_words(str(op.get("operationId", ""))))
    if where.startswith("/responses/"):
        # after the route's words, its verb's and the status's, before a hash (``ScanCreate404Error``)
        status = tuple(split_words(where.split("/")[2]))
        if is_failure_envelope(schema):
            failure = tuple(split_words(FAILURE_ENVELOPE_NAME))
            by_verb = tuple(_join(noun, verb) + failure for noun in nouns)
            candidates = (failure, *(n + failure for n in nouns), *by_verb, op_words + failure)
            return Hint("root", candidates=candidates, kind="role", route_words=nouns)
        if not status[0].startswith("2"):  # an error body that is not the failure envelope: never a result
            error = ("error",)
            by_status = tuple(_join(noun, (*verb, *status, *error)) for noun in nouns)
            candidates = (*(noun + error for noun in nouns), op_words + error, *by_status)
            return Hint("envelope", candidates=candidates, kind="response", route_words=nouns, verb=verb)
        # the resource, then the resource and verb (``FilterCreateResult``), the operationId's words last
        by_verb = tuple(_join(noun, (*verb, "result")) for noun in nouns)
        candidates = (*nouns, *by_verb, op_words + ("result",))
        return Hint(
            "envelope",
            candidates=candidates,
            kind="result",
            route_words=nouns,
            verb=verb,
            route_nouns=route_nouns,
            lists=lists,
            part_of_item=route.level in {"singleton", "action"},
        )
    if where.startswith("/requestBody"):
        return Hint(
            "root", candidates=tuple(n + verb + ("params",) for n in nouns) + (op_words + ("params",),), kind="body"
        )
    name = tuple(split_words(str(_param_name(op, where))))
    return Hint("root", candidates=(name, *(n + name for n in nouns)), kind="parameter")


def _lists(schema: dict[str, Any]) -> bool:
    """Whether a response body is an array, or an envelope whose ``result`` is one."""
    result = properties_of(schema).get("result", schema)
    return isinstance(result, dict) and result.get("type") == "array"


def _param_name(op: dict[str, Any], where: str) -> str:
    index = int(where.split("/")[2])
    return str(op["parameters"][index].get("name", "parameter"))


def _candidates(hint: Hint, names: dict[str, tuple[Words, ...]]) -> tuple[Words, ...] | None:
    """Word tuples this hint proposes, or None while its named parent has no name yet.

    A named parent offers its preferred words, whatever name it wins: a parent that loses a
    contest for its own name (``Scan`` taken) does not rename its parts (``ScanMessage``).
    """
    if hint.relation == "root":
        return hint.candidates
    if hint.relation == "envelope":  # an inline success envelope: the body itself, if it is hoisted
        return hint.candidates
    if hint.parent_key is not None:
        if hint.parent_key not in names:
            return None
        bases: tuple[Words, ...] = names[hint.parent_key]
    elif hint.parent is not None:
        if hint.parent.relation == "envelope":
            return _envelope_part(hint, hint.parent)
        parent_candidates = _candidates(hint.parent, names)
        if parent_candidates is None:
            return None
        return _relative(hint, parent_candidates, relative_to_parent=True)
    else:
        return None
    return _relative(hint, bases, relative_to_parent=False)


def _relative(hint: Hint, bases: tuple[Words, ...], *, relative_to_parent: bool) -> tuple[Words, ...]:
    label = tuple(split_words(hint.label))
    if hint.parent is not None and hint.parent.kind == "role":
        return bases  # the items of a role array carry the role's name
    if hint.relation == "property":
        # a property named like the end of its parent (variant ``EmailDomain``, property ``email_domain``)
        return tuple(_join(base, label) if _join(base, label) != base else (*base, "value") for base in bases)
    if hint.relation == "item":
        # items of an array property: the parent's candidate already ends in the property's words
        return (
            tuple(base[:-1] + (singular(base[-1]),) if base else ("item",) for base in bases)
            if relative_to_parent
            else tuple(base + ("item",) for base in bases)
        )
    if hint.relation == "value":
        return tuple(base + ("value",) for base in bases)
    if hint.relation == "same":
        return bases
    return tuple(base + label for base in bases)


def _envelope_part(hint: Hint, envelope: Hint) -> tuple[Words, ...]:
    """The result takes the envelope's names; other parts the route's nouns + label, then with the verb.

    The verb tells apart the parts two operations of one resource would otherwise contest (the
    success variant of ``…/pcaps`` GET's ``default`` response: ``PcapListTrue`` beside ``PcapTrue``).
    """
    if hint.label == "result":
        return envelope.candidates
    label = tuple(split_words(hint.label))
    plain = tuple(_join(base, label) for base in envelope.route_words)
    if not envelope.verb:
        return plain
    return plain + tuple(_join(_join(base, envelope.verb), label) for base in envelope.route_words)


def _kind(hint: Hint) -> str:
    if hint.parent is not None and hint.parent.relation == "envelope" and hint.label == "result":
        return "result"
    if hint.parent is not None and hint.parent.kind == "role":
        return "role"
    return hint.kind if hint.relation in {"root", "envelope"} else "nested"


def role_hint(label: str, route_words: tuple[Words, ...] = ()) -> Hint | None:
    """The hint for an envelope property that has a role name (``errors`` items are ``ResponseInfo``).

    A role part whose shape differs from the plain one's is named after the route, then after the route
    and the property, before any hash (``DnsRecordResultInfo``, ``ScanErrorInfo``).
    """
    role = ENVELOPE_ITEM_NAMES.get(label)
    if role is None:
        return None
    words = tuple(split_words(role))
    # then what the property says it holds: ``ScanErrorInfo`` for the odd ``errors`` items of one resource
    held = tuple(split_words(singular(label)))
    held = held if held[-1:] == words[-1:] else held + words[-1:]
    candidates = (words, *(_join(noun, words) for noun in route_words), *(_join(noun, held) for noun in route_words))
    return Hint("root", candidates=candidates, kind="role")


def assign_names(
    hints: dict[str, list[Hint]],
    *,
    diags: Diagnostics,
    remembered: Mapping[str, str] | None = None,
    references: Mapping[str, Words] | None = None,
) -> dict[str, str]:
    """Content key -> class name, deterministic for any input order.

    ``references`` (content key -> words such as ``IdRef``): bare ``{id}`` objects.  One that
    uses of different resources share (a zone's delete result, a certificate's, the ``account``
    of a new zone) is named by these words first, never after whichever resource won it.

    ``remembered`` (content key -> the previous generation's name) goes first: a content that
    existed keeps its name, and the contests below only hand out the names left.

    First every schema's candidates, parents before children, each part named from its
    parent's *preferred* words, which no other schema can change.  Then the contests, best
    candidate first over the whole document: by candidate quality, then by use (the schema
    more operations return is the plain ``Rule``), then by content key.  A schema that loses
    its name keeps its parts' names, and a new schema elsewhere moves at most the names it
    contests, never by its position.
    """
    preferred: dict[str, tuple[Words, ...]] = {}
    options: dict[str, list[tuple[int, int, Words]]] = {}
    pending = set(hints)
    while pending:
        # a loop of recursive schemas named only through each other: its best-named member goes first
        ready = (
            _ready(pending, hints, preferred, partial=False)
            or sorted(
                _ready(pending, hints, preferred, partial=True)
                or _ready(pending, hints, preferred, partial=True, blind=True)
            )[:1]
        )
        for _, key, key_options in ready:
            # the preferred words first; the next ones name the parts before a hash would, should those lose
            options[key], preferred[key] = key_options, tuple(dict.fromkeys(o[2] for o in key_options))[:_PART_BASES]
            pending.discard(key)
    shared: set[str] = set()
    for key, words in sorted((references or {}).items()):
        firsts = [(candidates[0], hint) for hint in hints[key] if (candidates := _candidates(hint, preferred))]
        if len({first[:1] for first, _ in firsts}) > 1:  # uses of different resources share it
            # a property that holds it names it best (``ZoneCreateParamsAccount``), then what it is (``IdRef``)
            held = sorted({first for first, hint in firsts if _kind(hint) == "nested"}, key=lambda w: (len(w), w))
            # a returned one takes a second generic name before any resource's: two different ``{id}`` shapes
            # (read-only or not) both read as references (``IdRef``, ``ResourceRef``), never as ``PurgeCache``
            returned = any(_kind(hint) == "result" for hint in hints[key])
            generic = (words, tuple("resource" if word == "id" else word for word in words))[: 2 if returned else 1]
            options[key] = [(_OWN_PRIORITY, rank, own) for rank, own in enumerate((*held, *generic))] + options[key]
            shared.add(key)
    kept = _kept_names(remembered or {}, options)
    names = _contests(options, hints, kept, shared)
    # judged from the document and the name only, kept or not: the same document after its own generation
    # reports the same
    unproposed = {key: name for key, name in names.items() if not _proposed(name, options[key])}
    hashed = sum(_hash_suffixed(name, key) for key, name in unproposed.items())
    if hashed:
        diags.add("/components/schemas", "names", f"{hashed} schema names needed a content-hash suffix")
    dated = {key: name for key, name in unproposed.items() if key in kept and not _hash_suffixed(name, key)}
    _report_dated(dated, options, diags)
    return names


def _proposed(name: str, options: list[tuple[int, int, Words]]) -> bool:
    return any(str(ClassName.from_words(list(words))).lower() == name.lower() for _, _, words in options)


def _report_dated(dated: dict[str, str], options: dict[str, list[tuple[int, int, Words]]], diags: Diagnostics) -> None:
    """Kept names that no use of their content proposes any more (the uses changed): a reviewer may rename them."""
    if dated:
        listed = sorted((name, str(ClassName.from_words(list(options[key][0][2])))) for key, name in dated.items())
        examples = ", ".join(f"{name} (now: {now})" for name, now in listed[:_EXAMPLES])
        message = f"{len(dated)} schema names kept from the previous generation that no use proposes now: {examples}"
        diags.add("/components/schemas", "names-kept", message + (", ..." if len(dated) > _EXAMPLES else ""))


def _contests(
    options: dict[str, list[tuple[int, int, Words]]],
    hints: dict[str, list[Hint]],
    kept: dict[str, str],
    shared: set[str],
) -> dict[str, str]:
    """The ``kept`` names, then every other schema's first free candidate, best quality first.

    Shared references pick last: a bare ``{id}`` that a zone's delete returns never takes ``Zone`` from the zone.
    """
    names = dict(kept)  # taken before any contest
    used = set(RESERVED) | {name.lower() for name in names.values()}
    contenders = ((key in shared, _quality(options[key], hints[key], key), key) for key in options if key not in names)
    for _, _, key in sorted(contenders):
        names[key], _, _ = _first_free(options[key], used, key)
        used.add(names[key].lower())
    return names


def _kept_names(remembered: Mapping[str, str], options: Mapping[str, object]) -> dict[str, str]:
    """The remembered names of the contents still here, in content-key order; an unusable or taken one is not kept."""
    kept: dict[str, str] = {}
    taken = set(RESERVED)
    for key in sorted(remembered.keys() & options.keys()):
        name = remembered[key]
        try:
            usable = str(ClassName(name)) == name and "_" not in name and len(name) <= MAX_NAME_CHARS
        except ValueError:
            usable = False
        if usable and name.lower() not in taken:
            kept[key] = name
            taken.add(name.lower())
    return kept


def _quality(options: list[tuple[int, int, Words]], key_hints: list[Hint], key: str) -> tuple[Any, ...]:
    """Who picks first: role names, results, bodies, then parts; plainer names; more uses; content key."""
    priority, rank, words = options[0]
    return (priority, rank, len(words), words, -len(key_hints), key)


Ready = list[tuple[tuple[Any, ...], str, list[tuple[int, int, Words]]]]


def _ready(
    pending: set[str],
    hints: dict[str, list[Hint]],
    words: dict[str, tuple[Words, ...]],
    *,
    partial: bool,
    blind: bool = False,
) -> Ready:
    """Schemas whose every use can propose a name now (``partial``: some use; ``blind``: even none)."""
    ready: Ready = []
    for key in pending:
        options = _options(hints[key], words, partial=partial)
        if options is not None and partial and not blind and options[0][2] == ("model",):
            continue
        if options is not None:
            ready.append((_quality(options, hints[key], key), key, options))
    return ready


def _options(
    key_hints: list[Hint], words: dict[str, tuple[Words, ...]], *, partial: bool = False
) -> list[tuple[int, int, Words]] | None:
    options: set[tuple[int, int, Words]] = set()
    for hint in key_hints:
        candidates = _candidates(hint, words)
        if candidates is None:
            if partial:
                continue
            return None
        # the description's own names rank before every name from use
        options.update(
            (_OWN_PRIORITY, rank - len(hint.own_names), _fit(words)) for rank, words in enumerate(hint.own_names)
        )
        if not hint.ranks_as:
            _rank_uses(key_hints)  # once per schema: the rule looks at every use
        kind = hint.ranks_as
        if kind == _UNHEARD:
            continue
        if kind == _LISTED:  # the bare noun is left to what the item's own route returns
            candidates = candidates[1:] or candidates
        priority = _PRIORITY["result" if kind == _LISTED else kind]
        options.update((priority, rank, _fit(candidate)) for rank, candidate in enumerate(candidates) if candidate)
    if not options:
        options.add((9, 0, ("model",)))
    return sorted(options, key=lambda option: (option[1], option[0], len(option[2]), option[2]))


def _response(hint: Hint) -> Hint | None:
    """The response hint a use sits in: itself, its envelope, or the envelope of the array it is an item of."""
    node: Hint | None = hint
    for _ in range(3):  # item -> result property -> envelope
        if node is None or node.relation == "envelope":
            return node
        node = node.parent
    return None


def _list_item_of(hint: Hint) -> tuple[str, ...] | None:
    """The route of the list this use is an item of (``GET …/workers/scripts``), else None."""
    if hint.relation != "item" or hint.parent is None:
        return None
    if hint.parent.relation != "envelope" and hint.parent.label != "result":
        return None
    response = _response(hint)
    return response.route_nouns if response is not None and response.lists else None


_LISTED = "listed"
_UNHEARD = "unheard"


def _rank_uses(key_hints: list[Hint]) -> None:
    """How each use ranks: as its kind, or as the item of a list that a route below the list's items also returns.

    The list's item is that resource, named as a result after the list qualified by the noun before
    (``GET …/workers/scripts`` -> ``WorkerScript``: ``Script`` is left to what ``PUT …/scripts/{name}``
    returns); routes that are a part of an item (``…/scripts/{name}/content``) then propose no name.
    """
    items = {id(use): nouns for use in key_hints if (nouns := _list_item_of(use))}
    below: set[tuple[str, ...]] = set()
    if items:
        lists = set(items.values())
        for use in key_hints:
            response = _response(use) if _kind(use) == "result" else None
            if response is not None:
                route = response.route_nouns
                below.update(nouns for nouns in lists if len(route) > len(nouns) and route[: len(nouns)] == nouns)
    for use in key_hints:
        response = _response(use)
        if items.get(id(use)) in below:
            use.ranks_as = _LISTED
        elif below and _kind(use) == "result" and response is not None and response.part_of_item:
            use.ranks_as = _UNHEARD
        else:
            use.ranks_as = _kind(use)


def _length(words: Words) -> int:
    """Length of the class name these words make, before any cut."""
    return sum(len(word) for word in words) + (1 if words and words[0][:1].isdigit() else 0)


@functools.lru_cache(maxsize=65536)  # the same candidates come back in every round of the contest
def _fit(words: Words) -> Words:
    """Words whose class name fits the limit: the first words and the last ones (what the thing is)."""
    if _length(words) <= MAX_NAME_CHARS:
        return words
    tail = words[-_TAIL_WORDS:]
    while len(tail) > 1 and _length(tail) > MAX_NAME_CHARS:
        tail = tail[1:]
    head: Words = ()
    for word in words[: len(words) - len(tail)]:
        if _length((*head, word, *tail)) > MAX_NAME_CHARS:
            break
        head = (*head, word)
    for word in reversed(words[len(head) : len(words) - len(tail)]):  # widen the tail with what still fits
        if _length((*head, word, *tail)) > MAX_NAME_CHARS:
            break
        tail = (word, *tail)
    return (*head, *tail)


def _hash_suffixed(name: str, key: str) -> bool:
    """Whether ``name`` ends in its content key's prefix: a name :func:`_first_free` found no word for."""
    digits = "".join(character for character in key if character.isalnum()).lower()
    return any(name.lower().endswith(digits[:size]) for size in range(HASH_CHARS, len(digits) + 1))


def _first_free(options: list[tuple[int, int, Words]], used: set[str], key: str) -> tuple[str, Words, bool]:
    for _, _, candidate in options:
        name = ClassName.from_words(list(candidate))
        if name.lower() not in used:
            return str(name), candidate, False
    best = options[0][2]
    digits = "".join(character for character in key if character.isalnum())
    for size in range(HASH_CHARS, len(digits) + 1):  # the content key is unique: a long enough prefix is free
        candidate = _fit((*best, digits[:size]))
        name = ClassName.from_words(list(candidate))
        if name.lower() not in used:
            return str(name), candidate, True
    msg = f"no free name for schema {key}"
    raise RuntimeError(msg)
