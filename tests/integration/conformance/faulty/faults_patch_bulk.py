"""Faults of PATCH, ETags and Bulk."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.conformance.faulty.core import (
    Call,
    Req,
    Resp,
    bulk_body,
    fault,
    map_resources,
    resource_kind,
    scim_error,
    with_auth,
)


# -- PATCH
def _patch_operations(req: Req) -> list[dict[str, Any]] | None:
    """The operations of a PATCH request body (None for other requests)."""
    body = req.json()
    if req.method != "PATCH" or not isinstance(body, dict):
        return None
    return [op for op in body.get("Operations") or [] if isinstance(op, dict)]


def _set_operations(req: Req, operations: list[dict[str, Any]]) -> None:
    body = req.json()
    body["Operations"] = operations
    req.set_json(body)


@fault("patch-sub-attribute-clears-parent")
def _patch_sub_attribute_clears_parent(req: Req, call: Call) -> Resp:
    """replace name.givenName rewrites the whole name, dropping its other sub-attributes."""
    operations = _patch_operations(req)
    if operations:
        rewritten: list[dict[str, Any]] = []
        for op in operations:
            path = str(op.get("path", ""))
            if op.get("op") == "replace" and path.startswith("name."):
                sub = path.split(".", 1)[1]
                rewritten += [
                    {"op": "remove", "path": "name"},
                    {"op": "add", "path": "name", "value": {sub: op.get("value")}},
                ]
            elif op.get("op") == "replace" and path == "name" and isinstance(op.get("value"), dict):
                rewritten += [{"op": "remove", "path": "name"}, {**op, "op": "add"}]
            else:
                rewritten.append(op)
        _set_operations(req, rewritten)
    return call(req)


@fault("patch-value-filter-ignored")
def _patch_value_filter_ignored(req: Req, call: Call) -> Resp:
    """A valuePath filter is ignored: every value of the attribute is targeted."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            if "[" in str(op.get("path", "")):
                op["path"] = re.sub(r"\[[^\]]*\]", "", op["path"])
                if op.get("op") == "replace" and "." in op["path"]:
                    attribute, sub = op["path"].split(".", 1)
                    op.update(op="add", path=attribute, value=[{sub: op["value"]}])
        _set_operations(req, operations)
    return call(req)


@fault("patch-errors-swallowed")
def _patch_errors_swallowed(req: Req, call: Call) -> Resp:
    """A PATCH the server refuses still answers 204 (the refusal is hidden)."""
    resp = call(req)
    if req.method == "PATCH" and 400 <= resp.status < 500:
        return Resp(204)
    return resp


@fault("patch-replace-appends")
def _patch_replace_appends(req: Req, call: Call) -> Resp:
    """replace on members adds the new members instead of replacing the list."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            if op.get("op") == "replace" and op.get("path") == "members":
                op["op"] = "add"
        _set_operations(req, operations)
    return call(req)


@fault("patch-add-replaces")
def _patch_add_replaces(req: Req, call: Call) -> Resp:
    """add to a multi-valued attribute replaces its values."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            value = op.get("value")
            pathless = "path" not in op and isinstance(value, dict)
            if op.get("op") == "add" and (isinstance(value, list) or pathless):
                op["op"] = "replace"
        _set_operations(req, operations)
    return call(req)


@fault("patch-add-existing-member-409")
def _patch_add_existing_member_409(req: Req, call: Call) -> Resp:
    """Adding a member who is already in the group answers 409."""
    operations = _patch_operations(req)
    if operations and resource_kind(req) == "Groups":
        current = call(with_auth(req, "GET", req.path)).json() or {}
        present = {m.get("value") for m in current.get("members") or []}
        for op in operations:
            added = {m.get("value") for m in op.get("value") or [] if isinstance(m, dict)}
            if op.get("op") == "add" and added & present:
                return scim_error(409, "already a member", "uniqueness")
    return call(req)


@fault("patch-pathless-ignored")
def _patch_pathless_ignored(req: Req, call: Call) -> Resp:
    """Operations without a path are silently skipped."""
    operations = _patch_operations(req)
    if operations is not None and any("path" not in op for op in operations):
        kept = [op for op in operations if "path" in op]
        if not kept:
            return Resp(204)
        _set_operations(req, kept)
    return call(req)


@fault("patch-remove-filter-removes-all")
def _patch_remove_filter_removes_all(req: Req, call: Call) -> Resp:
    """remove members[value eq "x"] removes every member."""
    operations = _patch_operations(req)
    if operations:
        for op in operations:
            if op.get("op") == "remove" and str(op.get("path", "")).startswith("members["):
                op["path"] = "members"
        _set_operations(req, operations)
    return call(req)


@fault("patch-not-atomic")
def _patch_not_atomic(req: Req, call: Call) -> Resp:
    """PATCH operations are applied one by one; a failing one leaves earlier ones applied."""
    operations = _patch_operations(req)
    if not operations or len(operations) < 2:
        return call(req)
    resp = Resp(204)
    for op in operations:
        single = Req(req.method, req.path, dict(req.query), dict(req.headers), b"")
        single.set_json({"schemas": req.json().get("schemas"), "Operations": [op]})
        resp = call(single)
        if resp.status >= 400:
            return resp
    return resp


@fault("patch-200-without-body")
def _patch_200_without_body(req: Req, call: Call) -> Resp:
    """A successful PATCH answers 200 with an empty body."""
    resp = call(req)
    if req.method == "PATCH" and resp.status in (200, 204):
        return Resp(200, {"Content-Type": "application/scim+json"}, b"")
    return resp


@fault("patch-always-204")
def _patch_always_204(req: Req, call: Call) -> Resp:
    """A successful PATCH answers 204 even when attributes= was requested."""
    resp = call(req)
    if req.method == "PATCH" and resp.status == 200:
        return Resp(204)
    return resp


@fault("patch-urn-path-rejected")
def _patch_urn_path_rejected(req: Req, call: Call) -> Resp:
    """PATCH paths qualified with a schema URN are refused."""
    for op in _patch_operations(req) or []:
        if str(op.get("path", "")).startswith("urn:"):
            return scim_error(400, "unknown attribute path", "invalidPath")
    return call(req)


@fault("patch-extension-ignored")
def _patch_extension_ignored(req: Req, call: Call) -> Resp:
    """PATCH operations on the enterprise extension are acknowledged but not applied."""
    operations = _patch_operations(req)
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    if operations:
        kept = []
        for op in operations:
            value = op.get("value")
            if str(op.get("path", "")).startswith(enterprise):
                continue
            if isinstance(value, dict):
                value.pop(enterprise, None)
                if not value:
                    continue
            kept.append(op)
        if not kept:
            return Resp(204)
        _set_operations(req, kept)
    return call(req)


# -- ETag
@fault("etag-header-dropped")
def _etag_header_dropped(req: Req, call: Call) -> Resp:
    """Responses carry no ETag header (meta.version is still there)."""
    resp = call(req)
    resp.drop_header("ETag")
    return resp


@fault("etag-meta-version-differs")
def _etag_meta_version_differs(req: Req, call: Call) -> Resp:
    """meta.version holds a different value than the ETag header."""
    resp = call(req)

    def change(resource: dict[str, Any]) -> None:
        if isinstance(resource.get("meta"), dict) and "version" in resource["meta"]:
            resource["meta"]["version"] = 'W/"meta-version"'

    return map_resources(resp, change)


@fault("etag-constant")
def _etag_constant(req: Req, call: Call) -> Resp:
    """Every resource always has the same ETag, whatever its state."""
    resp = call(req)
    if any(k.lower() == "etag" for k in resp.headers):
        resp.drop_header("ETag")
        resp.headers["ETag"] = 'W/"constant"'
    return resp


@fault("ignore-if-none-match")
def _ignore_if_none_match(req: Req, call: Call) -> Resp:
    """If-None-Match is ignored: GET always answers 200."""
    for name in [k for k in req.headers if k.lower() == "if-none-match"]:
        del req.headers[name]
    return call(req)


@fault("if-match-always-412")
def _if_match_always_412(req: Req, call: Call) -> Resp:
    """Any If-Match header fails the precondition, even the current version."""
    if req.header("If-Match") is not None:
        return scim_error(412, "precondition failed")
    return call(req)


# -- Bulk


@fault("bulk-id-unresolved")
def _bulk_id_unresolved(req: Req, call: Call) -> Resp:
    """Members given as "bulkId:x" are dropped instead of resolved."""
    body = bulk_body(req)
    if body:
        for operation in body.get("Operations") or []:
            data = operation.get("data")
            if isinstance(data, dict) and isinstance(data.get("members"), list):
                data["members"] = [
                    m for m in data["members"] if not str(m.get("value", "")).startswith("bulkId:")
                ]
        req.set_json(body)
    return call(req)


@fault("bulk-no-forward-references")
def _bulk_no_forward_references(req: Req, call: Call) -> Resp:
    """A bulkId referenced before its defining operation is dropped."""
    body = bulk_body(req)
    if body:
        defined: set[str] = set()
        for operation in body.get("Operations") or []:
            data = operation.get("data")
            if isinstance(data, dict) and isinstance(data.get("members"), list):
                data["members"] = [
                    m
                    for m in data["members"]
                    if not str(m.get("value", "")).startswith("bulkId:")
                    or str(m["value"])[len("bulkId:") :] in defined
                ]
            if operation.get("bulkId"):
                defined.add(operation["bulkId"])
        req.set_json(body)
    return call(req)


@fault("bulk-results-without-location")
def _bulk_results_without_location(req: Req, call: Call) -> Resp:
    """Bulk operation results carry no location."""
    resp = call(req)
    body = resp.json()
    if bulk_body(req) is not None and isinstance(body, dict):
        for result in body.get("Operations") or []:
            result.pop("location", None)
        resp.set_json(body)
    return resp


@fault("bulk-stops-at-first-error")
def _bulk_stops_at_first_error(req: Req, call: Call) -> Resp:
    """Bulk processing stops at the first error even without failOnErrors."""
    body = bulk_body(req)
    if body:
        body.setdefault("failOnErrors", 1)
        req.set_json(body)
    return call(req)


@fault("bulk-fail-on-errors-ignored")
def _bulk_fail_on_errors_ignored(req: Req, call: Call) -> Resp:
    """failOnErrors is ignored: every operation is processed."""
    body = bulk_body(req)
    if body:
        body.pop("failOnErrors", None)
        req.set_json(body)
    return call(req)


def _spc_rewrite(name: str, section: str, key: str, value: int, doc: str) -> None:
    """Register a fault announcing a different limit than the one the server enforces."""

    def rewrite(req: Req, call: Call) -> Resp:
        resp = call(req)
        body = resp.json()
        if req.path.startswith("/ServiceProviderConfig") and isinstance(body, dict):
            body.setdefault(section, {})[key] = value
            resp.set_json(body)
        return resp

    rewrite.__doc__ = doc
    fault(name)(rewrite)


_spc_rewrite(
    "bulk-max-operations-unenforced",
    "bulk",
    "maxOperations",
    5,
    "bulk.maxOperations says 5, but larger bulk requests are processed.",
)
_spc_rewrite(
    "bulk-max-payload-unenforced",
    "bulk",
    "maxPayloadSize",
    4096,
    "bulk.maxPayloadSize says 4096 bytes, but larger bulk requests are processed.",
)
_spc_rewrite(
    "max-results-unenforced",
    "filter",
    "maxResults",
    3,
    "filter.maxResults says 3, but a larger count returns more.",
)


@fault("patch-add-not-implemented")
def _patch_add_not_implemented(req: Req, call: Call) -> Resp:
    """PATCH is advertised, but any request with an "add" operation answers 501."""
    body = req.json()
    operations = body.get("Operations") if req.method == "PATCH" and isinstance(body, dict) else []
    if any(str(op.get("op", "")).lower() == "add" for op in operations or []):
        return scim_error(501, "op add is not implemented")
    return call(req)


@fault("patch-value-path-not-implemented")
def _patch_value_path_not_implemented(req: Req, call: Call) -> Resp:
    """PATCH operations on a valuePath (a path with [filter]) answer 501."""
    body = req.json()
    operations = body.get("Operations") if req.method == "PATCH" and isinstance(body, dict) else []
    if any("[" in str(op.get("path", "")) for op in operations or []):
        return scim_error(501, "valuePath operations are not implemented")
    return call(req)
