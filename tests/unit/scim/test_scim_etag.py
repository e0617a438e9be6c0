"""ETags (RFC 7644 §3.14): meta.version, If-Match (412) and If-None-Match (304)."""

from __future__ import annotations

from tests.scim_helpers import ScimClient, assert_scim_error, new_user, patch_body


def test_versions_move_and_preconditions_hold(scim: ScimClient) -> None:
    user = scim.create_user("ada@example.com")
    path = f"/Users/{user['id']}"
    v1 = user["meta"]["version"]
    got = scim.get(path)
    assert got.headers["ETag"] == v1
    not_modified = scim.get(path, headers={"If-None-Match": v1})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert scim.get(path, headers={"If-None-Match": 'W/"999"'}).status_code == 200
    change = patch_body({"op": "add", "path": "title", "value": "Dr"})
    assert_scim_error(scim.patch(path, change, headers={"If-Match": 'W/"999"'}), 412)
    resp = scim.patch(path, change, headers={"If-Match": v1})
    v2 = resp.get_json()["meta"]["version"]
    assert resp.status_code == 200 and v2 != v1 and resp.headers["ETag"] == v2
    assert_scim_error(scim.put(path, new_user("ada@example.com"), headers={"If-Match": v1}), 412)
    assert_scim_error(scim.delete(path, headers={"If-Match": v1}), 412)
    assert (
        scim.put(
            path, new_user("ada@example.com", title="Dr"), headers={"If-Match": f'"x", {v2}'}
        ).status_code
        == 200
    )
    assert scim.delete(path, headers={"If-Match": "*"}).status_code == 204


def test_a_write_that_changes_nothing_keeps_the_version(scim: ScimClient) -> None:
    user = scim.create_user("ada@example.com", title="Dr")
    resp = scim.patch(
        f"/Users/{user['id']}", patch_body({"op": "replace", "path": "title", "value": "Dr"})
    )
    assert resp.get_json()["meta"]["version"] == user["meta"]["version"]
