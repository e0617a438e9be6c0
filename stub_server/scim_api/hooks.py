"""What runs around every SCIM request: no cookie sessions, bearer-token authentication and
the organization's rate limit before it, rate headers after it, and SCIM error bodies for
every failure (RFC 7644 §3.12), routing errors and unexpected ones included."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask.sessions import SessionInterface
from werkzeug.exceptions import HTTPException

from stub_server.domain.resources import Ctx
from stub_server.scim.errors import ScimError, scim_error_response
from stub_server.scim_api.auth import authenticate
from stub_server.scim_api.http import origin
from stub_server.scim_api.ratelimit import RateLimiter
from stub_server.storage import get_storage

RATE_LIMITER_KEY = "scimproof.scim_ratelimiter"
log = logging.getLogger(__name__)


class NoSessions(SessionInterface):
    """SCIM is stateless: skip the signed-cookie session work on every request."""

    def open_session(self, app: Flask, request: Any) -> Any:
        """Return the null session."""
        return self.make_null_session(app)

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        """Store nothing."""


def authorize() -> None:
    """Authenticate the bearer token and apply the organization's rate limit."""
    if request.url_rule is None:  # 404/405: the routing error answers
        return
    org_uid = (request.view_args or {}).get("org_uid", "")
    storage = get_storage()
    org, token = authenticate(storage, org_uid)
    rate = org["scim_rate_limit"] or int(current_app.config.get("SCIM_RATE_LIMIT") or 0)
    if rate > 0:
        limiter: RateLimiter = current_app.extensions[RATE_LIMITER_KEY]
        decision = limiter.take(org_uid, rate)
        g.scim_rate_headers = decision.headers()
        if not decision.allowed:
            raise ScimError(
                429,
                f"More than {rate} SCIM requests per second for this "
                f"organization; retry after {decision.retry_after} s.",
                headers=decision.headers(),
            )
    g.scim_ctx = Ctx(
        storage,
        org_uid,
        f"{origin()}/scim/v2.0/organizations/{org_uid}",
        request.remote_addr or "",
        f"SCIM client (token ...{token[-4:]})",
    )


def add_rate_headers(resp: Response) -> Response:
    """Add the X-RateLimit headers when limiting is on."""
    for name, value in getattr(g, "scim_rate_headers", {}).items():
        resp.headers.setdefault(name, value)
    return resp


def scim_error(exc: ScimError) -> Response:
    """Render a ScimError."""
    return exc.response()


def http_error(exc: HTTPException) -> Response:
    """Render routing and protocol errors (404, 405, 413 ...) as SCIM errors."""
    code = exc.code or 500
    detail = {
        404: f"No SCIM endpoint at {request.path}; resources live under "
        "/scim/v2.0/organizations/{org_uid}/ (Users, Groups, Bulk, Schemas, "
        "ResourceTypes, ServiceProviderConfig).",
        405: f"{request.method} is not allowed on {request.path}.",
        413: f"The request body exceeds {current_app.config.get('MAX_CONTENT_LENGTH')} bytes.",
    }.get(code, exc.description or exc.name)
    resp = scim_error_response(code, detail)
    if code == 405 and getattr(exc, "valid_methods", None):
        resp.headers["Allow"] = ", ".join(exc.valid_methods)
    return resp


def unexpected(exc: Exception) -> Response:
    """Never expected: log it and answer a SCIM 500 without internals."""
    log.exception("unexpected error in the SCIM service")
    return scim_error_response(500, "Internal error in the SCIM service.")


def install_hooks(app: Flask) -> None:
    """Install the session interface, request hooks, rate limiter and error handlers."""
    app.session_interface = NoSessions()
    app.extensions[RATE_LIMITER_KEY] = RateLimiter()
    app.before_request(authorize)
    app.after_request(add_rate_headers)
    app.register_error_handler(ScimError, scim_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
