"""The identity provider's side: a SCIM base URL with its bearer token, SCIM calls made with it
the way Entra ID, Okta and OneLogin make them, and what the steps keep of the people and
groups it creates. Shared by the step modules (which never import each other).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from conformance import urns
from conformance.jsonschemas import validate

SCIM_JSON = "application/scim+json"
TIMEOUT = 10


@dataclass(frozen=True)
class ProvisionedUser:
    """A person the identity provider created for this scenario.

    ``called`` is how the feature names them ("Jane Doe"); ``full_name`` and ``user_name``
    carry a suffix so that the scenario finds only its own person on any deployment (a seeded
    person provisioned by their own e-mail keeps theirs).
    """

    id: str
    called: str
    full_name: str
    user_name: str

    def check_named(self, name: str) -> None:
        """Fail when a step names someone other than the person provisioned."""
        if name != self.called:
            raise AssertionError(f"the step names {name}, but {self.called} was provisioned")


@dataclass(frozen=True)
class PushedGroup:
    """A group the identity provider pushed: as the feature calls it, and its unique name."""

    id: str
    called: str
    name: str


def user_resource(user_name: str, given_name: str, family_name: str, email: str) -> dict:
    """A SCIM User as identity providers POST it: names, one work e-mail, active."""
    return {
        "schemas": [urns.USER],
        "userName": user_name,
        "name": {"givenName": given_name, "familyName": family_name},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }


def scim_body(
    response: requests.Response, status: int, what: str, schema: str | None = None
) -> Any:
    """The SCIM body of a response that must have this status ({} when it has none), checked
    against the conformance checker's JSON Schema of that name (RFC 7643/7644) when given."""
    assert response.status_code == status, (
        f"{what}: expected {status}, got {response.status_code} {response.text[:300]}"
    )
    if not response.content:
        return {}
    assert response.headers["Content-Type"].startswith(SCIM_JSON), response.headers
    body = response.json()
    if schema is not None:
        problems = validate(schema, body)
        assert not problems, f"{what}: the {schema} breaks RFC 7643/7644: {problems}"
    return body


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
