"""Groups (RFC 7643 §4.2): members, the users' computed ``groups``, deletes."""

from __future__ import annotations

from stub_server.storage import Storage
from tests.scim_helpers import GROUP, ScimClient, assert_scim_error, patch_body


def test_group_members_reference_users_and_users_list_their_groups(scim: ScimClient) -> None:
    ada = scim.create_user("ada@example.com")
    group = scim.create_group("Engineering", [ada["id"]])
    assert group["members"] == [
        {
            "value": ada["id"],
            "type": "User",
            "$ref": f"http://localhost{scim.base}/Users/{ada['id']}",
        }
    ]
    user = scim.get(f"/Users/{ada['id']}").get_json()
    assert user["groups"] == [
        {
            "value": group["id"],
            "display": "Engineering",
            "type": "direct",
            "$ref": f"http://localhost{scim.base}/Groups/{group['id']}",
        }
    ]


def test_members_must_exist_in_this_organization(scim: ScimClient, other_scim: ScimClient) -> None:
    foreign = other_scim.create_user("x@other.example")
    body = {"schemas": [GROUP], "displayName": "G", "members": [{"value": foreign["id"]}]}
    assert_scim_error(scim.post("/Groups", body), 400, "invalidValue")
    body["members"] = [{"value": "no-such-id"}]
    assert_scim_error(scim.post("/Groups", body), 400, "invalidValue")
    assert_scim_error(scim.post("/Groups", {"schemas": [GROUP]}), 400, "invalidValue")


def test_nested_groups_and_type_checks(scim: ScimClient) -> None:
    inner = scim.create_group("Inner")
    outer = scim.create_group("Outer", [inner["id"]])
    assert outer["members"][0]["type"] == "Group"
    wrong = {
        "schemas": [GROUP],
        "displayName": "W",
        "members": [{"value": inner["id"], "type": "User"}],
    }
    assert_scim_error(scim.post("/Groups", wrong), 400, "invalidValue")
    self_member = patch_body({"op": "add", "path": "members", "value": [{"value": outer["id"]}]})
    assert_scim_error(scim.patch(f"/Groups/{outer['id']}", self_member), 400, "invalidValue")


def test_patch_members_as_entra_and_okta_send_it(scim: ScimClient) -> None:
    ids = [scim.create_user(f"u{i}@example.com")["id"] for i in range(3)]
    group = scim.create_group("Team", ids[:1])
    path = f"/Groups/{group['id']}"
    added = scim.patch(
        path,
        patch_body(
            {"op": "Add", "path": "members", "value": [{"value": ids[1]}, {"value": ids[2]}]}
        ),
    )
    assert [m["value"] for m in added.get_json()["members"]] == ids
    removed = scim.patch(
        path, patch_body({"op": "Remove", "path": f'members[value eq "{ids[1]}"]'})
    )
    assert [m["value"] for m in removed.get_json()["members"]] == [ids[0], ids[2]]
    entra = scim.patch(
        path, patch_body({"op": "Remove", "path": "members", "value": [{"value": ids[0]}]})
    )
    assert [m["value"] for m in entra.get_json()["members"]] == [ids[2]]
    renamed = scim.patch(path, patch_body({"op": "Replace", "value": {"displayName": "Crew"}}))
    assert renamed.get_json()["displayName"] == "Crew"
    replaced = scim.patch(
        path, patch_body({"op": "replace", "path": "members", "value": [{"value": ids[0]}]})
    )
    assert [m["value"] for m in replaced.get_json()["members"]] == [ids[0]]
    listed = scim.get("/Groups", excludedAttributes="members").get_json()["Resources"][0]
    assert "members" not in listed and listed["displayName"] == "Crew"
    found = scim.get("/Groups", filter=f'members[value eq "{ids[0]}"]').get_json()
    assert [g["id"] for g in found["Resources"]] == [group["id"]]


def test_deleting_a_user_removes_it_from_groups(scim: ScimClient) -> None:
    ada = scim.create_user("ada@example.com")
    group = scim.create_group("G", [ada["id"]])
    scim.delete(f"/Users/{ada['id']}")
    after = scim.get(f"/Groups/{group['id']}").get_json()
    assert "members" not in after
    assert after["meta"]["version"] != group["meta"]["version"]


def test_deleting_a_group_keeps_its_users_in_the_organization(
    scim: ScimClient, scim_storage: Storage
) -> None:
    ada = scim.create_user("ada@example.com")
    group = scim.create_group("G", [ada["id"]])
    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    assert_scim_error(scim.get(f"/Groups/{group['id']}"), 404)
    assert "groups" not in scim.get(f"/Users/{ada['id']}").get_json()
    account = scim_storage.account_by_email("ada@example.com")
    assert scim_storage.role_in(account["uid"], "blt0acme000000001") == "Member"
    events = [e["event"] for e in scim_storage.audit_entries("blt0acme000000001")]
    assert events[0] == "Group deleted" and "Group created" in events
