"""Telling a TLS failure from a plain-HTTP server behind an ``https://`` URL.

OpenSSL reports a server that answers a TLS ClientHello in plain HTTP as a protocol error
(``WRONG_VERSION_NUMBER``, or ``record layer failure`` in OpenSSL 3.2+). That is confirmed by
asking the same host and port for the same path in plain HTTP, without credentials, before
the checker says "use http://" instead of "TLS verification failed".
"""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

# How OpenSSL words "the peer did not answer in TLS" (versions 1.1 to 3.x).
PROTOCOL_MISMATCH = re.compile(
    r"WRONG_VERSION_NUMBER|wrong version number|record layer failure|http request|"
    r"packet length too long|unknown protocol",
    re.IGNORECASE,
)
PROBE_SECONDS = 5.0


def speaks_plain_http(url: str, timeout: float = PROBE_SECONDS) -> bool:
    """True when the URL's host and port answer a plain HTTP HEAD (no credentials sent)."""
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    host, port = parts.hostname, parts.port or 443
    request = f"HEAD {parts.path or '/'} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n"
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(request.encode("ascii", "replace"))
            return sock.recv(5) == b"HTTP/"
    except (OSError, UnicodeError):
        return False


def tls_failure(url: str, error: str, timeout: float = PROBE_SECONDS) -> str:
    """The message for a TLS error on url: plain HTTP on that port, or the TLS failure itself."""
    parts = urlsplit(url)
    if (
        parts.scheme == "https"
        and PROTOCOL_MISMATCH.search(error)
        and speaks_plain_http(url, min(timeout, PROBE_SECONDS))
    ):
        return (
            f"{parts.hostname}:{parts.port or 443} answered in plain HTTP, not TLS: the server "
            "speaks plain HTTP on that port; use http://"
        )
    return f"TLS verification failed: {error}"
