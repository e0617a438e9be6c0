"""How SCIM Users and Groups map onto SQLite tables: the SELECT of a resource with its computed
attribute, the columns filters and sorts translate to, and paged reads over the indexes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from stub_server.scim.filter_sql import Column, SideTable, Sql, SqlMap
from stub_server.storage.schema import BUCKET_BITS

_USER_GROUPS = (
    "(SELECT json_group_array(json_object('value', g.id, 'display', g.display_name,"
    " 'type', 'direct')) FROM scim_group_members m JOIN scim_groups g ON g.seq = m.group_seq"
    " WHERE m.org_uid = r.org_uid AND m.member_id = r.id) AS computed"
)
_GROUP_MEMBERS = (
    "(SELECT json_group_array(json_object('value', member_id, 'type', member_type))"
    " FROM (SELECT member_id, member_type FROM scim_group_members"
    " WHERE group_seq = r.seq ORDER BY rowid)) AS computed"
)


@dataclass(frozen=True)
class Table:
    """How one resource type is stored and queried."""

    name: str
    select: str
    sql_map: SqlMap
    computed_key: str
    resource_type: str


_COMMON = {
    (None, "id", None): Column("r.id", "exact"),
    (None, "externalId", None): Column("r.external_id", "exact"),
    (None, "displayName", None): Column("r.display_name_key", "fold"),
    (None, "meta", "created"): Column("r.created", "datetime"),
    (None, "meta", "lastModified"): Column("r.last_modified", "datetime"),
}

USERS = Table(
    "scim_users",
    f"SELECT r.*, {_USER_GROUPS} FROM scim_users r",
    SqlMap(
        {
            **_COMMON,
            (None, "userName", None): Column("r.user_name_key", "fold"),
            (None, "active", None): Column("r.active", "bool"),
        },
        {
            "emails": SideTable(
                "SELECT 1 FROM scim_user_emails e WHERE e.user_seq = r.seq",
                {
                    "value": Column("e.value_key", "fold"),
                    "type": Column("e.type_key", "fold"),
                    "primary": Column("e.is_primary", "bool"),
                },
            )
        },
    ),
    "groups",
    "User",
)

GROUPS = Table(
    "scim_groups",
    f"SELECT r.*, {_GROUP_MEMBERS} FROM scim_groups r",
    SqlMap(
        dict(_COMMON),
        {
            "members": SideTable(
                "SELECT 1 FROM scim_group_members m WHERE m.group_seq = r.seq",
                {"value": Column("m.member_id", "exact"), "type": Column("m.member_type", "fold")},
            )
        },
    ),
    "members",
    "Group",
)

TABLES = {"User": USERS, "Group": GROUPS}


def fetch_many(
    conn: sqlite3.Connection,
    table: Table,
    org_uid: str,
    where: Sql | None,
    order: str,
    limit: int | None = None,
    offset: int = 0,
) -> list[sqlite3.Row]:
    """Rows matching ``where`` in ``order``; ``limit`` None means all.

    A page is chosen by an inner query over the indexes alone (seq only), so a large
    OFFSET skips index entries rather than whole rows and their computed attributes.
    """
    condition = "r.org_uid = ?"
    params: tuple[Any, ...] = (org_uid,)
    if where is not None:
        condition += f" AND {where.text}"
        params += where.params
    if limit is None:
        return conn.execute(f"{table.select} WHERE {condition} ORDER BY {order}", params).fetchall()
    if where is None and order == "r.seq" and offset >= 1 << BUCKET_BITS:
        first_seq, offset = _bucket_start(conn, table, org_uid, offset)
        condition += " AND r.seq >= ?"
        params += (first_seq,)
    page = f"SELECT r.seq FROM {table.name} r WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?"
    return conn.execute(
        f"{table.select} WHERE r.seq IN ({page}) ORDER BY {order}", (*params, limit, offset)
    ).fetchall()


def _bucket_start(
    conn: sqlite3.Connection, table: Table, org_uid: str, offset: int
) -> tuple[int, int]:
    """(first seq of the bucket holding row number ``offset``, offset left within it)."""
    buckets = conn.execute(
        "SELECT bucket, n FROM scim_seq_buckets WHERE org_uid = ? AND kind = ? AND n > 0"
        " ORDER BY bucket",
        (org_uid, table.resource_type),
    )
    skipped = 0
    last_bucket = 0
    for bucket, n in buckets:
        if skipped + n > offset:
            return bucket << BUCKET_BITS, offset - skipped
        skipped += n
        last_bucket = bucket
    return (last_bucket + 1) << BUCKET_BITS, 0  # past the end: an empty page
