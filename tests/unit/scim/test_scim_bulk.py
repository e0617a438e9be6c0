"""Bulk (RFC 7644 §3.7): bulkId references, cycles, failOnErrors and the limits."""

from __future__ import annotations

from tests.scim_helpers import GROUP, USER, ScimClient, assert_scim_error

BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"


def bulk(scim: ScimClient, ops: list[dict], **extra: object) -> dict:
    """Send a BulkRequest and return the BulkResponse (asserting 200)."""
    resp = scim.post("/Bulk", {"schemas": [BULK], "Operations": ops, **extra})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.get_json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"]
    return resp.get_json()


def test_forward_references_resolve(scim: ScimClient) -> None:
    out = bulk(
        scim,
        [
            {
                "method": "POST",
                "path": "/Groups",
                "bulkId": "g",
                "data": {
                    "schemas": [GROUP],
                    "displayName": "G",
                    "members": [{"value": "bulkId:u1"}, {"value": "bulkId:u2"}],
                },
            },
            {
                "method": "POST",
                "path": "/Users",
                "bulkId": "u1",
                "data": {"schemas": [USER], "userName": "one@example.com"},
            },
            {
                "method": "POST",
                "path": "/Users",
                "bulkId": "u2",
                "data": {"schemas": [USER], "userName": "two@example.com"},
            },
            {
                "method": "PATCH",
                "path": "/Users/bulkId:u1",
                "data": {
                    "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                    "Operations": [{"op": "add", "path": "title", "value": "First"}],
                },
            },
        ],
    )
    statuses = [op["status"] for op in out["Operations"]]
    assert statuses == ["201", "201", "201", "200"]
    group_id = out["Operations"][0]["location"].rsplit("/", 1)[-1]
    group = scim.get(f"/Groups/{group_id}").get_json()
    user_ids = [op["location"].rsplit("/", 1)[-1] for op in out["Operations"][1:3]]
    assert [m["value"] for m in group["members"]] == user_ids
    assert scim.get(f"/Users/{user_ids[0]}").get_json()["title"] == "First"
    assert out["Operations"][0]["version"] == 'W/"1"'


def test_cycles_fail_with_409_and_unknown_ids_with_400(scim: ScimClient) -> None:
    out = bulk(
        scim,
        [
            {
                "method": "POST",
                "path": "/Groups",
                "bulkId": "a",
                "data": {
                    "schemas": [GROUP],
                    "displayName": "A",
                    "members": [{"value": "bulkId:b"}],
                },
            },
            {
                "method": "POST",
                "path": "/Groups",
                "bulkId": "b",
                "data": {
                    "schemas": [GROUP],
                    "displayName": "B",
                    "members": [{"value": "bulkId:a"}],
                },
            },
            {
                "method": "POST",
                "path": "/Groups",
                "bulkId": "c",
                "data": {
                    "schemas": [GROUP],
                    "displayName": "C",
                    "members": [{"value": "bulkId:nobody"}],
                },
            },
            {"method": "DELETE", "path": "/Users/does-not-exist"},
        ],
    )
    ops = out["Operations"]
    assert [op["status"] for op in ops] == ["409", "409", "400", "404"]
    assert ops[2]["response"]["scimType"] == "invalidValue"
    assert ops[3]["response"]["status"] == "404"
    assert scim.get("/Groups").get_json()["totalResults"] == 0


def test_fail_on_errors_stops_processing(scim: ScimClient) -> None:
    user = {"schemas": [USER], "userName": "dup@example.com"}
    out = bulk(
        scim,
        [
            {"method": "POST", "path": "/Users", "bulkId": "1", "data": user},
            {"method": "POST", "path": "/Users", "bulkId": "2", "data": user},
            {
                "method": "POST",
                "path": "/Users",
                "bulkId": "3",
                "data": {**user, "userName": "x@y"},
            },
        ],
        failOnErrors=1,
    )
    assert [op["status"] for op in out["Operations"]] == ["201", "409"]
    assert scim.get("/Users", filter='userName eq "x@y"').get_json()["totalResults"] == 0


def test_limits_and_bad_requests(scim: ScimClient, scim_app: object) -> None:
    op = {"method": "DELETE", "path": "/Users/x"}
    too_many = scim.post("/Bulk", {"schemas": [BULK], "Operations": [op] * 1001})
    assert_scim_error(too_many, 413)
    scim_app.config["SCIM_MAX_PAYLOAD"] = 200
    assert_scim_error(scim.post("/Bulk", {"schemas": [BULK], "Operations": [op] * 10}), 413)
    scim_app.config["SCIM_MAX_PAYLOAD"] = 1_048_576
    assert_scim_error(scim.post("/Bulk", {"Operations": []}), 400, "invalidValue")
    assert_scim_error(
        scim.post("/Bulk", {"schemas": [BULK], "Operations": [op], "failOnErrors": 0}),
        400,
        "invalidValue",
    )
    out = bulk(
        scim,
        [
            {"method": "POST", "path": "/Users", "data": {}},
            {"method": "GET", "path": "/Users"},
            {"method": "POST", "path": "/Devices", "bulkId": "d", "data": {}},
        ],
    )
    assert [o["status"] for o in out["Operations"]] == ["400", "400", "400"]
