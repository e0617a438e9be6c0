"""How people reach each screen. The classic path to SCIM 2.0 lives here and only here:
All Stacks → ORGANIZATION → Settings → SCIM 2.0. Screens a scenario only needs to look at or
work in (Users, Audit Log, Group Mapping) are opened by their address: one page load instead
of four, and none when the screen is already shown.
"""

from __future__ import annotations

from urllib.parse import urlencode

from playwright.sync_api import Page, Response

from steps.pages.all_stacks_page import AllStacksPage
from steps.pages.audit_log_page import AuditLogPage
from steps.pages.group_mapping_section import GroupMappingSection
from steps.pages.organization_settings_page import OrganizationSettingsPage, SettingsNavigation
from steps.pages.scim_settings_page import ScimSettingsPage
from steps.pages.users_page import UsersPage
from steps.people import organization_uid


def all_stacks(page: Page, base_url: str, organization: str) -> AllStacksPage:
    """Show All Stacks of the organization (the landing page), switching if needed."""
    stacks = AllStacksPage(page)
    if not page.url.endswith(f"/organizations/{organization_uid(organization)}/stacks"):
        page.goto(f"{base_url}/")
        stacks.expect_loaded()
        if organization not in stacks.header.organization_button.inner_text():
            stacks.switch_to(organization)
    return stacks.expect_loaded(organization)


def organization_settings(page: Page, base_url: str, organization: str) -> OrganizationSettingsPage:
    """All Stacks → ORGANIZATION → Settings."""
    stacks = all_stacks(page, base_url, organization)
    stacks.header.open_organization_menu()
    stacks.header.settings_link.click()
    return OrganizationSettingsPage(page).expect_loaded()


def scim_settings(page: Page, base_url: str, organization: str) -> ScimSettingsPage:
    """All Stacks → ORGANIZATION → Settings → SCIM 2.0 (the left navigation, when in Settings)."""
    if f"/organizations/{organization_uid(organization)}/settings/" in page.url:
        navigation = SettingsNavigation(page)  # a person inside Settings uses the left navigation
    else:
        navigation = organization_settings(page, base_url, organization).navigation
    navigation.scim_link.click()
    return ScimSettingsPage(page).expect_loaded()


def settings_tab_address(base_url: str, organization: str, tab: str) -> str:
    """The URL of a tab of Organization Settings (``scim``, ``users``, ``audit-log`` …)."""
    return f"{base_url}/organizations/{organization_uid(organization)}/settings/{tab}"


def audit_log(page: Page, base_url: str, organization: str, **filters: str) -> AuditLogPage:
    """Organization Settings → Audit Log, by its address (with ``user=`` … as a bookmarked,
    filtered view: the filter form's own field names)."""
    address = settings_tab_address(base_url, organization, "audit-log")
    page.goto(f"{address}?{urlencode(filters)}" if filters else address)
    return AuditLogPage(page).expect_loaded()


def users(page: Page, base_url: str, organization: str) -> UsersPage:
    """Organization Settings → Users, by its address; a Users tab already on screen is read as
    it is (Then-steps read what the When before them left, so it is current)."""
    address = settings_tab_address(base_url, organization, "users")
    if page.url != address:
        page.goto(address)
    return UsersPage(page, organization).expect_loaded()


def group_mapping(page: Page, base_url: str, organization: str) -> GroupMappingSection:
    """SCIM 2.0 → Group Mapping, by the section's address."""
    page.goto(scim_settings_address(base_url, organization) + "#group-mapping")
    return GroupMappingSection(page).expect_loaded()


def scim_settings_address(base_url: str, organization: str) -> str:
    """The SCIM 2.0 tab's URL, for people who type or bookmark it."""
    return settings_tab_address(base_url, organization, "scim")


def audit_log_export_address(base_url: str, organization: str) -> str:
    """The audit log's CSV export URL, for people who type or bookmark it."""
    return (
        f"{base_url}/organizations/{organization_uid(organization)}/settings/audit-log/export.csv"
    )


def go_straight_to(page: Page, address: str) -> Response:
    """Open an address as typed or bookmarked, bypassing the menus; return the response."""
    response = page.goto(address)
    assert response is not None, f"no response for {address}"
    return response


def go_straight_to_scim_settings(page: Page, base_url: str, organization: str) -> Response:
    """Open the SCIM 2.0 tab by its address, bypassing the menus; return the response."""
    return go_straight_to(page, scim_settings_address(base_url, organization))
