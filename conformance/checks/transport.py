"""Transport security (RFC 7644 §7.2, §7.4): SCIM travels over TLS, and TLS 1.2 is offered.

Plain HTTP to a loopback address is how servers are tested locally: those runs skip rather
than raise a false alarm. The TLS 1.2 probe is one handshake to the base URL's own host and
port, verified like every request of the run, sending no HTTP request and no credential.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
from collections.abc import Iterable
from urllib.parse import urlsplit

from requests import certs

from conformance.context import CheckContext
from conformance.registry import check

TRANSPORT_RFC = "RFC 7644 §7.2"
PROBE_SECONDS = 10.0


def loopback_only(addresses: Iterable[str]) -> bool:
    """True when there is at least one address and every one is a loopback address
    (IPv4-mapped IPv6 addresses judged by their IPv4 form)."""
    found = False
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        mapped = getattr(address, "ipv4_mapped", None)
        if not (mapped or address).is_loopback:
            return False
        found = True
    return found


def _addresses(host: str) -> list[str]:
    """Every address the host name resolves to (empty when it does not resolve)."""
    try:
        return [str(info[4][0]) for info in socket.getaddrinfo(host, None)]
    except (OSError, UnicodeError):
        return []


def _tls12_context(verify: bool | str) -> ssl.SSLContext:
    """A client context allowing TLS 1.2 only, verifying as the run does (--insecure,
    --ca-bundle)."""
    if isinstance(verify, str):
        where = {"capath": verify} if os.path.isdir(verify) else {"cafile": verify}
        context = ssl.create_default_context(**where)
    else:  # the same trust store requests verifies the run's requests with (certifi)
        context = ssl.create_default_context(cafile=certs.where())
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_2
    return context


@check(
    "transport.tls-required",
    title="The service is reached over TLS (plain HTTP only on loopback, for local tests)",
    rfc=TRANSPORT_RFC,
    level="MUST",
    tags=("security",),
)
def tls_required(ctx: CheckContext) -> None:
    """An https base URL passes; plain HTTP to a host that is not loopback answered this run's
    requests, token included, so the service does not require TLS."""
    parts = urlsplit(ctx.base_url)
    if parts.scheme == "https":
        return
    host = parts.hostname or ""
    if loopback_only(_addresses(host)):
        ctx.skip(f"plain HTTP to {host}, a loopback address: a local test server")
    ctx.fail(
        f"{ctx.base_url} answered over plain HTTP from {host}, which is not a loopback "
        "address: the service does not require TLS, and the bearer token crossed the network "
        "unencrypted"
    )


@check(
    "transport.tls-1.2",
    title="The service negotiates TLS 1.2",
    rfc=TRANSPORT_RFC,
    level="MUST",
    tags=("security",),
)
def tls_12(ctx: CheckContext) -> None:
    """A TLS handshake offering TLS 1.2 alone, to the base URL's host and port, succeeds."""
    parts = urlsplit(ctx.base_url)
    if parts.scheme != "https":
        ctx.skip("the base URL is not https: transport.tls-required judges plain HTTP")
    host, port = parts.hostname or "", parts.port or 443
    options = ctx.run.client.options
    timeout = min(float(options.timeout), PROBE_SECONDS)
    try:
        context = _tls12_context(options.verify)
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            version = tls.version()
    except ssl.SSLCertVerificationError as exc:  # trust, not the protocol version: no verdict
        ctx.error(f"{host}:{port}: the certificate was not verified in the TLS 1.2 probe: {exc}")
    except ssl.SSLError as exc:
        ctx.fail(f"{host}:{port} refused a TLS 1.2 handshake: {exc}")
    except OSError as exc:
        ctx.error(f"could not reach {host}:{port} for a TLS handshake: {exc}")
    ctx.expect(version == "TLSv1.2", f"{host}:{port} negotiated {version}, not TLS 1.2")
