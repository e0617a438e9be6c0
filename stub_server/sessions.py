"""Server-side sign-in sessions and sign-in throttling, as rows in the stub's SQLite database.

A session is a row keyed by the SHA-256 of a random cookie value, so deleting the row (sign-out)
ends it for every copy of the cookie, and the database never holds a usable cookie. A session
ends when idle longer than its idle lifetime or older than its absolute lifetime.

Failed sign-ins are counted per account (the e-mail typed) and per client address. From the
``threshold``-th failure on, each failure refuses further attempts for a delay that doubles up
to a cap; nothing sleeps: an attempt inside the delay is refused at once with the time left.
Times are seconds from a clock the caller passes in (``time.time`` in the app, a fake in tests).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from dataclasses import dataclass

from stub_server.storage import Storage, register_schema

SESSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS ui_sessions (
    id_hash TEXT PRIMARY KEY,
    account_uid TEXT,
    created_at REAL NOT NULL,
    last_seen REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ui_sessions_last_seen ON ui_sessions(last_seen);
CREATE INDEX IF NOT EXISTS ui_sessions_account ON ui_sessions(account_uid);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure REAL NOT NULL,
    refused_until REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, key)
);
"""
register_schema(SESSIONS_SCHEMA)

TOUCH_EVERY = 60.0  # seconds: last_seen is rewritten at most this often (one write a minute)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lives: ``idle`` seconds without a request, ``absolute`` in all."""

    idle: float = 30 * 60
    absolute: float = 12 * 60 * 60


@dataclass(frozen=True)
class LoadedSession:
    """A live session's data and whether its last_seen should be rewritten."""

    data: dict
    account_uid: str | None
    stale_touch: bool


class SessionStore:
    """Create, read, refresh and end sessions in one Storage."""

    def __init__(self, storage: Storage, lifetimes: Lifetimes) -> None:
        self.storage = storage
        self.lifetimes = lifetimes

    def load(self, session_id: str, now: float) -> LoadedSession | None:
        """The live session with this cookie value, or None (unknown, signed out or expired)."""
        row = (
            self.storage.connection()
            .execute("SELECT * FROM ui_sessions WHERE id_hash = ?", (_digest(session_id),))
            .fetchone()
        )
        if row is None:
            return None
        if self._expired(row, now):
            self.end(session_id)
            return None
        stale = now - row["last_seen"] >= TOUCH_EVERY
        return LoadedSession(json.loads(row["data"]), row["account_uid"], stale)

    def _expired(self, row: sqlite3.Row, now: float) -> bool:
        return (
            now - row["last_seen"] > self.lifetimes.idle
            or now - row["created_at"] > self.lifetimes.absolute
        )

    def create(self, data: dict, account_uid: str | None, now: float) -> str:
        """Store a new session and return its cookie value (shown to no one else)."""
        session_id = secrets.token_urlsafe(32)
        with self.storage.transaction() as conn:
            self._prune(conn, now)
            conn.execute(
                "INSERT INTO ui_sessions (id_hash, account_uid, created_at, last_seen, data) "
                "VALUES (?, ?, ?, ?, ?)",
                (_digest(session_id), account_uid, now, now, json.dumps(data)),
            )
        return session_id

    def save(self, session_id: str, data: dict, account_uid: str | None, now: float) -> bool:
        """Rewrite a session's data and last_seen; False when it no longer exists."""
        cur = self.storage.connection().execute(
            "UPDATE ui_sessions SET data = ?, account_uid = ?, last_seen = ? WHERE id_hash = ?",
            (json.dumps(data), account_uid, now, _digest(session_id)),
        )
        return cur.rowcount == 1

    def end(self, session_id: str) -> None:
        """Delete the session: every copy of its cookie stops working."""
        self.storage.connection().execute(
            "DELETE FROM ui_sessions WHERE id_hash = ?", (_digest(session_id),)
        )

    def _prune(self, conn: sqlite3.Connection, now: float) -> None:
        conn.execute(
            "DELETE FROM ui_sessions WHERE last_seen < ? OR created_at < ?",
            (now - self.lifetimes.idle, now - self.lifetimes.absolute),
        )


@dataclass(frozen=True)
class ThrottlePolicy:
    """From ``threshold`` failures on, refuse for ``first_delay`` seconds, doubling each further
    failure up to ``max_delay``; a key with no failure for ``forget_after`` seconds starts over."""

    account_threshold: int = 5
    address_threshold: int = 20
    first_delay: float = 30.0
    max_delay: float = 15 * 60.0
    forget_after: float = 60 * 60.0

    def delay(self, failures: int, threshold: int) -> float:
        """Seconds to refuse after the ``failures``-th failure (0 below the threshold)."""
        if failures < threshold:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** min(failures - threshold, 30))


@dataclass(frozen=True)
class Refusal:
    """Why an attempt is refused now: which scope and for how many more seconds."""

    scope: str
    retry_after: int


@dataclass(frozen=True)
class Failure:
    """A recorded failure: the new count per scope and any refusal it starts."""

    failures: dict[str, int]
    refusals: list[Refusal]


class SignInThrottle:
    """Counts failed sign-ins per account and per address and says when to refuse."""

    def __init__(self, storage: Storage, policy: ThrottlePolicy) -> None:
        self.storage = storage
        self.policy = policy

    def _keys(self, email: str, address: str) -> dict[str, str]:
        return {"account": email.strip().casefold(), "address": address}

    def refusal(self, email: str, address: str, now: float) -> Refusal | None:
        """The refusal in force for this e-mail or address, the longer one first."""
        found = []
        conn = self.storage.connection()
        for scope, key in self._keys(email, address).items():
            row = conn.execute(
                "SELECT refused_until FROM sign_in_failures WHERE scope = ? AND key = ?",
                (scope, key),
            ).fetchone()
            if row is not None and row["refused_until"] > now:
                found.append(Refusal(scope, max(1, int(row["refused_until"] - now + 0.999))))
        return max(found, key=lambda r: r.retry_after, default=None)

    def record_failure(self, email: str, address: str, now: float) -> Failure:
        """Count one failure for the e-mail and the address; return the counts and refusals."""
        counts: dict[str, int] = {}
        refusals = []
        thresholds = {
            "account": self.policy.account_threshold,
            "address": self.policy.address_threshold,
        }
        with self.storage.transaction() as conn:
            for scope, key in self._keys(email, address).items():
                row = conn.execute(
                    "SELECT failures, last_failure FROM sign_in_failures "
                    "WHERE scope = ? AND key = ?",
                    (scope, key),
                ).fetchone()
                fresh = row is None or now - row["last_failure"] > self.policy.forget_after
                failures = 1 if fresh else row["failures"] + 1
                delay = self.policy.delay(failures, thresholds[scope])
                conn.execute(
                    "INSERT INTO sign_in_failures (scope, key, failures, last_failure, "
                    "refused_until) VALUES (?, ?, ?, ?, ?) ON CONFLICT (scope, key) DO UPDATE "
                    "SET failures = excluded.failures, last_failure = excluded.last_failure, "
                    "refused_until = excluded.refused_until",
                    (scope, key, failures, now, now + delay),
                )
                counts[scope] = failures
                if delay:
                    refusals.append(Refusal(scope, int(delay)))
        return Failure(counts, refusals)

    def record_success(self, email: str) -> None:
        """Forget the account's failures (the address's stay: one good account can not clear
        the failures an address made against others)."""
        self.storage.connection().execute(
            "DELETE FROM sign_in_failures WHERE scope = 'account' AND key = ?",
            (self._keys(email, "")["account"],),
        )
