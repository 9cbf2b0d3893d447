"""botocore's one entry point for every AWS call of every client (`BaseClient._make_api_call`),
wrapped by the tools that watch calls: local/iam.py's guard, tests/aws_calls.py's recorder.

botocore copies event hooks into a client when it makes it, and tremplin.data keeps clients of
its own, so the entry point itself is wrapped, once per purpose whatever the order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.client import BaseClient

ApiCall = Callable[[BaseClient, str, dict[str, Any]], Any]


def wrap(purpose: str, around: Callable[[ApiCall], ApiCall]) -> None:
    """Puts `around(the current entry point)` in its place, unless a wrapper for `purpose` is
    already in the chain (under others' wrappers too: each keeps the one it wraps as __wrapped__)."""
    original: ApiCall = getattr(BaseClient, "_make_api_call")  # noqa: B009 (not in the type stubs)
    link: Any = original
    while link is not None:
        if getattr(link, "_wraps_for", None) == purpose:
            return
        link = getattr(link, "__wrapped__", None)
    wrapper: Any = around(original)
    wrapper._wraps_for, wrapper.__wrapped__ = purpose, original
    setattr(BaseClient, "_make_api_call", wrapper)  # noqa: B010 (mypy: no assigning to a method)
