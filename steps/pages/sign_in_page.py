"""The sign-in page."""

from __future__ import annotations

import re

from playwright.sync_api import APIRequestContext, Page, expect

from steps.people import Person

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in_over_http(request: APIRequestContext, base_url: str, person: Person) -> None:
    """Post the sign-in form with a browser context's HTTP client, so the context is signed in."""
    form = request.get(f"{base_url}/sign-in")
    token = CSRF_FIELD.search(form.text())
    assert token, f"the sign-in page carries no CSRF token (HTTP {form.status})"
    done = request.post(
        f"{base_url}/sign-in",
        form={"email": person.email, "password": person.password, "csrf_token": token[1]},
        max_redirects=0,
    )
    assert done.status == 303, f"signing in as {person.email} answered HTTP {done.status}"


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
