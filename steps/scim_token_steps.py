"""Steps about SCIM bearer tokens: generating, showing once, copying, revoking, using them."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from steps.pages import navigation
from steps.pages.scim_settings_page import ScimSettingsPage
from steps.people import organization_uid
from steps.scim_client import IdentityProvider, IssuedToken
from steps.settings_client import SettingsClient


def _generate_on_page(page: Page) -> IssuedToken:
    scim = ScimSettingsPage(page).expect_loaded()
    secret = scim.generate_token()
    return IssuedToken(secret=secret, scim_base_url=scim.base_url_field.input_value())


@given(
    parsers.parse('{who} has generated a SCIM token for "{organization}"'),
    target_fixture="first_token",
)
def has_generated_token(
    page: Page, base_url: str, actor_client: SettingsClient, who: str, organization: str
) -> IssuedToken:
    """Already done from this browser session: SCIM enabled and a token generated; the SCIM
    2.0 tab is open."""
    uid = organization_uid(organization)
    actor_client.enable_scim(uid)
    issued = actor_client.generate_token(uid)
    navigation.go_straight_to_scim_settings(page, base_url, organization)
    ScimSettingsPage(page).expect_loaded()
    return IssuedToken(secret=issued["new_token"], scim_base_url=issued["scim_base_url"])


@when(parsers.parse("{who} generates a SCIM token"), target_fixture="first_token")
def generate_token(page: Page, who: str) -> IssuedToken:
    """Press Generate token on the open SCIM 2.0 tab."""
    return _generate_on_page(page)


@when(parsers.parse("{who} generates another SCIM token"), target_fixture="second_token")
def generate_another_token(page: Page, who: str) -> IssuedToken:
    """Press Generate token again and confirm that the live token is revoked."""
    scim = ScimSettingsPage(page).expect_loaded()
    secret = scim.replace_token()
    return IssuedToken(secret=secret, scim_base_url=scim.base_url_field.input_value())


@when(
    parsers.parse("{who} generates a SCIM token and reloads the page"),
    target_fixture="first_token",
)
def generate_and_reload(page: Page, who: str) -> IssuedToken:
    """Press Generate token, then reload the page."""
    token = _generate_on_page(page)
    page.reload()
    return token


@when(parsers.parse("{who} copies the new token"))
def copy_token(page: Page, context: BrowserContext, base_url: str, who: str) -> None:
    """Press Copy token next to the token on screen."""
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    scim = ScimSettingsPage(page)
    scim.copy_token.click()
    expect(scim.copy_status).to_have_text("Token copied.")


@then("the new token is shown with a warning that it will not be shown again")
def token_shown_with_warning(page: Page, first_token: IssuedToken) -> None:
    """The secret is on screen, in the token's shape, beside the warning."""
    scim = ScimSettingsPage(page)
    expect(scim.new_token_field).to_have_value(first_token.secret)
    expect(scim.new_token_warning).to_be_visible()


@then("the clipboard holds the new token")
def clipboard_holds_token(page: Page, first_token: IssuedToken) -> None:
    """Exactly the secret was copied."""
    assert page.evaluate("navigator.clipboard.readText()") == first_token.secret


@then("no token is shown, only the last four characters of the new token")
def token_not_shown_again(page: Page, first_token: IssuedToken) -> None:
    """After a reload only the token's hint is left; the secret is nowhere in the page."""
    scim = ScimSettingsPage(page).expect_loaded()
    expect(scim.active_token_line).to_contain_text(first_token.secret[-4:])
    expect(scim.new_token_field).to_have_count(0)
    assert first_token.secret not in page.content()


@then("the settings show the last four characters of the second token")
def shows_second_hint(page: Page, second_token: IssuedToken) -> None:
    """The live token the tab describes is the second one."""
    scim = ScimSettingsPage(page)
    expect(scim.active_token_line).to_contain_text(second_token.secret[-4:])
    expect(scim.new_token_field).to_have_value(second_token.secret)


@then(
    parsers.re(r"the SCIM API (?P<verdict>accepts|refuses) the (?P<which>new|first|second) token")
)
def scim_api_verdict(request: pytest.FixtureRequest, verdict: str, which: str) -> None:
    """Call the SCIM API at the base URL the page showed: 200 when accepted, 401 when not."""
    fixture = "second_token" if which == "second" else "first_token"
    token: IssuedToken = request.getfixturevalue(fixture)
    response = IdentityProvider(token).test_connection()
    expected = 200 if verdict == "accepts" else 401
    assert response.status_code == expected, (
        f"GET {response.url} with the {which} token: expected {expected}, "
        f"got {response.status_code} {response.text[:200]}"
    )
