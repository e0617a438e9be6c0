"""User CRUD (RFC 7644 §3.3-§3.6) and the attribute characteristics as behaviour."""

from __future__ import annotations

from stub_server.storage import Storage
from tests.scim_helpers import (
    ACME,
    ENTERPRISE,
    USER,
    ScimClient,
    assert_scim_error,
    new_user,
)


def test_create_returns_201_location_etag_and_meta(scim: ScimClient) -> None:
    resp = scim.post("/Users", new_user("ada@example.com", name={"givenName": "Ada"}))
    assert resp.status_code == 201
    body = resp.get_json()
    assert resp.headers["Location"] == body["meta"]["location"]
    assert body["meta"]["location"].endswith(f"{scim.base}/Users/{body['id']}")
    assert resp.headers["ETag"] == body["meta"]["version"]
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["created"] == body["meta"]["lastModified"]
    assert body["name"] == {"givenName": "Ada"}
    assert scim.get(f"/Users/{body['id']}").get_json() == body


def test_read_only_values_are_ignored_and_names_are_case_insensitive(scim: ScimClient) -> None:
    body = scim.create_user(
        "ada@example.com",
        id="chosen-by-client",
        USERNAME="ignored?",
        groups=[{"value": "x"}],
        meta={"version": 'W/"99"'},
        NAME={"GIVENNAME": "Ada"},
    )
    assert body["id"] != "chosen-by-client"
    assert body["meta"]["version"] == 'W/"1"'
    assert "groups" not in body
    assert body["name"] == {"givenName": "Ada"}


def test_username_is_unique_case_insensitively(scim: ScimClient) -> None:
    scim.create_user("Ada@Example.com")
    assert_scim_error(scim.post("/Users", new_user("ada@EXAMPLE.com")), 409, "uniqueness")
    other = scim.create_user("bob@example.com")
    resp = scim.put(f"/Users/{other['id']}", new_user("ADA@example.com"))
    assert_scim_error(resp, 409, "uniqueness")


def test_required_and_type_checks(scim: ScimClient) -> None:
    assert_scim_error(scim.post("/Users", {"schemas": [USER]}), 400, "invalidValue")
    assert_scim_error(scim.post("/Users", new_user("  ")), 400, "invalidValue")
    assert_scim_error(scim.post("/Users", new_user("a@x", active="yes")), 400, "invalidValue")
    assert_scim_error(
        scim.post("/Users", new_user("a@x", emails={"value": "a@x"})), 400, "invalidValue"
    )
    assert_scim_error(scim.post("/Users", new_user("a@x", nickName=["x"])), 400, "invalidValue")
    assert_scim_error(scim.post("/Users", new_user("a@x", shoeSize=44)), 400, "invalidValue")
    two_primaries = [{"value": "a@x", "primary": True}, {"value": "b@x", "primary": True}]
    assert_scim_error(
        scim.post("/Users", new_user("a@x", emails=two_primaries)), 400, "invalidValue"
    )
    assert_scim_error(
        scim.post("/Users", {"schemas": ["urn:example:Thing"], "userName": "a"}),
        400,
        "invalidValue",
    )
    assert_scim_error(scim.post("/Users", {"userName": "a@x"}), 400, "invalidValue")
    assert_scim_error(
        scim.post("/Users", new_user("a@x", x509Certificates=[{"value": "%%"}])),
        400,
        "invalidValue",
    )


def test_enterprise_extension_round_trips(scim: ScimClient) -> None:
    manager = scim.create_user("boss@example.com")
    body = scim.create_user(
        "ada@example.com",
        **{
            ENTERPRISE: {
                "employeeNumber": "42",
                "manager": {"value": manager["id"], "displayName": "ro"},
            }
        },
    )
    assert body["schemas"] == [USER, ENTERPRISE]
    assert body[ENTERPRISE] == {"employeeNumber": "42", "manager": {"value": manager["id"]}}


def test_password_is_write_only_and_never_returned(scim: ScimClient, scim_storage: Storage) -> None:
    body = scim.create_user("ada@example.com", password="s3cret!")
    assert "password" not in body
    assert "password" not in scim.get(f"/Users/{body['id']}", attributes="password").get_json()
    stored = (
        scim_storage.connection()
        .execute("SELECT password_hash, resource FROM scim_users WHERE id = ?", (body["id"],))
        .fetchone()
    )
    assert stored["password_hash"].startswith("sha256$") and "s3cret" not in stored["resource"]
    assert_scim_error(scim.get("/Users", filter='password eq "s3cret!"'), 400, "invalidFilter")


def test_put_replaces_everything_writable(scim: ScimClient) -> None:
    body = scim.create_user("ada@example.com", nickName="ace", title="Dr")
    resp = scim.put(f"/Users/{body['id']}", new_user("ada@example.com", title="Prof"))
    assert resp.status_code == 200
    replaced = resp.get_json()
    assert replaced["title"] == "Prof" and "nickName" not in replaced
    assert replaced["id"] == body["id"]
    assert replaced["meta"]["created"] == body["meta"]["created"]
    assert replaced["meta"]["version"] == 'W/"2"'


def test_delete_then_404_for_every_operation(scim: ScimClient) -> None:
    body = scim.create_user("ada@example.com")
    path = f"/Users/{body['id']}"
    resp = scim.delete(path)
    assert resp.status_code == 204 and resp.data == b""
    assert_scim_error(scim.get(path), 404)
    assert_scim_error(scim.put(path, new_user("ada@example.com")), 404)
    assert_scim_error(
        scim.patch(
            path,
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "add", "path": "title", "value": "x"}],
            },
        ),
        404,
    )
    assert_scim_error(scim.delete(path), 404)
    assert (
        scim.get("/Users", filter='userName eq "ada@example.com"').get_json()["totalResults"] == 0
    )


def test_contentstack_membership_follows_provisioning(
    scim: ScimClient, scim_storage: Storage
) -> None:
    body = scim.create_user(
        "new.person@acme.example", name={"givenName": "New", "familyName": "Person"}
    )
    account = scim_storage.account_by_email("new.person@acme.example")
    assert account is not None and account["first_name"] == "New"
    assert scim_storage.role_in(account["uid"], ACME) == "Member"
    path = f"/Users/{body['id']}"
    deactivate = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "active", "value": False}],
    }
    assert scim.patch(path, deactivate).status_code == 200
    assert scim_storage.role_in(account["uid"], ACME) is None
    assert scim_storage.account(account["uid"]) is not None  # the account remains
    reactivate = {
        "schemas": deactivate["schemas"],
        "Operations": [{"op": "replace", "value": {"active": True}}],
    }
    assert scim.patch(path, reactivate).status_code == 200
    assert scim_storage.role_in(account["uid"], ACME) == "Member"
    assert scim.delete(path).status_code == 204
    assert scim_storage.role_in(account["uid"], ACME) is None
    events = [
        (e["event"], e["application"], e["remote_addr"]) for e in scim_storage.audit_entries(ACME)
    ]
    assert [e[0] for e in events[:4]] == [
        "User deprovisioned",
        "User reactivated",
        "User deactivated",
        "User provisioned",
    ]
    assert all(app == "SCIM API" and addr == "127.0.0.1" for _, app, addr in events[:4])


def test_existing_members_keep_their_role_and_the_owner_is_never_removed(
    scim: ScimClient, scim_storage: Storage
) -> None:
    admin = scim_storage.account_by_email("adam.admin@acme.example")
    owner = scim_storage.account_by_email("olivia.owner@acme.example")
    admin_user = scim.create_user("Adam.Admin@acme.example")
    owner_user = scim.create_user("olivia.owner@acme.example")
    assert scim_storage.role_in(admin["uid"], ACME) == "Admin"
    scim.delete(f"/Users/{admin_user['id']}")
    assert scim_storage.role_in(admin["uid"], ACME) is None
    scim.delete(f"/Users/{owner_user['id']}")
    assert scim_storage.role_in(owner["uid"], ACME) == "Owner"
    assert "Owner" in scim_storage.audit_entries(ACME)[0]["details"]


def test_user_without_email_is_stored_but_joins_no_organization(
    scim: ScimClient, scim_storage: Storage
) -> None:
    before = scim_storage.connection().execute("SELECT count(*) FROM memberships").fetchone()[0]
    scim.create_user("not-an-email")
    after = scim_storage.connection().execute("SELECT count(*) FROM memberships").fetchone()[0]
    assert before == after
    scim.create_user("second", emails=[{"value": "second@acme.example", "type": "work"}])
    assert scim_storage.account_by_email("second@acme.example") is not None
