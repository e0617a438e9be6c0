"""Authentication options (CLI, pytest plugin, library) -> the ScimAuth a run sends.

Secret values may be given directly, as '@PATH' (read from a file), or through environment
variables: SCIM_TOKEN, SCIM_BASIC (USER:PASS), SCIM_CLIENT_SECRET, SCIM_HEADERS (one
'Name: value' per line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from conformance.auth import (
    AuthConfigError,
    BasicAuth,
    BearerToken,
    CombinedAuth,
    HeaderAuth,
    OAuthClientCredentials,
    ScimAuth,
    header_name,
    header_value,
)

ENV_TOKEN = "SCIM_TOKEN"
ENV_BASIC = "SCIM_BASIC"
ENV_CLIENT_SECRET = "SCIM_CLIENT_SECRET"
ENV_HEADERS = "SCIM_HEADERS"


@dataclass(frozen=True)
class AuthConfig:
    """Authentication options as given (values may be '@path' to read them from a file)."""

    token: str | None = None
    headers: tuple[str, ...] = ()
    basic: str | None = None
    oauth_token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scope: str | None = None
    client_auth: str = "basic"

    def with_environment(self, env: Mapping[str, str]) -> AuthConfig:
        """Fill what the options left out from SCIM_TOKEN, SCIM_BASIC, SCIM_CLIENT_SECRET..."""
        headers = self.headers or tuple(
            line for line in env.get(ENV_HEADERS, "").splitlines() if line.strip()
        )
        explicit = self.token or self.basic or self.oauth_token_url
        return AuthConfig(
            token=self.token or (None if explicit else env.get(ENV_TOKEN) or None),
            headers=headers,
            basic=self.basic or (None if explicit else env.get(ENV_BASIC) or None),
            oauth_token_url=self.oauth_token_url,
            client_id=self.client_id,
            client_secret=self.client_secret or env.get(ENV_CLIENT_SECRET) or None,
            scope=self.scope,
            client_auth=self.client_auth,
        )


def build_auth(
    config: AuthConfig, *, timeout: float = 20.0, verify: bool | str = True
) -> ScimAuth | None:
    """The ScimAuth for these options (None without credentials); AuthConfigError if unusable."""
    methods = [
        name
        for name, given in (
            ("--token", config.token),
            ("--basic", config.basic),
            ("--oauth-token-url", config.oauth_token_url),
        )
        if given
    ]
    if len(methods) > 1:
        raise AuthConfigError(f"{' and '.join(methods)} exclude each other: choose one")
    if not config.oauth_token_url and (config.client_id or config.scope):
        raise AuthConfigError("--client-id and --scope need --oauth-token-url")
    parts: list[ScimAuth] = []
    if config.headers:
        parts.append(HeaderAuth(parse_header(read_secret(h, "--header")) for h in config.headers))
        named = {name.lower() for name, _ in parts[0].pairs}
        if methods and "authorization" in named:
            raise AuthConfigError(f"--header Authorization and {methods[0]} exclude each other")
    if config.token:
        parts.append(BearerToken(read_secret(config.token, "--token")))
    elif config.basic:
        user, colon, password = read_secret(config.basic, "--basic").partition(":")
        if not colon or not user:
            raise AuthConfigError("--basic takes USER:PASS (or @FILE holding it)")
        parts.append(BasicAuth(user, password))
    elif config.oauth_token_url:
        if not config.client_id or not config.client_secret:
            raise AuthConfigError(
                "--oauth-token-url needs --client-id and a client secret (--client-secret, "
                f"--client-secret-file or ${ENV_CLIENT_SECRET})"
            )
        parts.append(
            OAuthClientCredentials(
                config.oauth_token_url,
                config.client_id,
                read_secret(config.client_secret, "--client-secret"),
                scope=config.scope,
                client_auth=config.client_auth,
                timeout=timeout,
                verify=verify,
            )
        )
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else CombinedAuth(parts)


def read_secret(value: str, option: str) -> str:
    """The value itself, or with '@PATH' the file's content (without the final newline)."""
    if not value.startswith("@"):
        return value
    path = Path(value[1:]).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.__class__.__name__
        raise AuthConfigError(f"{option} @{path}: cannot read it ({reason})") from exc
    return text.rstrip("\r\n")


def parse_header(text: str) -> tuple[str, str]:
    """'Name: value' -> (name, value); the error never repeats the value."""
    name, colon, value = text.partition(":")
    if not colon:
        raise AuthConfigError("--header takes 'Name: value'")
    return header_name(name.strip()), header_value(value.strip(), name.strip())
