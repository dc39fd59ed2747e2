"""The compile check of each module as soon as it is written, in another process, while the client renders.

Compiling every generated module (:func:`clientgen.project._compile_all`) is the last line of defence against
a template or the model generator writing code that does not compile (``'return' outside function``,
a bad escape in a literal: what ruff's parser lets through).  Done after ruff, it was on the critical
path of a cold generation (1.1 s of CPU for Cloudflare's 1,800 files, ~0.6 s of wall time in two
processes); the second core is free while this process renders, so the modules are compiled there as they
are written.  Ruff then only removes unused imports, sorts them and formats: what compiled before it
compiles after it.  :meth:`CompileStream.checked` gives the digest of each checked module's final text,
so the last check compiles only what changed since (a module written after the stream, or that failed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Self

from clientgen.limits import MAX_TOOL_SECONDS

__all__ = ["CompileStream", "digest"]

# One JSON file name a line; at the end of its input, prints those that did not compile (JSON): printing
# only then, it never waits on a full pipe while this process still writes names.
_COMPILE_EACH = """
import json, sys
failed = []
for line in sys.stdin:
    name = json.loads(line)
    try:
        with open(name, encoding="utf-8") as file:
            compile(file.read(), name, "exec", dont_inherit=True)
    except (SyntaxError, RecursionError, ValueError):
        failed.append(name)
print(json.dumps(failed))
"""


def digest(path: Path) -> bytes:
    """What identifies a module's text: checked once, a module is compiled again only if this changed."""
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()


class CompileStream:
    """A compiling process fed one written module at a time; use as a context manager (it ends with the block)."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-I", "-W", "ignore", "-c", _COMPILE_EACH],  # warnings: unseen, as in this process
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
        )  # fmt: skip
        self._sent: list[Path] = []
        self._failed: set[Path] | None = None
        self._lock = threading.Lock()  # the models are submitted from the thread that formats them

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def submit(self, path: Path) -> None:
        """Compile ``path``: written, and unchanged until :meth:`finish` (ruff may format it after that).

        Only Python modules are taken, and none after :meth:`finish` (the last check compiles those).
        """
        with self._lock:
            if path.suffix != ".py" or self._failed is not None:
                return
            assert self._process.stdin is not None  # a pipe (above)
            try:
                self._process.stdin.write(json.dumps(str(path)) + "\n")
            except OSError:  # the compiling process is gone: what it did not report is left for the last check
                self._failed = set(self._sent)
                return
            self._sent.append(path)

    def finish(self) -> None:
        """Wait until every submitted module is compiled; those that failed are left for the last check."""
        assert self._process.stdin is not None  # pipes (above)
        assert self._process.stdout is not None
        with self._lock:
            if self._failed is not None:  # finished, or the process is gone
                return
            self._failed = set()  # closed: later submissions are left for the last check
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        output = self._process.stdout.read()
        self._process.wait(timeout=MAX_TOOL_SECONDS)
        try:
            failed = json.loads(output) if self._process.returncode == 0 else None
        except json.JSONDecodeError:
            failed = None
        # the checker itself failed: nothing counts as checked
        self._failed = set(self._sent) if failed is None else {Path(name) for name in failed}

    def checked(self) -> dict[Path, bytes]:
        """Module -> digest of its text now, for each module that compiled (call after ruff, on the final text)."""
        if self._failed is None:
            self.finish()
        failed = self._failed or set()
        return {path: digest(path) for path in self._sent if path not in failed and path.is_file()}
