"""Session-bound CSRF tokens for every state-changing form of the settings UI."""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

SESSION_KEY = "csrf_token"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXPIRED_MESSAGE = (
    "The form has expired or was not sent from this site. Reload the page and try again."
)


def csrf_token() -> str:
    """Return the session's CSRF token, creating one on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def _submitted_token() -> str:
    if HEADER in request.headers:
        return request.headers[HEADER]
    if request.is_json:
        body = request.get_json(silent=True)
        return str(body.get(FORM_FIELD, "")) if isinstance(body, dict) else ""
    return request.form.get(FORM_FIELD, "")


def check_csrf() -> None:
    """Refuse (400) an unsafe request whose CSRF token does not match the session's."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = session.get(SESSION_KEY, "")
    submitted = _submitted_token()
    # compare_digest: no timing side channel on how many leading characters matched.
    if (
        not expected
        or not submitted
        or not hmac.compare_digest(expected.encode("utf-8"), submitted.encode("utf-8"))
    ):
        abort(400, description=EXPIRED_MESSAGE)
