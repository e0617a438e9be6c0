"""Groups lifecycle (RFC 7644 §3.3-3.6, RFC 7643 §4.2): create, members, replace, delete."""

from __future__ import annotations

from conformance import urns
from conformance.checks._resources import (
    create,
    expect_gone,
    expect_identity,
    expect_location,
    expect_meta,
)
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
    "groups.create.status",
    title="POST /Groups answers 201 Created",
    rfc="RFC 7644 §3.3",
    level="MUST",
    tags={"create"},
    mutating=True,
)
def create_status(ctx: CheckContext) -> None:
    """A successful creation SHALL answer 201 (Created)."""
    ctx.expect_status(ctx.post(ctx.groups_endpoint, json=ctx.group_payload()), 201)


@check(
    "groups.create.location-header",
    title="Group creation returns Location equal to meta.location",
    rfc="RFC 7644 §3.3",
    level="MUST",
    tags={"create"},
    mutating=True,
)
def create_location(ctx: CheckContext) -> None:
    """The created Group's URI SHALL be in the Location header and in meta.location."""
    response = create(ctx, ctx.groups_endpoint, ctx.group_payload())
    expect_location(ctx, response, ctx.json(response))


@check(
    "groups.create.identity",
    title="A created Group has a server-assigned id and the core Group schema",
    rfc="RFC 7643 §3, §3.1",
    level="MUST",
    tags={"create"},
    mutating=True,
)
def create_identity(ctx: CheckContext) -> None:
    """Every representation includes a non-empty id and schemas holding the Group URN."""
    expect_identity(ctx, ctx.new_group(), urns.GROUP)


@check(
    "groups.create.meta",
    title="A created Group carries meta.resourceType, created, lastModified, location",
    rfc="RFC 7643 §3.1",
    level="MUST",
    tags={"create", "meta"},
    mutating=True,
)
def create_meta(ctx: CheckContext) -> None:
    """meta holds resourceType 'Group' and dateTimes with lastModified not before created."""
    expect_meta(ctx, ctx.new_group(), "Group")


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
    level="MUST",
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
    "groups.read.by-id",
    title="GET /Groups/{id} returns the created Group",
    rfc="RFC 7644 §3.4.1",
    level="MUST",
    tags={"read"},
    mutating=True,
)
def read_by_id(ctx: CheckContext) -> None:
    """A created Group is retrievable at its location with the same id and displayName."""
    group = ctx.new_group()
    response = ctx.get(f"{ctx.groups_endpoint}/{group['id']}")
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(body.get("id") == group["id"], f"GET returned id {body.get('id')!r}")
    ctx.expect(
        body.get("displayName") == group.get("displayName"),
        f"GET returned displayName {body.get('displayName')!r}",
    )


@check(
    "groups.replace.status",
    title="PUT /Groups/{id} answers 200 with the whole resource",
    rfc="RFC 7644 §3.5.1",
    level="MUST",
    tags={"replace"},
    mutating=True,
)
def replace_status(ctx: CheckContext) -> None:
    """A successful PUT returns 200 OK and the entire Group in the body."""
    group = ctx.new_group()
    replacement = ctx.group_payload(displayName=group["displayName"])
    response = ctx.put(f"{ctx.groups_endpoint}/{group['id']}", json=replacement)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(body.get("id") == group["id"], f"PUT returned id {body.get('id')!r}")


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
    "groups.delete.status",
    title="DELETE /Groups/{id} answers 204 No Content",
    rfc="RFC 7644 §3.6",
    level="MUST",
    tags={"delete"},
    mutating=True,
)
def delete_status(ctx: CheckContext) -> None:
    """A successful DELETE SHALL answer 204 (No Content)."""
    group = ctx.new_group()
    ctx.expect_status(ctx.delete(f"{ctx.groups_endpoint}/{group['id']}"), 204)


@check(
    "groups.delete.gone",
    title="After DELETE every operation on the Group answers 404",
    rfc="RFC 7644 §3.6",
    level="MUST",
    tags={"delete"},
    mutating=True,
)
def delete_gone(ctx: CheckContext) -> None:
    """A deleted Group MUST answer 404 to GET, PUT, PATCH and DELETE."""
    group = ctx.new_group()
    url = f"{ctx.groups_endpoint}/{group['id']}"
    response = ctx.delete(url)
    if response.status_code not in (200, 204):
        ctx.error(f"could not delete the Group: {describe(response)}")
    expect_gone(ctx, url, ctx.group_payload(displayName=group["displayName"]))


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
