"""Request bodies against a real server on 127.0.0.1: multipart uploads, raw bytes, text and NDJSON arrive byte-exact.

A small API with one operation per kind of body is generated into a temporary package (``bodies_client``) by the
same pipeline as the real one.  The server parses multipart bodies with the standard library's MIME parser.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from clientgen.layout import REPORT_FILE
from clientgen.project import write_tree
from envelopes import success_envelope
from live_server import FormPart, LiveServer, Reply, json_reply

TOKEN = "test-token"  # noqa: S105 - a dummy credential for a local server
ACCOUNT = {"in": "path", "name": "account_id", "required": True, "schema": {"type": "string"}}
BINARY = {"type": "string", "format": "binary"}
# Every byte value, CR LF pairs and a fake boundary line: what a multipart parser or a text mode would damage.
PAYLOAD = bytes(range(256)) + b"\r\n--not-a-boundary\r\n\r\n" + bytes(range(255, -1, -1))


def _operation(operation_id: str, body: dict[str, Any] | None) -> dict[str, Any]:
    envelope = success_envelope({"type": "object", "properties": {"id": {"type": "string"}}})
    op: dict[str, Any] = {
        "operationId": operation_id,
        "parameters": [ACCOUNT],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": envelope}}}},
    }
    if body is not None:
        op["requestBody"] = body
    return op


UPLOAD_FORM = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": BINARY,
        "name": {"type": "string", "description": "A short name."},
        "count": {"type": "integer"},
        "enabled": {"type": "boolean"},
        "metadata": {"type": "object", "description": "JSON encoded metadata."},
        "tags": {"type": "array", "items": {"type": "string"}},
        "attachments": {"type": "array", "items": BINARY},
        "document": {"type": "string", "description": "The file to upload."},
        "<any part name>": {"type": "array", "items": BINARY, "description": "Modules, by part name."},
    },
}
WORKER_FORM = {
    "oneOf": [
        {"type": "object", "properties": {"<any part name>": {"type": "array", "items": BINARY}, "metadata": {}}},
        {"type": "object", "properties": {"message": {"type": "string"}}},
    ]
}
SCRIPT = {"type": "string"}
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Bodies API", "version": "1"},
    "paths": {
        "/accounts/{account_id}/uploads": {
            "post": _operation(
                "uploads-create", {"required": True, "content": {"multipart/form-data": {"schema": UPLOAD_FORM}}}
            )
        },
        "/accounts/{account_id}/forms": {
            "post": _operation(
                "forms-create",
                {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"n": SCRIPT}}}}},
            )
        },
        "/accounts/{account_id}/blobs": {
            "put": _operation(
                "blobs-update", {"required": True, "content": {"application/octet-stream": {"schema": BINARY}}}
            )
        },
        "/accounts/{account_id}/scripts": {
            "put": _operation(
                "scripts-update", {"required": True, "content": {"application/javascript": {"schema": SCRIPT}}}
            )
        },
        "/accounts/{account_id}/vectors": {
            "post": _operation(
                "vectors-create", {"required": True, "content": {"application/x-ndjson": {"schema": BINARY}}}
            )
        },
        "/accounts/{account_id}/choices": {
            "post": _operation(
                "choices-create",
                {
                    "required": True,
                    "content": {
                        "multipart/form-data": {"schema": {"type": "object", "properties": {"file": BINARY}}},
                        "application/json": {"schema": {"type": "object", "properties": {"x": {"type": "integer"}}}},
                    },
                },
            )
        },
        "/accounts/{account_id}/workers": {
            "put": _operation(
                "workers-update",
                {
                    "required": True,
                    "content": {
                        "application/javascript": {"schema": SCRIPT},
                        "multipart/form-data": {"schema": WORKER_FORM},
                        "text/javascript": {"schema": SCRIPT},
                    },
                },
            )
        },
        "/accounts/{account_id}/notes": {
            "post": _operation("notes-create", {"required": True, "content": {"undefined": {"schema": SCRIPT}}})
        },
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, Path]]:
    root = tmp_path_factory.mktemp("bodies")
    (root / "spec.json").write_text(json.dumps(SPEC), encoding="utf-8")
    (root / "config.toml").write_text('[package]\nimport_name = "bodies_client"\ndistribution = "bodies"\n')
    write_tree(root / "spec.json", root / "config.toml", root / "out")
    sys.path.insert(0, str(root / "out" / "src"))
    try:
        yield importlib.import_module("bodies_client"), root / "out"
    finally:
        sys.path.remove(str(root / "out" / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == "bodies_client"]:
            del sys.modules[name]


@pytest.fixture
def bodies(generated: tuple[ModuleType, Path]) -> ModuleType:
    return generated[0]


@pytest.fixture
def live() -> Iterator[LiveServer]:
    with LiveServer(handler=lambda _: _ok()) as server:
        yield server


@pytest.fixture(autouse=True)
def instant_retries(monkeypatch: pytest.MonkeyPatch, generated: tuple[ModuleType, Path]) -> None:
    base = importlib.import_module("bodies_client._base_client")
    del generated

    async def no_wait(_: float) -> None:
        return None

    monkeypatch.setattr(base, "sleep", lambda _: None)
    monkeypatch.setattr(base, "async_sleep", no_wait)


def _ok() -> Reply:
    return json_reply({"success": True, "errors": [], "messages": [], "result": {"id": "1"}})


def _busy() -> Reply:
    return json_reply({"success": False, "errors": [{"code": 1, "message": "busy"}], "messages": []}, status=503)


def _part(parts: list[FormPart], name: str) -> FormPart:
    found = [part for part in parts if part.name == name]
    assert len(found) == 1, f"{name!r}: {found}"
    return found[0]


class _Pipe(io.RawIOBase):
    """A binary file object that cannot seek (like a pipe), reading ``data`` once."""

    def __init__(self, data: bytes) -> None:
        self._rest = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), len(self._rest))
        buffer[:size], self._rest = self._rest[:size], self._rest[size:]
        return size


# --- multipart ---------------------------------------------------------------------------


def test_multipart_fields_files_json_and_named_parts(bodies: ModuleType, live: LiveServer, tmp_path: Path) -> None:
    document = tmp_path / "zone.txt"
    document.write_bytes(b"example.com. 300 IN A 192.0.2.1\n")
    attachment = io.BytesIO(PAYLOAD)
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        result = client.uploads.create(
            account_id="acc",
            file=("photo.png", PAYLOAD, "image/png"),
            name="déjà vu",
            count=3,
            enabled=False,
            metadata={"main_module": "worker.js", "n": [1, 2]},
            tags=["a", "b"],
            attachments=[attachment, b"second", ("third.bin", tmp_path / "zone.txt")],
            document=document,
            parts={"worker.js": ("worker.js", b"export default {}", "application/javascript+module")},
        )
    assert result.id == "1"
    (request,) = live.requests
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = request.form_parts()
    assert [part.name for part in parts] == [
        "name", "count", "enabled", "metadata", "tags", "file", "attachments", "attachments", "attachments",
        "document", "worker.js",
    ]  # fmt: skip
    plain = {part.name: (part.filename, part.content_type, part.data) for part in parts[:3]}
    assert plain == {
        "name": (None, None, "déjà vu".encode()),
        "count": (None, None, b"3"),
        "enabled": (None, None, b"false"),
    }
    metadata, tags = _part(parts, "metadata"), _part(parts, "tags")
    assert (metadata.filename, metadata.content_type) == (None, "application/json")
    assert json.loads(metadata.data) == {"main_module": "worker.js", "n": [1, 2]}
    assert json.loads(tags.data) == ["a", "b"]
    file = _part(parts, "file")
    assert (file.filename, file.content_type, file.data) == ("photo.png", "image/png", PAYLOAD)
    first, second, third = (part for part in parts if part.name == "attachments")
    assert (first.filename, first.content_type, first.data) == ("attachments", "application/octet-stream", PAYLOAD)
    assert (second.filename, second.data) == ("attachments", b"second")
    assert (third.filename, third.data) == ("third.bin", document.read_bytes())
    sent_document = _part(parts, "document")
    assert (sent_document.filename, sent_document.content_type) == ("zone.txt", "text/plain")
    assert sent_document.data == document.read_bytes()
    module = _part(parts, "worker.js")
    assert (module.filename, module.content_type, module.data) == (
        "worker.js",
        "application/javascript+module",
        b"export default {}",
    )
    assert int(request.headers["content-length"]) == len(request.body)


def test_multipart_file_object_name_and_text_for_a_file_part(
    bodies: ModuleType, live: LiveServer, tmp_path: Path
) -> None:
    source = tmp_path / "bind.conf"
    source.write_bytes(PAYLOAD)
    with source.open("rb") as handle, bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        handle.read(10)  # file objects are sent from the start
        client.uploads.create(account_id="acc", file=handle, document="plain text, not a file")
    parts = live.requests[0].form_parts()
    assert [part.name for part in parts] == ["file", "document"]
    assert (parts[0].filename, parts[0].data) == ("bind.conf", PAYLOAD)
    assert (parts[1].filename, parts[1].content_type, parts[1].data) == (None, None, b"plain text, not a file")


def test_multipart_with_nothing_given_is_an_empty_form(bodies: ModuleType, live: LiveServer) -> None:
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.forms.create(account_id="acc")
        client.forms.create(account_id="acc", n="x", extra_body={"extra": True})
    empty, given = live.requests
    assert empty.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert empty.body.endswith(b"--\r\n")
    assert [(part.name, part.data) for part in given.form_parts()] == [("n", b"x"), ("extra", b"true")]


def test_multipart_closes_the_files_it_opened(bodies: ModuleType, live: LiveServer, tmp_path: Path) -> None:
    descriptors = Path("/proc/self/fd")
    if not descriptors.is_dir():
        pytest.skip("needs /proc to list open files")
    path = tmp_path / "closed.bin"
    path.write_bytes(b"data")

    def open_copies() -> int:
        return sum(1 for fd in descriptors.iterdir() if _points_to(fd, path))

    live.handler = lambda _: Reply(status=404, body=b"missing")
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        with pytest.raises(bodies.NotFoundError):
            client.uploads.create(account_id="acc", file=path)
        with pytest.raises(TypeError, match="file part 'attachments'"):
            client.uploads.create(account_id="acc", file=path, attachments=[path, 42])
        assert open_copies() == 0
    assert len(live.requests) == 1


def _points_to(fd: Path, path: Path) -> bool:
    try:
        return fd.readlink() == path
    except OSError:
        return False


def test_multipart_retry_sends_the_same_parts(bodies: ModuleType, live: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "retry.bin"
    path.write_bytes(PAYLOAD)
    live.enqueue(_busy(), _ok())
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.uploads.create(account_id="acc", file=path, attachments=[io.BytesIO(b"seekable")])
    first, second = live.requests
    assert first.body == second.body
    assert [(p.name, p.data) for p in second.form_parts()] == [("file", PAYLOAD), ("attachments", b"seekable")]


def test_multipart_with_a_file_that_cannot_seek_is_not_retried(bodies: ModuleType, live: LiveServer) -> None:
    live.enqueue(_busy(), _ok())
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client, pytest.raises(bodies.APIStatusError) as error:
        client.uploads.create(account_id="acc", file=_Pipe(PAYLOAD))
    assert error.value.status_code == 503
    (request,) = live.requests
    assert "chunked" in request.headers["transfer-encoding"]
    assert _part(request.form_parts(), "file").data == PAYLOAD


# --- raw, text and NDJSON bodies ---------------------------------------------------------


@pytest.mark.parametrize("given", ["bytes", "path", "file object", "pipe"])
def test_octet_stream_arrives_byte_exact(bodies: ModuleType, live: LiveServer, tmp_path: Path, given: str) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(PAYLOAD * 50)  # several 64 KiB chunks' worth is not needed; a few chunks of any size are
    sources: dict[str, object] = {
        "bytes": PAYLOAD * 50,
        "path": path,
        "file object": io.BytesIO(PAYLOAD * 50),
        "pipe": _Pipe(PAYLOAD * 50),
    }
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.blobs.update(account_id="acc", body=sources[given])
    (request,) = live.requests
    assert request.body == PAYLOAD * 50
    assert request.headers["content-type"] == "application/octet-stream"
    if given == "pipe":
        assert "chunked" in request.headers["transfer-encoding"]
    else:
        assert int(request.headers["content-length"]) == len(PAYLOAD) * 50


def test_octet_stream_streams_a_large_file_in_chunks(bodies: ModuleType, live: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "large.bin"
    path.write_bytes(os.urandom(300_000))
    reads: list[int] = []

    class Counting(io.FileIO):
        def read(self, size: int = -1) -> bytes:
            reads.append(size)
            return super().read(size)

    with Counting(path, "rb") as handle, bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.blobs.update(account_id="acc", body=handle)
    assert live.requests[0].body == path.read_bytes()
    assert reads, "the file was not read through read()"
    assert all(0 < size <= 64 * 1024 for size in reads), reads  # never read whole


@pytest.mark.parametrize("given", ["path", "file object"])
def test_octet_stream_retry_resends_the_whole_body(
    bodies: ModuleType, live: LiveServer, tmp_path: Path, given: str
) -> None:
    path = tmp_path / "again.bin"
    path.write_bytes(PAYLOAD)
    live.enqueue(_busy(), _busy(), _ok())
    with path.open("rb") as handle, bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.blobs.update(account_id="acc", body=path if given == "path" else handle)
    assert [request.body for request in live.requests] == [PAYLOAD] * 3


def test_octet_stream_from_a_pipe_is_not_retried(bodies: ModuleType, live: LiveServer) -> None:
    live.enqueue(_busy(), _ok())
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client, pytest.raises(bodies.APIStatusError):
        client.blobs.update(account_id="acc", body=_Pipe(PAYLOAD))
    assert [request.body for request in live.requests] == [PAYLOAD]


def test_octet_stream_from_a_pipe_is_retried_when_never_sent(
    bodies: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LiveServer() as stopped:
        url = stopped.url  # nothing listens there once the server is stopped: every connect fails
    waits: list[float] = []
    monkeypatch.setattr(importlib.import_module("bodies_client._base_client"), "sleep", waits.append)
    with bodies.Client(api_token=TOKEN, base_url=url) as client, pytest.raises(bodies.APIConnectionError) as error:
        client.blobs.update(account_id="acc", body=_Pipe(PAYLOAD))
    assert len(waits) == 2
    assert error.value.attempts == 3


def test_text_body_is_utf8_with_its_media_type(bodies: ModuleType, live: LiveServer) -> None:
    script = "addEventListener('fetch', e => e.respondWith(new Response('héllo ✓')))\r\n"
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.scripts.update(account_id="acc", body=script)
    (request,) = live.requests
    assert request.body == script.encode()
    assert request.headers["content-type"] == "application/javascript"


def test_ndjson_from_objects_text_and_files(bodies: ModuleType, live: LiveServer, tmp_path: Path) -> None:
    vectors = [{"id": "a", "values": [0.5, 1]}, {"id": "b", "values": []}]
    path = tmp_path / "vectors.ndjson"
    path.write_bytes(b'{"id":"c"}\n')
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.vectors.create(account_id="acc", body=vectors)
        client.vectors.create(account_id="acc", body=iter(vectors))
        client.vectors.create(account_id="acc", body='{"id":"t"}\n')
        client.vectors.create(account_id="acc", body=path)
        with pytest.raises(TypeError, match="objects, not int"):
            client.vectors.create(account_id="acc", body=[1, 2])
    listed, iterated, text, file = live.requests
    assert listed.body == iterated.body == b'{"id":"a","values":[0.5,1]}\n{"id":"b","values":[]}\n'
    assert [json.loads(line) for line in listed.body.splitlines()] == vectors
    assert (text.body, file.body) == (b'{"id":"t"}\n', b'{"id":"c"}\n')
    assert {request.headers["content-type"] for request in live.requests} == {"application/x-ndjson"}


def test_extra_body_is_refused_for_raw_bodies(bodies: ModuleType, live: LiveServer) -> None:
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client, pytest.raises(TypeError, match="extra_body"):
        client.blobs.update(account_id="acc", body=b"x", extra_body={"a": 1})
    assert live.requests == []


def test_async_client_streams_paths_and_forms(bodies: ModuleType, live: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "async.bin"
    path.write_bytes(PAYLOAD)

    async def main() -> None:
        async with bodies.AsyncClient(api_token=TOKEN, base_url=live.url) as client:
            await client.blobs.update(account_id="acc", body=path)
            await client.uploads.create(account_id="acc", file=path, name="n")

    asyncio.run(main())
    blob, form = live.requests
    assert blob.body == PAYLOAD
    assert [(part.name, part.data) for part in form.form_parts()] == [("name", b"n"), ("file", PAYLOAD)]


# --- what the generator decided ----------------------------------------------------------


def _arguments(method: Any) -> list[str]:
    return [
        name
        for name, parameter in inspect.signature(method).parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY and not name.startswith(("extra_", "timeout", "max_"))
        and name != "retry_non_idempotent"
    ]  # fmt: skip


def test_media_type_choices_are_reported(bodies: ModuleType, generated: tuple[ModuleType, Path]) -> None:
    client = bodies.Client(api_token=TOKEN)
    assert _arguments(client.choices.create) == ["account_id", "x", "body"]  # JSON preferred over multipart
    assert _arguments(client.workers.update) == ["account_id", "parts", "metadata", "message"]  # multipart over JS
    assert _arguments(client.notes.create) == ["account_id", "body"]
    report = json.loads((generated[1] / REPORT_FILE).read_text(encoding="utf-8"))
    messages = {(entry["code"], entry["pointer"]): entry["message"] for entry in report["diagnostics"]}
    workers = "/paths/~1accounts~1{account_id}~1workers/put/requestBody"
    assert "the method sends multipart/form-data" in messages["body-media", workers]
    notes = "/paths/~1accounts~1{account_id}~1notes/post/requestBody/content/undefined"
    assert "read as text/plain" in messages["media-type", notes]
    assert (
        "'file': file (format: binary)"
        in messages[
            "multipart-parts", "/paths/~1accounts~1{account_id}~1uploads/post/requestBody/content/multipart~1form-data"
        ]
    )
    api_md = (generated[1] / "api.md").read_text(encoding="utf-8")
    assert "multipart/form-data" in api_md
    assert "application/x-ndjson" in api_md


def test_bogus_media_key_is_sent_as_text(bodies: ModuleType, live: LiveServer) -> None:
    with bodies.Client(api_token=TOKEN, base_url=live.url) as client:
        client.notes.create(account_id="acc", body="note")
        client.choices.create(account_id="acc", body={"x": 1})
    notes, choices = live.requests
    assert (notes.body, notes.headers["content-type"]) == (b"note", "text/plain")
    assert (choices.json(), choices.headers["content-type"]) == ({"x": 1}, "application/json")


USER_SCRIPT = """
import io
from pathlib import Path

from bodies_client import Client

client = Client(api_token="t")
with Path("x.bin").open("rb") as handle:
    client.uploads.create(
        account_id="a",
        file=handle,
        attachments=[io.BytesIO(b"x"), Path("p"), b"raw", ("n.bin", handle, "application/octet-stream"), (None, b"x")],
        document="text",
        parts={"worker.js": ("worker.js", b"", "application/javascript+module")},
        metadata={"a": 1},
        tags=["x"],
        count=1,
        enabled=True,
    )
    client.blobs.update(account_id="a", body=handle)
    client.blobs.update(account_id="a", body=Path("p"))
    client.vectors.create(account_id="a", body=[{"id": "x"}])
    client.vectors.create(account_id="a", body="{}\\n")
    client.scripts.update(account_id="a", body="js")
    client.blobs.update(account_id="a", body="not bytes")
    client.uploads.create(account_id="a", file="a str is not a file")
"""


def test_body_arguments_type_check(generated: tuple[ModuleType, Path], tmp_path: Path, mypy_cache: Path) -> None:
    script = tmp_path / "user.py"
    script.write_text(USER_SCRIPT, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(mypy_cache), str(script)]
    env = {**os.environ, "MYPYPATH": str(generated[1] / "src")}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    errors = [line.split(": error: ")[1] for line in result.stdout.splitlines() if ": error: " in line]
    content = "bytes | IO[bytes] | PathLike[str]"
    assert errors == [
        f'Argument "body" to "update" of "BlobsResource" has incompatible type "str"; expected "{content}"  [arg-type]',
        (
            f'Argument "file" to "create" of "UploadsResource" has incompatible type "str"; expected "{content} | '
            f'tuple[str | None, {content}] | tuple[str | None, {content}, str | None]"  [arg-type]'
        ),
    ], result.stdout
