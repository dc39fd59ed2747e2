"""Conformance: every operation called through the generated client against Prism, the mock server.

``make conformance [SPEC=...]`` (see :mod:`clientgen.conformance.__main__`): Prism validates each
request against the description and answers with its examples, so a run shows, per operation,
whether the client's request is accepted and whether the response reaches the caller.
"""

from __future__ import annotations

__all__: list[str] = []
