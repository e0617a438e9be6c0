"""Hand a freshly issued SCIM token from the POST that made it to the page shown next, once.

The token never touches the database (only its hash does) nor the session cookie (Flask's
cookie is signed, not encrypted). It waits here in memory, keyed by a random id that the
session carries, and is dropped on first read or after a few minutes.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from flask import Flask, current_app

REVEAL_TTL_SECONDS = 300
EXTENSION_KEY = "scimproof.token_reveals"


@dataclass(frozen=True)
class _Pending:
    account_uid: str
    org_uid: str
    token: str
    expires_at: float


class TokenReveals:
    """One-time, per-person store of tokens waiting to be shown."""

    def __init__(self, ttl_seconds: float = REVEAL_TTL_SECONDS) -> None:
        self._ttl = ttl_seconds
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    def put(self, account_uid: str, org_uid: str, token: str) -> str:
        """Keep a token for its issuer and return the id to claim it with."""
        reveal_id = secrets.token_urlsafe(16)
        now = time.monotonic()
        with self._lock:
            self._pending = {k: v for k, v in self._pending.items() if v.expires_at > now}
            self._pending[reveal_id] = _Pending(account_uid, org_uid, token, now + self._ttl)
        return reveal_id

    def take(self, reveal_id: str, account_uid: str, org_uid: str) -> str | None:
        """Return and forget the token if the id is live and belongs to this person and org."""
        with self._lock:
            pending = self._pending.pop(reveal_id, None)
        if pending is None or pending.expires_at <= time.monotonic():
            return None
        if (pending.account_uid, pending.org_uid) != (account_uid, org_uid):
            return None
        return pending.token


def install(app: Flask) -> None:
    """Give the app its token reveal store."""
    app.extensions[EXTENSION_KEY] = TokenReveals()


def reveals() -> TokenReveals:
    """Return the current app's token reveal store."""
    return current_app.extensions[EXTENSION_KEY]
