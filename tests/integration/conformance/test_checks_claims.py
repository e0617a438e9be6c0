"""Each schema-claim check detects a server that does not do what it declares.

scim2-server's default schemas declare few characteristics worth testing (no immutable,
returned=always/request or extra unique attribute), so those checks skip there. A second,
equally clean scim2-server *declaring* them (and honouring them, as scim2-server does)
shows the checks pass when claims hold; the faults make /Schemas or the
ServiceProviderConfig claim what the default server does not do.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest

from conformance.report.model import Result
from tests.integration.conformance.faulty import TOKEN, serve

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"

# check id -> the fault (tests/integration/conformance/faulty/) that check must detect.
CHECK_FAULTS: dict[str, str] = {
    "claims.case-exact.filter": "filter-case-sensitive",
    "claims.case-exact.preserve": "lowercase-external-id",
    "claims.filter.max-results": "max-results-unenforced",
    "claims.immutable.declared": "claims-title-immutable",
    "claims.read-only.groups": "read-only-groups-applied",
    "claims.returned.always": "claims-display-name-always",
    "claims.returned.request": "claims-title-on-request",
    "claims.uniqueness.case-insensitive": "uniqueness-case-sensitive",
    "claims.uniqueness.declared": "claims-nickname-unique",
}
# Checks with nothing to test on scim2-server's default declarations.
# What these checks report on the clean scim2-server (anything not listed: "pass"). Its default
# schemas declare nothing these can exercise, and maxResults=1000 is too many users to create.
CLEAN_EXPECTED = dict.fromkeys(
    (
        "claims.filter.max-results",
        "claims.immutable.declared",
        "claims.returned.always",
        "claims.returned.request",
        "claims.uniqueness.declared",
    ),
    "skip",
)
# What the declaring server announces, per User attribute: {characteristic: value}.
DECLARED = {
    "nickName": {"uniqueness": "server"},
    "title": {"mutability": "immutable"},
    "displayName": {"returned": "always"},
    "userType": {"returned": "request"},
}


def declaring_scim2_server_app() -> Callable[..., object]:
    """scim2-server declaring (and enforcing) extra characteristics and maxResults=3."""
    from scim2_models import Schema, ScimProvider
    from scim2_server.memory import InMemoryStorage
    from scim2_server.service import ScimService
    from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
    from scim2_server.utils import (
        load_default_resource_types,
        load_default_schemas,
        load_default_service_provider_config,
    )

    schemas = load_default_schemas()
    user = schemas[USER_SCHEMA].model_dump()
    for attribute in user["attributes"]:
        attribute.update(DECLARED.get(attribute["name"], {}))
    schemas[USER_SCHEMA] = Schema.model_validate(user)
    config = load_default_service_provider_config()
    config.filter.max_results = 3
    config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(
        schemas.values(), load_default_resource_types().values(), config=config
    )
    service = ScimService(provider, secret=secrets.token_urlsafe(16))
    return BearerTokenApplication(
        InMemoryStorage(), provider, service=service, bearer_tokens=[TOKEN]
    )


@pytest.fixture(scope="module")
def declaring_server() -> Iterator[str]:
    """Base URL of the declaring scim2-server (same bearer token as the faulty target)."""
    with serve(declaring_scim2_server_app()) as base_url:
        yield base_url


@pytest.mark.parametrize("check_id", sorted(CHECK_FAULTS))
def test_check_passes_when_the_claims_are_kept(
    check_id: str, declaring_server: str, run_check: Callable[..., Result]
) -> None:
    """A server declaring immutable, returned, uniqueness and maxResults, and doing it, passes."""
    result = run_check(check_id, declaring_server)
    assert result.status == "pass", result.message


def test_claim_checks_leave_nothing_behind(
    declaring_server: str, run_checks: Callable[..., object]
) -> None:
    """Duplicates and readOnly probes are deleted too: the server ends as it started."""
    report = run_checks(sorted(CHECK_FAULTS), declaring_server)
    assert report.safety["leftovers"] == [], report.safety
    assert report.safety["unchanged"], report.safety


def test_an_ignored_filter_clause_is_no_case_verdict(
    faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """A server dropping the externalId clause returns the decoy too: that attribute is left
    out of the caseExact verdict (the filter checks report the filtering fault)."""
    result = run_check(
        "claims.case-exact.filter", faulty_server({"filter-external-id-clause-ignored"})
    )
    assert result.status == "pass", result.message
