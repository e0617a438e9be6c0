"""Each POST /.search check detects its fault, passes on scim2-server, skips on 501."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.report.model import Result

# check id -> the fault (tests/integration/conformance/faulty/) that check must detect.
CHECK_FAULTS: dict[str, str] = {
    "search.paging": "search-count-ignored",
    "search.resource-endpoint": "search-filter-ignored",
    "search.root": "search-filter-ignored",
}


def test_projection_fault_is_detected(
    faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """attributes in the SearchRequest body must be honoured, not only the filter."""
    result = run_check("search.resource-endpoint", faulty_server({"search-attributes-ignored"}))
    assert result.status == "fail", result.message


@pytest.mark.parametrize(
    ("fault", "expected"), [("search-not-implemented", "skip"), ("search-not-found", "skip")]
)
def test_declined_search(
    fault: str, expected: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """POST /.search is a client MAY (RFC 7644 §3.4.3): 501 and 404 both say "not offered"."""
    result = run_check("search.root", faulty_server({fault}))
    assert result.status == expected, result.message
