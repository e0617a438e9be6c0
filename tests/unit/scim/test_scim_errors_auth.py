"""Errors (RFC 7644 §3.12), authentication, tenant isolation and the rate limit."""

from __future__ import annotations

import pytest
from flask import Flask

from stub_server.storage import Storage
from tests.scim_helpers import (
    ACME,
    BASIC,
    OTHER,
    ScimClient,
    assert_scim_error,
    base_path,
    new_user,
)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer scimproof_not-a-real-token"},
        {"Authorization": "bearer  "},
    ],
)
def test_bad_credentials_get_401_with_www_authenticate(
    scim_app: Flask, scim: ScimClient, headers: dict
) -> None:
    resp = scim_app.test_client().get(f"{base_path(ACME)}/Users", headers=headers)
    assert_scim_error(resp, 401)
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_foreign_tokens_get_the_same_401(
    scim_app: Flask, scim: ScimClient, other_scim: ScimClient, scim_storage: Storage
) -> None:
    http = scim_app.test_client()
    foreign = http.get(
        f"{base_path(ACME)}/Users", headers={"Authorization": f"Bearer {other_scim.token}"}
    )
    unknown_org = http.get(
        f"{base_path('blt0nosuchorg0000')}/Users", headers={"Authorization": f"Bearer {scim.token}"}
    )
    old = scim.token
    scim_storage.issue_token(ACME, "test")  # revokes the old one
    revoked = http.get(f"{base_path(ACME)}/Users", headers={"Authorization": f"Bearer {old}"})
    bodies = [assert_scim_error(r, 401) for r in (foreign, unknown_org, revoked)]
    assert bodies[0] == bodies[1] == bodies[2]


def test_scim_disabled_or_not_in_plan_gets_403(scim_app: Flask, scim_storage: Storage) -> None:
    token = scim_storage.issue_token(BASIC, "test")  # plan without SCIM, never enabled
    resp = ScimClient(scim_app, BASIC, token).get("/Users")
    assert_scim_error(resp, 403)
    scim_storage.set_scim_enabled(ACME, True)
    acme_token = scim_storage.issue_token(ACME, "test")
    with scim_storage.transaction() as conn:  # a token that outlived the switch (not via UI)
        conn.execute("UPDATE organizations SET scim_enabled = 0 WHERE uid = ?", (ACME,))
    assert_scim_error(ScimClient(scim_app, ACME, acme_token).get("/Users"), 403)
    scim_storage.set_scim_enabled(ACME, False)  # the real switch revokes: then 401
    assert_scim_error(ScimClient(scim_app, ACME, acme_token).get("/Users"), 401)


def test_tenants_are_isolated(scim: ScimClient, other_scim: ScimClient) -> None:
    ours = scim.create_user("same@example.com")
    theirs = other_scim.create_user("same@example.com")  # userName unique per organization
    group = other_scim.create_group("Theirs", [theirs["id"]])
    assert_scim_error(scim.get(f"/Users/{theirs['id']}"), 404)
    assert_scim_error(scim.get(f"/Groups/{group['id']}"), 404)
    assert_scim_error(scim.delete(f"/Users/{theirs['id']}"), 404)
    assert_scim_error(scim.put(f"/Users/{theirs['id']}", new_user("x@y")), 404)
    listing = scim.get("/Users").get_json()
    assert listing["totalResults"] == 1 and listing["Resources"][0]["id"] == ours["id"]
    assert scim.get("/Groups").get_json()["totalResults"] == 0
    assert other_scim.get(f"/Users/{theirs['id']}").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/Nothing", 404),
        ("GET", "/Users/a/b", 404),
        ("DELETE", "/Users", 405),
        ("POST", "/Users/some-id", 405),
        ("PUT", "/Groups", 405),
        ("GET", "/Bulk", 405),
        ("OPTIONS", "/Users", 405),
        ("GET", "/Me", 501),
        ("PATCH", "/Me", 501),
    ],
)
def test_unknown_paths_and_methods(scim: ScimClient, method: str, path: str, status: int) -> None:
    assert_scim_error(scim.call(method, path), status)


def test_paths_outside_the_organizations_are_scim_404(scim_app: Flask) -> None:
    http = scim_app.test_client()
    for path in ("/scim", "/scim/", "/scim/v2.0", "/scim/v2.0/organizations/x"):
        assert_scim_error(http.get(path), 404)


def test_bodies_that_are_not_scim_json(scim: ScimClient, scim_app: Flask) -> None:
    assert_scim_error(scim.post("/Users", raw=b"{not json"), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", raw=b""), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", raw=b'{"a": NaN}'), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", raw=b'"just a string"'), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", raw=b'{"userName": "\\ud800"}'), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", raw=b"\xff\xfe\x00"), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", raw=b"[" * 100_000), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", raw=b"{}", headers={"Content-Type": "text/plain"}), 415)
    as_json = scim.post(
        "/Users",
        raw=b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:'
        b'User"], "userName": "plain@json"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert as_json.status_code == 201
    huge = b'{"userName": "' + b"x" * (1_048_576 + 10) + b'"}'
    assert_scim_error(scim.post("/Users", raw=huge), 413)


def test_rate_limit_answers_429_with_headers(
    scim: ScimClient, scim_app: Flask, scim_storage: Storage
) -> None:
    limiter = scim_app.extensions["scimproof.scim_app"].extensions["scimproof.scim_ratelimiter"]
    now = [1000.0]
    limiter.clock = lambda: now[0]  # time stands still unless the test moves it
    assert "X-RateLimit-Limit" not in scim.get("/Users").headers  # off by default
    scim_app.config["SCIM_RATE_LIMIT"] = 3
    remaining = [scim.get("/Users").headers["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = scim.get("/Users")
    assert_scim_error(refused, 429)
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert int(refused.headers["Retry-After"]) >= 1
    now[0] += 1.0
    assert scim.get("/Users").status_code == 200
    with scim_storage.transaction() as conn:  # the organization's own limit wins
        conn.execute("UPDATE organizations SET scim_rate_limit = 50 WHERE uid = ?", (ACME,))
    assert scim.get("/Users").headers["X-RateLimit-Limit"] == "50"


def test_rate_limit_is_per_organization(
    scim: ScimClient, other_scim: ScimClient, scim_app: Flask
) -> None:
    limiter = scim_app.extensions["scimproof.scim_app"].extensions["scimproof.scim_ratelimiter"]
    limiter.clock = lambda: 5.0
    scim_app.config["SCIM_RATE_LIMIT"] = 1
    assert scim.get("/Users").status_code == 200
    assert scim.get("/Users").status_code == 429
    assert other_scim.get("/Users").status_code == 200
    assert OTHER != ACME


def test_the_settings_ui_is_untouched_by_scim(scim_app: Flask) -> None:
    resp = scim_app.test_client().get("/definitely-not-a-page")
    assert resp.status_code == 404 and resp.mimetype != "application/scim+json"
