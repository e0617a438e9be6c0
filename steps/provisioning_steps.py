"""Steps about an identity provider provisioning people through the SCIM API, and what the
organization's Owner then sees in Organization Settings → Users and the audit log.

The identity provider is played by ``requests`` calls shaped as Entra ID and Okta send them, to
the SCIM base URL and with the bearer token the Owner's settings gave out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.pages import navigation
from steps.people import Person, check_actor, organization_uid, owner_of
from steps.scim_token_steps import IssuedToken, enable_and_issue_token
from steps.settings_api import TIMEOUT, SettingsApi

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCIM_APPLICATION = "SCIM API"


@dataclass(frozen=True)
class IdentityProvider:
    """An identity provider holding the SCIM base URL and bearer token of one organization."""

    token: IssuedToken

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send a SCIM request with the bearer token, as an identity provider does."""
        return requests.request(
            method,
            self.token.scim_base_url.rstrip("/") + path,
            headers={
                "Authorization": f"Bearer {self.token.secret}",
                "Accept": SCIM_JSON,
                "Content-Type": SCIM_JSON,
            },
            timeout=TIMEOUT,
            **kwargs,
        )

    @property
    def client_label(self) -> str:
        """How the audit log names this identity provider (by its token's last four)."""
        return f"SCIM client (token ...{self.token.secret[-4:]})"


@dataclass(frozen=True)
class ProvisionedUser:
    """A person the identity provider created: their SCIM id, user name and full name."""

    id: str
    user_name: str
    full_name: str


def _expect_status(response: requests.Response, status: int, what: str) -> dict[str, Any]:
    assert response.status_code == status, (
        f"{what}: expected {status}, got {response.status_code} {response.text[:300]}"
    )
    assert response.headers["Content-Type"].startswith(SCIM_JSON), response.headers
    return response.json() if response.content else {}


def _check_user(provisioned: ProvisionedUser, name: str) -> None:
    if name != provisioned.full_name:
        raise AssertionError(f"the step names {name}, but {provisioned.full_name} was provisioned")


@given(
    parsers.parse('{who} has connected an identity provider to "{organization}"'),
    target_fixture="identity_provider",
)
def has_connected_identity_provider(
    page: Page, base_url: str, actor: Person, who: str, organization: str
) -> IdentityProvider:
    """Already done from this browser session: SCIM enabled and a token generated and handed
    to the identity provider with the SCIM base URL (the settings JSON API, no page rendered)."""
    check_actor(actor, who)
    return IdentityProvider(enable_and_issue_token(page, base_url, organization))


@given(
    parsers.parse('the identity provider has provisioned "{name}" with the e-mail "{email}"'),
    target_fixture="provisioned",
)
@when(
    parsers.parse('the identity provider provisions "{name}" with the e-mail "{email}"'),
    target_fixture="provisioned",
)
def provision(identity_provider: IdentityProvider, name: str, email: str) -> ProvisionedUser:
    """POST /Users as Entra ID and Okta shape it: userName is the e-mail, a work e-mail."""
    given_name, family_name = name.split(" ", 1)
    body = {
        "schemas": [USER_SCHEMA],
        "userName": email,
        "externalId": f"idp-{email}",
        "name": {"givenName": given_name, "familyName": family_name},
        "displayName": name,
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }
    created = _expect_status(identity_provider.call("POST", "/Users", json=body), 201, "POST")
    assert created["userName"] == email, created
    return ProvisionedUser(id=created["id"], user_name=email, full_name=name)


@when(parsers.parse("Microsoft Entra ID deactivates {name}"))
def entra_deactivates(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> None:
    """PATCH active to false with the capitalised op name Entra ID sends."""
    _check_user(provisioned, name)
    body = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "Replace", "path": "active", "value": False}],
    }
    response = identity_provider.call("PATCH", f"/Users/{provisioned.id}", json=body)
    assert _expect_status(response, 200, "PATCH")["active"] is False


@when(parsers.parse("the identity provider deletes {name}"))
def idp_deletes(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> None:
    """DELETE /Users/{id}: 204 with no body."""
    _check_user(provisioned, name)
    response = identity_provider.call("DELETE", f"/Users/{provisioned.id}")
    assert response.status_code == 204, f"DELETE: {response.status_code} {response.text[:300]}"
    assert response.content == b""


@when(parsers.parse('Okta looks up the user name "{user_name}"'), target_fixture="lookup")
def okta_looks_up(identity_provider: IdentityProvider, user_name: str) -> dict[str, Any]:
    """GET /Users?filter=userName eq "…", Okta's check before every create."""
    response = identity_provider.call(
        "GET",
        "/Users",
        params={"filter": f'userName eq "{user_name}"', "startIndex": 1, "count": 100},
    )
    return _expect_status(response, 200, "GET /Users?filter")


@then(parsers.parse("Okta finds exactly one user, {name}"))
def okta_finds_one(lookup: dict[str, Any], provisioned: ProvisionedUser, name: str) -> None:
    """The list response holds the provisioned user and nobody else."""
    _check_user(provisioned, name)
    assert lookup["schemas"] == [LIST_RESPONSE], lookup
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
    actor: Person,
    provisioned: ProvisionedUser,
    who: str,
    name: str,
    organization: str,
    role: str,
    source: str,
) -> None:
    """All Stacks → ORGANIZATION → Settings → Users shows exactly one row for the person."""
    check_actor(actor, who)
    _check_user(provisioned, name)
    users = navigation.users(page, base_url, organization)
    expect(users.row_of(name)).to_have_count(1)
    expect(users.cell(name, "Email")).to_have_text(provisioned.user_name)
    expect(users.cell(name, "Role")).to_have_text(role)
    expect(users.cell(name, "Added by")).to_have_text(source)


@then(parsers.parse('{who} no longer sees {name} among the users of "{organization}"'))
def no_longer_sees_user(
    page: Page,
    base_url: str,
    actor: Person,
    provisioned: ProvisionedUser,
    who: str,
    name: str,
    organization: str,
) -> None:
    """The Users table lists the organization (its Owner at least) but not the person."""
    check_actor(actor, who)
    _check_user(provisioned, name)
    users = navigation.users(page, base_url, organization)
    expect(users.row_of(owner_of(organization).full_name)).to_have_count(1)
    expect(users.row_of(name)).to_have_count(0)
    expect(users.table).not_to_contain_text(provisioned.user_name)


@then(parsers.parse("the identity provider still finds {name}, deactivated"))
def still_found_deactivated(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str
) -> None:
    """Deactivating keeps the SCIM user: GET /Users/{id} answers it with active false."""
    _check_user(provisioned, name)
    response = identity_provider.call("GET", f"/Users/{provisioned.id}")
    found = _expect_status(response, 200, "GET /Users/{id}")
    assert found["active"] is False, found
    assert found["userName"] == provisioned.user_name, found


@then(parsers.parse('deleting {name} again is answered "{status:d} Not Found"'))
def deleted_again(
    identity_provider: IdentityProvider, provisioned: ProvisionedUser, name: str, status: int
) -> None:
    """A second DELETE of the same id gets a SCIM 404 error."""
    _check_user(provisioned, name)
    error = _expect_status(
        identity_provider.call("DELETE", f"/Users/{provisioned.id}"), status, "second DELETE"
    )
    assert error["status"] == str(status), error


@then(
    parsers.parse('the audit log of "{organization}" records "{event}" for {name} by the SCIM API')
)
def audit_log_records_scim(
    base_url: str,
    identity_provider: IdentityProvider,
    provisioned: ProvisionedUser,
    organization: str,
    event: str,
    name: str,
) -> None:
    """The Owner finds the newest such event, by this identity provider, about this person."""
    _check_user(provisioned, name)
    api = SettingsApi(base_url).sign_in(owner_of(organization))
    entries = api.audit_entries(organization_uid(organization))
    matching = [e for e in entries if e["event"] == event]
    assert matching, f"no {event!r} in the audit log: {[e['event'] for e in entries]}"
    newest = matching[0]
    assert newest["application"] == SCIM_APPLICATION, newest
    assert newest["user"] == identity_provider.client_label, newest
    assert provisioned.user_name in newest["details"], newest
