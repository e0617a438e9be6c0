"""Who is signed in (server-side sessions), and which organization pages they may open
(checked on every request)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Flask,
    Request,
    abort,
    g,
    jsonify,
    redirect,
    request,
    session,
    url_for,
)
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict
from werkzeug.wrappers import Response

from stub_server import roles
from stub_server.app import current_storage, storage_of
from stub_server.sessions import Lifetimes, SessionStore, SignInThrottle, ThrottlePolicy
from stub_server.ui.responses import wants_json

F = TypeVar("F", bound=Callable[..., Any])

SESSION_ACCOUNT = "account_uid"
UI_APPLICATION = "Organization Settings"

# Roles that see Organization Settings at all. The classic UI hides it from Members (and the
# read-only Product Analytics Viewer); today it is the same set as the SCIM managers.
SETTINGS_ROLES = frozenset({roles.OWNER, roles.ADMIN, roles.SECURITY_MANAGER})

SCIM_REFUSAL = (
    "Only an Owner, Admin or Security Manager of {org} can open or change the SCIM 2.0 "
    "settings. Ask your organization Owner if you need access."
)
SETTINGS_REFUSAL = (
    "Only an Owner, Admin or Security Manager of {org} can open Organization Settings. "
    "Ask your organization Owner if you need access."
)


SESSIONS_KEY = "scimproof.sessions"
THROTTLE_KEY = "scimproof.sign_in_throttle"


class ServerSession(CallbackDict, SessionMixin):
    """The session's data; the cookie holds only ``sid``, a random key to a database row."""

    def __init__(self, data: dict | None = None, sid: str | None = None, touch: bool = False):
        def on_update(_: Any) -> None:
            self.modified = True

        super().__init__(data or {}, on_update)
        self.sid = sid
        self.touch = touch  # last_seen is old enough to be rewritten
        self.rotate = False  # end this session's row and continue under a new id
        self.modified = False


class ServerSessionInterface(SessionInterface):
    """Sessions as rows in the stub's database: ending a row ends every copy of the cookie.

    The cookie is ``Secure`` when the request came over HTTPS (directly, or through a trusted
    proxy) or when SECURE_COOKIES is set, HttpOnly and SameSite=Lax always.
    """

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        """The live session named by the cookie, or a new empty one."""
        sid = request.cookies.get(self.get_cookie_name(app))
        loaded = sessions_of(app).load(sid, clock(app)) if sid else None
        if loaded is None:
            return ServerSession()
        return ServerSession(loaded.data, sid, loaded.stale_touch)

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:
        """Write what changed; set the cookie when a session starts, delete it when one ends."""
        store, now = sessions_of(app), clock(app)
        response.vary.add("Cookie")
        name = self.get_cookie_name(app)
        if session.sid and (session.rotate or (session.modified and not session)):
            store.end(session.sid)
            if not session:
                response.delete_cookie(name, path=self.get_cookie_path(app))
                return
            session.sid = None
        if not session:
            return
        data, account = dict(session), session.get(SESSION_ACCOUNT)
        if session.sid and (session.modified or session.touch):
            if store.save(session.sid, data, account, now):
                return
            session.sid = None  # ended meanwhile (signed out in another tab): start afresh
        if session.sid is None:
            response.set_cookie(
                name,
                store.create(data, account, now),
                path=self.get_cookie_path(app),
                httponly=True,
                samesite="Lax",
                secure=bool(app.config.get("SECURE_COOKIES")) or request.is_secure,
            )


def clock(app: Flask) -> float:
    """Seconds since the epoch from the app's CLOCK (tests inject one; no sleeping)."""
    return app.config.get("CLOCK", time.time)()


def sessions_of(app: Flask) -> SessionStore:
    """The app's session store."""
    return app.extensions[SESSIONS_KEY]


def throttle_of(app: Flask) -> SignInThrottle:
    """The app's sign-in throttle."""
    return app.extensions[THROTTLE_KEY]


def install_sessions(app: Flask) -> None:
    """Keep the app's sessions and failed sign-ins in its database."""
    storage = storage_of(app)
    storage.migrate()  # the Storage may predate the import that registered these tables
    lifetimes = Lifetimes(
        app.config.get("SESSION_IDLE_SECONDS", Lifetimes.idle),
        app.config.get("SESSION_MAX_SECONDS", Lifetimes.absolute),
    )
    app.extensions[SESSIONS_KEY] = SessionStore(storage, lifetimes)
    app.extensions[THROTTLE_KEY] = SignInThrottle(
        storage, app.config.get("SIGN_IN_THROTTLE") or ThrottlePolicy()
    )
    app.session_interface = ServerSessionInterface()


def start_session(account_uid: str) -> None:
    """Sign ``account_uid`` in under a new session id (the old one ends: no fixation)."""
    session.clear()
    session.rotate = True  # type: ignore[attr-defined]
    session[SESSION_ACCOUNT] = account_uid


def end_session() -> None:
    """Sign out: the session's row is deleted, so a copied cookie opens nothing."""
    session.clear()
    session.rotate = True  # type: ignore[attr-defined]


def current_account() -> sqlite3.Row | None:
    """Return the signed-in account (cached for the request), or None."""
    if "account" not in g:
        uid = session.get(SESSION_ACCOUNT)
        g.account = current_storage().account(uid) if uid else None
    return g.account


def display_name(account: sqlite3.Row) -> str:
    """Return 'First Last' for an account, falling back to its e-mail."""
    name = f"{account['first_name']} {account['last_name']}".strip()
    return name or account["email"]


def audit_actor(account: sqlite3.Row) -> str:
    """Return how an account appears in the audit log's User column."""
    return f"{display_name(account)} ({account['email']})"


def safe_next(target: str | None) -> str | None:
    """Return ``target`` if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:  # some browsers read a backslash as a slash: "/\evil.example"
        return None
    return target


def audit_here(org_uid: str, event: str, details: str = "") -> None:
    """Record an event by the signed-in person, from this request, in the org's audit log."""
    account = current_account()
    actor = audit_actor(account) if account is not None else "anonymous"
    current_storage().audit(
        org_uid,
        actor,
        event,
        application=UI_APPLICATION,
        remote_addr=request.remote_addr or "",
        details=details,
    )


def login_required(view: F) -> F:
    """Send signed-out visitors to the sign-in page (JSON clients get 401)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_account() is None:
            if SESSION_ACCOUNT in session:  # the account was deleted: forget it
                session.pop(SESSION_ACCOUNT)
            if wants_json():
                body = {"status": 401, "error": "Unauthorized", "message": "Sign in to continue."}
                return jsonify(body), 401
            if request.method != "GET":  # never replay a POST after sign-in
                return redirect(url_for("sign_in.sign_in"), code=303)
            return redirect(url_for("sign_in.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def organization_member(view: F) -> F:
    """Load ``g.org`` and ``g.role`` for ``<org_uid>``; 404 unless the person is a member."""

    @wraps(view)
    @login_required
    def wrapper(*args: Any, org_uid: str, **kwargs: Any) -> Any:
        storage = current_storage()
        org = storage.organization(org_uid)
        role = storage.role_in(current_account()["uid"], org["uid"]) if org else None
        if org is None or role is None:
            # The same answer for "no such organization" and "not yours": tenants stay invisible.
            abort(404, description="There is no such organization, or you are not a member.")
        if org["uid"] != org_uid:  # reached by slug: continue on the canonical uid URL
            if request.method != "GET":
                abort(404, description="Use the organization uid in the URL.")
            return redirect(
                url_for(request.endpoint, **{**request.view_args, "org_uid": org["uid"]})
            )
        g.org, g.role = org, role
        return view(*args, org_uid=org_uid, **kwargs)

    return wrapper  # type: ignore[return-value]


def requires_settings_access(view: F) -> F:
    """Allow Owner, Admin and Security Manager into Organization Settings; 403 for others."""

    @wraps(view)
    @organization_member
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.role not in SETTINGS_ROLES:
            abort(403, description=SETTINGS_REFUSAL.format(org=g.org["name"]))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def requires_scim_manager(view: F) -> F:
    """Allow SCIM managers only; others get 403 and the refusal is written to the audit log."""

    @wraps(view)
    @organization_member
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not roles.can_manage_scim(g.role):
            event = (
                "SCIM settings access refused"
                if request.method == "GET"
                else "SCIM settings change refused"
            )
            audit_here(
                g.org["uid"],
                event,
                details=f"the {g.role} role may not manage SCIM ({request.path})",
            )
            abort(403, description=SCIM_REFUSAL.format(org=g.org["name"]))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
