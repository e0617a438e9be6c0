"""Organization Settings → SCIM 2.0 → Group Mapping, the Users page's roles, and All Stacks."""

from __future__ import annotations

import pytest

from stub_server.storage import Storage
from tests.scim_helpers import ScimClient
from tests.unit.conftest import ACME, BASIC

OWNER = "olivia.owner@acme.example"
ADMIN = "adam.admin@acme.example"
SECURITY = "sara.security@acme.example"
MEMBER = "max.member@acme.example"
VIEWER = "paula.viewer@acme.example"
TAB = f"/organizations/{ACME}/settings/scim"
MAPPINGS = f"{TAB}/group-mappings"
DOCS = "blt0stack00000002"


@pytest.fixture
def idp(ui_app, ui_storage: Storage) -> ScimClient:
    """Acme with SCIM on, and an identity provider holding its token."""
    ui_storage.set_scim_enabled(ACME, True)
    return ScimClient(ui_app, ACME, ui_storage.issue_token(ACME, "test"))


@pytest.fixture
def engineers(idp: ScimClient) -> dict:
    """A group the IdP pushed, with one provisioned member."""
    ann = idp.create_user("ann@acme.example", name={"givenName": "Ann", "familyName": "Lee"})
    return idp.create_group("Engineers", [ann["id"]])


def test_the_section_shows_only_while_scim_is_on(ui_client, ui_storage: Storage) -> None:
    owner = ui_client(OWNER)
    assert "Group Mapping" not in owner.get(TAB).get_data(as_text=True)
    ui_storage.set_scim_enabled(ACME, True)
    page = owner.get(TAB).get_data(as_text=True)
    assert '<h2 id="group-mapping-title">Group Mapping</h2>' in page
    assert "has not pushed any SCIM group yet" in page


@pytest.mark.parametrize("person", [OWNER, ADMIN, SECURITY])
def test_managers_map_a_group_from_the_form(ui_client, ui_storage, engineers, person) -> None:
    client = ui_client(person)
    page = client.get(TAB).get_data(as_text=True)
    assert f'<option value="{engineers["id"]}" >Engineers</option>' in page
    assert '<label for="mapping-org-role">Organization Role</label>' in page
    form = {"group_id": engineers["id"], "org_role": "Admin", f"stack_role.{DOCS}": "Developer"}
    response = client.post(MAPPINGS, form)
    assert response.status_code == 303 and response.location.endswith("#group-mapping")
    ann = ui_storage.account_by_email("ann@acme.example")
    assert ui_storage.role_in(ann["uid"], ACME) == "Admin"
    newest = ui_storage.audit_entries(ACME, limit=3)
    assert [e["event"] for e in newest] == [
        "Stack role changed",
        "Role changed",
        "Group mapping updated",
    ]
    assert {e["application"] for e in newest} == {"Organization Settings"}
    assert newest[0]["actor"].endswith(f"({person})")
    listed = client.get(TAB).get_data(as_text=True)
    assert "<td>Engineers</td>" in listed and "Docs Portal: Developer" in listed


@pytest.mark.parametrize("person", [MEMBER, VIEWER])
def test_others_can_neither_see_nor_post_and_are_audited(
    ui_client, ui_storage, engineers, person
) -> None:
    client = ui_client(person)
    assert client.get(TAB).status_code == 403
    form = {"group_id": engineers["id"], "org_role": "Admin"}
    assert client.post(MAPPINGS, form).status_code == 403
    assert client.post(MAPPINGS, form, json=True).status_code == 403
    assert ui_storage.grants.mappings(ACME) == []
    refused = ui_storage.audit_entries(ACME, limit=1)[0]
    assert refused["event"] == "SCIM settings change refused"
    assert refused["actor"].endswith(f"({person})")


def test_a_post_without_the_csrf_token_is_refused(ui_client, ui_storage, engineers) -> None:
    form = {"group_id": engineers["id"], "org_role": "Admin"}
    assert ui_client(OWNER).post(MAPPINGS, form, csrf="").status_code == 400
    assert ui_storage.grants.mappings(ACME) == []


def test_json_clients_map_by_stack_name_and_get_the_state(ui_client, engineers) -> None:
    client = ui_client(OWNER)
    body = {
        "group_id": engineers["id"],
        "organization_role": "Member",
        "stack_roles": {"Docs Portal": "Content Manager", "Mobile App": ""},
        "csrf_token": client.csrf,
    }
    response = client.http.post(MAPPINGS, json=body, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["mappings"] == [
        {
            "group_id": engineers["id"],
            "group": "Engineers",
            "organization_role": "Member",
            "stack_roles": {"Docs Portal": "Content Manager"},
        }
    ]
    state = client.get(TAB, json=True).get_json()["group_mapping"]
    assert [g["name"] for g in state["groups"]] == ["Engineers"]
    assert [s["name"] for s in state["stacks"]] == ["Docs Portal", "Marketing Site", "Mobile App"]


@pytest.mark.parametrize(
    ("org_role", "stacks", "message"),
    [
        ("Owner", {}, "Admin or Member"),
        ("Admin", {"Docs Portal": "Boss"}, "Stack roles are"),
        ("Admin", {"Intranet": "Developer"}, "does not have"),
    ],
)
def test_invalid_mappings_get_a_clear_400(ui_client, engineers, org_role, stacks, message):
    client = ui_client(OWNER)
    body = {"group_id": engineers["id"], "organization_role": org_role, "stack_roles": stacks}
    response = client.http.post(
        MAPPINGS, json=body, headers={"Accept": "application/json", "X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 400 and message in response.get_json()["message"]


def test_removing_a_mapping_takes_back_its_roles(ui_client, ui_storage, engineers) -> None:
    client = ui_client(OWNER)
    client.post(MAPPINGS, {"group_id": engineers["id"], "org_role": "Admin"})
    assert client.post(f"{MAPPINGS}/{engineers['id']}/remove").status_code == 303
    ann = ui_storage.account_by_email("ann@acme.example")
    assert ui_storage.role_in(ann["uid"], ACME) == "Member"
    assert client.post(f"{MAPPINGS}/{engineers['id']}/remove").status_code == 404


def test_mapping_needs_scim_on(ui_client, ui_storage, engineers) -> None:
    ui_storage.set_scim_enabled(ACME, False)
    response = ui_client(OWNER).post(MAPPINGS, {"group_id": engineers["id"], "org_role": "Admin"})
    assert response.status_code == 409


def test_the_users_page_says_how_each_person_got_their_roles(ui_client, engineers) -> None:
    client = ui_client(OWNER)
    form = {"group_id": engineers["id"], "org_role": "Admin", f"stack_role.{DOCS}": "Developer"}
    client.post(MAPPINGS, form)
    page = client.get(f"/organizations/{ACME}/settings/users").get_data(as_text=True)
    assert "<td>Admin (via group Engineers)</td>" in page
    assert "Docs Portal: Developer (via group Engineers)" in page
    assert "<td>Owner</td>" in page and "<td>Invitation</td>" in page and "<td>SCIM</td>" in page


def test_all_stacks_lists_the_seeded_stacks(ui_client) -> None:
    acme = ui_client(OWNER).get(f"/organizations/{ACME}/stacks").get_data(as_text=True)
    for name in ("Marketing Site", "Docs Portal", "Mobile App"):
        assert f"<h2>{name}</h2>" in acme
    basic = ui_client("bob.owner@basic.example").get(f"/organizations/{BASIC}/stacks")
    assert basic.get_data(as_text=True).count('class="card stack-card"') == 1
