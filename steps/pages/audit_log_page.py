"""Organization Settings → Audit Log."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Locator, Page, expect

from steps.pages.organization_settings_page import SettingsNavigation

COLUMNS = ("Date and Time", "User", "Event", "Application", "Remote Address", "Details")


class AuditLogPage:
    """The audit log: its filters, the table newest entry first, paging and the CSV export."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.navigation = SettingsNavigation(page)
        self.heading = page.get_by_role("heading", name="Audit Log", level=1)
        self.table = page.get_by_role("table", name=re.compile(r"^Audit log of "))
        self.rows = self.table.locator("tbody").get_by_role("row")
        self.filters = page.get_by_role("search", name="Filter the audit log")
        self.event_filter = self.filters.get_by_label("Event")
        self.application_filter = self.filters.get_by_label("Application")
        self.user_filter = self.filters.get_by_label("User")
        self.from_date = self.filters.get_by_label("From")
        self.to_date = self.filters.get_by_label("To", exact=True)
        self.apply_button = self.filters.get_by_role("button", name="Apply filters")
        self.summary = page.locator("#audit-summary")
        self.pages = page.get_by_role("navigation", name="Audit log pages")
        self.older_link = self.pages.get_by_role("link", name="Older entries")
        self.export_link = page.get_by_role("link", name="Export CSV")

    def expect_loaded(self) -> AuditLogPage:
        """Wait until the Audit Log tab is shown."""
        expect(self.heading).to_be_visible()
        return self

    def cell(self, row: int, column: str) -> Locator:
        """The cell of a row (0 = newest) in the named column."""
        return self.rows.nth(row).get_by_role("cell").nth(COLUMNS.index(column))

    def column(self, column: str) -> list[str]:
        """Every shown row's text in one column, newest first."""
        cells = self.rows.locator(f":scope > :nth-child({COLUMNS.index(column) + 1})")
        return cells.all_inner_texts()  # one round trip for the whole column

    def filter_by(
        self,
        *,
        event: str = "",
        application: str = "",
        user: str = "",
        since: str = "",
        until: str = "",
    ) -> None:
        """Fill in the filters that are given and apply them."""
        if event:
            self.event_filter.select_option(label=event)
        if application:
            self.application_filter.select_option(label=application)
        if user:
            self.user_filter.fill(user)
        if since:
            self.from_date.fill(since)
        if until:
            self.to_date.fill(until)
        self.apply_button.click()
        self.expect_loaded()

    def turn_to_older_entries(self) -> None:
        """Follow the pager to the next, older page."""
        self.older_link.click()
        self.expect_loaded()

    def export(self) -> list[dict[str, str]]:
        """Download the CSV export of what is shown and return its rows by column name."""
        with self.page.expect_download() as download:
            self.export_link.click()
        path = download.value.path()
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(io.StringIO(handle.read())))

    def fits_window(self) -> bool:
        """True when nothing on the page is wider than the window (no sideways scrolling)."""
        return self.page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
