"""Faults of schema claims, unadvertised capabilities and the blind spots of item 5."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.conformance.faulty.core import (
    Call,
    Req,
    Resp,
    bulk_body,
    fault,
    is_collection,
    map_resources,
    resource_kind,
    scim_error,
    with_auth,
)


# -- schema claims
@fault("lowercase-external-id")
def _lowercase_external_id(req: Req, call: Call) -> Resp:
    """externalId (caseExact) is stored lower-cased."""
    body = req.json()
    if req.method in ("POST", "PUT") and isinstance(body, dict) and "externalId" in body:
        body["externalId"] = str(body["externalId"]).lower()
        req.set_json(body)
    return call(req)


@fault("uniqueness-case-sensitive")
def _uniqueness_case_sensitive(req: Req, call: Call) -> Resp:
    """A userName differing only in case from an existing one is accepted (stored renamed)."""
    body = req.json()
    if req.method == "POST" and is_collection(req, "Users") and isinstance(body, dict):
        resp = call(req)
        if (
            resp.status == 409
            and str(body.get("userName", "")) != str(body.get("userName", "")).lower()
        ):
            body["userName"] = "renamed-" + str(body["userName"]).lower()
            req.set_json(body)
            return call(req)
        return resp
    return call(req)


@fault("read-only-groups-applied")
def _read_only_groups_applied(req: Req, call: Call) -> Resp:
    """groups sent on user creation are applied: the user joins those groups."""
    body = req.json()
    resp = call(req)
    created = resp.json()
    if (
        req.method == "POST"
        and is_collection(req, "Users")
        and resp.status == 201
        and isinstance(body, dict)
        and isinstance(created, dict)
    ):
        for group in body.get("groups") or []:
            add = {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [
                    {"op": "add", "path": "members", "value": [{"value": created["id"]}]}
                ],
            }
            call(with_auth(req, "PATCH", f"/Groups/{group.get('value')}", add))
    return resp


def _schema_claim(name: str, attribute: str, key: str, value: Any, doc: str) -> None:
    """Register a fault making /Schemas declare a characteristic the server does not honour."""

    def rewrite(req: Req, call: Call) -> Resp:
        resp = call(req)
        body = resp.json()
        if req.method == "GET" and req.path.startswith("/Schemas") and isinstance(body, dict):
            for schema in body.get("Resources") or [body]:
                if schema.get("id") == "urn:ietf:params:scim:schemas:core:2.0:User":
                    for declared in schema.get("attributes") or []:
                        if declared.get("name") == attribute:
                            declared[key] = value
            resp.set_json(body)
        return resp

    rewrite.__doc__ = doc
    fault(name)(rewrite)


_schema_claim(
    "claims-nickname-unique",
    "nickName",
    "uniqueness",
    "server",
    "/Schemas declares nickName unique, but duplicates are accepted.",
)
_schema_claim(
    "claims-title-immutable",
    "title",
    "mutability",
    "immutable",
    "/Schemas declares title immutable, but PUT changes it.",
)
_schema_claim(
    "claims-display-name-always",
    "displayName",
    "returned",
    "always",
    "/Schemas declares displayName returned=always, but excludedAttributes removes it.",
)
_schema_claim(
    "claims-title-on-request",
    "title",
    "returned",
    "request",
    "/Schemas declares title returned=request, but it is returned by default.",
)


def _not_implemented(name: str, capability: str, path_prefix: str, method: str) -> None:
    """Register a fault: the SPC says `capability` is unsupported and the server answers 501."""

    def decline(req: Req, call: Call) -> Resp:
        if req.method == method and req.path.startswith(path_prefix):
            return scim_error(501, f"{capability} is not implemented")
        resp = call(req)
        body = resp.json()
        if req.path.startswith("/ServiceProviderConfig") and isinstance(body, dict):
            body[capability] = {**(body.get(capability) or {}), "supported": False}
            resp.set_json(body)
        return resp

    decline.__doc__ = f"{capability} is not advertised and declined with 501."
    fault(name)(decline)


_not_implemented("patch-unadvertised-501", "patch", "/", "PATCH")
_not_implemented("bulk-unadvertised-501", "bulk", "/Bulk", "POST")
_not_implemented("etag-unadvertised", "etag", "/nowhere", "GET")


@fault("search-not-implemented")
def _search_not_implemented(req: Req, call: Call) -> Resp:
    """POST /.search is declined with 501 Not Implemented."""
    if req.method == "POST" and req.path.endswith("/.search"):
        return scim_error(501, "searching with POST is not implemented")
    return call(req)


@fault("search-not-found")
def _search_not_found(req: Req, call: Call) -> Resp:
    """POST /.search answers 404, as if the route did not exist."""
    if req.method == "POST" and req.path.endswith("/.search"):
        return scim_error(404, "not found")
    return call(req)


@fault("filter-sw-unsupported")
def _filter_sw_unsupported(req: Req, call: Call) -> Resp:
    """The sw operator is declined with 400 invalidFilter (every other operator works)."""
    if req.method == "GET" and " sw " in req.query.get("filter", ""):
        return scim_error(400, "the operator 'sw' is not supported", "invalidFilter")
    return call(req)


@fault("filter-single-expression-only")
def _filter_single_expression_only(req: Req, call: Call) -> Resp:
    """Only single attribute expressions are supported: and/or/not are declined."""
    if req.method == "GET" and re.search(r"\b(and|or|not)\b", req.query.get("filter", "")):
        return scim_error(400, "logical operators are not supported", "invalidFilter")
    return call(req)


@fault("no-display-name")
def _no_display_name(req: Req, call: Call) -> Resp:
    """A server without User.displayName (an optional attribute): not declared, not kept."""
    body = req.json()
    if isinstance(body, dict) and resource_kind(req) == "Users":
        body.pop("displayName", None)
        for op in body.get("Operations") or []:
            if isinstance(op.get("value"), dict):
                op["value"].pop("displayName", None)
        req.set_json(body)
    resp = call(req)
    answer = resp.json()
    if req.path.startswith("/Schemas") and isinstance(answer, dict):
        for schema in answer.get("Resources") or [answer]:
            if schema.get("id") == "urn:ietf:params:scim:schemas:core:2.0:User":
                schema["attributes"] = [
                    a for a in schema.get("attributes") or [] if a.get("name") != "displayName"
                ]
        resp.set_json(answer)
    elif resource_kind(req) == "Users":
        map_resources(resp, lambda resource: resource.pop("displayName", None))
    return resp


EQ_ONLY = re.compile(r'^\s*[\w.:]+\s+eq\s+"[^"]*"\s*$', re.IGNORECASE)


@fault("filter-eq-only")
def _filter_eq_only(req: Req, call: Call) -> Resp:
    """Only `attr eq "value"` filters are supported (all Contentstack documents)."""
    if req.method == "GET" and "filter" in req.query and not EQ_ONLY.match(req.query["filter"]):
        return scim_error(400, "only 'eq' filters are supported", "invalidFilter")
    if req.method == "POST" and req.path.endswith("/.search"):
        body = req.json()
        text = body.get("filter") if isinstance(body, dict) else None
        if isinstance(text, str) and not EQ_ONLY.match(text):
            return scim_error(400, "only 'eq' filters are supported", "invalidFilter")
    return call(req)


# -- blind spots: discovery lists, unknown ids, error media types, bulk, sortBy, gaps ------
DISCOVERY_LISTS = ("/Schemas", "/ResourceTypes")


@fault("discovery-list-without-total")
def _discovery_list_without_total(req: Req, call: Call) -> Resp:
    """GET /Schemas and /ResourceTypes answer ListResponses without totalResults."""
    resp = call(req)
    body = resp.json()
    if req.path.rstrip("/") in DISCOVERY_LISTS and isinstance(body, dict):
        body.pop("totalResults", None)
        resp.set_json(body)
    return resp


@fault("discovery-404-plain")
def _discovery_404_plain(req: Req, call: Call) -> Resp:
    """An unknown /Schemas/{id} or /ResourceTypes/{id} is a bare text 404."""
    resp = call(req)
    parts = [p for p in req.path.split("/") if p]
    if len(parts) == 2 and f"/{parts[0]}" in DISCOVERY_LISTS and resp.status == 404:
        return Resp(404, {"Content-Type": "text/plain"}, b"Not Found")
    return resp


@fault("non-404-errors-as-json")
def _non_404_errors_as_json(req: Req, call: Call) -> Resp:
    """Error responses other than 404 are labelled application/json."""
    resp = call(req)
    if resp.status >= 400 and resp.status != 404:
        resp.headers["Content-Type"] = "application/json"
    return resp


@fault("bulk-forward-reference-duplicates")
def _bulk_forward_reference_duplicates(req: Req, call: Call) -> Resp:
    """A User POST referenced by an earlier bulk operation is created twice."""
    body = bulk_body(req)
    resp = call(req)
    referenced: set[str] = set()
    for operation in (body or {}).get("Operations") or []:
        data = operation.get("data")
        for member in (data or {}).get("members") or [] if isinstance(data, dict) else []:
            referenced.add(str(member.get("value", "")).removeprefix("bulkId:"))
        if operation.get("bulkId") in referenced and str(operation.get("path")).endswith("Users"):
            copy = {**data, "userName": f"{data['userName']}.copy"}
            call(with_auth(req, "POST", "/Users", copy))
    return resp


@fault("sort-by-case-sensitive")
def _sort_by_case_sensitive(req: Req, call: Call) -> Resp:
    """sortBy is ignored unless spelled in the schema's exact case."""
    sort_by = req.query.get("sortBy")
    if req.method == "GET" and sort_by and sort_by != "userName":
        del req.query["sortBy"]
    return call(req)


@fault("filter-multi-valued-missing-500")
def _filter_multi_valued_missing_500(req: Req, call: Call) -> Resp:
    """A filter on emails answers 500 once some user has no e-mail."""
    text = req.query.get("filter", "")
    if req.method == "GET" and is_collection(req, "Users") and "emails" in text.lower():
        every = call(with_auth(req, "GET", "/Users")).json() or {}
        if any(not user.get("emails") for user in every.get("Resources") or []):
            return scim_error(500, "NoneType object is not iterable")
    return call(req)


@fault("bulk-forward-reference-group-twice")
def _bulk_forward_reference_group_twice(req: Req, call: Call) -> Resp:
    """A Group POST that references a later bulkId is created twice (the second without members)."""
    body = bulk_body(req)
    resp = call(req)
    defined: set[str] = set()
    for operation in reversed((body or {}).get("Operations") or []):
        data = operation.get("data")
        members = (data or {}).get("members") or [] if isinstance(data, dict) else []
        forward = any(str(m.get("value", "")).removeprefix("bulkId:") in defined for m in members)
        if forward and str(operation.get("path")).endswith("Groups"):
            call(with_auth(req, "POST", "/Groups", {**data, "members": []}))
        if operation.get("bulkId"):
            defined.add(operation["bulkId"])
    return resp
