"""Steps about an identity provider provisioning people through the SCIM API, and what the
organization's Owner then sees in Organization Settings → Users and the audit log.

The identity provider is played by ``requests`` calls shaped as Entra ID and Okta send them, to
the SCIM base URL and with the bearer token the Owner's settings gave out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from conformance import urns
from steps.pages import navigation
from steps.people import organization_uid, owner_of, unique_suffix
from steps.scim_client import (
    IdentityProvider,
    IssuedToken,
    ProvisionedUser,
    scim_body,
    user_resource,
)
from steps.sessions import Sessions
from steps.settings_client import SettingsClient

SCIM_APPLICATION = "SCIM API"


@pytest.fixture
def people_created() -> Iterator[list[tuple[IdentityProvider, str]]]:
    """People the scenario's identity provider created; deleted again when the scenario ends."""
    created: list[tuple[IdentityProvider, str]] = []
    yield created
    for identity_provider, user_id in created:
        response = identity_provider.call("DELETE", f"/Users/{user_id}")
        assert response.status_code in (204, 404), f"clean-up DELETE: {response.status_code}"


@given(
    parsers.parse('{who} has connected an identity provider to "{organization}"'),
    target_fixture="identity_provider",
)
def has_connected_identity_provider(
    actor_client: SettingsClient, who: str, organization: str
) -> IdentityProvider:
    """Already done from this browser session: SCIM enabled and a token generated and handed
    to the identity provider with the SCIM base URL (the settings JSON API, no page rendered)."""
    uid = organization_uid(organization)
    actor_client.enable_scim(uid)
    issued = actor_client.generate_token(uid)
    return IdentityProvider(IssuedToken(issued["new_token"], issued["scim_base_url"]))


@given(
    parsers.parse('the identity provider has provisioned a new person "{name}"'),
    target_fixture="provisioned",
)
@when(
    parsers.parse('the identity provider provisions a new person "{name}"'),
    target_fixture="provisioned",
)
def provision(
    identity_provider: IdentityProvider,
    people_created: list[tuple[IdentityProvider, str]],
    name: str,
) -> ProvisionedUser:
    """POST /Users as Entra ID and Okta shape it: userName is the work e-mail."""
    suffix = unique_suffix()
    given_name, family_name = name.split(" ", 1)
    family_name = f"{family_name}-{suffix}"
    email = f"{given_name}.{family_name}@acme.example".lower()
    body = {
        **user_resource(email, given_name, family_name, email),
        "externalId": f"idp-{email}",
        "displayName": f"{given_name} {family_name}",
    }
    created = scim_body(identity_provider.call("POST", "/Users", json=body), 201, "POST")
    people_created.append((identity_provider, created["id"]))
    assert created["userName"] == email, created
    return ProvisionedUser(created["id"], name, f"{given_name} {family_name}", email)


@when(parsers.parse("Microsoft Entra ID deactivates {name}"))
def entra_deactivates(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> None:
    """PATCH active to false with the capitalised op name Entra ID sends."""
    provisioned.check_named(name)
    body = {
        "schemas": [urns.PATCH_OP],
        "Operations": [{"op": "Replace", "path": "active", "value": False}],
    }
    response = identity_provider.call("PATCH", f"/Users/{provisioned.id}", json=body)
    assert scim_body(response, 200, "PATCH")["active"] is False


@given(parsers.parse("the identity provider has deleted {name}"))
@when(parsers.re(r"the identity provider deletes (?P<name>.+?)(?<! again)$"))
def idp_deletes(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> None:
    """DELETE /Users/{id}: 204 with no body."""
    provisioned.check_named(name)
    response = identity_provider.call("DELETE", f"/Users/{provisioned.id}")
    assert response.status_code == 204, f"DELETE: {response.status_code} {response.text[:300]}"
    assert response.content == b""


@when(parsers.parse("the identity provider deletes {name} again"), target_fixture="answer")
def idp_deletes_again(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> requests.Response:
    """DELETE /Users/{id} of a person already deleted."""
    provisioned.check_named(name)
    return identity_provider.call("DELETE", f"/Users/{provisioned.id}")


@when(
    parsers.parse("Okta looks up the user name of {name} written in capitals"),
    target_fixture="lookup",
)
def okta_looks_up(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> dict[str, Any]:
    """GET /Users?filter=userName eq "…", Okta's check before every create (case-insensitive)."""
    provisioned.check_named(name)
    user_name = provisioned.user_name.upper()
    response = identity_provider.call(
        "GET",
        "/Users",
        params={"filter": f'userName eq "{user_name}"', "startIndex": 1, "count": 100},
    )
    return scim_body(response, 200, "GET /Users?filter")


@then(parsers.parse("Okta finds exactly one user, {name}"))
def okta_finds_one(lookup: dict[str, Any], provisioned: ProvisionedUser, name: str) -> None:
    """The list response holds the provisioned user and nobody else."""
    provisioned.check_named(name)
    assert lookup["schemas"] == [urns.LIST_RESPONSE], lookup
    assert lookup["totalResults"] == 1, lookup
    (found,) = lookup["Resources"]
    assert found["id"] == provisioned.id, found
    assert found["userName"] == provisioned.user_name, found


@then(
    parsers.parse(
        '{who} sees {name} among the users of "{organization}" as a {role} added by {source}'
    )
)
def sees_user(
    page: Page,
    base_url: str,
    provisioned: ProvisionedUser,
    who: str,
    name: str,
    organization: str,
    role: str,
    source: str,
) -> None:
    """All Stacks → ORGANIZATION → Settings → Users shows exactly one row for the person."""
    provisioned.check_named(name)
    users = navigation.users(page, base_url, organization)
    expect(users.row_of(provisioned.full_name)).to_have_count(1)
    expect(users.cell(provisioned.full_name, "Email")).to_have_text(provisioned.user_name)
    expect(users.cell(provisioned.full_name, "Role")).to_have_text(role)
    expect(users.cell(provisioned.full_name, "Added by")).to_have_text(source)


@then(parsers.parse('{who} no longer sees {name} among the users of "{organization}"'))
def no_longer_sees_user(
    page: Page,
    base_url: str,
    provisioned: ProvisionedUser,
    who: str,
    name: str,
    organization: str,
) -> None:
    """The Users table lists the organization (its Owner at least) but not the person."""
    provisioned.check_named(name)
    users = navigation.users(page, base_url, organization)
    expect(users.row_of(owner_of(organization).full_name)).to_have_count(1)
    expect(users.row_of(provisioned.full_name)).to_have_count(0)
    expect(users.table).not_to_contain_text(provisioned.user_name)


@then(parsers.parse("the identity provider still finds {name}, deactivated"))
def still_found_deactivated(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> None:
    """Deactivating keeps the SCIM user: GET /Users/{id} answers it with active false."""
    provisioned.check_named(name)
    response = identity_provider.call("GET", f"/Users/{provisioned.id}")
    found = scim_body(response, 200, "GET /Users/{id}")
    assert found["active"] is False, found
    assert found["userName"] == provisioned.user_name, found


@then(parsers.parse('it is answered "{status:d} Not Found"'))
def answered_not_found(answer: requests.Response, status: int) -> None:
    """The SCIM error response carries the status, as a string, in its body too."""
    error = scim_body(answer, status, "second DELETE")
    assert error["status"] == str(status), error


@then(
    parsers.parse('the audit log of "{organization}" records "{event}" for {name} by the SCIM API')
)
def audit_log_records_scim(
    sessions: Sessions,
    identity_provider: IdentityProvider,
    provisioned: ProvisionedUser,
    organization: str,
    event: str,
    name: str,
) -> None:
    """The Owner finds the newest such event, by this identity provider, about this person."""
    provisioned.check_named(name)
    entries = sessions.client(owner_of(organization)).audit_entries(organization_uid(organization))
    matching = [e for e in entries if e["event"] == event]
    assert matching, f"no {event!r} in the audit log: {[e['event'] for e in entries]}"
    newest = matching[0]
    assert newest["application"] == SCIM_APPLICATION, newest
    assert newest["user"] == identity_provider.client_label, newest
    assert provisioned.user_name in newest["details"], newest
