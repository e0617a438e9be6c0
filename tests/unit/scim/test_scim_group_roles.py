"""Roles through SCIM groups, end to end in the service: every SCIM change and every mapping
change gives the people it touches what their mapped groups grant, and the audit log says so."""

from __future__ import annotations

import pytest

from stub_server.domain.group_roles import check_mapping, map_group, unmap_group
from stub_server.storage import Storage
from tests.scim_helpers import ACME, ScimClient, patch_body

DOCS, MARKETING = "blt0stack00000002", "blt0stack00000001"


class Roles:
    """Reads what a person holds in Acme, and maps groups as the settings page would."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.events: list[tuple[str, str]] = []

    def audit(self, event: str, details: str) -> None:
        """Collect what a mapping change audits."""
        self.events.append((event, details))

    def map(self, group: dict, org_role: str, **stacks: str) -> None:
        """Map a group: org role and stack roles by stack uid."""
        stack_roles = {{"docs": DOCS, "marketing": MARKETING}[k]: v for k, v in stacks.items()}
        mapping = check_mapping(self.storage, ACME, group["id"], org_role, stack_roles)
        map_group(self.storage, ACME, mapping, "test", self.audit)

    def unmap(self, group: dict) -> None:
        """Remove a group's mapping."""
        assert unmap_group(self.storage, ACME, group["id"], self.audit)

    def of(self, email: str) -> tuple[str | None, dict[str, str]]:
        """(organization role, stack roles by stack uid) of the account with this e-mail."""
        account = self.storage.account_by_email(email)
        held = self.storage.grants.stack_roles(ACME, account["uid"])
        return self.storage.role_in(account["uid"], ACME), {s: g.role for s, g in held.items()}

    def audit_log(self) -> list[tuple[str, str]]:
        """The SCIM API and settings entries of Acme's audit log, oldest first."""
        return [(e["event"], e["details"]) for e in reversed(self.storage.audit_entries(ACME))]


@pytest.fixture
def grants(scim_storage: Storage) -> Roles:
    """Role reading and group mapping on Acme."""
    return Roles(scim_storage)


def add_members(scim: ScimClient, group: dict, *user_ids: str) -> None:
    """Entra-style: PATCH with a capitalised Add of members."""
    body = patch_body({"op": "Add", "path": "members", "value": [{"value": u} for u in user_ids]})
    assert scim.patch(f"/Groups/{group['id']}", body).status_code in (200, 204)


def remove_member(scim: ScimClient, group: dict, user_id: str) -> None:
    """PATCH remove of one member."""
    body = patch_body({"op": "remove", "path": f'members[value eq "{user_id}"]'})
    assert scim.patch(f"/Groups/{group['id']}", body).status_code in (200, 204)


def test_mapping_a_group_grants_its_roles_to_its_members(scim: ScimClient, grants: Roles) -> None:
    ann = scim.create_user("ann@acme.example")
    engineers = scim.create_group("Engineers", [ann["id"]])
    assert grants.of("ann@acme.example") == ("Member", {})
    grants.map(engineers, "Admin", docs="Developer")
    assert grants.of("ann@acme.example") == ("Admin", {DOCS: "Developer"})
    assert ("Role changed", "ann@acme.example: Member → Admin, granted by group Engineers") in (
        grants.events
    )
    assert (
        "Stack role changed",
        "ann@acme.example on Docs Portal: no role → Developer, granted by group Engineers",
    ) in grants.events


def test_joining_a_mapped_group_over_scim_grants_and_is_audited(
    scim: ScimClient, grants: Roles
) -> None:
    engineers = scim.create_group("Engineers")
    grants.map(engineers, "Admin")
    ann = scim.create_user("ann@acme.example")
    add_members(scim, engineers, ann["id"])
    assert grants.of("ann@acme.example") == ("Admin", {})
    assert (
        "Role changed",
        "ann@acme.example: Member → Admin, granted by group Engineers",
    ) in grants.audit_log()


def test_two_groups_give_the_higher_role_and_both_stacks(scim: ScimClient, grants: Roles) -> None:
    ann = scim.create_user("ann@acme.example")
    writers = scim.create_group("Writers", [ann["id"]])
    leads = scim.create_group("Leads", [ann["id"]])
    grants.map(writers, "Member", docs="Content Manager")
    grants.map(leads, "Admin", marketing="Developer")
    assert grants.of("ann@acme.example") == (
        "Admin",
        {DOCS: "Content Manager", MARKETING: "Developer"},
    )


def test_leaving_a_group_revokes_only_what_it_alone_granted(
    scim: ScimClient, grants: Roles
) -> None:
    ann = scim.create_user("ann@acme.example")
    writers = scim.create_group("Writers", [ann["id"]])
    leads = scim.create_group("Leads", [ann["id"]])
    grants.map(writers, "Member", docs="Content Manager")
    grants.map(leads, "Admin", docs="Developer", marketing="Developer")
    remove_member(scim, leads, ann["id"])
    assert grants.of("ann@acme.example") == ("Member", {DOCS: "Content Manager"})
    log = grants.audit_log()
    assert ("Role changed", "ann@acme.example: Admin → Member, left group Leads") in log


def test_unmapping_a_group_takes_back_its_roles(scim: ScimClient, grants: Roles) -> None:
    ann = scim.create_user("ann@acme.example")
    leads = scim.create_group("Leads", [ann["id"]])
    grants.map(leads, "Admin", marketing="Admin")
    grants.unmap(leads)
    assert grants.of("ann@acme.example") == ("Member", {})


def test_deleting_a_group_keeps_its_members_in_the_organization(
    scim: ScimClient, grants: Roles
) -> None:
    ann = scim.create_user("ann@acme.example")
    leads = scim.create_group("Leads", [ann["id"]])
    grants.map(leads, "Admin", docs="Developer")
    assert scim.delete(f"/Groups/{leads['id']}").status_code == 204
    assert grants.of("ann@acme.example") == ("Member", {})
    assert grants.storage.grants.mappings(ACME) == []
    events = [event for event, _ in grants.audit_log()]
    assert "Group mapping removed" in events and "User deprovisioned" not in events


def test_the_owner_in_a_mapped_member_group_stays_owner(scim: ScimClient, grants: Roles) -> None:
    olivia = scim.create_user("olivia.owner@acme.example")
    members = scim.create_group("Everyone", [olivia["id"]])
    grants.map(members, "Member", docs="Content Manager")
    assert grants.of("olivia.owner@acme.example") == ("Owner", {DOCS: "Content Manager"})
    admins = scim.create_group("Admins", [olivia["id"]])
    grants.map(admins, "Admin")
    assert grants.of("olivia.owner@acme.example")[0] == "Owner"
    assert scim.delete(f"/Users/{olivia['id']}").status_code == 204
    assert grants.of("olivia.owner@acme.example") == ("Owner", {})


def test_hand_added_people_keep_their_role_unless_a_group_raises_it(
    scim: ScimClient, grants: Roles
) -> None:
    sara = scim.create_user("sara.security@acme.example")  # a Security Manager by hand
    writers = scim.create_group("Writers", [sara["id"]])
    grants.map(writers, "Member")
    assert grants.of("sara.security@acme.example")[0] == "Security Manager"
    leads = scim.create_group("Leads", [sara["id"]])
    grants.map(leads, "Admin")
    assert grants.of("sara.security@acme.example")[0] == "Admin"
    remove_member(scim, leads, sara["id"])
    assert grants.of("sara.security@acme.example")[0] == "Security Manager"


def test_reactivation_restores_the_group_roles(scim: ScimClient, grants: Roles) -> None:
    ann = scim.create_user("ann@acme.example")
    leads = scim.create_group("Leads", [ann["id"]])
    grants.map(leads, "Admin", docs="Developer")
    off = patch_body({"op": "replace", "path": "active", "value": False})
    assert scim.patch(f"/Users/{ann['id']}", off).status_code == 200
    assert grants.of("ann@acme.example") == (None, {})
    on = patch_body({"op": "replace", "path": "active", "value": True})
    assert scim.patch(f"/Users/{ann['id']}", on).status_code == 200
    assert grants.of("ann@acme.example") == ("Admin", {DOCS: "Developer"})


def test_unmapped_groups_change_no_role(scim: ScimClient, grants: Roles) -> None:
    ann = scim.create_user("ann@acme.example")
    scim.create_group("Unmapped", [ann["id"]])
    assert grants.of("ann@acme.example") == ("Member", {})
    assert not [e for e, _ in grants.audit_log() if e.endswith("role changed")]


def test_a_mapping_never_grants_owner_or_unknown_roles(scim: ScimClient, grants: Roles) -> None:
    group = scim.create_group("Anyone")
    for org_role, stacks in (
        ("Owner", {}),
        ("Admin", {"nope": "Developer"}),
        ("Admin", {DOCS: "Boss"}),
    ):
        with pytest.raises(ValueError):
            check_mapping(grants.storage, ACME, group["id"], org_role, stacks)
    with pytest.raises(ValueError):
        check_mapping(grants.storage, ACME, "no-such-group", "Admin", {})
