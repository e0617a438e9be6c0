"""The one redactor, the bounded JSON reader and the base-URL rules (pure: no sockets)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest

from conformance.checks.auth import forged
from conformance.cleanup import SafetyViolation, resource_path
from conformance.redaction import REDACTED, Redactor
from conformance.safejson import loads
from conformance.urls import BaseUrl, path_segment

TOKEN = "scimproof_Tok3n-abcdefghijklmnopqrstuvwxyz0123456789"


def forms_of(secret: str) -> dict[str, str]:
    """A secret as careless servers echo it."""
    return {
        "raw": secret,
        "inside a word": f"x{secret}y",
        "url-encoded": quote(f"Bearer {secret}", safe=""),
        "form-encoded": quote_plus(secret + " !"),
        "json-escaped": json.dumps(secret + '"\\'),
        "base64 basic": base64.b64encode(f"someone:{secret}".encode()).decode(),
        "base64 shifted": base64.b64encode(f"ab{secret}".encode()).decode(),
        "urlsafe base64": base64.urlsafe_b64encode(f"a{secret}".encode()).decode(),
        "8-char piece": secret[10:18],
        "one char changed": "X" + secret[1:],
    }


@pytest.mark.parametrize("form", sorted(forms_of(TOKEN)))
def test_every_form_of_a_secret_is_redacted(form: str) -> None:
    """No run of 8 characters of the token survives, in any encoding."""
    text = f"detail: {forms_of(TOKEN)[form]} (end)"
    redacted = Redactor([TOKEN]).redact(text)
    assert REDACTED in redacted
    windows = {TOKEN[i : i + 8] for i in range(len(TOKEN) - 7)}
    assert not [w for w in windows if w in redacted]
    assert redacted.endswith("(end)")


def test_basic_credentials_are_redacted_from_user_and_password() -> None:
    """Basic user:pass is caught whole, and from the password alone."""
    header = "Basic " + base64.b64encode(b"admin:pa55-w0rd-long").decode()
    whole = Redactor(["admin:pa55-w0rd-long"]).redact(header)
    assert whole.startswith(f"Basic {REDACTED}")
    assert len(whole) <= len(f"Basic {REDACTED}") + 3  # at most the padded last quantum
    assert header not in Redactor(["pa55-w0rd-long"]).redact(header)


def test_short_secrets_are_replaced_only_where_they_stand_whole() -> None:
    """A one-letter token must not mangle the words around it."""
    assert Redactor(["t"]).redact("token t, at") == f"token {REDACTED}, at"


def test_secrets_added_later_are_redacted_too() -> None:
    """An access token learnt mid-run (OAuth) joins the redactor."""
    redactor = Redactor([None, ""])
    assert not redactor
    redactor.add("access-token-0123456789")
    assert redactor.redact("got access-token-0123456789") == f"got {REDACTED}"


def test_the_run_prefix_survives_a_token_that_shares_its_start() -> None:
    """A name under the public run prefix stays readable; every other piece of the token goes."""
    prefix = "scimproof-1a2b3c4d-"
    plain, aware = Redactor([TOKEN]), Redactor([TOKEN], public=[prefix])
    name = f"{prefix}alice@example.com"
    assert REDACTED in plain.redact(name)  # the token starts "scimproof_": same 8 letters
    assert aware.redact(name) == name
    leaked = aware.redact(f"Bearer {TOKEN}")
    assert not [TOKEN[i : i + 8] for i in range(9, len(TOKEN) - 7) if TOKEN[i : i + 8] in leaked]
    aware.add("scimproof-1a2b3c4d-but-secret")
    assert aware.redact(name) == name
    assert "but-secret" not in aware.redact("scimproof-1a2b3c4d-but-secret")
    plain.allow(prefix)  # declared after the secrets, as a run does once its prefix is drawn
    assert plain.redact(name) == name
    assert REDACTED in plain.redact(TOKEN)


def test_json_values_are_redacted_at_any_depth_without_recursion() -> None:
    """10,000 levels deep: no RecursionError; secret-named keys replaced whole."""
    value: object = {"detail": TOKEN, "password": "hunter2", TOKEN: 1}
    for _ in range(10_000):
        value = [value]
    redacted = Redactor([TOKEN]).redact_json(value)
    for _ in range(10_000):
        redacted = redacted[0]
    assert redacted == {"detail": REDACTED, "password": REDACTED, REDACTED: 1}


def test_headers_keep_the_scheme_and_mask_credentials() -> None:
    """Authorization keeps its scheme; cookies go; other headers are redacted as text."""
    masked = Redactor([TOKEN]).headers(
        {"Authorization": f"Bearer {TOKEN}", "Cookie": "s=1", "X-Echo": f"t={TOKEN}"}
    )
    assert masked == {
        "Authorization": f"Bearer {REDACTED}",
        "Cookie": REDACTED,
        "X-Echo": f"t={REDACTED}",
    }


def test_deep_json_is_refused_not_crashed() -> None:
    """The bounded reader answers ValueError, naming the nesting."""
    with pytest.raises(ValueError, match="nested deeper"):
        loads("[" * 10_000 + "]" * 10_000)
    assert loads('{"a": ["[[[[", {"b": 1}]}') == {"a": ["[[[[", {"b": 1}]}


BASE = BaseUrl("https://scim.example.com/a/b/scim/v2")


@pytest.mark.parametrize(
    ("url", "inside"),
    [
        ("https://scim.example.com/a/b/scim/v2/Users/1", True),
        ("https://SCIM.example.com:443/a/b/scim/v2", True),
        ("https://scim.example.com/a/b/scim/v2/Users/a%2Fb", True),
        ("https://scim.example.com/a/b/scim/v2/Users/../../../admin", False),
        ("https://scim.example.com/a/b/scim/v2/Users/..%2F..%2F..%2Fadmin", False),
        ("https://scim.example.com/a/b/scim/v2/Users/%252e%252e/%252e%252e/x", False),
        ("https://scim.example.com/a/b/scim/v2-other/Users", False),
        ("http://scim.example.com/a/b/scim/v2/Users", False),
        ("https://scim.example.com:8443/a/b/scim/v2/Users", False),
        ("https://evil.example.com/a/b/scim/v2/Users", False),
    ],
)
def test_what_lies_under_the_base_url(url: str, inside: bool) -> None:
    """Origin and path, however encoded, decide whether a credential may travel."""
    assert BASE.contains(url) is inside


@pytest.mark.parametrize(
    ("endpoint", "resolved"),
    [
        ("/Users", "/Users"),
        ("Users/", "/Users"),
        ("/a/b/scim/v2/Users", "/Users"),
        ("https://scim.example.com/a/b/scim/v2/Groups", "/Groups"),
        ("https://elsewhere.example.com/scim/v2/Groups", None),
    ],
)
def test_resource_type_endpoints_resolve_against_the_base(
    endpoint: str, resolved: str | None
) -> None:
    """RFC 7643 §6 relative endpoints; absolute ones per RFC 3986 §5.2."""
    assert BASE.endpoint(endpoint) == resolved


def test_ids_travel_as_one_segment_and_dots_are_refused() -> None:
    """'../admin' cannot climb; '.' and '..' cannot address a resource at all."""
    assert path_segment("../../admin/danger") == "..%2F..%2Fadmin%2Fdanger"
    assert resource_path("/Users", "a/b") == "/Users/a%2Fb"
    for unaddressable in ("", ".", ".."):
        with pytest.raises(SafetyViolation):
            resource_path("/Users", unaddressable)


def test_forged_credentials_share_nothing_with_the_real_one() -> None:
    """auth.wrong-token's token is random: no 4-character run in common."""
    for _ in range(20):
        fake = forged(TOKEN)
        assert not [fake[i : i + 4] for i in range(len(fake) - 3) if fake[i : i + 4] in TOKEN]
