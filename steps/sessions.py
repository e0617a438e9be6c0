"""Each person signs in once per run; scenarios start from their saved session.

Playwright's authentication pattern: a person's sign-in happens once, over an
``APIRequestContext`` of their own, and every scenario's fresh browser context gets that
session's cookies. Each scenario still has its own context (isolation); only the sign-in
round trips are saved. A scenario that signs a person out calls ``forget`` so later scenarios
sign them in again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import APIRequestContext, BrowserContext, Playwright

from steps.people import Person
from steps.settings_client import SettingsClient, sign_in


@dataclass
class _Session:
    http: APIRequestContext
    csrf_token: str


class Sessions:
    """The signed-in sessions of the people of this run, one per person, made on first use."""

    def __init__(self, playwright: Playwright, base_url: str) -> None:
        self.playwright = playwright
        self.base_url = base_url.rstrip("/")
        self._sessions: dict[str, _Session] = {}

    def _session(self, someone: Person) -> _Session:
        if someone.email not in self._sessions:
            http = self.playwright.request.new_context(base_url=self.base_url)
            csrf = sign_in(http, self.base_url, someone.email, someone.password)
            self._sessions[someone.email] = _Session(http, csrf)
        return self._sessions[someone.email]

    def client(self, someone: Person) -> SettingsClient:
        """The person's own settings API session (not any browser's)."""
        session = self._session(someone)
        return SettingsClient(session.http, self.base_url, session.csrf_token)

    def sign_in_browser(self, context: BrowserContext, someone: Person) -> None:
        """Give a fresh browser context the person's saved session (their cookies)."""
        context.add_cookies(self._session(someone).http.storage_state()["cookies"])

    def browser_client(self, context: BrowserContext, someone: Person) -> SettingsClient:
        """The precondition client of a browser signed in as the person: its own request client."""
        return SettingsClient(context.request, self.base_url, self._session(someone).csrf_token)

    def forget(self, someone: Person) -> None:
        """Drop a person's saved session (they signed out, which ends it on the server)."""
        session = self._sessions.pop(someone.email, None)
        if session is not None:
            session.http.dispose()

    def close(self) -> None:
        """Dispose of every saved session."""
        for email in list(self._sessions):
            self._sessions.pop(email).http.dispose()


@pytest.fixture(scope="session")
def sessions(playwright: Playwright, base_url: str) -> Iterator[Sessions]:
    """The run's saved sessions, one per person."""
    saved = Sessions(playwright, base_url)
    yield saved
    saved.close()


@pytest.fixture
def actor_client(context: BrowserContext, sessions: Sessions, actor: Person) -> SettingsClient:
    """The signed-in person's precondition client: the browser context's own request client."""
    return sessions.browser_client(context, actor)
