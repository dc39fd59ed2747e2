"""Prism (``@stainless-api/prism-cli``, pinned in ``tools/prism``) as a mock server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["running_prism"]

_READY = "Prism is listening"
_START_SECONDS = 600  # the full Cloudflare description takes about a minute (and ~850 MB) to load


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def running_prism(prism: Path, spec: Path, log: Path) -> Iterator[str]:
    """The base URL of ``prism mock`` serving ``spec``; stopped (and its log kept) on exit."""
    port = _free_port()
    command = [str(prism), "mock", "--host", "127.0.0.1", "--port", str(port), str(spec)]
    ready = threading.Event()
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603

        def copy() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                sink.write(line)
                if _READY in line:
                    ready.set()

        reader = threading.Thread(target=copy, daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + _START_SECONDS
            while not ready.wait(1.0):
                if process.poll() is not None or time.monotonic() > deadline:
                    msg = f"prism did not start (exit {process.poll()}); see {log}"
                    raise RuntimeError(msg)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            reader.join(timeout=5)
