"""Steps about signing in and out. Data that later steps need (who is signed in) travels
through ``target_fixture``; sessions are saved once per person (``steps.sessions``).
"""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect
from pytest_bdd import given, parsers, then, when

from steps.pages import navigation
from steps.pages.all_stacks_page import AllStacksPage
from steps.pages.header import SiteHeader
from steps.pages.sign_in_page import SignInPage
from steps.people import Person, person
from steps.sessions import Sessions


@given(
    parsers.parse('{first_name}, the {role} of "{organization}", is signed in'),
    target_fixture="actor",
)
def signed_in(
    context: BrowserContext, sessions: Sessions, first_name: str, role: str, organization: str
) -> Person:
    """The person's saved session is in this scenario's fresh browser; no page is opened yet."""
    someone = person(first_name, role, organization)
    sessions.sign_in_browser(context, someone)
    return someone


@given("nobody is signed in")
def nobody_signed_in(context: BrowserContext) -> None:
    """A fresh browser: no session cookie at all."""
    assert context.cookies() == [], "the browser already holds cookies"


@given(
    parsers.parse(
        "a signed-out visitor has been sent to sign in "
        'from the SCIM 2.0 settings of "{organization}"'
    )
)
def visitor_sent_to_sign_in(page: Page, base_url: str, organization: str) -> None:
    """A fresh browser followed a link to the SCIM 2.0 tab and landed on the sign-in form."""
    navigation.go_straight_to_scim_settings(page, base_url, organization)
    expect(SignInPage(page, base_url).heading).to_be_visible()


@when(parsers.parse("{who} signs out and signs in again"))
def sign_out_and_in(page: Page, base_url: str, sessions: Sessions, actor: Person, who: str) -> None:
    """Sign out with the header button of the page on screen (All Stacks when none is open yet),
    then sign in again with the form."""
    if page.url.startswith(base_url):
        SiteHeader(page).sign_out()
    else:
        navigation.all_stacks(page, base_url, actor.organization).header.sign_out()
    sessions.forget(actor)  # signing out ends the saved session too
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    SignInPage(page, base_url).sign_in(actor)
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
