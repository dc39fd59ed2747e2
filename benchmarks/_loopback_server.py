"""A minimal keep-alive HTTP/1.1 server for the call benchmark: every request gets the same canned answer.

Runs in its own process (so its CPU time is not the client's), prints its port on stdout,
and serves until its stdin closes.  asyncio keeps the per-request cost small and steady.
"""

from __future__ import annotations

import asyncio
import sys

from _payload import BODY, RESPONSE_HEADERS

_HEADERS = "".join(f"{name}: {value}\r\n" for name, value in RESPONSE_HEADERS.items())
RESPONSE = f"HTTP/1.1 200 OK\r\n{_HEADERS}Content-Length: {len(BODY)}\r\n\r\n".encode() + BODY


class _Exchange(asyncio.Protocol):
    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            length = 0
            for line in self.buffer[:end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            total = end + 4 + length
            if len(self.buffer) < total:
                return
            self.buffer = self.buffer[total:]
            assert self.transport is not None
            self.transport.write(RESPONSE)


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Exchange, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    await loop.run_in_executor(None, sys.stdin.read)  # until the benchmark closes our stdin
    server.close()


if __name__ == "__main__":
    asyncio.run(_serve())
