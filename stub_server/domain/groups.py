"""SCIM Groups (RFC 7643 §4.2): members reference Users or Groups of the same organization.

A member's ``type`` and ``$ref`` are computed from what the id refers to; an id that is no
User or Group of this organization is refused (400 invalidValue), as is a group containing
itself. Deleting a group never removes users from the organization (Contentstack).
"""

from __future__ import annotations

from stub_server.domain.group_roles import apply_group_roles
from stub_server.domain.resources import Ctx
from stub_server.scim.errors import ScimError
from stub_server.scim.schemas import GROUP
from stub_server.storage import StoredResource

MEMBER_TYPES = ("User", "Group")


def _member_type(ctx: Ctx, value: str, known: dict[str, str]) -> str | None:
    """What a member id refers to; ids already in the group were checked when they joined."""
    if value in known:
        return known[value]
    for resource_type in MEMBER_TYPES:
        if ctx.store.get(ctx.org_uid, resource_type, value) is not None:
            return resource_type
    return None


class Groups:
    """The Group resource type; members are part of the stored group."""

    name = "Group"
    schema = GROUP

    def prepare(self, ctx: Ctx, new: dict, old: StoredResource | None) -> None:
        """Resolve each member to a User or Group of this organization, dropping duplicates."""
        known = {m["value"]: m["type"] for m in _members(old)}
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
            member_type = _member_type(ctx, value, known)
            if member_type is None:
                raise ScimError(
                    400,
                    f"member {value!r} is not a User or Group of this organization",
                    "invalidValue",
                )
            stated = member.get("type")
            if isinstance(stated, str) and stated.lower() != member_type.lower():
                raise ScimError(
                    400, f"member {value!r} is a {member_type}, not a {stated}", "invalidValue"
                )
            seen.add(value)
            members.append({"value": value, "type": member_type})
        if members:
            new["members"] = members
        else:
            new.pop("members", None)

    def save(
        self, ctx: Ctx, new: dict, old: StoredResource | None, password: str | None
    ) -> StoredResource:
        """Store the group with its members, audit how many joined or left, and (when the
        group is mapped) give those who joined or left the roles they now hold."""
        name = new["displayName"]
        label = f"{name} (SCIM id {new['id']})"
        after = {m["value"]: m["type"] for m in new.get("members", [])}
        before = {m["value"]: m["type"] for m in _members(old)}
        if old is None:
            stored = ctx.store.create(ctx.org_uid, self.name, new)
            ctx.audit("Group created", f"{label} with {len(after)} member(s)")
        else:
            stored = ctx.store.replace(ctx.org_uid, self.name, new, expected_version=old.version)
            ctx.audit(
                "Group updated",
                f"{label}: {len(after.keys() - before.keys())} member(s) added, "
                f"{len(before.keys() - after.keys())} removed",
            )
        if ctx.storage.grants.mappings(ctx.org_uid, {new["id"]}):  # else no role can change
            joined = [v for v, t in after.items() if v not in before and t == "User"]
            left = [v for v, t in before.items() if v not in after and t == "User"]
            _regrant(ctx, joined, f"joined group {name}")
            _regrant(ctx, left, f"left group {name}")
        return stored

    def remove(self, ctx: Ctx, old: StoredResource) -> None:
        """Delete the group and its mapping; its members keep only what other groups grant.

        The group also stops being a member of other groups. Nobody leaves the organization.
        """
        name = old.resource["displayName"]
        ctx.store.delete(ctx.org_uid, self.name, old.id, expected_version=old.version)
        ctx.audit("Group deleted", f"{name} (SCIM id {old.id})")
        if ctx.storage.grants.delete_mapping(ctx.org_uid, old.id):
            ctx.audit("Group mapping removed", f"group {name} was deleted by the identity provider")
            members = [m["value"] for m in _members(old) if m["type"] == "User"]
            _regrant(ctx, members, f"group {name} was deleted")


def _regrant(ctx: Ctx, user_ids: list[str], cause: str) -> None:
    """Apply the group role rules to these SCIM users (after their groups changed)."""
    for user_id in user_ids:
        user = ctx.store.get(ctx.org_uid, "User", user_id)
        if user is not None:
            apply_group_roles(ctx.storage, ctx.org_uid, user, cause, ctx.audit)


def _members(stored: StoredResource | None) -> list[dict]:
    return [] if stored is None else stored.resource.get("members", [])


GROUPS = Groups()
