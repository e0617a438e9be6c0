"""References between resources (RFC 7643 §2.3.7, §4.1.2): $ref values and User.groups.

Every view of a Group (creation response, GET, filtered list, /.search) is read; each $ref is
resolved against the base URL (RFC 3986 §5.2) and followed when it stays under it. Servers that
give no $ref, or no User.groups, skip: both are readOnly values a server may leave out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from conformance.checks.common_attributes import views
from conformance.context import CheckContext, body_of
from conformance.registry import check


def _member_and_group(ctx: CheckContext) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new User and a new Group holding it."""
    user = ctx.new_user()
    return user, ctx.new_group([str(user["id"])])


def _follow(ctx: CheckContext, ref: Any, expected_id: str) -> str | None:
    """What is wrong with one $ref (None when it is a URI naming the expected resource)."""
    if not isinstance(ref, str) or not ref:
        return f"$ref {ref!r} is not a URI"
    parts = urlsplit(ref)
    if parts.scheme and not parts.netloc:
        return f"$ref {ref!r} is neither an absolute HTTP URI nor a relative one"
    resolved = urljoin(ctx.base_url + "/", ref)
    if not resolved.startswith(ctx.base_url + "/"):
        return None  # outside the base URL: never sent the credentials, not judged
    response = ctx.get(resolved)
    shown = body_of(response)
    if response.status_code != 200 or not isinstance(shown, dict):
        return f"$ref {ref!r}: GET answered {response.status_code}"
    if shown.get("id") != expected_id:
        return f"$ref {ref!r} leads to id {shown.get('id')!r}, not {expected_id!r}"
    return None


@check(
    "references.member-ref",
    title="members[].$ref is a URI of the member, resolved against the base URL",
    rfc="RFC 7643 §2.3.7",
    level="MUST",
    tags={"groups", "read", "search"},
    mutating=True,
)
def member_ref(ctx: CheckContext) -> None:
    """In every view of a Group, a member's $ref is an absolute or relative URI that, resolved
    against the base URL, answers GET with that member."""
    user, group = _member_and_group(ctx)
    wrong, seen = [], 0
    for label, shown in [("POST", group), *views(ctx, "Group", group)]:
        for member in shown.get("members") or []:
            if isinstance(member, dict) and member.get("value") == user["id"] and "$ref" in member:
                seen += 1
                problem = _follow(ctx, member["$ref"], str(user["id"]))
                if problem:
                    wrong.append(f"{label}: {problem}")
    if not seen:
        ctx.skip("no view of the Group gives its member a $ref")
    ctx.expect(not wrong, "; ".join(wrong))


@check(
    "references.user-groups",
    title="User.groups[].value is the Group's id and $ref its URI",
    rfc="RFC 7643 §4.1.2",
    level="MUST",
    tags={"users", "groups", "read", "search"},
    mutating=True,
)
def user_groups(ctx: CheckContext) -> None:
    """A member User shows, in every view, the Group in "groups" by its id, with a $ref that
    leads to it."""
    user, group = _member_and_group(ctx)
    wrong, seen = [], 0
    for label, shown in views(ctx, "User", user):
        entries = [g for g in shown.get("groups") or [] if isinstance(g, dict)]
        if not entries:
            continue
        seen += 1
        ours = [g for g in entries if g.get("value") == group["id"]]
        if not ours:
            wrong.append(f"{label}: groups {entries} hold no value {group['id']!r}")
        for entry in ours:
            problem = _follow(ctx, entry["$ref"], str(group["id"])) if "$ref" in entry else None
            if problem:
                wrong.append(f"{label}: {problem}")
    if not seen:
        ctx.skip("no view of a member User lists its groups")
    ctx.expect(not wrong, "; ".join(wrong))
