"""What a vendor sees from the CLI: the HTML report of a failing run, one line for Ctrl-C,
why a run could not start (no token, refused token, plain HTTP behind https://, TLS)."""

from __future__ import annotations

import json
import signal
import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme

from conformance.cli import main
from stub_server.serving import serve_in_thread
from tests.integration.conformance.faulty import TOKEN
from tests.integration.conformance.hostile import hostile_server
from tests.integration.conformance.hostile_run import assert_nothing_leaked
from tests.integration.conformance.test_hostile_signals import filtered_list, finish, start_cli
from tests.unit.conformance.test_report_html import Page

# Faults across every area that leave discovery intact, so nearly every check runs and many fail.
MANY_FAULTS = {
    "drop-location",
    "create-200",
    "delete-200",
    "no-scim-type",
    "wrong-scim-type",
    "count-ignored",
    "start-index-off-by-one",
    "sort-order-ignored",
    "filter-ne-as-eq",
    "filter-case-sensitive",
    "filter-and-as-or",
    "patch-replace-appends",
    "patch-not-atomic",
    "ignore-if-match",
    "etag-constant",
    "return-password",
    "password-in-lists",
    "keep-client-meta",
    "mangle-unicode",
    "bulk-stops-at-first-error",
    "uniqueness-case-sensitive",
    "no-www-authenticate",
    "search-count-ignored",
    "drop-meta-resource-type",
}


def test_a_failing_run_of_every_check_gives_a_small_indexed_html_report(
    faulty_server: Callable[..., str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """All RFC and profile checks on a server with many faults: under 500 KB, index, filters."""
    html_path, json_path = tmp_path / "report.html", tmp_path / "report.json"
    arguments = ["check", faulty_server(MANY_FAULTS), "--token", TOKEN, "--no-progress"]
    arguments += ["--profile", "entra", "--profile", "okta", "--profile", "onelogin"]
    status = main([*arguments, "--html", str(html_path), "--json", str(json_path)])
    assert status == 1, capsys.readouterr().out[-3000:]
    report = json.loads(json_path.read_text())
    failing = [
        r["id"] for r in report["results"] if r["status"] == "fail" and not r.get("blocked_by")
    ]
    assert len(failing) >= 30 and len(report["results"]) >= 170
    size = html_path.stat().st_size
    assert size < 500_000, f"{size} bytes"
    text = html_path.read_text()
    page = Page(text)
    assert page.order.index("verdict") < page.order.index("by-section") < page.order.index("checks")
    assert set(failing) <= set(page.links)  # every failure is indexed
    assert page.ids["filters"]["tag"] == "form"
    packed = json.loads(page.scripts["transcripts"])
    assert set(failing) <= set(packed["checks"])  # failures keep their transcripts
    assert TOKEN not in text and TOKEN not in capsys.readouterr().out


def test_ctrl_c_prints_one_line_counting_the_checks_not_run(tmp_path: Path) -> None:
    """SIGINT during a stalled request: one INTERRUPTED line, no "not run" line per check."""
    with hostile_server("slow-drip") as server:
        process = start_cli(server, tmp_path, "--timeout", "30", "--cleanup-deadline", "30")
        server.app.log.wait_for(filtered_list, timeout=120)
        process.send_signal(signal.SIGINT)
        outcome = finish(process, tmp_path, 0.0)
    assert outcome.status == 2, outcome.stderr[-2000:]
    lines = outcome.stdout.splitlines()
    counted = [line for line in lines if line.startswith("INTERRUPTED: ")]
    assert len(counted) == 1, outcome.stdout[-3000:]
    assert not [line for line in lines if "not run" in line and line not in counted]
    not_run = sum(1 for r in outcome.report()["results"] if r["message"].startswith("not run"))
    assert not_run > 20 and counted[0].startswith(f"INTERRUPTED: {not_run} of ")
    assert_nothing_leaked(outcome, server.token)


def test_no_token_is_not_reported_as_a_refused_token(
    faulty_server: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without any credentials a 401 says so and names the options; a wrong token is refused."""
    for variable in ("SCIM_TOKEN", "SCIM_BASIC", "SCIM_HEADERS", "SCIM_CLIENT_SECRET"):
        monkeypatch.delenv(variable, raising=False)
    base_url = faulty_server(set())
    assert main(["check", base_url, "--tags", "discovery", "--no-progress"]) == 2
    missing = capsys.readouterr().err
    assert "no token given" in missing and "--token" in missing
    assert "refused" not in missing
    assert main(["check", base_url, "--token", "not-the-token", "--tags", "discovery"]) == 2
    refused = capsys.readouterr().err
    assert "refused the token" in refused and "no token given" not in refused


def test_https_url_on_a_plain_http_port_says_use_http(
    faulty_server: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    """https:// against a plain HTTP server: 'speaks plain HTTP on that port; use http://'."""
    plain = faulty_server(set())
    assert plain.startswith("http://")
    status = main(["check", "https://" + plain.removeprefix("http://"), "--token", TOKEN])
    err = capsys.readouterr().err
    assert status == 2
    assert "the server speaks plain HTTP on that port; use http://" in err
    assert "TLS verification failed" not in err and "WRONG_VERSION_NUMBER" not in err


@pytest.fixture
def tls_server() -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 whose certificate no system CA vouches for."""
    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with serve_in_thread(_nothing_here, ssl_context=context) as server:
        yield f"https://127.0.0.1:{server.port}/scim/v2"


def _nothing_here(environ: dict, start_response: Callable[..., object]) -> list[bytes]:
    """A WSGI app answering 404 to everything (the handshake fails before it is reached)."""
    start_response("404 Not Found", [("Content-Length", "0")])
    return [b""]


def test_a_real_tls_failure_is_still_reported_as_one(
    tls_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An untrusted certificate is a TLS verification failure, not 'use http://'."""
    assert main(["check", tls_server, "--token", TOKEN, "--tags", "discovery"]) == 2
    err = capsys.readouterr().err
    assert "TLS verification failed" in err and "CERTIFICATE_VERIFY_FAILED" in err
    assert "plain HTTP" not in err
