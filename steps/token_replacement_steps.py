"""Steps about replacing a live SCIM token: the confirmation, cancelling it, skipping it."""

from __future__ import annotations

from playwright.sync_api import APIResponse, Page, expect
from pytest_bdd import parsers, then, when

from steps.pages.scim_settings_page import ScimSettingsPage
from steps.people import organization_uid
from steps.scim_client import IssuedToken
from steps.settings_client import SettingsClient, scim_settings_path


@when(parsers.parse("{who} starts generating another SCIM token"))
def start_replacing(page: Page, who: str) -> None:
    """Press Generate token while a token is live."""
    ScimSettingsPage(page).expect_loaded().start_replacing_token()


@when(parsers.parse("{who} starts generating another SCIM token and cancels"))
def cancel_replacing(page: Page, who: str) -> None:
    """Press Generate token, then Cancel in the confirmation."""
    ScimSettingsPage(page).expect_loaded().cancel_replacing_token()


@when(
    parsers.parse(
        '{who} sends a request to generate a SCIM token for "{organization}" from the browser '
        "session without confirming"
    ),
    target_fixture="forged_response",
)
def forge_unconfirmed_token_request(
    actor_client: SettingsClient, who: str, organization: str
) -> APIResponse:
    """POST Generate token by hand, with the browser's cookies and CSRF token but no confirm."""
    path = scim_settings_path(organization_uid(organization)) + "/token"
    return actor_client.post(path, {}, as_form=True)


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
