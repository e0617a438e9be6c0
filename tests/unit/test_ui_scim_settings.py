"""The SCIM 2.0 tab: enabling with confirmation, tokens shown once, disabling, persistence."""

from __future__ import annotations

import re

from stub_server import create_app
from stub_server.storage import hash_token, storage_of
from tests.unit.conftest import ACME, UI_CONFIG, UiClient

OLIVIA = "olivia.owner@acme.example"
TAB = f"/organizations/{ACME}/settings/scim"
TOKEN_FIELD = re.compile(r'data-testid="scim-token"')
TOKEN_VALUE = re.compile(r'value="(scimproof_[^"]+)" data-testid="scim-token"')


def enabled(client: UiClient) -> None:
    """Enable SCIM through the confirmation form."""
    assert client.post(f"{TAB}/enable", {"confirm": "yes"}).status_code == 303


def issue(client: UiClient, confirm: str = "") -> str:
    """Generate a token through the form and read it from the page it redirects to."""
    response = client.post(f"{TAB}/token", {"confirm": confirm} if confirm else {})
    assert response.status_code == 303
    assert response.location == TAB
    page = client.get(TAB).get_data(as_text=True)
    found = TOKEN_VALUE.search(page)
    assert found, "the new token is not on the page"
    return found[1]


def test_the_tab_offers_the_checkbox_and_its_dialog(ui_client):
    body = ui_client(OLIVIA).get(TAB).get_data(as_text=True)
    assert '<input type="checkbox" id="enable-scim" name="enable_scim"' in body
    assert '<label for="enable-scim">Enable SCIM</label>' in body
    assert 'aria-labelledby="enable-scim-title"' in body
    assert '<h2 id="enable-scim-title">Enable SCIM 2.0</h2>' in body
    assert 'formmethod="dialog"' in body  # Cancel closes the dialog without a request


def test_ticking_without_confirming_changes_nothing(ui_client, ui_storage):
    client = ui_client(OLIVIA)
    response = client.post(f"{TAB}/enable", {"enable_scim": "on"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<dialog id="enable-scim-dialog"[^>]*\bopen\b', body)  # confirm, no JS
    assert not ui_storage.organization(ACME)["scim_enabled"]
    untouched = client.post(f"{TAB}/enable", {})
    assert untouched.status_code == 303
    assert not ui_storage.organization(ACME)["scim_enabled"]
    assert ui_storage.audit_entries(ACME) == []


def test_enabling_switches_scim_on_and_audits_once(ui_client, ui_storage):
    client = ui_client(OLIVIA)
    enabled(client)
    enabled(client)  # again: nothing new happens
    assert ui_storage.organization(ACME)["scim_enabled"]
    [entry] = ui_storage.audit_entries(ACME)
    assert (entry["event"], entry["application"], entry["remote_addr"]) == (
        "SCIM enabled",
        "Organization Settings",
        "127.0.0.1",
    )
    assert entry["actor"] == "Olivia Owner (olivia.owner@acme.example)"
    body = client.get(TAB).get_data(as_text=True)
    assert "SCIM 2.0 is enabled for Acme since" in body
    assert f'value="http://localhost/scim/v2.0/organizations/{ACME}"' in body
    assert 'aria-label="Copy SCIM base URL"' in body
    assert "SCIM 2.0 was already enabled for Acme." in body


def test_the_token_is_stored_as_a_hash_and_shown_once(ui_client, ui_storage, ui_db):
    client = ui_client(OLIVIA)
    enabled(client)
    token = issue(client)
    rows = ui_storage.connection().execute("SELECT * FROM scim_tokens").fetchall()
    assert [row["token_hash"] for row in rows] == [hash_token(token)]
    assert rows[0]["hint"] == token[-4:]
    ui_storage.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in ui_db.parent.iterdir():  # the database file and any WAL/SHM beside it
        assert token.encode() not in path.read_bytes(), path.name
    again = client.get(TAB).get_data(as_text=True)
    assert not TOKEN_FIELD.search(again)
    assert token not in again
    assert f'Active token ending in <strong class="token-hint">{token[-4:]}</strong>' in again


def test_the_token_is_not_in_the_session_cookie(ui_client):
    client = ui_client(OLIVIA)
    enabled(client)
    response = client.post(f"{TAB}/token")
    cookie = response.headers.get("Set-Cookie", "")
    token = TOKEN_VALUE.search(client.get(TAB).get_data(as_text=True))[1]
    assert token not in cookie


def test_a_new_token_revokes_the_previous_one(ui_client, ui_storage):
    client = ui_client(OLIVIA)
    enabled(client)
    first = issue(client)
    second = issue(client, confirm="yes")  # replacing a live token is confirmed
    assert first != second
    assert ui_storage.org_for_token(first) is None
    assert ui_storage.org_for_token(second) == ACME
    events = [(e["event"], e["details"]) for e in ui_storage.audit_entries(ACME)]
    assert events[:3] == [
        ("SCIM token generated", f"token ending {second[-4:]}"),
        ("SCIM token revoked", f"token ending {first[-4:]} replaced by a new one"),
        ("SCIM token generated", f"token ending {first[-4:]}"),
    ]


def test_no_token_while_scim_is_off(ui_client, ui_storage):
    response = ui_client(OLIVIA).post(f"{TAB}/token")
    assert response.status_code == 409
    assert "Enable it before generating a token" in response.get_data(as_text=True)
    assert ui_storage.active_token(ACME) is None


def test_disabling_asks_first_then_revokes_everything(ui_client, ui_storage):
    client = ui_client(OLIVIA)
    enabled(client)
    token = issue(client)
    asked = client.post(f"{TAB}/disable", {})
    assert asked.status_code == 200
    assert re.search(r'<dialog id="disable-scim-dialog"[^>]*\bopen\b', asked.get_data(as_text=True))
    assert ui_storage.organization(ACME)["scim_enabled"]
    assert client.post(f"{TAB}/disable", {"confirm": "yes"}).status_code == 303
    assert not ui_storage.organization(ACME)["scim_enabled"]
    assert ui_storage.org_for_token(token) is None
    assert [e["event"] for e in ui_storage.audit_entries(ACME)][:2] == [
        "SCIM disabled",
        "SCIM token revoked",
    ]
    body = client.get(TAB).get_data(as_text=True)
    assert 'id="enable-scim"' in body
    assert "Active token" not in body


def test_the_json_api_changes_the_same_state(ui_client, ui_storage):
    client = ui_client(OLIVIA)
    state = client.post(f"{TAB}/enable", {"confirm": "yes"}, json=True).get_json()
    assert state["scim_enabled"] is True
    assert state["scim_base_url"] == f"http://localhost/scim/v2.0/organizations/{ACME}"
    issued = client.post(f"{TAB}/token", json=True)
    assert issued.status_code == 201
    token = issued.get_json()["new_token"]
    assert issued.get_json()["token"]["hint"] == token[-4:]
    assert ui_storage.org_for_token(token) == ACME
    shown = client.get(TAB, json=True).get_json()
    assert shown["token"]["hint"] == token[-4:]
    assert token not in str(shown)
    refused = client.post(f"{TAB}/disable", {}, json=True)
    assert refused.status_code == 400  # JSON clients confirm explicitly
    assert ui_storage.organization(ACME)["scim_enabled"]


def test_settings_survive_a_restart(ui_db, ui_client):
    client = ui_client(OLIVIA)
    enabled(client)
    token = issue(client)
    restarted = create_app({"DATABASE": str(ui_db), **UI_CONFIG})
    assert storage_of(restarted).org_for_token(token) == ACME
    again = UiClient(restarted)
    assert again.sign_in(OLIVIA).status_code == 303
    body = again.get(TAB).get_data(as_text=True)
    assert "SCIM 2.0 is enabled for Acme since" in body
    assert token[-4:] in body
    assert token not in body


def test_the_audit_log_page_lists_entries_newest_first(ui_client):
    client = ui_client(OLIVIA)
    enabled(client)
    issue(client)
    body = client.get(f"/organizations/{ACME}/settings/audit-log").get_data(as_text=True)
    for column in ("Date and Time", "User", "Event", "Application", "Remote Address"):
        assert f'<th scope="col">{column}</th>' in body
    table = body[body.index("<tbody>") :]  # the filter's event list comes before the table
    assert table.index("SCIM token generated") < table.index("SCIM enabled")
    assert "Olivia Owner (olivia.owner@acme.example)" in body
    entries = client.get(f"/organizations/{ACME}/settings/audit-log", json=True).get_json()
    assert [e["event"] for e in entries["entries"]] == ["SCIM token generated", "SCIM enabled"]


def test_a_revealed_token_stays_with_whoever_generated_it(ui_client):
    olivia = ui_client(OLIVIA)
    enabled(olivia)
    olivia.post(f"{TAB}/token")
    adam = ui_client("adam.admin@acme.example")
    assert not TOKEN_FIELD.search(adam.get(TAB).get_data(as_text=True))
    assert TOKEN_FIELD.search(olivia.get(TAB).get_data(as_text=True))
