"""OneLogin provisioning: lookup, full-user updates with PUT, group membership by PATCH."""

from __future__ import annotations

from conformance.context import CheckContext
from conformance.profiles._common import (
    ONELOGIN_DOC,
    expect_patched,
    expect_user_lookup_finds_only_it,
    fetch,
    member_ids,
    patch_ops,
)
from conformance.registry import check


@check(
    "profile.onelogin.user-lookup",
    title="OneLogin finds an existing user by userName",
    rfc=f"{ONELOGIN_DOC}; RFC 7644 §3.4.2.2",
    level="MUST",
    tags={"filter"},
    mutating=True,
)
def user_lookup(ctx: CheckContext) -> None:
    """filter=userName eq "<email>" finds exactly the user (not the decoy beside it)."""
    expect_user_lookup_finds_only_it(ctx)


@check(
    "profile.onelogin.update-put",
    title="OneLogin updates a user by PUT of the whole resource",
    rfc=f"{ONELOGIN_DOC}; RFC 7644 §3.5.1",
    level="MUST",
    tags={"replace"},
    mutating=True,
)
def update_put(ctx: CheckContext) -> None:
    """A PUT changing name.familyName and the work e-mail is applied."""
    user = ctx.new_user()
    url = f"{ctx.users_endpoint}/{user['id']}"
    family = ctx.unique("family")
    replacement = ctx.user_payload(
        userName=user["userName"], name={"givenName": "One", "familyName": family}
    )
    ctx.expect_status(ctx.put(url, json=replacement), 200)
    ctx.expect(
        (fetch(ctx, url).get("name") or {}).get("familyName") == family,
        "name.familyName was not replaced",
    )


@check(
    "profile.onelogin.group-members-replace",
    title="OneLogin sets group membership with PATCH replace members",
    rfc=f"{ONELOGIN_DOC}; RFC 7644 §3.5.2.3",
    level="MUST",
    tags={"patch", "groups"},
    mutating=True,
    needs="groups.create.members",
)
def group_members_replace(ctx: CheckContext) -> None:
    """{"op": "replace", "path": "members", "value": [...]} leaves exactly those members."""
    first, second = ctx.new_user(), ctx.new_user()
    group = ctx.new_group([first["id"]])
    url = f"{ctx.groups_endpoint}/{group['id']}"
    expect_patched(
        ctx,
        ctx.patch(
            url,
            json=patch_ops(
                {"op": "replace", "path": "members", "value": [{"value": second["id"]}]}
            ),
        ),
    )
    ctx.expect(
        member_ids(fetch(ctx, url)) == {second["id"]},
        "members after replace are not exactly the new member",
    )
