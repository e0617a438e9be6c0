"""Steps about the identity provider's side of SCIM groups: it pushes groups (as Entra ID and
Okta shape it), changes their members and deletes them, over SCIM with the token the Owner
handed over. Every response is validated against the conformance checker's JSON Schemas (RFC
7643/7644). Groups a scenario pushes are named uniquely and deleted when it ends (their
mappings go with them). What the Owner maps and sees is in ``steps.group_mapping_steps``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from pytest_bdd import given, parsers, when

from conformance import urns
from steps.people import Person, unique_suffix
from steps.scim_client import (
    IdentityProvider,
    ProvisionedUser,
    PushedGroup,
    scim_body,
    user_resource,
)


def _patched(response: requests.Response, what: str) -> None:
    """A PATCH answered 200 with a valid Group, or 204 (RFC 7644 §3.5.2 allows either)."""
    if response.status_code == 204:
        return
    scim_body(response, 200, what, "Group")


def _patch_members(
    identity_provider: IdentityProvider, group: PushedGroup, operation: dict, what: str
) -> None:
    """Send one PatchOp operation on the group's members; 200 with a valid Group, or 204."""
    body = {"schemas": [urns.PATCH_OP], "Operations": [operation]}
    _patched(identity_provider.call("PATCH", f"/Groups/{group.id}", json=body), what)


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
    body: dict[str, Any] = {"schemas": [urns.GROUP], "displayName": name}
    if members is not None:
        body["members"] = members
    created = scim_body(
        identity_provider.call("POST", "/Groups", json=body), 201, "POST /Groups", "Group"
    )
    group = PushedGroup(created["id"], called, name)
    pushed_groups[called] = group
    return group


@given(
    parsers.parse("the identity provider has provisioned {who}'s own account"),
    target_fixture="provisioned",
)
def provisioned_own_account(
    identity_provider: IdentityProvider,
    people_created: list[tuple[IdentityProvider, str]],
    actor: Person,
    who: str,
) -> ProvisionedUser:
    """POST /Users with the signed-in person's own e-mail: it links to their account."""
    body = user_resource(actor.email, actor.first_name, actor.last_name, actor.email)
    created = scim_body(
        identity_provider.call("POST", "/Users", json=body), 201, "POST /Users", "User"
    )
    people_created.append((identity_provider, created["id"]))
    return ProvisionedUser(created["id"], actor.first_name, actor.full_name, actor.email)


@given(parsers.parse('the identity provider has pushed the group "{group}" with {name} in it'))
def pushed_with_member(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: ProvisionedUser,
    group: str,
    name: str,
) -> None:
    """POST /Groups with the person as its one member."""
    provisioned.check_named(name)
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
    found = scim_body(lookup, 200, "GET /Groups?filter", "ListResponse")
    assert [g["id"] for g in found["Resources"]] == [pushed.id], found


@given(parsers.parse('Okta has pushed the group "{group}"'))
def okta_pushed(
    identity_provider: IdentityProvider, pushed_groups: dict[str, PushedGroup], group: str
) -> None:
    """Okta's Group Push creates the group with an empty member list first."""
    _push(identity_provider, pushed_groups, group, [])


@when(parsers.parse('Microsoft Entra ID adds {name} to "{group}"'))
def entra_adds(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: ProvisionedUser,
    name: str,
    group: str,
) -> None:
    """PATCH with Entra's capitalised "Add", then its read-back without the members."""
    provisioned.check_named(name)
    pushed = pushed_groups[group]
    operation = {"op": "Add", "path": "members", "value": [{"value": provisioned.id}]}
    _patch_members(identity_provider, pushed, operation, "Entra PATCH")
    read = identity_provider.call(
        "GET", f"/Groups/{pushed.id}", params={"excludedAttributes": "members"}
    )
    assert "members" not in scim_body(read, 200, "GET ?excludedAttributes=members", "Group")


@when(parsers.parse('Okta pushes the membership of {name} in "{group}"'))
def okta_pushes_membership(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: ProvisionedUser,
    name: str,
    group: str,
) -> None:
    """PATCH "add" of the member with its display, as Okta's Group Push sends it."""
    provisioned.check_named(name)
    pushed = pushed_groups[group]
    member = {"value": provisioned.id, "display": provisioned.user_name}
    operation = {"op": "add", "path": "members", "value": [member]}
    _patch_members(identity_provider, pushed, operation, "Okta PATCH")
    group_now = scim_body(
        identity_provider.call("GET", f"/Groups/{pushed.id}"), 200, "GET /Groups/{id}", "Group"
    )
    assert provisioned.id in [m["value"] for m in group_now.get("members", [])], group_now


@when(parsers.parse('the identity provider removes {name} from "{group}"'))
def idp_removes_member(
    identity_provider: IdentityProvider,
    pushed_groups: dict[str, PushedGroup],
    provisioned: ProvisionedUser,
    name: str,
    group: str,
) -> None:
    """PATCH remove of one member by a value filter."""
    provisioned.check_named(name)
    operation = {"op": "remove", "path": f'members[value eq "{provisioned.id}"]'}
    _patch_members(identity_provider, pushed_groups[group], operation, "PATCH remove")


@when(parsers.parse('the identity provider deletes the group "{group}"'))
def idp_deletes_group(
    identity_provider: IdentityProvider, pushed_groups: dict[str, PushedGroup], group: str
) -> None:
    """DELETE /Groups/{id}: 204 with no body."""
    response = identity_provider.call("DELETE", f"/Groups/{pushed_groups[group].id}")
    assert response.status_code == 204, f"DELETE: {response.status_code} {response.text[:300]}"
