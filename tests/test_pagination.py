"""Pagination and downloads against a real server on 127.0.0.1: every page fetched, the walk always ends.

A small API with a page-numbered list, a cursor list, a CSV and a PNG download is generated into a temporary package
(``paged_client``) by the same pipeline as the real one.
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
from envelopes import success_envelope
from live_server import LiveServer, RecordedRequest, Reply, json_reply

TOKEN = "test-token"  # noqa: S105 - a dummy credential for a local server
ITEM = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
INFO = {
    "type": "object",
    "properties": {
        "page": {"type": "number"},
        "per_page": {"type": "number"},
        "count": {"type": "number"},
        "total_count": {"type": "number"},
        "total_pages": {"type": "number"},
        "cursor": {"type": "string"},
    },
}


def _list_operation(operation_id: str, query: list[str]) -> dict[str, Any]:
    envelope = success_envelope({"type": "array", "items": ITEM}, result_info=INFO)
    return {
        "operationId": operation_id,
        "parameters": [
            {"in": "path", "name": "account_id", "required": True, "schema": {"type": "string"}},
            *({"in": "query", "name": name, "schema": {"type": "number"}} for name in query),
        ],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": envelope}}}},
    }


def _download(operation_id: str, media: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": [
            {"in": "path", "name": "account_id", "required": True, "schema": {"type": "string"}},
            {"in": "path", "name": "widget_id", "required": True, "schema": {"type": "string"}},
        ],
        "responses": {"200": {"description": "ok", "content": {media: {"schema": {"type": "string"}}}}},
    }


SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Paged API", "version": "1"},
    "paths": {
        "/accounts/{account_id}/widgets": {"get": _list_operation("widgets-list", ["page", "per_page"])},
        "/accounts/{account_id}/things": {"get": _list_operation("things-list", ["cursor", "per_page"])},
        "/accounts/{account_id}/widgets/{widget_id}/export": {"get": _download("widgets-export", "text/csv")},
        "/accounts/{account_id}/widgets/{widget_id}/picture": {"get": _download("widgets-picture", "image/png")},
    },
}


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("paged")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text('[package]\nimport_name = "paged_client"\ndistribution = "paged"\n')
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    try:
        yield importlib.import_module("paged_client")
    finally:
        sys.path.remove(str(root / "out" / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == "paged_client"]:
            del sys.modules[name]


def _page(items: list[int], **info: object) -> Reply:
    result = [{"id": i, "name": f"w{i}"} for i in items]
    return json_reply({"success": True, "errors": [], "messages": [], "result": result, "result_info": info})


def _asked(request: RecordedRequest, name: str) -> str | None:
    values = request.query.get(name)
    return values[0] if values else None


def _serve(server: LiveServer, answer: Callable[[RecordedRequest], Reply]) -> None:
    server.handler = answer


def test_pages_until_total_pages(paged: ModuleType) -> None:
    def answer(request: RecordedRequest) -> Reply:
        page = int(_asked(request, "page") or 1)
        return _page([page * 10, page * 10 + 1], page=page, per_page=2, total_pages=3, total_count=6)

    with LiveServer() as server:
        _serve(server, answer)
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        first = client.widgets.list(account_id="a", per_page=2)
        assert [item.id for item in first.items] == [10, 11]
        assert first.has_next_page()
        assert [item.id for item in first] == [10, 11, 20, 21, 30, 31]
        assert [_asked(r, "page") for r in server.requests] == [None, "2", "3"]
        assert all(_asked(r, "per_page") == "2" for r in server.requests)


def test_stops_by_total_count_without_total_pages(paged: ModuleType) -> None:
    def answer(request: RecordedRequest) -> Reply:
        page = int(_asked(request, "page") or 1)
        return _page([page], page=page, per_page=1, total_count=2)

    with LiveServer() as server:
        _serve(server, answer)
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        assert [item.id for item in client.widgets.list(account_id="a")] == [1, 2]
        assert len(server.requests) == 2


def test_a_server_that_ignores_the_page_parameter_is_not_followed_forever(paged: ModuleType) -> None:
    with LiveServer() as server:
        _serve(server, lambda _request: _page([1, 2], page=1, per_page=2, total_pages=50))
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        assert [item.id for item in client.widgets.list(account_id="a")] == [1, 2]
        assert len(server.requests) == 2  # page 2 came back as page 1: stop


def test_repeated_page_without_page_numbers_stops(paged: ModuleType) -> None:
    with LiveServer() as server:
        _serve(server, lambda _request: _page([7, 8]))
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        assert [item.id for item in client.widgets.list(account_id="a")] == [7, 8]
        assert len(server.requests) == 2


def test_endless_new_pages_stop_at_the_page_limit(paged: ModuleType, monkeypatch: pytest.MonkeyPatch) -> None:
    pagination = importlib.import_module("paged_client._pagination")
    monkeypatch.setattr(pagination, "MAX_PAGES", 5)

    def answer(request: RecordedRequest) -> Reply:
        page = int(_asked(request, "page") or 1)
        return _page([page])  # always a fresh, full page and no totals: only the limit stops this

    with LiveServer() as server:
        _serve(server, answer)
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        assert [item.id for item in client.widgets.list(account_id="a")] == [1, 2, 3, 4, 5]
        assert len(server.requests) == 5


def test_cursor_pages_until_no_cursor(paged: ModuleType) -> None:
    cursors = {None: ("c1", [1]), "c1": ("c2", [2]), "c2": ("", [3])}

    def answer(request: RecordedRequest) -> Reply:
        following, items = cursors[_asked(request, "cursor")]
        return _page(items, cursor=following)

    with LiveServer() as server:
        _serve(server, answer)
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        assert [item.id for item in client.things.list(account_id="a")] == [1, 2, 3]
        assert [_asked(r, "cursor") for r in server.requests] == [None, "c1", "c2"]


def test_the_same_cursor_again_stops(paged: ModuleType) -> None:
    with LiveServer() as server:
        _serve(server, lambda _request: _page([1], cursor="same"))
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        assert [item.id for item in client.things.list(account_id="a")] == [1]  # the repeat is not yielded
        assert [_asked(r, "cursor") for r in server.requests] == [None, "same"]


def test_async_pages(paged: ModuleType) -> None:
    def answer(request: RecordedRequest) -> Reply:
        page = int(_asked(request, "page") or 1)
        return _page([page], page=page, per_page=1, total_pages=3)

    async def walk(url: str) -> list[int]:
        async with paged.AsyncClient(api_token=TOKEN, base_url=url) as client:
            first = await client.widgets.list(account_id="a")
            return [item.id async for item in first]

    with LiveServer() as server:
        _serve(server, answer)
        assert asyncio.run(walk(server.url)) == [1, 2, 3]
        assert [_asked(r, "page") for r in server.requests] == [None, "2", "3"]


def test_a_result_that_is_not_a_list_is_a_typed_error(paged: ModuleType) -> None:
    with LiveServer() as server:
        server.enqueue(json_reply({"success": True, "errors": [], "messages": [], "result": {"id": 1}}))
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        with pytest.raises(paged.APIResponseValidationError):
            client.widgets.list(account_id="a")


def test_text_and_binary_downloads(paged: ModuleType) -> None:
    png = bytes(range(256))  # not UTF-8, not JSON
    with LiveServer() as server:
        server.enqueue(Reply(200, {"Content-Type": "text/csv"}, b"id,name\n1,a\n"))
        server.enqueue(Reply(200, {"Content-Type": "image/png"}, png))
        server.enqueue(json_reply({"success": False, "errors": [{"code": 1001, "message": "no"}]}, status=404))
        client = paged.Client(api_token=TOKEN, base_url=server.url)
        assert client.widgets.export(account_id="a", widget_id="w") == "id,name\n1,a\n"
        assert client.widgets.picture(account_id="a", widget_id="w") == png
        with pytest.raises(paged.NotFoundError):
            client.widgets.picture(account_id="a", widget_id="w")
        assert [r.url_path for r in server.requests] == [
            "/accounts/a/widgets/w/export",
            *["/accounts/a/widgets/w/picture"] * 2,
        ]


def test_report_and_api_md_show_the_page_a_paginated_method_returns(paged: ModuleType) -> None:
    out = Path(str(paged.__file__)).parents[2]
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    listed = [entry for entry in report["operations"] if entry["call"].endswith(".list")]
    assert listed
    for entry in listed:
        assert entry["returns"].startswith("SyncPage["), entry
        assert f"| `{entry['returns']}` |" in (out / "api.md").read_text(encoding="utf-8")
