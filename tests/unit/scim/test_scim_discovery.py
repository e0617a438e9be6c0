"""Discovery endpoints (RFC 7644 §4): ServiceProviderConfig, ResourceTypes, Schemas."""

from __future__ import annotations

from tests.scim_helpers import ENTERPRISE, GROUP, USER, ScimClient, assert_scim_error


def test_service_provider_config_advertises_what_is_implemented(scim: ScimClient) -> None:
    resp = scim.get("/ServiceProviderConfig")
    assert resp.status_code == 200 and resp.mimetype == "application/scim+json"
    spc = resp.get_json()
    assert spc["patch"] == {"supported": True}
    assert spc["bulk"] == {"supported": True, "maxOperations": 1000, "maxPayloadSize": 1048576}
    assert spc["filter"] == {"supported": True, "maxResults": 100}
    assert spc["sort"]["supported"] and spc["etag"]["supported"]
    assert spc["changePassword"]["supported"]
    assert spc["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    assert spc["meta"]["location"].endswith(f"{scim.base}/ServiceProviderConfig")


def test_resource_types_list_and_by_name(scim: ScimClient) -> None:
    listing = scim.get("/ResourceTypes").get_json()
    assert listing["totalResults"] == 2
    by_id = {rt["id"]: rt for rt in listing["Resources"]}
    assert by_id["User"]["schema"] == USER
    assert by_id["User"]["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    assert by_id["Group"]["endpoint"] == "/Groups"
    assert scim.get("/ResourceTypes/Group").get_json()["schema"] == GROUP
    assert_scim_error(scim.get("/ResourceTypes/Device"), 404)


def test_schemas_carry_the_rfc_definitions(scim: ScimClient) -> None:
    listing = scim.get("/Schemas").get_json()
    ids = {s["id"] for s in listing["Resources"]}
    assert {USER, GROUP, ENTERPRISE} <= ids
    assert {"ServiceProviderConfig", "ResourceType", "Schema"} <= {
        s["name"] for s in listing["Resources"]
    }
    user = scim.get(f"/Schemas/{USER}").get_json()
    attrs = {a["name"]: a for a in user["attributes"]}
    assert attrs["userName"]["uniqueness"] == "server" and attrs["userName"]["required"]
    assert attrs["userName"]["caseExact"] is False
    assert attrs["password"]["returned"] == "never"
    assert attrs["password"]["mutability"] == "writeOnly"
    assert attrs["groups"]["mutability"] == "readOnly"
    assert {s["name"] for s in attrs["emails"]["subAttributes"]} == {
        "value",
        "display",
        "type",
        "primary",
    }
    group = scim.get(f"/Schemas/{GROUP}").get_json()
    members = next(a for a in group["attributes"] if a["name"] == "members")
    value = next(s for s in members["subAttributes"] if s["name"] == "value")
    assert value["mutability"] == "immutable"
    assert_scim_error(scim.get("/Schemas/urn:example:nothing"), 404)


def test_discovery_refuses_filters_and_other_methods(scim: ScimClient) -> None:
    assert_scim_error(scim.get("/Schemas", filter='id eq "x"'), 403)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        resp = scim.call(method, "/ServiceProviderConfig")
        assert_scim_error(resp, 405)
        assert "GET" in resp.headers["Allow"]
