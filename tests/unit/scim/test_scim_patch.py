"""PATCH (RFC 7644 §3.5.2): paths, value filters, path-less forms, all-or-nothing."""

from __future__ import annotations

import pytest

from tests.scim_helpers import ENTERPRISE, ScimClient, assert_scim_error, patch_body


@pytest.fixture
def ada(scim: ScimClient) -> dict:
    """A user with e-mails, a name and an enterprise number."""
    return scim.create_user(
        "ada@example.com",
        name={"givenName": "Ada", "familyName": "Lovelace"},
        emails=[
            {"value": "ada@work.example", "type": "work", "primary": True},
            {"value": "ada@home.example", "type": "home"},
        ],
        **{ENTERPRISE: {"employeeNumber": "7"}},
    )


def patched(scim: ScimClient, user: dict, *ops: dict) -> dict:
    """Apply operations and return the new representation (asserting 200)."""
    resp = scim.patch(f"/Users/{user['id']}", patch_body(*ops))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def test_add_replace_remove_simple_and_sub_attributes(scim: ScimClient, ada: dict) -> None:
    out = patched(
        scim,
        ada,
        {"op": "add", "path": "title", "value": "Countess"},
        {"op": "REPLACE", "path": "name.givenName", "value": "Augusta"},
        {"op": "remove", "path": "name.familyName"},
    )
    assert out["title"] == "Countess" and out["name"] == {"givenName": "Augusta"}
    out = patched(scim, out, {"op": "add", "path": "name", "value": {"familyName": "King"}})
    assert out["name"] == {"givenName": "Augusta", "familyName": "King"}
    assert scim.get(f"/Users/{ada['id']}").get_json()["name"] == out["name"]


def test_value_filter_paths(scim: ScimClient, ada: dict) -> None:
    out = patched(
        scim,
        ada,
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "lovelace@work.example"},
    )
    assert out["emails"][0] == {"value": "lovelace@work.example", "type": "work", "primary": True}
    out = patched(
        scim,
        ada,
        {"op": "add", "path": 'emails[type eq "other"].value', "value": "a@other.example"},
    )
    assert out["emails"][-1] == {"type": "other", "value": "a@other.example"}
    out = patched(scim, ada, {"op": "remove", "path": 'emails[type eq "home"]'})
    assert [e["type"] for e in out["emails"]] == ["work", "other"]
    out = patched(scim, ada, {"op": "remove", "path": 'emails[type eq "fax"]'})
    assert len(out["emails"]) == 2  # nothing matched: nothing removed
    resp = scim.patch(
        f"/Users/{ada['id']}",
        patch_body({"op": "replace", "path": 'emails[type eq "fax"].value', "value": "x"}),
    )
    assert_scim_error(resp, 400, "noTarget")


def test_adding_a_primary_value_demotes_the_old_one(scim: ScimClient, ada: dict) -> None:
    out = patched(
        scim,
        ada,
        {"op": "add", "path": "emails", "value": [{"value": "new@example.com", "primary": True}]},
    )
    assert [e.get("primary") for e in out["emails"]] == [False, None, True]


def test_pathless_forms_entra_sends(scim: ScimClient, ada: dict) -> None:
    out = patched(
        scim,
        ada,
        {
            "op": "Replace",
            "value": {
                "active": False,
                "name.familyName": "Byron",
                "displayName": "Ada B",
                f"{ENTERPRISE}:department": "Math",
                'emails[type eq "work"].value': "b@work.example",
                ENTERPRISE: {"costCenter": "42"},
                "id": "ignored",
                "meta": {"version": "ignored"},
            },
        },
    )
    assert out["active"] is False and out["name"]["familyName"] == "Byron"
    assert out[ENTERPRISE] == {"employeeNumber": "7", "department": "Math", "costCenter": "42"}
    assert out["emails"][0]["value"] == "b@work.example" and out["id"] == ada["id"]
    out = patched(scim, ada, {"op": "remove", "path": ENTERPRISE})
    assert ENTERPRISE not in out and out["schemas"] == [
        "urn:ietf:params:scim:schemas:core:2.0:User"
    ]


def test_patch_is_all_or_nothing(scim: ScimClient, ada: dict) -> None:
    resp = scim.patch(
        f"/Users/{ada['id']}",
        patch_body(
            {"op": "replace", "path": "title", "value": "Changed"},
            {"op": "replace", "path": "active", "value": "not a boolean"},
        ),
    )
    assert_scim_error(resp, 400, "invalidValue")
    after = scim.get(f"/Users/{ada['id']}").get_json()
    assert "title" not in after and after["meta"]["version"] == ada["meta"]["version"]


@pytest.mark.parametrize(
    ("ops", "scim_type"),
    [
        ([{"op": "remove"}], "noTarget"),
        ([{"op": "add", "path": "nosuch", "value": 1}], "invalidPath"),
        ([{"op": "add", "path": 'emails[type eq "x"', "value": 1}], "invalidPath"),
        ([{"op": "add", "path": "name.nosuch", "value": 1}], "invalidPath"),
        ([{"op": "replace", "path": "id", "value": "x"}], "mutability"),
        (
            [{"op": "replace", "path": "meta.created", "value": "2020-01-01T00:00:00Z"}],
            "mutability",
        ),
        ([{"op": "remove", "path": "userName"}], "mutability"),
        ([{"op": "replace", "path": "userName", "value": None}], "invalidValue"),
        ([{"op": "move", "path": "title", "value": "x"}], "invalidValue"),
        ([{"op": "add", "path": "title"}], "invalidValue"),
        ([{"op": "add", "value": "not an object"}], "invalidValue"),
        ([], "invalidValue"),
        (["not an object"], "invalidValue"),
    ],
)
def test_bad_operations(scim: ScimClient, ada: dict, ops: list, scim_type: str) -> None:
    resp = scim.patch(f"/Users/{ada['id']}", patch_body(*ops))
    assert_scim_error(resp, 400, scim_type)


def test_patch_needs_the_patchop_schema(scim: ScimClient, ada: dict) -> None:
    resp = scim.patch(
        f"/Users/{ada['id']}", {"Operations": [{"op": "add", "path": "title", "value": "x"}]}
    )
    assert_scim_error(resp, 400, "invalidValue")


def test_password_change_through_patch(scim: ScimClient, ada: dict, scim_storage: object) -> None:
    out = patched(scim, ada, {"op": "replace", "path": "password", "value": "n3w!"})
    assert "password" not in out
    stored = (
        scim_storage.connection()
        .execute("SELECT password_hash FROM scim_users WHERE id = ?", (ada["id"],))
        .fetchone()
    )
    assert stored["password_hash"].startswith("sha256$")


def test_adding_values_already_held_changes_nothing(scim: ScimClient, ada: dict) -> None:
    """RFC 7644 §3.5.2.1: re-adding present e-mails keeps them, their primary and meta."""
    again = [{"value": "ada@work.example", "type": "work", "primary": True}]
    out = patched(scim, ada, {"op": "add", "path": "emails", "value": again})
    out = patched(
        scim, out, {"op": "add", "path": "emails", "value": [{"value": "ada@home.example"}]}
    )
    assert out["emails"] == ada["emails"]
    assert out["meta"]["lastModified"] == ada["meta"]["lastModified"]
    assert out["meta"]["version"] == ada["meta"]["version"]
