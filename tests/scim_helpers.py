"""Helpers shared by the SCIM service tests of every room: constants, a SCIM test client,
assertions, and the fixtures of a seeded stub with an enabled organization (conftests import
them)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from stub_server.storage import Storage, storage_of
from tests.reusable_stub import ReusableStub

ACME = "blt0acme000000001"
BASIC = "blt0basic00000002"
OTHER = "blt0other00000003"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_TYPE = "application/scim+json"


def base_path(org_uid: str) -> str:
    """The SCIM base path of an organization."""
    return f"/scim/v2.0/organizations/{org_uid}"


def new_user(user_name: str, **extra: Any) -> dict:
    """A minimal valid User body."""
    return {"schemas": [USER], "userName": user_name, **extra}


def patch_body(*operations: dict) -> dict:
    """A PatchOp body."""
    return {"schemas": [PATCH], "Operations": list(operations)}


class ScimClient:
    """A test client bound to one organization's SCIM base path and bearer token."""

    def __init__(self, app: Flask, org_uid: str, token: str | None) -> None:
        self.http = app.test_client()
        self.base = base_path(org_uid)
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**out, **(headers or {})}

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> TestResponse:
        """Send one request; ``body`` goes as application/scim+json, ``raw`` as-is."""
        hdrs = self._headers(headers)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            hdrs.setdefault("Content-Type", SCIM_TYPE)
        return self.http.open(
            self.base + path, method=method, data=data, headers=hdrs, query_string=params or None
        )

    def get(self, path: str, **kw: Any) -> TestResponse:
        """GET."""
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> TestResponse:
        """POST."""
        return self.call("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> TestResponse:
        """PUT."""
        return self.call("PUT", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> TestResponse:
        """PATCH."""
        return self.call("PATCH", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> TestResponse:
        """DELETE."""
        return self.call("DELETE", path, **kw)

    def create_user(self, user_name: str, **extra: Any) -> dict:
        """Create a user and return its representation (asserting 201)."""
        resp = self.post("/Users", new_user(user_name, **extra))
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return resp.get_json()

    def create_group(self, name: str, member_ids: list[str] = ()) -> dict:
        """Create a group and return its representation (asserting 201)."""
        body = {
            "schemas": [GROUP],
            "displayName": name,
            "members": [{"value": m} for m in member_ids],
        }
        resp = self.post("/Groups", body)
        assert resp.status_code == 201, resp.get_data(as_text=True)
        return resp.get_json()


def assert_scim_error(resp: TestResponse, status: int, scim_type: str | None = None) -> dict:
    """Assert an RFC 7644 §3.12 error response and return its body."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == SCIM_TYPE
    body = resp.get_json(force=True)
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert isinstance(body.get("detail"), str) and body["detail"]
    if scim_type is not None:
        assert body.get("scimType") == scim_type, body
    assert "Traceback" not in resp.get_data(as_text=True)
    return body


def add_other_organization(storage: Storage) -> None:
    """A second SCIM-capable organization beside the seeded ones."""
    with storage.transaction() as conn:
        conn.execute(
            "INSERT INTO organizations (uid, slug, name, plan, plan_includes_scim) "
            "VALUES (?, 'other', 'Other Corp', 'Enterprise', 1)",
            (OTHER,),
        )


@pytest.fixture(scope="session")
def reusable_scim_stub(tmp_path_factory: pytest.TempPathFactory) -> ReusableStub:
    """The seeded stub with the other organization, built once per session."""
    database = tmp_path_factory.mktemp("scim") / "stub.sqlite3"
    return ReusableStub(database, {"SECRET_KEY": "scim-tests"}, add_other_organization)


@pytest.fixture
def scim_app(reusable_scim_stub: ReusableStub) -> Flask:
    """The seeded stub on its SQLite file, with a second SCIM-capable organization, in the
    state a newly built one has (see tests.reusable_stub)."""
    return reusable_scim_stub.fresh()


@pytest.fixture
def scim_storage(scim_app: Flask) -> Storage:
    """The app's storage, to check what really changed."""
    return storage_of(scim_app)


@pytest.fixture
def scim_token(scim_storage: Storage) -> str:
    """A live token of Acme, whose SCIM is enabled."""
    scim_storage.set_scim_enabled(ACME, True)
    return scim_storage.issue_token(ACME, "test")


@pytest.fixture
def scim(scim_app: Flask, scim_token: str) -> ScimClient:
    """A client for Acme's SCIM service."""
    return ScimClient(scim_app, ACME, scim_token)


@pytest.fixture
def other_scim(scim_app: Flask, scim_storage: Storage) -> ScimClient:
    """A client for the other organization's SCIM service (its own token)."""
    scim_storage.set_scim_enabled(OTHER, True)
    return ScimClient(scim_app, OTHER, scim_storage.issue_token(OTHER, "test"))
