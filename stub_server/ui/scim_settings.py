"""Organization Settings → SCIM 2.0: enable/disable SCIM and issue the bearer token.

Every view re-checks the role (``requires_scim_manager``) and the plan on the server; the
hidden menu entry and the disabled checkbox are only courtesy. Refusals are audited.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response

from stub_server.storage import get_storage
from stub_server.ui.auth import audit_here, current_account, display_name, requires_scim_manager
from stub_server.ui.errors import wants_json
from stub_server.ui.group_mapping import group_mapping_state
from stub_server.ui.token_reveal import reveals

bp = Blueprint("scim_settings", __name__, url_prefix="/organizations/<org_uid>/settings/scim")

SESSION_REVEAL = "scim_token_reveal"
SCIM_PATH = "scim/v2.0/organizations/{org_uid}"
REFUSED = "SCIM settings change refused"
PLAN_MESSAGE = (
    "The {plan} plan of {org} does not include SCIM 2.0, so it cannot be enabled. "
    "Your organization Owner can ask Contentstack support or sales to add SCIM to the plan."
)
NOT_ENABLED_MESSAGE = "SCIM 2.0 is off for {org}. Enable it before generating a token."
REPLACE_MESSAGE = (
    "A token ending in {hint} is live; a new one revokes it. Confirm by sending confirm=yes "
    "(the Replace SCIM token dialog does this)."
)
CONFIRM_MESSAGE = "Confirm by sending confirm=yes (the {dialog} dialog does this)."
SWITCHED = {  # SCIM switched on/off: (message when it changed, message when it already was)
    True: (
        "SCIM 2.0 is enabled for {org}. Generate a token for your identity provider.",
        "SCIM 2.0 was already enabled for {org}.",
    ),
    False: (
        "SCIM 2.0 is disabled for {org}; its token no longer works.",
        "SCIM 2.0 was already off for {org}.",
    ),
}


def scim_base_url(org_uid: str) -> str:
    """Return the organization's SCIM base URL on the host the request came to."""
    return request.host_url + SCIM_PATH.format(org_uid=org_uid)


def _field(name: str) -> str:
    """Read a field from the form or a JSON object body."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            abort(400, description='Send a JSON object, e.g. {"confirm": "yes"}.')
        return str(body.get(name, ""))
    return request.form.get(name, "")


def _tab_url() -> str:
    return url_for("scim_settings.tab", org_uid=g.org["uid"])


def _state(org: sqlite3.Row) -> dict[str, Any]:
    """The SCIM settings as the JSON API reports them (never the token secret)."""
    token = get_storage().active_token(org["uid"])
    return {
        "organization": org["uid"],
        "name": org["name"],
        "plan": org["plan"],
        "plan_includes_scim": bool(org["plan_includes_scim"]),
        "scim_enabled": bool(org["scim_enabled"]),
        "scim_enabled_at": org["scim_enabled_at"],
        "scim_base_url": scim_base_url(org["uid"]) if org["scim_enabled"] else None,
        "group_mapping": group_mapping_state(get_storage(), org["uid"])
        if org["scim_enabled"]
        else None,
        "token": None
        if token is None
        else {
            "hint": token["hint"],
            "created_at": token["created_at"],
            "created_by": token["created_by"],
        },
    }


def _render(
    org: sqlite3.Row, *, open_dialog: str | None = None, new_token: str | None = None
) -> str:
    return render_template(
        "settings/scim.html",
        org=org,
        section="scim",
        open_dialog=open_dialog,
        new_token=new_token,
        active_token=get_storage().active_token(org["uid"]),
        base_url=scim_base_url(org["uid"]),
        group_mapping=group_mapping_state(get_storage(), org["uid"])
        if org["scim_enabled"]
        else None,
        editing=request.args.get("edit", ""),
    )


def _refuse_without_plan(action: str) -> None:
    """403 (audited) when the organization's plan does not include SCIM."""
    org = g.org
    if not org["plan_includes_scim"]:
        audit_here(
            org["uid"], REFUSED, details=f"the {org['plan']} plan does not include SCIM ({action})"
        )
        abort(403, description=PLAN_MESSAGE.format(plan=org["plan"], org=org["name"]))


def _confirmed(action: str, dialog: str) -> bool:
    """Whether the person confirmed the switch in its dialog; refused first without the plan
    (403, audited), and a JSON caller without confirm=yes gets a 400 saying how to confirm."""
    _refuse_without_plan(action)
    if _field("confirm") == "yes":
        return True
    if wants_json():
        abort(400, description=CONFIRM_MESSAGE.format(dialog=dialog))
    return False


def _reload_org(org_uid: str) -> sqlite3.Row:
    # Re-read inside the write transaction: the row loaded by the decorator may be stale.
    return get_storage().organization(org_uid)


def _switch(org_uid: str, *, on: bool) -> Response | tuple[Response, int]:
    """Switch SCIM on or off (off revokes every token), audited; answer with the new settings
    as JSON, or a message on the tab."""
    storage = get_storage()
    with storage.transaction():
        changed = bool(_reload_org(org_uid)["scim_enabled"]) != on
        if changed:
            if not on and storage.revoke_tokens(org_uid):
                audit_here(org_uid, "SCIM token revoked", details="SCIM was disabled")
            storage.set_scim_enabled(org_uid, on)
            audit_here(org_uid, "SCIM enabled" if on else "SCIM disabled")
    if wants_json():
        return jsonify(_state(_reload_org(org_uid))), 200
    done, unchanged = SWITCHED[on]
    flash((done if changed else unchanged).format(org=g.org["name"]), "success")
    return redirect(_tab_url(), code=303)


@bp.get("")
@requires_scim_manager
def tab(org_uid: str) -> Response | str:
    """Show the SCIM 2.0 tab; a token issued by the previous POST is shown this once."""
    if wants_json():
        return jsonify(_state(g.org))
    new_token = None
    reveal_id = session.pop(SESSION_REVEAL, None)
    if reveal_id:
        token = reveals().take(reveal_id, current_account()["uid"], org_uid)
        # Only while it is still the live token (someone may have replaced it meanwhile).
        if token and get_storage().org_for_token(token) == org_uid:
            new_token = token
    return _render(g.org, new_token=new_token)


@bp.post("/enable")
@requires_scim_manager
def enable(org_uid: str) -> Response | str | tuple[Response, int]:
    """Switch SCIM on once the person confirmed in the Enable SCIM 2.0 dialog."""
    if _confirmed("enable", "Enable SCIM 2.0"):
        return _switch(org_uid, on=True)
    if _field("enable_scim") == "on":  # the checkbox form without JavaScript: confirm first
        return _render(g.org, open_dialog="enable")
    flash("SCIM 2.0 stays off: tick Enable SCIM to switch it on.", "info")
    return redirect(_tab_url(), code=303)


@bp.post("/disable")
@requires_scim_manager
def disable(org_uid: str) -> Response | str | tuple[Response, int]:
    """Switch SCIM off and revoke every token once confirmed in the Disable SCIM 2.0 dialog."""
    if _confirmed("disable", "Disable SCIM 2.0"):
        return _switch(org_uid, on=False)
    return _render(g.org, open_dialog="disable")  # confirm first (browsers without JS)


@bp.post("/token")
@requires_scim_manager
def generate_token(org_uid: str) -> Response | str | tuple[Response, int]:
    """Issue a new bearer token and show it once; replacing a live one needs confirm=yes."""
    _refuse_without_plan("generate token")
    storage = get_storage()
    account = current_account()
    token = None
    with storage.transaction():
        if not _reload_org(org_uid)["scim_enabled"]:
            abort(409, description=NOT_ENABLED_MESSAGE.format(org=g.org["name"]))
        previous = storage.active_token(org_uid)
        # The live token is only revoked once the person confirmed it (the dialog sends it).
        if previous is None or _field("confirm") == "yes":
            token = storage.issue_token(org_uid, created_by=display_name(account))
            if previous is not None:
                audit_here(
                    org_uid,
                    "SCIM token revoked",
                    details=f"token ending {previous['hint']} replaced by a new one",
                )
            audit_here(org_uid, "SCIM token generated", details=f"token ending {token[-4:]}")
    if token is None:
        if wants_json():
            abort(409, description=REPLACE_MESSAGE.format(hint=previous["hint"]))
        return _render(g.org, open_dialog="replace-token")  # confirm first (browsers without JS)
    if wants_json():
        # The secret travels once, beside the state (whose "token" only ever holds the hint).
        return jsonify({**_state(_reload_org(org_uid)), "new_token": token}), 201
    # Post/Redirect/Get so a reload never re-issues; the token waits in memory for one read.
    session[SESSION_REVEAL] = reveals().put(account["uid"], org_uid, token)
    return redirect(_tab_url(), code=303)
