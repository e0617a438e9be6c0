"""Organization Settings → Users."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from steps.pages.organization_settings_page import SettingsNavigation

COLUMNS = ("Name", "Email", "Role", "Added by", "Stack Roles")


class UsersPage:
    """The members table of an organization: name, e-mail, role and how they were added."""

    def __init__(self, page: Page, organization: str) -> None:
        self.page = page
        self.navigation = SettingsNavigation(page)
        self.heading = page.get_by_role("heading", name="Users", level=1)
        self.table = page.get_by_role("table", name=f"Members of {organization}")
        self.rows = self.table.locator("tbody").get_by_role("row")

    def expect_loaded(self) -> UsersPage:
        """Wait until the Users tab and its table are shown."""
        expect(self.heading).to_be_visible()
        expect(self.table).to_be_visible()
        return self

    def row_of(self, name: str) -> Locator:
        """The row of the member with exactly this full name."""
        return self.rows.filter(has=self.page.get_by_role("cell", name=name, exact=True))

    def cell(self, name: str, column: str) -> Locator:
        """The member's cell in the named column."""
        return self.row_of(name).get_by_role("cell").nth(COLUMNS.index(column))
