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
import secrets

from stub_server import roles
from stub_server.domain.group_roles import apply_group_roles
from stub_server.domain.resources import Ctx, version_tag
from stub_server.scim.schemas import USER
from stub_server.storage import StoredResource, utc_now


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


def _is_active(resource: dict) -> bool:
    return resource.get("active", True) is not False


class Users:
    """The User resource type (RFC 7643 §4.1) with Contentstack membership semantics."""

    name = "User"
    schema = USER

    def prepare(self, ctx: Ctx, new: dict, old: StoredResource | None) -> None:
        """Users need no cross-resource checks."""

    def save(
        self, ctx: Ctx, new: dict, old: StoredResource | None, password: str | None
    ) -> StoredResource:
        """Store the user, link it to an account, and update its organization membership."""
        password_hash = _hash_password(password) if password is not None else None
        if old is None:
            account_uid = _link_account(ctx, new)
            stored = ctx.store.create(
                ctx.org_uid, self.name, new, account_uid=account_uid, password_hash=password_hash
            )
        else:
            account_uid = old.account_uid or _link_account(ctx, new)
            stored = ctx.store.replace(
                ctx.org_uid,
                self.name,
                new,
                expected_version=old.version,
                account_uid=account_uid,
                password_hash=password_hash,
            )
        reactivated = _after_write(ctx, new, None if old is None else old.resource, account_uid)
        if reactivated and stored.resource.get("groups"):
            apply_group_roles(ctx.storage, ctx.org_uid, stored, "reactivated", ctx.audit)
        return stored

    def remove(self, ctx: Ctx, old: StoredResource) -> None:
        """Delete the user, drop it from its groups and remove its organization membership."""
        label = f"{old.resource['userName']} (SCIM id {old.id})"
        if old.account_uid is not None:
            label = _set_membership(ctx, old.account_uid, False, label)
        for group in old.resource.get("groups", []):
            _drop_member(ctx, group["value"], old.id)
        ctx.store.delete(ctx.org_uid, self.name, old.id, expected_version=old.version)
        ctx.audit("User deprovisioned", label)
        if old.resource.get("groups"):  # a kept Owner keeps no role of its former groups
            apply_group_roles(ctx.storage, ctx.org_uid, old, "deprovisioned", ctx.audit, {})


def _link_account(ctx: Ctx, resource: dict) -> str | None:
    """The uid of the account with the user's e-mail, created when none exists."""
    email = _email_of(resource)
    if not email:
        return None
    account = ctx.storage.account_by_email(email)
    if account is not None:
        return account["uid"]
    name = resource.get("name", {})
    return ctx.storage.create_account(email, name.get("givenName", ""), name.get("familyName", ""))


def _set_membership(ctx: Ctx, account_uid: str, member: bool, label: str) -> str:
    """Add or remove the account's membership; return the audit details saying what happened."""
    role = ctx.storage.role_in(account_uid, ctx.org_uid)
    if member and role is None:
        ctx.storage.add_membership(ctx.org_uid, account_uid, roles.MEMBER, "scim")
        return f"{label} joined the organization as {roles.MEMBER}"
    if not member and role is not None:
        if role == roles.OWNER:
            return f"{label} is the organization Owner; the membership was kept"
        ctx.storage.remove_membership(ctx.org_uid, account_uid)
        return f"{label} was removed from the organization (the account remains)"
    return label


def _after_write(ctx: Ctx, new: dict, old: dict | None, account_uid: str | None) -> bool:
    """Audit the write and join or leave the organization; True when reactivated."""
    label = f"{new['userName']} (SCIM id {new['id']})"
    is_active = _is_active(new)
    was_active = None if old is None else _is_active(old)
    if old is None:
        event = "User provisioned"
    elif was_active and not is_active:
        event = "User deactivated"
    elif is_active and not was_active:
        event = "User reactivated"
    else:
        event = "User updated"
    if account_uid is not None and is_active != was_active:
        label = _set_membership(ctx, account_uid, is_active, label)
    ctx.audit(event, label)
    return event == "User reactivated"


def _drop_member(ctx: Ctx, group_id: str, member_id: str) -> None:
    """Take a deleted user out of a group: the group gets a new version and lastModified."""
    group = ctx.store.get(ctx.org_uid, "Group", group_id)
    if group is None:
        return
    document = dict(group.resource)
    document["members"] = [m for m in document.get("members", []) if m["value"] != member_id]
    document["meta"] = {
        **document["meta"],
        "lastModified": utc_now(),
        "version": version_tag(group.version + 1),
    }
    ctx.store.replace(ctx.org_uid, "Group", document, expected_version=group.version)


USERS = Users()
