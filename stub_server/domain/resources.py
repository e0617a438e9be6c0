"""SCIM resource operations shared by Users and Groups: create, read, replace, patch, delete
and query (RFC 7644 §3.3-§3.6).

Each write runs in one SQLite transaction (BEGIN IMMEDIATE), so concurrent writers are
serialized; the resource store refuses a write whose expected version is stale and a
unique value that is taken (409 ``uniqueness``). What a write means for the organization
(accounts, memberships, the audit log) is the resource type's ``save`` and ``remove``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from stub_server.scim.errors import ScimError
from stub_server.scim.filter_bind import bind, implicit_value, ref_for
from stub_server.scim.filter_parser import Ref, parse_filter, split_attr_path
from stub_server.scim.limits import shorten
from stub_server.scim.patch import apply_patch
from stub_server.scim.projection import DEFAULT, Projection
from stub_server.scim.schemas import ResourceSchema
from stub_server.scim.validate import check_immutable, normalize
from stub_server.storage import (
    ResourceNotFound,
    ResourceQuery,
    ResourceStore,
    Storage,
    StoredResource,
    UniquenessConflict,
    VersionConflict,
    utc_now,
)

MAX_RESULTS = 100  # Contentstack caps count at 100; advertised as filter.maxResults
MAX_INDEX = 2**62  # keeps startIndex/count inside SQLite's integer range
AUDIT_APPLICATION = "SCIM API"


@dataclass(frozen=True)
class Ctx:
    """Who is calling and where: the organization, its SCIM base URL and the caller."""

    storage: Storage
    org_uid: str
    base: str
    remote_addr: str
    actor: str

    @property
    def store(self) -> ResourceStore:
        """The store of SCIM Users and Groups."""
        return self.storage.resources

    def audit(self, event: str, details: str) -> None:
        """Append a SCIM API entry to the organization's audit log (inside the transaction)."""
        self.storage.audit(
            self.org_uid,
            self.actor,
            event,
            application=AUDIT_APPLICATION,
            remote_addr=self.remote_addr,
            details=details,
        )


class ResourceType(Protocol):
    """What differs between resource types: cross-resource checks and Contentstack effects."""

    name: str
    schema: ResourceSchema

    def prepare(self, ctx: Ctx, new: dict, old: StoredResource | None) -> None:
        """Check cross-resource rules and fill server-computed values into ``new``."""

    def save(
        self, ctx: Ctx, new: dict, old: StoredResource | None, password: str | None
    ) -> StoredResource:
        """Store ``new`` (replacing ``old``) and apply what it means for the organization."""

    def remove(self, ctx: Ctx, old: StoredResource) -> None:
        """Delete the resource and apply what that means for the organization."""


def version_tag(version: int) -> str:
    """The weak entity tag of a resource version (RFC 7644 §3.14)."""
    return f'W/"{version}"'


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-Match/If-None-Match header lists ``etag`` (weak comparison) or ``*``."""
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


def resource_of(stored: StoredResource) -> dict:
    """The resource as SCIM shows it: the stored document with ``meta.version`` from the store."""
    document = stored.resource
    return {
        **document,
        "meta": {**document.get("meta", {}), "version": version_tag(stored.version)},
    }


def _load(ctx: Ctx, rtype: ResourceType, resource_id: str, if_match: str | None) -> StoredResource:
    stored = ctx.store.get(ctx.org_uid, rtype.name, resource_id)
    if stored is None:
        raise ScimError(404, f"{rtype.name} {resource_id} not found")
    if if_match and not etag_matches(if_match, version_tag(stored.version)):
        raise ScimError(
            412,
            f"{rtype.name} {resource_id} has changed (its version is "
            f"{version_tag(stored.version)}); fetch it again and retry",
        )
    return stored


def _stamp(new: dict, rtype: ResourceType, resource_id: str, created: str, version: int) -> dict:
    now = utc_now()
    body = {k: v for k, v in new.items() if k != "schemas"}
    return {
        "schemas": new["schemas"],
        "id": resource_id,
        **body,
        "meta": {
            "resourceType": rtype.name,
            "created": created or now,
            "lastModified": now,
            "version": version_tag(version),
        },
    }


@contextmanager
def _store_refusals(rtype: ResourceType, new: dict) -> Iterator[None]:
    """Answer the store's refusals as SCIM errors (409 uniqueness, 404, 412)."""
    try:
        yield
    except UniquenessConflict as exc:
        if exc.attribute == "userName":
            raise ScimError(
                409,
                f"userName {new.get('userName')!r} is already taken in this organization",
                "uniqueness",
            ) from exc
        raise ScimError(
            409, f"the {rtype.name} conflicts with an existing one", "uniqueness"
        ) from exc
    except ResourceNotFound as exc:
        raise ScimError(404, f"{rtype.name} {new.get('id')} not found") from exc
    except VersionConflict as exc:
        raise ScimError(
            412, f"{rtype.name} {new.get('id')} has changed; fetch it again and retry"
        ) from exc


def _save(
    ctx: Ctx, rtype: ResourceType, new: dict, old: StoredResource | None, password: str | None
) -> None:
    rtype.prepare(ctx, new, old)
    with _store_refusals(rtype, new):
        rtype.save(ctx, new, old, password)


def create(ctx: Ctx, rtype: ResourceType, body: Any) -> dict:
    """POST: validate, store and return the new resource (RFC 7644 §3.3)."""
    new = normalize(body, rtype.schema)
    password = new.pop("password", None)
    resource = _stamp(new, rtype, str(uuid.uuid4()), "", 1)
    with ctx.storage.transaction():
        _save(ctx, rtype, resource, None, password)
    return resource


def get(ctx: Ctx, rtype: ResourceType, resource_id: str) -> dict:
    """GET one resource by id (404 when absent, deleted or another organization's)."""
    stored = ctx.store.get(ctx.org_uid, rtype.name, resource_id)
    if stored is None:
        raise ScimError(404, f"{rtype.name} {resource_id} not found")
    return resource_of(stored)


def _writable(resource: dict) -> dict:
    """The writable part of a resource (drops id, meta and the computed groups)."""
    return {k: v for k, v in resource.items() if k not in ("id", "meta", "groups")}


def _save_update(
    ctx: Ctx, rtype: ResourceType, stored: StoredResource, new: dict, password: str | None
) -> dict:
    old = resource_of(stored)
    check_immutable(_writable(old), new, rtype.schema)
    if new == normalize(_writable(old), rtype.schema) and password is None:
        return old  # nothing changed: keep the version so ETags stay valid
    resource = _stamp(new, rtype, stored.id, old["meta"]["created"], stored.version + 1)
    _save(ctx, rtype, resource, stored, password)
    if "groups" in old:  # membership is not changed by a User write
        resource["groups"] = old["groups"]
    return resource


def replace(
    ctx: Ctx, rtype: ResourceType, resource_id: str, body: Any, if_match: str | None
) -> dict:
    """PUT: replace every writable attribute (RFC 7644 §3.5.1)."""
    new = normalize(body, rtype.schema)
    password = new.pop("password", None)
    with ctx.storage.transaction():
        stored = _load(ctx, rtype, resource_id, if_match)
        return _save_update(ctx, rtype, stored, new, password)


def patch(ctx: Ctx, rtype: ResourceType, resource_id: str, body: Any, if_match: str | None) -> dict:
    """PATCH: apply every operation or none (RFC 7644 §3.5.2)."""
    with ctx.storage.transaction():
        stored = _load(ctx, rtype, resource_id, if_match)
        patched = apply_patch(_writable(resource_of(stored)), body, rtype.schema)
        password = patched.pop("password", None)
        new = normalize(patched, rtype.schema)
        return _save_update(ctx, rtype, stored, new, password)


def delete(ctx: Ctx, rtype: ResourceType, resource_id: str, if_match: str | None) -> None:
    """DELETE: remove the resource (RFC 7644 §3.6); later requests for it get 404."""
    with ctx.storage.transaction():
        stored = _load(ctx, rtype, resource_id, if_match)
        rtype.remove(ctx, stored)


@dataclass(frozen=True)
class Query:
    """List parameters (RFC 7644 §3.4.2), already validated."""

    filter: str | None = None
    sort_by: str | None = None
    descending: bool = False
    start_index: int = 1
    count: int = MAX_RESULTS
    projection: Projection = DEFAULT


def _int_param(name: str, value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise ScimError(400, f"{name} must be an integer", "invalidValue")
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ScimError(
            400, f"{name} must be an integer, got {shorten(repr(value))}", "invalidValue"
        ) from exc
    return max(-MAX_INDEX, min(MAX_INDEX, number))


def make_query(params: dict[str, Any], projection: Projection) -> Query:
    """Validate list parameters; startIndex < 1 means 1, count < 0 means 0, count > 100
    means 100 (RFC 7644 §3.4.2.4 and Contentstack's cap)."""
    order = params.get("sortOrder")
    if order is not None and (
        not isinstance(order, str) or order.lower() not in ("ascending", "descending")
    ):
        raise ScimError(400, "sortOrder must be ascending or descending", "invalidValue")
    for name in ("filter", "sortBy"):
        if params.get(name) is not None and not isinstance(params[name], str):
            raise ScimError(400, f"{name} must be a string", "invalidValue")
    start = max(1, _int_param("startIndex", params.get("startIndex"), 1))
    count = min(MAX_RESULTS, max(0, _int_param("count", params.get("count"), MAX_RESULTS)))
    return Query(
        params.get("filter") or None,
        params.get("sortBy") or None,
        (order or "").lower() == "descending",
        start,
        count,
        projection,
    )


def _sort_ref(rtype: ResourceType, sort_by: str) -> Ref:
    try:
        ref = ref_for(split_attr_path(sort_by), rtype.schema, None)
        return implicit_value(ref, False)
    except ScimError as exc:
        raise ScimError(
            400, f"cannot sort by {shorten(sort_by)!r}: {exc.detail}", "invalidValue"
        ) from exc


def compile_query_filter(rtype: ResourceType, text: str) -> Any:
    """Parse and bind a filter for one resource type (400 invalidFilter)."""
    return bind(parse_filter(text), rtype.schema)


def search(ctx: Ctx, rtype: ResourceType, query: Query) -> tuple[int, list[dict]]:
    """Run a query; return (totalResults, the page of resources)."""
    ast = compile_query_filter(rtype, query.filter) if query.filter else None
    sort_by = _sort_ref(rtype, query.sort_by) if query.sort_by else None
    total, page = ctx.store.search(
        ctx.org_uid,
        rtype.name,
        ResourceQuery(ast, sort_by, query.descending, query.start_index, query.count),
    )
    return total, [resource_of(stored) for stored in page]
