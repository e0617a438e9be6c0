"""Who is signed in, and which organization pages they may open (checked on every request)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, jsonify, redirect, request, session, url_for

from stub_server import roles
from stub_server.storage import get_storage
from stub_server.ui.errors import wants_json

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


def current_account() -> sqlite3.Row | None:
    """Return the signed-in account (cached for the request), or None."""
    if "account" not in g:
        uid = session.get(SESSION_ACCOUNT)
        g.account = get_storage().account(uid) if uid else None
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
    get_storage().audit(
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
        storage = get_storage()
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
