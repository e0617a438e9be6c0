"""Conditional requests as SCIM adopts them (RFC 7644 §3.14; RFC 7232 §4.1, §5).

Beside conformance/checks/etag.py: what a 304 carries, and preconditions judged only after
the resource is found, for every write method. SCIM adopts If-None-Match for GET and If-Match
for changes (RFC 7644 §3.14). All need etag support (advertised or shown by an ETag).
"""

from __future__ import annotations

from typing import Any

from conformance.checks._scope import operation, patch_body
from conformance.context import CheckContext, describe
from conformance.registry import check

STALE = 'W/"scimproof-stale-version"'


def _user_and_etag(ctx: CheckContext) -> tuple[dict[str, Any], str, str]:
    """A new User, its URL and the ETag a GET on it answers (fail when there is none)."""
    user = ctx.new_user()
    url = f"{ctx.users_endpoint}/{user['id']}"
    response = ctx.get(url)
    ctx.expect_status(response, 200)
    etag = response.headers.get("ETag")
    if not etag:
        ctx.skip("GET on a resource answers no ETag header (etag.header judges that)")
    return user, url, etag


@check(
    "etag.not-modified.etag",
    title="A 304 carries the ETag the 200 would have carried",
    rfc="RFC 7232 §4.1",
    level="MUST",
    tags={"etag", "read"},
    needs="etag",
    mutating=True,
)
def not_modified_etag(ctx: CheckContext) -> None:
    """GET with If-None-Match of the current ETag: a 304 answer repeats that ETag."""
    _, url, etag = _user_and_etag(ctx)
    response = ctx.get(url, headers={"If-None-Match": etag})
    if response.status_code != 304:
        ctx.skip(f"{describe(response)}: no 304 to judge (etag.if-none-match judges that)")
    ctx.expect(
        response.headers.get("ETag") == etag,
        f"the 304 carries ETag {response.headers.get('ETag')!r}; the 200 carried {etag!r}",
    )


@check(
    "etag.preconditions-after-existence",
    title="A stale If-Match on an unknown resource answers 404, not 412",
    rfc="RFC 7232 §5",
    level="MUST",
    tags={"etag", "replace", "patch", "delete", "errors"},
    needs="etag",
    mutating=True,
)
def preconditions_after_existence(ctx: CheckContext) -> None:
    """Preconditions are evaluated after the checks that would have answered 404: PUT, PATCH
    and DELETE of an unknown id with a stale If-Match all answer 404."""
    url = f"{ctx.users_endpoint}/{ctx.unique('absent')}"
    body = ctx.user_payload()
    writes: list[tuple[str, Any]] = [("PUT", body), ("DELETE", None)]
    if ctx.can("patch"):
        writes.insert(1, ("PATCH", patch_body(operation("replace", "displayName", "x"))))
    wrong = []
    for method, payload in writes:
        response = ctx.request(method, url, json=payload, headers={"If-Match": STALE})
        if response.status_code != 404:
            wrong.append(f"{method} with a stale If-Match: {describe(response)}; expected 404")
    ctx.expect(not wrong, "; ".join(wrong))
