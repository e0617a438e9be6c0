"""Steps about signing in and out. Page objects are built on the live ``page`` in each step;
data that later steps need (who is signed in) travels through ``target_fixture``.
"""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from steps.pages.all_stacks_page import AllStacksPage
from steps.pages.header import SiteHeader
from steps.pages.sign_in_page import SignInPage, sign_in_over_http
from steps.people import Person, check_actor, person


@given(
    parsers.parse('{first_name}, the {role} of "{organization}", is signed in'),
    target_fixture="actor",
)
def signed_in(page: Page, base_url: str, first_name: str, role: str, organization: str) -> Person:
    """Sign the person in and open All Stacks.

    The sign-in form is posted over the browser context's own HTTP client (same cookies,
    same CSRF check) instead of being rendered: scenarios about signing in use the page.
    """
    someone = person(first_name, role, organization)
    sign_in_over_http(page.context.request, base_url, someone)
    AllStacksPage(page).open(base_url)
    AllStacksPage(page).expect_loaded(organization)
    return someone


@given("nobody is signed in")
def nobody_signed_in(context: BrowserContext) -> None:
    """A fresh browser: no session cookie at all."""
    assert context.cookies() == [], "the browser already holds cookies"


@when(parsers.parse("{who} signs out and signs in again"))
def sign_out_and_in(page: Page, base_url: str, actor: Person, who: str) -> None:
    """Sign out with the header button, then sign in again as the same person."""
    check_actor(actor, who)
    SiteHeader(page).sign_out()
    sign_in = SignInPage(page, base_url)
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    sign_in.sign_in(actor)
    AllStacksPage(page).expect_loaded(actor.organization)


@when(
    parsers.parse('{first_name}, the {role} of "{organization}", signs in there'),
    target_fixture="actor",
)
def sign_in_here(
    page: Page, base_url: str, first_name: str, role: str, organization: str
) -> Person:
    """Fill in the sign-in form already on screen."""
    someone = person(first_name, role, organization)
    SignInPage(page, base_url).sign_in(someone)
    return someone


@then("the sign-in page is shown")
def sign_in_page_shown(page: Page, base_url: str) -> None:
    """The visitor sees the sign-in form, which will send them back afterwards."""
    expect(SignInPage(page, base_url).heading).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sign-in\?next=(/|%2F)organizations"))
