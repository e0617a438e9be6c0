"""Server-side sessions and sign-in throttling (issue 9, item 6), on a real SQLite file with an
injected clock: no test sleeps."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask

from stub_server.seed import SEED_PASSWORD
from stub_server.sessions import Lifetimes, ThrottlePolicy
from stub_server.storage import Storage, storage_of
from tests.unit.conftest import ACME, UiClient

OLIVIA = "olivia.owner@acme.example"
ADAM = "adam.admin@acme.example"
TAB = f"/organizations/{ACME}/settings/scim"
POLICY = ThrottlePolicy()


class FakeClock:
    """Seconds since the epoch that only move when a test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    """The app's clock."""
    return FakeClock()


@pytest.fixture
def app(ui_app: Flask, clock: FakeClock) -> Flask:
    """The seeded stub with the fake clock, SCIM enabled for Acme."""
    ui_app.config["CLOCK"] = clock
    storage_of(ui_app).set_scim_enabled(ACME, True)
    return ui_app


@pytest.fixture
def storage(app: Flask) -> Storage:
    """The app's storage."""
    return storage_of(app)


def signed_in(app: Flask, email: str = OLIVIA) -> UiClient:
    """A client signed in through the form."""
    client = UiClient(app)
    assert client.sign_in(email).status_code == 303
    return client


def cookie(client: UiClient) -> str:
    """The client's session cookie value."""
    found = client.http.get_cookie("session")
    assert found is not None, "no session cookie"
    return found.value


def copy_of(app: Flask, client: UiClient) -> UiClient:
    """Another browser holding a copy of ``client``'s cookie and CSRF token."""
    thief = UiClient(app)
    thief.http.set_cookie("session", cookie(client))
    thief.csrf = client.csrf
    return thief


def tokens(storage: Storage) -> int:
    """How many SCIM tokens were ever issued."""
    return storage.connection().execute("SELECT count(*) FROM scim_tokens").fetchone()[0]


def attempt(app: Flask, email: str, password: str, address: str = "198.51.100.7") -> object:
    """One sign-in post from ``address`` by a fresh browser."""
    client = UiClient(app)
    client.refresh_csrf()
    return client.http.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": client.csrf},
        environ_base={"REMOTE_ADDR": address},
    )


# -- sessions ------------------------------------------------------------------------------
def test_a_copied_cookie_stops_working_at_sign_out(app: Flask, storage: Storage) -> None:
    owner = signed_in(app)
    thief = copy_of(app, owner)
    assert thief.get(TAB).status_code == 200  # the copy works while the session lives
    assert owner.post("/sign-out").status_code == 303
    before = tokens(storage)
    assert thief.get(TAB).status_code == 302  # to the sign-in page
    assert thief.get(TAB).location.startswith("/sign-in")
    refused = thief.post(f"{TAB}/token")
    assert refused.status_code in (303, 400)
    assert tokens(storage) == before  # no token was generated
    assert thief.get(TAB, json=True).status_code == 401


def test_the_database_keeps_a_hash_of_the_cookie_not_the_cookie(
    app: Flask, storage: Storage
) -> None:
    value = cookie(signed_in(app))
    rows = storage.connection().execute("SELECT id_hash, account_uid FROM ui_sessions").fetchall()
    hashes = [row["id_hash"] for row in rows]
    assert hashlib.sha256(value.encode()).hexdigest() in hashes
    assert value not in hashes


def test_signing_in_starts_a_new_session_id(app: Flask) -> None:
    client = UiClient(app)
    client.refresh_csrf()
    anonymous = cookie(client)
    client.sign_in(OLIVIA)
    assert cookie(client) != anonymous
    planted = UiClient(app)  # someone who planted the anonymous id gets nothing
    planted.http.set_cookie("session", anonymous)
    assert planted.get(TAB).status_code == 302


def test_an_idle_session_ends(app: Flask, clock: FakeClock) -> None:
    client = signed_in(app)
    clock.advance(Lifetimes.idle - 60)
    assert client.get(TAB).status_code == 200  # activity keeps it alive
    clock.advance(Lifetimes.idle - 60)
    assert client.get(TAB).status_code == 200
    clock.advance(Lifetimes.idle + 1)
    assert client.get(TAB).status_code == 302


def test_a_busy_session_still_ends_at_its_absolute_lifetime(app: Flask, clock: FakeClock) -> None:
    client = signed_in(app)
    started = clock.now
    while clock.now - started + 600 <= Lifetimes.absolute:
        clock.advance(600)
        assert client.get(TAB).status_code == 200
    clock.advance(600)
    assert client.get(TAB).status_code == 302


def test_expired_sessions_are_pruned(app: Flask, storage: Storage, clock: FakeClock) -> None:
    signed_in(app)
    clock.advance(Lifetimes.idle + 1)
    signed_in(app, ADAM)
    accounts = [
        row["account_uid"]
        for row in storage.connection().execute("SELECT account_uid FROM ui_sessions")
    ]
    assert len(accounts) == 1  # the anonymous sign-in page session of Adam became his


@pytest.mark.parametrize(
    ("config", "base_url", "secure"),
    [
        ({}, "http://localhost", False),
        ({"SECURE_COOKIES": True}, "http://localhost", True),
        ({}, "https://localhost", True),
    ],
    ids=["plain HTTP", "--secure-cookies", "over TLS"],
)
def test_the_cookie_flags(app: Flask, config: dict, base_url: str, secure: bool) -> None:
    app.config.update(config)
    response = app.test_client().get("/sign-in", base_url=base_url)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert ("Secure" in header) is secure


# -- throttling -----------------------------------------------------------------------------
def test_repeated_failures_for_an_account_are_refused_with_a_growing_delay(
    app: Flask, clock: FakeClock, storage: Storage
) -> None:
    for _ in range(POLICY.account_threshold - 1):
        assert attempt(app, OLIVIA, "wrong").status_code == 200
    locked = attempt(app, OLIVIA, "wrong")
    assert locked.status_code == 429
    assert locked.headers["Retry-After"] == str(int(POLICY.first_delay))
    assert "Too many failed sign-ins for this email" in locked.get_data(as_text=True)
    refused = attempt(app, OLIVIA, SEED_PASSWORD)  # even the right password, for now
    assert refused.status_code == 429 and "session" not in refused.headers.get("Set-Cookie", "")
    clock.advance(POLICY.first_delay + 1)
    again = attempt(app, OLIVIA, "wrong")  # the next failure doubles the delay
    assert again.status_code == 429
    assert again.headers["Retry-After"] == str(int(2 * POLICY.first_delay))
    clock.advance(2 * POLICY.first_delay + 1)
    assert attempt(app, OLIVIA, SEED_PASSWORD).status_code == 303
    assert attempt(app, OLIVIA, "wrong").status_code == 200  # success forgot the failures
    audited = [
        (row["event"], row["details"])
        for row in storage.audit_entries(ACME)
        if row["event"] == "Sign-in throttled"
    ]
    assert len(audited) == 2
    assert f"{POLICY.account_threshold} failed sign-ins for {OLIVIA}" in audited[-1][1]


def test_failures_from_one_address_are_refused_for_every_account(
    app: Flask, clock: FakeClock
) -> None:
    for n in range(POLICY.address_threshold):
        response = attempt(app, f"nobody{n}@example.com", "wrong")
    assert response.status_code == 429
    assert "from your network address" in response.get_data(as_text=True)
    assert attempt(app, ADAM, SEED_PASSWORD).status_code == 429
    assert attempt(app, ADAM, SEED_PASSWORD, address="203.0.113.9").status_code == 303
    clock.advance(POLICY.first_delay + 1)
    assert attempt(app, ADAM, SEED_PASSWORD).status_code == 303


def test_unknown_and_known_accounts_are_throttled_alike(app: Flask) -> None:
    for _ in range(POLICY.account_threshold):
        known = attempt(app, OLIVIA, "wrong", address="192.0.2.1")
        unknown = attempt(app, "ghost@acme.example", "wrong", address="192.0.2.2")
    assert known.status_code == unknown.status_code == 429
    assert known.headers["Retry-After"] == unknown.headers["Retry-After"]
