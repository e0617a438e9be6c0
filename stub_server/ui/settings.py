"""Organization Settings: Organization Info, Users and the Audit Log."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, redirect, render_template, url_for
from werkzeug.wrappers import Response

from stub_server.storage import get_storage
from stub_server.ui.auth import requires_settings_access
from stub_server.ui.errors import wants_json

bp = Blueprint("settings", __name__, url_prefix="/organizations/<org_uid>/settings")

AUDIT_COLUMNS = ("Date and Time", "User", "Event", "Application", "Remote Address", "Details")


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


@bp.get("/audit-log")
@requires_settings_access
def audit_log(org_uid: str) -> Response | str:
    """Show the organization's audit log, newest first (JSON for API clients)."""
    entries = get_storage().audit_entries(org_uid)
    if wants_json():
        return jsonify(
            {
                "organization": org_uid,
                "entries": [
                    {
                        "occurred_at": e["occurred_at"],
                        "user": e["actor"],
                        "event": e["event"],
                        "application": e["application"],
                        "remote_address": e["remote_addr"],
                        "details": e["details"],
                    }
                    for e in entries
                ],
            }
        )
    return render_template(
        "settings/audit_log.html",
        org=g.org,
        section="audit-log",
        entries=entries,
        columns=AUDIT_COLUMNS,
    )
