"""The top bar on every signed-in page: ORGANIZATION menu and Sign out."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


class SiteHeader:
    """The banner: organization switcher (a disclosure menu) and the sign-out button."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.organization_nav = page.get_by_role("navigation", name="Organization")
        self.organization_button = self.organization_nav.get_by_role("button", name="ORGANIZATION")
        self.organization_list = self.organization_nav.get_by_role(
            "list", name="Your organizations"
        )
        self.settings_link = self.organization_nav.get_by_role("link", name="Settings", exact=True)
        self.sign_out_button = page.get_by_role("button", name="Sign out")

    def organization_link(self, name: str) -> Locator:
        """The menu entry that switches to an organization."""
        return self.organization_list.get_by_role("link", name=name)

    def open_organization_menu(self) -> None:
        """Expand the ORGANIZATION menu."""
        self.organization_button.click()
        expect(self.organization_button).to_have_attribute("aria-expanded", "true")
        expect(self.organization_list).to_be_visible()

    def sign_out(self) -> None:
        """Sign out with the header's button."""
        self.sign_out_button.click()
