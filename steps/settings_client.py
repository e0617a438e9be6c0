"""The one precondition client of the steps: the settings UI's JSON API over Playwright's
``APIRequestContext``.

For the person signed in, that is the browser context's own ``context.request`` (its cookies
are the page's cookies); for anyone else it is that person's own API session
(``steps.sessions``). Either way the requests are what the settings pages' forms send.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import APIRequestContext, APIResponse

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
JSON = {"Accept": "application/json"}


def scim_settings_path(org_uid: str) -> str:
    """Path of an organization's SCIM 2.0 settings tab (and its JSON state)."""
    return f"/organizations/{org_uid}/settings/scim"


def audit_log_path(org_uid: str) -> str:
    """Path of an organization's audit log (and its JSON form)."""
    return f"/organizations/{org_uid}/settings/audit-log"


def _expect(response: APIResponse, status: int, what: str) -> APIResponse:
    assert response.status == status, (
        f"{what}: expected HTTP {status}, got {response.status} {response.text()[:300]}"
    )
    return response


def sign_in(http: APIRequestContext, base_url: str, email: str, password: str) -> str:
    """Post the sign-in form over this HTTP client; return the signed-in session's CSRF token."""
    form = http.get(f"{base_url}/sign-in")
    token = CSRF_FIELD.search(form.text())
    assert token, f"the sign-in page carries no CSRF token (HTTP {form.status})"
    done = http.post(
        f"{base_url}/sign-in",
        form={"email": email, "password": password, "csrf_token": token[1]},
        max_redirects=0,
    )
    assert done.status == 303, f"signing in as {email} answered HTTP {done.status}"
    landing = http.get(f"{base_url}/")  # the session's CSRF token, as every page carries it
    csrf = CSRF_META.search(landing.text())
    assert csrf, f"{base_url}/ carries no CSRF token after signing in (HTTP {landing.status})"
    return csrf[1]


class SettingsClient:
    """A signed-in session with the settings UI, asking for JSON."""

    def __init__(self, http: APIRequestContext, base_url: str, csrf_token: str) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.csrf_token = csrf_token

    def post(self, path: str, body: dict[str, str], *, as_form: bool = False) -> APIResponse:
        """POST a JSON body (or the form fields a page would send) with the session's CSRF."""
        headers = {**JSON, "X-CSRF-Token": self.csrf_token}
        if as_form:
            return self.http.post(self.base_url + path, form=body, headers=headers, max_redirects=0)
        return self.http.post(self.base_url + path, data=body, headers=headers)

    def get_json(self, path: str) -> Any:
        """GET a settings page as JSON."""
        return _expect(self.http.get(self.base_url + path, headers=JSON), 200, path).json()

    def enable_scim(self, org_uid: str) -> dict[str, Any]:
        """Switch SCIM on as the Enable SCIM 2.0 dialog does; return the new state."""
        response = self.post(scim_settings_path(org_uid) + "/enable", {"confirm": "yes"})
        return _expect(response, 200, "enable SCIM").json()

    def disable_scim(self, org_uid: str) -> dict[str, Any]:
        """Switch SCIM off (revoking its token) as the Disable SCIM 2.0 dialog does."""
        response = self.post(scim_settings_path(org_uid) + "/disable", {"confirm": "yes"})
        return _expect(response, 200, "disable SCIM").json()

    def generate_token(self, org_uid: str) -> dict[str, Any]:
        """Generate a SCIM bearer token as Generate token does, confirming that it replaces any
        live one (the server answers 409 otherwise); the state plus ``new_token``."""
        response = self.post(scim_settings_path(org_uid) + "/token", {"confirm": "yes"})
        return _expect(response, 201, "generate token").json()

    def scim_state(self, org_uid: str) -> dict[str, Any]:
        """The organization's SCIM settings as the JSON API reports them."""
        return self.get_json(scim_settings_path(org_uid))

    def audit_entries(self, org_uid: str) -> list[dict[str, Any]]:
        """The organization's audit log, newest first."""
        return self.get_json(audit_log_path(org_uid))["entries"]
