"""Every state-changing form needs the session's CSRF token."""

from __future__ import annotations

import pytest

from tests.unit.conftest import ACME

OLIVIA = "olivia.owner@acme.example"
ENABLE = f"/organizations/{ACME}/settings/scim/enable"
EXPIRED = "The form has expired"


@pytest.mark.parametrize("token", ["", "not-the-token"])
def test_enable_without_the_right_token_is_refused(ui_client, ui_storage, token):
    client = ui_client(OLIVIA)
    response = client.post(ENABLE, {"confirm": "yes"}, csrf=token)
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    assert not ui_storage.organization(ACME)["scim_enabled"]
    assert ui_storage.audit_entries(ACME) == []


def test_a_token_from_another_session_is_refused(ui_client, ui_storage):
    other = ui_client("adam.admin@acme.example")
    client = ui_client(OLIVIA)
    assert other.csrf != client.csrf
    assert client.post(ENABLE, {"confirm": "yes"}, csrf=other.csrf).status_code == 400
    assert not ui_storage.organization(ACME)["scim_enabled"]


@pytest.mark.parametrize("action", ["disable", "token"])
def test_other_scim_forms_need_the_token_too(ui_client, ui_storage, action):
    ui_storage.set_scim_enabled(ACME, True)
    first = ui_storage.issue_token(ACME, created_by="test")
    client = ui_client(OLIVIA)
    response = client.post(
        f"/organizations/{ACME}/settings/scim/{action}", {"confirm": "yes"}, csrf=""
    )
    assert response.status_code == 400
    assert ui_storage.organization(ACME)["scim_enabled"]
    assert ui_storage.org_for_token(first) == ACME


def test_sign_in_needs_the_token(ui_client):
    client = ui_client()
    response = client.http.post("/sign-in", data={"email": OLIVIA, "password": "scimproof-demo"})
    assert response.status_code == 400
    assert client.get(f"/organizations/{ACME}/stacks").status_code == 302


def test_json_clients_get_a_json_refusal(ui_client, ui_storage):
    response = ui_client(OLIVIA).post(ENABLE, {"confirm": "yes"}, csrf="", json=True)
    assert response.status_code == 400
    assert EXPIRED in response.get_json()["message"]
    assert not ui_storage.organization(ACME)["scim_enabled"]


def test_the_token_may_come_in_a_header_with_a_json_body(ui_client, ui_storage):
    client = ui_client(OLIVIA)
    response = client.http.post(
        ENABLE, json={"confirm": "yes"}, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 200
    assert response.get_json()["scim_enabled"] is True
    assert ui_storage.organization(ACME)["scim_enabled"]


def test_the_token_survives_page_views_but_not_sign_in(ui_client):
    client = ui_client(OLIVIA)
    first = client.csrf
    assert client.refresh_csrf(f"/organizations/{ACME}/settings/scim") == first
    client.post("/sign-out")
    client.sign_in(OLIVIA)
    assert client.csrf != first  # a new session, a new token
