"""Groups lifecycle (RFC 7644 §3.3-3.6, RFC 7643 §4.2): create, members, replace, delete."""

from __future__ import annotations

from conformance.context import CheckContext, describe
from conformance.registry import check


def member_ids(group: dict) -> set[str]:
    """The members[].value ids of a Group."""
    return {
        str(member.get("value"))
        for member in group.get("members") or []
        if isinstance(member, dict) and member.get("value") is not None
    }


@check(
    "groups.create.schema-valid",
    title="A created Group (with a member) is valid against the RFC 7643 Group schema",
    rfc="RFC 7643 §4.2",
    level="MUST",
    tags={"create", "schema", "members"},
    mutating=True,
)
def create_schema_valid(ctx: CheckContext) -> None:
    """The returned Group conforms to §4.2, members included."""
    user = ctx.new_user()
    ctx.expect_schema("Group", ctx.new_group([user["id"]]))


@check(
    "groups.create.members",
    title="Members given at creation are stored and returned",
    rfc="RFC 7643 §4.2",
    level="MAY",
    tags={"create", "members"},
    mutating=True,
)
def create_members(ctx: CheckContext) -> None:
    """members[].value holds the ids of the member Users, in the response and on GET."""
    first, second = ctx.new_user(), ctx.new_user()
    group = ctx.new_group([first["id"], second["id"]])
    wanted = {first["id"], second["id"]}
    response = ctx.get(f"{ctx.groups_endpoint}/{group['id']}")
    ctx.expect_status(response, 200)
    stored = member_ids(ctx.json(response))
    ctx.expect(stored == wanted, f"GET shows members {sorted(stored)}, expected {sorted(wanted)}")


@check(
    "groups.replace.applied",
    title="PUT renames a Group and replaces its members",
    rfc="RFC 7644 §3.5.1",
    level="MUST",
    tags={"replace", "members"},
    mutating=True,
    needs="groups.create.members",
)
def replace_applied(ctx: CheckContext) -> None:
    """The displayName and members given in a PUT replace the previous values."""
    first, second = ctx.new_user(), ctx.new_user()
    group = ctx.new_group([first["id"]])
    new_name = ctx.unique("renamed")
    url = f"{ctx.groups_endpoint}/{group['id']}"
    replacement = ctx.group_payload([second["id"]], displayName=new_name)
    ctx.expect_status(ctx.put(url, json=replacement), 200)
    response = ctx.get(url)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(body.get("displayName") == new_name, f"displayName is {body.get('displayName')!r}")
    members = member_ids(body)
    ctx.expect(members == {second["id"]}, f"members are {sorted(members)} after PUT")


@check(
    "groups.delete.members-kept",
    title="Deleting a Group leaves its member Users in place",
    rfc="RFC 7644 §3.6",
    level="MUST",
    tags={"delete", "members"},
    mutating=True,
    needs="groups.create.members",
)
def delete_members_kept(ctx: CheckContext) -> None:
    """DELETE removes only the addressed resource; its members are other resources."""
    user = ctx.new_user()
    group = ctx.new_group([user["id"]])
    response = ctx.delete(f"{ctx.groups_endpoint}/{group['id']}")
    if response.status_code not in (200, 204):
        ctx.error(f"could not delete the Group: {describe(response)}")
    ctx.expect_status(ctx.get(f"{ctx.users_endpoint}/{user['id']}"), 200)


@check(
    "groups.members.deleted-user-removed",
    title="A deleted User no longer appears among a Group's members",
    rfc="RFC 7644 §3.6",
    level="MAY",
    tags={"delete", "members"},
    mutating=True,
    needs="groups.create.members",
)
def deleted_user_removed(ctx: CheckContext) -> None:
    """A deleted resource is not considered in any other operation, so not as a member."""
    keep, gone = ctx.new_user(), ctx.new_user()
    group = ctx.new_group([keep["id"], gone["id"]])
    response = ctx.delete(f"{ctx.users_endpoint}/{gone['id']}")
    if response.status_code not in (200, 204):
        ctx.error(f"could not delete the User: {describe(response)}")
    response = ctx.get(f"{ctx.groups_endpoint}/{group['id']}")
    ctx.expect_status(response, 200)
    members = member_ids(ctx.json(response))
    ctx.expect(gone["id"] not in members, "the deleted User is still listed as a member")
    ctx.expect(keep["id"] in members, "the remaining member disappeared too")
