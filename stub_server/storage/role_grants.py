"""Stacks, SCIM group mappings, and the roles people hold through them (SQLite).

A group mapping says which organization role and which stack roles a SCIM group grants; the
domain decides who holds what (``stub_server.domain.group_roles``) and records it here:
a membership's role and the group it came through, and each stack role with its group.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from stub_server.storage.resource_store import Database


@dataclass(frozen=True)
class GroupMapping:
    """What one SCIM group grants: an organization role and a role per stack (uid -> role)."""

    group_id: str
    org_role: str
    stack_roles: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Grant:
    """A role held, and the group it came through (None: not through a group)."""

    role: str
    via_group_id: str | None = None


@dataclass(frozen=True)
class Membership:
    """A person's membership: the role held, the role given without groups, and its source."""

    role: str
    given_role: str
    via_group_id: str | None
    source: str


class RoleGrants:
    """The stacks, group mappings and role grants of every organization."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # -- stacks ----------------------------------------------------------------------------
    def stacks(self, org_uid: str) -> list[sqlite3.Row]:
        """Return the organization's stacks (uid, name, environments) by name."""
        return (
            self.database.connection()
            .execute(
                "SELECT uid, name, environments FROM stacks WHERE org_uid = ? ORDER BY name",
                (org_uid,),
            )
            .fetchall()
        )

    # -- group mappings --------------------------------------------------------------------
    def mappings(
        self, org_uid: str, group_ids: AbstractSet[str] | None = None
    ) -> list[GroupMapping]:
        """Return the organization's mappings (only of ``group_ids`` when given)."""
        conn = self.database.connection()
        sql = "SELECT group_id, org_role FROM group_mappings WHERE org_uid = ?"
        params: list[str] = [org_uid]
        if group_ids is not None:
            if not group_ids:
                return []
            sql += f" AND group_id IN ({','.join('?' * len(group_ids))})"
            params += sorted(group_ids)
        rows = conn.execute(sql + " ORDER BY group_id", params).fetchall()
        stack_roles: dict[str, dict[str, str]] = {row["group_id"]: {} for row in rows}
        if stack_roles:
            found = f"({','.join('?' * len(stack_roles))})"
            for row in conn.execute(
                "SELECT group_id, stack_uid, role FROM group_mapping_stack_roles "
                f"WHERE org_uid = ? AND group_id IN {found}",
                [org_uid, *stack_roles],
            ):
                stack_roles[row["group_id"]][row["stack_uid"]] = row["role"]
        return [
            GroupMapping(r["group_id"], r["org_role"], stack_roles[r["group_id"]]) for r in rows
        ]

    def save_mapping(self, org_uid: str, mapping: GroupMapping, updated_at: str, by: str) -> None:
        """Create or replace the mapping of one group."""
        with self.database.transaction() as conn:
            conn.execute(
                "INSERT INTO group_mappings (org_uid, group_id, org_role, updated_at, updated_by) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (org_uid, group_id) DO UPDATE SET "
                "org_role = excluded.org_role, updated_at = excluded.updated_at, "
                "updated_by = excluded.updated_by",
                (org_uid, mapping.group_id, mapping.org_role, updated_at, by),
            )
            conn.execute(
                "DELETE FROM group_mapping_stack_roles WHERE org_uid = ? AND group_id = ?",
                (org_uid, mapping.group_id),
            )
            conn.executemany(
                "INSERT INTO group_mapping_stack_roles (org_uid, group_id, stack_uid, role) "
                "VALUES (?, ?, ?, ?)",
                [(org_uid, mapping.group_id, s, r) for s, r in mapping.stack_roles.items()],
            )

    def delete_mapping(self, org_uid: str, group_id: str) -> bool:
        """Remove a group's mapping; return whether there was one."""
        cur = self.database.connection().execute(
            "DELETE FROM group_mappings WHERE org_uid = ? AND group_id = ?", (org_uid, group_id)
        )
        return cur.rowcount > 0

    # -- what people hold ------------------------------------------------------------------
    def membership(self, org_uid: str, account_uid: str) -> Membership | None:
        """Return the account's membership of the organization, or None."""
        row = (
            self.database.connection()
            .execute(
                "SELECT role, COALESCE(given_role, role) AS given_role, via_group_id, source "
                "FROM memberships WHERE org_uid = ? AND account_uid = ?",
                (org_uid, account_uid),
            )
            .fetchone()
        )
        if row is None:
            return None
        return Membership(row["role"], row["given_role"], row["via_group_id"], row["source"])

    def set_role(self, org_uid: str, account_uid: str, grant: Grant) -> None:
        """Record the role a member holds and the group it came through."""
        self.database.connection().execute(
            "UPDATE memberships SET given_role = COALESCE(given_role, role), role = ?, "
            "via_group_id = ? WHERE org_uid = ? AND account_uid = ?",
            (grant.role, grant.via_group_id, org_uid, account_uid),
        )

    def stack_roles(self, org_uid: str, account_uid: str) -> dict[str, Grant]:
        """Return the account's stack roles: stack uid -> grant."""
        rows = self.database.connection().execute(
            "SELECT stack_uid, role, via_group_id FROM stack_role_grants "
            "WHERE org_uid = ? AND account_uid = ?",
            (org_uid, account_uid),
        )
        return {row["stack_uid"]: Grant(row["role"], row["via_group_id"]) for row in rows}

    def set_stack_roles(self, org_uid: str, account_uid: str, grants: dict[str, Grant]) -> None:
        """Replace the account's stack roles."""
        conn = self.database.connection()
        conn.execute(
            "DELETE FROM stack_role_grants WHERE org_uid = ? AND account_uid = ?",
            (org_uid, account_uid),
        )
        conn.executemany(
            "INSERT INTO stack_role_grants (org_uid, account_uid, stack_uid, role, via_group_id) "
            "VALUES (?, ?, ?, ?, ?)",
            [(org_uid, account_uid, s, g.role, g.via_group_id) for s, g in grants.items()],
        )

    def stack_roles_of_members(self, org_uid: str) -> dict[str, list[sqlite3.Row]]:
        """Every member's stack roles for the Users page: account uid -> rows (stack name,
        role, ``via_group`` display name), by stack name."""
        rows = self.database.connection().execute(
            "SELECT r.account_uid, s.name AS stack, r.role, g.display_name AS via_group "
            "FROM stack_role_grants r JOIN stacks s ON s.uid = r.stack_uid "
            "LEFT JOIN scim_groups g ON g.org_uid = r.org_uid AND g.id = r.via_group_id "
            "WHERE r.org_uid = ? ORDER BY s.name",
            (org_uid,),
        )
        out: dict[str, list[sqlite3.Row]] = {}
        for row in rows:
            out.setdefault(row["account_uid"], []).append(row)
        return out
