"""The sign-in page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from steps.people import Person


class SignInPage:
    """The e-mail and password form."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.heading = page.get_by_role("heading", name="Sign in", level=1)
        self.email = page.get_by_label("Email")
        self.password = page.get_by_label("Password")
        self.submit = page.get_by_role("button", name="Sign in")
        self.error = page.get_by_role("alert")

    def open(self) -> SignInPage:
        """Go to the sign-in page."""
        self.page.goto(f"{self.base_url}/sign-in")
        expect(self.heading).to_be_visible()
        return self

    def sign_in(self, person: Person) -> None:
        """Submit the form with the person's credentials."""
        expect(self.heading).to_be_visible()
        self.email.fill(person.email)
        self.password.fill(person.password)
        self.submit.click()
