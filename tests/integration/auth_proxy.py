"""A small authenticating reverse proxy in front of the stub, for the authentication tests.

It accepts one method (HTTP Basic, a custom header, or OAuth 2.0 client-credentials tokens that
it issues itself at /oauth/token) and forwards accepted requests to the stub's SCIM service with
the stub's bearer token, rewriting the stub's URLs into its own.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

import requests
from werkzeug.wrappers import Request, Response

from stub_server.serving import serve_in_thread

SCIM_PREFIX = "/scim"
TOKEN_PATH = "/oauth/token"
FORWARDED_HEADERS = ("Accept", "Content-Type", "If-Match", "If-None-Match")
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


@dataclass
class ProxyCredentials:
    """What the proxy accepts; every value is random per test session."""

    user: str = field(default_factory=lambda: f"ops-{secrets.token_hex(4)}")
    password: str = field(default_factory=lambda: f"pw{secrets.token_hex(12)}")
    header_name: str = "X-Api-Key"
    header_value: str = field(default_factory=lambda: f"key{secrets.token_hex(12)}")
    client_id: str = field(default_factory=lambda: f"client-{secrets.token_hex(4)}")
    client_secret: str = field(default_factory=lambda: f"cs{secrets.token_hex(12)}")


class AuthProxy:
    """WSGI app: authenticate with `mode` ('basic', 'header' or 'oauth'), forward to upstream."""

    def __init__(
        self,
        upstream: str,
        upstream_token: str,
        mode: str,
        credentials: ProxyCredentials,
        expires_in: float = 3600,
    ) -> None:
        self.upstream, self.upstream_token = upstream.rstrip("/"), upstream_token
        self.mode, self.credentials, self.expires_in = mode, credentials, expires_in
        self.base_url = ""  # set once the proxy listens
        self.access_tokens: dict[str, float] = {}  # token -> monotonic expiry
        self.issued: list[str] = []
        self.refused = 0
        self._lock = threading.Lock()
        self._local = threading.local()

    @property
    def token_url(self) -> str:
        """The OAuth token endpoint."""
        return self.base_url.removesuffix(SCIM_PREFIX) + TOKEN_PATH

    def revoke_all(self) -> None:
        """Forget every access token (the next request with one gets 401)."""
        with self._lock:
            self.access_tokens.clear()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """Serve the token endpoint, refuse unauthenticated requests, forward the rest."""
        request = Request(environ)
        if request.path == TOKEN_PATH and self.mode == "oauth":
            response = self._token(request)
        elif not request.path.startswith(SCIM_PREFIX):
            response = Response(status=404)
        elif not self._authorized(request):
            with self._lock:
                self.refused += 1
            response = self._unauthorized()
        else:
            response = self._forward(request)
        return response(environ, start_response)

    def _authorized(self, request: Request) -> bool:
        """Whether the request carries the credentials of this proxy's mode."""
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if self.mode == "header":
            return (
                request.headers.get(self.credentials.header_name) == self.credentials.header_value
            )
        if self.mode == "basic":
            expected = f"{self.credentials.user}:{self.credentials.password}".encode()
            return scheme.lower() == "basic" and _b64decode(value) == expected
        with self._lock:
            expiry = self.access_tokens.get(value.strip())
        return scheme.lower() == "bearer" and expiry is not None and time.monotonic() < expiry

    def _unauthorized(self) -> Response:
        """401 with a challenge and a SCIM error body."""
        challenge = {
            "basic": 'Basic realm="scimproof-proxy"',
            "header": f'ApiKey realm="scimproof-proxy", header="{self.credentials.header_name}"',
            "oauth": 'Bearer realm="scimproof-proxy", error="invalid_token"',
        }[self.mode]
        body = {"schemas": [ERROR_SCHEMA], "status": "401", "detail": "Authentication required"}
        return Response(
            json.dumps(body),
            status=401,
            content_type="application/scim+json",
            headers={"WWW-Authenticate": challenge},
        )

    def _token(self, request: Request) -> Response:
        """The client credentials grant (RFC 6749 §4.4), client authenticated by Basic or form."""
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "basic":
            client_id, _, client_secret = _b64decode(value).decode("utf-8").partition(":")
            client_id, client_secret = unquote_plus(client_id), unquote_plus(client_secret)
        else:
            client_id = request.form.get("client_id", "")
            client_secret = request.form.get("client_secret", "")
        if request.method != "POST" or request.form.get("grant_type") != "client_credentials":
            return _json({"error": "unsupported_grant_type"}, 400)
        if (client_id, client_secret) != (
            self.credentials.client_id,
            self.credentials.client_secret,
        ):
            return _json({"error": "invalid_client"}, 401)
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.access_tokens[token] = time.monotonic() + self.expires_in
            self.issued.append(token)
        body = {"access_token": token, "token_type": "Bearer", "expires_in": self.expires_in}
        return _json(body, 200)

    def _forward(self, request: Request) -> Response:
        """Send the request on to the stub with its token; rewrite its URLs into ours."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.trust_env = False
        headers = {
            name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers
        }
        headers["Authorization"] = f"Bearer {self.upstream_token}"
        path = request.full_path if request.query_string else request.path
        upstream = session.request(
            request.method,
            self.upstream + path[len(SCIM_PREFIX) :],
            headers=headers,
            data=request.get_data(),
            allow_redirects=False,
            timeout=30,
        )
        ours = self.base_url.encode()
        body = upstream.content.replace(self.upstream.encode(), ours)
        response = Response(body, status=upstream.status_code)
        for name, value in upstream.headers.items():
            if name.lower() not in HOP_BY_HOP:
                response.headers[name] = value.replace(self.upstream, self.base_url)
        return response


def _b64decode(value: str) -> bytes:
    """Base64 text to bytes, b'' when it is not base64."""
    try:
        return base64.b64decode(value.strip(), validate=True)
    except ValueError:
        return b""


def _json(body: dict[str, Any], status: int) -> Response:
    """A JSON response that is never cached (RFC 6749 §5.1)."""
    return Response(
        json.dumps(body),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


@contextmanager
def serve_proxy(proxy: AuthProxy) -> Iterator[AuthProxy]:
    """Serve the proxy on a free loopback port; its SCIM base URL is proxy.base_url."""
    with serve_in_thread(proxy) as server:
        proxy.base_url = f"http://127.0.0.1:{server.server_port}{SCIM_PREFIX}"
        yield proxy
