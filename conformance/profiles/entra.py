"""Microsoft Entra ID provisioning: the request shapes its SCIM client sends."""

from __future__ import annotations

from conformance import urns
from conformance.checks._scope import resource_type_extensions
from conformance.context import CheckContext
from conformance.profiles._common import (
    ENTRA_DOC,
    expect_patched,
    fetch,
    lookup,
    member_ids,
    patch_ops,
)
from conformance.registry import check


@check(
    "profile.entra.user-lookup",
    title="Entra looks a user up by userName before creating it",
    rfc=f"{ENTRA_DOC}; RFC 7644 §3.4.2.2",
    level="MUST",
    tags={"filter"},
    mutating=True,
)
def user_lookup(ctx: CheckContext) -> None:
    """filter=userName eq "<upn>" finds nothing before creation and exactly the user after."""
    ctx.new_user()  # a decoy: a server ignoring the filter would list it too
    payload = ctx.user_payload()
    found = lookup(ctx, ctx.users_endpoint, "userName", payload["userName"])
    ctx.expect(found == [], f"lookup of a userName that does not exist found {len(found)}")
    user = ctx.new_user(userName=payload["userName"])
    found = lookup(ctx, ctx.users_endpoint, "userName", payload["userName"])
    ctx.expect(
        [r.get("id") for r in found] == [user["id"]],
        f"lookup after creation found {[r.get('id') for r in found]}",
    )


@check(
    "profile.entra.group-lookup-excluding-members",
    title="Entra looks groups up with excludedAttributes=members",
    rfc=f"{ENTRA_DOC}; RFC 7644 §3.4.2.5",
    level="MUST",
    tags={"filter", "groups"},
    mutating=True,
    needs="groups.create.members",
)
def group_lookup_excluding_members(ctx: CheckContext) -> None:
    """filter=displayName eq "<name>"&excludedAttributes=members returns the group, no members."""
    user = ctx.new_user()
    group = ctx.new_group([user["id"]])
    ctx.new_group()  # a decoy the filter must leave out
    found = lookup(
        ctx,
        ctx.groups_endpoint,
        "displayName",
        group["displayName"],
        {"excludedAttributes": "members"},
    )
    ctx.expect([g.get("id") for g in found] == [group["id"]], f"found {len(found)} groups")
    ctx.expect("members" not in found[0], "members were returned despite excludedAttributes")


@check(
    "profile.entra.pathless-dotted",
    title="Entra's path-less PATCH with dotted and URN-qualified keys is applied",
    rfc=f"{ENTRA_DOC}; RFC 7644 §3.5.2.3",
    level="MUST",
    tags={"patch"},
    mutating=True,
)
def pathless_dotted(ctx: CheckContext) -> None:
    """value {"name.givenName": ..., "<enterprise URN>:department": ...} updates both."""
    published = not ctx.schemas or any(s.get("id") == urns.ENTERPRISE_USER for s in ctx.schemas)
    extended = not ctx.resource_types or urns.ENTERPRISE_USER in resource_type_extensions(
        ctx, ctx.users_endpoint
    )
    if not (published and extended):
        ctx.skip("the User resource type does not offer the enterprise User extension")
    user = ctx.new_user()
    url = f"{ctx.users_endpoint}/{user['id']}"
    given, department = ctx.unique("given"), ctx.unique("dept")
    response = ctx.patch(
        url,
        json=patch_ops(
            {
                "op": "Replace",
                "value": {
                    "name.givenName": given,
                    f"{urns.ENTERPRISE_USER}:department": department,
                },
            }
        ),
    )
    expect_patched(ctx, response)
    body = fetch(ctx, url)
    ctx.expect(
        (body.get("name") or {}).get("givenName") == given,
        f"name.givenName is {(body.get('name') or {}).get('givenName')!r}",
    )
    extension = body.get(urns.ENTERPRISE_USER) or {}
    ctx.expect(
        extension.get("department") == department,
        f"enterprise department is {extension.get('department')!r}",
    )


@check(
    "profile.entra.group-members",
    title="Entra adds and removes group members with PATCH",
    rfc=f"{ENTRA_DOC}; RFC 7644 §3.5.2.1, §3.5.2.2",
    level="MUST",
    tags={"patch", "groups"},
    mutating=True,
    needs="patch.add.members-appends",
)
def group_members(ctx: CheckContext) -> None:
    """'Add' members then 'Remove' members[value eq "<id>"] leaves the other member."""
    first, second = ctx.new_user(), ctx.new_user()
    group = ctx.new_group()
    url = f"{ctx.groups_endpoint}/{group['id']}"
    expect_patched(
        ctx,
        ctx.patch(
            url,
            json=patch_ops(
                {
                    "op": "Add",
                    "path": "members",
                    "value": [{"value": first["id"]}, {"value": second["id"]}],
                }
            ),
        ),
    )
    ctx.expect(
        member_ids(fetch(ctx, url)) == {first["id"], second["id"]},
        "members after 'Add' are not the two users",
    )
    expect_patched(
        ctx,
        ctx.patch(
            url, json=patch_ops({"op": "Remove", "path": f'members[value eq "{first["id"]}"]'})
        ),
    )
    ctx.expect(
        member_ids(fetch(ctx, url)) == {second["id"]},
        "members after 'Remove' are not just the second user",
    )
