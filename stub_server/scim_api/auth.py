"""Bearer-token authentication for the SCIM service.

One answer for every failure (no token, malformed header, unknown, revoked or another
organization's token, unknown organization): 401 with ``WWW-Authenticate: Bearer``, so
nothing about other tenants can be probed. A valid token of an organization whose SCIM is
off (or whose plan lacks SCIM) gets 403; disabling SCIM revokes tokens, so this is rare.
"""

from __future__ import annotations

import sqlite3

from flask import request

from stub_server.scim.errors import ScimError
from stub_server.storage import Storage

UNAUTHORIZED = (
    "Missing or invalid bearer token for this organization: send "
    "'Authorization: Bearer <token>' with a token generated in Organization "
    "Settings > SCIM 2.0 (or with 'scim-stub token')."
)


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer`` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def authenticate(storage: Storage, org_uid: str) -> tuple[sqlite3.Row, str]:
    """Return (organization row, token) for a request, or raise 401/403."""
    token = bearer_token()
    if token is None:
        raise ScimError(401, UNAUTHORIZED)
    row = storage.token_organization(token)
    if row is None or row["uid"] != org_uid:
        raise ScimError(401, UNAUTHORIZED)
    if not row["scim_enabled"] or not row["plan_includes_scim"]:
        raise ScimError(
            403,
            "SCIM is not enabled for this organization; an Owner or Admin "
            "can enable it in Organization Settings > SCIM 2.0.",
        )
    return row, token
