"""Helpers the PATCH checks share: send a PatchOp, judge its answer, read the resource back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from conformance.checks._scope import Scope, patch_body, scim_type
from conformance.context import describe

if TYPE_CHECKING:
    import requests

    from conformance.context import CheckContext

PATCH_RFC = "RFC 7644 §3.5.2"
ADD_RFC = "RFC 7644 §3.5.2.1"
REMOVE_RFC = "RFC 7644 §3.5.2.2"
REPLACE_RFC = "RFC 7644 §3.5.2.3"


def patch_resource(
    ctx: CheckContext,
    resource: dict,
    *operations: dict,
    kind: str = "User",
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """Send a PatchOp with the operations to a resource this check created."""
    endpoint = ctx.users_endpoint if kind == "User" else ctx.groups_endpoint
    return ctx.patch(
        f"{endpoint}/{resource['id']}",
        json=patch_body(*operations),
        params=params,
        headers=headers,
    )


def applied(ctx: CheckContext, response: requests.Response, what: str) -> None:
    """A successful PATCH answers 200 (with the resource) or 204 (RFC 7644 §3.5.2)."""
    ctx.require("patch", response)
    ctx.expect(
        response.status_code in (200, 204),
        f"{what}: {describe(response)}; a successful PATCH answers 200 or 204",
    )


def unless_declined(ctx: CheckContext, response: requests.Response, what: str) -> None:
    """Skip when the server declines the PATCH operation itself (501, RFC 7644 §3.12): that is
    the finding of the patch.* check for the operation, not of the rule this check tests."""
    if response.status_code == 501:
        ctx.skip(f"{what}: the server declines this PATCH operation (501), so the rule is untested")


def read_back(ctx: CheckContext, resource: dict, kind: str = "User") -> dict:
    """GET the resource back as the server stored it."""
    endpoint = ctx.users_endpoint if kind == "User" else ctx.groups_endpoint
    response = ctx.get(f"{endpoint}/{resource['id']}")
    ctx.expect_status(response, 200)
    return ctx.json(response)


def rejected(ctx: CheckContext, response: requests.Response, what: str, expected_type: str) -> None:
    """The PATCH must fail with 400 and the given scimType."""
    ctx.require("patch", response)
    ctx.expect(
        response.status_code == 400,
        f"{what}: {describe(response)}; expected 400 with scimType {expected_type!r}",
    )
    ctx.expect(
        scim_type(response) == expected_type,
        f"{what}: {describe(response)}; expected scimType {expected_type!r}",
    )


def person(ctx: CheckContext, label: str, **attributes: Any) -> tuple[Scope, dict]:
    """A scope with one user (name and work e-mail) to patch."""
    scope = Scope(ctx, label)
    defaults: dict[str, Any] = {
        "name": {"givenName": "Ant", "familyName": f"{scope.token}-family"},
        "emails": [{"value": scope.user_name("ant"), "type": "work", "primary": True}],
    }
    return scope, scope.new_user("ant", **{**defaults, **attributes})


def family_name(resource: dict) -> Any:
    """name.familyName of a resource (None when absent)."""
    return (resource.get("name") or {}).get("familyName")


def given_name(resource: dict) -> Any:
    """name.givenName of a resource (None when absent)."""
    return (resource.get("name") or {}).get("givenName")
