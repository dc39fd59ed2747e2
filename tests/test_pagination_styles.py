"""Pagination styles other than Cloudflare's, against a real server on 127.0.0.1: each walks every item of every page,
sync and async, and stops, also when the server never ends.

A small API with one list per style (plain JSON, no envelope) is generated into ``styles_client``; the server answers
each style the way its API does (Stripe's ``has_more``, ``next_cursor``/``next_page_token`` fields, Twilio's
``next_page_uri``, GitHub's ``Link`` header, offset/limit with a total).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clientgen.layout import REPORT_FILE
from clientgen.project import write_tree
from live_server import LiveServer, RecordedRequest, Reply, json_reply

TOKEN = "test-token"  # noqa: S105 - a dummy credential for a local server
ITEM = {"type": "object", "properties": {"id": {"type": "string"}}}
ITEMS = {"type": "array", "items": ITEM}


def _list(
    operation_id: str, query: list[str], body: dict[str, Any], headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok", "content": {"application/json": {"schema": body}}}
    if headers:
        response["headers"] = headers
    return {
        "get": {
            "operationId": operation_id,
            "parameters": [{"in": "query", "name": name, "schema": {"type": "string"}} for name in query],
            "responses": {"200": response},
        }
    }


def _object(**properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


STRING, BOOLEAN, INTEGER = {"type": "string"}, {"type": "boolean"}, {"type": "integer"}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Styles API", "version": "1"},
    "paths": {
        "/charges": _list(
            "listCharges", ["limit", "starting_after"], _object(object=STRING, data=ITEMS, has_more=BOOLEAN)
        ),
        "/events": _list("listEvents", ["cursor"], _object(events=ITEMS, next_cursor=STRING)),
        "/files": _list("listFiles", ["page_token"], _object(files=ITEMS, next_page_token=STRING)),
        "/messages": _list("listMessages", ["PageSize"], _object(messages=ITEMS, next_page_uri=STRING, page=INTEGER)),
        "/issues": _list("listIssues", ["per_page", "page"], ITEMS, {"Link": {"schema": STRING}}),
        "/records": _list("listRecords", ["offset", "limit"], _object(records=ITEMS, total=INTEGER)),
        "/single": _list("listSingle", ["q"], _object(data=ITEMS)),
        "/repos": _list("listRepos", [], ITEMS),
        "/people": _list("listPeople", ["page", "page_size"], _object(people=ITEMS)),  # strings: only by config
    },
}


# page numbers and nothing else: an integer page, a page size, a bare list (no total, Link or next field)
SPEC["paths"]["/repos"]["get"]["parameters"] = [
    {"in": "query", "name": "page", "schema": INTEGER},
    {"in": "query", "name": "per_page", "schema": INTEGER},
]


@pytest.fixture(scope="module")
def styles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("styles")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text(
        '[package]\nimport_name = "styles_client"\ndistribution = "styles"\n\n'
        '[pagination]\nlistRecords = "offset"\nlistPeople = "page"\n'
    )
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    try:
        yield importlib.import_module("styles_client")
    finally:
        sys.path.remove(str(root / "out" / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == "styles_client"]:
            del sys.modules[name]


def _asked(request: RecordedRequest, name: str) -> str | None:
    values = request.query.get(name)
    return values[0] if values else None


def _ids(*ids: str) -> list[dict[str, str]]:
    return [{"id": value} for value in ids]


PAGES = [["a", "b"], ["c", "d"], ["e"]]


def _walk(styles: ModuleType, answer: Callable[[RecordedRequest], Reply], call: Callable[[Any], Any]) -> list[str]:
    with LiveServer(handler=answer) as server, styles.Client(api_token=TOKEN, base_url=server.url) as client:
        return [item.id for item in call(client)]


def _walk_async(
    styles: ModuleType, answer: Callable[[RecordedRequest], Reply], call: Callable[[Any], Any]
) -> list[str]:
    async def walk(url: str) -> list[str]:
        async with styles.AsyncClient(api_token=TOKEN, base_url=url) as client:
            return [item.id async for item in await call(client)]

    with LiveServer(handler=answer) as server:
        return asyncio.run(walk(server.url))


def _has_more(request: RecordedRequest) -> Reply:
    index = {None: 0, "b": 1, "d": 2}[_asked(request, "starting_after")]
    return json_reply({"object": "list", "data": _ids(*PAGES[index]), "has_more": index < len(PAGES) - 1})


def test_has_more_starting_after_the_last_id(styles: ModuleType) -> None:
    seen: list[str | None] = []

    def answer(request: RecordedRequest) -> Reply:
        seen.append(_asked(request, "starting_after"))
        assert _asked(request, "limit") == "2"
        return _has_more(request)

    assert _walk(styles, answer, lambda client: client.charges.list(limit="2")) == ["a", "b", "c", "d", "e"]
    assert seen == [None, "b", "d"]
    assert _walk_async(styles, _has_more, lambda client: client.charges.list(limit="2")) == list("abcde")


def test_next_cursor_and_next_page_token(styles: ModuleType) -> None:
    def events(request: RecordedRequest) -> Reply:
        index = {None: 0, "c1": 1, "c2": 2}[_asked(request, "cursor")]
        return json_reply({"events": _ids(*PAGES[index]), "next_cursor": ["c1", "c2", None][index]})

    def files(request: RecordedRequest) -> Reply:
        index = {None: 0, "t1": 1, "t2": 2}[_asked(request, "page_token")]
        return json_reply({"files": _ids(*PAGES[index]), "next_page_token": ["t1", "t2", ""][index]})

    assert _walk(styles, events, lambda client: client.events.list()) == list("abcde")
    assert _walk(styles, files, lambda client: client.files.list()) == list("abcde")
    assert _walk_async(styles, files, lambda client: client.files.list()) == list("abcde")


def _twilio(request: RecordedRequest) -> Reply:
    index = int(_asked(request, "Page") or 0)
    following = f"/messages?PageSize=2&Page={index + 1}&PageToken=PA{index}" if index < len(PAGES) - 1 else None
    return json_reply({"messages": _ids(*PAGES[index]), "page": index, "next_page_uri": following})


def test_next_page_uri(styles: ModuleType) -> None:
    paths: list[str] = []

    def answer(request: RecordedRequest) -> Reply:
        paths.append(request.path)
        return _twilio(request)

    assert _walk(styles, answer, lambda client: client.messages.list(page_size="2")) == list("abcde")
    assert paths == [
        "/messages?PageSize=2",
        "/messages?PageSize=2&Page=1&PageToken=PA0",
        "/messages?PageSize=2&Page=2&PageToken=PA1",
    ]
    assert _walk_async(styles, _twilio, lambda client: client.messages.list(page_size="2")) == list("abcde")


def _github(server_url: Callable[[], str]) -> Callable[[RecordedRequest], Reply]:
    def answer(request: RecordedRequest) -> Reply:
        page = int(_asked(request, "page") or 1)
        links = [f'<{server_url()}/issues?per_page=2&page={page + 1}>; rel="next"'] if page < len(PAGES) else []
        links.append(f'<{server_url()}/issues?per_page=2&page=1>; rel="first"')
        return json_reply(_ids(*PAGES[page - 1]), headers={"Link": ", ".join(links)})

    return answer


def test_link_header(styles: ModuleType) -> None:
    with LiveServer() as server:
        server.handler = _github(lambda: server.url)
        with styles.Client(api_token=TOKEN, base_url=server.url) as client:
            assert [item.id for item in client.issues.list(per_page="2")] == list("abcde")
        assert [_asked(request, "page") for request in server.requests] == [None, "2", "3"]


def test_link_to_another_origin_is_not_followed(styles: ModuleType) -> None:
    def answer(_: RecordedRequest) -> Reply:
        return json_reply(_ids("a"), headers={"Link": '<http://127.0.0.2:1/issues?page=2>; rel="next"'})

    assert _walk(styles, answer, lambda client: client.issues.list()) == ["a"]


def test_offset_until_the_total(styles: ModuleType) -> None:
    records = [f"r{index}" for index in range(5)]
    offsets: list[str | None] = []

    def answer(request: RecordedRequest) -> Reply:
        offsets.append(_asked(request, "offset"))
        offset = int(_asked(request, "offset") or 0)
        return json_reply({"records": _ids(*records[offset : offset + 2]), "total": len(records)})

    assert _walk(styles, answer, lambda client: client.records.list(limit="2")) == records
    assert offsets == [None, "2", "4"]


@pytest.mark.parametrize(
    ("call", "reply"),
    [
        ("charges", lambda _: json_reply({"data": _ids("a"), "has_more": True})),
        ("events", lambda _: json_reply({"events": _ids("a"), "next_cursor": "same"})),
        ("messages", lambda _: json_reply({"messages": _ids("a"), "next_page_uri": "/messages?Page=1"})),
    ],
)
def test_a_server_that_never_ends_still_stops(
    styles: ModuleType, call: str, reply: Callable[[RecordedRequest], Reply]
) -> None:
    with LiveServer(handler=reply) as server, styles.Client(api_token=TOKEN, base_url=server.url) as client:
        assert [item.id for item in getattr(client, call).list()] == ["a"]
        assert len(server.requests) <= 3


def test_endless_fresh_pages_stop_at_the_limit(styles: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.import_module("styles_client._pagination"), "MAX_PAGES", 4)

    def answer(request: RecordedRequest) -> Reply:
        page = int(_asked(request, "Page") or 0)
        return json_reply({"messages": _ids(f"m{page}"), "next_page_uri": f"/messages?Page={page + 1}"})

    assert _walk(styles, answer, lambda client: client.messages.list()) == ["m0", "m1", "m2", "m3"]


REPOS = [f"r{index}" for index in range(5)]


def _repos(request: RecordedRequest) -> Reply:
    page, size = int(_asked(request, "page") or 1), int(_asked(request, "per_page") or 30)
    return json_reply(_ids(*REPOS[(page - 1) * size : page * size]))


def test_page_numbers_until_a_short_page(styles: ModuleType) -> None:
    with LiveServer(handler=_repos) as server, styles.Client(api_token=TOKEN, base_url=server.url) as client:
        assert [item.id for item in client.repos.list(per_page=2)] == REPOS
        assert [request.path for request in server.requests] == [
            "/repos?per_page=2",
            "/repos?page=2&per_page=2",
            "/repos?page=3&per_page=2",
        ]
    assert _walk_async(styles, _repos, lambda client: client.repos.list(per_page=2)) == REPOS


def test_page_numbers_until_an_empty_page(styles: ModuleType) -> None:
    with LiveServer(handler=_repos) as server, styles.Client(api_token=TOKEN, base_url=server.url) as client:
        # no page size asked for: a full page of 5 says nothing, the empty fourth page ends the walk
        assert [item.id for item in client.repos.list()] == REPOS
        assert [request.path for request in server.requests] == ["/repos", "/repos?page=2"]


def test_page_numbers_that_never_end_still_stop(styles: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.import_module("styles_client._pagination"), "MAX_PAGES", 4)

    def same(_: RecordedRequest) -> Reply:
        return json_reply(_ids("a", "b"))

    def fresh(request: RecordedRequest) -> Reply:
        return json_reply(_ids(f"p{_asked(request, 'page') or 1}"))

    assert _walk(styles, same, lambda client: client.repos.list()) == ["a", "b"]  # the second page repeats the first
    assert _walk(styles, fresh, lambda client: client.repos.list()) == ["p1", "p2", "p3", "p4"]
    assert _walk_async(styles, fresh, lambda client: client.repos.list()) == ["p1", "p2", "p3", "p4"]


def test_page_numbers_forced_by_the_config(styles: ModuleType) -> None:
    def answer(request: RecordedRequest) -> Reply:
        page, size = int(_asked(request, "page") or 1), int(_asked(request, "page_size") or 30)
        return json_reply({"people": _ids(*REPOS[(page - 1) * size : page * size])})

    with LiveServer(handler=answer) as server, styles.Client(api_token=TOKEN, base_url=server.url) as client:
        assert [item.id for item in client.people.list(page_size="2")] == REPOS
        assert [_asked(request, "page") for request in server.requests] == [None, "2", "3", "4"]  # to the empty page


def test_report_names_each_style_and_why(styles: ModuleType) -> None:
    out = Path(str(styles.__file__)).parents[2]
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    found = {entry["operationId"]: entry.get("pagination") for entry in report["operations"]}
    assert {operation: detected and detected["style"] for operation, detected in found.items()} == {
        "listCharges": "has_more",
        "listEvents": "next_cursor",
        "listFiles": "next_cursor",
        "listMessages": "next_url",
        "listIssues": "link",
        "listRecords": "offset",
        "listSingle": None,
        "listRepos": "page",
        "listPeople": "page",
    }
    assert found["listPeople"]["why"].startswith("set in the config (a page-number query parameter page and")
    assert "until an empty page or one shorter than per_page" in found["listRepos"]["why"]
    assert "starting_after" in found["listCharges"]["why"]
    assert found["listRecords"]["why"].startswith("set in the config")
