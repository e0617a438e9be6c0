"""Generate token asks before it revokes a live token, in the page and on the server."""

from __future__ import annotations

import re

import pytest

from stub_server.storage import Storage
from tests.unit.conftest import ACME, UiClient

OLIVIA = "olivia.owner@acme.example"
TAB = f"/organizations/{ACME}/settings/scim"
TOKEN_VALUE = re.compile(r'value="(scimproof_[^"]+)" data-testid="scim-token"')
REPLACE_DIALOG = re.compile(r'<dialog id="replace-token-dialog"[^>]*>')


@pytest.fixture
def live(ui_client) -> tuple[UiClient, str]:
    """Olivia, signed in, with SCIM on and the token she generated."""
    client = ui_client(OLIVIA)
    assert client.post(f"{TAB}/enable", {"confirm": "yes"}).status_code == 303
    assert client.post(f"{TAB}/token").status_code == 303  # the first token needs no question
    token = TOKEN_VALUE.search(client.get(TAB).get_data(as_text=True))[1]
    return client, token


def test_the_form_opens_a_confirmation_while_a_token_is_live(live):
    client, token = live
    body = client.get(TAB).get_data(as_text=True)
    assert 'data-confirm-dialog="replace-token-dialog"' in body
    dialog = REPLACE_DIALOG.search(body)
    assert dialog and " open" not in dialog[0]  # there, closed until Generate token is pressed
    assert f"The token ending in {token[-4:]} stops working at once" in body


def test_without_a_live_token_there_is_nothing_to_confirm(ui_client):
    client = ui_client(OLIVIA)
    client.post(f"{TAB}/enable", {"confirm": "yes"})
    body = client.get(TAB).get_data(as_text=True)
    assert 'data-confirm-dialog="replace-token-dialog"' not in body
    assert not REPLACE_DIALOG.search(body)


def test_an_unconfirmed_form_post_asks_and_revokes_nothing(live, ui_storage: Storage):
    client, token = live
    before = len(ui_storage.audit_entries(ACME))
    response = client.post(f"{TAB}/token")
    assert response.status_code == 200
    dialog = REPLACE_DIALOG.search(response.get_data(as_text=True))
    assert dialog and " open" in dialog[0]  # browsers without JavaScript confirm here
    assert ui_storage.org_for_token(token) == ACME
    assert len(ui_storage.audit_entries(ACME)) == before


@pytest.mark.parametrize("confirm", ["", "no", "YES "])
def test_an_unconfirmed_json_request_is_a_conflict(live, ui_storage: Storage, confirm):
    client, token = live
    body = {} if confirm == "" else {"confirm": confirm}
    response = client.http.post(
        f"{TAB}/token",
        json=body,
        headers={"Accept": "application/json", "X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 409
    assert f"A token ending in {token[-4:]} is live" in response.get_json()["message"]
    assert "confirm=yes" in response.get_json()["message"]
    assert ui_storage.org_for_token(token) == ACME


def test_automation_confirms_with_a_field(live, ui_storage: Storage):
    client, token = live
    response = client.http.post(
        f"{TAB}/token",
        json={"confirm": "yes"},
        headers={"Accept": "application/json", "X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 201
    new = response.get_json()["new_token"]
    assert ui_storage.org_for_token(token) is None
    assert ui_storage.org_for_token(new) == ACME
    assert [e["event"] for e in ui_storage.audit_entries(ACME)][:2] == [
        "SCIM token generated",
        "SCIM token revoked",
    ]


def test_a_confirmed_replacement_still_needs_the_csrf_token(live, ui_storage: Storage):
    client, token = live
    response = client.post(f"{TAB}/token", {"confirm": "yes"}, csrf="forged")
    assert response.status_code == 400
    assert ui_storage.org_for_token(token) == ACME


@pytest.mark.parametrize("email", ["max.member@acme.example", "paula.viewer@acme.example"])
def test_a_confirmed_replacement_still_needs_the_role(live, ui_client, ui_storage, email):
    _olivia, token = live
    response = ui_client(email).post(f"{TAB}/token", {"confirm": "yes"})
    assert response.status_code == 403
    assert ui_storage.org_for_token(token) == ACME
    assert ui_storage.audit_entries(ACME)[0]["event"] == "SCIM settings change refused"
