"""SQL storage of SCIM Users and Groups, inside the stub's SQLite database.

Each resource keeps its canonical JSON (without the computed ``meta.location``, ``groups``
and ``members``) plus indexed columns for the attributes filters and sorts use most:
``userName`` and ``displayName`` as case-folded keys, ``externalId``, ``active``,
``meta.created``/``meta.lastModified``; e-mails and group members live in side tables.
A read is one SELECT: the computed attributes come from correlated sub-queries.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from stub_server.scim.filter_sql import Column, SideTable, Sql, SqlMap
from stub_server.storage import register_schema

SCIM_SCHEMA = """
CREATE TABLE IF NOT EXISTS scim_users (
    seq INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    user_name_key TEXT NOT NULL,
    external_id TEXT,
    display_name TEXT,
    display_name_key TEXT,
    active INTEGER,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    password_hash TEXT,
    account_uid TEXT,
    resource TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS scim_users_id ON scim_users(org_uid, id);
CREATE UNIQUE INDEX IF NOT EXISTS scim_users_user_name ON scim_users(org_uid, user_name_key);
CREATE INDEX IF NOT EXISTS scim_users_org ON scim_users(org_uid);
CREATE INDEX IF NOT EXISTS scim_users_external_id ON scim_users(org_uid, external_id);
CREATE INDEX IF NOT EXISTS scim_users_display_name ON scim_users(org_uid, display_name_key);
CREATE INDEX IF NOT EXISTS scim_users_active ON scim_users(org_uid, active);
CREATE INDEX IF NOT EXISTS scim_users_created ON scim_users(org_uid, created);
CREATE INDEX IF NOT EXISTS scim_users_modified ON scim_users(org_uid, last_modified);
CREATE TABLE IF NOT EXISTS scim_user_emails (
    user_seq INTEGER NOT NULL REFERENCES scim_users(seq) ON DELETE CASCADE,
    org_uid TEXT NOT NULL,
    value_key TEXT,
    type_key TEXT,
    is_primary INTEGER
);
CREATE INDEX IF NOT EXISTS scim_user_emails_value ON scim_user_emails(org_uid, value_key);
CREATE INDEX IF NOT EXISTS scim_user_emails_user ON scim_user_emails(user_seq);
CREATE TABLE IF NOT EXISTS scim_groups (
    seq INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_name_key TEXT NOT NULL,
    external_id TEXT,
    created TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    version INTEGER NOT NULL,
    resource TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS scim_groups_id ON scim_groups(org_uid, id);
CREATE INDEX IF NOT EXISTS scim_groups_org ON scim_groups(org_uid);
CREATE INDEX IF NOT EXISTS scim_groups_display_name ON scim_groups(org_uid, display_name_key);
CREATE INDEX IF NOT EXISTS scim_groups_external_id ON scim_groups(org_uid, external_id);
CREATE INDEX IF NOT EXISTS scim_groups_created ON scim_groups(org_uid, created);
CREATE INDEX IF NOT EXISTS scim_groups_modified ON scim_groups(org_uid, last_modified);
CREATE TABLE IF NOT EXISTS scim_group_members (
    group_seq INTEGER NOT NULL REFERENCES scim_groups(seq) ON DELETE CASCADE,
    org_uid TEXT NOT NULL,
    member_id TEXT NOT NULL,
    member_type TEXT NOT NULL,
    UNIQUE (group_seq, member_id)
);
CREATE INDEX IF NOT EXISTS scim_group_members_member ON scim_group_members(org_uid, member_id);
CREATE TABLE IF NOT EXISTS scim_counts (
    org_uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_uid, kind)
);
CREATE TABLE IF NOT EXISTS scim_seq_buckets (
    org_uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (org_uid, kind, bucket)
);
"""

# Rows per bucket of ``seq`` values (a power of two: bucket = seq >> BUCKET_BITS).
BUCKET_BITS = 10

# Unfiltered lists need totalResults; counting 100k index entries per page costs
# milliseconds, so triggers keep a per-organization count in the same transaction.
_COUNT_TRIGGERS = "".join(
    f"""
CREATE TRIGGER IF NOT EXISTS {table}_count_insert AFTER INSERT ON {table} BEGIN
    INSERT INTO scim_counts (org_uid, kind, n) VALUES (NEW.org_uid, '{kind}', 1)
    ON CONFLICT (org_uid, kind) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS {table}_count_delete AFTER DELETE ON {table} BEGIN
    UPDATE scim_counts SET n = n - 1 WHERE org_uid = OLD.org_uid AND kind = '{kind}';
END;
"""
    for table, kind in (("scim_users", "User"), ("scim_groups", "Group"))
)

# A deep page in the default order (by seq) would make OFFSET walk every index entry before
# it; per-bucket counts let fetch_many jump to the right bucket and skip at most one bucket.
_BUCKET_TRIGGERS = "".join(
    f"""
CREATE TRIGGER IF NOT EXISTS {table}_bucket_insert AFTER INSERT ON {table} BEGIN
    INSERT INTO scim_seq_buckets (org_uid, kind, bucket, n)
    VALUES (NEW.org_uid, '{kind}', NEW.seq >> {BUCKET_BITS}, 1)
    ON CONFLICT (org_uid, kind, bucket) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS {table}_bucket_delete AFTER DELETE ON {table} BEGIN
    UPDATE scim_seq_buckets SET n = n - 1
    WHERE org_uid = OLD.org_uid AND kind = '{kind}' AND bucket = OLD.seq >> {BUCKET_BITS};
END;
"""
    for table, kind in (("scim_users", "User"), ("scim_groups", "Group"))
)

SCIM_SCHEMA += _COUNT_TRIGGERS + _BUCKET_TRIGGERS

register_schema(SCIM_SCHEMA)

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
    kind: str


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


def fetch_one(
    conn: sqlite3.Connection, table: Table, org_uid: str, resource_id: str
) -> sqlite3.Row | None:
    """The row of one resource (with its computed attributes), or None."""
    return conn.execute(
        f"{table.select} WHERE r.org_uid = ? AND r.id = ?", (org_uid, resource_id)
    ).fetchone()


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
        (org_uid, table.kind),
    )
    skipped = 0
    last_bucket = 0
    for bucket, n in buckets:
        if skipped + n > offset:
            return bucket << BUCKET_BITS, offset - skipped
        skipped += n
        last_bucket = bucket
    return (last_bucket + 1) << BUCKET_BITS, 0  # past the end: an empty page


def count(conn: sqlite3.Connection, table: Table, org_uid: str, where: Sql | None) -> int:
    """How many rows match ``where`` (unfiltered: the trigger-maintained count)."""
    if where is None:
        row = conn.execute(
            "SELECT n FROM scim_counts WHERE org_uid = ? AND kind = ?", (org_uid, table.kind)
        ).fetchone()
        return row[0] if row else 0
    sql = f"SELECT count(*) FROM {table.name} r WHERE r.org_uid = ?"
    params: tuple[Any, ...] = (org_uid,)
    if where is not None:
        sql += f" AND {where.text}"
        params += where.params
    return conn.execute(sql, params).fetchone()[0]


def reconcile_counts(conn: sqlite3.Connection) -> None:
    """Recount every organization's resources and seq buckets (older databases lack them)."""
    with_counts = " UNION ALL ".join(
        f"SELECT org_uid, '{t.kind}', count(*) FROM {t.name} GROUP BY org_uid"
        for t in TABLES.values()
    )
    conn.execute("DELETE FROM scim_counts")
    conn.execute(f"INSERT INTO scim_counts (org_uid, kind, n) {with_counts}")
    with_buckets = " UNION ALL ".join(
        f"SELECT org_uid, '{t.kind}', seq >> {BUCKET_BITS}, count(*) FROM {t.name}"
        " GROUP BY org_uid, seq >> " + str(BUCKET_BITS)
        for t in TABLES.values()
    )
    conn.execute("DELETE FROM scim_seq_buckets")
    conn.execute(f"INSERT INTO scim_seq_buckets (org_uid, kind, bucket, n) {with_buckets}")


def row_resource(row: sqlite3.Row, table: Table) -> dict:
    """The stored resource of a row with its computed attribute (``groups``/``members``)."""
    resource = json.loads(row["resource"])
    computed = json.loads(row["computed"] or "[]")
    if computed:
        resource[table.computed_key] = computed
    return resource
