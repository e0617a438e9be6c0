"""Steps running the conformance checker against a SCIM service, as a vendor would."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytest_bdd import given, parsers, then, when

import conformance
from conformance.report.model import Report
from steps.people import organization_uid, owner_of
from steps.sessions import Sessions
from steps.vendor_service import serve_plain_json_proxy


@dataclass(frozen=True)
class ScimTarget:
    """A SCIM base URL and a bearer token for it (an organization's, or a vendor's)."""

    organization: str
    base_url: str
    token: str


@given(
    parsers.parse('SCIM 2.0 is enabled for "{organization}" with a fresh token'),
    target_fixture="scim_target",
)
def scim_enabled_with_token(sessions: Sessions, organization: str) -> ScimTarget:
    """The Owner switches SCIM on and generates a token through the settings JSON API."""
    uid = organization_uid(organization)
    owner = sessions.client(owner_of(organization))
    owner.enable_scim(uid)
    issued = owner.generate_token(uid)
    return ScimTarget(organization, issued["scim_base_url"], issued["new_token"])


@pytest.fixture
def vendor_proxy(scim_target: ScimTarget) -> Iterator[str]:
    """A loopback proxy in front of the organization's SCIM service that answers plain JSON."""
    with serve_plain_json_proxy(scim_target.base_url) as proxy_url:
        yield proxy_url


@given(
    'a vendor\'s SCIM service that answers "application/json" instead of "application/scim+json"',
    target_fixture="scim_target",
)
def plain_json_service(scim_target: ScimTarget, vendor_proxy: str) -> ScimTarget:
    """The organization's SCIM service seen through the relabelling proxy."""
    return ScimTarget("a vendor", vendor_proxy, scim_target.token)


def _check_organization(scim_target: ScimTarget, organization: str) -> None:
    """The step names the organization the Background prepared."""
    assert organization == scim_target.organization, (organization, scim_target.organization)


@when(
    parsers.parse('the vendor checks the SCIM service of "{organization}"'),
    target_fixture="conformance_report",
)
def run_everything(scim_target: ScimTarget, organization: str) -> Report:
    """Run every RFC check."""
    _check_organization(scim_target, organization)
    return conformance.run(scim_target.base_url, scim_target.token)


@when(
    parsers.parse('the vendor checks how the SCIM service of "{organization}" manages {areas}'),
    target_fixture="conformance_report",
)
def run_areas(scim_target: ScimTarget, organization: str, areas: str) -> Report:
    """Run the checks of the named areas ("users and groups")."""
    _check_organization(scim_target, organization)
    tags = [area.strip() for area in areas.replace(" and ", ",").split(",")]
    report = conformance.run(scim_target.base_url, scim_target.token, tags=tags)
    assert report.results, f"no check ran for {tags}"
    return report


@when("the vendor checks the content types of that service", target_fixture="conformance_report")
def run_content_type(scim_target: ScimTarget) -> Report:
    """Run the content-type checks against the vendor's service."""
    return conformance.run(scim_target.base_url, scim_target.token, tags=["content-type"])


@when(
    parsers.parse(
        'the {idp} profile replays its requests against the SCIM service of "{organization}"'
    ),
    target_fixture="conformance_report",
)
def run_profile(scim_target: ScimTarget, idp: str, organization: str) -> Report:
    """Run only the IdP profile's checks (the 'profile' tag matches no RFC check)."""
    _check_organization(scim_target, organization)
    return conformance.run(
        scim_target.base_url, scim_target.token, tags=["profile"], profiles=[idp]
    )


@when(
    parsers.parse('the vendor checks the SCIM service of "{organization}" read-only'),
    target_fixture="conformance_report",
)
def run_read_only(scim_target: ScimTarget, organization: str) -> Report:
    """Run every RFC check in --read-only mode."""
    _check_organization(scim_target, organization)
    return conformance.run(scim_target.base_url, scim_target.token, read_only=True)


@then("no conformance check fails or errors")
def no_failures(conformance_report: Report) -> None:
    """Every check passed, warned or was skipped for a stated reason."""
    bad = [
        f"{r.status} {r.id}: {r.message}"
        for r in conformance_report.results
        if r.status in ("fail", "error")
    ]
    assert not bad, "\n".join(bad)


@then(parsers.parse('nothing the checks created is left in "{organization}"'))
def nothing_left(conformance_report: Report, scim_target: ScimTarget, organization: str) -> None:
    """Resource counts are back to where they were and no prefixed resource remains."""
    _check_organization(scim_target, organization)
    safety = conformance_report.safety
    assert safety.get("unchanged", True), safety
    assert safety["cleanup_failures"] == [], safety


@then(parsers.parse('the report fails the check "{check_id}" citing "{section}"'))
def report_names_rule(conformance_report: Report, check_id: str, section: str) -> None:
    """The check failed, its RFC reference names the section, and its message says what was seen."""
    (result,) = [r for r in conformance_report.results if r.id == check_id]
    assert result.status == "fail", (result.status, result.message)
    assert section in result.rfc, result.rfc
    assert "application/json" in result.message, result.message


@then(parsers.parse('the {idp} compatibility verdict is "compatible"'))
def compatible(conformance_report: Report, idp: str) -> None:
    """The profile's checks all passed."""
    verdict = conformance_report.compatibility[idp]
    failed = [
        f"{r.id}: {r.message}"
        for r in conformance_report.results
        if r.profile == idp and r.status != "pass"
    ]
    assert verdict["compatible"] and not failed, failed


@then("the run sent no request that writes")
def only_reads(conformance_report: Report) -> None:
    """Every recorded request is a GET (or a POST /.search, which only reads)."""
    writes = [
        f"{e['request']['method']} {e['request']['url']}"
        for r in conformance_report.results
        for e in r.exchanges
        if e["request"]["method"] != "GET"
        and not e["request"]["url"].split("?")[0].endswith("/.search")
    ]
    assert not writes, writes
