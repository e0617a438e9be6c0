"""Transport checks (RFC 7644 §7.2) against scim2-server served over real TLS on 127.0.0.1.

The fault middleware works above HTTP, so it cannot take TLS away: these checks are shown
passing, skipping and failing here instead, with a throwaway CA (trustme) trusted through
--ca-bundle. Plain HTTP to a host that is not loopback cannot be served on this machine (only
loopback targets); the decision that fails it is tested on addresses directly.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import trustme

from conformance.checks.transport import loopback_only
from conformance.http import HttpOptions
from conformance.report.model import Report
from stub_server.serving import serve_in_thread
from tests.integration.conformance.faulty import TOKEN, scim2_server_app

# check id -> the test below that shows it failing (the fault tables cannot reach TLS).
FAILS_ELSEWHERE: dict[str, str] = {
    "transport.tls-1.2": "test_a_server_without_tls_1_2_fails",
    "transport.tls-required": "test_only_loopback_addresses_excuse_plain_http",
}
CHECKS = ["transport.tls-required", "transport.tls-1.2"]


@contextmanager
def tls_scim2_server(
    ca_file: Path, minimum: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2
) -> Iterator[str]:
    """scim2-server over HTTPS on 127.0.0.1 (certificate from a fresh CA written to ca_file)."""
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(ca_file))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = minimum
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with serve_in_thread(scim2_server_app(), ssl_context=context) as server:
        yield f"https://127.0.0.1:{server.port}/v2"


def _statuses(run_checks: Callable[..., Report], base_url: str, ca_file: Path) -> dict[str, str]:
    """Run the transport checks; check id -> status (message on anything unexpected)."""
    report = run_checks(CHECKS, base_url, TOKEN, http=HttpOptions(verify=str(ca_file)))
    return {check_id: report.result(check_id).status for check_id in CHECKS}


def test_tls_1_2_and_later_pass(run_checks: Callable[..., Report], tmp_path: Path) -> None:
    """A server offering TLS 1.2 and 1.3: TLS is in use and 1.2 is negotiated on request."""
    ca_file = tmp_path / "ca.pem"
    with tls_scim2_server(ca_file) as base_url:
        statuses = _statuses(run_checks, base_url, ca_file)
    assert statuses == {"transport.tls-required": "pass", "transport.tls-1.2": "pass"}


def test_a_server_without_tls_1_2_fails(run_checks: Callable[..., Report], tmp_path: Path) -> None:
    """A TLS 1.3-only server runs every request, yet refuses the TLS 1.2 the RFC requires."""
    ca_file = tmp_path / "ca.pem"
    with tls_scim2_server(ca_file, ssl.TLSVersion.TLSv1_3) as base_url:
        report = run_checks(CHECKS, base_url, TOKEN, http=HttpOptions(verify=str(ca_file)))
    result = report.result("transport.tls-1.2")
    assert (result.status, report.result("transport.tls-required").status) == ("fail", "pass")
    assert "TLS 1.2" in result.message


def test_plain_http_on_loopback_is_a_local_test_server(
    run_checks: Callable[..., Report], faulty_server: Callable[..., str]
) -> None:
    """The usual local run (http://127.0.0.1) raises no transport alarm: both checks skip."""
    report = run_checks(CHECKS, faulty_server(set()))
    results = {check_id: report.result(check_id) for check_id in CHECKS}
    assert {c: r.status for c, r in results.items()} == dict.fromkeys(CHECKS, "skip")
    assert "loopback" in results["transport.tls-required"].message


@pytest.mark.parametrize(
    ("addresses", "loopback"),
    [
        (["127.0.0.1"], True),
        (["127.0.0.1", "::1"], True),
        (["::ffff:127.0.0.1"], True),
        (["127.0.0.1", "192.0.2.10"], False),
        (["2001:db8::1"], False),
        ([], False),
    ],
)
def test_only_loopback_addresses_excuse_plain_http(addresses: list[str], loopback: bool) -> None:
    """A host is a local test server only when every address it resolves to is loopback;
    anything else over plain HTTP fails transport.tls-required."""
    assert loopback_only(addresses) is loopback
