"""Faults against SHOULD rules: unknown query parameters, complex attributes without
subAttributes, singular endpoints, userNames held after deletion."""

from __future__ import annotations

from typing import Any

from tests.integration.conformance.faulty.core import (
    Call,
    Req,
    Resp,
    fault,
    map_resources,
    scim_error,
    with_auth,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
# Query parameters RFC 7644 §3.4.2 defines (compared in lower case).
KNOWN_PARAMETERS = {
    "filter", "sortby", "sortorder", "startindex", "count", "attributes", "excludedattributes",
}  # fmt: skip
# userNames of Users deleted while "deleted-name-reserved" was on.
_RESERVED: set[str] = set()


@fault("unknown-parameter-rejected")
def _unknown_parameter_rejected(req: Req, call: Call) -> Resp:
    """Any query parameter the RFC does not define is refused with 400."""
    unknown = sorted(k for k in req.query if k.lower() not in KNOWN_PARAMETERS)
    if req.method == "GET" and unknown:
        return scim_error(400, f"unknown query parameters {unknown}", "invalidValue")
    return call(req)


@fault("complex-without-sub-attributes")
def _complex_without_sub_attributes(req: Req, call: Call) -> Resp:
    """/Schemas publishes User "name" as complex without its subAttributes."""
    resp = call(req)

    def strip(schema: dict[str, Any]) -> None:
        for attribute in schema.get("attributes") or [] if schema.get("id") == USER else []:
            if attribute.get("name") == "name":
                attribute.pop("subAttributes", None)

    return map_resources(resp, strip) if req.path.startswith("/Schemas") else resp


@fault("singular-extended-endpoint")
def _singular_extended_endpoint(req: Req, call: Call) -> Resp:
    """/ResourceTypes lists an extended resource type "Device" served at /Device."""
    resp = call(req)
    body = resp.json()
    if req.path.rstrip("/") == "/ResourceTypes" and isinstance(body, dict) and resp.status == 200:
        device = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Device",
            "name": "Device",
            "endpoint": "/Device",
            "schema": "urn:example:scim:schemas:Device",
        }
        body["Resources"] = [*(body.get("Resources") or []), device]
        body["totalResults"] = len(body["Resources"])
        resp.set_json(body)
    return resp


@fault("deleted-name-reserved")
def _deleted_name_reserved(req: Req, call: Call) -> Resp:
    """A deleted User's userName stays taken: creating it again answers 409."""
    parts = [p for p in req.path.split("/") if p]
    body = req.json()
    if req.method == "DELETE" and len(parts) == 2 and parts[0] == "Users":
        shown = call(with_auth(req, "GET", req.path)).json() or {}
        if shown.get("userName"):
            _RESERVED.add(str(shown["userName"]).lower())
    taken = isinstance(body, dict) and str(body.get("userName", "")).lower() in _RESERVED
    if req.method == "POST" and parts == ["Users"] and taken:
        return scim_error(409, "userName is taken", "uniqueness")
    return call(req)
