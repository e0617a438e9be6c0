"""HTTP for a conformance run: keep-alive sessions, timeouts, --max-rps, 429, TLS, redaction."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter

SCIM_JSON = "application/scim+json"
REDACTED = "[REDACTED]"
USER_AGENT = "scim-conformance (scimproof)"
MAX_RECORDED_BODY = 64_000
# Headers whose values are credentials or session state, never written into a report.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# JSON keys whose values are secrets (the test passwords a run sends, or a password leaked back).
SECRET_KEYS = frozenset({"password", "token", "secret", "access_token", "client_secret"})


class TransportError(Exception):
    """The request got no HTTP response (connection refused, timeout, TLS failure)."""

    def __init__(self, message: str, exchange: Exchange | None = None) -> None:
        super().__init__(message)
        self.exchange = exchange


class Cancelled(Exception):
    """The run was interrupted (Ctrl-C, SIGTERM) while this request waited or ran."""


@dataclass(frozen=True)
class HttpOptions:
    """Transport settings of a run."""

    timeout: float = 20.0
    max_rps: float | None = None
    verify: bool | str = True  # True, False (--insecure) or a CA bundle path (--ca-bundle)
    retries_on_429: int = 3
    max_retry_after: float = 60.0
    pool_size: int = 16
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


@dataclass
class Exchange:
    """One request and its response, redacted, as written into reports."""

    request: dict[str, Any]
    response: dict[str, Any] | None = None
    elapsed_s: float = 0.0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The report form: {"request": {...}, "response": {...} | None}."""
        data: dict[str, Any] = {"request": self.request, "response": self.response}
        if self.error:
            data["error"] = self.error
        return data

    def transcript(self) -> str:
        """A human-readable transcript (for JUnit failure texts and the console)."""
        req = self.request
        lines = [f"> {req['method']} {req['url']}"]
        lines += [f"> {name}: {value}" for name, value in req["headers"].items()]
        if req.get("body") is not None:
            lines.append(_render_body(req["body"]))
        if self.response is None:
            lines.append(f"< (no response: {self.error})")
        else:
            lines.append(f"< {self.response['status']}")
            lines += [f"< {name}: {value}" for name, value in self.response["headers"].items()]
            if self.response.get("body") is not None:
                lines.append(_render_body(self.response["body"]))
        return "\n".join(lines)


def _render_body(body: Any) -> str:
    """Render a recorded body as indented JSON or text."""
    return body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False)


class Redactor:
    """Removes a run's token and other secrets from anything written into a report."""

    def __init__(self, secrets: list[str | None]) -> None:
        self.secrets = [s for s in secrets if s]
        self._compile()

    def add(self, *secrets: str | None) -> None:
        """Redact these secrets too from now on (e.g. an OAuth access token fetched mid-run)."""
        self.secrets = [*self.secrets, *(s for s in secrets if s and s not in self.secrets)]
        self._compile()

    def _compile(self) -> None:
        """Build the pattern matching every secret."""
        # A secret is replaced where it stands whole (not inside a longer run of letters and
        # digits), so a short token like "t" never mangles the words around it.
        self._pattern = (
            re.compile(
                "|".join(
                    rf"(?<![A-Za-z0-9]){re.escape(s)}(?![A-Za-z0-9])"
                    for s in sorted(self.secrets, key=len, reverse=True)
                )
            )
            if self.secrets
            else None
        )

    def text(self, text: str) -> str:
        """Replace every whole occurrence of a secret in a string."""
        return self._pattern.sub(REDACTED, text) if self._pattern else text

    def headers(self, headers: Any) -> dict[str, str]:
        """Redact credential headers, keeping the scheme of Authorization visible."""
        redacted = {}
        for name, value in dict(headers).items():
            if name.lower() in ("authorization", "proxy-authorization"):
                scheme, _, credentials = str(value).partition(" ")
                redacted[name] = f"{scheme} {REDACTED}" if credentials else REDACTED
            elif name.lower() in SECRET_HEADERS:
                redacted[name] = REDACTED
            else:
                redacted[name] = self.text(str(value))
        return redacted

    def value(self, value: Any) -> Any:
        """Redact secret-named keys and secrets inside a decoded JSON value."""
        if isinstance(value, dict):
            return {
                key: REDACTED
                if isinstance(key, str) and key.lower() in SECRET_KEYS and value[key] is not None
                else self.value(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def body(self, raw: bytes | str | None, content_type: str | None = None) -> Any:
        """Decode a body for a report: JSON when it parses, else (truncated) text."""
        if raw is None or raw in (b"", ""):
            return None
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        try:
            return self.value(json.loads(text))
        except ValueError:
            pass
        if len(text) > MAX_RECORDED_BODY:
            text = text[:MAX_RECORDED_BODY] + f"... ({len(text)} characters)"
        return self.text(text)


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
    ) -> None:
        self._token = token
        self.options = options or HttpOptions()
        self.auth = self.options.auth
        self.cancel = cancel or threading.Event()
        self.limiter = RateLimiter(self.options.max_rps, self.cancel)
        self.redactor = Redactor([token, *(self.auth.secrets() if self.auth else [])])
        if self.auth is not None:
            self.auth.on_secret(self.redactor.add)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        self.request_count = 0
        self._count_lock = threading.Lock()

    def session(self) -> requests.Session:
        """This thread's session (connections are reused across its requests)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(
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
        """Close every session the run opened."""
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
        while True:
            if self.cancel.is_set():
                raise Cancelled("run interrupted")
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
                    "url": self.redactor.text(prepared.url or url),
                    "headers": self.redactor.headers(prepared.headers),
                    "body": self.redactor.body(body),
                }
            )
            started = time.monotonic()
            try:
                response = self.session().send(
                    prepared, timeout=self.options.timeout, allow_redirects=False
                )
            except requests.exceptions.SSLError as exc:
                exchange.error = f"TLS verification failed: {exc}"
                raise TransportError(exchange.error, exchange) from exc
            except requests.exceptions.Timeout as exc:
                exchange.error = f"no response within {self.options.timeout:g}s"
                raise TransportError(exchange.error, exchange) from exc
            except requests.exceptions.RequestException as exc:
                exchange.error = f"connection failed: {exc.__class__.__name__}"
                message = f"{exchange.error}: {self.redactor.text(_short_reason(exc))}"
                raise TransportError(message, exchange) from exc
            finally:
                exchange.elapsed_s = time.monotonic() - started
                with self._count_lock:
                    self.request_count += 1
            exchange.response = {
                "status": response.status_code,
                "headers": self.redactor.headers(response.headers),
                "body": self.redactor.body(response.content),
            }
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


def encode_json(value: Any) -> bytes:
    """Encode a request body as UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
