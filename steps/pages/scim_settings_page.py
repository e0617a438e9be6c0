"""Organization Settings → SCIM 2.0."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from steps.pages.organization_settings_page import SettingsNavigation

TOKEN_SHAPE = re.compile(r"^scimproof_[A-Za-z0-9_-]{20,}$")


class ScimSettingsPage:
    """The SCIM 2.0 tab: the enable checkbox and its dialog, base URL, token, disabling."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.navigation = SettingsNavigation(page)
        self.heading = page.get_by_role("heading", name="SCIM 2.0", level=1)
        self.enable_checkbox = page.get_by_role("checkbox", name="Enable SCIM")
        self.enable_dialog = page.get_by_role("dialog", name="Enable SCIM 2.0")
        self.enable_confirm = self.enable_dialog.get_by_role("button", name="Enable", exact=True)
        self.enable_cancel = self.enable_dialog.get_by_role("button", name="Cancel")
        self.plan_notice = page.get_by_role("heading", name="Your plan does not include SCIM 2.0")
        self.plan_explanation = page.get_by_text("contact Contentstack support or sales")
        self.enabled_status = page.get_by_text(re.compile(r"SCIM 2.0 is enabled for .+ since"))
        self.base_url_field = page.get_by_role("textbox", name="SCIM base URL")
        self.copy_base_url = page.get_by_role("button", name="Copy SCIM base URL")
        self.new_token_field = page.get_by_test_id("scim-token")
        self.new_token_warning = page.get_by_text("It will not be shown again.")
        self.copy_token = page.get_by_role("button", name="Copy token")
        self.copy_status = page.get_by_role("status").filter(has_text="copied")
        self.active_token_line = page.get_by_text("Active token ending in")
        self.generate_button = page.get_by_role("button", name="Generate token")
        self.replace_dialog = page.get_by_role("dialog", name="Replace the SCIM token")
        self.replace_confirm = self.replace_dialog.get_by_role("button", name="Revoke and generate")
        self.replace_cancel = self.replace_dialog.get_by_role("button", name="Cancel")
        self.disable_button = page.get_by_role("button", name="Disable SCIM")
        self.disable_dialog = page.get_by_role("dialog", name="Disable SCIM 2.0")
        self.disable_confirm = self.disable_dialog.get_by_role("button", name="Disable", exact=True)

    def expect_loaded(self) -> ScimSettingsPage:
        """Wait until the SCIM 2.0 tab is shown."""
        expect(self.heading).to_be_visible()
        return self

    def tick_enable_scim(self) -> None:
        """Tick Enable SCIM, which asks for confirmation in a dialog."""
        self.enable_checkbox.check()
        expect(self.enable_dialog).to_be_visible()

    def enable(self) -> None:
        """Enable SCIM 2.0: tick the box, then confirm with Enable."""
        self.tick_enable_scim()
        self.enable_confirm.click()
        expect(self.enabled_status).to_be_visible()

    def cancel_enabling(self) -> None:
        """Tick Enable SCIM, then Cancel the confirmation dialog."""
        self.tick_enable_scim()
        self.enable_cancel.click()
        expect(self.enable_dialog).to_be_hidden()

    def generate_token(self) -> str:
        """Generate a token and return the secret the page shows this once."""
        self.generate_button.click()
        expect(self.new_token_field).to_have_value(TOKEN_SHAPE)
        return self.new_token_field.input_value()

    def start_replacing_token(self) -> None:
        """Press Generate token while a token is live: a dialog asks to confirm first."""
        self.generate_button.click()
        expect(self.replace_dialog).to_be_visible()

    def replace_token(self) -> str:
        """Generate a token in place of the live one, confirming the revocation."""
        self.start_replacing_token()
        self.replace_confirm.click()
        expect(self.new_token_field).to_have_value(TOKEN_SHAPE)
        return self.new_token_field.input_value()

    def cancel_replacing_token(self) -> None:
        """Press Generate token, then Cancel the confirmation."""
        self.start_replacing_token()
        self.replace_cancel.click()
        expect(self.replace_dialog).to_be_hidden()

    def disable(self) -> None:
        """Disable SCIM 2.0 and confirm in the dialog."""
        self.disable_button.click()
        expect(self.disable_dialog).to_be_visible()
        self.disable_confirm.click()
        expect(self.enable_checkbox).to_be_visible()
