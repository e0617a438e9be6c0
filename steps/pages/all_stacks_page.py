"""The All Stacks page, where people land after signing in."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from steps.pages.header import SiteHeader


class AllStacksPage:
    """All Stacks of the current organization, with the site header."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.header = SiteHeader(page)
        self.heading = page.get_by_role("heading", name="All Stacks", level=1)

    def open(self, base_url: str) -> AllStacksPage:
        """Go to the signed-in person's landing page."""
        self.page.goto(f"{base_url}/")
        return self

    def expect_loaded(self, organization: str | None = None) -> AllStacksPage:
        """Wait until All Stacks (of the organization, when named) is shown."""
        expect(self.heading).to_be_visible()
        if organization is not None:
            expect(self.header.organization_button).to_contain_text(organization)
        return self

    def switch_to(self, organization: str) -> AllStacksPage:
        """Pick another organization from the ORGANIZATION menu."""
        self.header.open_organization_menu()
        self.header.organization_link(organization).click()
        return self.expect_loaded(organization)
