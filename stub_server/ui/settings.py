"""Organization Settings: Organization Info and Users (the Audit Log is ``audit_log``)."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from stub_server.app import current_storage
from stub_server.ui.auth import requires_settings_access

bp = Blueprint("settings", __name__, url_prefix="/organizations/<org_uid>/settings")


@bp.get("")
@bp.get("/")
@requires_settings_access
def index(org_uid: str) -> Response:
    """Organization Settings opens on Organization Info."""
    return redirect(url_for("settings.info", org_uid=org_uid))


@bp.get("/info")
@requires_settings_access
def info(org_uid: str) -> str:
    """Show the organization's name, uid and plan."""
    return render_template("settings/info.html", org=g.org, section="info")


@bp.get("/users")
@requires_settings_access
def users(org_uid: str) -> str:
    """List the organization's members and their roles."""
    members = (
        current_storage()
        .connection()
        .execute(
            "SELECT a.email, a.first_name, a.last_name, m.role, m.source FROM memberships m "
            "JOIN accounts a ON a.uid = m.account_uid WHERE m.org_uid = ? "
            "ORDER BY a.last_name, a.first_name, a.email",
            (org_uid,),
        )
        .fetchall()
    )
    return render_template("settings/users.html", org=g.org, section="users", members=members)
