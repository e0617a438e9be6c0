"""Steps that talk HTTP directly: requests forged from a browser session, and state checks
made behind the scenes with the organization Owner's own session.
"""

from __future__ import annotations

import requests
from playwright.sync_api import BrowserContext, Page
from pytest_bdd import parsers, then, when

from steps.pages.all_stacks_page import AllStacksPage
from steps.people import Person, check_actor, organization_uid, owner_of
from steps.settings_api import SettingsApi, browser_session_post, scim_settings_path


@when(
    parsers.parse(
        '{who} sends a request to enable SCIM 2.0 for "{organization}" from the browser session'
    ),
    target_fixture="forged_response",
)
def forge_enable_request(
    page: Page, context: BrowserContext, base_url: str, actor: Person, who: str, organization: str
) -> requests.Response:
    """POST the enable form by hand with the browser's cookie and a valid CSRF token.

    The token comes from All Stacks, a page the person may see, so a refusal can only come
    from the role, plan or membership check, never from CSRF.
    """
    check_actor(actor, who)
    csrf_token = AllStacksPage(page).expect_loaded().csrf_token()
    path = scim_settings_path(organization_uid(organization)) + "/enable"
    return browser_session_post(
        base_url, path, context.cookies(), csrf_token, {"enable_scim": "on", "confirm": "yes"}
    )


@then(parsers.parse("the server refuses it with status {status:d}"))
def refused_with(forged_response: requests.Response, status: int) -> None:
    """The forged request got this status and a JSON error that says why."""
    assert forged_response.status_code == status, (
        f"expected {status}, got {forged_response.status_code}: {forged_response.text[:300]}"
    )
    assert forged_response.headers["Content-Type"].startswith("application/json")
    assert forged_response.json()["message"]


@then(parsers.parse('SCIM 2.0 is still off for "{organization}"'))
def scim_still_off(base_url: str, organization: str) -> None:
    """The organization's Owner sees SCIM off and no live token."""
    api = SettingsApi(base_url).sign_in(owner_of(organization))
    state = api.scim_state(organization_uid(organization))
    assert state["scim_enabled"] is False, state
    assert state["token"] is None, state
