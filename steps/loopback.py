"""A WSGI app served on a free 127.0.0.1 port from a thread, for as long as a block runs: the
features' faulty vendor service and the conformance tests' hostile servers are started this way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

WsgiApp = Callable[..., Iterable[bytes]]
STOP_TIMEOUT_S = 10


class QuietHandler(WSGIRequestHandler):
    """No access log: a run sends thousands of requests."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """Log nothing."""


@contextmanager
def served_on_loopback(app: WsgiApp, name: str) -> Iterator[str]:
    """Serve the app on a free 127.0.0.1 port from a thread; yield http://127.0.0.1:port."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join(timeout=STOP_TIMEOUT_S)
        server.server_close()
