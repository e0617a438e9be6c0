"""Steps about SCIM groups granting roles: the identity provider pushes groups (as Entra ID and
Okta shape it), an Owner maps them on the SCIM 2.0 tab, and the Users page shows who holds what.

The identity provider's requests go over SCIM with the token the Owner handed over, and every
response is validated against the conformance checker's JSON Schemas (RFC 7643/7644). Groups a
scenario pushes are named uniquely and deleted when it ends (their mappings go with them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from playwright.sync_api import APIResponse, Page, expect
from pytest_bdd import given, parsers, then, when

from conformance.jsonschemas import validate
from steps.pages import navigation
from steps.people import Person, organization_uid, owner_of, unique_suffix
from steps.scim_client import SCIM_JSON, IdentityProvider
from steps.sessions import Sessions
from steps.settings_client import SettingsClient, scim_settings_path

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@dataclass(frozen=True)
class PushedGroup:
    """A group the identity provider pushed: as the feature calls it, and its unique name."""

    id: str
    called: str
    name: str


@dataclass(frozen=True)
class ScimPerson:
    """A seeded person the identity provider provisioned by their own e-mail."""

    id: str
    called: str
    full_name: str
    user_name: str


def _scim_json(response: requests.Response, status: int, schema: str | None, what: str) -> Any:
    """The SCIM body of a response with this status, valid against the named JSON Schema."""
    assert response.status_code == status, (
        f"{what}: expected {status}, got {response.status_code} {response.text[:300]}"
    )
    if not response.content:
        return {}
    assert response.headers["Content-Type"].startswith(SCIM_JSON), response.headers
    body = response.json()
    if schema is not None:
        problems = validate(schema, body)
        assert not problems, f"{what}: the {schema} breaks RFC 7643/7644: {problems}"
    return body


def _patched(response: requests.Response, what: str) -> None:
    """A PATCH answered 200 with a valid Group, or 204 (RFC 7644 §3.5.2 allows either)."""
    if response.status_code == 204:
        return
    _scim_json(response, 200, "Group", what)


def _same_person(provisioned: Any, name: str) -> None:
    if name != provisioned.called:
        raise AssertionError(f"the step names {name}, but {provisioned.called} was provisioned")


@pytest.fixture
def pushed_groups(
    identity_provider: IdentityProvider,
) -> Iterator[dict[str, PushedGroup]]:
    """The groups this scenario's identity provider pushed, by the name the feature uses."""
    groups: dict[str, PushedGroup] = {}
    yield groups
    for group in groups.values():
        response = identity_provider.call("DELETE", f"/Groups/{group.id}")
        assert response.status_code in (204, 404), f"clean-up DELETE: {response.status_code}"


def _push(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    called: str,
    members: list[dict[str, str]] | None,
) -> PushedGroup:
    name = f"{called} {unique_suffix()}"
    body: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "displayName": name}
    if members is not None:
        body["members"] = members
    created = _scim_json(
        identity_provider.call("POST", "/Groups", json=body), 201, "Group", "POST /Groups"
    )
    group = PushedGroup(created["id"], called, name)
    pushed_groups[called] = group
    return group


def _mapping(group: PushedGroup, organization_role: str, stack_role: str, stack: str) -> dict:
    return {
        "group_id": group.id,
        "organization_role": organization_role,
        "stack_roles": {stack: stack_role},
    }


@given(
    parsers.parse("the identity provider has provisioned {who}'s own account"),
    target_fixture="provisioned",
)
def provisioned_own_account(
    identity_provider: IdentityProvider,
    people_created: list[tuple[IdentityProvider, str]],
    actor: Person,
    who: str,
) -> ScimPerson:
    """POST /Users with the signed-in person's own e-mail: it links to their account."""
    body = {
        "schemas": [USER_SCHEMA],
        "userName": actor.email,
        "name": {"givenName": actor.first_name, "familyName": actor.last_name},
        "emails": [{"value": actor.email, "type": "work", "primary": True}],
        "active": True,
    }
    created = _scim_json(
        identity_provider.call("POST", "/Users", json=body), 201, "User", "POST /Users"
    )
    people_created.append((identity_provider, created["id"]))
    return ScimPerson(created["id"], actor.first_name, actor.full_name, actor.email)


@given(parsers.parse('the identity provider has pushed the group "{group}" with {name} in it'))
def pushed_with_member(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: Any,
    group: str,
    name: str,
) -> None:
    """POST /Groups with the person as its one member."""
    _same_person(provisioned, name)
    _push(identity_provider, pushed_groups, group, [{"value": provisioned.id}])


@given(parsers.parse('Microsoft Entra ID has pushed the group "{group}"'))
def entra_pushed(
    identity_provider: IdentityProvider, pushed_groups: dict[str, PushedGroup], group: str
) -> None:
    """Entra ID looks the group up without its members, finds none, and creates it empty."""
    pushed = _push(identity_provider, pushed_groups, group, None)
    lookup = identity_provider.call(
        "GET",
        "/Groups",
        params={"filter": f'displayName eq "{pushed.name}"', "excludedAttributes": "members"},
    )
    found = _scim_json(lookup, 200, "ListResponse", "GET /Groups?filter")
    assert [g["id"] for g in found["Resources"]] == [pushed.id], found


@given(parsers.parse('Okta has pushed the group "{group}"'))
def okta_pushed(
    identity_provider: IdentityProvider, pushed_groups: dict[str, PushedGroup], group: str
) -> None:
    """Okta's Group Push creates the group with an empty member list first."""
    _push(identity_provider, pushed_groups, group, [])


@given(
    parsers.parse(
        '"{group}" grants the organization role "{organization_role}" '
        'with "{stack_role}" on "{stack}"'
    )
)
def group_granted(
    actor: Person,
    actor_client: SettingsClient,
    pushed_groups: dict[str, PushedGroup],
    group: str,
    organization_role: str,
    stack_role: str,
    stack: str,
) -> None:
    """Already mapped from this browser session (the settings JSON API the form posts to)."""
    path = scim_settings_path(organization_uid(actor.organization)) + "/group-mappings"
    mapping = _mapping(pushed_groups[group], organization_role, stack_role, stack)
    response = actor_client.post(path, mapping)
    assert response.status == 200, f"mapping {group}: {response.status} {response.text()[:300]}"


@when(
    parsers.parse(
        '{who} maps "{group}" to the organization role "{organization_role}" '
        'with "{stack_role}" on "{stack}"'
    )
)
def maps_group(
    page: Page,
    base_url: str,
    actor: Person,
    pushed_groups: dict[str, PushedGroup],
    who: str,
    group: str,
    organization_role: str,
    stack_role: str,
    stack: str,
) -> None:
    """SCIM 2.0 tab → Group Mapping: choose the group and its roles, then Update."""
    section = navigation.group_mapping(page, base_url, actor.organization)
    name = pushed_groups[group].name
    section.map(name, organization_role, {stack: stack_role})
    expect(section.row_of(name)).to_contain_text(organization_role)


@when(parsers.parse('Microsoft Entra ID adds {name} to "{group}"'))
def entra_adds(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: Any,
    name: str,
    group: str,
) -> None:
    """PATCH with Entra's capitalised "Add", then its read-back without the members."""
    _same_person(provisioned, name)
    pushed = pushed_groups[group]
    operation = {"op": "Add", "path": "members", "value": [{"value": provisioned.id}]}
    body = {"schemas": [PATCH_OP], "Operations": [operation]}
    _patched(identity_provider.call("PATCH", f"/Groups/{pushed.id}", json=body), "Entra PATCH")
    read = identity_provider.call(
        "GET", f"/Groups/{pushed.id}", params={"excludedAttributes": "members"}
    )
    assert "members" not in _scim_json(read, 200, "Group", "GET ?excludedAttributes=members")


@when(parsers.parse('Okta pushes the membership of {name} in "{group}"'))
def okta_pushes_membership(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: Any,
    name: str,
    group: str,
) -> None:
    """PATCH "add" of the member with its display, as Okta's Group Push sends it."""
    _same_person(provisioned, name)
    pushed = pushed_groups[group]
    member = {"value": provisioned.id, "display": provisioned.user_name}
    body = {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "add", "path": "members", "value": [member]}],
    }
    _patched(identity_provider.call("PATCH", f"/Groups/{pushed.id}", json=body), "Okta PATCH")
    group_now = _scim_json(
        identity_provider.call("GET", f"/Groups/{pushed.id}"), 200, "Group", "GET /Groups/{id}"
    )
    assert provisioned.id in [m["value"] for m in group_now.get("members", [])], group_now


@when(parsers.parse('the identity provider removes {name} from "{group}"'))
def idp_removes_member(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: Any,
    name: str,
    group: str,
) -> None:
    """PATCH remove of one member by a value filter."""
    _same_person(provisioned, name)
    operation = {"op": "remove", "path": f'members[value eq "{provisioned.id}"]'}
    body = {"schemas": [PATCH_OP], "Operations": [operation]}
    pushed = pushed_groups[group]
    _patched(identity_provider.call("PATCH", f"/Groups/{pushed.id}", json=body), "PATCH remove")


@when(parsers.parse('the identity provider deletes the group "{group}"'))
def idp_deletes_group(
    identity_provider: IdentityProvider, pushed_groups: dict[str, PushedGroup], group: str
) -> None:
    """DELETE /Groups/{id}: 204 with no body."""
    response = identity_provider.call("DELETE", f"/Groups/{pushed_groups[group].id}")
    assert response.status_code == 204, f"DELETE: {response.status_code} {response.text[:300]}"


@when(
    parsers.parse('{who} sends a group mapping for "{organization}" from the browser session'),
    target_fixture="forged_response",
)
def forge_mapping(actor_client: SettingsClient, who: str, organization: str) -> APIResponse:
    """POST the Group Mapping form by hand with the browser's cookies and CSRF token."""
    path = scim_settings_path(organization_uid(organization)) + "/group-mappings"
    return actor_client.post(path, {"group_id": "any", "org_role": "Admin"}, as_form=True)


def _users_cell(page: Page, base_url: str, organization: str, full_name: str, column: str) -> Any:
    return navigation.users(page, base_url, organization).cell(full_name, column)


@then(
    parsers.parse(
        '{who} sees that {name} is "{role}" in "{organization}" through the group "{group}"'
    )
)
def sees_role_through_group(
    page: Page,
    base_url: str,
    provisioned: Any,
    pushed_groups: dict[str, PushedGroup],
    who: str,
    name: str,
    role: str,
    organization: str,
    group: str,
) -> None:
    """Users: the person's Role says which group gave it."""
    _same_person(provisioned, name)
    cell = _users_cell(page, base_url, organization, provisioned.full_name, "Role")
    expect(cell).to_have_text(f"{role} (via group {pushed_groups[group].name})")


@then(parsers.parse('{who} sees that {name} is still the {role} of "{organization}"'))
def sees_role_kept(
    page: Page,
    base_url: str,
    provisioned: Any,
    who: str,
    name: str,
    role: str,
    organization: str,
) -> None:
    """Users: the person's Role is unchanged, given by no group."""
    _same_person(provisioned, name)
    expect(_users_cell(page, base_url, organization, provisioned.full_name, "Role")).to_have_text(
        role
    )


@then(
    parsers.parse(
        '{who} sees that {name} is "{stack_role}" on "{stack}" of "{organization}" '
        'through the group "{group}"'
    )
)
def sees_stack_role(
    page: Page,
    base_url: str,
    provisioned: Any,
    pushed_groups: dict[str, PushedGroup],
    who: str,
    name: str,
    stack_role: str,
    stack: str,
    organization: str,
    group: str,
) -> None:
    """Users: the person's Stack Roles name the stack, the role and the group."""
    _same_person(provisioned, name)
    cell = _users_cell(page, base_url, organization, provisioned.full_name, "Stack Roles")
    expect(cell).to_contain_text(f"{stack}: {stack_role} (via group {pushed_groups[group].name})")


@then(parsers.parse('{who} sees that {name} has no role on "{stack}" of "{organization}"'))
def sees_no_stack_role(
    page: Page, base_url: str, provisioned: Any, who: str, name: str, stack: str, organization: str
) -> None:
    """Users: no stack role of the person names that stack."""
    _same_person(provisioned, name)
    cell = _users_cell(page, base_url, organization, provisioned.full_name, "Stack Roles")
    expect(cell).to_be_visible()
    expect(cell).not_to_contain_text(f"{stack}:")


@then(parsers.parse('{who} no longer finds "{group}" in the Group Mapping of "{organization}"'))
def group_gone_from_mapping(
    page: Page,
    base_url: str,
    pushed_groups: dict[str, PushedGroup],
    who: str,
    group: str,
    organization: str,
) -> None:
    """SCIM 2.0 tab: the group is neither offered nor listed as mapped."""
    navigation.group_mapping(page, base_url, organization).expect_offers_no(
        pushed_groups[group].name
    )


@then(
    parsers.parse(
        'the audit log of "{organization}" records "{event}" for {name} naming the group "{group}"'
    )
)
def audit_names_group(
    sessions: Sessions,
    provisioned: Any,
    pushed_groups: dict[str, PushedGroup],
    organization: str,
    event: str,
    name: str,
    group: str,
) -> None:
    """The Owner finds the event about this person, naming the group that caused it."""
    _same_person(provisioned, name)
    entries = sessions.client(owner_of(organization)).audit_entries(organization_uid(organization))
    matching = [e for e in entries if e["event"] == event and provisioned.user_name in e["details"]]
    assert matching, f"no {event!r} about {provisioned.user_name}: {entries[:10]}"
    assert pushed_groups[group].name in matching[0]["details"], matching[0]
