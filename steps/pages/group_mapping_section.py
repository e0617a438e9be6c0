"""Organization Settings → SCIM 2.0 → Group Mapping: which roles each SCIM group grants."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


class GroupMappingSection:
    """The Group Mapping card of the SCIM 2.0 tab: the mapping form and the mapped groups."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.section = page.get_by_role("region", name="Group Mapping")
        self.group = self.section.get_by_label("SCIM Group")
        self.organization_role = self.section.get_by_label("Organization Role")
        self.update = self.section.get_by_role("button", name="Update")
        self.mapped = self.section.get_by_role("table", name="Mapped groups")

    def expect_loaded(self) -> GroupMappingSection:
        """Wait until the section is shown."""
        expect(self.section.get_by_role("heading", name="Group Mapping")).to_be_visible()
        return self

    def stack_role(self, stack: str) -> Locator:
        """The Stack Role choice of one stack."""
        return self.section.get_by_label(stack, exact=True)

    def map(self, group: str, organization_role: str, stack_roles: dict[str, str]) -> None:
        """Choose the group, its organization role and stack roles, then Update."""
        self.group.select_option(label=group)
        self.organization_role.select_option(label=organization_role)
        for stack, role in stack_roles.items():
            self.stack_role(stack).select_option(label=role)
        self.update.click()

    def row_of(self, group: str) -> Locator:
        """The mapped-groups row of a group."""
        return self.mapped.get_by_role("row").filter(
            has=self.page.get_by_role("cell", name=group, exact=True)
        )

    def expect_offers_no(self, group: str) -> None:
        """The SCIM Group choice does not offer the group, nor does any mapping name it."""
        expect(self.group.locator("option", has_text=group)).to_have_count(0)
        expect(self.row_of(group)).to_have_count(0)
