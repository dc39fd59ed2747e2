"""A resource module's text from the cache when everything rendered into it is unchanged.

``package/resources/resource.py.jinja`` reads two variables, ``package`` and ``resource`` (checked: a template
that reads any other is rendered every time), and of ``resource`` its path, class name, operations and each
child's attribute, module and class name.  The key is exactly those (:func:`clientgen.cache_keys.model_bytes`,
exact and independent of ``PYTHONHASHSEED``); the templates' text is in every key through the fingerprint.
A one-operation change renders one module again.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from jinja2 import meta

from clientgen.cache import Cache
from clientgen.cache_keys import ModelMemo, UnkeyableError, model_bytes
from clientgen.model.api import Resource

__all__ = ["render_resource"]

_KIND = "resource-module"
_READS = frozenset({"package", "resource"})
_CHECKED = "template-reads"


@functools.lru_cache(maxsize=8)  # one environment per generation: a long test run keeps a few
def _reads_only_known(env: jinja2.Environment, name: str) -> bool:
    """Whether ``name`` and the templates it includes or imports read no variable but ``package`` and ``resource``."""
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None  # make_environment() sets a loader
        source = env.loader.get_source(env, current)[0]
        parsed = env.parse(source)
        if not meta.find_undeclared_variables(parsed) <= _READS:
            return False
        referenced = list(meta.find_referenced_templates(parsed))
        if None in referenced:  # a template chosen at render time: cannot be checked
            return False
        pending.extend(str(item) for item in referenced)
    return True


@functools.lru_cache(maxsize=8)
def _checked_reads(env: jinja2.Environment, name: str, cache: Cache) -> bool:
    """:func:`_reads_only_known`, its verdict kept in ``cache`` (parsing the templates costs ~0.1 s per run).

    The key is the template's name and file; their text is in the fingerprint of every key (as in every entry).
    """
    filename = env.get_template(name).filename or ""
    key = cache.key(_CHECKED, name, filename)
    found = cache.get(_CHECKED, key)
    if found in {b"yes", b"no"}:
        return found == b"yes"
    verdict = _reads_only_known(env, name)
    cache.put(_CHECKED, key, b"yes" if verdict else b"no")
    return verdict


def render_resource(
    template: jinja2.Template,
    context: dict[str, Any],
    resource: Resource,
    cache: Cache | None,
    memo: ModelMemo | None = None,
) -> str:
    """``template.render(context, resource=resource)``, from the cache when its inputs were rendered before."""
    if cache is None or template.name is None or not _checked_reads(template.environment, template.name, cache):
        return template.render(context, resource=resource)
    children = tuple((child.attribute, child.module, child.class_name) for child in resource.children)
    try:
        parts = (context["package"], resource.path, resource.class_name, resource.operations, children)
        inputs = model_bytes(parts, memo)
    except UnkeyableError:
        return template.render(context, resource=resource)
    key = cache.key(_KIND, template.name, inputs)
    text = cache.get_text(_KIND, key)
    if text is None:
        text = template.render(context, resource=resource)
        cache.put_text(_KIND, key, text)
    return text
