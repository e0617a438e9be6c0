"""SCIM Users and what provisioning means in a Contentstack organization.

A provisioned user becomes a member of the organization: the SCIM user links to the account
with its e-mail (``userName`` when it looks like an e-mail, else the primary/first e-mail),
creating the account when none exists, and gets the role Member (source ``scim``) unless it
is already a member, whose role is then kept. ``active=false`` or DELETE removes the
membership; the account remains. The organization's Owner membership is never removed by
SCIM (an organization can not lose its owner); the audit log says so. Re-activation gives
back a Member membership. Every change is in the audit log, application "SCIM API".
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3

from stub_server import roles
from stub_server.scim import store
from stub_server.scim.filter_eval import fold
from stub_server.scim.resources import Ctx
from stub_server.scim.schemas import USER
from stub_server.storage import utc_now

AUDIT_APPLICATION = "SCIM API"


def _hash_password(password: str) -> str:
    salt = secrets.token_hex(8)
    return f"sha256${salt}${hashlib.sha256((salt + password).encode()).hexdigest()}"


def _email_of(resource: dict) -> str | None:
    user_name = resource.get("userName", "")
    if "@" in user_name:
        return user_name
    emails = [e for e in resource.get("emails", []) if e.get("value")]
    primary = [e for e in emails if e.get("primary") is True]
    chosen = (primary or emails or [None])[0]
    return chosen["value"] if chosen else None


def audit(conn: sqlite3.Connection, ctx: Ctx, event: str, details: str) -> None:
    """Append a SCIM API entry to the organization's audit log (inside the transaction)."""
    ctx.storage.audit(
        ctx.org_uid,
        ctx.actor,
        event,
        application=AUDIT_APPLICATION,
        remote_addr=ctx.remote_addr,
        details=details,
    )


class Users:
    """The User resource type (RFC 7643 §4.1) with Contentstack membership semantics."""

    name = "User"
    rs = USER
    table = store.USERS

    def prepare(self, conn: sqlite3.Connection, ctx: Ctx, new: dict, old: dict | None) -> None:
        """Users need no cross-resource checks."""

    def _link_account(self, conn: sqlite3.Connection, resource: dict) -> str | None:
        email = _email_of(resource)
        if not email:
            return None
        row = conn.execute("SELECT uid FROM accounts WHERE email = ?", (email,)).fetchone()
        if row:
            return row["uid"]
        uid = "blt" + secrets.token_hex(8)
        name = resource.get("name", {})
        conn.execute(
            "INSERT INTO accounts (uid, email, first_name, last_name) VALUES (?,?,?,?)",
            (uid, email, name.get("givenName", ""), name.get("familyName", "")),
        )
        return uid

    def _set_membership(
        self, conn: sqlite3.Connection, ctx: Ctx, account_uid: str, member: bool, label: str
    ) -> str:
        row = conn.execute(
            "SELECT role FROM memberships WHERE org_uid = ? AND account_uid = ?",
            (ctx.org_uid, account_uid),
        ).fetchone()
        if member and row is None:
            conn.execute(
                "INSERT INTO memberships (org_uid, account_uid, role, source) "
                "VALUES (?, ?, ?, 'scim')",
                (ctx.org_uid, account_uid, roles.MEMBER),
            )
            return f"{label} joined the organization as {roles.MEMBER}"
        if not member and row is not None:
            if row["role"] == roles.OWNER:
                return f"{label} is the organization Owner; the membership was kept"
            conn.execute(
                "DELETE FROM memberships WHERE org_uid = ? AND account_uid = ?",
                (ctx.org_uid, account_uid),
            )
            return f"{label} was removed from the organization (the account remains)"
        return label

    def write(
        self,
        conn: sqlite3.Connection,
        ctx: Ctx,
        new: dict,
        old_row: sqlite3.Row | None,
        old: dict | None,
        password: str | None,
    ) -> None:
        """Insert or update the user, its e-mail index rows and its organization membership."""
        active = new.get("active")
        cols = (
            new["userName"],
            fold(new["userName"]),
            new.get("externalId"),
            new.get("displayName"),
            fold(new["displayName"]) if "displayName" in new else None,
            None if active is None else int(active),
            new["meta"]["lastModified"],
            int(new["meta"]["version"][3:-1]),
            json.dumps(new, separators=(",", ":")),
        )
        pw_hash = _hash_password(password) if password is not None else None
        if old_row is None:
            account_uid = self._link_account(conn, new)
            cur = conn.execute(
                "INSERT INTO scim_users (user_name, user_name_key, external_id, display_name, "
                "display_name_key, active, last_modified, version, resource, org_uid, id, "
                "created, password_hash, account_uid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (*cols, ctx.org_uid, new["id"], new["meta"]["created"], pw_hash, account_uid),
            )
            seq = cur.lastrowid
        else:
            seq = old_row["seq"]
            account_uid = old_row["account_uid"] or self._link_account(conn, new)
            conn.execute(
                "UPDATE scim_users SET user_name = ?, user_name_key = ?, external_id = ?, "
                "display_name = ?, display_name_key = ?, active = ?, last_modified = ?, "
                "version = ?, resource = ?, account_uid = ?, "
                "password_hash = COALESCE(?, password_hash) WHERE seq = ?",
                (*cols, account_uid, pw_hash, seq),
            )
            conn.execute("DELETE FROM scim_user_emails WHERE user_seq = ?", (seq,))
        conn.executemany(
            "INSERT INTO scim_user_emails (user_seq, org_uid, value_key, type_key, is_primary) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    seq,
                    ctx.org_uid,
                    fold(e["value"]) if "value" in e else None,
                    fold(e["type"]) if "type" in e else None,
                    int(e["primary"]) if "primary" in e else None,
                )
                for e in new.get("emails", [])
            ],
        )
        self._after_write(conn, ctx, new, old, account_uid)

    def _after_write(
        self,
        conn: sqlite3.Connection,
        ctx: Ctx,
        new: dict,
        old: dict | None,
        account_uid: str | None,
    ) -> None:
        label = f"{new['userName']} (SCIM id {new['id']})"
        is_active = new.get("active", True) is not False
        was_active = None if old is None else old.get("active", True) is not False
        if old is None:
            event = "User provisioned"
        elif was_active and not is_active:
            event = "User deactivated"
        elif is_active and not was_active:
            event = "User reactivated"
        else:
            event = "User updated"
        if account_uid is not None and is_active != was_active:
            label = self._set_membership(conn, ctx, account_uid, is_active, label)
        audit(conn, ctx, event, label)

    def remove(self, conn: sqlite3.Connection, ctx: Ctx, row: sqlite3.Row, old: dict) -> None:
        """Delete the user, drop it from groups and remove its organization membership."""
        label = f"{old['userName']} (SCIM id {old['id']})"
        now = utc_now()
        if row["account_uid"] is not None:
            label = self._set_membership(conn, ctx, row["account_uid"], False, label)
        conn.execute(
            "UPDATE scim_groups SET version = version + 1, last_modified = ?, resource = "
            "json_set(resource, '$.meta.version', 'W/\"' || (version + 1) || '\"', "
            "'$.meta.lastModified', ?) WHERE seq IN (SELECT group_seq FROM scim_group_members "
            "WHERE org_uid = ? AND member_id = ?)",
            (now, now, ctx.org_uid, row["id"]),
        )
        conn.execute(
            "DELETE FROM scim_group_members WHERE org_uid = ? AND member_id = ?",
            (ctx.org_uid, row["id"]),
        )
        conn.execute("DELETE FROM scim_users WHERE seq = ?", (row["seq"],))
        audit(conn, ctx, "User deprovisioned", label)


USERS = Users()
