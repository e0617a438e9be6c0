"""Each IdP profile check detects the request shape a faulty server mishandles."""

from __future__ import annotations

from collections.abc import Callable

from conformance.report.model import Report

CHECK_FAULTS: dict[str, str] = {
    "profile.entra.capitalised-ops": "case-sensitive-patch-ops",
    "profile.entra.group-lookup-excluding-members": "ignore-excluded-attributes",
    "profile.entra.group-members": "ignore-patch",
    "profile.entra.pathless-dotted": "reject-dotted-pathless",
    "profile.entra.user-lookup": "ignore-filter",
    "profile.okta.connection-test": "start-index-zero",
    "profile.okta.deactivate-patch": "ignore-active-false",
    "profile.okta.deactivate-put": "ignore-active-false",
    "profile.okta.json-content-type": "refuse-json-body",
    "profile.okta.user-lookup": "ignore-filter",
    "profile.onelogin.group-members-replace": "ignore-patch",
    "profile.onelogin.update-put": "ignore-put",
    "profile.onelogin.user-lookup": "ignore-filter",
}


def test_profiles_pass_on_scim2_server_and_are_reported_apart(
    faulty_server: Callable[..., str], run_checks: Callable[..., Report]
) -> None:
    """scim2-server is compatible with all three IdPs; profile results stay out of the summary."""
    report = run_checks(sorted(CHECK_FAULTS), faulty_server(set()))
    assert {r.id: r.status for r in report.results} == dict.fromkeys(CHECK_FAULTS, "pass")
    assert sum(report.summary.values()) == 0
    assert set(report.compatibility) == {"entra", "okta", "onelogin"}
    assert all(info["compatible"] for info in report.compatibility.values())
