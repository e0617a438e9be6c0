"""Organization Settings → Audit Log."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from steps.pages.organization_settings_page import SettingsNavigation

COLUMNS = ("Date and Time", "User", "Event", "Application", "Remote Address", "Details")


class AuditLogPage:
    """The audit log table, newest entry first."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.navigation = SettingsNavigation(page)
        self.heading = page.get_by_role("heading", name="Audit Log", level=1)
        self.table = page.get_by_role("table", name=re.compile(r"^Audit log of "))
        self.rows = self.table.locator("tbody").get_by_role("row")

    def expect_loaded(self) -> AuditLogPage:
        """Wait until the Audit Log tab is shown."""
        expect(self.heading).to_be_visible()
        return self

    def cell(self, row: int, column: str) -> Locator:
        """The cell of a row (0 = newest) in the named column."""
        return self.rows.nth(row).get_by_role("cell").nth(COLUMNS.index(column))
