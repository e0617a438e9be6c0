"""Authentication options: parsing, files and environment, exclusions, and redaction hand-off."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from conformance.auth import (
    AuthConfigError,
    BasicAuth,
    BearerToken,
    CombinedAuth,
    HeaderAuth,
    OAuthClientCredentials,
    all_secrets,
)
from conformance.auth_options import AuthConfig, build_auth, parse_header
from conformance.cli import main
from conformance.http import HttpClient, HttpOptions
from conformance.redaction import REDACTED


def test_basic_sends_utf8_credentials_and_registers_every_form_as_secret() -> None:
    """--basic user:pässword -> Basic base64(utf-8); password, pair and encoding are secrets."""
    auth = build_auth(AuthConfig(basic="ops:pässword"))
    assert isinstance(auth, BasicAuth)
    encoded = base64.b64encode("ops:pässword".encode()).decode()
    assert auth.headers() == {"Authorization": f"Basic {encoded}"}
    assert set(all_secrets(auth)) == {"pässword", "ops:pässword", encoded}
    assert auth.bearer_token() is None


def test_headers_combine_with_one_authorization_method() -> None:
    """--header X: v --token t sends both; the header value is a secret too."""
    auth = build_auth(AuthConfig(token="tok-123", headers=("X-Tenant-Key: k-456",)))
    assert isinstance(auth, CombinedAuth)
    assert auth.headers() == {"X-Tenant-Key": "k-456", "Authorization": "Bearer tok-123"}
    assert auth.bearer_token() == "tok-123"
    assert set(all_secrets(auth)) == {"k-456", "tok-123"}


def test_an_authorization_header_given_as_header_yields_its_bearer_token() -> None:
    """--header 'Authorization: Bearer x' is the token the auth.* checks forge from."""
    auth = build_auth(AuthConfig(headers=("Authorization: Bearer abc",)))
    assert isinstance(auth, HeaderAuth)
    assert auth.bearer_token() == "abc"


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (AuthConfig(token="t", basic="u:p"), "exclude each other"),
        (AuthConfig(basic="u:p", oauth_token_url="https://idp/token"), "exclude each other"),
        (AuthConfig(token="t", headers=("Authorization: Basic x",)), "exclude each other"),
        (AuthConfig(basic="no-colon"), "USER:PASS"),
        (AuthConfig(oauth_token_url="https://idp/token", client_id="c"), "client secret"),
        (AuthConfig(client_id="c"), "need --oauth-token-url"),
        (AuthConfig(headers=("no colon here",)), "'Name: value'"),
        (AuthConfig(headers=("Bad Name: v",)), "not a valid HTTP field name"),
        (AuthConfig(headers=("X-Key: a\rb",)), "line break"),
        (
            AuthConfig(oauth_token_url="ftp://idp/token", client_id="c", client_secret="s"),
            "http:// or https://",
        ),
    ],
)
def test_unusable_options_are_refused(config: AuthConfig, message: str) -> None:
    """Each bad combination gets a message naming the option."""
    with pytest.raises(AuthConfigError, match=message):
        build_auth(config)


def test_no_secret_is_repeated_in_an_error() -> None:
    """A malformed header value is named by its header, never shown."""
    with pytest.raises(AuthConfigError) as raised:
        parse_header("X-Key: top\nsecret")
    assert "secret" not in str(raised.value)


def test_secrets_come_from_files(tmp_path: Path) -> None:
    """@PATH reads the value from a file, without its final newline."""
    (tmp_path / "basic").write_text("ops:from-file\n", encoding="utf-8")
    (tmp_path / "secret").write_text("cs-from-file\r\n", encoding="utf-8")
    basic = build_auth(AuthConfig(basic=f"@{tmp_path / 'basic'}"))
    assert isinstance(basic, BasicAuth) and basic.password == "from-file"
    oauth = build_auth(
        AuthConfig(
            oauth_token_url="https://idp/token",
            client_id="c",
            client_secret=f"@{tmp_path / 'secret'}",
        )
    )
    assert isinstance(oauth, OAuthClientCredentials)
    assert oauth.client_secret == "cs-from-file"
    with pytest.raises(AuthConfigError, match="cannot read"):
        build_auth(AuthConfig(token=f"@{tmp_path / 'missing'}"))


def test_environment_fills_what_options_leave_out() -> None:
    """SCIM_BASIC, SCIM_CLIENT_SECRET and SCIM_HEADERS apply; an explicit method wins."""
    env = {
        "SCIM_TOKEN": "env-token",
        "SCIM_BASIC": "u:env-pass",
        "SCIM_CLIENT_SECRET": "env-secret",
        "SCIM_HEADERS": "X-A: 1\n\nX-B: 2\n",
    }
    oauth = AuthConfig(oauth_token_url="https://idp/token", client_id="c").with_environment(env)
    assert (oauth.token, oauth.basic, oauth.client_secret) == (None, None, "env-secret")
    assert oauth.headers == ("X-A: 1", "X-B: 2")
    basic = AuthConfig(basic="u:cli").with_environment({"SCIM_TOKEN": "env-token"})
    assert (basic.token, basic.basic) == (None, "u:cli")
    only_env = AuthConfig().with_environment({"SCIM_BASIC": "u:env-pass"})
    assert isinstance(build_auth(only_env), BasicAuth)


def test_the_run_redacts_every_secret_of_its_auth() -> None:
    """HttpClient registers the auth's secrets, and those learnt later, with its redactor."""
    auth = build_auth(AuthConfig(basic="ops:pw-1234567", headers=("X-Key: key-7654321",)))
    client = HttpClient(None, HttpOptions(auth=auth))
    text = client.redactor.redact("pw-1234567 and key-7654321 and ops:pw-1234567")
    assert text == f"{REDACTED} and {REDACTED} and {REDACTED}"
    assert client.redactor.headers({"X-Key": "key-7654321"}) == {"X-Key": REDACTED}
    later = BearerToken("first-token")
    client = HttpClient(None, HttpOptions(auth=later))
    later._learnt("renewed-token")
    assert client.redactor.redact("renewed-token") == REDACTED
    assert client.token == "first-token"


def test_cli_reports_bad_auth_options_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """Usage errors exit 2 with a one-line message and no traceback."""
    status = main(["check", "http://127.0.0.1:9/scim", "--token", "t", "--basic", "u:p"])
    err = capsys.readouterr().err
    assert status == 2
    assert "exclude each other" in err and "Traceback" not in err


def test_client_secret_file_is_read_and_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--client-secret-file feeds the OAuth secret; --plan sends nothing and shows no secret."""
    secret_file = tmp_path / "client-secret"
    secret_file.write_text("cs-in-a-file-0123456789\n", encoding="utf-8")
    oauth = ["--oauth-token-url", "http://127.0.0.1:9/token", "--client-id", "c"]
    from_file = ["--client-secret-file", str(secret_file), "--plan"]
    status = main(["check", "http://127.0.0.1:9/scim", *oauth, *from_file])
    out = capsys.readouterr()
    assert status == 0
    assert "cs-in-a-file" not in out.out + out.err
    both = ["--client-secret", "x", "--client-secret-file", str(secret_file)]
    assert main(["check", "http://127.0.0.1:9/scim", *oauth, *both]) == 2
    assert "exclude each other" in capsys.readouterr().err
