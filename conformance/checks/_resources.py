"""Helpers shared by the Users and Groups lifecycle checks (RFC 7644 §3.3-3.6)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests

from conformance import urns
from conformance.context import CheckContext, describe


def create(ctx: CheckContext, endpoint: str, payload: dict[str, Any]) -> requests.Response:
    """POST a payload; error (the check cannot run) unless it created something."""
    response = ctx.post(endpoint, json=payload)
    if not 200 <= response.status_code < 300:
        ctx.error(f"could not create a resource to check: {describe(response)}")
    return response


def expect_location(ctx: CheckContext, response: requests.Response, body: dict[str, Any]) -> None:
    """201 carries Location, equal to meta.location (RFC 7644 §3.3)."""
    location = response.headers.get("Location")
    ctx.expect(bool(location), "the 201 response has no Location header")
    meta_location = (body.get("meta") or {}).get("location")
    ctx.expect(bool(meta_location), "the created resource has no meta.location")
    ctx.expect(
        location == meta_location,
        f"Location header {location!r} differs from meta.location {meta_location!r}",
    )
    ctx.expect(
        str(location).rstrip("/").endswith(f"/{body.get('id')}"),
        f"Location {location!r} does not end with the resource id {body.get('id')!r}",
    )


def expect_meta(ctx: CheckContext, body: dict[str, Any], resource_type: str) -> None:
    """meta's values are right where present: resourceType names the type, created and
    lastModified are DateTimes, lastModified not before created (RFC 7643 §3.1).

    A sub-attribute the server leaves out is noted (info), not judged: the issue of what an
    absent meta value means belongs to the sentence of each value, not to this check.
    """
    meta = body.get("meta")
    if not isinstance(meta, dict):
        ctx.info(f"the resource has no meta object (meta={meta!r})")
    wrong = []
    if meta.get("resourceType") and meta["resourceType"] != resource_type:
        wrong.append(f"meta.resourceType is {meta['resourceType']!r}, expected {resource_type!r}")
    created, modified = parse_time(meta.get("created")), parse_time(meta.get("lastModified"))
    for key, parsed in (("created", created), ("lastModified", modified)):
        if meta.get(key) is not None and parsed is None:
            wrong.append(f"meta.{key} {meta[key]!r} is not a DateTime")
    if created and modified and modified < created:
        wrong.append("meta.lastModified is earlier than meta.created")
    ctx.expect(not wrong, "; ".join(wrong))
    missing = [
        key for key in ("resourceType", "created", "lastModified", "location") if not meta.get(key)
    ]
    if missing:
        ctx.info(f"meta lacks {', '.join(missing)}")


def expect_identity(ctx: CheckContext, body: dict[str, Any], core_schema: str) -> None:
    """A non-empty string id other than 'bulkId', and schemas holding the core URN."""
    resource_id = body.get("id")
    ctx.expect(
        isinstance(resource_id, str) and resource_id != "",
        f"id must be a non-empty string, got {resource_id!r}",
    )
    ctx.expect(resource_id != "bulkId", "id 'bulkId' is a reserved keyword")
    schemas = body.get("schemas")
    ctx.expect(
        isinstance(schemas, list) and core_schema in schemas,
        f"schemas is {schemas!r}; it must contain {core_schema}",
    )


def parse_time(value: Any) -> datetime | None:
    """An xsd:dateTime (RFC 3339) as an aware datetime, None if it does not parse."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def expect_gone(ctx: CheckContext, url: str, replacement: dict[str, Any]) -> None:
    """Every operation on a deleted resource answers 404 (RFC 7644 §3.6)."""
    patch = {
        "schemas": [urns.PATCH_OP],
        "Operations": [{"op": "replace", "path": "externalId", "value": ctx.unique("gone")}],
    }
    wrong = []
    for method, kwargs in (
        ("GET", {}),
        ("PUT", {"json": replacement}),
        ("PATCH", {"json": patch}),
        ("DELETE", {}),
    ):
        response = ctx.request(method, url, **kwargs)
        allowed = {404}
        if method == "PATCH" and not ctx.supports("patch"):
            allowed.add(501)  # a server without PATCH may decline before looking the id up
        if response.status_code not in allowed:
            wrong.append(f"{method} answered {response.status_code}")
    ctx.expect(not wrong, "after DELETE, expected 404 for every operation; " + ", ".join(wrong))
