"""The organization settings UI (server-rendered HTML)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from werkzeug.wrappers import Response

from stub_server import roles
from stub_server.app import current_storage
from stub_server.ui import audit_log, scim_settings, settings, sign_in, stacks, token_reveal
from stub_server.ui.auth import SETTINGS_ROLES, current_account, display_name
from stub_server.ui.csrf import check_csrf, csrf_token
from stub_server.ui.errors import register_error_pages

# default-src 'self': no inline script or style anywhere; frame-ancestors: no clickjacking of
# the Enable/Disable buttons.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)


STATIC_MAX_AGE_SECONDS = 3600
UI_MODULES = (sign_in, stacks, settings, audit_log, scim_settings)


def _static_version(app: Flask) -> str:
    """A digest of the static files: part of their URLs, so a cached copy is never stale."""
    digest = hashlib.sha256()
    for path in sorted(Path(app.static_folder or "").glob("*")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def _layout_context() -> dict[str, Any]:
    """Values every template may use: the signed-in person, their orgs, the CSRF token."""
    account = current_account()
    org = g.get("org")
    role = g.get("role")
    memberships = current_storage().memberships_of(account["uid"]) if account else []
    return {
        "account": account,
        "account_name": display_name(account) if account else "",
        "csrf_token": csrf_token,
        "memberships": memberships,
        "current_org": org,
        "current_role": role,
        "can_open_settings": role in SETTINGS_ROLES,
        "can_manage_scim": roles.can_manage_scim(role),
    }


def _format_timestamp(value: str | None) -> str:
    """Show a stored RFC 3339 UTC timestamp as '2025-01-31 14:05:09 UTC'."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _security_headers(response: Response) -> Response:
    """Add browser protections to HTML pages (the SCIM JSON API is left as it is)."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Pages can carry a one-time token or private settings: keep them out of caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def register_ui(app: Flask) -> None:
    """Mount the settings UI on the app."""
    token_reveal.install(app)
    if app.config.get("SEND_FILE_MAX_AGE_DEFAULT") is None:
        # Versioned URLs below make caching safe; saves two revalidations per page view.
        app.config["SEND_FILE_MAX_AGE_DEFAULT"] = STATIC_MAX_AGE_SECONDS
    version = _static_version(app)
    app.context_processor(lambda: {"static_version": version})
    ui_blueprints = {module.bp.name for module in UI_MODULES}
    for module in UI_MODULES:
        app.register_blueprint(module.bp)

    @app.before_request
    def _csrf_for_ui_forms() -> None:
        # App-level hook filtered by blueprint: the module-level blueprints stay reusable
        # across create_app() calls, and SCIM (bearer tokens, no cookies) is left alone.
        if request.blueprint in ui_blueprints:
            check_csrf()

    register_error_pages(app)
    app.context_processor(_layout_context)
    app.add_template_filter(_format_timestamp, "timestamp")
    app.after_request(_security_headers)
