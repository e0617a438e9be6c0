"""SCIM Groups (RFC 7643 §4.2): members reference Users or Groups of the same organization.

A member's ``type`` and ``$ref`` are computed from what the id refers to; an id that is no
User or Group of this organization is refused (400 invalidValue), as is a group containing
itself. Deleting a group never removes users from the organization (Contentstack).
"""

from __future__ import annotations

import json
import sqlite3

from stub_server.scim import store
from stub_server.scim.errors import ScimError
from stub_server.scim.filter_eval import fold
from stub_server.scim.resources import Ctx
from stub_server.scim.schemas import GROUP
from stub_server.scim.users import audit


class Groups:
    """The Group resource type; members live in ``scim_group_members``."""

    name = "Group"
    rs = GROUP
    table = store.GROUPS

    def prepare(self, conn: sqlite3.Connection, ctx: Ctx, new: dict, old: dict | None) -> None:
        """Resolve each member to a User or Group of this organization, dropping duplicates."""
        members: list[dict] = []
        seen: set[str] = set()
        for member in new.get("members", []):
            value = member.get("value")
            if not isinstance(value, str) or not value:
                raise ScimError(
                    400, "each member needs a value (the id of a User or Group)", "invalidValue"
                )
            if value in seen:
                continue
            if value == new["id"]:
                raise ScimError(400, "a group can not be a member of itself", "invalidValue")
            kind = self._member_type(conn, ctx, value)
            if kind is None:
                raise ScimError(
                    400,
                    f"member {value!r} is not a User or Group of this organization",
                    "invalidValue",
                )
            stated = member.get("type")
            if isinstance(stated, str) and stated.lower() != kind.lower():
                raise ScimError(
                    400, f"member {value!r} is a {kind}, not a {stated}", "invalidValue"
                )
            seen.add(value)
            members.append({"value": value, "type": kind})
        if members:
            new["members"] = members
        else:
            new.pop("members", None)

    @staticmethod
    def _member_type(conn: sqlite3.Connection, ctx: Ctx, value: str) -> str | None:
        for kind, table in (("User", "scim_users"), ("Group", "scim_groups")):
            if conn.execute(
                f"SELECT 1 FROM {table} WHERE org_uid = ? AND id = ?", (ctx.org_uid, value)
            ).fetchone():
                return kind
        return None

    def write(
        self,
        conn: sqlite3.Connection,
        ctx: Ctx,
        new: dict,
        old_row: sqlite3.Row | None,
        old: dict | None,
        password: str | None,
    ) -> None:
        """Insert or update the group and apply the member changes."""
        stored = {k: v for k, v in new.items() if k != "members"}
        cols = (
            new["displayName"],
            fold(new["displayName"]),
            new.get("externalId"),
            new["meta"]["lastModified"],
            int(new["meta"]["version"][3:-1]),
            json.dumps(stored, separators=(",", ":")),
        )
        if old_row is None:
            cur = conn.execute(
                "INSERT INTO scim_groups (display_name, display_name_key, external_id, "
                "last_modified, version, resource, org_uid, id, created) "
                "VALUES (?,?,?,?,?,?,?,?,?)",
                (*cols, ctx.org_uid, new["id"], new["meta"]["created"]),
            )
            seq = cur.lastrowid
        else:
            seq = old_row["seq"]
            conn.execute(
                "UPDATE scim_groups SET display_name = ?, display_name_key = ?, "
                "external_id = ?, last_modified = ?, version = ?, resource = ? "
                "WHERE seq = ?",
                (*cols, seq),
            )
        before = {m["value"] for m in (old or {}).get("members", [])}
        after = {m["value"]: m for m in new.get("members", [])}
        removed = before - after.keys()
        added = [m for v, m in after.items() if v not in before]
        conn.executemany(
            "DELETE FROM scim_group_members WHERE group_seq = ? AND member_id = ?",
            [(seq, v) for v in removed],
        )
        conn.executemany(
            "INSERT INTO scim_group_members (group_seq, org_uid, member_id, "
            "member_type) VALUES (?, ?, ?, ?)",
            [(seq, ctx.org_uid, m["value"], m["type"]) for m in added],
        )
        label = f"{new['displayName']} (SCIM id {new['id']})"
        if old is None:
            audit(conn, ctx, "Group created", f"{label} with {len(after)} member(s)")
        else:
            audit(
                conn,
                ctx,
                "Group updated",
                f"{label}: {len(added)} member(s) added, {len(removed)} removed",
            )

    def remove(self, conn: sqlite3.Connection, ctx: Ctx, row: sqlite3.Row, old: dict) -> None:
        """Delete the group (members cascade); it also stops being a member of other groups."""
        conn.execute(
            "DELETE FROM scim_group_members WHERE org_uid = ? AND member_id = ?",
            (ctx.org_uid, row["id"]),
        )
        conn.execute("DELETE FROM scim_groups WHERE seq = ?", (row["seq"],))
        audit(conn, ctx, "Group deleted", f"{old['displayName']} (SCIM id {old['id']})")


GROUPS = Groups()
