"""SQLite storage shared by the settings UI and the SCIM service.

One file, WAL mode, a connection per thread. Every table that belongs to an organization
carries ``org_uid`` so tenants never mix. Areas add their own tables through
``register_schema`` (the SCIM service does), so this module stays the one place that
opens, migrates and resets the database.
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

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS organizations (
    uid TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    plan TEXT NOT NULL,
    plan_includes_scim INTEGER NOT NULL,
    scim_enabled INTEGER NOT NULL DEFAULT 0,
    scim_enabled_at TEXT,
    scim_rate_limit INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS accounts (
    uid TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT
);
CREATE TABLE IF NOT EXISTS memberships (
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    account_uid TEXT NOT NULL REFERENCES accounts(uid) ON DELETE CASCADE,
    role TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT 'invite',
    PRIMARY KEY (org_uid, account_uid)
);
CREATE TABLE IF NOT EXISTS scim_tokens (
    id INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL REFERENCES organizations(uid) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS scim_tokens_org ON scim_tokens(org_uid, revoked_at);
CREATE TABLE IF NOT EXISTS audit_log (
    id INTEGER PRIMARY KEY,
    org_uid TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    event TEXT NOT NULL,
    application TEXT NOT NULL,
    remote_addr TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS audit_log_org ON audit_log(org_uid, id);
"""

TOKEN_PREFIX = "scimproof_"


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


_extra_schemas: list[str] = []


def register_schema(ddl: str) -> None:
    """Add DDL (idempotent ``CREATE ... IF NOT EXISTS``) that every database gets."""
    if ddl not in _extra_schemas:
        _extra_schemas.append(ddl)


def utc_now() -> str:
    """Return the current UTC time as an RFC 3339 string with milliseconds."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a bearer token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Storage:
    """The stub's SQLite database: schema, per-thread connections, and shared queries."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._generation = 0
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

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

    def migrate(self) -> None:
        """Create every registered table and index that does not exist yet."""
        conn = self.connection()
        conn.executescript(CORE_SCHEMA)
        for ddl in _extra_schemas:
            conn.executescript(ddl)

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
