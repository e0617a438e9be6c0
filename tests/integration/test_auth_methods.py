"""Basic, custom-header and OAuth 2.0 client-credentials authentication, end to end.

The stub sits behind a real authenticating proxy (tests/integration/auth_proxy.py) on a loopback
port. The whole check suite runs through it once per method with 0 errors, and no secret appears
in any byte of the JSON, JUnit and HTML reports or of the console output.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.auth import AuthError, OAuthClientCredentials
from conformance.cli import EXIT_UNEVALUATED, main
from conformance.http import HttpClient, HttpOptions
from stub_server.serving import serve_in_thread
from tests.integration.auth_proxy import AuthProxy, ProxyCredentials, serve_proxy

ORG_UID = "blt0acme000000001"


@dataclass(frozen=True)
class Stub:
    """The stub's SCIM base URL and bearer token."""

    base_url: str
    token: str


@pytest.fixture(scope="module")
def stub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stub]:
    """The stub's SCIM service for Acme on a free port, with a fresh token."""
    from stub_server import create_app
    from stub_server.storage import storage_of

    database = tmp_path_factory.mktemp("auth-stub") / "stub.sqlite3"
    app = create_app({"DATABASE": str(database), "SECRET_KEY": "auth-tests"})
    storage = storage_of(app)
    storage.set_scim_enabled(ORG_UID, True)
    token = storage.issue_token(ORG_UID, "auth-tests")
    with serve_in_thread(app) as server:
        yield Stub(
            f"http://127.0.0.1:{server.server_port}/scim/v2.0/organizations/{ORG_UID}", token
        )


@pytest.fixture
def credentials() -> ProxyCredentials:
    """Fresh random credentials for one test."""
    return ProxyCredentials()


def _run_cli(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple:
    """Run scim-conformance check with every report; (exit status, report JSON, all bytes)."""
    reports = [tmp_path / "r.json", tmp_path / "r.xml", tmp_path / "r.html"]
    status = main(
        [
            *args,
            *("--json", str(reports[0]), "--junit", str(reports[1]), "--html", str(reports[2])),
            *("--no-progress", "--verbose"),
        ]
    )
    captured = capsys.readouterr()
    assert all(path.exists() for path in reports), f"exit {status}, no reports: {captured.err}"
    written = b"".join(path.read_bytes() for path in reports)
    everything = written + captured.out.encode() + captured.err.encode()
    return status, json.loads(reports[0].read_text(encoding="utf-8")), everything


def _oauth_args(proxy: AuthProxy, credentials: ProxyCredentials) -> list[str]:
    """scim-conformance check through the proxy with OAuth (the secret comes separately)."""
    return [
        *("check", proxy.base_url, "--oauth-token-url", proxy.token_url),
        *("--client-id", credentials.client_id),
    ]


def _assert_clean_run(report: dict, everything: bytes, secrets: list[str]) -> None:
    """0 errors and 0 failures, every check accounted for, no secret in any byte."""
    bad = [(r["id"], r["status"], r["message"]) for r in report["results"]]
    bad = [entry for entry in bad if entry[1] in ("error", "fail")]
    assert bad == []
    assert len(report["results"]) > 100
    assert report["safety"]["unchanged"], report["safety"]
    for secret in secrets:
        assert secret.encode() not in everything, f"a secret of {len(secret)} characters leaked"


def test_full_suite_with_basic_auth_from_a_file(
    stub: Stub, credentials: ProxyCredentials, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--basic @FILE: every check runs through a Basic-only proxy; the password never shows."""
    pair = f"{credentials.user}:{credentials.password}"
    secret_file = tmp_path / "basic.txt"
    secret_file.write_text(pair + "\n", encoding="utf-8")
    proxy = AuthProxy(stub.base_url, stub.token, "basic", credentials)
    with serve_proxy(proxy):
        status, report, everything = _run_cli(
            ["check", proxy.base_url, "--basic", f"@{secret_file}"], tmp_path, capsys
        )
    encoded = base64.b64encode(pair.encode()).decode()
    _assert_clean_run(report, everything, [credentials.password, pair, encoded, stub.token])
    assert status == 0


def test_full_suite_with_a_custom_header(
    stub: Stub, credentials: ProxyCredentials, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--header 'X-Api-Key: ...': every check runs through a key-checking proxy; no key shows."""
    proxy = AuthProxy(stub.base_url, stub.token, "header", credentials)
    header = f"{credentials.header_name}: {credentials.header_value}"
    with serve_proxy(proxy):
        status, report, everything = _run_cli(
            ["check", proxy.base_url, "--header", header], tmp_path, capsys
        )
    _assert_clean_run(report, everything, [credentials.header_value, stub.token])
    assert status == 0


def test_full_suite_with_oauth_client_credentials_and_expiring_tokens(
    stub: Stub,
    credentials: ProxyCredentials,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tokens living one second are renewed through the run; the auth checks pass on them."""
    monkeypatch.setenv("SCIM_CLIENT_SECRET", credentials.client_secret)
    proxy = AuthProxy(stub.base_url, stub.token, "oauth", credentials, expires_in=1)
    with serve_proxy(proxy):
        status, report, everything = _run_cli(_oauth_args(proxy, credentials), tmp_path, capsys)
    _assert_clean_run(report, everything, [credentials.client_secret, stub.token, *proxy.issued])
    assert status == 0
    assert len(proxy.issued) >= 2, "the one-second token was never renewed"
    auth_results = {r["id"]: r["status"] for r in report["results"] if r["id"].startswith("auth.")}
    assert set(auth_results.values()) == {"pass"}, auth_results


@pytest.mark.parametrize("client_auth", ["basic", "body"])
def test_a_token_is_renewed_when_it_expires(
    stub: Stub, credentials: ProxyCredentials, client_auth: str
) -> None:
    """Past expires_in (minus a little leeway) the next request fetches a new token."""
    now = [1000.0]
    proxy = AuthProxy(stub.base_url, stub.token, "oauth", credentials, expires_in=300)
    with serve_proxy(proxy):
        auth = OAuthClientCredentials(
            proxy.token_url,
            credentials.client_id,
            credentials.client_secret,
            client_auth=client_auth,
            clock=lambda: now[0],
        )
        first = auth.current_token()
        now[0] += 269  # inside the lifetime less its 30 s leeway
        assert auth.current_token() == first
        now[0] += 2
        second = auth.current_token()
    assert second != first
    assert proxy.issued == [first, second]


def test_a_401_renews_the_token_once_and_repeats_the_request(
    stub: Stub, credentials: ProxyCredentials
) -> None:
    """A revoked token gets one renewal and one repeat; a forged token gets neither."""
    proxy = AuthProxy(stub.base_url, stub.token, "oauth", credentials)
    with serve_proxy(proxy):
        auth = OAuthClientCredentials(
            proxy.token_url, credentials.client_id, credentials.client_secret
        )
        client = HttpClient(None, HttpOptions(auth=auth))
        url = f"{proxy.base_url}/ServiceProviderConfig"
        assert client.send("GET", url, headers=client.auth_header())[0].status_code == 200
        proxy.revoke_all()
        response, exchange = client.send("GET", url, headers=client.auth_header())
        assert response.status_code == 200
        assert [r.status_code for r in response.history] == [401]
        assert len(proxy.issued) == 2
        forged, _ = client.send("GET", url, headers={"Authorization": "Bearer forged-token"})
        assert forged.status_code == 401
        assert len(proxy.issued) == 2
        client.close()
    assert proxy.issued[0] not in json.dumps(exchange.to_dict())


def test_a_refused_client_secret_ends_the_run_before_it_starts(
    stub: Stub, credentials: ProxyCredentials, capsys: pytest.CaptureFixture[str]
) -> None:
    """invalid_client from the token endpoint: exit 2, one line, the wrong secret not echoed."""
    proxy = AuthProxy(stub.base_url, stub.token, "oauth", credentials)
    wrong = "wrong-" + credentials.client_secret
    with serve_proxy(proxy):
        status = main([*_oauth_args(proxy, credentials), "--client-secret", wrong])
        with pytest.raises(AuthError, match="invalid_client"):
            OAuthClientCredentials(proxy.token_url, credentials.client_id, wrong).headers()
    captured = capsys.readouterr()
    assert status == EXIT_UNEVALUATED
    assert "answered 401 (invalid_client)" in captured.err
    assert wrong not in captured.out + captured.err
    assert proxy.refused == 0  # no SCIM request was sent without a token


def test_pytest_plugin_authenticates_with_header_and_oauth(
    stub: Stub, credentials: ProxyCredentials, tmp_path: Path
) -> None:
    """pytest --scim-header / --scim-oauth-token-url reach the checks; no secret is printed."""
    proxy = AuthProxy(stub.base_url, stub.token, "oauth", credentials)
    with serve_proxy(proxy):
        done = subprocess.run(
            [
                *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA"),
                *("--scim-url", proxy.base_url, "--scim-tags", "users.create,auth"),
                *("--scim-oauth-token-url", proxy.token_url),
                *("--scim-client-id", credentials.client_id),
                *("--scim-header", "X-Request-Source: scimproof-tests"),
            ],
            cwd=tmp_path,
            env={**os.environ, "SCIM_CLIENT_SECRET": credentials.client_secret},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "PASSED scim-conformance::users.create.status" in output
    assert "PASSED scim-conformance::auth.wrong-token" in output
    assert proxy.issued, "the plugin never fetched a token"
    for secret in [credentials.client_secret, *proxy.issued]:
        assert secret not in output
