"""A deliberately non-conformant SCIM server: scim2-server behind a fault-injecting middleware.

scim2-server (PyPI) is an independent, conformant in-memory SCIM server. ``FaultyMiddleware``
wraps its WSGI app; each active *fault* rewrites the request on its way in and/or the response
on its way out, so one conformance check at a time can be shown to detect a broken server.

Adding a fault = adding one small function to ``FAULTS`` with the ``@fault`` decorator::

    @fault("drop-location")
    def _drop_location(req: Req, call: Call) -> Resp:
        '''Creation answers without a Location header.'''
        resp = call(req)                 # pass the (possibly rewritten) request on
        resp.headers.pop("Location", None)
        return resp                       # or build and return a Resp without calling

``req`` and ``resp`` are mutable (method, path below /v2, query dict, headers dict, body bytes;
``.json()``/``.set_json()`` helpers). Several faults chain in name order. A test then does
``base_url = faulty_server({"drop-location"})`` (fixture in conftest.py) and runs a check.
"""

from __future__ import annotations

import io
import json
import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from stub_server.serving import serve_in_thread

TOKEN = "faulty-target-token"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


@dataclass
class Req:
    """A request as the middleware sees it (path is relative to /v2)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        """The body decoded as JSON (None if it is not JSON)."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def set_json(self, value: Any) -> None:
        """Replace the body with JSON."""
        self.body = json.dumps(value).encode()

    def header(self, name: str) -> str | None:
        """A header value by case-insensitive name."""
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class Resp:
    """A response the middleware returns (headers keep the inner app's names)."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        """The body decoded as JSON (None if it is not JSON)."""
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None

    def set_json(self, value: Any) -> None:
        """Replace the body with JSON."""
        self.body = json.dumps(value).encode()

    def drop_header(self, name: str) -> None:
        """Remove a header by case-insensitive name."""
        for key in [k for k in self.headers if k.lower() == name.lower()]:
            del self.headers[key]


Call = Callable[[Req], Resp]
Fault = Callable[[Req, Call], Resp]
FAULTS: dict[str, Fault] = {}


def fault(name: str) -> Callable[[Fault], Fault]:
    """Register a fault under ``name`` (names are unique)."""

    def register(func: Fault) -> Fault:
        if name in FAULTS:
            raise ValueError(f"duplicate fault {name!r}")
        FAULTS[name] = func
        return func

    return register


def scim_error(status: int, detail: str, scim_type: str | None = None) -> Resp:
    """A well-formed SCIM error response."""
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    resp = Resp(status, {"Content-Type": "application/scim+json"})
    resp.set_json(body)
    return resp


def is_collection(req: Req, name: str) -> bool:
    """True for /Users (name='Users') without an id."""
    return req.path.rstrip("/") == f"/{name}"


def is_resource(req: Req, name: str) -> bool:
    """True for /Users/{id}."""
    parts = [p for p in req.path.split("/") if p]
    return len(parts) == 2 and parts[0] == name and parts[1] != ".search"


# -- the middleware ---------------------------------------------------------------------
class FaultyMiddleware:
    """WSGI middleware applying the active faults around an inner SCIM app."""

    def __init__(self, app: Callable[..., Iterable[bytes]], prefix: str = "/v2") -> None:
        self.app = app
        self.prefix = prefix
        self.active: tuple[str, ...] = ()
        self.log: list[tuple[str, str]] = []  # (method, path) of every request received

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        req = self._read(environ)
        self.log.append((req.method, req.path))
        chain: Call = lambda r: self._call_inner(environ, r)  # noqa: E731
        for name in reversed(self.active):
            chain = _bind(FAULTS[name], chain)
        resp = chain(req)
        resp.headers["Content-Length"] = str(len(resp.body))
        phrase = "OK" if resp.status < 400 else "Error"
        start_response(f"{resp.status} {phrase}", list(resp.headers.items()))
        return [resp.body]

    def _read(self, environ: dict[str, Any]) -> Req:
        """Turn a WSGI environ into a Req."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix):
            path = path[len(self.prefix) :] or "/"
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        return Req(environ["REQUEST_METHOD"], path, query, headers, body)

    def _call_inner(self, original: dict[str, Any], req: Req) -> Resp:
        """Call the wrapped app with a (possibly rewritten) request."""
        environ = {k: v for k, v in original.items() if not k.startswith("HTTP_")}
        environ.pop("CONTENT_TYPE", None)
        for name, value in req.headers.items():
            if name.lower() == "content-type":
                environ["CONTENT_TYPE"] = value
            elif name.lower() != "content-length":
                environ["HTTP_" + name.upper().replace("-", "_")] = value
        environ.update(
            REQUEST_METHOD=req.method,
            PATH_INFO=self.prefix + req.path,
            QUERY_STRING=urlencode(req.query),
            CONTENT_LENGTH=str(len(req.body)),
        )
        environ["wsgi.input"] = io.BytesIO(req.body)
        captured: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(headers)
            return lambda data: None

        chunks = self.app(environ, start_response)
        try:
            body = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()
        headers = {k: v for k, v in captured["headers"].items() if k.lower() != "content-length"}
        return Resp(captured["status"], headers, body)


def _bind(func: Fault, inner: Call) -> Call:
    """Close over one fault and the rest of the chain."""
    return lambda req: func(req, inner)


# -- scim2-server --------------------------------------------------------------------------
def scim2_server_app(
    token: str | None = TOKEN, adjust: Callable[[dict, dict], None] | None = None
) -> Callable[..., Iterable[bytes]]:
    """scim2-server's WSGI app with RFC 7643 schemas, every feature on and a bearer token.

    ``adjust(schemas, resource_types)`` may change the loaded definitions (by URN / name)
    first: scim2-server then serves and enforces the variant (e.g. an extra required one).
    """
    from scim2_models import ScimProvider
    from scim2_server.memory import InMemoryStorage
    from scim2_server.service import ScimService
    from scim2_server.testserver.application import BEARER_TOKEN_SCHEME, BearerTokenApplication
    from scim2_server.utils import (
        load_default_resource_types,
        load_default_schemas,
        load_default_service_provider_config,
    )

    config = load_default_service_provider_config()
    if token:
        config.authentication_schemes = [
            *(config.authentication_schemes or []),
            BEARER_TOKEN_SCHEME,
        ]
    schemas, resource_types = load_default_schemas(), load_default_resource_types()
    if adjust is not None:
        adjust(schemas, resource_types)
    provider = ScimProvider.from_discovery(schemas.values(), resource_types.values(), config=config)
    service = ScimService(provider, secret=secrets.token_urlsafe(16))
    return BearerTokenApplication(
        InMemoryStorage(), provider, service=service, bearer_tokens=[token] if token else []
    )


@dataclass
class ServedApp:
    """A WSGI app served on a free 127.0.0.1 port."""

    base_url: str
    token: str | None
    middleware: FaultyMiddleware | None = None


@contextmanager
def serve(app: Callable[..., Iterable[bytes]], path: str = "/v2") -> Iterator[str]:
    """Serve a WSGI app in a thread; yield its base URL (host:port + path)."""
    with serve_in_thread(app) as server:
        yield f"http://127.0.0.1:{server.port}{path}"


@contextmanager
def faulty_scim2_server(token: str | None = TOKEN) -> Iterator[ServedApp]:
    """scim2-server wrapped in a FaultyMiddleware (no fault active), served on a free port."""
    middleware = FaultyMiddleware(scim2_server_app(token))
    with serve(middleware) as base_url:
        yield ServedApp(base_url, token, middleware)


# == the faults ==========================================================================
# Keep each fault small and named for the misbehaviour it introduces.


def resource_kind(req: Req) -> str | None:
    """'Users' or 'Groups' when the request addresses that endpoint or one of its resources."""
    parts = [p for p in req.path.split("/") if p]
    return parts[0] if parts and parts[0] in ("Users", "Groups") else None


def map_resources(resp: Resp, change: Callable[[dict[str, Any]], None]) -> Resp:
    """Apply ``change`` to the resource in a body, or to each resource of a ListResponse."""
    body = resp.json()
    if isinstance(body, dict):
        for resource in body.get("Resources") or [body]:
            if isinstance(resource, dict):
                change(resource)
        resp.set_json(body)
    return resp


def with_auth(req: Req, method: str, path: str, body: Any = None) -> Req:
    """A side request carrying the original request's credentials."""
    side = Req(
        method,
        path,
        {},
        {k: v for k, v in req.headers.items() if k.lower() in ("authorization", "accept")},
    )
    if body is not None:
        side.set_json(body)
        side.headers["Content-Type"] = "application/scim+json"
    return side


def bulk_body(req: Req) -> dict[str, Any] | None:
    """The body of a POST /Bulk, None for any other request."""
    body = req.json()
    if req.method == "POST" and req.path.rstrip("/") == "/Bulk" and isinstance(body, dict):
        return body
    return None
