"""Steps running the conformance library against the stub's SCIM service."""

from __future__ import annotations

from dataclasses import dataclass

from pytest_bdd import given, parsers, then, when

import conformance
from conformance.report.model import Report
from steps.people import organization_uid, owner_of
from steps.settings_api import SettingsApi


@dataclass(frozen=True)
class ScimTarget:
    """An organization's SCIM base URL and a bearer token for it."""

    organization: str
    base_url: str
    token: str


@given(
    parsers.parse('SCIM 2.0 is enabled for "{organization}" with a fresh token'),
    target_fixture="scim_target",
)
def scim_enabled_with_token(base_url: str, organization: str) -> ScimTarget:
    """The Owner switches SCIM on and generates a token through the settings JSON API."""
    uid = organization_uid(organization)
    owner = SettingsApi(base_url).sign_in(owner_of(organization))
    state = owner.enable_scim(uid)
    return ScimTarget(organization, state["scim_base_url"], owner.generate_token(uid))


def _check_organization(scim_target: ScimTarget, organization: str) -> None:
    """The step names the organization the Background prepared."""
    assert organization == scim_target.organization, (organization, scim_target.organization)


@when(
    parsers.parse('the {area} conformance checks run against the SCIM service of "{organization}"'),
    target_fixture="conformance_report",
)
def run_area(scim_target: ScimTarget, area: str, organization: str) -> Report:
    """Run every RFC check of one area."""
    _check_organization(scim_target, organization)
    report = conformance.run(scim_target.base_url, scim_target.token, tags=[area])
    assert report.results, f"no check ran for area {area!r}"
    return report


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
    parsers.parse('a read-only conformance run checks the SCIM service of "{organization}"'),
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
    if "unchanged" in safety:  # only mutating runs count before and after
        assert safety["unchanged"], safety
    assert safety["cleanup_failures"] == []


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
