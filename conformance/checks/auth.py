"""Authentication (RFC 7644 §2, §3.12; RFC 6750 §3; RFC 7235): requests without valid
credentials are refused with 401."""

from __future__ import annotations

import secrets

import requests

from conformance import urns
from conformance.context import CheckContext, describe
from conformance.registry import check


def _needs_token(ctx: CheckContext) -> str:
    """The run's token; skip when the run was started without one."""
    token = ctx.run.client.token
    if not token:
        ctx.skip("no token given: the target is checked without authentication")
    return token


def forged(real: str) -> str:
    """A random credential sharing no 4-character run with the real one (nothing to leak)."""
    candidate = secrets.token_urlsafe(32)
    for _ in range(100):  # a shared 4-character run is rare; 100 draws make it vanishing
        if not any(candidate[i : i + 4] in real for i in range(len(candidate) - 3)):
            break
        candidate = secrets.token_urlsafe(32)
    return candidate


def _unauthorized(ctx: CheckContext, headers: dict[str, str] | None) -> requests.Response:
    """GET the Users endpoint with these credentials (and not the run's token)."""
    return ctx.get(ctx.users_endpoint, params={"count": 1}, headers=headers, auth=False)


@check(
    "auth.missing-token",
    title="A request without credentials answers 401",
    rfc="RFC 7644 §3.12; RFC 6750 §3.1",
    level="MUST",
    tags={"security"},
)
def missing_token(ctx: CheckContext) -> None:
    """An absent Authorization header is an authorization failure: 401 Unauthorized."""
    _needs_token(ctx)
    ctx.expect_status(_unauthorized(ctx, None), 401)


@check(
    "auth.wrong-token",
    title="A request with an unknown bearer token answers 401",
    rfc="RFC 7644 §3.12; RFC 6750 §3.1",
    level="MUST",
    tags={"security"},
)
def wrong_token(ctx: CheckContext) -> None:
    """An invalid token is refused with 401 (invalid_token)."""
    token = _needs_token(ctx)
    ctx.expect_status(_unauthorized(ctx, {"Authorization": f"Bearer {forged(token)}"}), 401)


@check(
    "auth.wrong-scheme",
    title="The valid token under another scheme than Bearer answers 401",
    rfc="RFC 6750 §2.1; RFC 7644 §3.12",
    level="MUST",
    tags={"security"},
)
def wrong_scheme(ctx: CheckContext) -> None:
    """A bearer token is only accepted in 'Authorization: Bearer'; 'Basic <token>' is refused."""
    token = _needs_token(ctx)
    ctx.expect_status(_unauthorized(ctx, {"Authorization": f"Basic {token}"}), 401)


@check(
    "auth.scheme-case-insensitive",
    title="The scheme name 'bearer' is accepted in any case",
    rfc="RFC 7235 §2.1; RFC 6750 §2.1",
    level="SHOULD",
    tags={"security"},
)
def scheme_case_insensitive(ctx: CheckContext) -> None:
    """Authentication scheme names are case-insensitive tokens, so 'bearer' works too."""
    token = _needs_token(ctx)
    response = _unauthorized(ctx, {"Authorization": f"bearer {token}"})
    ctx.expect_status(response, 200)


@check(
    "auth.www-authenticate",
    title="A 401 carries a WWW-Authenticate challenge",
    rfc="RFC 7235 §3.1; RFC 6750 §3",
    level="MUST",
    tags={"security"},
)
def www_authenticate(ctx: CheckContext) -> None:
    """The server generating a 401 MUST send a WWW-Authenticate header field."""
    _needs_token(ctx)
    response = _unauthorized(ctx, None)
    if response.status_code != 401:
        ctx.error(f"no 401 to inspect: {describe(response)}")
    ctx.expect(
        bool(response.headers.get("WWW-Authenticate")),
        "the 401 response has no WWW-Authenticate header",
    )


@check(
    "auth.error-body",
    title="A 401 carries a SCIM error body",
    rfc="RFC 7644 §3.12",
    level="MUST",
    tags={"security", "errors"},
)
def error_body(ctx: CheckContext) -> None:
    """HTTP errors are returned in the SCIM Error form, with status '401'."""
    _needs_token(ctx)
    response = _unauthorized(ctx, {"Authorization": "Bearer invalid-scimproof-token"})
    if response.status_code != 401:
        ctx.error(f"no 401 to inspect: {describe(response)}")
    body = ctx.json(response)
    ctx.expect(urns.ERROR in (body.get("schemas") or []), f"schemas is {body.get('schemas')!r}")
    ctx.expect(body.get("status") == "401", f"status is {body.get('status')!r}, not '401'")


@check(
    "auth.write-refused",
    title="A creation without credentials answers 401 and creates nothing",
    rfc="RFC 7644 §3.12",
    level="MUST",
    tags={"security", "create"},
    mutating=True,
)
def write_refused(ctx: CheckContext) -> None:
    """Writes are authorized like reads: POST without a token is refused."""
    _needs_token(ctx)
    payload = ctx.user_payload()
    response = ctx.post(ctx.users_endpoint, json=payload, auth=False)
    ctx.expect_status(response, 401)
