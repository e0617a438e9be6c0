"""A WSGI app served on a free 127.0.0.1 port from a thread, for as long as a block runs: the
features' faulty vendor service and the conformance tests' hostile servers are started this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from stub_server.serving import WsgiApp, serve_in_thread


@contextmanager
def served_on_loopback(app: WsgiApp, name: str) -> Iterator[str]:
    """Serve the app on a free 127.0.0.1 port from a thread; yield http://127.0.0.1:port."""
    with serve_in_thread(app, name=name) as server:
        yield f"http://127.0.0.1:{server.port}"
