"""Compiled templates from the cache (:mod:`clientgen.cached_templates`): the same text, never a bad entry."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import TYPE_CHECKING

from clientgen import cached_render
from clientgen.cache import Cache
from clientgen.cached_templates import TemplateBytecode
from clientgen.render import make_environment

if TYPE_CHECKING:
    from jinja2 import Environment

_KIND = "template-code"


def _environment(cache: Cache) -> Environment:
    """A fresh environment like :func:`make_environment`'s (its own template memory) reading ``cache``."""
    return make_environment().overlay(cache_size=0, bytecode_cache=TemplateBytecode(cache))


def _render(cache: Cache) -> str:
    return _environment(cache).get_template("header.jinja").render()


def _entries(root: Path) -> list[Path]:
    return sorted(path for path in (root / _KIND).rglob("*") if path.is_file())


def test_a_template_compiles_once_then_comes_from_the_cache(tmp_path: Path) -> None:
    expected = make_environment().get_template("header.jinja").render()
    cache = Cache(tmp_path, tools="t")
    assert _render(cache) == expected
    assert (cache.hits, cache.misses) == (0, 1)
    [entry] = _entries(tmp_path)
    assert _render(cache) == expected
    assert cache.hits == 1
    entry.write_bytes(entry.read_bytes()[:-3])  # damaged: fails its checksum, deleted, compiled again
    assert _render(cache) == expected
    assert cache.hits == 1


def test_an_entry_that_is_no_code_is_ignored(tmp_path: Path) -> None:
    cache = Cache(tmp_path, tools="t")
    expected = _render(cache)
    [entry] = _entries(tmp_path)
    for payload in (b"not marshal data", marshal.dumps({"a": "dict"})):
        cache.put(_KIND, entry.name, payload)  # a valid checksum around something that is not a code object
        assert _render(cache) == expected


def test_the_resource_template_check_is_kept_and_a_bad_verdict_ignored(tmp_path: Path) -> None:
    """:mod:`clientgen.cached_render` keeps whether the resource template reads only what its key holds."""
    env, name = make_environment(), "package/resources/resource.py.jinja"
    cache = Cache(tmp_path, tools="t")
    assert cached_render._checked_reads(env, name, cache)
    [entry] = sorted(path for path in (tmp_path / "template-reads").rglob("*") if path.is_file())
    assert Cache(tmp_path, tools="t").get("template-reads", entry.name) == b"yes"
    cache.put("template-reads", entry.name, b"no")  # what a template reading something else would have stored
    assert not cached_render._checked_reads(env, name, Cache(tmp_path, tools="t"))
    cache.put("template-reads", entry.name, b"maybe")  # neither: checked again, and kept
    fresh = Cache(tmp_path, tools="t")
    assert cached_render._checked_reads(env, name, fresh)
    assert fresh.get("template-reads", entry.name) == b"yes"
