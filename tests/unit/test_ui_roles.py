"""Role checks on every settings route, the plan gate, and tenant isolation."""

from __future__ import annotations

import pytest

from stub_server import roles
from tests.unit.conftest import ACME, BASIC

PEOPLE_OF_ACME = {
    roles.OWNER: "olivia.owner@acme.example",
    roles.ADMIN: "adam.admin@acme.example",
    roles.SECURITY_MANAGER: "sara.security@acme.example",
    roles.MEMBER: "max.member@acme.example",
    roles.PRODUCT_ANALYTICS_VIEWER: "paula.viewer@acme.example",
}
BASIC_OWNER = "bob.owner@basic.example"
MANAGERS = sorted(roles.SCIM_MANAGERS)
NOT_MANAGERS = [roles.MEMBER, roles.PRODUCT_ANALYTICS_VIEWER]
SETTINGS_PAGES = ["info", "users", "audit-log", "scim"]
SCIM_ACTIONS = {  # action → form that would change something if allowed
    "enable": {"enable_scim": "on", "confirm": "yes"},
    "disable": {"confirm": "yes"},
    "token": {},
}


def scim_snapshot(storage, org_uid: str) -> tuple:
    """Everything a SCIM settings request could change."""
    org = storage.organization(org_uid)
    tokens = (
        storage.connection()
        .execute(
            "SELECT token_hash, revoked_at FROM scim_tokens WHERE org_uid = ? ORDER BY id",
            (org_uid,),
        )
        .fetchall()
    )
    return org["scim_enabled"], org["scim_enabled_at"], [tuple(t) for t in tokens]


def enable_with_token(storage, org_uid: str) -> str:
    """Put an organization in the state where every action would change something."""
    storage.set_scim_enabled(org_uid, True)
    return storage.issue_token(org_uid, created_by="test")


@pytest.mark.parametrize("page", SETTINGS_PAGES)
@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_settings_pages_open_for_managers_only(ui_client, role, page):
    response = ui_client(PEOPLE_OF_ACME[role]).get(f"/organizations/{ACME}/settings/{page}")
    if role in roles.SCIM_MANAGERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "You don&#39;t have access to this page" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_settings_entry_and_scim_tab_appear_for_managers_only(ui_client, role):
    client = ui_client(PEOPLE_OF_ACME[role])
    stacks = client.get(f"/organizations/{ACME}/stacks").get_data(as_text=True)
    allowed = role in roles.SCIM_MANAGERS
    assert (f'href="/organizations/{ACME}/settings/info"' in stacks) is allowed
    if allowed:
        info = client.get(f"/organizations/{ACME}/settings/info").get_data(as_text=True)
        assert f'href="/organizations/{ACME}/settings/scim"' in info
        assert 'aria-label="Organization Settings"' in info


@pytest.mark.parametrize("action", sorted(SCIM_ACTIONS))
@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_non_managers_are_refused_every_scim_change(ui_client, ui_storage, role, action):
    if action != "enable":
        enable_with_token(ui_storage, ACME)
    before = scim_snapshot(ui_storage, ACME)
    client = ui_client(PEOPLE_OF_ACME[role])
    response = client.post(f"/organizations/{ACME}/settings/scim/{action}", SCIM_ACTIONS[action])
    assert response.status_code == 403
    assert "Owner, Admin or Security Manager" in response.get_data(as_text=True)
    assert scim_snapshot(ui_storage, ACME) == before
    newest = ui_storage.audit_entries(ACME)[0]
    assert newest["event"] == "SCIM settings change refused"
    assert newest["actor"].endswith(f"({PEOPLE_OF_ACME[role]})")
    assert newest["application"] == "Organization Settings"
    assert newest["remote_addr"] == "127.0.0.1"


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_non_managers_get_json_403_when_asking_for_json(ui_client, ui_storage, role):
    client = ui_client(PEOPLE_OF_ACME[role])
    response = client.post(
        f"/organizations/{ACME}/settings/scim/enable", {"confirm": "yes"}, json=True
    )
    assert response.status_code == 403
    assert response.get_json()["status"] == 403
    assert not ui_storage.organization(ACME)["scim_enabled"]
    view = client.get(f"/organizations/{ACME}/settings/scim", json=True)
    assert view.status_code == 403
    assert ui_storage.audit_entries(ACME)[0]["event"] == "SCIM settings access refused"


@pytest.mark.parametrize("role", MANAGERS)
def test_managers_may_make_every_scim_change(ui_client, ui_storage, role):
    client = ui_client(PEOPLE_OF_ACME[role])
    base = f"/organizations/{ACME}/settings/scim"
    assert client.post(f"{base}/enable", SCIM_ACTIONS["enable"]).status_code == 303
    assert ui_storage.organization(ACME)["scim_enabled"]
    assert client.post(f"{base}/token").status_code == 303
    assert ui_storage.active_token(ACME) is not None
    assert client.post(f"{base}/disable", SCIM_ACTIONS["disable"]).status_code == 303
    assert not ui_storage.organization(ACME)["scim_enabled"]
    assert ui_storage.active_token(ACME) is None
    events = [e["event"] for e in ui_storage.audit_entries(ACME)]
    assert events == ["SCIM disabled", "SCIM token revoked", "SCIM token generated", "SCIM enabled"]


def test_plan_without_scim_shows_why_and_a_disabled_checkbox(ui_client):
    response = ui_client(BASIC_OWNER).get(f"/organizations/{BASIC}/settings/scim")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your plan does not include SCIM 2.0" in body
    assert "Contentstack support or sales" in body
    assert '<input type="checkbox" id="enable-scim" disabled' in body
    assert "/settings/scim/enable" not in body  # no form to submit


@pytest.mark.parametrize("action", sorted(SCIM_ACTIONS))
def test_plan_without_scim_refuses_every_change(ui_client, ui_storage, action):
    before = scim_snapshot(ui_storage, BASIC)
    client = ui_client(BASIC_OWNER)
    response = client.post(f"/organizations/{BASIC}/settings/scim/{action}", SCIM_ACTIONS[action])
    assert response.status_code == 403
    assert "does not include SCIM 2.0" in response.get_data(as_text=True)
    assert scim_snapshot(ui_storage, BASIC) == before
    newest = ui_storage.audit_entries(BASIC)[0]
    assert newest["event"] == "SCIM settings change refused"
    assert "Starter plan does not include SCIM" in newest["details"]


@pytest.mark.parametrize(
    "path", [*(f"settings/{page}" for page in SETTINGS_PAGES), "stacks", "settings"]
)
def test_acme_owner_cannot_see_basic_co(ui_client, path):
    client = ui_client(PEOPLE_OF_ACME[roles.OWNER])
    assert client.get(f"/organizations/{BASIC}/{path}").status_code == 404
    assert client.get(f"/organizations/basic-co/{path}").status_code == 404


@pytest.mark.parametrize("action", sorted(SCIM_ACTIONS))
def test_acme_owner_cannot_change_basic_co(ui_client, ui_storage, action):
    ui_storage.connection().execute(
        "UPDATE organizations SET plan_includes_scim = 1 WHERE uid = ?", (BASIC,)
    )
    if action != "enable":
        enable_with_token(ui_storage, BASIC)
    before = scim_snapshot(ui_storage, BASIC)
    audit_before = len(ui_storage.audit_entries(BASIC))
    client = ui_client(PEOPLE_OF_ACME[roles.OWNER])
    response = client.post(f"/organizations/{BASIC}/settings/scim/{action}", SCIM_ACTIONS[action])
    assert response.status_code == 404
    assert scim_snapshot(ui_storage, BASIC) == before
    assert len(ui_storage.audit_entries(BASIC)) == audit_before


def test_unknown_organization_is_404(ui_client):
    response = ui_client(PEOPLE_OF_ACME[roles.OWNER]).get("/organizations/blt0nope/settings/scim")
    assert response.status_code == 404


def test_role_is_checked_again_on_every_request(ui_client, ui_storage):
    client = ui_client(PEOPLE_OF_ACME[roles.ADMIN])
    assert client.get(f"/organizations/{ACME}/settings/scim").status_code == 200
    ui_storage.connection().execute(
        "UPDATE memberships SET role = ? WHERE account_uid = "
        "(SELECT uid FROM accounts WHERE email = ?)",
        (roles.MEMBER, PEOPLE_OF_ACME[roles.ADMIN]),
    )
    response = client.post(f"/organizations/{ACME}/settings/scim/enable", {"confirm": "yes"})
    assert response.status_code == 403
    assert not ui_storage.organization(ACME)["scim_enabled"]
