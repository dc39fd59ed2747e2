"""Releasing the generated package: ``make dist`` and ``make publish``.

``build`` turns the generated folder into a reproducible sdist and wheel and runs
``twine check``; ``smoke`` installs the wheel into a fresh virtualenv and calls one method
against a server on 127.0.0.1; ``index`` asks the target repository whether the version is
already there; ``publish`` puts the checks in order and uploads with twine.  Every refusal
is a :class:`ReleaseError`: one line, and a non-zero exit from ``python -m clientgen.release``.
"""

from __future__ import annotations

__all__ = ["ReleaseError"]


class ReleaseError(Exception):
    """A release step refused or failed; the message is one line saying what to do."""
