"""The /Me alias (RFC 7644 §3.11): where it is offered, its Location is the subject's own.

/Me is optional: a server that does not offer it SHOULD answer 501. A token that names no
User (an organisation's token) may well have no /Me; only a 200 is judged for Location.
"""

from __future__ import annotations

from urllib.parse import urljoin

from conformance.context import CheckContext, body_of, describe
from conformance.registry import check

ME_RFC = "RFC 7644 §3.11"


@check(
    "me.location",
    title="GET /Me gives the permanent location of the subject's User in Location",
    rfc=ME_RFC,
    level="MUST",
    tags=("read", "users"),
)
def location(ctx: CheckContext) -> None:
    """When /Me answers 200, its Location header is the subject's own URI (ending in its id,
    not /Me), and GET there shows the same resource."""
    response = ctx.get("/Me")
    shown = body_of(response)
    if response.status_code != 200 or not isinstance(shown, dict):
        ctx.skip(f"/Me is not offered to this subject: {describe(response)}")
    header = response.headers.get("Location")
    ctx.expect(bool(header), "GET /Me answered 200 without a Location header")
    resolved = urljoin(ctx.base_url + "/", str(header))
    subject = str(shown.get("id") or "")
    ctx.expect(
        bool(subject) and resolved.rstrip("/").endswith(f"/{subject}"),
        f"Location {header!r} is not the permanent location of {subject or 'the subject'!r}",
    )
    if resolved.startswith(ctx.base_url + "/"):
        target = ctx.get(resolved)
        ctx.expect(
            target.status_code == 200 and (body_of(target) or {}).get("id") == subject,
            f"GET {header} (the Location of /Me): {describe(target)}",
        )


@check(
    "me.unsupported-501",
    title="A server without /Me answers 501 Not Implemented",
    rfc=ME_RFC,
    level="SHOULD",
    tags=("read",),
)
def unsupported_501(ctx: CheckContext) -> None:
    """GET /Me answers 200 (offered) or 501; 404 or another error says less than it should."""
    response = ctx.get("/Me")
    ctx.expect(
        response.status_code in (200, 501),
        f"GET /Me: {describe(response)}; a server not offering /Me should answer 501",
    )
