"""Faults for the gap checks on values, references and list answers (RFC 7643 §2-§4, RFC 7644
§3.4, §3.5.2)."""

from __future__ import annotations

import json
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
from tests.integration.conformance.faulty.faults_gaps import CORE, on_resources


# -- values (RFC 7643 §2.3.8, §2.4, §3; RFC 7644 §3.5.2) ----------------------------------
def _refuse_body(req: Req, call: Call, wrong: Any) -> Resp:
    """400 for a POST/PUT to Users/Groups whose decoded body ``wrong`` dislikes."""
    if req.method in ("POST", "PUT") and resource_kind(req) and not req.path.endswith(".search"):
        pairs = json.loads(req.body or b"{}", object_pairs_hook=list)
        if isinstance(pairs, list) and wrong(pairs):
            return scim_error(400, "schemas must come first", "invalidSyntax")
    return call(req)


@fault("schemas-key-first")
def _schemas_key_first(req: Req, call: Call) -> Resp:
    """Request bodies whose first key is not "schemas" are refused."""
    return _refuse_body(req, call, lambda pairs: not pairs or pairs[0][0] != "schemas")


@fault("core-urn-first")
def _core_urn_first(req: Req, call: Call) -> Resp:
    """Request bodies whose schemas do not start with the core URN are refused."""
    kind = resource_kind(req)

    def wrong(pairs: list[tuple[str, Any]]) -> bool:
        schemas = dict(pairs).get("schemas") or []
        return bool(schemas) and schemas[0] != CORE.get(kind or "")

    return _refuse_body(req, call, wrong)


@fault("two-primaries-shown")
def _two_primaries_shown(req: Req, call: Call) -> Resp:
    """A User whose primary e-mail is not the first shows the first one primary too."""

    def also_first(resource: dict[str, Any]) -> None:
        emails = resource.get("emails") or []
        if len(emails) > 1 and any(e.get("primary") for e in emails[1:]):
            emails[0]["primary"] = True

    return on_resources(req, call(req), also_first)


@fault("empty-email-record-left")
def _empty_email_record_left(req: Req, call: Call) -> Resp:
    """Users without e-mails show an empty e-mail record instead of no attribute."""
    return on_resources(req, call(req), lambda r: r.setdefault("emails", [{"primary": False}]))


def _patch_operations(req: Req, keep: Any) -> None:
    """Drop the PATCH operations ``keep`` refuses from the request body."""
    body = req.json()
    if req.method == "PATCH" and isinstance(body, dict):
        body["Operations"] = [op for op in body.get("Operations") or [] if keep(op)]
        req.set_json(body)


@fault("sub-attribute-remove-ignored")
def _sub_attribute_remove_ignored(req: Req, call: Call) -> Resp:
    """PATCH remove of a sub-attribute (name.middleName) is answered but not applied."""

    def keep(op: dict[str, Any]) -> bool:
        path = str(op.get("path", ""))
        return not (str(op.get("op")).lower() == "remove" and "." in path and "[" not in path)

    _patch_operations(req, keep)
    return call(req)


@fault("replace-absent-ignored")
def _replace_absent_ignored(req: Req, call: Call) -> Resp:
    """PATCH replace of an attribute that has no value yet is answered but not applied."""
    current = call(with_auth(req, "GET", req.path)).json() if req.method == "PATCH" else None

    def keep(op: dict[str, Any]) -> bool:
        head, _, tail = str(op.get("path", "")).partition(".")
        if str(op.get("op")).lower() != "replace" or not head or not isinstance(current, dict):
            return True
        value = current.get(head)
        return value is not None and (not tail or (value or {}).get(tail) is not None)

    _patch_operations(req, keep)
    return call(req)


# -- references (RFC 7643 §2.3.7, §4.1.2) -------------------------------------------------
@fault("member-ref-dangling")
def _member_ref_dangling(req: Req, call: Call) -> Resp:
    """Group members carry a $ref that leads to no resource."""

    def dangle(group: dict[str, Any]) -> None:
        base = str((group.get("meta") or {}).get("location", "")).rsplit("/Groups/", 1)[0]
        for member in group.get("members") or []:
            member["$ref"] = f"{base}/Users/{member.get('value')}-gone"

    return on_resources(req, call(req), dangle) if resource_kind(req) == "Groups" else call(req)


@fault("user-groups-by-name")
def _user_groups_by_name(req: Req, call: Call) -> Resp:
    """Users list their groups by displayName instead of id."""
    resp = call(req)
    if resource_kind(req) != "Users" or req.method == "DELETE":
        return resp
    groups = call(with_auth(req, "GET", "/Groups")).json() or {}

    def by_name(user: dict[str, Any]) -> None:
        user["groups"] = (
            [
                {"value": g.get("displayName")}
                for g in groups.get("Resources") or []
                if any(m.get("value") == user["id"] for m in g.get("members") or [])
            ]
            or user.get("groups")
            or []
        )
        if not user["groups"]:
            user.pop("groups")

    return on_resources(req, resp, by_name)


# -- list answers (RFC 7644 §3.4.2, §3.4.3) -----------------------------------------------
def _is_list(req: Req) -> bool:
    """A GET on /Users or /Groups, or a POST to their /.search."""
    kind = resource_kind(req)
    return bool(kind) and (
        (req.method == "GET" and req.path.rstrip("/") == f"/{kind}")
        or (req.method == "POST" and req.path.rstrip("/").endswith("/.search"))
    )


@fault("partial-page-without-start-index")
def _partial_page_without_start_index(req: Req, call: Call) -> Resp:
    """Partial pages leave out startIndex and itemsPerPage."""
    resp = call(req)
    body = resp.json()
    partial = isinstance(body, dict) and len(body.get("Resources") or []) < (
        body.get("totalResults") or 0
    )
    if _is_list(req) and partial:
        body.pop("startIndex", None)
        body.pop("itemsPerPage", None)
        resp.set_json(body)
    return resp


@fault("excluded-id-honoured")
def _excluded_id_honoured(req: Req, call: Call) -> Resp:
    """excludedAttributes=id removes the id (returned "always") from lists and searches."""
    resp = call(req)
    asked = req.query.get("excludedAttributes", "") + json.dumps(
        (req.json() or {}).get("excludedAttributes") if req.method == "POST" else ""
    )
    if _is_list(req) and "id" in asked.replace('"', ",").split(","):
        map_resources(resp, lambda r: r.pop("id", None))
    return resp


# -- binary values, timestamps and ids (RFC 7643 §2.3.6, §3.1; RFC 7644 §3.5.2.1) ----------
SHARED_IDS: dict[str, str] = {}  # Group id shown -> the Group's real id (ids-shared-across-types)
LAST_USER: list[str] = []


@fault("certificate-as-pem")
def _certificate_as_pem(req: Req, call: Call) -> Resp:
    """x509Certificates values come back PEM-wrapped instead of plain base64."""

    def pem(user: dict[str, Any]) -> None:
        for entry in user.get("x509Certificates") or []:
            entry["value"] = (
                f"-----BEGIN CERTIFICATE-----\n{entry['value']}\n-----END CERTIFICATE-----"
            )

    return on_resources(req, call(req), pem) if resource_kind(req) == "Users" else call(req)


@fault("ids-shared-across-types")
def _ids_shared_across_types(req: Req, call: Call) -> Resp:
    """A new Group is given the id of the last User created (requests are mapped back)."""
    kind = resource_kind(req)
    parts = req.path.split("/")
    if kind == "Groups" and len(parts) > 2 and parts[2] in SHARED_IDS:
        parts[2] = SHARED_IDS[parts[2]]
        req.path = "/".join(parts)
    resp = call(req)
    body = resp.json()
    if req.method == "POST" and resp.status == 201 and isinstance(body, dict):
        if kind == "Users":
            LAST_USER[:] = [body["id"]]
        elif kind == "Groups" and LAST_USER:
            SHARED_IDS[LAST_USER[0]] = body["id"]
            body["id"] = LAST_USER[0]
            resp.set_json(body)
    return resp
