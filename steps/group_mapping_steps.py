"""Steps about SCIM groups granting roles: an Owner maps each group the identity provider
pushed (``steps.group_push_steps``) to an organization role and stack roles on the SCIM 2.0
tab, and the Users page and the audit log show who holds what through which group.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import APIResponse, Page, expect
from pytest_bdd import given, parsers, then, when

from steps.pages import navigation
from steps.people import Person, organization_uid, owner_of
from steps.scim_client import ProvisionedUser, PushedGroup
from steps.sessions import Sessions
from steps.settings_client import SettingsClient, scim_settings_path


def _mapping(group: PushedGroup, organization_role: str, stack_role: str, stack: str) -> dict:
    return {
        "group_id": group.id,
        "organization_role": organization_role,
        "stack_roles": {stack: stack_role},
    }


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
    provisioned: ProvisionedUser,
    pushed_groups: dict[str, PushedGroup],
    who: str,
    name: str,
    role: str,
    organization: str,
    group: str,
) -> None:
    """Users: the person's Role says which group gave it."""
    provisioned.check_named(name)
    cell = _users_cell(page, base_url, organization, provisioned.full_name, "Role")
    expect(cell).to_have_text(f"{role} (via group {pushed_groups[group].name})")


@then(parsers.parse('{who} sees that {name} is still the {role} of "{organization}"'))
def sees_role_kept(
    page: Page,
    base_url: str,
    provisioned: ProvisionedUser,
    who: str,
    name: str,
    role: str,
    organization: str,
) -> None:
    """Users: the person's Role is unchanged, given by no group."""
    provisioned.check_named(name)
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
    provisioned: ProvisionedUser,
    pushed_groups: dict[str, PushedGroup],
    who: str,
    name: str,
    stack_role: str,
    stack: str,
    organization: str,
    group: str,
) -> None:
    """Users: the person's Stack Roles name the stack, the role and the group."""
    provisioned.check_named(name)
    cell = _users_cell(page, base_url, organization, provisioned.full_name, "Stack Roles")
    expect(cell).to_contain_text(f"{stack}: {stack_role} (via group {pushed_groups[group].name})")


@then(parsers.parse('{who} sees that {name} has no role on "{stack}" of "{organization}"'))
def sees_no_stack_role(
    page: Page,
    base_url: str,
    provisioned: ProvisionedUser,
    who: str,
    name: str,
    stack: str,
    organization: str,
) -> None:
    """Users: no stack role of the person names that stack."""
    provisioned.check_named(name)
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
    provisioned: ProvisionedUser,
    pushed_groups: dict[str, PushedGroup],
    organization: str,
    event: str,
    name: str,
    group: str,
) -> None:
    """The Owner finds the event about this person, naming the group that caused it."""
    provisioned.check_named(name)
    entries = sessions.client(owner_of(organization)).audit_entries(organization_uid(organization))
    matching = [e for e in entries if e["event"] == event and provisioned.user_name in e["details"]]
    assert matching, f"no {event!r} about {provisioned.user_name}: {entries[:10]}"
    assert pushed_groups[group].name in matching[0]["details"], matching[0]
