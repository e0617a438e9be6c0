"""Each ETag check detects its fault, passes on scim2-server and skips without etag support."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.report.model import Result

# check id -> the fault (tests/unit/conformance/faulty.py) that check must detect.
CHECK_FAULTS: dict[str, str] = {
    "etag.changes-on-update": "etag-constant",
    "etag.header": "etag-header-dropped",
    "etag.if-match-current": "if-match-always-412",
    "etag.if-match-mismatch": "ignore-if-match",
    "etag.if-none-match": "ignore-if-none-match",
    "etag.meta-version": "etag-meta-version-differs",
}


@pytest.mark.parametrize("check_id", sorted(CHECK_FAULTS))
def test_check_skips_without_etag_support(
    check_id: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """etag.supported false: nothing to verify, every ETag check skips."""
    result = run_check(check_id, faulty_server({"etag-unadvertised"}))
    assert result.status == "skip", result.message
