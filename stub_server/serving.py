"""Serving a WSGI app with werkzeug's threaded server, keeping connections alive."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class KeepAliveHandler(WSGIRequestHandler):
    """HTTP/1.1, so SCIM clients (IdPs, the conformance checker) reuse their connections."""

    protocol_version = "HTTP/1.1"


class QuietHandler(KeepAliveHandler):
    """A keep-alive handler that does not log every request (tests, benchmarks)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Stay silent."""


def make_threaded_server(
    app: Callable[..., Iterable[bytes]], host: str = "127.0.0.1", port: int = 0, *, quiet: bool
) -> BaseWSGIServer:
    """Return a threaded, keep-alive werkzeug server for the app (port 0: a free one)."""
    handler = QuietHandler if quiet else KeepAliveHandler
    return make_server(host, port, app, threaded=True, request_handler=handler)


@contextmanager
def serve_in_thread(
    app: Callable[..., Iterable[bytes]], host: str = "127.0.0.1", port: int = 0
) -> Iterator[BaseWSGIServer]:
    """Serve the app quietly from a daemon thread until the block ends."""
    server = make_threaded_server(app, host, port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, name="wsgi-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
