"""Sign-in, sign-out, redirects of signed-out visitors, error pages and response headers."""

from __future__ import annotations

import pytest

from stub_server import create_app
from stub_server.seed import SEED_PASSWORD
from tests.unit.conftest import ACME, UI_CONFIG, UiClient

OLIVIA = "olivia.owner@acme.example"
SIGNED_IN_PAGES = [
    "/",
    f"/organizations/{ACME}/stacks",
    f"/organizations/{ACME}/settings/info",
    f"/organizations/{ACME}/settings/users",
    f"/organizations/{ACME}/settings/audit-log",
    f"/organizations/{ACME}/settings/scim",
]


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_out_visitor_is_sent_to_sign_in_with_next(ui_client, path):
    response = ui_client().get(path)
    assert response.status_code == 302
    assert response.location == f"/sign-in?next={path}"


def test_signed_out_json_client_gets_401(ui_client):
    response = ui_client().get(f"/organizations/{ACME}/settings/scim", json=True)
    assert response.status_code == 401
    assert response.get_json()["message"] == "Sign in to continue."


def test_sign_in_lands_on_all_stacks_with_a_safe_cookie(ui_client):
    client = ui_client()
    response = client.http.post(
        "/sign-in", data={"email": OLIVIA, "password": SEED_PASSWORD, "csrf_token": client.csrf}
    )
    assert response.status_code == 303
    assert response.location == f"/organizations/{ACME}/stacks"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    page = client.get(response.location)
    assert "<h1>All Stacks</h1>" in page.get_data(as_text=True)


def test_sign_in_follows_a_local_next(ui_client):
    client = ui_client()
    target = f"/organizations/{ACME}/settings/scim"
    response = client.http.post(
        "/sign-in",
        data={
            "email": OLIVIA,
            "password": SEED_PASSWORD,
            "csrf_token": client.csrf,
            "next": target,
        },
    )
    assert response.location == target


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_sign_in_ignores_a_next_pointing_elsewhere(ui_client, evil):
    client = ui_client()
    response = client.http.post(
        "/sign-in",
        data={"email": OLIVIA, "password": SEED_PASSWORD, "csrf_token": client.csrf, "next": evil},
    )
    assert response.location == f"/organizations/{ACME}/stacks"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        (OLIVIA, "wrong-password"),
        ("nobody@acme.example", SEED_PASSWORD),
    ],
)
def test_failed_sign_in_says_so_and_starts_no_session(ui_client, email, password):
    client = ui_client()
    response = client.sign_in(email, password)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The email or password is incorrect." in body
    assert 'role="alert"' in body
    assert client.get("/").status_code == 302  # still signed out


def test_empty_sign_in_asks_for_both_fields(ui_client):
    response = ui_client().sign_in("", "")
    assert "Enter your email and password." in response.get_data(as_text=True)


def test_sign_out_needs_post_and_csrf_then_ends_the_session(ui_client):
    client = ui_client(OLIVIA)
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out", csrf="").status_code == 400
    assert client.get(f"/organizations/{ACME}/stacks").status_code == 200  # still signed in
    response = client.post("/sign-out")
    assert response.status_code == 303
    assert response.location == "/sign-in"
    assert client.get(f"/organizations/{ACME}/stacks").status_code == 302
    assert "You have signed out." in client.get("/sign-in").get_data(as_text=True)


def test_unknown_page_is_a_404_page(ui_client):
    response = ui_client(OLIVIA).get("/no/such/page")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in body
    assert "Back to All Stacks" in body


def test_unknown_page_is_json_for_json_clients(ui_client):
    response = ui_client().get("/no/such/page", json=True)
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_scim_paths_keep_scim_errors(ui_client):
    response = ui_client().get("/scim/v2.0/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "application/scim+json"
    assert response.get_json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_unexpected_error_shows_no_traceback(ui_db):
    app = create_app({"DATABASE": str(ui_db), **UI_CONFIG})

    def boom() -> str:
        raise ZeroDivisionError("secret internals")

    app.add_url_rule("/boom", view_func=boom)
    response = UiClient(app).get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "ZeroDivisionError" not in body
    assert "secret internals" not in body
    assert "Traceback" not in body


def test_wrong_method_is_a_405_page_with_allow(ui_client):
    response = ui_client(OLIVIA).get(f"/organizations/{ACME}/settings/scim/enable")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"].split(", ")
    assert "That action is not available here" in response.get_data(as_text=True)


def test_pages_carry_protective_headers(ui_client):
    response = ui_client(OLIVIA).get(f"/organizations/{ACME}/settings/scim")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_person_without_organizations_is_told_so(ui_client, ui_storage):
    ui_storage.connection().execute(
        "DELETE FROM memberships WHERE account_uid = (SELECT uid FROM accounts WHERE email = ?)",
        (OLIVIA,),
    )
    response = ui_client(OLIVIA).get("/")
    assert response.status_code == 200
    assert "You are not in an organization" in response.get_data(as_text=True)


def test_organization_slug_redirects_to_the_uid_address(ui_client):
    response = ui_client(OLIVIA).get("/organizations/acme/settings/scim")
    assert response.status_code == 302
    assert response.location == f"/organizations/{ACME}/settings/scim"
