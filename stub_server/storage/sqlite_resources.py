"""SCIM Users and Groups in the stub's SQLite database: the ``ResourceStore`` it runs on.

Each resource keeps its JSON document (without the computed ``groups`` and ``members``) plus
indexed columns for the attributes filters and sorts use most: ``userName`` and
``displayName`` as case-folded keys, ``externalId``, ``active``, ``meta.created`` and
``meta.lastModified``; e-mails and group members live in side tables. A read is one SELECT:
the computed attributes come from correlated sub-queries. Filters that translate to SQL run
in SQL; the rest are evaluated on the documents (``filter_eval``), with the same results.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from stub_server.scim.filter_eval import fold, matches, sort_key
from stub_server.scim.filter_sql import Sql, sort_column, translate
from stub_server.storage.resource_store import (
    Database,
    ResourceNotFound,
    ResourceQuery,
    StoredResource,
    UniquenessConflict,
    VersionConflict,
)
from stub_server.storage.schema import BUCKET_BITS
from stub_server.storage.sqlite_tables import TABLES, USERS, Table, fetch_many


def _count(conn: sqlite3.Connection, table: Table, org_uid: str, where: Sql | None) -> int:
    """How many rows match ``where`` (unfiltered: the trigger-maintained count)."""
    if where is None:
        row = conn.execute(
            "SELECT n FROM scim_counts WHERE org_uid = ? AND kind = ?",
            (org_uid, table.resource_type),
        ).fetchone()
        return row[0] if row else 0
    sql = f"SELECT count(*) FROM {table.name} r WHERE r.org_uid = ? AND {where.text}"
    return conn.execute(sql, (org_uid, *where.params)).fetchone()[0]


def _stored(row: sqlite3.Row, table: Table) -> StoredResource:
    """The stored resource of a row with its computed attribute (``groups``/``members``)."""
    resource = json.loads(row["resource"])
    computed = json.loads(row["computed"] or "[]")
    if computed:
        resource[table.computed_key] = computed
    account_uid = row["account_uid"] if table is USERS else None
    return StoredResource(row["id"], row["version"], resource, account_uid)


@contextmanager
def _unique(table: Table) -> Iterator[None]:
    """Turn a unique-index violation into ``UniquenessConflict`` naming the attribute."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        attribute = "userName" if table is USERS and "user_name" in str(exc) else None
        raise UniquenessConflict(attribute) from exc


def _document(resource: dict, table: Table) -> str:
    stored = {k: v for k, v in resource.items() if k != table.computed_key}
    return json.dumps(stored, separators=(",", ":"))


def _user_columns(resource: dict) -> tuple[Any, ...]:
    active = resource.get("active")
    return (
        resource["userName"],
        fold(resource["userName"]),
        resource.get("externalId"),
        resource.get("displayName"),
        fold(resource["displayName"]) if "displayName" in resource else None,
        None if active is None else int(active),
        resource["meta"]["lastModified"],
    )


def _group_columns(resource: dict) -> tuple[Any, ...]:
    return (
        resource["displayName"],
        fold(resource["displayName"]),
        resource.get("externalId"),
        resource["meta"]["lastModified"],
    )


class SqliteResourceStore:
    """``ResourceStore`` on the stub's SQLite database (see the module docstring)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, org_uid: str, resource_type: str, resource_id: str) -> StoredResource | None:
        """Return the resource, or None when the organization has no such resource."""
        table = TABLES[resource_type]
        row = (
            self.database.connection()
            .execute(f"{table.select} WHERE r.org_uid = ? AND r.id = ?", (org_uid, resource_id))
            .fetchone()
        )
        return None if row is None else _stored(row, table)

    def search(
        self, org_uid: str, resource_type: str, query: ResourceQuery
    ) -> tuple[int, list[StoredResource]]:
        """Return (how many match, the requested page): in SQL where the filter and sort
        translate, else by evaluating the documents."""
        with self.database.snapshot() as conn:  # the count and the page from one state
            return self._search(conn, org_uid, TABLES[resource_type], query)

    @staticmethod
    def _search(
        conn: sqlite3.Connection, org_uid: str, table: Table, query: ResourceQuery
    ) -> tuple[int, list[StoredResource]]:
        """search() inside one read transaction."""
        ast = query.filter
        sql = translate(ast, table.sql_map) if ast is not None else None
        column = sort_column(query.sort_by, table.sql_map) if query.sort_by else None
        offset = query.start_index - 1
        exact = ast is None or (sql is not None and sql.exact)
        if exact and (query.sort_by is None or column is not None):
            total = _count(conn, table, org_uid, sql)
            if query.count == 0 or query.start_index > total:
                return total, []
            order = "r.seq"
            if column is not None:
                direction = "DESC" if query.descending else "ASC"
                order = f"{column.expr} IS NULL, {column.expr} {direction}, r.seq"
            limit = -1 if query.count is None else query.count  # SQLite: -1 is no limit
            rows = fetch_many(conn, table, org_uid, sql, order, limit, offset)
            return total, [_stored(r, table) for r in rows]
        rows = fetch_many(conn, table, org_uid, sql, "r.seq")
        found = [
            s for s in (_stored(r, table) for r in rows) if ast is None or matches(ast, s.resource)
        ]
        if query.sort_by is not None:
            keyed = [(sort_key(s.resource, query.sort_by), s) for s in found]
            present = sorted(
                (k for k in keyed if k[0][0] == 0), key=lambda k: k[0][1], reverse=query.descending
            )
            found = [s for _, s in present] + [s for k, s in keyed if k[0] == 1]
        end = None if query.count is None else offset + query.count
        return len(found), found[offset:end]

    def create(
        self,
        org_uid: str,
        resource_type: str,
        resource: dict,
        *,
        account_uid: str | None = None,
        password_hash: str | None = None,
    ) -> StoredResource:
        """Store a new resource at version 1."""
        table = TABLES[resource_type]
        with self.database.transaction() as conn, _unique(table):
            if table is USERS:
                cur = conn.execute(
                    "INSERT INTO scim_users (user_name, user_name_key, external_id, "
                    "display_name, display_name_key, active, last_modified, version, resource, "
                    "org_uid, id, created, password_hash, account_uid) "
                    "VALUES (?,?,?,?,?,?,?,1,?,?,?,?,?,?)",
                    (
                        *_user_columns(resource),
                        _document(resource, table),
                        org_uid,
                        resource["id"],
                        resource["meta"]["created"],
                        password_hash,
                        account_uid,
                    ),
                )
                self._write_emails(conn, org_uid, cur.lastrowid, resource)
            else:
                cur = conn.execute(
                    "INSERT INTO scim_groups (display_name, display_name_key, external_id, "
                    "last_modified, version, resource, org_uid, id, created) "
                    "VALUES (?,?,?,?,1,?,?,?,?)",
                    (
                        *_group_columns(resource),
                        _document(resource, table),
                        org_uid,
                        resource["id"],
                        resource["meta"]["created"],
                    ),
                )
                self._write_members(conn, org_uid, cur.lastrowid, resource)
        return self._reread(org_uid, resource_type, resource["id"])

    def replace(
        self,
        org_uid: str,
        resource_type: str,
        resource: dict,
        *,
        expected_version: int,
        account_uid: str | None = None,
        password_hash: str | None = None,
    ) -> StoredResource:
        """Replace the resource with the document's id; its version becomes one more."""
        table = TABLES[resource_type]
        with self.database.transaction() as conn, _unique(table):
            seq = self._current(conn, table, org_uid, resource["id"], expected_version)
            version = expected_version + 1
            if table is USERS:
                conn.execute(
                    "UPDATE scim_users SET user_name = ?, user_name_key = ?, external_id = ?, "
                    "display_name = ?, display_name_key = ?, active = ?, last_modified = ?, "
                    "version = ?, resource = ?, account_uid = COALESCE(?, account_uid), "
                    "password_hash = COALESCE(?, password_hash) WHERE seq = ?",
                    (
                        *_user_columns(resource),
                        version,
                        _document(resource, table),
                        account_uid,
                        password_hash,
                        seq,
                    ),
                )
                conn.execute("DELETE FROM scim_user_emails WHERE user_seq = ?", (seq,))
                self._write_emails(conn, org_uid, seq, resource)
            else:
                conn.execute(
                    "UPDATE scim_groups SET display_name = ?, display_name_key = ?, "
                    "external_id = ?, last_modified = ?, version = ?, resource = ? "
                    "WHERE seq = ?",
                    (*_group_columns(resource), version, _document(resource, table), seq),
                )
                self._write_members(conn, org_uid, seq, resource)
        return self._reread(org_uid, resource_type, resource["id"])

    def delete(
        self, org_uid: str, resource_type: str, resource_id: str, *, expected_version: int | None
    ) -> None:
        """Delete the resource and drop it from every group's members."""
        table = TABLES[resource_type]
        with self.database.transaction() as conn:
            seq = self._current(conn, table, org_uid, resource_id, expected_version)
            conn.execute(
                "DELETE FROM scim_group_members WHERE org_uid = ? AND member_id = ?",
                (org_uid, resource_id),
            )
            conn.execute(f"DELETE FROM {table.name} WHERE seq = ?", (seq,))

    def reconcile_counts(self) -> None:
        """Recount every organization's resources and seq buckets (older databases lack them)."""
        conn = self.database.connection()
        with_counts = " UNION ALL ".join(
            f"SELECT org_uid, '{t.resource_type}', count(*) FROM {t.name} GROUP BY org_uid"
            for t in TABLES.values()
        )
        conn.execute("DELETE FROM scim_counts")
        conn.execute(f"INSERT INTO scim_counts (org_uid, kind, n) {with_counts}")
        with_buckets = " UNION ALL ".join(
            f"SELECT org_uid, '{t.resource_type}', seq >> {BUCKET_BITS}, count(*) FROM {t.name}"
            f" GROUP BY org_uid, seq >> {BUCKET_BITS}"
            for t in TABLES.values()
        )
        conn.execute("DELETE FROM scim_seq_buckets")
        conn.execute(f"INSERT INTO scim_seq_buckets (org_uid, kind, bucket, n) {with_buckets}")

    # -- inside a write ------------------------------------------------------------------
    def _reread(self, org_uid: str, resource_type: str, resource_id: str) -> StoredResource:
        stored = self.get(org_uid, resource_type, resource_id)
        assert stored is not None  # written in this transaction
        return stored

    @staticmethod
    def _current(
        conn: sqlite3.Connection,
        table: Table,
        org_uid: str,
        resource_id: str,
        expected_version: int | None,
    ) -> int:
        """The row's seq, after checking it exists at the expected version."""
        row = conn.execute(
            f"SELECT seq, version FROM {table.name} WHERE org_uid = ? AND id = ?",
            (org_uid, resource_id),
        ).fetchone()
        if row is None:
            raise ResourceNotFound(resource_id)
        if expected_version is not None and row["version"] != expected_version:
            raise VersionConflict(row["version"])
        return row["seq"]

    @staticmethod
    def _write_emails(conn: sqlite3.Connection, org_uid: str, seq: int, resource: dict) -> None:
        conn.executemany(
            "INSERT INTO scim_user_emails (user_seq, org_uid, value_key, type_key, is_primary) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    seq,
                    org_uid,
                    fold(e["value"]) if "value" in e else None,
                    fold(e["type"]) if "type" in e else None,
                    int(e["primary"]) if "primary" in e else None,
                )
                for e in resource.get("emails", [])
            ],
        )

    @staticmethod
    def _write_members(conn: sqlite3.Connection, org_uid: str, seq: int, resource: dict) -> None:
        """Bring the member rows in line with the document: delete the gone, add the new."""
        before = {
            r[0]
            for r in conn.execute(
                "SELECT member_id FROM scim_group_members WHERE group_seq = ?", (seq,)
            )
        }
        after = {m["value"]: m for m in resource.get("members", [])}
        conn.executemany(
            "DELETE FROM scim_group_members WHERE group_seq = ? AND member_id = ?",
            [(seq, v) for v in before - after.keys()],
        )
        conn.executemany(
            "INSERT INTO scim_group_members (group_seq, org_uid, member_id, member_type) "
            "VALUES (?, ?, ?, ?)",
            [(seq, org_uid, m["value"], m["type"]) for v, m in after.items() if v not in before],
        )
