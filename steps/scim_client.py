"""The identity provider's side: a SCIM base URL with its bearer token, and SCIM calls made
with it the way Entra ID, Okta and OneLogin make them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
TIMEOUT = 10


@dataclass(frozen=True)
class IssuedToken:
    """A token as the person copied it, with the SCIM base URL shown next to it."""

    secret: str
    scim_base_url: str


@dataclass(frozen=True)
class IdentityProvider:
    """An identity provider holding the SCIM base URL and bearer token of one organization."""

    token: IssuedToken

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send a SCIM request with the bearer token, as an identity provider does."""
        return requests.request(
            method,
            self.token.scim_base_url.rstrip("/") + path,
            headers={
                "Authorization": f"Bearer {self.token.secret}",
                "Accept": SCIM_JSON,
                "Content-Type": SCIM_JSON,
            },
            timeout=TIMEOUT,
            **kwargs,
        )

    def test_connection(self) -> requests.Response:
        """GET /Users?startIndex=1&count=1, the way Okta tests a connection."""
        return self.call("GET", "/Users", params={"startIndex": 1, "count": 1})

    @property
    def client_label(self) -> str:
        """How the audit log names this identity provider (by its token's last four)."""
        return f"SCIM client (token ...{self.token.secret[-4:]})"
