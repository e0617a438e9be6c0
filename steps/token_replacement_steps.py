"""Steps about replacing a live SCIM token: the confirmation, cancelling it, skipping it."""

from __future__ import annotations

import requests
from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import parsers, then, when

from steps.pages.scim_settings_page import ScimSettingsPage
from steps.people import Person, check_actor, organization_uid
from steps.scim_token_steps import IssuedToken
from steps.settings_api import browser_session_post, scim_settings_path


@when(parsers.parse("{who} starts generating another SCIM token"))
def start_replacing(page: Page, actor: Person, who: str) -> None:
    """Press Generate token while a token is live."""
    check_actor(actor, who)
    ScimSettingsPage(page).expect_loaded().start_replacing_token()


@when(parsers.parse("{who} starts generating another SCIM token and cancels"))
def cancel_replacing(page: Page, actor: Person, who: str) -> None:
    """Press Generate token, then Cancel in the confirmation."""
    check_actor(actor, who)
    ScimSettingsPage(page).expect_loaded().cancel_replacing_token()


@when(
    parsers.parse(
        '{who} sends a request to generate a SCIM token for "{organization}" from the browser '
        "session without confirming"
    ),
    target_fixture="forged_response",
)
def forge_unconfirmed_token_request(
    page: Page, context: BrowserContext, base_url: str, actor: Person, who: str, organization: str
) -> requests.Response:
    """POST Generate token by hand, with the browser's cookie and CSRF token but no confirm."""
    check_actor(actor, who)
    csrf_token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert csrf_token, f"{page.url} carries no CSRF token"
    path = scim_settings_path(organization_uid(organization)) + "/token"
    return browser_session_post(base_url, path, context.cookies(), csrf_token, {})


@then("she is asked to confirm that the first token stops working")
def asked_to_confirm(page: Page, first_token: IssuedToken) -> None:
    """The dialog names the live token by its last four characters; nothing changed yet."""
    scim = ScimSettingsPage(page)
    expect(scim.replace_dialog).to_contain_text(
        f"The token ending in {first_token.secret[-4:]} stops working at once"
    )
    expect(scim.active_token_line).to_contain_text(first_token.secret[-4:])


@then("the settings still show the last four characters of the first token")
def still_first_hint(page: Page, first_token: IssuedToken) -> None:
    """After a reload the live token the tab describes is still the first one."""
    page.reload()
    scim = ScimSettingsPage(page).expect_loaded()
    expect(scim.active_token_line).to_contain_text(first_token.secret[-4:])
