"""scim2-server's real responses validate against the RFC JSON Schemas (a served server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from conformance.jsonschemas import validate, validate_resource
from conformance.urns import ENTERPRISE_USER as ENTERPRISE_USER_URN
from conformance.urns import GROUP as GROUP_URN
from conformance.urns import USER as USER_URN
from stub_server.serving import serve_in_thread
from tests.integration.conformance.faulty import TOKEN, scim2_server_app

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SEARCH = "rfc7644-3.4.3-search-request.json"
BULK_REQUEST = "rfc7644-3.7.3-bulk-request.json"


def fixture(name: str) -> dict:
    """A fresh copy of an RFC example payload from tests/fixtures."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# ------------------------------------------------------------------- scim2-server's responses


@pytest.fixture(scope="module")
def scim2_server() -> Iterator[requests.Session]:
    """scim2-server with its default RFC schemas, served on a free loopback port."""
    with serve_in_thread(scim2_server_app(TOKEN)) as server, requests.Session() as session:
        session.headers.update(
            {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/scim+json"}
        )
        session.base = f"http://127.0.0.1:{server.server_port}/v2"  # type: ignore[attr-defined]
        yield session


def get(session: requests.Session, path: str, **kwargs) -> requests.Response:
    return session.get(session.base + path, timeout=10, **kwargs)  # type: ignore[attr-defined]


def post(session: requests.Session, path: str, body: dict) -> requests.Response:
    return session.post(session.base + path, json=body, timeout=10)  # type: ignore[attr-defined]


def test_scim2_server_discovery_documents_validate(scim2_server):
    spc = get(scim2_server, "/ServiceProviderConfig").json()
    assert validate("ServiceProviderConfig", spc) == []
    for endpoint, schema_name, expected in (
        ("/ResourceTypes", "ResourceType", 2),
        ("/Schemas", "Schema", 3),
    ):
        listing = get(scim2_server, endpoint).json()
        assert validate("ListResponse", listing) == []
        assert len(listing["Resources"]) == expected
        for item in listing["Resources"]:
            assert validate(schema_name, item) == [], item.get("id")


def test_scim2_server_resources_validate_against_rfc_and_published_schemas(scim2_server):
    published = get(scim2_server, "/Schemas").json()["Resources"]
    resource_types = get(scim2_server, "/ResourceTypes").json()["Resources"]
    created = post(
        scim2_server,
        "/Users",
        {
            "schemas": [USER_URN, ENTERPRISE_USER_URN],
            "userName": "bjensen",
            "password": "t1meMa$heen",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "active": True,
            "emails": [{"value": "bjensen@example.com", "type": "work", "primary": True}],
            "x509Certificates": [{"value": "TUlJRFF6Q0NBcXlnQXdJQkFnSUNFQUF3"}],
            ENTERPRISE_USER_URN: {"employeeNumber": "701984", "manager": {"value": "26118915"}},
        },
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert validate("EnterpriseUser", user) == []
    assert validate_resource(user, published, resource_types) == []
    group = post(
        scim2_server,
        "/Groups",
        {
            "schemas": [GROUP_URN],
            "displayName": "Tour Guides",
            "members": [{"value": user["id"]}],
        },
    ).json()
    assert validate("Group", group) == []
    assert validate_resource(group, published) == []
    listing = get(scim2_server, "/Users", params={"attributes": "userName"}).json()
    assert validate("ListResponse", listing) == []
    search = post(scim2_server, "/Users/.search", fixture(SEARCH) | {"filter": 'userName sw "bj"'})
    assert validate("ListResponse", search.json()) == []
    for resource in search.json()["Resources"]:
        assert validate_resource(resource, published) == []


def test_scim2_server_errors_and_bulk_validate(scim2_server):
    responses = [
        get(scim2_server, "/Users/2819c223-0000"),
        get(scim2_server, "/Users", params={"filter": "userName eq"}),
        requests.get(scim2_server.base + "/Users", timeout=10),  # type: ignore[attr-defined]
        post(scim2_server, "/Groups", {"schemas": [GROUP_URN]}),
    ]
    assert [r.status_code for r in responses] == [404, 400, 401, 400]
    for response in responses:
        assert validate("Error", response.json()) == [], response.text
    bulk = post(scim2_server, "/Bulk", fixture(BULK_REQUEST))
    assert bulk.status_code == 200, bulk.text
    assert validate("BulkResponse", bulk.json()) == []
