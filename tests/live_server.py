"""A real, scriptable HTTP/1.1 server on 127.0.0.1 for end-to-end client tests.

Each test scripts the answers, either as a queue of :class:`Reply` (``server.enqueue``)
or as a callable (``server.handler = lambda request: Reply(...)``), and reads back every
request the server received (``server.requests``).  A reply can also sleep before it is
sent or break the connection (close, reset, truncated body) for fault-injection tests.

    with LiveServer() as server:
        server.enqueue(json_reply({"success": True, "result": {}}))
        httpx.post(server.url + "/x")
        assert server.requests[0].method == "POST"
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Literal, Self
from urllib.parse import parse_qs, urlsplit

__all__ = [
    "CaseInsensitiveHeaders",
    "FormPart",
    "LiveServer",
    "RecordedRequest",
    "Reply",
    "json_reply",
]

Abort = Literal["close", "reset", "truncate", "reset-mid-body", "disconnect"]


class CaseInsensitiveHeaders(Mapping[str, str]):
    """Received headers; lookup ignores case, repeated headers are joined with ``, ``."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self._values: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            previous = self._values.get(key)
            self._values[key] = value if previous is None else f"{previous}, {value}"

    def __getitem__(self, name: str) -> str:
        return self._values[name.lower()]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"CaseInsensitiveHeaders({self._values!r})"


@dataclass(frozen=True)
class FormPart:
    """One part of a ``multipart/form-data`` body, as a server's parser sees it."""

    name: str | None
    filename: str | None
    content_type: str | None  # the part's Content-Type header as sent, None when absent
    data: bytes


@dataclass(frozen=True)
class RecordedRequest:
    """One request as it arrived: ``path`` is the raw request target, query included."""

    method: str
    path: str
    headers: CaseInsensitiveHeaders
    body: bytes

    @property
    def url_path(self) -> str:
        """The raw path without the query string (percent-escapes kept as sent)."""
        return urlsplit(self.path).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    def json(self) -> object:
        return json.loads(self.body)

    def form_parts(self) -> list[FormPart]:
        """The parts of a multipart body, parsed by the standard library's MIME parser (boundary from the header)."""
        head = f"Content-Type: {self.headers['content-type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        if not message.is_multipart():
            msg = f"not a multipart body: {self.headers['content-type']!r}"
            raise ValueError(msg)
        parts = []
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            parts.append(
                FormPart(
                    name=part.get_param("name", header="content-disposition"),  # type: ignore[arg-type]
                    filename=part.get_filename(),
                    content_type=part.get("content-type"),
                    data=payload if isinstance(payload, bytes) else b"",
                )
            )
        return parts


@dataclass
class Reply:
    """What the server does with one request.

    ``delay`` seconds are slept first (cut short when the server stops).  ``abort``
    breaks the exchange instead of answering normally: ``"close"`` closes the connection
    without a response, ``"reset"`` sends a TCP RST, ``"truncate"`` announces the full
    ``Content-Length`` but sends half of the body, then closes; ``"reset-mid-body"`` does
    the same but ends with a TCP RST.

    ``chunks`` replaces ``body`` by a chunked body whose chunks are written (and flushed) one by one,
    ``chunk_pause`` seconds apart, so that the client reads them separately; ``"disconnect"`` then
    closes the connection without the last chunk (a server gone mid-stream).
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    abort: Abort | None = None
    chunks: tuple[bytes, ...] = ()
    chunk_pause: float = 0.0


def json_reply(payload: object, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
    return Reply(
        status=status,
        headers={"Content-Type": "application/json", **(headers or {})},
        body=json.dumps(payload).encode(),
    )


Handler = Callable[[RecordedRequest], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    live: LiveServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that time out or go away mid-answer are expected here: stay quiet.
        del request, client_address


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10  # an idle keep-alive connection does not outlive a test run

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        del format, args

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def setup(self) -> None:
        super().setup()
        # No Nagle: a reply's headers and body are separate writes; without this, each
        # exchange on a keep-alive connection can stall ~40 ms on the peer's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _handle(self) -> None:
        live = self.server.live
        live.track(self.connection)
        recorded = RecordedRequest(
            method=self.command,
            path=self.path,
            headers=CaseInsensitiveHeaders(list(self.headers.items())),
            body=self._read_body(),
        )
        reply = live.record_and_decide(recorded)
        if reply.delay and live.stopping.wait(reply.delay):
            self.close_connection = True
            return
        if reply.abort in ("close", "reset"):
            if reply.abort == "reset":
                self._reset()
            self.close_connection = True
            return
        self.send_response(reply.status)
        if reply.chunks:
            self._send_chunks(reply)
            return
        names = {name.lower() for name in reply.headers}
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if "content-length" not in names:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.abort in ("truncate", "reset-mid-body"):
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            if reply.abort == "reset-mid-body":
                self._reset()
            self.close_connection = True
            return
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        if reply.headers.get("Connection", "").lower() == "close":
            self.close_connection = True

    def _send_chunks(self, reply: Reply) -> None:
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        for chunk in reply.chunks:
            if self.server.live.stopping.wait(reply.chunk_pause):
                break
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.flush()
        if reply.abort == "disconnect":
            self.close_connection = True
            return
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _reset(self) -> None:
        linger = struct.pack("ii", 1, 0)
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        self.connection.close()  # now, before socketserver's polite SHUT_WR

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _handle  # noqa: N815


class LiveServer:
    """The server, started on ``__enter__`` and stopped (connections closed) on ``__exit__``."""

    def __init__(self, handler: Handler | None = None, port: int = 0) -> None:
        self.handler = handler
        self.stopping = threading.Event()
        self._replies: deque[Reply] = deque()
        self._requests: list[RecordedRequest] = []
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._httpd = _Server(("127.0.0.1", port), _RequestHandler)
        self._httpd.live = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="live-server",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def enqueue(self, *replies: Reply) -> None:
        """Answer the next requests with these replies, in order (before ``handler``)."""
        with self._lock:
            self._replies.extend(replies)

    def track(self, connection: socket.socket) -> None:
        with self._lock:
            if connection not in self._connections:
                self._connections.append(connection)

    @property
    def connections(self) -> int:
        """How many TCP connections the server has accepted so far."""
        with self._lock:
            return len(self._connections)

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """Block until ``count`` requests have arrived (or ``timeout`` passed); return them all."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self._requests) >= count, timeout=timeout)
            return list(self._requests)

    def record_and_decide(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
            self._arrived.notify_all()
            queued = self._replies.popleft() if self._replies else None
        if queued is not None:
            return queued
        if self.handler is not None:
            return self.handler(request)
        return Reply(status=599, body=b"live_server: no reply scripted")

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._thread.is_alive():  # shutdown() would wait forever for a loop that never ran
            self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
