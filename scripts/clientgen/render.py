"""The one Jinja environment, shared by the pipeline and the tests.

Templates only lay out text.  Spec text reaches generated code through two filters:
``pystr`` (a Python string literal, via ``repr``) and ``docstring`` (the body of a
triple-quoted string with quotes, backslashes and control characters escaped).  Spec text
is never placed in comments, where a bare CR or a newline would end the comment.  In
``pyproject.toml`` it goes through ``tomlstr`` (a TOML basic string) after ``oneline``.
Jinja renders each template once: ``{{ }}`` or ``{% %}`` inside spec text is never
evaluated, it is only text.
"""

from __future__ import annotations

import functools
import re
import textwrap
from pathlib import Path

import jinja2

from clientgen.limits import MAX_DOC_CHARS

__all__ = ["TEMPLATES", "clean_text", "docstring", "make_environment", "mdcode", "oneline", "pystr", "tomlstr"]

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")
_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def pystr(value: object) -> str:
    """A Python literal for a spec string (or ``None``/bool/int): inert whatever it contains."""
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    msg = f"pystr takes str, int, bool or None, not {type(value).__name__}"
    raise TypeError(msg)


def clean_text(text: str, limit: int = MAX_DOC_CHARS) -> str:
    """Prose for another generator to place (datamodel-code-generator's docstrings).

    At most ``limit`` characters, line breaks as LF, no other control character, no line or
    paragraph separator.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:limit]
    return _CONTROL.sub(" ", text.replace("\t", " "))


def oneline(text: str, limit: int = 200) -> str:
    """One line of at most ``limit`` characters, for metadata fields that must not hold a line break."""
    words = " ".join(_CONTROL.sub(" ", text[: limit * 4]).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def mdcode(text: str, limit: int = 120) -> str:
    """Markdown inline code for spec text (a field name, an enum value): one line, fenced past any backtick run."""
    words = oneline(text, limit)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", words)), default=0) + 1)
    pad = " " if words.startswith("`") or words.endswith("`") or not words.strip() else ""
    return f"{fence}{pad}{words}{pad}{fence}"


def tomlstr(value: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, every control character as a ``u`` escape."""
    escaped = (
        _TOML_ESCAPES.get(char) or (f"\\u{ord(char):04x}" if _CONTROL.fullmatch(char) or char in "\n\t" else char)
        for char in value
    )
    return '"' + "".join(escaped) + '"'


def docstring(text: str, indent: int = 0, width: int = 88) -> str:
    """Safe docstring body: escaped, one paragraph per source paragraph, indented for its block."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")[:MAX_DOC_CHARS]
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = _CONTROL.sub(
        lambda match: (
            f"\\x{ord(match.group(0)):02x}" if ord(match.group(0)) < 0x100 else f"\\u{ord(match.group(0)):04x}"
        ),
        text,
    )
    paragraphs = [" ".join(part.split()) for part in text.split("\n\n")]
    wrapped = [
        textwrap.fill(part, width=max(width - indent, 40), break_long_words=False, break_on_hyphens=False)
        for part in paragraphs
        if part
    ]
    body = "\n\n".join(wrapped).strip()
    if body.endswith('"'):
        body += " "
    pad = " " * indent
    return "\n".join(pad + line if line else "" for line in body.splitlines()).lstrip()


@functools.cache  # one per process: a generation asks for it eight times, and each new one compiles its templates again
def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - we write Python and Markdown, escaped by our own filters
    )
    env.filters["pystr"] = pystr
    env.filters["docstring"] = docstring
    env.filters["oneline"] = oneline
    env.filters["tomlstr"] = tomlstr
    env.filters["mdcode"] = mdcode
    return env
