"""Each filter, sort, paging and attribute-projection check detects its fault."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.registry import all_checks
from conformance.report.model import Report, Result

# check id -> the fault (tests/integration/conformance/faulty/) that check must detect.
CHECK_FAULTS: dict[str, str] = {
    "query.attributes.exclude": "ignore-excluded-attributes",
    "query.attributes.exclude-always": "excluded-attributes-remove-id",
    "query.attributes.include": "ignore-attributes",
    "query.attributes.password-never-listed": "password-in-lists",
    "query.filter.and": "filter-and-as-or",
    "query.filter.boolean": "filter-bool-inverted",
    "query.filter.boolean-ordering-rejected": "filter-bool-ordering-accepted",
    "query.filter.case-insensitive-names": "filter-names-case-sensitive",
    "query.filter.co": "filter-co-as-sw",
    "query.filter.datetime": "filter-datetime-as-string",
    "query.filter.eq": "ignore-filter",
    "query.filter.ew": "filter-ew-as-sw",
    "query.filter.ge": "filter-ge-as-gt",
    "query.filter.groups-display-name": "ignore-filter",
    "query.filter.gt": "filter-gt-as-ge",
    "query.filter.le": "filter-le-as-lt",
    "query.filter.lt": "filter-lt-as-le",
    "query.filter.malformed": "filter-errors-ignored",
    "query.filter.multi-valued": "filter-multi-valued-primary-only",
    "query.filter.ne": "filter-ne-as-eq",
    "query.filter.no-match": "no-match-404",
    "query.filter.not": "filter-not-ignored",
    "query.filter.or": "filter-or-as-and",
    "query.filter.parentheses": "filter-parentheses-dropped",
    "query.filter.pr": "filter-pr-always-true",
    "query.filter.precedence": "filter-left-to-right",
    "query.filter.sub-attribute": "filter-sub-attribute-ignored",
    "query.filter.sw": "filter-sw-as-eq",
    "query.filter.unknown-operator": "filter-unknown-operator-500",
    "query.filter.urn-qualified": "filter-urn-unknown",
    "query.filter.user-name-any-case": "filter-case-sensitive",
    "query.filter.value-path": "filter-value-path-flattened",
    "query.paging.count-limit": "count-ignored",
    "query.paging.count-zero": "count-zero-ignored",
    "query.paging.negative-count": "negative-count-400",
    "query.paging.start-index-below-one": "start-index-below-one-400",
    "query.paging.walk": "start-index-off-by-one",
    "query.sort.ascending": "sort-case-sensitive",
    "query.sort.descending": "sort-order-ignored",
    "query.sort.attribute-name-case": "sort-by-case-sensitive",
    "query.filter.multi-valued-absent": "filter-multi-valued-missing-500",
}


@pytest.mark.parametrize(
    "check_id", ["query.filter.ne", "query.filter.gt", "query.filter.not", "query.sort.ascending"]
)
def test_checks_scope_with_eq_when_sw_is_declined(
    check_id: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """Without sw, filters are scoped by one eq per created user and still judged."""
    result = run_check(check_id, faulty_server({"filter-sw-unsupported"}))
    assert result.status == "pass", result.message


@pytest.mark.parametrize(
    ("check_id", "expected"),
    [
        ("query.filter.eq", "pass"),
        ("query.filter.groups-display-name", "pass"),
        ("query.filter.user-name-any-case", "pass"),
        ("query.filter.ne", "skip"),
        ("query.filter.value-path", "skip"),
    ],
)
def test_single_expression_server(
    check_id: str,
    expected: str,
    faulty_server: Callable[..., str],
    run_check: Callable[..., Result],
) -> None:
    """A server taking only `attr op value`: eq on a name still passes; the rest is declined."""
    result = run_check(check_id, faulty_server({"filter-single-expression-only"}))
    assert result.status == expected, result.message


def test_an_eq_only_server_gets_no_finding_from_scaffolding(
    faulty_server: Callable[..., str], run_checks: Callable[..., Report]
) -> None:
    """Only `attr eq "v"` filters: paging, sort, bulk, PATCH and search checks neither fail
    nor warn; declined filter operators are skips that name the filter."""
    ids = [
        spec.id
        for spec in all_checks()
        if spec.area in ("patch", "bulk", "search", "query") and not spec.profile
    ]
    report = run_checks(ids, faulty_server({"filter-eq-only"}))
    findings = [(r.id, r.status, r.message) for r in report.results if r.finding]
    assert findings == []
    assert report.result("query.filter.eq").status == "pass"
    declined = report.result("query.filter.ne")
    assert declined.status == "skip" and "declined filter" in declined.message


@pytest.mark.parametrize(
    "check_id", ["query.filter.case-insensitive-names", "query.filter.urn-qualified"]
)
def test_a_spelling_declined_while_the_plain_filter_works_fails(
    check_id: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """`USERNAME eq` refused while `userName eq` works is no decline: attribute names are
    case-insensitive (RFC 7643 §2.1) and may carry their URN (RFC 7644 §3.10)."""
    result = run_check(check_id, faulty_server({"filter-names-declined-unless-canonical"}))
    assert result.status == "fail", result.message
    assert "only spelled differently" in result.message


@pytest.mark.parametrize(
    "check_id", ["query.attributes.include", "query.attributes.exclude-always"]
)
def test_a_projection_without_schemas_fails(
    check_id: str, faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """schemas is REQUIRED on every resource, projected or not: a MUST, so fail (not warn)."""
    result = run_check(check_id, faulty_server({"drop-schemas"}))
    assert result.status == "fail", result.message
    assert "'schemas'" in result.message
