"""Each ETag check detects its fault, passes on scim2-server and skips without ETags.

Behaviour over claims: a server that sends ETags is judged on them even when its
ServiceProviderConfig says etag is unsupported (RFC 7232 §3.1 binds every origin server).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.report.model import Result

# check id -> the fault (tests/integration/conformance/faulty/) that check must detect.
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
    """etag.supported false and no ETag on resources: nothing to verify, every check skips."""
    result = run_check(check_id, faulty_server({"etag-unadvertised", "etag-header-dropped"}))
    assert result.status == "skip", result.message
    assert "etag is not advertised" in result.message


def test_etags_sent_without_the_claim_are_still_judged(
    faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """ETags served although etag.supported is false: a stale If-Match must still get 412."""
    honest = run_check("etag.if-match-mismatch", faulty_server({"etag-unadvertised"}))
    assert honest.status == "pass", honest.message
    broken = run_check(
        "etag.if-match-mismatch", faulty_server({"etag-unadvertised", "ignore-if-match"})
    )
    assert broken.status == "fail", broken.message
    assert "expected 412" in broken.message
