"""A check registered for one test only, for the registry and runner tests of both rooms."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from conformance.context import CheckContext
from conformance.registry import REGISTRY, CheckSpec, check


@contextmanager
def temporary_check(
    check_id: str, func: Callable[[CheckContext], None], **kw: object
) -> Iterator[CheckSpec]:
    """Register a check for one test only (the meta-test must not see it)."""
    options = {"title": "temporary", "rfc": "RFC 7644 §3", "level": "MUST", **kw}
    check(check_id, **options)(func)
    try:
        yield REGISTRY[check_id]
    finally:
        REGISTRY.pop(check_id, None)
