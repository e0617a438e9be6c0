"""Faults of what writes leave behind: null values, timestamps, schemas in PATCH, defaults,
immutable attributes; /Me and bulk references. (search-sort-ignored is in faults_query.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.integration.conformance.faulty.core import (
    Call,
    Req,
    Resp,
    fault,
    map_resources,
    resource_kind,
    scim_error,
    with_auth,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
EXTENSION_PREFIX = "urn:ietf:params:scim:schemas:extension:"
# Users a PATCH reached while "readd-touches-timestamp" was on: their lastModified is shown moved.
_TOUCHED: set[str] = set()


def _user_id(req: Req) -> str | None:
    """The id of /Users/<id> (None for any other path)."""
    parts = [p for p in req.path.split("/") if p]
    return parts[1] if len(parts) == 2 and parts[0] == "Users" else None


@fault("null-kept")
def _null_kept(req: Req, call: Call) -> Resp:
    """PUT keeps the old value of attributes the body sets to null or []."""
    body, user_id = req.json(), _user_id(req)
    if req.method == "PUT" and user_id and isinstance(body, dict):
        emptied = [k for k, v in body.items() if v is None or v == []]
        current = call(with_auth(req, "GET", f"/Users/{user_id}")).json() or {}
        for key in emptied:
            if key in current:
                body[key] = current[key]
        req.set_json(body)
    return call(req)


@fault("readd-touches-timestamp")
def _readd_touches_timestamp(req: Req, call: Call) -> Resp:
    """Every PATCH moves a User's meta.lastModified, even one that changes nothing."""
    user_id = _user_id(req)
    resp = call(req)
    if req.method == "PATCH" and user_id and resp.status < 300:
        _TOUCHED.add(user_id)

    def move(resource: dict[str, Any]) -> None:
        meta = resource.get("meta") or {}
        if resource.get("id") in _TOUCHED and isinstance(meta.get("lastModified"), str):
            stamp = datetime.fromisoformat(meta["lastModified"].replace("Z", "+00:00"))
            meta["lastModified"] = (stamp + timedelta(days=1)).isoformat()

    return map_resources(resp, move) if resource_kind(req) and resp.status < 300 else resp


@fault("patch-schemas-stale")
def _patch_schemas_stale(req: Req, call: Call) -> Resp:
    """A PATCH judges extension paths by the schemas the resource had before the request."""
    body = req.json()
    operations = body.get("Operations") if isinstance(body, dict) else None
    paths = [str(op.get("path", "")) for op in operations or [] if isinstance(op, dict)]
    first = next((i for i, path in enumerate(paths) if path.lower() == "schemas"), None)
    if (
        req.method == "PATCH"
        and first is not None
        and any(path.startswith(EXTENSION_PREFIX) for path in paths[first + 1 :])
    ):
        return scim_error(400, "the extension is not in the resource's schemas", "invalidPath")
    return call(req)


@fault("defaulted-in-view-only")
def _defaulted_in_view_only(req: Req, call: Call) -> Resp:
    """Users show active=true when it was never set, but filters see no value."""
    resp = call(req)
    if resource_kind(req) == "Users" and resp.status < 300:
        map_resources(resp, lambda r: r.setdefault("active", True) if r.get("id") else None)
    return resp


@fault("immutable-first-dropped")
def _immutable_first_dropped(req: Req, call: Call) -> Resp:
    """/Schemas declares User nickName immutable, and PUT drops a nickName it never had."""
    user_id, body = _user_id(req), req.json()
    if req.method == "PUT" and user_id and isinstance(body, dict) and "nickName" in body:
        current = call(with_auth(req, "GET", f"/Users/{user_id}")).json() or {}
        if "nickName" not in current:
            del body["nickName"]
            req.set_json(body)
    resp = call(req)
    if req.path.startswith("/Schemas") and resp.status == 200:

        def immutable(schema: dict[str, Any]) -> None:
            for attribute in schema.get("attributes") or [] if schema.get("id") == USER else []:
                if attribute.get("name") == "nickName":
                    attribute["mutability"] = "immutable"

        map_resources(resp, immutable)
    return resp


@fault("me-location-is-me")
def _me_location_is_me(req: Req, call: Call) -> Resp:
    """GET /Me answers a User whose Location header is /Me itself."""
    if req.method == "GET" and req.path.rstrip("/") == "/Me":
        resp = Resp(200, {"Content-Type": "application/scim+json", "Location": "/v2/Me"})
        resp.set_json({"schemas": [USER], "id": "me-1", "userName": "me@example.com"})
        return resp
    return call(req)


@fault("me-404")
def _me_404(req: Req, call: Call) -> Resp:
    """GET /Me answers 404 instead of 501 Not Implemented."""
    if req.path.rstrip("/") == "/Me":
        return scim_error(404, "no such endpoint")
    return call(req)


def _bulk_operations(req: Req) -> list[dict[str, Any]]:
    """The operations of a POST /Bulk (empty for other requests)."""
    body = req.json()
    if req.method != "POST" or req.path.rstrip("/") != "/Bulk" or not isinstance(body, dict):
        return []
    return [op for op in body.get("Operations") or [] if isinstance(op, dict)]


def _set_bulk_operations(req: Req, operations: list[dict[str, Any]]) -> None:
    """Put rewritten operations back into a POST /Bulk body."""
    if operations:
        body = req.json()
        body["Operations"] = operations
        req.set_json(body)


def _resolved_earlier(member: Any, seen: set[Any]) -> bool:
    """A member kept by a one-pass resolver: a plain id, or a bulkId defined earlier."""
    value = str(member.get("value", "")) if isinstance(member, dict) else ""
    return not value.startswith("bulkId:") or value[len("bulkId:") :] in seen


@fault("bulk-forward-group-dropped")
def _bulk_forward_group_dropped(req: Req, call: Call) -> Resp:
    """Bulk resolves a Group member only when its operation came earlier (one pass)."""
    operations, seen = _bulk_operations(req), set()
    for op in operations:
        data = op.get("data") if isinstance(op.get("data"), dict) else {}
        if "members" in data:
            data["members"] = [m for m in data["members"] if _resolved_earlier(m, seen)]
        seen.add(op.get("bulkId"))
    _set_bulk_operations(req, operations)
    return call(req)


@fault("bulk-extension-bulkid-kept")
def _bulk_extension_bulkid_kept(req: Req, call: Call) -> Resp:
    """Bulk stores an extension's "bulkId:" reference (enterprise manager) unresolved."""
    operations = _bulk_operations(req)
    for op in operations:
        data = op.get("data") if isinstance(op.get("data"), dict) else {}
        for key, extension in data.items():
            if not key.startswith(EXTENSION_PREFIX) or not isinstance(extension, dict):
                continue
            manager = extension.get("manager")
            if isinstance(manager, dict) and str(manager.get("value", "")).startswith("bulkId:"):
                manager["value"] = "unresolved:" + manager["value"][len("bulkId:") :]
    _set_bulk_operations(req, operations)
    return call(req)
