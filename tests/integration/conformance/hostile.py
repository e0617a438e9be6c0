"""A hostile SCIM server on 127.0.0.1: scim2-server behind a middleware that misbehaves on purpose.

The conformance checker is pointed at servers nobody here controls. ``HostileServer`` serves an
in-memory scim2-server (PyPI) under ``/scim/v2`` and, per *mode*, lies, stalls, floods or attacks:

=================  ==========================================================================
mode               what the server does
=================  ==========================================================================
echo-token         echoes the Authorization value (raw, URL-encoded, base64, inside a word)
                   in every error detail and in WWW-Authenticate
lie-ids            answers each creation (and Bulk) with the id of the victim, an existing
                   resource the run did not create
traversal-ids      answers each creation with the id ``../../../../../admin/danger``
slow-drip          drips filtered list answers one byte every 0.2 s
endless-paging     claims totalResults=10^12 and never runs out of pages
huge-body          answers single-resource reads with an endless (chunked) body
html               answers filtered lists with an HTML page (also the run's final walk)
invalid-json       answers filtered lists with truncated JSON
bare-list          answers filtered lists with ``[]``
deep-json          answers filtered lists with JSON nested 10,000 deep
connection-reset   resets the connection of filtered list requests
redirect           redirects filtered list requests to another origin
=================  ==========================================================================

Modes outside the matrix, for start-failure and signal tests: ``html-everywhere``,
``redirect-everywhere``, ``json-everywhere`` (JSON that is not SCIM) and ``slow-delete``
(DELETE answers drip for minutes), ``slow-create`` (the first User is created, but the answer to
its POST drips until the run gives up on it), ``sweep-bait`` (filtered lists offer resources
named like a run's leftovers whose ids are the victim's or a traversal).

Every request is logged (method, raw path, query, credential) so tests can assert that nothing
left the base path and that the victim was never written to. The victim User and Group exist
before the run, with names that do not carry any run prefix.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

from steps.loopback import served_on_loopback

BASE_PATH = "/scim/v2"
INNER_PREFIX = "/v2"  # where scim2-server's test application routes
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
TRAVERSAL_ID = "../../../../../admin/danger"
DRIP_INTERVAL = 0.2  # the hostile server's own pace, not a test timing
MODES = (
    "echo-token",
    "lie-ids",
    "traversal-ids",
    "slow-drip",
    "endless-paging",
    "huge-body",
    "html",
    "invalid-json",
    "bare-list",
    "deep-json",
    "connection-reset",
    "redirect",
)

EXTRA_MODES = (
    "none",
    "html-everywhere",
    "redirect-everywhere",
    "json-everywhere",
    "slow-delete",
    "slow-create",
    "sweep-bait",
)
Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Seen:
    """One request as the hostile server received it."""

    method: str
    path: str  # raw, as sent (percent-encoding kept)
    query: str
    authorization: str


@dataclass
class Log:
    """Requests received, in order (thread-safe)."""

    entries: list[Seen] = field(default_factory=list)
    lock: threading.Condition = field(default_factory=threading.Condition)

    def add(self, seen: Seen) -> None:
        """Record one request."""
        with self.lock:
            self.entries.append(seen)
            self.lock.notify_all()

    def wait_for(self, wanted: Callable[[Seen], bool], after: int = 0, timeout: float = 60) -> int:
        """Block until a request matching ``wanted`` arrives past index ``after``; its index."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                for index in range(after, len(self.entries)):
                    if wanted(self.entries[index]):
                        return index
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the awaited request never came")
                self.lock.wait(left)

    def all(self) -> list[Seen]:
        """A copy of everything received so far."""
        with self.lock:
            return list(self.entries)


def scim2_server(token: str) -> WsgiApp:
    """scim2-server's in-memory WSGI app with every feature on and a bearer token."""
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
    config.authentication_schemes = [*(config.authentication_schemes or []), BEARER_TOKEN_SCHEME]
    provider = ScimProvider.from_discovery(
        load_default_schemas().values(), load_default_resource_types().values(), config=config
    )
    service = ScimService(provider, secret=secrets.token_urlsafe(16))
    return BearerTokenApplication(
        InMemoryStorage(), provider, service=service, bearer_tokens=[token]
    )


def _call(app: WsgiApp, environ: Environ) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run a WSGI app to completion; (status, headers, body)."""
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured["status"], captured["headers"] = int(status.split()[0]), list(headers)

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return captured["status"], captured["headers"], body


def _respond(
    start_response: StartResponse,
    status: int,
    body: bytes | Iterable[bytes],
    content_type: str = "application/scim+json",
    extra: list[tuple[str, str]] | None = None,
) -> Iterable[bytes]:
    """Start a response; a bytes body gets a Content-Length, an iterable is streamed."""
    headers = [("Content-Type", content_type), *(extra or [])]
    if isinstance(body, bytes):
        headers.append(("Content-Length", str(len(body))))
        body = [body]
    start_response(f"{status} HOSTILE", headers)
    return body


class HostileApp:
    """The WSGI middleware: logs every request, passes it to scim2-server, then misbehaves."""

    def __init__(self, token: str, mode: str, other_origin: str = "") -> None:
        assert mode in MODES or mode in EXTRA_MODES
        self.inner = scim2_server(token)
        self.token = token
        self.mode = mode
        self.other_origin = other_origin
        self.log = Log()
        self.victims: dict[str, str] = {}  # endpoint -> id of a resource the run did not create
        self.dripped_creations = itertools.count()  # slow-create: only the first one drips

    # -- the inner, honest server ------------------------------------------------------
    def inner_call(
        self, method: str, path: str, body: Any = None, query: str = ""
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Send a request straight to scim2-server (with the token), bypassing the modes."""
        raw = json.dumps(body).encode() if body is not None else b""
        environ = _environ(method, INNER_PREFIX + path, query, raw, f"Bearer {self.token}")
        return _call(self.inner, environ)

    def seed_victims(self) -> None:
        """Create a User and a Group that belong to the server, not to any run."""
        _, _, user = self.inner_call("POST", "/Users", {"schemas": [USER], "userName": "victim"})
        user_id = json.loads(user)["id"]
        group = {"schemas": [GROUP], "displayName": "Victims", "members": [{"value": user_id}]}
        _, _, created = self.inner_call("POST", "/Groups", group)
        self.victims = {"/Users": user_id, "/Groups": json.loads(created)["id"]}

    def victims_intact(self) -> bool:
        """True if both victims still exist, unchanged in name."""
        user_status, _, user = self.inner_call("GET", f"/Users/{self.victims['/Users']}")
        group_status, _, group = self.inner_call("GET", f"/Groups/{self.victims['/Groups']}")
        return (
            user_status == 200
            and group_status == 200
            and json.loads(user).get("userName") == "victim"
            and json.loads(group).get("displayName") == "Victims"
        )

    # -- WSGI ----------------------------------------------------------------------------
    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        raw_path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ["PATH_INFO"]
        raw_path = raw_path.split("?", 1)[0]
        method = environ["REQUEST_METHOD"]
        query = environ.get("QUERY_STRING", "")
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        self.log.add(Seen(method, raw_path, query, authorization))
        path = environ["PATH_INFO"]
        if not path.startswith(BASE_PATH + "/") and path != BASE_PATH:
            return _respond(start_response, 404, _error(404, f"nothing at {path}"))
        relative = path[len(BASE_PATH) :] or "/"
        targeted = self._targeted(method, relative, query)
        early = self._before(environ, start_response, method, relative, targeted)
        if early is not None:
            return early
        environ = dict(environ, PATH_INFO=INNER_PREFIX + relative, SCRIPT_NAME="")
        status, headers, body = _call(self.inner, environ)
        status, headers, body = self._after(method, relative, authorization, status, headers, body)
        if (
            self.mode == "slow-create"
            and (method, relative, status) == ("POST", "/Users", 201)
            and next(self.dripped_creations) == 0
        ):
            return _respond(start_response, status, _drip(body))  # made, but never told in time
        start_response(
            f"{status} HOSTILE", [*_without_length(headers), ("Content-Length", str(len(body)))]
        )
        return [body]

    @staticmethod
    def _targeted(method: str, relative: str, query: str) -> bool:
        """Filtered list reads: where most modes strike (checks and the final walk send them)."""
        segments = [s for s in relative.split("/") if s]
        return (
            method == "GET" and segments in (["Users"], ["Groups"]) and "filter" in parse_qs(query)
        )

    def _before(
        self,
        environ: Environ,
        start_response: StartResponse,
        method: str,
        relative: str,
        targeted: bool,
    ) -> Iterable[bytes] | None:
        """Modes that answer instead of scim2-server (None: pass the request on)."""
        mode = self.mode
        if mode == "html-everywhere" or (mode == "html" and targeted):
            return _respond(start_response, 200, LOGIN_PAGE, "text/html; charset=utf-8")
        if mode == "json-everywhere":
            return _respond(
                start_response, 200, b'{"status": "ok", "version": "3.2"}', "application/json"
            )
        if mode == "slow-delete" and method == "DELETE":
            return _respond(start_response, 200, _drip(b" " * 3000))
        if mode == "redirect-everywhere" or (mode == "redirect" and targeted):
            target = f"{self.other_origin}{BASE_PATH}{relative}?from=[scim-login]"
            return _respond(start_response, 302, b"", extra=[("Location", target)])
        if not targeted:
            if mode == "huge-body" and method == "GET" and relative.count("/") == 2:
                return _respond(start_response, 200, _endless_resource())
            if mode == "endless-paging" and method == "GET" and relative in ("/Users", "/Groups"):
                return _respond(start_response, 200, _endless_page(environ))
            return None
        if mode == "slow-drip":
            return _respond(start_response, 200, _drip(_list_json([])))
        if mode == "sweep-bait":
            return _respond(start_response, 200, self._bait(relative))
        if mode == "invalid-json":
            return _respond(start_response, 200, b'{"totalResults": 1, "Resources": [{"id": ')
        if mode == "bare-list":
            return _respond(start_response, 200, b"[]")
        if mode == "deep-json":
            return _respond(start_response, 200, b'{"a":' * 10_000 + b"1" + b"}" * 10_000)
        if mode == "endless-paging":
            return _respond(start_response, 200, _endless_page(environ))
        if mode == "connection-reset":
            _reset(environ)
            return _respond(start_response, 200, b"")
        return None

    def _bait(self, relative: str) -> bytes:
        """A ListResponse of 'leftovers' whose ids point at the victim and outside the base."""
        name = "userName" if relative.startswith("/Users") else "displayName"
        victim = self.victims[relative.rstrip("/")]
        return _list_json(
            [
                {"id": victim, name: "scimproof-bait-1"},
                {"id": TRAVERSAL_ID, name: "scimproof-bait-2"},
            ]
        )

    def _after(
        self,
        method: str,
        relative: str,
        authorization: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Modes that rewrite scim2-server's answer."""
        segments = [s for s in relative.split("/") if s]
        creation = method == "POST" and len(segments) == 1 and segments[0] in ("Users", "Groups")
        if self.mode == "echo-token" and status >= 400:
            echoed = _echo(authorization)
            body = _error(status, f"refused {echoed} (see [docs])")
            headers = [(k, v) for k, v in headers if k.lower() != "www-authenticate"]
            headers.append(("WWW-Authenticate", f'Bearer error_description="{echoed[:80]}"'))
        elif self.mode in ("lie-ids", "traversal-ids") and creation and status == 201:
            lie = self.victims[f"/{segments[0]}"] if self.mode == "lie-ids" else TRAVERSAL_ID
            resource = json.loads(body)
            resource["id"] = lie
            body = json.dumps(resource).encode()
            location = f"http://127.0.0.1{BASE_PATH}/{segments[0]}/{quote(lie, safe='/')}"
            headers = [(k, v) for k, v in headers if k.lower() != "location"]
            headers.append(("Location", location))
        elif self.mode == "lie-ids" and segments == ["Bulk"] and status == 200:
            answer = json.loads(body)
            for operation in answer.get("Operations") or []:
                kind = str(operation.get("location", "")).split("/")[-2:-1]
                if kind and f"/{kind[0]}" in self.victims:
                    victim = self.victims[f"/{kind[0]}"]
                    operation["location"] = f"http://127.0.0.1{BASE_PATH}/{kind[0]}/{victim}"
            body = json.dumps(answer).encode()
        return status, headers, body


LOGIN_PAGE = (
    b"<!doctype html><html><head><title>Sign in</title></head><body>"
    b'<form method="post" action="/login"><label>Email <input name="email"></label>'
    b'<label>Password <input type="password" name="password"></label>'
    b"<button>Sign in</button></form></body></html>"
)


def _echo(authorization: str) -> str:
    """The credential in every form a careless server might echo it."""
    token = authorization.partition(" ")[2] or authorization
    encoded = base64.b64encode(f"someone:{token}".encode()).decode()
    return (
        f"{authorization}; token={quote(token, safe='')}; basic={encoded}; "
        f"word=x{token}y; json={json.dumps(token)}"
    )


def _error(status: int, detail: str) -> bytes:
    """A SCIM error body."""
    return json.dumps({"schemas": [ERROR], "status": str(status), "detail": detail}).encode()


def _list_json(resources: list[dict[str, Any]], total: int | None = None) -> bytes:
    """A ListResponse body."""
    return json.dumps(
        {
            "schemas": [LIST],
            "totalResults": len(resources) if total is None else total,
            "startIndex": 1,
            "itemsPerPage": len(resources),
            "Resources": resources,
        }
    ).encode()


def _drip(body: bytes) -> Iterator[bytes]:
    """A body one byte at a time, DRIP_INTERVAL apart (stops when the client hangs up)."""
    for index in range(len(body)):
        time.sleep(DRIP_INTERVAL)
        yield body[index : index + 1]


def _endless_resource() -> Iterator[bytes]:
    """A User whose body never ends (at most 4 GiB, lazily generated)."""
    yield b'{"schemas": ["' + USER.encode() + b'"], "id": "x", "userName": "'
    chunk = b"a" * (1 << 20)
    for _ in range(4096):
        yield chunk


def _endless_page(environ: Environ) -> bytes:
    """A full page of made-up resources and a total that never ends."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    start = int((query.get("startIndex") or ["1"])[0] or 1)
    count = min(int((query.get("count") or ["100"])[0] or 100), 100) or 1
    resources = [
        {"schemas": [USER], "id": f"someone-{start + n}", "userName": f"someone-{start + n}"}
        for n in range(count)
    ]
    return _list_json(resources, total=10**12)


def _reset(environ: Environ) -> None:
    """Drop the client's connection before any answer (closed with a TCP RST: SO_LINGER 0)."""
    sock: socket.socket = environ["werkzeug.socket"]
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.shutdown(socket.SHUT_RDWR)


def _without_length(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Headers minus Content-Length (the body may have been rewritten)."""
    return [(k, v) for k, v in headers if k.lower() != "content-length"]


def _environ(method: str, path: str, query: str, body: bytes, authorization: str) -> Environ:
    """A minimal WSGI environ for calling scim2-server directly."""
    import io

    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": authorization,
        "CONTENT_TYPE": "application/scim+json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


class OtherOrigin:
    """A second server (another origin) that only records who came."""

    def __init__(self) -> None:
        self.log = Log()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        self.log.add(
            Seen(
                environ["REQUEST_METHOD"],
                environ["PATH_INFO"],
                environ.get("QUERY_STRING", ""),
                environ.get("HTTP_AUTHORIZATION", ""),
            )
        )
        return _respond(start_response, 200, _list_json([]))


def served(app: WsgiApp) -> AbstractContextManager[str]:
    """Serve a WSGI app on a free 127.0.0.1 port from a thread; the block gets its URL."""
    return served_on_loopback(app, "hostile")


@dataclass
class HostileServer:
    """A running hostile server: its base URL, token, request log and the other origin's."""

    base_url: str
    token: str
    app: HostileApp
    other: OtherOrigin


@contextmanager
def hostile_server(mode: str) -> Iterator[HostileServer]:
    """Serve scim2-server in ``mode`` under /scim/v2 (with victims seeded) and another origin."""
    token = "hostile-" + secrets.token_urlsafe(32)
    other = OtherOrigin()
    with served(other) as other_origin:
        app = HostileApp(token, mode, other_origin)
        app.seed_victims()
        with served(app) as origin:
            yield HostileServer(f"{origin}{BASE_PATH}", token, app, other)
