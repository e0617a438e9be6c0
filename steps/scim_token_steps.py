"""Steps about SCIM bearer tokens: generating, showing once, revoking, and using them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from steps.pages import navigation
from steps.pages.scim_settings_page import ScimSettingsPage
from steps.people import Person, check_actor, organization_uid
from steps.settings_api import scim_connection_test, settings_action_in_browser


@dataclass(frozen=True)
class IssuedToken:
    """A token as the person copied it from the page, with the base URL shown next to it."""

    secret: str
    scim_base_url: str


def enable_and_issue_token(page: Page, base_url: str, organization: str) -> IssuedToken:
    """Enable SCIM and generate a token through the settings JSON API of the browser session."""
    uid = organization_uid(organization)
    state = settings_action_in_browser(page, base_url, uid, "enable", {"confirm": "yes"})
    issued = settings_action_in_browser(page, base_url, uid, "token", {})
    return IssuedToken(secret=issued["new_token"], scim_base_url=state["scim_base_url"])


def _generate(page: Page) -> IssuedToken:
    scim = ScimSettingsPage(page).expect_loaded()
    secret = scim.generate_token()
    return IssuedToken(secret=secret, scim_base_url=scim.base_url_field.input_value())


@given(
    parsers.parse('{who} has generated a SCIM token for "{organization}"'),
    target_fixture="first_token",
)
def has_generated_token(
    page: Page, base_url: str, actor: Person, who: str, organization: str
) -> IssuedToken:
    """Already done from this browser session: SCIM enabled and a token generated; the SCIM
    2.0 tab is open."""
    check_actor(actor, who)
    token = enable_and_issue_token(page, base_url, organization)
    navigation.go_straight_to_scim_settings(page, base_url, organization)
    ScimSettingsPage(page).expect_loaded()
    return token


@when(parsers.parse("{who} generates a SCIM token"), target_fixture="first_token")
def generate_token(page: Page, actor: Person, who: str) -> IssuedToken:
    """Press Generate token on the open SCIM 2.0 tab."""
    check_actor(actor, who)
    return _generate(page)


@when(parsers.parse("{who} generates another SCIM token"), target_fixture="second_token")
def generate_another_token(page: Page, actor: Person, who: str) -> IssuedToken:
    """Press Generate token again and confirm that the live token is revoked."""
    check_actor(actor, who)
    scim = ScimSettingsPage(page).expect_loaded()
    secret = scim.replace_token()
    return IssuedToken(secret=secret, scim_base_url=scim.base_url_field.input_value())


@when(parsers.parse("{who} reloads the page"))
def reload_page(page: Page, actor: Person, who: str) -> None:
    """Reload the page the browser is on."""
    check_actor(actor, who)
    page.reload()


@then("the first token is shown once and can be copied")
def token_shown_and_copied(
    page: Page, context: BrowserContext, base_url: str, first_token: IssuedToken
) -> None:
    """The secret is on screen with a warning, and Copy puts exactly it on the clipboard."""
    scim = ScimSettingsPage(page)
    expect(scim.new_token_field).to_have_value(first_token.secret)
    expect(scim.new_token_warning).to_be_visible()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    scim.copy_token.click()
    expect(scim.copy_status).to_have_text("Token copied.")
    assert page.evaluate("navigator.clipboard.readText()") == first_token.secret


@then("no token is shown, only the last four characters of the first token")
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


@then(parsers.re(r"the SCIM API (?P<verdict>accepts|refuses) the (?P<which>first|second) token"))
def scim_api_verdict(request: pytest.FixtureRequest, verdict: str, which: str) -> None:
    """Call the SCIM API at the base URL the page showed: 200 when accepted, 401 when not."""
    token: IssuedToken = request.getfixturevalue(f"{which}_token")
    response = scim_connection_test(token.scim_base_url, token.secret)
    expected = 200 if verdict == "accepts" else 401
    assert response.status_code == expected, (
        f"GET {response.url} with the {which} token: expected {expected}, "
        f"got {response.status_code} {response.text[:200]}"
    )
