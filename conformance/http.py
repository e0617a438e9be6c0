"""HTTP for a conformance run: keep-alive sessions, bounded responses, --max-rps, 429, TLS.

Every response is bounded: a deadline for the whole response (--timeout, enforced by a watchdog
that shuts the socket, so a server dripping one byte a second cannot stall a run), a size cap
(--max-response-bytes, read as a stream), a nesting cap on JSON, the run deadline (--deadline)
and Ctrl-C. A request that carries a credential never leaves the base URL's origin and path.
Recorded exchanges pass the run's one Redactor (conformance.redaction).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from conformance.exchange import Exchange
from conformance.redaction import Redactor
from conformance.safejson import MAX_JSON_DEPTH, json_depth
from conformance.tls import tls_failure
from conformance.urls import BaseUrl
from conformance.watchdog import Watch, WatchedAdapter, watch_this_thread

SCIM_JSON = "application/scim+json"
USER_AGENT = "scim-conformance (scimproof)"
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
WATCHDOG_TICK = 0.1  # seconds between the watchdog's looks at requests in flight


class TransportError(Exception):
    """The request got no HTTP response (connection refused, timeout, TLS failure)."""

    def __init__(self, message: str, exchange: Exchange | None = None) -> None:
        super().__init__(message)
        self.exchange = exchange


class Cancelled(Exception):
    """The run was interrupted (Ctrl-C, SIGTERM, --deadline) while this request waited or ran."""


class OutsideBase(TransportError):
    """A credentialed request would have left the base URL's origin and path; it was not sent."""


@dataclass(frozen=True)
class HttpOptions:
    """Transport settings of a run."""

    timeout: float = 20.0
    max_rps: float | None = None
    verify: bool | str = True  # True, False (--insecure) or a CA bundle path (--ca-bundle)
    retries_on_429: int = 3
    max_retry_after: float = 60.0
    pool_size: int = 16
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    run_deadline: float | None = None  # --deadline: seconds for the whole run (None: unbounded)
    cleanup_deadline: float = 60.0  # seconds the final cleanup may take, also after Ctrl-C
    auth: Any = None  # a conformance.auth.ScimAuth: credentials beyond a bearer token


class RateLimiter:
    """Spaces requests of all threads at least 1/max_rps seconds apart (None: no limit)."""

    def __init__(self, max_rps: float | None, cancel: threading.Event) -> None:
        self.interval = 1.0 / max_rps if max_rps else 0.0
        self.cancel = cancel
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until this thread may send its next request."""
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        wait = slot - time.monotonic()
        if wait > 0 and self.cancel.wait(wait):
            raise Cancelled("run interrupted")


def _short_reason(exc: Exception) -> str:
    """'[Errno 111] Connection refused' rather than urllib3's nested retry message."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] [^'\")]+", text) or re.search(
        r"(Name or service not known|nodename nor servname|Connection refused|timed out)", text
    )
    return match.group(0).strip() if match else text[:200]


def retry_after_seconds(value: str | None, default: float = 1.0) -> float:
    """Parse Retry-After (delta-seconds or an HTTP date, RFC 9110 §10.2.3)."""
    if not value:
        return default
    value = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return default


class HttpClient:
    """Sends the requests of a run: one keep-alive session per thread, shared limits."""

    def __init__(
        self,
        token: str | None,
        options: HttpOptions | None = None,
        cancel: threading.Event | None = None,
        *,
        base_url: str | None = None,
        redactor: Redactor | None = None,
        deadline: float | None = None,
    ) -> None:
        self._token = token
        self.options = options or HttpOptions()
        self.auth = self.options.auth
        self.cancel = cancel or threading.Event()
        self.base = BaseUrl(base_url) if base_url else None
        self.limiter = RateLimiter(self.options.max_rps, self.cancel)
        self.redactor = redactor if redactor is not None else Redactor()
        self.redactor.add(token, *(self.auth.secrets() if self.auth else []))
        if self.auth is not None:
            self.auth.on_secret(self.redactor.add)
        if base_url:  # a password in https://user:pass@host/... is a credential too
            self.redactor.add(urlsplit(base_url).password)
        if deadline is None and self.options.run_deadline:
            deadline = time.monotonic() + self.options.run_deadline
        self.deadline = deadline  # monotonic time after which nothing more is sent
        self.deadline_reason = "the run deadline (--deadline) was reached"
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self._watches: set[Watch] = set()
        self._watchdog: threading.Thread | None = None
        self._closed = threading.Event()
        self.request_count = 0
        self._count_lock = threading.Lock()

    def session(self) -> requests.Session:
        """This thread's session (connections are reused across its requests)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = WatchedAdapter(
                pool_connections=4, pool_maxsize=self.options.pool_size, max_retries=0
            )
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.verify = self.options.verify
            session.trust_env = False  # a proxy from the environment must not see the token
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every session the run opened and stop the watchdog."""
        self._closed.set()
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    @property
    def token(self) -> str | None:
        """The bearer token requests carry (None with Basic, custom headers or no credentials)."""
        return self.auth.bearer_token() if self.auth is not None else self._token

    def auth_header(self) -> dict[str, str]:
        """The credential headers of the run ({} without credentials)."""
        if self.auth is not None:
            return self.auth.headers()
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    # -- bounds ----------------------------------------------------------------------
    def _check_go(self) -> None:
        """Raise Cancelled when the run was interrupted or its deadline has passed."""
        if self.cancel.is_set():
            raise Cancelled("run interrupted")
        if self.deadline is not None and time.monotonic() >= self.deadline:
            self.cancel.set()
            raise Cancelled(self.deadline_reason)

    def _watch(self, read_only: bool) -> Watch:
        """Register a request in flight with the watchdog (started on first use)."""
        limit = time.monotonic() + self.options.timeout
        if self.deadline is not None:
            limit = min(limit, self.deadline)
        watch = Watch(limit, read_only)
        with self._sessions_lock:
            self._watches.add(watch)
        watch_this_thread(watch)
        return watch

    def _start_watchdog(self) -> None:
        """Start the watchdog thread once (before --max-rps timing, so it costs no slot)."""
        with self._sessions_lock:
            if self._watchdog is None:
                self._watchdog = threading.Thread(
                    target=self._watch_loop, name="scim-watchdog", daemon=True
                )
                self._watchdog.start()

    def _unwatch(self, watch: Watch) -> None:
        """The request is over: the watchdog forgets it."""
        watch_this_thread(None)
        with self._sessions_lock:
            self._watches.discard(watch)

    def _watch_loop(self) -> None:
        """Cut connections whose response is late, or all of them once the run is cancelled."""
        while not self._closed.wait(WATCHDOG_TICK):
            now = time.monotonic()
            with self._sessions_lock:
                watches = list(self._watches)
            for watch in watches:
                if self.cancel.is_set() and watch.read_only:
                    watch.cut_connection("run interrupted")
                elif now >= watch.deadline:
                    watch.cut_connection(
                        f"no response within {self.options.timeout:g}s (--timeout bounds the "
                        "whole response)"
                        if self.deadline is None or watch.deadline < self.deadline
                        else self.deadline_reason
                    )

    def _read_body(self, response: requests.Response, watch: Watch) -> None:
        """Read the whole body as a stream, at most --max-response-bytes."""
        cap = self.options.max_response_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _TooLarge(f"Content-Length {declared}")
        body = bytearray()
        for chunk in response.iter_content(65536):
            body += chunk
            if len(body) > cap:
                raise _TooLarge(f"more than {cap} bytes")
        if (
            body.lstrip()[:1] in (b"[", b"{")
            and body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH
        ):
            depth = json_depth(body.decode("utf-8", "replace"))
            if depth > MAX_JSON_DEPTH:
                raise _TooDeep(f"JSON nested {depth} levels deep (more than {MAX_JSON_DEPTH})")
        response._content = bytes(body)
        response._content_consumed = True

    # -- sending ---------------------------------------------------------------------
    def send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        params: dict[str, Any] | None = None,
        body: bytes | None = None,
    ) -> tuple[requests.Response | None, Exchange]:
        """Send one request (honouring --max-rps and 429 Retry-After); return it recorded."""
        attempts = 0
        self._start_watchdog()
        while True:
            self._check_go()
            self.limiter.acquire()
            prepared = requests.Request(
                method,
                url,
                headers={"User-Agent": USER_AGENT, **headers},
                params=params,
                data=body,
            ).prepare()
            if self.auth is not None:  # e.g. OAuth: a 401 renews the access token once
                prepared.register_hook("response", self.auth.handle_401)
            exchange = Exchange(
                request={
                    "method": method,
                    "url": self.redactor.redact(prepared.url or url),
                    "headers": self.redactor.headers(prepared.headers),
                    "body": self.redactor.body(body),
                }
            )
            self._guard_origin(prepared, exchange)
            response = self._exchange(prepared, exchange)
            if response.status_code == 429 and attempts < self.options.retries_on_429:
                attempts += 1
                wait = min(
                    retry_after_seconds(response.headers.get("Retry-After"), default=attempts),
                    self.options.max_retry_after,
                )
                if self.cancel.wait(wait):
                    raise Cancelled("run interrupted")
                continue
            return response, exchange

    def send_unrecorded(
        self, method: str, url: str, params: dict[str, Any] | None = None
    ) -> requests.Response:
        """An authenticated SCIM request whose exchange joins no transcript (discovery, cleanup)."""
        headers = {"Accept": SCIM_JSON, **self.auth_header()}
        return self.send(method, url, headers=headers, params=params)[0]

    def _guard_origin(self, prepared: requests.PreparedRequest, exchange: Exchange) -> None:
        """Refuse a credentialed request to anything but the base URL's origin and path."""
        if self.base is None or self.base.contains(prepared.url or ""):
            return
        carried = [str(value) for value in prepared.headers.values()] + [prepared.url or ""]
        if any(self.redactor.redact(value) != value for value in carried):
            exchange.error = "not sent: outside the base URL"
            raise OutsideBase(
                f"not sent: {exchange.request['url']} is outside the base URL "
                f"{self.redactor.redact(self.base.url)}, and the request carries credentials",
                exchange,
            )

    def _exchange(
        self, prepared: requests.PreparedRequest, exchange: Exchange
    ) -> requests.Response:
        """Send a prepared request and read its whole response within the bounds."""
        started = time.monotonic()
        method = (prepared.method or "GET").upper()
        path = (prepared.path_url or "").split("?")[0]
        read_only = method in ("GET", "HEAD", "OPTIONS") or path.endswith("/.search")
        watch = self._watch(read_only)
        timeout = max(0.01, watch.deadline - started)
        response: requests.Response | None = None
        try:
            response = self.session().send(
                prepared, timeout=timeout, allow_redirects=False, stream=True
            )
            self._read_body(response, watch)
        except _TooLarge as exc:
            exchange.error = (
                f"response larger than --max-response-bytes {self.options.max_response_bytes} "
                f"({exc}); not read further"
            )
            raise TransportError(exchange.error, exchange) from None
        except _TooDeep as exc:
            exchange.error = f"response body is {exc}; not decoded"
            raise TransportError(exchange.error, exchange) from None
        except requests.exceptions.SSLError as exc:
            exchange.error = tls_failure(
                exchange.request["url"], self.redactor.redact(str(exc)), self.options.timeout
            )
            raise TransportError(exchange.error, exchange) from None
        except (requests.exceptions.RequestException, OSError) as exc:
            if watch.cut == "run interrupted":
                raise Cancelled("run interrupted") from None
            if watch.cut:
                if watch.cut == self.deadline_reason:
                    self.cancel.set()
                    raise Cancelled(watch.cut) from None
                exchange.error = watch.cut
            elif isinstance(exc, requests.exceptions.Timeout):
                exchange.error = f"no response within {self.options.timeout:g}s"
            else:
                exchange.error = f"connection failed: {exc.__class__.__name__}"
                exchange.error += f": {self.redactor.redact(_short_reason(exc))}"
            raise TransportError(exchange.error, exchange) from None
        finally:
            self._unwatch(watch)
            if response is not None:
                if not response._content_consumed:
                    response.raw.close()  # a half-read connection is never reused
                response.close()
            exchange.elapsed_s = time.monotonic() - started
            with self._count_lock:
                self.request_count += 1
        exchange.response = {
            "status": response.status_code,
            "headers": self.redactor.headers(response.headers),
            "body": self.redactor.body(response.content),
        }
        return response


class _TooLarge(Exception):
    """The response body exceeded --max-response-bytes."""


class _TooDeep(Exception):
    """The response body is JSON nested deeper than the reader accepts."""


def encode_json(value: Any) -> bytes:
    """Encode a request body as UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
