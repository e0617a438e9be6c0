"""Each Bulk check detects its fault, passes on scim2-server and skips when Bulk is declined."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.report.model import Result

# check id -> the fault (tests/integration/conformance/faulty/) that check must detect.
CHECK_FAULTS: dict[str, str] = {
    "bulk.bulk-id-reference": "bulk-id-unresolved",
    "bulk.continues-after-error": "bulk-stops-at-first-error",
    "bulk.fail-on-errors": "bulk-fail-on-errors-ignored",
    "bulk.forward-reference": "bulk-no-forward-references",
    "bulk.max-operations": "bulk-max-operations-unenforced",
    "bulk.max-payload-size": "bulk-max-payload-unenforced",
    "bulk.response-format": "bulk-results-without-location",
    "bulk.forward-reference.created-once": "bulk-forward-reference-duplicates",
}


@pytest.mark.parametrize("check_id", sorted(CHECK_FAULTS))
def test_check_skips_when_bulk_is_declined(
    check_id: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """Bulk not advertised and POST /Bulk answered 501: every Bulk check skips."""
    result = run_check(check_id, faulty_server({"bulk-unadvertised-501"}))
    assert result.status == "skip", result.message


def test_bulk_cleanup_leaves_nothing_behind(
    faulty_server: Callable[..., str], run_checks: Callable[..., object]
) -> None:
    """Resources created inside bulk requests are deleted when the checks end."""
    report = run_checks(sorted(CHECK_FAULTS), faulty_server())
    assert report.safety["leftovers"] == [], report.safety
    assert report.safety["unchanged"], report.safety


def test_a_group_created_twice_by_a_forward_reference_is_caught(
    faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """The Group carrying the forward reference is counted too, not only the referenced User."""
    result = run_check(
        "bulk.forward-reference.created-once",
        faulty_server({"bulk-forward-reference-group-twice"}),
    )
    assert result.status == "fail", result.message
    assert "/Groups with displayName" in result.message
