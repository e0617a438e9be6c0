"""Roles through SCIM groups: what a person holds, given the mapped groups they belong to.

The rules (applied after every SCIM change and every mapping change, to the people it touches
and no one else -- never a scan of the organization):

- the organization role is the highest of the role given without groups (by hand, or Member
  for SCIM) and the roles of the person's mapped groups; the Owner stays Owner;
- stack roles are the union over the mapped groups, the highest per stack;
- so leaving a group, or a group losing its mapping, takes away only what that group alone
  granted, and a deleted group's members stay in the organization;
- every change of a person's role is audited, naming the group.

A person's groups are the groups their SCIM user is a direct member of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from stub_server import roles
from stub_server.storage import Grant, GroupMapping, Storage, StoredResource, utc_now

Audit = Callable[[str, str], None]  # (event, details) -> appended to the audit log


class InvalidMapping(ValueError):
    """A group mapping that names an unknown group, stack or role."""


@dataclass(frozen=True)
class Roles:
    """What a person holds: the organization role and a role per stack (uid -> grant)."""

    org_role: Grant
    stack_roles: dict[str, Grant]


def resolve_roles(
    given_role: str, groups: Iterable[GroupMapping], names: Mapping[str, str]
) -> Roles:
    """Apply the rules to one person: ``given_role`` without groups, and the mappings of their
    groups (``names``: group id -> display name; ties go to the first name)."""
    ordered = sorted(groups, key=lambda g: (names[g.group_id].casefold(), g.group_id))
    org_role = Grant(given_role)
    if given_role != roles.OWNER:
        for group in ordered:
            if roles.ORG_ROLE_RANK[group.org_role] > roles.ORG_ROLE_RANK[org_role.role]:
                org_role = Grant(group.org_role, group.group_id)
    stack_roles: dict[str, Grant] = {}
    for group in ordered:
        for stack_uid, role in group.stack_roles.items():
            held = stack_roles.get(stack_uid)
            if held is None or roles.STACK_ROLE_RANK[role] > roles.STACK_ROLE_RANK[held.role]:
                stack_roles[stack_uid] = Grant(role, group.group_id)
    return Roles(org_role, stack_roles)


def _reason(grant: Grant | None, names: Mapping[str, str], cause: str) -> str:
    if grant is not None and grant.via_group_id is not None:
        return f"granted by group {names.get(grant.via_group_id, grant.via_group_id)}"
    return cause


def apply_group_roles(
    storage: Storage,
    org_uid: str,
    user: StoredResource,
    cause: str,
    audit: Audit,
    groups: Mapping[str, str] | None = None,
) -> None:
    """Give the person behind a SCIM user what their mapped groups grant (``groups``: id ->
    display name; by default the user's groups). Each change is audited naming the group
    that grants the new role, or ``cause`` (e.g. "left group Editors") when none does."""
    if user.account_uid is None:
        return
    membership = storage.grants.membership(org_uid, user.account_uid)
    if membership is None:
        return
    if groups is None:
        groups = {g["value"]: g.get("display", "") for g in user.resource.get("groups", [])}
    mapped = storage.grants.mappings(org_uid, set(groups))
    wanted = resolve_roles(membership.given_role, mapped, groups)
    person = user.resource.get("userName", user.id)
    held = Grant(membership.role, membership.via_group_id)
    if wanted.org_role != held:
        storage.grants.set_role(org_uid, user.account_uid, wanted.org_role)
    if wanted.org_role.role != held.role:
        audit(
            "Role changed",
            f"{person}: {held.role} → {wanted.org_role.role}, "
            + _reason(wanted.org_role, groups, cause),
        )
    held_stacks = storage.grants.stack_roles(org_uid, user.account_uid)
    if wanted.stack_roles == held_stacks:
        return
    storage.grants.set_stack_roles(org_uid, user.account_uid, wanted.stack_roles)
    stack_names = {s["uid"]: s["name"] for s in storage.grants.stacks(org_uid)}
    for stack_uid in sorted(held_stacks.keys() | wanted.stack_roles.keys()):
        before, after = held_stacks.get(stack_uid), wanted.stack_roles.get(stack_uid)
        if (before and before.role) != (after and after.role):
            audit(
                "Stack role changed",
                f"{person} on {stack_names.get(stack_uid, stack_uid)}: "
                f"{before.role if before else 'no role'} → {after.role if after else 'no role'}, "
                + _reason(after, groups, cause),
            )


def check_mapping(
    storage: Storage, org_uid: str, group_id: str, org_role: str, stack_roles: Mapping[str, str]
) -> GroupMapping:
    """A valid mapping of one SCIM group of the organization, or ``InvalidMapping``."""
    if storage.resources.get(org_uid, "Group", group_id) is None:
        raise InvalidMapping("Choose a SCIM group your identity provider has pushed.")
    if org_role not in roles.MAPPABLE_ORG_ROLES:
        allowed = " or ".join(roles.MAPPABLE_ORG_ROLES)
        raise InvalidMapping(f"A group mapping grants the organization role {allowed}.")
    stacks = {s["uid"] for s in storage.grants.stacks(org_uid)}
    chosen = {stack: role for stack, role in stack_roles.items() if role}
    if not chosen.keys() <= stacks:
        raise InvalidMapping("A stack role names a stack this organization does not have.")
    if not set(chosen.values()) <= set(roles.STACK_ROLES):
        raise InvalidMapping(f"Stack roles are {', '.join(roles.STACK_ROLES)} (or none).")
    return GroupMapping(group_id, org_role, chosen)


def members_of(storage: Storage, org_uid: str, group: StoredResource) -> list[StoredResource]:
    """The SCIM users that are direct members of a group."""
    users = (
        storage.resources.get(org_uid, "User", m["value"])
        for m in group.resource.get("members", [])
        if m.get("type") == "User"
    )
    return [user for user in users if user is not None]


def map_group(
    storage: Storage, org_uid: str, mapping: GroupMapping, updated_by: str, audit: Audit
) -> None:
    """Save a group's mapping and give its members what it now grants."""
    group = storage.resources.get(org_uid, "Group", mapping.group_id)
    if group is None:
        raise InvalidMapping("Choose a SCIM group your identity provider has pushed.")
    name = group.resource["displayName"]
    with storage.transaction():
        storage.grants.save_mapping(org_uid, mapping, utc_now(), updated_by)
        stack_names = {s["uid"]: s["name"] for s in storage.grants.stacks(org_uid)}
        granted = ", ".join(
            f"{stack_names[s]}: {r}" for s, r in sorted(mapping.stack_roles.items())
        )
        audit(
            "Group mapping updated",
            f"group {name}: organization role {mapping.org_role}; stack roles "
            + (granted or "none"),
        )
        for user in members_of(storage, org_uid, group):
            apply_group_roles(storage, org_uid, user, f"group {name} was remapped", audit)


def unmap_group(storage: Storage, org_uid: str, group_id: str, audit: Audit) -> bool:
    """Remove a group's mapping and take back what it alone granted; False if unmapped."""
    group = storage.resources.get(org_uid, "Group", group_id)
    with storage.transaction():
        if not storage.grants.delete_mapping(org_uid, group_id):
            return False
        name = group.resource["displayName"] if group else group_id
        audit("Group mapping removed", f"group {name} no longer grants roles")
        if group is not None:
            for user in members_of(storage, org_uid, group):
                apply_group_roles(storage, org_uid, user, f"group {name} was unmapped", audit)
    return True
