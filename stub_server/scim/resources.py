"""Resource operations shared by Users and Groups: create, read, replace, patch, delete and
query (RFC 7644 §3.3-§3.6), each write in one SQLite transaction (BEGIN IMMEDIATE) so
concurrent writers are serialized and a unique-index violation becomes 409 ``uniqueness``.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from stub_server.scim import store
from stub_server.scim.errors import ScimError
from stub_server.scim.filter_eval import matches, sort_key
from stub_server.scim.filter_parser import (
    Ref,
    bind,
    implicit_value,
    parse_filter,
    ref_for,
    split_attr_path,
)
from stub_server.scim.filter_sql import Sql, sort_column, translate
from stub_server.scim.limits import shorten
from stub_server.scim.patch import apply_patch
from stub_server.scim.projection import DEFAULT, Projection, project
from stub_server.scim.schemas import LIST_RESPONSE, ResourceSchema
from stub_server.scim.validate import check_immutable, normalize
from stub_server.storage import Storage, utc_now

MAX_RESULTS = 100  # Contentstack caps count at 100; advertised as filter.maxResults
MAX_INDEX = 2**62  # keeps startIndex/count inside SQLite's integer range


@dataclass(frozen=True)
class Ctx:
    """Who is calling and where: the organization, its SCIM base URL and the caller."""

    storage: Storage
    org_uid: str
    base: str
    remote_addr: str
    actor: str


class Kind(Protocol):
    """What differs between resource types: storage writes and Contentstack side effects."""

    name: str
    rs: ResourceSchema
    table: store.Table

    def prepare(self, conn: sqlite3.Connection, ctx: Ctx, new: dict, old: dict | None) -> None:
        """Check cross-resource rules and fill server-computed values into ``new``."""

    def write(
        self,
        conn: sqlite3.Connection,
        ctx: Ctx,
        new: dict,
        old_row: sqlite3.Row | None,
        old: dict | None,
        password: str | None,
    ) -> None:
        """Insert or update the row and side tables, and apply side effects."""

    def remove(self, conn: sqlite3.Connection, ctx: Ctx, row: sqlite3.Row, old: dict) -> None:
        """Delete the row and apply side effects."""


def version_tag(version: int) -> str:
    """The weak entity tag of a resource version (RFC 7644 §3.14)."""
    return f'W/"{version}"'


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-Match/If-None-Match header lists ``etag`` (weak comparison) or ``*``."""
    wanted = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


def render(resource: dict, kind: Kind, ctx: Ctx, proj: Projection = DEFAULT) -> dict:
    """The client's view: computed meta.location and $ref values, then the projection."""
    out = dict(resource)
    meta = dict(out.get("meta", {}))
    meta["location"] = f"{ctx.base}{kind.rs.endpoint}/{out['id']}"
    out["meta"] = meta
    if "groups" in out:
        out["groups"] = [{**g, "$ref": f"{ctx.base}/Groups/{g['value']}"} for g in out["groups"]]
    if "members" in out:
        out["members"] = [
            {
                "value": m["value"],
                "$ref": f"{ctx.base}/{m['type']}s/{m['value']}",
                "type": m["type"],
            }
            for m in out["members"]
        ]
    return project(out, kind.rs, proj)


def _load(
    conn: sqlite3.Connection, kind: Kind, ctx: Ctx, resource_id: str, if_match: str | None
) -> tuple[sqlite3.Row, dict]:
    row = store.fetch_one(conn, kind.table, ctx.org_uid, resource_id)
    if row is None:
        raise ScimError(404, f"{kind.name} {resource_id} not found")
    if if_match and not etag_matches(if_match, version_tag(row["version"])):
        raise ScimError(
            412,
            f"{kind.name} {resource_id} has changed (its version is "
            f"{version_tag(row['version'])}); fetch it again and retry",
        )
    return row, store.row_resource(row, kind.table)


def _stamp(new: dict, kind: Kind, resource_id: str, created: str, version: int) -> dict:
    now = utc_now()
    body = {k: v for k, v in new.items() if k != "schemas"}
    return {
        "schemas": new["schemas"],
        "id": resource_id,
        **body,
        "meta": {
            "resourceType": kind.name,
            "created": created or now,
            "lastModified": now,
            "version": version_tag(version),
        },
    }


def _write(
    conn: sqlite3.Connection,
    kind: Kind,
    ctx: Ctx,
    new: dict,
    old_row: sqlite3.Row | None,
    old: dict | None,
    password: str | None,
) -> None:
    kind.prepare(conn, ctx, new, old)
    try:
        kind.write(conn, ctx, new, old_row, old, password)
    except sqlite3.IntegrityError as exc:
        if "user_name" in str(exc):
            raise ScimError(
                409,
                f"userName {new.get('userName')!r} is already taken in this organization",
                "uniqueness",
            ) from exc
        raise ScimError(
            409, f"the {kind.name} conflicts with an existing one", "uniqueness"
        ) from exc


def create(ctx: Ctx, kind: Kind, body: Any) -> dict:
    """POST: validate, store and return the new resource (RFC 7644 §3.3)."""
    new = normalize(body, kind.rs)
    password = new.pop("password", None)
    resource = _stamp(new, kind, str(uuid.uuid4()), "", 1)
    with ctx.storage.transaction() as conn:
        _write(conn, kind, ctx, resource, None, None, password)
    return resource


def get(ctx: Ctx, kind: Kind, resource_id: str) -> dict:
    """GET one resource by id (404 when absent, deleted or another organization's)."""
    row = store.fetch_one(ctx.storage.connection(), kind.table, ctx.org_uid, resource_id)
    if row is None:
        raise ScimError(404, f"{kind.name} {resource_id} not found")
    return store.row_resource(row, kind.table)


def _internal(old: dict, kind: Kind) -> dict:
    """The writable part of a stored resource (drops id, meta and the computed groups)."""
    return {k: v for k, v in old.items() if k not in ("id", "meta", "groups")}


def _save_update(
    conn: sqlite3.Connection,
    kind: Kind,
    ctx: Ctx,
    row: sqlite3.Row,
    old: dict,
    new: dict,
    password: str | None,
) -> dict:
    check_immutable(_internal(old, kind), new, kind.rs)
    if new == normalize(_internal(old, kind), kind.rs) and password is None:
        return old  # nothing changed: keep the version so ETags stay valid
    resource = _stamp(new, kind, row["id"], old["meta"]["created"], row["version"] + 1)
    _write(conn, kind, ctx, resource, row, old, password)
    if "groups" in old:  # membership is not changed by a User write
        resource["groups"] = old["groups"]
    return resource


def replace(ctx: Ctx, kind: Kind, resource_id: str, body: Any, if_match: str | None) -> dict:
    """PUT: replace every writable attribute (RFC 7644 §3.5.1)."""
    new = normalize(body, kind.rs)
    password = new.pop("password", None)
    with ctx.storage.transaction() as conn:
        row, old = _load(conn, kind, ctx, resource_id, if_match)
        return _save_update(conn, kind, ctx, row, old, new, password)


def patch(ctx: Ctx, kind: Kind, resource_id: str, body: Any, if_match: str | None) -> dict:
    """PATCH: apply every operation or none (RFC 7644 §3.5.2)."""
    with ctx.storage.transaction() as conn:
        row, old = _load(conn, kind, ctx, resource_id, if_match)
        patched = apply_patch(_internal(old, kind), body, kind.rs)
        password = patched.pop("password", None)
        new = normalize(patched, kind.rs)
        return _save_update(conn, kind, ctx, row, old, new, password)


def delete(ctx: Ctx, kind: Kind, resource_id: str, if_match: str | None) -> None:
    """DELETE: remove the resource (RFC 7644 §3.6); later requests for it get 404."""
    with ctx.storage.transaction() as conn:
        row, old = _load(conn, kind, ctx, resource_id, if_match)
        kind.remove(conn, ctx, row, old)


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


def _sort_ref(kind: Kind, sort_by: str) -> Ref:
    try:
        ref = ref_for(split_attr_path(sort_by), kind.rs, None)
        return implicit_value(ref, False)
    except ScimError as exc:
        raise ScimError(
            400, f"cannot sort by {shorten(sort_by)!r}: {exc.detail}", "invalidValue"
        ) from exc


def compile_query_filter(kind: Kind, text: str) -> Any:
    """Parse and bind a filter for one resource type (400 invalidFilter)."""
    return bind(parse_filter(text), kind.rs)


def search(ctx: Ctx, kind: Kind, query: Query) -> tuple[int, list[dict]]:
    """Run a query; return (totalResults, the page of stored resources)."""
    ast = compile_query_filter(kind, query.filter) if query.filter else None
    sql: Sql | None = translate(ast, kind.table.sql_map) if ast is not None else None
    ref = _sort_ref(kind, query.sort_by) if query.sort_by else None
    column = sort_column(ref, kind.table.sql_map) if ref else None
    conn = ctx.storage.connection()
    exact = ast is None or (sql is not None and sql.exact)
    if exact and (ref is None or column is not None):
        total = store.count(conn, kind.table, ctx.org_uid, sql)
        if query.count == 0 or query.start_index > total:
            return total, []
        order = "r.seq"
        if column is not None:
            direction = "DESC" if query.descending else "ASC"
            order = f"{column.expr} IS NULL, {column.expr} {direction}, r.seq"
        rows = store.fetch_many(
            conn, kind.table, ctx.org_uid, sql, order, query.count, query.start_index - 1
        )
        return total, [store.row_resource(r, kind.table) for r in rows]
    rows = store.fetch_many(conn, kind.table, ctx.org_uid, sql, "r.seq")
    found = [
        res
        for res in (store.row_resource(r, kind.table) for r in rows)
        if ast is None or matches(ast, res)
    ]
    if ref is not None:
        keyed = [(sort_key(res, ref), res) for res in found]
        present = sorted(
            (k for k in keyed if k[0][0] == 0), key=lambda k: k[0][1], reverse=query.descending
        )
        found = [res for _, res in present] + [res for k, res in keyed if k[0] == 1]
    page = found[query.start_index - 1 : query.start_index - 1 + query.count]
    return len(found), page


def list_response(total: int, resources: list[dict], start_index: int) -> dict:
    """A ListResponse (RFC 7644 §3.4.2)."""
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
