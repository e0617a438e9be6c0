"""The watchdog's side of a connection: each request's socket, which it may shut down.

``--timeout`` bounds the whole response, not each read: the client registers a ``Watch`` per
request, the watched connections hand it their socket, and the client's watchdog thread shuts
that socket down when the deadline passes or the run is interrupted (conformance.http).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class Watch:
    """One request in flight: its deadline and the socket the watchdog may cut."""

    def __init__(self, deadline: float, read_only: bool) -> None:
        self.deadline = deadline
        self.read_only = read_only  # cut at once on Ctrl-C; a write may finish (its id is learnt)
        self.sock: socket.socket | None = None
        self.cut = ""  # why the watchdog cut the connection ("" while it has not)

    def attach(self, sock: socket.socket | None) -> None:
        """The socket carrying the request (cut at once if the deadline already passed)."""
        self.sock = sock
        if self.cut:
            self._shutdown()

    def cut_connection(self, reason: str) -> None:
        """Shut the socket down so a blocked read returns at once."""
        if not self.cut:
            self.cut = reason
            self._shutdown()

    def _shutdown(self) -> None:
        """Shut the socket down, if there is one."""
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)


_in_flight = threading.local()  # .watch: the Watch of this thread's current request


class _Watched:
    """Connection mixin: hands the socket of each request to the current Watch."""

    sock: socket.socket | None

    def request(self, *args: Any, **kwargs: Any) -> None:
        """Send as urllib3 does, then hand the socket to this thread's Watch."""
        super().request(*args, **kwargs)  # type: ignore[misc]
        watch = getattr(_in_flight, "watch", None)
        if watch is not None:  # the socket itself: http.client may drop self.sock later
            watch.attach(self.sock)


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    """An HTTP connection the watchdog can cut."""


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    """An HTTPS connection the watchdog can cut."""


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """An adapter whose connections the watchdog can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Pools whose connections are the watched ones."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


def watch_this_thread(watch: Watch | None) -> None:
    """The Watch this thread's next request reports its socket to (None: none)."""
    _in_flight.watch = watch
