"""Transport: 429 with Retry-After, --max-rps, timeouts, TLS options, redaction."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import Any

import pytest

from conformance.checks.users import TEST_PASSWORD
from conformance.http import HttpClient, HttpOptions, TransportError, retry_after_seconds
from conformance.report import json as json_report
from conformance.report.model import Report
from tests.integration.conformance.faulty import TOKEN, serve


class CountingApp:
    """Answers 429 (Retry-After: 0) to the first ``throttled`` requests, then 200."""

    def __init__(self, throttled: int) -> None:
        self.throttled = throttled
        self.arrivals: list[float] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        self.arrivals.append(time.monotonic())
        if len(self.arrivals) <= self.throttled:
            start_response("429 Too Many Requests", [("Retry-After", "0")])
            return [b""]
        start_response("200 OK", [("Content-Type", "application/scim+json")])
        return [b"{}"]


@pytest.fixture
def counting() -> Iterator[Callable[[int], tuple[CountingApp, str]]]:
    """counting(throttled) -> (app, url) served for this test."""
    stack: list[Any] = []

    def start(throttled: int) -> tuple[CountingApp, str]:
        app = CountingApp(throttled)
        context = serve(app, path="")
        stack.append(context)
        return app, context.__enter__()

    yield start
    for context in stack:
        context.__exit__(None, None, None)


def test_429_is_retried_after_retry_after(counting: Callable[..., tuple[CountingApp, str]]) -> None:
    """Two 429s then 200: the client waits as told and returns the 200."""
    app, url = counting(2)
    client = HttpClient("t", HttpOptions(retries_on_429=3))
    response, exchange = client.send("GET", url + "/Users", headers={})
    assert response.status_code == 200
    assert len(app.arrivals) == 3
    assert exchange.response["status"] == 200


def test_429_is_returned_when_retries_run_out(
    counting: Callable[..., tuple[CountingApp, str]],
) -> None:
    """A server that keeps throttling gets retries_on_429 + 1 attempts, then the 429 stands."""
    app, url = counting(10)
    client = HttpClient("t", HttpOptions(retries_on_429=2))
    response, _ = client.send("GET", url + "/Users", headers={})
    assert response.status_code == 429
    assert len(app.arrivals) == 3


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), ("0.5", 0.5), (None, 1.0), ("soon", 1.0), (formatdate(0, usegmt=True), 0.0)],
)
def test_retry_after_forms(header: str | None, expected: float) -> None:
    """Delta-seconds and HTTP dates (a past date means now); junk falls back to the default."""
    assert retry_after_seconds(header) == expected


def test_max_rps_spaces_requests(counting: Callable[..., tuple[CountingApp, str]]) -> None:
    """At --max-rps 40, six requests from two threads take at least five intervals.

    Timed on the client, from before the first request to after the last: the limiter's
    slots make that a lower bound however loaded the machine (server-side arrival times
    are not: a delayed first arrival shortens their span).
    """
    app, url = counting(0)
    client = HttpClient("t", HttpOptions(max_rps=40))

    def three() -> None:
        for _ in range(3):
            client.send("GET", url + "/Users", headers={})

    threads = [threading.Thread(target=three) for _ in range(2)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    assert len(app.arrivals) == 6
    assert elapsed >= 5 / 40 - 0.005


def test_timeout_gives_a_transport_error() -> None:
    """A server that does not answer within --timeout ends the request with a clear error."""
    release = threading.Event()

    def hanging(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        release.wait(10)
        start_response("200 OK", [])
        return [b""]

    with serve(hanging, path="") as url:
        client = HttpClient("t", HttpOptions(timeout=0.3))
        try:
            with pytest.raises(TransportError, match=r"no response within 0\.3s"):
                client.send("GET", url + "/Users", headers={})
        finally:
            release.set()


def test_tls_options_reach_the_session() -> None:
    """--insecure turns verification off; --ca-bundle verifies with that bundle."""
    assert HttpClient("t").session().verify is True
    assert HttpClient("t", HttpOptions(verify=False)).session().verify is False
    assert HttpClient("t", HttpOptions(verify="/etc/ca.pem")).session().verify == "/etc/ca.pem"


def test_reports_never_contain_the_token_or_passwords(
    faulty_server: Callable[..., str], run_checks: Callable[..., Report]
) -> None:
    """The JSON report keeps the Authorization scheme, never the token or a password."""
    report = run_checks(
        ["users.create.password-not-returned", "auth.wrong-scheme"],
        faulty_server({"return-password"}),
    )
    text = json_report.dumps(report)
    assert TOKEN not in text
    assert TEST_PASSWORD not in text
    assert "hunter2" not in text
    document = json.loads(text)
    headers = [e["request"]["headers"] for r in document["results"] for e in r["exchanges"]]
    assert any(h.get("Authorization") == "Bearer [REDACTED]" for h in headers)
    assert any(h.get("Authorization") == "Basic [REDACTED]" for h in headers)
    assert report.result("users.create.password-not-returned").status == "fail"


def test_redaction_replaces_whole_secrets_only():
    """A one-letter token must not mangle the words of an error message around it."""
    from conformance.redaction import Redactor

    redactor = Redactor(["t", "scimproof_abc-DEF"])
    assert redactor.redact("Connection refused; token t") == "Connection refused; token [REDACTED]"
    assert redactor.redact("?token=scimproof_abc-DEF&x=1") == "?token=[REDACTED]&x=1"
