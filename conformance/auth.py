"""Credentials a run sends: bearer token, HTTP Basic, custom headers, OAuth 2.0 client credentials.

Each is a ``requests.auth.AuthBase`` (so it also works with plain ``requests``) that says which
headers it adds, which values are secrets (every one is handed to the run's redactor, including
access tokens fetched later) and how it recovers from a 401: OAuth fetches a new token once and
repeats the request.
"""

from __future__ import annotations

import base64
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote_plus

import requests
from requests.auth import AuthBase

from conformance.http import TransportError

CLIENT_AUTH_METHODS = ("basic", "body")  # RFC 6749 §2.3.1: HTTP Basic, or the request body
MAX_EXPIRY_LEEWAY = 30.0  # renew a token this long (at most a tenth of its life) before it expires
_TOKEN_CHARS = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 7230 §3.2.6 token


class AuthConfigError(ValueError):
    """Unusable authentication options; the message names the option, never a secret."""


class AuthError(TransportError):
    """Credentials could not be obtained (the OAuth token endpoint failed or refused)."""


class ScimAuth(AuthBase):
    """Credentials for every authenticated request of a run."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[str], None]] = []

    def headers(self) -> dict[str, str]:
        """The headers carrying the credentials (fetching or renewing a token if needed)."""
        raise NotImplementedError

    def secrets(self) -> list[str]:
        """Every secret value known so far, for the redactor."""
        return []

    def bearer_token(self) -> str | None:
        """The bearer token the requests carry, if any (the auth.* checks forge from it)."""
        return None

    def on_secret(self, callback: Callable[[str], None]) -> None:
        """Call back with each secret learnt later (an access token fetched mid-run)."""
        self._listeners.append(callback)

    def _learnt(self, secret: str) -> None:
        """Tell the listeners about a new secret."""
        for callback in list(self._listeners):
            callback(secret)

    def handle_401(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        """A requests response hook: renew credentials and repeat once, where that can help."""
        return response

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        """Add the credential headers to a request (requests' AuthBase protocol)."""
        request.headers.update(self.headers())
        request.register_hook("response", self.handle_401)
        return request


class BearerToken(ScimAuth):
    """A fixed bearer token (RFC 6750 §2.1)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = header_value(token, "the bearer token")

    def headers(self) -> dict[str, str]:
        """Authorization: Bearer <token>."""
        return {"Authorization": f"Bearer {self.token}"}

    def secrets(self) -> list[str]:
        """The token."""
        return [self.token]

    def bearer_token(self) -> str | None:
        """The token."""
        return self.token


class BasicAuth(ScimAuth):
    """HTTP Basic (RFC 7617), user and password encoded as UTF-8."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__()
        self.username, self.password = username, password
        pair = f"{username}:{password}"
        self._encoded = base64.b64encode(pair.encode("utf-8")).decode("ascii")

    def headers(self) -> dict[str, str]:
        """Authorization: Basic base64(user:password)."""
        return {"Authorization": f"Basic {self._encoded}"}

    def secrets(self) -> list[str]:
        """The password, the user:password pair and its encoding."""
        return [self.password, f"{self.username}:{self.password}", self._encoded]


class HeaderAuth(ScimAuth):
    """Custom headers (an API key, a tenant key...); every value is treated as a secret."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        self.pairs = [(header_name(name), header_value(value, name)) for name, value in pairs]

    def headers(self) -> dict[str, str]:
        """The given headers."""
        return dict(self.pairs)

    def secrets(self) -> list[str]:
        """Every header value."""
        return [value for _, value in self.pairs]

    def bearer_token(self) -> str | None:
        """The token of an 'Authorization: Bearer ...' header, if one was given."""
        for name, value in self.pairs:
            scheme, _, token = value.partition(" ")
            if name.lower() == "authorization" and scheme.lower() == "bearer" and token:
                return token.strip()
        return None


class OAuthClientCredentials(ScimAuth):
    """OAuth 2.0 client credentials grant (RFC 6749 §4.4); tokens renewed before they expire.

    The token is fetched on first use, renewed when its expires_in has (nearly) passed, and
    renewed once more when the server answers 401 to a request that carried the current token.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        client_auth: str = "basic",
        timeout: float = 20.0,
        verify: bool | str = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        if not token_url.startswith(("http://", "https://")):
            raise AuthConfigError("--oauth-token-url must start with http:// or https://")
        if client_auth not in CLIENT_AUTH_METHODS:
            raise AuthConfigError(f"--oauth-client-auth must be one of {CLIENT_AUTH_METHODS}")
        self.token_url, self.client_id, self.client_secret = token_url, client_id, client_secret
        self.scope, self.client_auth = scope, client_auth
        self.timeout, self.verify, self.clock = timeout, verify, clock
        self.issued: list[str] = []
        self._token: str | None = None
        self._renew_at: float | None = None
        self._lock = threading.Lock()

    def headers(self) -> dict[str, str]:
        """Authorization: Bearer <current access token>."""
        return {"Authorization": f"Bearer {self.current_token()}"}

    def secrets(self) -> list[str]:
        """The client secret and every access token issued so far."""
        return [self.client_secret, *self.issued]

    def bearer_token(self) -> str | None:
        """The current access token (fetched if needed)."""
        return self.current_token()

    def current_token(self, renew: str | None = None) -> str:
        """A valid access token; with renew=<token>, a new one unless that one was replaced."""
        with self._lock:
            expired = self._renew_at is not None and self.clock() >= self._renew_at
            if self._token is None or expired or (renew is not None and renew == self._token):
                self._fetch()
            assert self._token is not None
            return self._token

    def handle_401(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        """On 401 to a request carrying one of our tokens, renew it and repeat the request once."""
        if response.status_code != 401 or response.request is None:
            return response
        scheme, _, sent = str(response.request.headers.get("Authorization", "")).partition(" ")
        if scheme.lower() != "bearer" or sent not in self.issued:
            return response  # sent without our credentials on purpose (the auth.* checks)
        token = self.current_token(renew=sent)
        retry = response.request.copy()
        retry.headers["Authorization"] = f"Bearer {token}"
        response.close()
        repeated = response.connection.send(retry, **kwargs)
        repeated.history.append(response)
        repeated.request = retry
        return repeated

    def _fetch(self) -> None:
        """POST the client credentials grant to the token endpoint (caller holds the lock)."""
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        basic: tuple[str, str] | None = None
        if self.client_auth == "basic":  # RFC 6749 §2.3.1: form-encoded, then HTTP Basic
            basic = (quote_plus(self.client_id), quote_plus(self.client_secret))
        else:
            form.update(client_id=self.client_id, client_secret=self.client_secret)
        with requests.Session() as session:
            session.trust_env = False  # an environment proxy must not see the client secret
            try:
                response = session.post(
                    self.token_url,
                    data=form,
                    auth=basic,
                    headers={"Accept": "application/json"},
                    timeout=self.timeout,
                    verify=self.verify,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                raise AuthError(
                    f"OAuth token endpoint {self.token_url}: no answer ({exc.__class__.__name__})"
                ) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        if response.status_code != 200:
            error = body.get("error")
            code = f" ({error})" if isinstance(error, str) and _TOKEN_CHARS.match(error) else ""
            raise AuthError(
                f"OAuth token endpoint {self.token_url} answered {response.status_code}{code}; "
                "check --client-id, the client secret and --scope"
            )
        token, token_type = body.get("access_token"), str(body.get("token_type", ""))
        if not isinstance(token, str) or not token.strip():
            raise AuthError(f"OAuth token endpoint {self.token_url} returned no access_token")
        if token_type.lower() != "bearer":
            raise AuthError(f"OAuth token endpoint returned token_type {token_type!r}, not Bearer")
        self._token = header_value(token.strip(), "the access token")
        self.issued.append(self._token)
        self._renew_at = _renew_at(body.get("expires_in"), self.clock())
        self._learnt(self._token)


class CombinedAuth(ScimAuth):
    """Custom headers together with one Authorization method."""

    def __init__(self, parts: Iterable[ScimAuth]) -> None:
        super().__init__()
        self.parts = list(parts)

    def headers(self) -> dict[str, str]:
        """Every part's headers."""
        merged: dict[str, str] = {}
        for part in self.parts:
            merged.update(part.headers())
        return merged

    def secrets(self) -> list[str]:
        """Every part's secrets."""
        return [secret for part in self.parts for secret in part.secrets()]

    def bearer_token(self) -> str | None:
        """The first part's bearer token."""
        return next((t for t in (p.bearer_token() for p in self.parts) if t), None)

    def on_secret(self, callback: Callable[[str], None]) -> None:
        """Listen to every part."""
        for part in self.parts:
            part.on_secret(callback)

    def handle_401(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        """Let each part try to recover."""
        for part in self.parts:
            response = part.handle_401(response, **kwargs)
        return response


def all_secrets(auth: ScimAuth | None) -> list[str]:
    """Every secret of an auth configuration known so far (for the one redactor)."""
    return [secret for secret in (auth.secrets() if auth else []) if secret]


def header_name(name: str) -> str:
    """A valid header field name."""
    if not _TOKEN_CHARS.match(name):
        raise AuthConfigError(f"header name {name!r} is not a valid HTTP field name")
    return name


def header_value(value: str, what: str) -> str:
    """A value that can travel in a header (no line breaks or NUL), never echoed in errors."""
    if not value or any(ch in value for ch in "\r\n\0"):
        raise AuthConfigError(f"{what}: empty, or has a line break or NUL character")
    return value


def _renew_at(expires_in: Any, now: float) -> float | None:
    """When to renew a token with this expires_in (None: no lifetime given, renew on 401)."""
    try:
        lifetime = float(expires_in)
    except (TypeError, ValueError):
        return None
    if lifetime <= 0:
        return now
    return now + lifetime - min(MAX_EXPIRY_LEEWAY, lifetime / 10)
