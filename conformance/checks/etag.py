"""Versioning checks (RFC 7644 §3.14, RFC 7232): ETag, meta.version and conditional requests.

All checks need ServiceProviderConfig etag.supported; without it they are skipped (there is
nothing a server could decline: conditional headers are simply not evaluated).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.checks._scope import Scope, operation, patch_body, text_attribute
from conformance.context import describe
from conformance.registry import check

if TYPE_CHECKING:
    import requests

    from conformance.context import CheckContext

ETAG_RFC = "RFC 7644 §3.14"
STALE_ETAG = 'W/"scimproof-stale-version"'


def _versioned_user(ctx: CheckContext, label: str) -> tuple[Scope, dict, str]:
    """A user of this check and the ETag header of a GET on it (fails if there is none)."""
    scope = Scope(ctx, label)
    user = scope.new_user("ant")
    response = ctx.get(_url(ctx, user))
    ctx.expect_status(response, 200)
    etag = response.headers.get("ETag")
    ctx.expect(bool(etag), "GET on a resource has no ETag header although etag is supported")
    return scope, user, str(etag)


def _url(ctx: CheckContext, user: dict) -> str:
    return f"{ctx.users_endpoint}/{user['id']}"


def _modify(
    ctx: CheckContext, user: dict, text: str, headers: dict[str, str] | None = None
) -> requests.Response:
    """Change a free-text attribute by PATCH when supported, else by PUT of the resource."""
    if ctx.supports("patch"):
        body = patch_body(operation("replace", text_attribute(ctx), text))
        return ctx.patch(_url(ctx, user), json=body, headers=headers)
    replacement = {k: v for k, v in user.items() if k not in ("meta", "id")}
    replacement[text_attribute(ctx)] = text
    return ctx.put(_url(ctx, user), json=replacement, headers=headers)


@check(
    "etag.header",
    title="resources carry an ETag header on create and read",
    rfc=ETAG_RFC,
    level="MUST",
    tags=("etag",),
    needs="etag",
    mutating=True,
)
def etag_header(ctx: CheckContext) -> None:
    """When versioning is supported, ETags MUST be specified as an HTTP header."""
    scope = Scope(ctx, "etag-hdr")
    created = ctx.post(ctx.users_endpoint, json=ctx.user_payload(userName=scope.user_name("ant")))
    ctx.expect_status(created, 200, 201)
    ctx.expect(bool(created.headers.get("ETag")), "the response to POST has no ETag header")
    _versioned_user(ctx, "etag-hdr-get")


@check(
    "etag.meta-version",
    title="meta.version equals the ETag header",
    rfc="RFC 7644 §3.14; RFC 7643 §3.1",
    level="SHOULD",
    tags=("etag",),
    needs="etag",
    mutating=True,
)
def meta_version(ctx: CheckContext) -> None:
    """The ETag SHOULD also be in meta.version, with the same value as the header."""
    if not ctx.supports("etag"):
        ctx.skip("meta.version is asked for when versioning is supported (etag.supported)")
    _, user, etag = _versioned_user(ctx, "etag-ver")
    version = (ctx.json(ctx.get(_url(ctx, user))).get("meta") or {}).get("version")
    ctx.expect(version is not None, "meta.version is missing although etag is supported")
    ctx.expect(version == etag, f"meta.version {version!r} differs from the ETag header {etag!r}")


@check(
    "etag.changes-on-update",
    title="the ETag changes when the resource changes",
    rfc="RFC 7644 §3.14; RFC 7232 §2.3",
    level="MUST",
    tags=("etag",),
    needs="etag",
    mutating=True,
)
def changes_on_update(ctx: CheckContext) -> None:
    """A version identifies one state: after a modification the ETag must differ."""
    scope, user, before = _versioned_user(ctx, "etag-chg")
    response = _modify(ctx, user, f"{scope.token} Changed")
    ctx.expect(response.status_code in (200, 204), f"modifying the user: {describe(response)}")
    after = ctx.get(_url(ctx, user)).headers.get("ETag")
    ctx.expect(after != before, f"the ETag stayed {before!r} after the resource changed")


@check(
    "etag.if-none-match",
    title="GET with If-None-Match of the current version answers 304",
    rfc="RFC 7644 §3.14; RFC 7232 §3.2",
    level="MUST",
    tags=("etag",),
    needs="etag",
    mutating=True,
)
def if_none_match(ctx: CheckContext) -> None:
    """A matching If-None-Match on GET answers 304 with no body; a stale one answers 200."""
    _, user, etag = _versioned_user(ctx, "etag-inm")
    current = ctx.get(_url(ctx, user), headers={"If-None-Match": etag})
    ctx.expect(
        current.status_code == 304,
        f"If-None-Match with the current ETag: {describe(current)}; expected 304",
    )
    ctx.expect(not current.content, "the 304 response carries a body")
    stale = ctx.get(_url(ctx, user), headers={"If-None-Match": STALE_ETAG})
    ctx.expect(
        stale.status_code == 200,
        f"If-None-Match with a stale ETag: {describe(stale)}; expected 200",
    )


@check(
    "etag.if-match-mismatch",
    title="a modification with a stale If-Match answers 412 and changes nothing",
    rfc="RFC 7644 §3.14; RFC 7232 §3.1",
    level="MUST",
    tags=("etag",),
    needs="etag",
    mutating=True,
)
def if_match_mismatch(ctx: CheckContext) -> None:
    """If-Match not matching the current version: the method is not performed, 412."""
    scope, user, _ = _versioned_user(ctx, "etag-412")
    stale = f"{scope.token} Stale"
    response = _modify(ctx, user, stale, headers={"If-Match": STALE_ETAG})
    ctx.expect(
        response.status_code == 412,
        f"a modification with a stale If-Match: {describe(response)}; expected 412",
    )
    stored = ctx.json(ctx.get(_url(ctx, user)))
    ctx.expect(stored.get(text_attribute(ctx)) != stale, "the stale modification was applied")


@check(
    "etag.if-match-current",
    title="a modification with the current If-Match succeeds",
    rfc="RFC 7644 §3.14",
    level="MAY",
    tags=("etag",),
    needs="etag",
    mutating=True,
)
def if_match_current(ctx: CheckContext) -> None:
    """If-Match with the latest (weak) ETag lets PUT/PATCH succeed.

    SHOULD, not MUST: RFC 7232 §3.1 compares If-Match strongly, so a weak ETag never
    matches there; RFC 7644 §3.14 nevertheless shows If-Match with weak ETags succeeding.
    """
    scope, user, etag = _versioned_user(ctx, "etag-ifm")
    wanted = f"{scope.token} Current"
    response = _modify(ctx, user, wanted, headers={"If-Match": etag})
    ctx.expect(
        response.status_code in (200, 204),
        f"a modification with the current If-Match {etag}: {describe(response)}",
    )
    stored = ctx.json(ctx.get(_url(ctx, user)))
    ctx.expect(stored.get(text_attribute(ctx)) == wanted, "the modification was not applied")
