"""The stub's SQLite database: connections, migrations, and the queries of the core tables.

One file, WAL mode, a connection per thread. Every table that belongs to an organization
carries ``org_uid`` so tenants never mix. ``init_app`` opens and migrates the database once
per app (as flaskr's ``db.py`` does); views reach it through ``get_storage()``.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app

from stub_server.storage.role_grants import RoleGrants
from stub_server.storage.schema import ADDED_COLUMNS, MIGRATIONS
from stub_server.storage.sqlite_resources import SqliteResourceStore

TOKEN_PREFIX = "scimproof_"
STORAGE_KEY = "scimproof.storage"  # where an app keeps its Storage


@dataclass(frozen=True)
class AuditFilter:
    """Which audit entries to read: exact event/application, part of the user, a time range.

    ``since`` (inclusive) and ``until`` (exclusive) compare with the stored RFC 3339 UTC
    timestamps, so a bare date such as ``2026-01-31`` means that day's midnight, UTC.
    """

    event: str = ""
    application: str = ""
    user: str = ""
    since: str = ""
    until: str = ""

    def where(self, org_uid: str) -> tuple[str, list[str]]:
        """Return the SQL WHERE clause and its parameters for one organization."""
        clauses, params = ["org_uid = ?"], [org_uid]
        for column, value in (("event", self.event), ("application", self.application)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.user:
            # LIKE is case-insensitive for ASCII; the person's own % and _ match literally.
            escaped = self.user.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("actor LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        if self.since:
            clauses.append("occurred_at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("occurred_at < ?")
            params.append(self.until)
        return " AND ".join(clauses), params


def utc_now() -> str:
    """Return the current UTC time as an RFC 3339 string with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a bearer token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Storage:
    """The stub's SQLite database: per-thread connections, migrations and core queries.

    ``resources`` is the store of SCIM Users and Groups and ``grants`` the stacks, group
    mappings and role grants, on the same database (and the same transactions). Call
    ``migrate()`` once before use; ``init_app`` does.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._generation = 0
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.resources = SqliteResourceStore(self)
        self.grants = RoleGrants(self)

    # -- connections -------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it on first use or after a reset."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.generation != self._generation:
            if conn is not None:
                conn.close()
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            self._local.generation = self._generation
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block in one write transaction (BEGIN IMMEDIATE), rolled back on error."""
        conn = self.connection()
        if conn.in_transaction:  # nested: join the outer transaction
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Run a block of reads in one read transaction: every read sees the same snapshot."""
        conn = self.connection()
        if conn.in_transaction:  # nested: the outer transaction already pins one state
            yield conn
            return
        conn.execute("BEGIN DEFERRED")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def migrate(self) -> None:
        """Create every table, index and trigger that does not exist yet; recount resources."""
        conn = self.connection()
        for ddl in MIGRATIONS:
            conn.executescript(ddl)
        for table, column, definition in ADDED_COLUMNS:
            present = {row["name"] for row in conn.execute(f'PRAGMA table_info("{table}")')}
            if column not in present:
                conn.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {definition}')
        with self.transaction():
            self.resources.reconcile_counts()

    def reset(self) -> None:
        """Drop every table and recreate the empty schema (tests use it between scenarios)."""
        conn = self.connection()
        conn.execute("PRAGMA foreign_keys=OFF")
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        with self.transaction():
            for table in tables:
                conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        conn.execute("PRAGMA foreign_keys=ON")
        self._generation += 1
        self.migrate()

    # -- organizations -----------------------------------------------------------------
    def organization(self, uid_or_slug: str) -> sqlite3.Row | None:
        """Return the organization with this uid or slug, or None."""
        return (
            self.connection()
            .execute(
                "SELECT * FROM organizations WHERE uid = ? OR slug = ?", (uid_or_slug, uid_or_slug)
            )
            .fetchone()
        )

    def organizations(self) -> list[sqlite3.Row]:
        """Return every organization, by name."""
        return self.connection().execute("SELECT * FROM organizations ORDER BY name").fetchall()

    def set_scim_enabled(self, org_uid: str, enabled: bool) -> None:
        """Switch SCIM on or off for an organization; switching off revokes every token."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE organizations SET scim_enabled = ?, scim_enabled_at = ? WHERE uid = ?",
                (int(enabled), utc_now() if enabled else None, org_uid),
            )
            if not enabled:
                self.revoke_tokens(org_uid)

    # -- accounts and memberships ------------------------------------------------------
    def account_by_email(self, email: str) -> sqlite3.Row | None:
        """Return the account with this e-mail (case-insensitive), or None."""
        return (
            self.connection().execute("SELECT * FROM accounts WHERE email = ?", (email,)).fetchone()
        )

    def account(self, uid: str) -> sqlite3.Row | None:
        """Return the account with this uid, or None."""
        return self.connection().execute("SELECT * FROM accounts WHERE uid = ?", (uid,)).fetchone()

    def memberships_of(self, account_uid: str) -> list[sqlite3.Row]:
        """Return the account's memberships joined with their organizations."""
        return (
            self.connection()
            .execute(
                "SELECT m.role, o.* FROM memberships m JOIN organizations o ON o.uid = m.org_uid "
                "WHERE m.account_uid = ? ORDER BY o.name",
                (account_uid,),
            )
            .fetchall()
        )

    def create_account(self, email: str, first_name: str = "", last_name: str = "") -> str:
        """Insert an account without a password (it cannot sign in) and return its uid."""
        uid = "blt" + secrets.token_hex(8)
        self.connection().execute(
            "INSERT INTO accounts (uid, email, first_name, last_name) VALUES (?, ?, ?, ?)",
            (uid, email, first_name, last_name),
        )
        return uid

    def add_membership(self, org_uid: str, account_uid: str, role: str, source: str) -> None:
        """Make the account a member of the organization with this role and source."""
        self.connection().execute(
            "INSERT INTO memberships (org_uid, account_uid, role, source, given_role) "
            "VALUES (?, ?, ?, ?, ?)",
            (org_uid, account_uid, role, source, role),
        )

    def remove_membership(self, org_uid: str, account_uid: str) -> None:
        """End the account's membership and stack roles in the organization (the account
        remains)."""
        conn = self.connection()
        for table in ("stack_role_grants", "memberships"):
            conn.execute(
                f"DELETE FROM {table} WHERE org_uid = ? AND account_uid = ?", (org_uid, account_uid)
            )

    def members(self, org_uid: str) -> list[sqlite3.Row]:
        """Return the organization's members by last name: e-mail, names, role, source (invite
        or scim) and ``via_group``, the display name of the mapped group that gave the role."""
        return (
            self.connection()
            .execute(
                "SELECT a.uid AS account_uid, a.email, a.first_name, a.last_name, m.role, "
                "m.source, g.display_name AS via_group FROM memberships m "
                "JOIN accounts a ON a.uid = m.account_uid LEFT JOIN scim_groups g "
                "ON g.org_uid = m.org_uid AND g.id = m.via_group_id "
                "WHERE m.org_uid = ? ORDER BY a.last_name, a.first_name, a.email",
                (org_uid,),
            )
            .fetchall()
        )

    def role_in(self, account_uid: str, org_uid: str) -> str | None:
        """Return the account's role in the organization, or None when not a member."""
        row = (
            self.connection()
            .execute(
                "SELECT role FROM memberships WHERE account_uid = ? AND org_uid = ?",
                (account_uid, org_uid),
            )
            .fetchone()
        )
        return row["role"] if row else None

    # -- SCIM bearer tokens ------------------------------------------------------------
    def issue_token(self, org_uid: str, created_by: str) -> str:
        """Revoke the organization's tokens, store a new one as a hash and return it once."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.transaction() as conn:
            self.revoke_tokens(org_uid)
            conn.execute(
                "INSERT INTO scim_tokens (org_uid, token_hash, hint, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?)",
                (org_uid, hash_token(token), token[-4:], utc_now(), created_by),
            )
        return token

    def revoke_tokens(self, org_uid: str) -> int:
        """Revoke every live token of the organization; return how many were revoked."""
        cur = self.connection().execute(
            "UPDATE scim_tokens SET revoked_at = ? WHERE org_uid = ? AND revoked_at IS NULL",
            (utc_now(), org_uid),
        )
        return cur.rowcount

    def token_organization(self, token: str) -> sqlite3.Row | None:
        """Return the organization (uid, SCIM switches, rate limit) of a live token, or None."""
        return (
            self.connection()
            .execute(
                "SELECT o.uid, o.scim_enabled, o.plan_includes_scim, o.scim_rate_limit "
                "FROM scim_tokens t JOIN organizations o ON o.uid = t.org_uid "
                "WHERE t.token_hash = ? AND t.revoked_at IS NULL",
                (hash_token(token),),
            )
            .fetchone()
        )

    def active_token(self, org_uid: str) -> sqlite3.Row | None:
        """Return the organization's live token record (never the secret), or None."""
        return (
            self.connection()
            .execute(
                "SELECT id, hint, created_at, created_by FROM scim_tokens "
                "WHERE org_uid = ? AND revoked_at IS NULL ORDER BY id DESC LIMIT 1",
                (org_uid,),
            )
            .fetchone()
        )

    def org_for_token(self, token: str) -> str | None:
        """Return the uid of the organization a live token belongs to, or None."""
        row = (
            self.connection()
            .execute(
                "SELECT org_uid FROM scim_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                (hash_token(token),),
            )
            .fetchone()
        )
        return row["org_uid"] if row else None

    # -- audit log ---------------------------------------------------------------------
    def audit(
        self,
        org_uid: str,
        actor: str,
        event: str,
        *,
        application: str,
        remote_addr: str = "",
        details: str = "",
    ) -> None:
        """Append an entry to the organization's audit log."""
        self.connection().execute(
            "INSERT INTO audit_log (org_uid, occurred_at, actor, event, application, "
            "remote_addr, details) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (org_uid, utc_now(), actor, event, application, remote_addr, details),
        )

    def audit_entries(
        self,
        org_uid: str,
        limit: int = 200,
        *,
        offset: int = 0,
        where: AuditFilter = AuditFilter(),
    ) -> list[sqlite3.Row]:
        """Return the organization's audit entries matching the filter, newest first."""
        clause, params = where.where(org_uid)
        return (
            self.connection()
            .execute(
                f"SELECT * FROM audit_log WHERE {clause} ORDER BY id DESC LIMIT ? OFFSET ?",
                (*params, limit, offset),
            )
            .fetchall()
        )

    def count_audit_entries(self, org_uid: str, where: AuditFilter = AuditFilter()) -> int:
        """Return how many of the organization's audit entries match the filter."""
        clause, params = where.where(org_uid)
        sql = f"SELECT COUNT(*) FROM audit_log WHERE {clause}"
        return int(self.connection().execute(sql, params).fetchone()[0])

    def audit_values(self, org_uid: str, column: str) -> list[str]:
        """Return the distinct events or applications in the organization's audit log."""
        if column not in {"event", "application"}:
            raise ValueError(f"no audit filter on {column!r}")
        rows = self.connection().execute(
            f"SELECT DISTINCT {column} FROM audit_log WHERE org_uid = ? ORDER BY {column}",
            (org_uid,),
        )
        return [row[0] for row in rows]


def init_app(app: Flask, storage: Storage | None = None) -> Storage:
    """Give the app its Storage: ``storage`` when given (the SCIM app shares the stub's),
    else the database at ``DATABASE`` in its config, opened and migrated once."""
    if storage is None:
        storage = Storage(app.config["DATABASE"])
        storage.migrate()
    app.extensions[STORAGE_KEY] = storage
    return storage


def storage_of(app: Flask) -> Storage:
    """Return the Storage an app was built with."""
    return app.extensions[STORAGE_KEY]


def get_storage() -> Storage:
    """Return the Storage of the app handling the current request."""
    return storage_of(current_app)
