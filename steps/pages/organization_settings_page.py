"""Organization Settings: the left navigation shared by its tabs, and the Organization Info tab."""

from __future__ import annotations

from playwright.sync_api import Page, expect


class SettingsNavigation:
    """The left navigation of Organization Settings."""

    def __init__(self, page: Page) -> None:
        self.landmark = page.get_by_role("navigation", name="Organization Settings")
        self.scim_link = self.landmark.get_by_role("link", name="SCIM 2.0")
        self.audit_log_link = self.landmark.get_by_role("link", name="Audit Log")
        self.users_link = self.landmark.get_by_role("link", name="Users", exact=True)

    def expect_shown(self) -> None:
        """Wait until the navigation is on screen."""
        expect(self.landmark).to_be_visible()


class OrganizationSettingsPage:
    """Organization Info: where the Settings entry of the ORGANIZATION menu leads."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.navigation = SettingsNavigation(page)
        self.heading = page.get_by_role("heading", name="Organization Info", level=1)

    def expect_loaded(self) -> OrganizationSettingsPage:
        """Wait until Organization Info is shown."""
        self.navigation.expect_shown()
        expect(self.heading).to_be_visible()
        return self
