"""The TLS 1.2 probe trusts what the run's requests trust (no sockets)."""

from __future__ import annotations

import ssl

from requests import certs

from conformance.checks.transport import _tls12_context


def test_the_probe_verifies_with_the_roots_requests_uses() -> None:
    """Default verification: certifi's roots, as requests, not the system store (which may
    be empty in a container and would fail a server every request of the run trusted)."""
    context = _tls12_context(True)
    with open(certs.where(), encoding="ascii") as bundle:
        roots = bundle.read().count("BEGIN CERTIFICATE")
    assert context.cert_store_stats()["x509_ca"] == roots
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.minimum_version == context.maximum_version == ssl.TLSVersion.TLSv1_2


def test_insecure_runs_probe_without_verification() -> None:
    """--insecure: the probe judges the protocol version only."""
    context = _tls12_context(False)
    assert context.verify_mode == ssl.CERT_NONE and not context.check_hostname
