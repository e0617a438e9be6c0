"""Before a run: is BASE_URL a SCIM service at all? One sentence saying what was found if not."""

from __future__ import annotations

import re
from typing import Any

import requests

from conformance.safejson import loads

SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
SPC_KEYS = frozenset({"patch", "bulk", "filter", "authenticationSchemes", "etag", "sort"})
LIST_KEYS = frozenset({"Resources", "totalResults"})
PASSWORD_INPUT = re.compile(rb"<input[^>]+type=[\"']?password", re.IGNORECASE)


def _json(response: requests.Response) -> Any:
    """The body as JSON, or None."""
    try:
        return loads(response.content or b"null")
    except ValueError:
        return None


def _looks_like_scim(response: requests.Response, keys: frozenset[str]) -> bool:
    """True if the body is a JSON object with SCIM schemas or the keys expected here."""
    body = _json(response)
    if not isinstance(body, dict):
        return False
    schemas = body.get("schemas")
    has_schemas = isinstance(schemas, list) and any(
        isinstance(s, str) and s.startswith("urn:ietf:params:scim:") for s in schemas
    )
    return has_schemas or bool(keys & set(body))


def _what_answered(response: requests.Response) -> str:
    """What a non-SCIM answer is, as a phrase: 'an HTML login page', 'a redirect to ...'."""
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers.get("Location") or "nowhere (no Location header)"
        return f"a redirect ({status}) to {location}"
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip() or "no type"
    body = response.content or b""
    if "html" in content_type or body.lstrip()[:1] == b"<":
        page = "an HTML login page" if PASSWORD_INPUT.search(body) else "an HTML page"
        return f"{page} ({status}, {content_type})"
    value = _json(response)
    if value is None:
        return f"{status} with a body that is not JSON ({content_type})"
    kind = "a JSON object" if isinstance(value, dict) else f"JSON {type(value).__name__}"
    return f"{status} with {kind} that is not SCIM (no SCIM schemas)"


ADVICE = {
    "redirect": "use the URL the SCIM service itself answers at as BASE_URL (the checker never "
    "follows redirects with a credential)",
    "login": "BASE_URL points at a web sign-in, not the SCIM API: check BASE_URL (for example "
    "https://host/scim/v2) and the token",
    "other": "check that BASE_URL is the SCIM base URL (the one below which /Users and "
    "/ServiceProviderConfig live)",
}


def not_scim(
    base_url: str, spc: requests.Response, users: requests.Response, users_path: str
) -> str | None:
    """One sentence if neither /ServiceProviderConfig nor the Users list answers like SCIM."""
    if spc.status_code in (401, 403) or users.status_code in (401, 403):
        return None  # a refused token is reported on its own
    spc_ok = spc.status_code == 200 and _looks_like_scim(spc, SPC_KEYS)
    users_ok = users.status_code == 200 and _looks_like_scim(users, LIST_KEYS)
    if spc_ok or users_ok or (spc.status_code == 404 and users.status_code == 404):
        return None
    found = _what_answered(spc)
    advice = ADVICE["other"]
    if found.startswith("a redirect"):
        advice = ADVICE["redirect"]
    elif "login page" in found:
        advice = ADVICE["login"]
    return (
        f"no SCIM service at {base_url}: GET /ServiceProviderConfig answered {found}, and "
        f"GET {users_path} answered {_what_answered(users)}; {advice}"
    )
