"""Organization Settings → SCIM 2.0 → Group Mapping: which roles each SCIM group grants.

Only while SCIM is on, and only for Owner, Admin and Security Manager (``requires_scim_manager``
checks every request and audits refusals). A mapping names a SCIM group the identity provider
pushed, an organization role (Admin or Member, never Owner) and a stack role per stack (or
none). Saving or removing one re-applies the role rules to that group's members at once.
Forms post HTML (CSRF from the page); JSON clients send the same fields as a JSON object.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, jsonify, redirect, request, url_for
from werkzeug.wrappers import Response

from stub_server import roles
from stub_server.domain.group_roles import InvalidMapping, check_mapping, map_group, unmap_group
from stub_server.storage import ResourceQuery, Storage, get_storage
from stub_server.ui.auth import audit_here, current_account, display_name, requires_scim_manager
from stub_server.ui.errors import wants_json

bp = Blueprint(
    "group_mapping", __name__, url_prefix="/organizations/<org_uid>/settings/scim/group-mappings"
)

STACK_FIELD = "stack_role."  # form field prefix: stack_role.<stack uid>
SCIM_OFF_MESSAGE = "SCIM 2.0 is off for {org}. Enable it before mapping groups."


def group_mapping_state(storage: Storage, org_uid: str) -> dict[str, Any]:
    """The SCIM groups, stacks and mappings of the organization, for the page and JSON."""
    _, found = storage.resources.search(org_uid, "Group", ResourceQuery())
    groups = sorted(
        ({"id": s.id, "name": s.resource["displayName"]} for s in found),
        key=lambda group: (group["name"].casefold(), group["id"]),
    )
    names = {group["id"]: group["name"] for group in groups}
    stacks = [{"uid": s["uid"], "name": s["name"]} for s in storage.grants.stacks(org_uid)]
    mappings = [
        {
            "group_id": m.group_id,
            "group": names.get(m.group_id, m.group_id),
            "organization_role": m.org_role,
            "stack_roles": {
                s["name"]: m.stack_roles[s["uid"]] for s in stacks if s["uid"] in m.stack_roles
            },
        }
        for m in storage.grants.mappings(org_uid)
        if m.group_id in names
    ]
    mappings.sort(key=lambda m: m["group"].casefold())
    return {
        "groups": groups,
        "stacks": stacks,
        "mappings": mappings,
        "organization_roles": list(roles.MAPPABLE_ORG_ROLES),
        "stack_roles": list(roles.STACK_ROLES),
    }


def _body() -> dict[str, Any]:
    """The submitted mapping: group_id, organization_role, stack_roles (stack -> role)."""
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("stack_roles", {}), dict):
            abort(
                400,
                description='Send a JSON object, e.g. {"group_id": "...", '
                '"organization_role": "Member", "stack_roles": {"Docs Portal": "Developer"}}.',
            )
        return body
    return {
        "group_id": request.form.get("group_id", ""),
        "organization_role": request.form.get("org_role", ""),
        "stack_roles": {
            key.removeprefix(STACK_FIELD): value
            for key, value in request.form.items()
            if key.startswith(STACK_FIELD)
        },
    }


def _stack_uids(storage: Storage, org_uid: str, chosen: dict[str, Any]) -> dict[str, str]:
    """Stack roles keyed by stack uid (JSON clients may name stacks instead)."""
    by_name = {s["name"]: s["uid"] for s in storage.grants.stacks(org_uid)}
    return {by_name.get(str(k), str(k)): str(v or "") for k, v in chosen.items()}


def _require_scim_on() -> None:
    if not get_storage().organization(g.org["uid"])["scim_enabled"]:
        abort(409, description=SCIM_OFF_MESSAGE.format(org=g.org["name"]))


def _done(org_uid: str, message: str) -> Response | tuple[Response, int]:
    if wants_json():
        return jsonify(group_mapping_state(get_storage(), org_uid)), 200
    flash(message, "success")
    return redirect(url_for("scim_settings.tab", org_uid=org_uid) + "#group-mapping", code=303)


def _audit(org_uid: str) -> Any:
    return lambda event, details: audit_here(org_uid, event, details=details)


@bp.post("")
@requires_scim_manager
def save(org_uid: str) -> Response | tuple[Response, int]:
    """Create or update the mapping of one SCIM group and apply it to its members."""
    _require_scim_on()
    storage = get_storage()
    body = _body()
    try:
        mapping = check_mapping(
            storage,
            org_uid,
            str(body.get("group_id") or ""),
            str(body.get("organization_role") or ""),
            _stack_uids(storage, org_uid, body.get("stack_roles") or {}),
        )
        map_group(storage, org_uid, mapping, display_name(current_account()), _audit(org_uid))
    except InvalidMapping as exc:
        abort(400, description=str(exc))
    return _done(org_uid, "The group mapping is saved; its members now have its roles.")


@bp.post("/<group_id>/remove")
@requires_scim_manager
def remove(org_uid: str, group_id: str) -> Response | tuple[Response, int]:
    """Remove a group's mapping; its members keep only what other groups grant."""
    _require_scim_on()
    if not unmap_group(get_storage(), org_uid, group_id, _audit(org_uid)):
        abort(404, description="That group has no mapping.")
    return _done(org_uid, "The group mapping is removed.")
