"""Parameter serialization: the OpenAPI 3.0.3 specification's own "Style Examples" table, row by row.

https://spec.openapis.org/oas/v3.0.3#style-examples: ``color`` is ``"blue"``, ``["blue", "black", "brown"]`` or
``{"R": 100, "G": 200, "B": 150}``.  The runtime module is the one generated into ``generated/`` (the same
template renders it for every API).  Where the table percent-encodes nothing but a delimiter, so does the
runtime; ``spaceDelimited`` writes the space as ``%20``, as the table does.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cloudflare_client._serialization import (
    Style,
    cookie_header,
    encode_form,
    header_text,
    path_text,
    query_string,
    scalar_text,
)

BLUE = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}

# (style, explode, primitive, array, object): the table's cells; None where the table says n/a.
STYLE_EXAMPLES = [
    ("matrix", False, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("matrix", True, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("label", False, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("form", False, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("simple", False, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, "blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("spaceDelimited", False, None, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, None, "color=blue|black|brown", "color=R|100|G|200|B|150"),
    ("deepObject", True, None, None, "color[R]=100&color[G]=200&color[B]=150"),
]


def _serialize(style: str, explode: bool, value: object) -> str:
    if style in {"matrix", "label"}:
        return path_text("color", value, style=style, explode=explode)
    if style == "simple":  # path and header share the simple style; the header is the unencoded one
        encoded = path_text("color", value, style=style, explode=explode)
        assert header_text(value, explode=explode) == encoded
        return encoded
    return query_string({"color": value}, {"color": Style(style, explode=explode)})


@pytest.mark.parametrize(("style", "explode", "primitive", "array", "obj"), STYLE_EXAMPLES)
def test_style_examples_table(
    style: str, explode: bool, primitive: str | None, array: str | None, obj: str | None
) -> None:
    for value, expected in ((BLUE, primitive), (ARRAY, array), (OBJECT, obj)):
        if expected is not None:
            assert _serialize(style, explode, value) == expected, (style, explode, value)


def test_values_are_percent_encoded_but_delimiters_are_not() -> None:
    assert path_text("id", "a/b c,d") == "a%2Fb%20c%2Cd"
    assert query_string({"q": ["a,b", "c d"]}, {"q": Style("form", explode=False)}) == "q=a%2Cb,c%20d"
    assert query_string({"filter": {"name": "x&y"}}, {"filter": Style("deepObject")}) == "filter[name]=x%26y"


def test_allow_reserved_keeps_reserved_characters() -> None:
    value = "https://example.com/a?b=c"
    assert query_string({"u": value}) == "u=https%3A%2F%2Fexample.com%2Fa%3Fb%3Dc"
    assert query_string({"u": value}, {"u": Style(allow_reserved=True)}) == "u=" + value


def test_deep_object_nests_and_numbers_array_items() -> None:
    created = {"created": {"gte": 1, "lt": 5}, "ids": ["a", "b"], "skip": None}
    expected = "f[created][gte]=1&f[created][lt]=5&f[ids][0]=a&f[ids][1]=b"
    assert query_string({"f": created}, {"f": Style("deepObject")}) == expected


class Color(enum.Enum):
    BLUE = "blue"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (True, "true"),
        (False, "false"),
        (3600, "3600"),
        (0.5, "0.5"),
        (Color.BLUE, "blue"),
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "2024-01-02T03:04:05Z"),
        (datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))), "2024-01-02T03:04:05+02:00"),
        (datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=UTC), "2024-01-02T03:04:05.120000Z"),
        (datetime(2024, 1, 2, 3, 4, 5), "2024-01-02T03:04:05"),  # noqa: DTZ001 - naive stays naive
        (date(2024, 1, 2), "2024-01-02"),
    ],
)
def test_scalars(value: object, text: str) -> None:
    assert scalar_text(value) == text


def test_query_leaves_none_out_and_keeps_order() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    query = {"b": True, "a": None, "since": moment, "n": 3600}
    assert query_string(query) == "b=true&since=2024-01-02T03%3A04%3A05Z&n=3600"


def test_cookies() -> None:
    assert cookie_header({"session": "a b", "ids": [1, 2], "unset": None}) == "session=a%20b; ids=1,2"


def test_form_body_stripe_conventions() -> None:
    body = {
        "amount": 2000,
        "capture": False,
        "description": "a b&c",
        "metadata": {"order": "6735", "nested": {"k": "v"}},
        "expand": ["customer", "invoice"],
        "skipped": None,
    }
    encoding = {"expand": Style("deepObject"), "metadata": Style("deepObject")}
    assert encode_form(body, encoding) == (
        b"amount=2000&capture=false&description=a+b%26c&metadata[order]=6735&metadata[nested][k]=v"
        b"&expand[0]=customer&expand[1]=invoice"
    )


def test_form_body_flat_arrays_repeat_or_join() -> None:
    assert encode_form({"MediaUrl": ["u1", "u2"]}) == b"MediaUrl=u1&MediaUrl=u2"
    assert encode_form({"tags": ["a", "b"]}, {"tags": Style("form", explode=False)}) == b"tags=a,b"


def test_form_body_refuses_a_non_object() -> None:
    with pytest.raises(TypeError, match="form body must be an object"):
        encode_form(["a"])  # type: ignore[arg-type]
