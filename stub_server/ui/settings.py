"""Organization Settings: Organization Info and Users (the Audit Log is ``audit_log``)."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for
from werkzeug.wrappers import Response

from stub_server.storage import get_storage
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
    """List the members with their organization role, stack roles, and how they got them."""
    storage = get_storage()
    return render_template(
        "settings/users.html",
        org=g.org,
        section="users",
        members=storage.members(org_uid),
        stack_roles=storage.grants.stack_roles_of_members(org_uid),
    )
