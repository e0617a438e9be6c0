"""Okta provisioning: connection test, lookup before create, deactivation by PUT and PATCH."""

from __future__ import annotations

from conformance import urns
from conformance.context import CheckContext
from conformance.profiles._common import (
    OKTA_DOC,
    expect_user_lookup_finds_only_it,
)
from conformance.registry import check


@check(
    "profile.okta.connection-test",
    title="Okta's connection test GET /Users?startIndex=1&count=2 succeeds",
    rfc=f"{OKTA_DOC}; RFC 7644 §3.4.2.4",
    level="MUST",
    tags={"paging"},
)
def connection_test(ctx: CheckContext) -> None:
    """The test answers a ListResponse with at most 2 resources and startIndex 1."""
    response = ctx.get(ctx.users_endpoint, params={"startIndex": 1, "count": 2})
    ctx.expect_status(response, 200)
    body = ctx.json(response)
    ctx.expect(urns.LIST_RESPONSE in (body.get("schemas") or []), "not a ListResponse")
    ctx.expect(len(body.get("Resources") or []) <= 2, "more than count=2 resources returned")
    ctx.expect(body.get("startIndex") in (None, 1), f"startIndex is {body.get('startIndex')!r}")


@check(
    "profile.okta.user-lookup",
    title="Okta looks a user up by userName (with paging) before creating it",
    rfc=f"{OKTA_DOC}; RFC 7644 §3.4.2.2",
    level="MUST",
    tags={"filter"},
    mutating=True,
)
def user_lookup(ctx: CheckContext) -> None:
    """filter=userName eq "<login>"&startIndex=1&count=100 finds exactly the user."""
    expect_user_lookup_finds_only_it(ctx, {"startIndex": 1, "count": 100})


@check(
    "profile.okta.json-content-type",
    title="Okta's application/json; charset=utf-8 request bodies are accepted",
    rfc=f"{OKTA_DOC}; RFC 7644 §3.8",
    level="MUST",
    tags={"content-type"},
    mutating=True,
)
def json_content_type(ctx: CheckContext) -> None:
    """A creation labelled application/json; charset=utf-8 answers 201."""
    response = ctx.post(
        ctx.users_endpoint,
        json=ctx.user_payload(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    ctx.expect_status(response, 201)
