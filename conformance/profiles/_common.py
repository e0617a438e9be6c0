"""Helpers the IdP profile checks share."""

from __future__ import annotations

from typing import Any

import requests

from conformance import urns
from conformance.context import CheckContext, describe

# The IdP documents each profile's request shapes come from.
ENTRA_DOC = "Microsoft Entra SCIM guide"
OKTA_DOC = "Okta SCIM 2.0 guide"
ONELOGIN_DOC = "OneLogin SCIM provisioning guide"


def patch_ops(*operations: dict[str, Any]) -> dict[str, Any]:
    """A PatchOp body."""
    return {"schemas": [urns.PATCH_OP], "Operations": list(operations)}


def expect_patched(ctx: CheckContext, response: requests.Response) -> None:
    """PATCH succeeded: 200 with the resource or 204 without (RFC 7644 §3.5.2 allows both)."""
    ctx.expect(response.status_code in (200, 204), f"PATCH failed: {describe(response)}")


def fetch(ctx: CheckContext, path: str) -> dict[str, Any]:
    """GET a resource that must exist."""
    response = ctx.get(path)
    ctx.expect_status(response, 200)
    return ctx.json(response)


def lookup(
    ctx: CheckContext,
    endpoint: str,
    attribute: str,
    value: str,
    extra: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """GET endpoint?filter=<attribute> eq "<value>" and return the resources found."""
    params = {"filter": f'{attribute} eq "{value}"', **(extra or {})}
    response = ctx.get(endpoint, params=params)
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(
        urns.LIST_RESPONSE in (body.get("schemas") or []),
        "the lookup did not answer a ListResponse",
    )
    return [r for r in body.get("Resources") or [] if isinstance(r, dict)]


def expect_user_lookup_finds_only_it(
    ctx: CheckContext, extra: dict[str, Any] | None = None
) -> None:
    """Create a user and a decoy; filter=userName eq "<user>" must find exactly the user."""
    user, _decoy = ctx.new_user(), ctx.new_user()
    found = lookup(ctx, ctx.users_endpoint, "userName", user["userName"], extra)
    ids = [r.get("id") for r in found]
    ctx.expect(ids == [user["id"]], f"lookup found {ids}")


def member_ids(group: dict[str, Any]) -> set[str]:
    """members[].value of a Group."""
    return {str(m.get("value")) for m in group.get("members") or [] if isinstance(m, dict)}
