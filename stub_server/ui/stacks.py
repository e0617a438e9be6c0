"""The All Stacks page: where people land after signing in, and the ORGANIZATION menu."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, session, url_for
from werkzeug.wrappers import Response

from stub_server.storage import get_storage
from stub_server.ui.auth import current_account, login_required, organization_member

bp = Blueprint("stacks", __name__)

SESSION_ORG = "org_uid"


def landing_url(account_uid: str) -> str:
    """All Stacks of the organization used last, or of the first one the person belongs to."""
    uids = [m["uid"] for m in get_storage().memberships_of(account_uid)]
    if not uids:
        return url_for("stacks.home")
    chosen = session.get(SESSION_ORG)
    return url_for("stacks.all_stacks", org_uid=chosen if chosen in uids else uids[0])


@bp.get("/")
@login_required
def home() -> Response | str:
    """Open All Stacks (or say that the person belongs to no organization)."""
    if not get_storage().memberships_of(current_account()["uid"]):
        return render_template("no_organization.html")
    return redirect(landing_url(current_account()["uid"]))


@bp.get("/organizations/<org_uid>/stacks")
@organization_member
def all_stacks(org_uid: str) -> str:
    """List the organization's stacks; switching organization is a link to another one."""
    session[SESSION_ORG] = org_uid
    stacks = get_storage().grants.stacks(org_uid)
    return render_template("stacks.html", org=g.org, stacks=stacks)
