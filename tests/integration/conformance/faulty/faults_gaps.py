"""Faults for the checks that close RFC coverage gaps: common attributes and published schemas."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests.integration.conformance.faulty.core import (
    Call,
    Req,
    Resp,
    fault,
    is_resource,
    map_resources,
    resource_kind,
    scim_error,
    with_auth,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE = {"Users": USER, "Groups": "urn:ietf:params:scim:schemas:core:2.0:Group"}
RESERVED_PREFIX = "bulkId"


def on_resources(req: Req, resp: Resp, change: Any) -> Resp:
    """Apply ``change`` to each User/Group in a Users/Groups response."""
    if resource_kind(req) and resp.status < 300:
        map_resources(resp, lambda r: change(r) if isinstance(r.get("id"), str) else None)
    return resp


def _on_schemas(req: Req, resp: Resp, change: Any) -> Resp:
    """Apply ``change`` to each schema /Schemas answers (list or single)."""
    if req.path.startswith("/Schemas") and resp.status == 200:
        map_resources(resp, change)
    return resp


# -- common attributes (RFC 7643 §3) ------------------------------------------------------
@fault("undeclared-schema-urn")
def _undeclared_schema_urn(req: Req, call: Call) -> Resp:
    """Users and Groups list a schema URN their ResourceType does not declare."""
    return on_resources(
        req, call(req), lambda r: r.setdefault("schemas", []).append("urn:example:scim:extra")
    )


@fault("duplicate-schema-urn")
def _duplicate_schema_urn(req: Req, call: Call) -> Resp:
    """Users and Groups repeat their core schema URN in schemas."""
    kind = resource_kind(req)
    return on_resources(req, call(req), lambda r: r.setdefault("schemas", []).append(CORE[kind]))


@fault("invented-external-id")
def _invented_external_id(req: Req, call: Call) -> Resp:
    """The server fills in an externalId the client never sent."""
    return on_resources(req, call(req), lambda r: r.setdefault("externalId", f"srv-{r['id']}"))


@fault("bulk-id-in-ids")
def _bulk_id_in_ids(req: Req, call: Call) -> Resp:
    """Issued ids start with the reserved keyword 'bulkId' (requests are mapped back)."""
    parts = req.path.split("/")
    if resource_kind(req) and len(parts) > 2 and parts[2].startswith(RESERVED_PREFIX):
        parts[2] = parts[2][len(RESERVED_PREFIX) :]
        req.path = "/".join(parts)
    resp = call(req)

    def rename(resource: dict[str, Any]) -> None:
        old = resource["id"]
        resource["id"] = RESERVED_PREFIX + old
        meta = resource.get("meta") or {}
        if isinstance(meta.get("location"), str):
            meta["location"] = meta["location"].replace(f"/{old}", f"/{RESERVED_PREFIX}{old}")

    on_resources(req, resp, rename)
    for name in [k for k in resp.headers if k.lower() in ("location", "content-location")]:
        head, _, tail = resp.headers[name].rpartition("/")
        resp.headers[name] = f"{head}/{RESERVED_PREFIX}{tail}"
    return resp


@fault("last-modified-after-created")
def _last_modified_after_created(req: Req, call: Call) -> Resp:
    """A resource never modified shows lastModified one second after created."""

    def shift(resource: dict[str, Any]) -> None:
        meta = resource.get("meta") or {}
        if isinstance(meta.get("created"), str):
            created = datetime.fromisoformat(meta["created"].replace("Z", "+00:00"))
            meta["lastModified"] = (created + timedelta(seconds=1)).isoformat()

    return on_resources(req, call(req), shift)


@fault("content-location-differs")
def _content_location_differs(req: Req, call: Call) -> Resp:
    """Responses carry a Content-Location that is not the resource's meta.location."""
    resp = call(req)
    body = resp.json()
    if resource_kind(req) and isinstance(body, dict) and (body.get("meta") or {}).get("location"):
        resp.headers["Content-Location"] = body["meta"]["location"] + "/elsewhere"
    return resp


# -- published schemas (RFC 7643 §2, RFC 7644 §3.1, §4) -----------------------------------
@fault("bad-attribute-name")
def _bad_attribute_name(req: Req, call: Call) -> Resp:
    """/Schemas publishes a User attribute whose name breaks ATTRNAME (a space)."""

    def add(schema: dict[str, Any]) -> None:
        if schema.get("id") == USER:
            schema["attributes"].append({"name": "cost center", "type": "string"})

    return _on_schemas(req, call(req), add)


@fault("nested-complex-attribute")
def _nested_complex_attribute(req: Req, call: Call) -> Resp:
    """/Schemas gives User.name a complex sub-attribute with sub-attributes of its own."""

    def nest(schema: dict[str, Any]) -> None:
        for attribute in schema.get("attributes") or []:
            if schema.get("id") == USER and attribute.get("name") == "name":
                attribute.setdefault("subAttributes", []).append(
                    {
                        "name": "phonetic",
                        "type": "complex",
                        "subAttributes": [{"name": "familyName", "type": "string"}],
                    }
                )

    return _on_schemas(req, call(req), nest)


@fault("message-schema-listed")
def _message_schema_listed(req: Req, call: Call) -> Resp:
    """/Schemas also lists the ListResponse message schema."""
    resp = call(req)
    body = resp.json()
    if req.path.rstrip("/") == "/Schemas" and isinstance(body, dict):
        body.setdefault("Resources", []).append(
            {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
                "id": "urn:ietf:params:scim:api:messages:2.0:ListResponse",
                "name": "ListResponse",
                "attributes": [],
            }
        )
        body["totalResults"] = len(body["Resources"])
        resp.set_json(body)
    return resp


@fault("discovery-paged")
def _discovery_paged(req: Req, call: Call) -> Resp:
    """/Schemas and /ResourceTypes honour count and startIndex like a resource list."""
    resp = call(req)
    body = resp.json()
    if req.path.rstrip("/") in ("/Schemas", "/ResourceTypes") and isinstance(body, dict):
        start = int(req.query.get("startIndex", "1")) - 1
        count = int(req.query.get("count", str(len(body.get("Resources") or []))))
        body["Resources"] = (body.get("Resources") or [])[start : start + count]
        resp.set_json(body)
    return resp


# -- writes and what they leave (RFC 7644 §3.2, §3.5.1, §3.6; RFC 7643 §6) -----------------
DELETED: dict[str, dict[str, Any]] = {}  # id -> representation, for deleted-still-listed


def _unknown(req: Req, call: Call) -> bool:
    """True when the addressed resource does not exist (a GET answers 404)."""
    return call(with_auth(req, "GET", req.path)).status == 404


@fault("put-creates")
def _put_creates(req: Req, call: Call) -> Resp:
    """PUT to an id nobody was given creates the resource (as a POST would)."""
    kind = resource_kind(req)
    if req.method == "PUT" and kind and is_resource(req, kind) and _unknown(req, call):
        req.method, req.path = "POST", f"/{kind}"
    return call(req)


@fault("deleted-still-listed")
def _deleted_still_listed(req: Req, call: Call) -> Resp:
    """Deleted Users and Groups keep appearing in lists and search results."""
    kind = resource_kind(req)
    if req.method == "DELETE" and kind and is_resource(req, kind):
        before = call(with_auth(req, "GET", req.path))
        resp = call(req)
        if resp.status == 204 and isinstance(before.json(), dict):
            DELETED[before.json()["id"]] = before.json()
        return resp
    resp = call(req)
    body = resp.json()
    if kind and resp.status == 200 and isinstance(body, dict) and "Resources" in body:
        ghosts = [r for r in DELETED.values() if f"{r['meta']['resourceType']}s" == kind]
        body["Resources"] += ghosts
        body["totalResults"] = body.get("totalResults", 0) + len(ghosts)
        resp.set_json(body)
    return resp


@fault("required-extension-dropped")
def _required_extension_dropped(req: Req, call: Call) -> Resp:
    """The User type requires the enterprise extension, yet Users come back without it."""
    resp = call(req)
    if req.path.rstrip("/").startswith("/ResourceTypes"):

        def require(resource_type: dict[str, Any]) -> None:
            for entry in resource_type.get("schemaExtensions") or []:
                entry["required"] = True

        return map_resources(resp, require)

    def drop(resource: dict[str, Any]) -> None:
        resource.pop(ENTERPRISE, None)
        resource["schemas"] = [s for s in resource.get("schemas") or [] if s != ENTERPRISE]

    return on_resources(req, resp, drop) if resource_kind(req) == "Users" else resp


# -- conditional requests (RFC 7232 §3.2, §4.1, §5, §6) -------------------------------------
@fault("not-modified-without-etag")
def _not_modified_without_etag(req: Req, call: Call) -> Resp:
    """A 304 answer leaves out the ETag header."""
    resp = call(req)
    if resp.status == 304:
        resp.drop_header("ETag")
    return resp


@fault("precondition-before-existence")
def _precondition_before_existence(req: Req, call: Call) -> Resp:
    """If-Match is judged before the resource is looked up: unknown ids answer 412."""
    kind = resource_kind(req)
    if req.header("If-Match") and kind and is_resource(req, kind) and _unknown(req, call):
        return scim_error(412, "version mismatch")
    return call(req)
