"""Listing (RFC 7644 §3.4.2): sorting, paging, projection and POST /.search."""

from __future__ import annotations

import pytest

from stub_server import create_app
from stub_server.storage import ResourceQuery, Storage
from stub_server.storage.schema import BUCKET_BITS
from tests.scim_helpers import ACME, ENTERPRISE, OTHER, ScimClient, assert_scim_error

SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"


@pytest.fixture
def twelve(scim: ScimClient) -> list[dict]:
    """Twelve users created in order u00..u11 with descending familyNames."""
    return [
        scim.create_user(
            f"u{i:02d}@example.com",
            externalId=None if i % 3 else f"e{i}",
            name={"familyName": f"F{11 - i:02d}"},
        )
        for i in range(12)
    ]


def user_names(resp: object) -> list[str]:
    """The userNames of a list response, in order."""
    return [u["userName"][:3] for u in resp.get_json()["Resources"]]


def test_paging_is_one_based_and_count_is_capped(scim: ScimClient, twelve: list) -> None:
    page = scim.get("/Users", startIndex=3, count=4).get_json()
    assert page["totalResults"] == 12 and page["startIndex"] == 3
    assert page["itemsPerPage"] == 4
    assert [u["userName"][:3] for u in page["Resources"]] == ["u02", "u03", "u04", "u05"]
    assert user_names(scim.get("/Users", startIndex=-5, count=2)) == ["u00", "u01"]
    zero = scim.get("/Users", count=0).get_json()
    assert zero["totalResults"] == 12 and zero["Resources"] == [] and zero["itemsPerPage"] == 0
    assert scim.get("/Users", count=-3).get_json()["Resources"] == []
    beyond = scim.get("/Users", startIndex=50).get_json()
    assert beyond["totalResults"] == 12 and beyond["Resources"] == []
    assert scim.get("/Users", startIndex=10**30).get_json()["Resources"] == []
    assert_scim_error(scim.get("/Users", count="ten"), 400, "invalidValue")
    assert_scim_error(scim.get("/Users", startIndex="1.5"), 400, "invalidValue")


def test_count_above_maxresults_returns_100(scim: ScimClient) -> None:
    ops = [
        {
            "method": "POST",
            "path": "/Users",
            "bulkId": f"b{i}",
            "data": {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                "userName": f"bulk{i}@example.com",
            },
        }
        for i in range(105)
    ]
    bulk = scim.post(
        "/Bulk",
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops},
    )
    assert bulk.status_code == 200
    page = scim.get("/Users", count=500).get_json()
    assert page["totalResults"] == 105 and page["itemsPerPage"] == 100


def test_sorting_in_sql_and_in_python(scim: ScimClient, twelve: list) -> None:
    desc = user_names(scim.get("/Users", sortBy="userName", sortOrder="descending", count=3))
    assert desc == ["u11", "u10", "u09"]
    by_family = user_names(scim.get("/Users", sortBy="name.familyName", count=3))
    assert by_family == ["u11", "u10", "u09"]
    by_family_desc = user_names(
        scim.get("/Users", sortBy="name.familyName", sortOrder="DESCENDING", count=2, startIndex=2)
    )
    assert by_family_desc == ["u01", "u02"]
    external = user_names(scim.get("/Users", sortBy="externalId", sortOrder="descending"))
    assert external[:4] == ["u09", "u06", "u03", "u00"]  # then the users without one
    assert set(external[4:]) == {f"u{i:02d}" for i in range(12) if i % 3}
    filtered = scim.get(
        "/Users", filter="name.familyName pr", sortBy="meta.created", startIndex=11
    ).get_json()
    assert filtered["totalResults"] == 12 and user_names_json(filtered) == ["u10", "u11"]
    assert_scim_error(scim.get("/Users", sortBy="nosuch"), 400, "invalidValue")
    assert_scim_error(scim.get("/Users", sortBy="userName", sortOrder="up"), 400, "invalidValue")


def user_names_json(body: dict) -> list[str]:
    """The userName prefixes of a parsed list response."""
    return [u["userName"][:3] for u in body["Resources"]]


def test_attributes_and_excluded_attributes(scim: ScimClient) -> None:
    made = scim.create_user(
        "ada@example.com",
        title="Dr",
        name={"givenName": "Ada", "familyName": "L"},
        emails=[{"value": "a@x.example", "type": "work"}],
        **{ENTERPRISE: {"employeeNumber": "7", "department": "R&D"}},
    )
    only = scim.get(f"/Users/{made['id']}", attributes="userName,name.givenName").get_json()
    assert only == {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "id": made["id"],
        "userName": "ada@example.com",
        "name": {"givenName": "Ada"},
    }
    ext = scim.get(
        f"/Users/{made['id']}", attributes=f"{ENTERPRISE}:department,emails.value"
    ).get_json()
    assert ext[ENTERPRISE] == {"department": "R&D"} and ext["emails"] == [{"value": "a@x.example"}]
    assert ENTERPRISE in ext["schemas"]
    without = scim.get(
        f"/Users/{made['id']}", excludedAttributes=f"title,id,emails.type,{ENTERPRISE}"
    ).get_json()
    assert "title" not in without and without["id"] == made["id"]
    assert without["emails"] == [{"value": "a@x.example"}] and ENTERPRISE not in without
    assert without["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:User"]
    listed = scim.get("/Users", attributes="userName").get_json()["Resources"]
    assert listed == [{"schemas": only["schemas"], "id": made["id"], "userName": "ada@example.com"}]


def test_search_endpoints(scim: ScimClient, twelve: list) -> None:
    resp = scim.post(
        "/Users/.search",
        {
            "schemas": [SEARCH],
            "filter": 'userName sw "u1"',
            "attributes": ["userName"],
            "sortBy": "userName",
            "sortOrder": "descending",
            "count": 2,
        },
    )
    body = resp.get_json()
    assert resp.status_code == 200 and body["totalResults"] == 2
    assert [u["userName"] for u in body["Resources"]] == ["u11@example.com", "u10@example.com"]
    assert set(body["Resources"][0]) == {"schemas", "id", "userName"}
    group = scim.create_group("u-team", [twelve[0]["id"]])
    root = scim.post(
        "/.search", {"schemas": [SEARCH], "filter": "meta.created pr", "startIndex": 12, "count": 2}
    ).get_json()
    assert root["totalResults"] == 13
    assert [r["meta"]["resourceType"] for r in root["Resources"]] == ["User", "Group"]
    assert root["Resources"][1]["id"] == group["id"]
    only_groups = scim.post("/.search", {"schemas": [SEARCH], "filter": "members pr"}).get_json()
    assert [r["id"] for r in only_groups["Resources"]] == [group["id"]]
    assert_scim_error(scim.post("/.search", {"filter": "userName pr"}), 400, "invalidValue")
    assert_scim_error(
        scim.post("/.search", {"schemas": [SEARCH], "filter": "zzz pr"}), 400, "invalidFilter"
    )


def test_unfiltered_totals_follow_creates_deletes_and_restarts(
    scim: ScimClient, scim_app: object, scim_storage: object
) -> None:
    made = [scim.create_user(f"t{i}@example.com")["id"] for i in range(3)]
    scim.create_group("G", made[:1])
    scim.delete(f"/Users/{made[0]}")
    assert scim.get("/Users").get_json()["totalResults"] == 2
    assert scim.get("/Groups").get_json()["totalResults"] == 1
    with scim_storage.transaction() as conn:  # a database from before the count triggers
        conn.execute("DELETE FROM scim_counts")
    assert scim.get("/Users").get_json()["totalResults"] == 0  # the stale counter is used
    restarted = create_app({"DATABASE": scim_storage.path, "SECRET_KEY": "x"})
    again = ScimClient(restarted, ACME, scim.token)
    assert again.get("/Users").get_json()["totalResults"] == 2
    assert again.get("/Groups").get_json()["totalResults"] == 1


def test_deep_pages_by_bucket_match_a_plain_offset(scim_storage: Storage) -> None:
    """Pages past the first bucket of rows (the bucket shortcut) equal a plain OFFSET query,
    with another tenant's rows interleaved and holes left by deletions."""
    bucket = 1 << BUCKET_BITS
    with scim_storage.transaction() as conn:
        for n in range(4 * bucket):
            org = OTHER if n % 3 == 0 else ACME
            conn.execute(
                "INSERT INTO scim_users (org_uid, id, user_name, user_name_key, created,"
                " last_modified, version, resource) VALUES (?, ?, ?, ?, 'x', 'x', 1, '{}')",
                (org, f"id-{n}", f"u{n}", f"u{n}"),
            )
        conn.execute("DELETE FROM scim_users WHERE org_uid = ? AND seq % 7 = 0", (ACME,))
    conn = scim_storage.connection()
    plain = [
        row[0]
        for row in conn.execute("SELECT id FROM scim_users WHERE org_uid = ? ORDER BY seq", (ACME,))
    ]
    assert len(plain) > 2 * bucket
    for offset in (0, bucket - 1, bucket, bucket + 1, 2 * bucket - 5, len(plain) - 3, len(plain)):
        query = ResourceQuery(start_index=offset + 1, count=10)
        _, page = scim_storage.resources.search(ACME, "User", query)
        assert [stored.id for stored in page] == plain[offset : offset + 10], offset
