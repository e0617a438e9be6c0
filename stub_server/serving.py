"""Serving the stub: waitress for ``scim-stub serve``, werkzeug in a thread for tests.

waitress handles every socket in one event loop and runs requests on a fixed pool of
threads, so idle or slow clients cost a file descriptor, not a thread; it closes
connections idle for longer than ``idle_timeout`` and stops accepting beyond
``connection_limit`` (the rest wait in the listen backlog). The werkzeug server starts a
thread per connection and has neither limit: it stays only for in-process tests.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from waitress import create_server
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

WsgiApp = Callable[..., Iterable[bytes]]
# How often a thread-served server looks for a shutdown request: stopping one waits this long
# at most (werkzeug's default, half a second, was most of a test's tear-down).
SHUTDOWN_POLL_S = 0.02


@dataclass(frozen=True)
class ServerLimits:
    """What one ``scim-stub serve`` process holds at most (the CLI's defaults)."""

    threads: int = 8  # requests handled at once
    connection_limit: int = 500  # open connections; more wait in the listen backlog
    idle_timeout: int = 30  # seconds a connection may stay silent before it is closed
    max_request_body: int = 2_097_152  # bytes; the app refuses above 1 MiB with its own error


def make_production_server(
    app: WsgiApp,
    host: str = "127.0.0.1",
    port: int = 0,
    limits: ServerLimits = ServerLimits(),
    trusted_proxy: str | None = None,
) -> Any:
    """Return a waitress server for the app (port 0: a free one; ``.effective_port`` tells).

    With ``trusted_proxy`` (the address of a TLS-terminating reverse proxy), that proxy's
    X-Forwarded-Proto/-For/-Host headers set the request's scheme, client address and host;
    from anyone else they are dropped.
    """
    proxy: dict[str, Any] = {}
    if trusted_proxy:
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"},
            "clear_untrusted_proxy_headers": True,
        }
    return create_server(
        app,
        host=host,
        port=port,
        threads=limits.threads,
        connection_limit=limits.connection_limit,
        channel_timeout=limits.idle_timeout,
        cleanup_interval=max(1, min(30, limits.idle_timeout // 2)),
        max_request_body_size=limits.max_request_body,
        asyncore_use_poll=True,  # poll(), not select(): no 1024-descriptor ceiling
        ident="scim-stub",
        **proxy,
    )


class KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1, so SCIM clients (IdPs, the conformance checker) reuse their connections."""

    protocol_version = "HTTP/1.1"


class QuietHandler(KeepAliveHandler):
    """A keep-alive handler that does not log every request (tests, benchmarks)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Stay silent."""


def make_threaded_server(
    app: WsgiApp,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    quiet: bool,
    ssl_context: ssl.SSLContext | None = None,
) -> BaseWSGIServer:
    """Return a threaded, keep-alive werkzeug server for the app (tests and benchmarks only);
    with ``ssl_context`` it speaks HTTPS."""
    handler = QuietHandler if quiet else KeepAliveHandler
    return make_server(
        host, port, app, threaded=True, request_handler=handler, ssl_context=ssl_context
    )


@contextmanager
def serve_in_thread(
    app: WsgiApp,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    name: str = "wsgi-server",
    ssl_context: ssl.SSLContext | None = None,
) -> Iterator[BaseWSGIServer]:
    """Serve the app quietly from a daemon thread until the block ends (in-process tests);
    with ``ssl_context`` over HTTPS."""
    server = make_threaded_server(app, host, port, quiet=True, ssl_context=ssl_context)
    thread = threading.Thread(
        target=server.serve_forever, args=(SHUTDOWN_POLL_S,), name=name, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
