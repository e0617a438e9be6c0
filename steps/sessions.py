"""Each person signs in once per run; scenarios start from their saved session.

Playwright's authentication pattern: a person's sign-in happens once per run (per xdist
worker), over a throwaway ``APIRequestContext``, and only its storage state (cookies) and the
session's CSRF token are kept. Every scenario still has its own browser context (isolation),
given those cookies. A client for someone else's session (the Owner checking state behind the
scenes) is a request context made for the scenario from the same saved state, disposed with it:
nothing long-lived for pytest-playwright to trace around every test. A scenario that signs a
person out calls ``forget`` so later scenarios sign them in again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, BrowserContext, Playwright

from steps.people import Person
from steps.settings_client import SettingsClient, sign_in


@dataclass(frozen=True)
class SavedSession:
    """A signed-in session: its cookies (Playwright storage state) and its CSRF token."""

    storage_state: dict[str, Any]
    csrf_token: str
    signed_in_at: float = field(default_factory=time.monotonic)


# Sign in again after this long: a server may end a session idle for longer (the stub: 30 min).
RENEW_AFTER_S = 10 * 60


class SavedSessions:
    """The run's signed-in sessions, one per person, made on first use."""

    def __init__(self, playwright: Playwright, base_url: str) -> None:
        self.playwright = playwright
        self.base_url = base_url.rstrip("/")
        self._saved: dict[str, SavedSession] = {}

    def of(self, someone: Person) -> SavedSession:
        """The person's saved session, signing them in the first time."""
        saved = self._saved.get(someone.email)
        if saved is None or time.monotonic() - saved.signed_in_at > RENEW_AFTER_S:
            http = self.playwright.request.new_context(base_url=self.base_url)
            try:
                csrf = sign_in(http, self.base_url, someone.email, someone.password)
                self._saved[someone.email] = SavedSession(http.storage_state(), csrf)
            finally:
                http.dispose()
        return self._saved[someone.email]

    def forget(self, someone: Person) -> None:
        """Drop a person's saved session (they signed out, which may end it on the server)."""
        self._saved.pop(someone.email, None)


class Sessions:
    """A scenario's view of the saved sessions: browsers and API clients signed in as people."""

    def __init__(self, saved: SavedSessions) -> None:
        self.saved = saved
        self._clients: dict[str, APIRequestContext] = {}

    def sign_in_browser(self, context: BrowserContext, someone: Person) -> None:
        """Give a fresh browser context the person's saved session (their cookies)."""
        context.add_cookies(self.saved.of(someone).storage_state["cookies"])

    def browser_client(self, context: BrowserContext, someone: Person) -> SettingsClient:
        """The precondition client of a browser signed in as the person: its own request client."""
        return SettingsClient(
            context.request, self.saved.base_url, self.saved.of(someone).csrf_token
        )

    def client(self, someone: Person) -> SettingsClient:
        """The person's own settings API session (not any browser's), for this scenario."""
        session = self.saved.of(someone)
        if someone.email not in self._clients:
            self._clients[someone.email] = self.saved.playwright.request.new_context(
                base_url=self.saved.base_url, storage_state=session.storage_state
            )
        return SettingsClient(self._clients[someone.email], self.saved.base_url, session.csrf_token)

    def forget(self, someone: Person) -> None:
        """The person signed out: later scenarios sign them in again."""
        self.saved.forget(someone)

    def close(self) -> None:
        """Dispose of the scenario's API clients."""
        for email in list(self._clients):
            self._clients.pop(email).dispose()


@pytest.fixture(scope="session")
def saved_sessions(playwright: Playwright, base_url: str) -> SavedSessions:
    """The run's saved sessions, one per person."""
    return SavedSessions(playwright, base_url)


@pytest.fixture
def sessions(saved_sessions: SavedSessions) -> Iterator[Sessions]:
    """The scenario's sessions of people; its API clients are disposed when it ends."""
    scenario = Sessions(saved_sessions)
    yield scenario
    scenario.close()


@pytest.fixture
def actor_client(context: BrowserContext, sessions: Sessions, actor: Person) -> SettingsClient:
    """The signed-in person's precondition client: the browser context's own request client."""
    return sessions.browser_client(context, actor)
