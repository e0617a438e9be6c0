"""A run's base URL: how endpoints resolve (RFC 7643 §6, RFC 3986 §5), what lies under it."""

from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote, urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _normalized(path: str) -> str:
    """The path as the most lenient server would route it: decoded, dot segments removed."""
    for _ in range(3):  # double encoding ("%252e") is decoded too
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    path = path.replace("\\", "/")
    normal = posixpath.normpath("/" + path.lstrip("/")) if path else "/"
    return "/" if normal in ("", ".", "//") else normal.replace("//", "/")


def path_segment(value: str) -> str:
    """``value`` encoded as exactly one path segment ('a/b' -> 'a%2Fb', '..' -> '%2E%2E')."""
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if set(value) <= {"."} else encoded


class BaseUrl:
    """A SCIM base URL: its origin, its path, and the URLs that lie under it."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.origin = _origin(self.url)
        self.path = _normalized(urlsplit(self.url).path).rstrip("/")

    def contains(self, url: str) -> bool:
        """True if ``url`` has the base's origin and its path (however encoded) stays under it."""
        if _origin(url) != self.origin:
            return False
        raw_path = urlsplit(url).path
        as_sent = posixpath.normpath("/" + raw_path.lstrip("/"))
        return self._under(as_sent) and self._under(_normalized(raw_path))

    def _under(self, path: str) -> bool:
        """True if a normalized path is the base path or below it."""
        return not self.path or path == self.path or path.startswith(self.path + "/")

    def endpoint(self, value: str) -> str | None:
        """A ResourceType endpoint as a path below the base ('/Users'), or None if outside.

        RFC 7643 §6 makes ``endpoint`` relative to the base URL ('/Users'). An absolute URL, or
        an absolute path that already starts with the base path ('/scim/v2/Users'), resolves
        per RFC 3986 §5.2 against the base URL's origin.
        """
        value = value.strip()
        if not value:
            return None
        if value.startswith(("http://", "https://")):
            if not self.contains(value):
                return None
            return "/" + urlsplit(value).path[len(urlsplit(self.url).path.rstrip("/")) :].strip("/")
        if self.path and (value == self.path or value.startswith(self.path + "/")):
            value = value[len(self.path) :]
        return "/" + value.strip("/")

    def is_absolute_endpoint(self, value: str) -> bool:
        """True if an endpoint is written as a full URL or with the base path repeated."""
        value = value.strip()
        return value.startswith(("http://", "https://")) or bool(
            self.path and value.startswith(self.path + "/")
        )
