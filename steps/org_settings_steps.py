"""Steps about Organization Settings → SCIM 2.0: enabling, cancelling, disabling, plan and role
limits. Every route to the tab goes through ``steps.pages.navigation``.
"""

from __future__ import annotations

from playwright.sync_api import Page, Response, expect
from pytest_bdd import given, parsers, then, when

from steps.pages import navigation
from steps.pages.header import SiteHeader
from steps.pages.scim_settings_page import ScimSettingsPage
from steps.people import Person, organization_uid, owner_of
from steps.sessions import Sessions
from steps.settings_client import SettingsClient


@given(parsers.parse('SCIM 2.0 is off for "{organization}"'))
def scim_is_off(sessions: Sessions, organization: str) -> None:
    """The organization's Owner switches SCIM off (revoking its token) when it is on."""
    owner = sessions.client(owner_of(organization))
    uid = organization_uid(organization)
    if owner.scim_state(uid)["scim_enabled"]:
        assert owner.disable_scim(uid)["scim_enabled"] is False


@given(parsers.parse('{who} has enabled SCIM 2.0 for "{organization}"'))
def has_enabled_scim(
    page: Page, base_url: str, actor_client: SettingsClient, who: str, organization: str
) -> None:
    """Already done from this browser session: SCIM enabled; the SCIM 2.0 tab is open."""
    state = actor_client.enable_scim(organization_uid(organization))
    assert state["scim_enabled"], state
    navigation.go_straight_to_scim_settings(page, base_url, organization)
    ScimSettingsPage(page).expect_loaded()


@when(parsers.parse('{who} enables SCIM 2.0 for "{organization}"'))
def enable_scim(page: Page, base_url: str, who: str, organization: str) -> None:
    """On the SCIM 2.0 tab, tick Enable SCIM and confirm with Enable."""
    navigation.go_straight_to_scim_settings(page, base_url, organization)
    ScimSettingsPage(page).expect_loaded().enable()


@when(parsers.parse('{who} ticks Enable SCIM for "{organization}" and cancels the confirmation'))
def cancel_enabling(page: Page, base_url: str, who: str, organization: str) -> None:
    """On the SCIM 2.0 tab, tick Enable SCIM, then press Cancel in the dialog."""
    navigation.go_straight_to_scim_settings(page, base_url, organization)
    ScimSettingsPage(page).expect_loaded().cancel_enabling()


@when(parsers.parse('{who} opens the SCIM 2.0 settings of "{organization}"'))
def open_scim_settings(page: Page, base_url: str, who: str, organization: str) -> None:
    """Go All Stacks → ORGANIZATION → Settings → SCIM 2.0."""
    navigation.scim_settings(page, base_url, organization)


@when(parsers.parse("{who} disables SCIM 2.0 and confirms"))
def disable_scim(page: Page, who: str) -> None:
    """Press Disable SCIM on the open tab and confirm with Disable."""
    ScimSettingsPage(page).expect_loaded().disable()


@when(parsers.parse("{who} opens the ORGANIZATION menu"))
def open_organization_menu(page: Page, base_url: str, actor: Person, who: str) -> None:
    """Expand the ORGANIZATION menu on All Stacks."""
    navigation.all_stacks(page, base_url, actor.organization).header.open_organization_menu()


@when(
    parsers.parse('{who} goes straight to the SCIM 2.0 settings address of "{organization}"'),
    target_fixture="last_response",
)
def go_straight_to_scim(page: Page, base_url: str, who: str, organization: str) -> Response:
    """Type the SCIM 2.0 tab's address instead of using the menus."""
    return navigation.go_straight_to_scim_settings(page, base_url, organization)


@when(
    parsers.parse('a visitor opens the SCIM 2.0 settings address of "{organization}"'),
    target_fixture="last_response",
)
def visitor_opens_scim(page: Page, base_url: str, organization: str) -> Response:
    """A signed-out visitor follows a link to the SCIM 2.0 tab."""
    return navigation.go_straight_to_scim_settings(page, base_url, organization)


@then("the SCIM 2.0 settings show SCIM as enabled")
def shows_enabled(page: Page) -> None:
    """The tab says SCIM is on and offers no Enable SCIM checkbox any more."""
    scim = ScimSettingsPage(page).expect_loaded()
    expect(scim.enabled_status).to_be_visible()
    expect(scim.enable_checkbox).to_have_count(0)
    expect(scim.disable_button).to_be_visible()


@then("the SCIM 2.0 settings show SCIM as disabled")
def shows_disabled(page: Page) -> None:
    """The tab offers the unticked checkbox again and no URL or token."""
    scim = ScimSettingsPage(page).expect_loaded()
    expect(scim.enable_checkbox).not_to_be_checked()
    expect(scim.enabled_status).to_have_count(0)
    expect(scim.base_url_field).to_have_count(0)
    expect(scim.active_token_line).to_have_count(0)


@then(parsers.parse('the SCIM 2.0 settings show the SCIM base URL of "{organization}"'))
def shows_base_url(page: Page, base_url: str, organization: str) -> None:
    """The base URL is the organization's SCIM endpoint on this host, with a Copy button."""
    scim = ScimSettingsPage(page)
    expected = f"{base_url}/scim/v2.0/organizations/{organization_uid(organization)}"
    expect(scim.base_url_field).to_have_value(expected)
    expect(scim.copy_base_url).to_be_enabled()


@then("the Enable SCIM checkbox is not ticked")
def checkbox_not_ticked(page: Page) -> None:
    """The confirmation is closed and the checkbox is unticked."""
    scim = ScimSettingsPage(page)
    expect(scim.enable_dialog).to_be_hidden()
    expect(scim.enable_checkbox).not_to_be_checked()


@then("the Enable SCIM checkbox is disabled")
def checkbox_disabled(page: Page) -> None:
    """The checkbox cannot be ticked."""
    expect(ScimSettingsPage(page).enable_checkbox).to_be_disabled()


@then("the page explains that the plan does not include SCIM 2.0")
def plan_explained(page: Page) -> None:
    """The tab names the limitation and whom to contact."""
    scim = ScimSettingsPage(page).expect_loaded()
    expect(scim.plan_notice).to_be_visible()
    expect(scim.plan_explanation).to_be_visible()


@then("the menu offers no Settings entry")
def no_settings_entry(page: Page) -> None:
    """The open ORGANIZATION menu lists organizations but no Settings."""
    header = SiteHeader(page)
    expect(header.organization_list).to_be_visible()
    expect(header.settings_link).to_have_count(0)


@then(parsers.parse('the server answers {status:d} with the page "{title}"'))
def answers_with_page(page: Page, last_response: Response, status: int, title: str) -> None:
    """The direct visit got this status and an error page with this headline."""
    assert last_response.status == status, f"expected {status}, got {last_response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


@then(parsers.parse('the SCIM 2.0 settings of "{organization}" are shown'))
def scim_settings_shown(page: Page, base_url: str, organization: str) -> None:
    """The browser is on the organization's SCIM 2.0 tab."""
    expect(page).to_have_url(navigation.scim_settings_address(base_url, organization))
    ScimSettingsPage(page).expect_loaded()


@then(parsers.parse('SCIM 2.0 is still off for "{organization}"'))
def scim_still_off(sessions: Sessions, organization: str) -> None:
    """The organization's Owner sees SCIM off and no live token."""
    state = sessions.client(owner_of(organization)).scim_state(organization_uid(organization))
    assert state["scim_enabled"] is False, state
    assert state["token"] is None, state
