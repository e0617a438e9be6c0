"""Faults of the Users/Groups lifecycle, error responses and timing."""

from __future__ import annotations

import secrets
import threading
from typing import Any

from tests.integration.conformance.faulty.core import (
    ERROR_SCHEMA,
    LIST_SCHEMA,
    Call,
    Req,
    Resp,
    fault,
    is_collection,
    is_resource,
    map_resources,
    resource_kind,
    scim_error,
    with_auth,
)


# -- resources ------------------------------------------------------------------------------
@fault("create-200")
def _create_200(req: Req, call: Call) -> Resp:
    """Creations answer 200 instead of 201."""
    resp = call(req)
    if req.method == "POST" and resp.status == 201:
        resp.status = 200
    return resp


@fault("drop-location")
def _drop_location(req: Req, call: Call) -> Resp:
    """Creations answer without a Location header."""
    resp = call(req)
    resp.drop_header("Location")
    return resp


@fault("drop-schemas")
def _drop_schemas(req: Req, call: Call) -> Resp:
    """Users and Groups are returned without their 'schemas'."""
    resp = call(req)
    if resource_kind(req):
        map_resources(resp, lambda r: r.pop("schemas", None) if "id" in r else None)
    return resp


@fault("drop-meta-resource-type")
def _drop_meta_resource_type(req: Req, call: Call) -> Resp:
    """meta.resourceType is missing from Users and Groups."""
    resp = call(req)
    if resource_kind(req):
        map_resources(resp, lambda r: (r.get("meta") or {}).pop("resourceType", None))
    return resp


@fault("bad-attribute-types")
def _bad_attribute_types(req: Req, call: Call) -> Resp:
    """User 'active' is a string and Group 'displayName' a list."""
    resp = call(req)

    def corrupt(resource: dict[str, Any]) -> None:
        if "active" in resource:
            resource["active"] = str(resource["active"]).lower()
        if resource_kind(req) == "Groups" and "displayName" in resource:
            resource["displayName"] = [resource["displayName"]]

    if resource_kind(req):
        map_resources(resp, corrupt)
    return resp


@fault("mangle-create-echo")
def _mangle_create_echo(req: Req, call: Call) -> Resp:
    """The 201 body shows another name.familyName than the one sent."""
    resp = call(req)
    if req.method == "POST" and resp.status == 201:
        map_resources(resp, lambda r: r.setdefault("name", {}).update(familyName="Mangled"))
    return resp


@fault("return-password")
def _return_password(req: Req, call: Call) -> Resp:
    """Users come back with a password attribute."""
    resp = call(req)
    if resource_kind(req) == "Users" and resp.status < 300:
        map_resources(resp, lambda r: r.update(password="hunter2") if "userName" in r else None)
    return resp


_client_created: dict[str, str] = {}


@fault("keep-client-meta")
def _keep_client_meta(req: Req, call: Call) -> Resp:
    """A client-supplied meta.created (readOnly) is kept and shown from then on."""
    sent = req.json()
    resp = call(req)
    body = resp.json()
    if not isinstance(body, dict) or not resource_kind(req):
        return resp
    sent_meta = sent.get("meta") if isinstance(sent, dict) else None
    if isinstance(sent_meta, dict) and sent_meta.get("created") and body.get("id"):
        _client_created[body["id"]] = sent_meta["created"]

    def show(resource: dict[str, Any]) -> None:
        if resource.get("id") in _client_created:
            resource.setdefault("meta", {})["created"] = _client_created[resource["id"]]

    return map_resources(resp, show)


@fault("created-changes-on-put")
def _created_changes_on_put(req: Req, call: Call) -> Resp:
    """PUT responses carry a new meta.created."""
    resp = call(req)
    if req.method == "PUT" and resp.status == 200:
        map_resources(
            resp, lambda r: r.setdefault("meta", {}).update(created="2099-01-01T00:00:00Z")
        )
    return resp


@fault("conflict-as-400")
def _conflict_as_400(req: Req, call: Call) -> Resp:
    """Uniqueness conflicts answer 400 invalidValue instead of 409 uniqueness."""
    resp = call(req)
    if resp.status == 409:
        return scim_error(400, "userName taken", "invalidValue")
    return resp


@fault("list-without-total")
def _list_without_total(req: Req, call: Call) -> Resp:
    """ListResponses lack totalResults."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and LIST_SCHEMA in body.get("schemas", []):
        body.pop("totalResults", None)
        resp.set_json(body)
    return resp


@fault("not-found-as-400")
def _not_found_as_400(req: Req, call: Call) -> Resp:
    """Unknown ids answer 400 instead of 404."""
    resp = call(req)
    if resp.status == 404:
        return scim_error(400, "no such resource", "invalidValue")
    return resp


@fault("wrong-id-on-get")
def _wrong_id_on_get(req: Req, call: Call) -> Resp:
    """GET of one resource returns a body with another id."""
    resp = call(req)
    if req.method == "GET" and resource_kind(req) and resp.status == 200:
        body = resp.json()
        if isinstance(body, dict) and "id" in body:
            body["id"] = "not-" + str(body["id"])
            resp.set_json(body)
    return resp


@fault("ignore-put")
def _ignore_put(req: Req, call: Call) -> Resp:
    """PUT answers 200 with the unchanged resource."""
    if req.method == "PUT" and resource_kind(req):
        current = call(with_auth(req, "GET", req.path))
        return current if current.status == 200 else call(req)
    return call(req)


@fault("put-204")
def _put_204(req: Req, call: Call) -> Resp:
    """PUT applies the change but answers 204 without the resource."""
    resp = call(req)
    if req.method == "PUT" and resp.status == 200:
        return Resp(204)
    return resp


@fault("delete-200")
def _delete_200(req: Req, call: Call) -> Resp:
    """DELETE answers 200 instead of 204."""
    resp = call(req)
    if req.method == "DELETE" and resp.status == 204:
        resp.status = 200
        resp.set_json({"deleted": True})
        resp.headers["Content-Type"] = "application/json"
    return resp


@fault("soft-delete")
def _soft_delete(req: Req, call: Call) -> Resp:
    """DELETE answers 204 but the resource stays readable."""
    if req.method == "DELETE" and resource_kind(req) and is_resource(req, resource_kind(req)):
        return Resp(204)
    return call(req)


@fault("cascade-delete-members")
def _cascade_delete_members(req: Req, call: Call) -> Resp:
    """Deleting a Group also deletes its member Users."""
    if req.method == "DELETE" and is_resource(req, "Groups"):
        group = call(with_auth(req, "GET", req.path)).json() or {}
        for member in group.get("members") or []:
            call(with_auth(req, "DELETE", f"/Users/{member['value']}"))
    return call(req)


@fault("keep-deleted-members")
def _keep_deleted_members(req: Req, call: Call) -> Resp:
    """Deleted Users stay listed as Group members (scim2-server 0.8 already behaves so)."""
    return call(req)


@fault("purge-deleted-members")
def _purge_deleted_members(req: Req, call: Call) -> Resp:
    """Corrective: deleting a User also removes it from every Group (conformant behaviour)."""
    resp = call(req)
    if req.method == "DELETE" and is_resource(req, "Users") and resp.status == 204:
        user_id = req.path.rstrip("/").rsplit("/", 1)[1]
        groups = call(with_auth(req, "GET", "/Groups")).json() or {}
        for group in groups.get("Resources") or []:
            members = [m for m in group.get("members") or [] if m.get("value") != user_id]
            if len(members) != len(group.get("members") or []):
                group["members"] = members
                group.pop("meta", None)
                call(with_auth(req, "PUT", f"/Groups/{group['id']}", group))
    return resp


@fault("ignore-members-on-create")
def _ignore_members_on_create(req: Req, call: Call) -> Resp:
    """Members sent with a new Group are dropped."""
    body = req.json()
    if req.method == "POST" and is_collection(req, "Groups") and isinstance(body, dict):
        body.pop("members", None)
        req.set_json(body)
    return call(req)


# -- errors ---------------------------------------------------------------------------------
@fault("status-as-int")
def _status_as_int(req: Req, call: Call) -> Resp:
    """Error bodies carry status as a JSON number."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and ERROR_SCHEMA in body.get("schemas", []):
        body["status"] = resp.status
        resp.set_json(body)
    return resp


@fault("no-scim-type")
def _no_scim_type(req: Req, call: Call) -> Resp:
    """Error bodies never carry a scimType."""
    resp = call(req)
    body = resp.json()
    if isinstance(body, dict) and "scimType" in body:
        del body["scimType"]
        resp.set_json(body)
    return resp


@fault("wrong-scim-type")
def _wrong_scim_type(req: Req, call: Call) -> Resp:
    """404 error bodies carry scimType 'uniqueness'."""
    resp = call(req)
    body = resp.json()
    if resp.status == 404 and isinstance(body, dict):
        body["scimType"] = "uniqueness"
        resp.set_json(body)
    return resp


@fault("500-on-bad-json")
def _500_on_bad_json(req: Req, call: Call) -> Resp:
    """A request body that is not JSON crashes the server (500)."""
    if req.body and req.json() is None:
        resp = Resp(500, {"Content-Type": "text/html"})
        resp.body = b"<h1>Internal Server Error</h1>"
        return resp
    return call(req)


@fault("accept-missing-user-name")
def _accept_missing_user_name(req: Req, call: Call) -> Resp:
    """A User without userName is created with a made-up one."""
    body = req.json()
    missing = isinstance(body, dict) and "userName" not in body
    if req.method == "POST" and is_collection(req, "Users") and missing:
        body["userName"] = f"{body.get('externalId', 'x')}-{secrets.token_hex(4)}"
        req.set_json(body)
    return call(req)


# -- timing ---------------------------------------------------------------------------------
STALL_REACHED = threading.Event()  # set when a request starts stalling
STALL_RELEASE = threading.Event()  # set by a test to let stalled requests finish


@fault("stall-user-reads")
def _stall_user_reads(req: Req, call: Call) -> Resp:
    """GET /Users/{id} waits until a test sets STALL_RELEASE (at most 30 s)."""
    if req.method == "GET" and is_resource(req, "Users"):
        STALL_REACHED.set()
        STALL_RELEASE.wait(30)
    return call(req)


@fault("meta-created-not-datetime")
def _meta_created_not_datetime(req: Req, call: Call) -> Resp:
    """meta.created of Users and Groups is a word, not a DateTime."""
    resp = call(req)
    if resource_kind(req):

        def change(resource: dict[str, Any]) -> None:
            if isinstance(resource.get("meta"), dict):
                resource["meta"]["created"] = "yesterday"

        map_resources(resp, change)
    return resp


SWAPPED_SCIM_TYPES = {"invalidSyntax": "invalidValue", "invalidValue": "invalidSyntax"}


@fault("scim-type-swapped")
def _scim_type_swapped(req: Req, call: Call) -> Resp:
    """400 answers name the other Table 9 keyword: invalidSyntax <-> invalidValue."""
    resp = call(req)
    body = resp.json()
    if resp.status == 400 and isinstance(body, dict) and body.get("scimType") in SWAPPED_SCIM_TYPES:
        body["scimType"] = SWAPPED_SCIM_TYPES[body["scimType"]]
        resp.set_json(body)
    return resp
