"""The SCIM 2.0 service (RFC 7643/7644) under /scim/v2.0/organizations/{org_uid}/.

``register_scim`` builds a small Flask app for the SCIM endpoints that shares the stub's
config and storage, and routes every request whose path starts with ``/scim/`` to it at the
WSGI level (see ``routes``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from stub_server.scim.errors import SCIM_PATH_PREFIX
from stub_server.scim_api.ratelimit import RateLimiter
from stub_server.scim_api.routes import register_routes
from stub_server.storage import init_app, storage_of

SCIM_APP_KEY = "scimproof.scim_app"


class _ScimDispatch:
    """WSGI middleware: ``/scim/...`` goes to the SCIM app, everything else to the UI app."""

    def __init__(self, other: Callable[..., Iterable[bytes]], scim_app: Flask) -> None:
        self.other = other
        self.scim_app = scim_app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(SCIM_PATH_PREFIX) or path == SCIM_PATH_PREFIX.rstrip("/"):
            return self.scim_app.wsgi_app(environ, start_response)
        return self.other(environ, start_response)


def register_scim(app: Flask) -> None:
    """Mount the SCIM service on the app."""
    storage = storage_of(app)
    scim_app = Flask(__name__)
    scim_app.config = app.config  # one config: SCIM_RATE_LIMIT etc. set on the stub apply
    init_app(scim_app, storage)
    scim_app.extensions["scimproof.scim_ratelimiter"] = RateLimiter()
    register_routes(scim_app)
    app.extensions[SCIM_APP_KEY] = scim_app
    app.wsgi_app = _ScimDispatch(app.wsgi_app, scim_app)  # type: ignore[method-assign]
