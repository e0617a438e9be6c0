"""HTTP clients the API steps use: the settings JSON API with a session, and the SCIM API."""

from __future__ import annotations

import re
from typing import Any

import requests
from playwright.sync_api import Page

from steps.people import Person

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
JSON = {"Accept": "application/json"}
TIMEOUT = 10


def scim_settings_path(org_uid: str) -> str:
    """Path of an organization's SCIM 2.0 settings tab (and its JSON state)."""
    return f"/organizations/{org_uid}/settings/scim"


class SettingsApi:
    """A person's own HTTP session with the stub's settings UI, asking for JSON."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()

    def sign_in(self, person: Person) -> SettingsApi:
        """Sign in through the real form (CSRF token from the sign-in page)."""
        page = self.http.get(f"{self.base_url}/sign-in", timeout=TIMEOUT)
        token = CSRF_META.search(page.text)
        assert token, "the sign-in page carries no CSRF token"
        done = self.http.post(
            f"{self.base_url}/sign-in",
            data={"email": person.email, "password": person.password, "csrf_token": token[1]},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert done.status_code == 303, f"sign-in as {person.email} failed: {done.status_code}"
        return self

    def _post_json(self, path: str, body: dict[str, str]) -> requests.Response:
        """POST JSON with the CSRF token of the signed-in session (read from All Stacks)."""
        token = CSRF_META.search(self.http.get(f"{self.base_url}/", timeout=TIMEOUT).text)
        assert token, "All Stacks carries no CSRF token"
        return self.http.post(
            self.base_url + path,
            json=body,
            headers={**JSON, "X-CSRF-Token": token[1]},
            timeout=TIMEOUT,
        )

    def enable_scim(self, org_uid: str) -> dict[str, Any]:
        """Switch SCIM on as the Enable SCIM 2.0 dialog does; return the new state."""
        response = self._post_json(scim_settings_path(org_uid) + "/enable", {"confirm": "yes"})
        assert response.status_code == 200, f"enable SCIM: {response.status_code} {response.text}"
        return response.json()

    def generate_token(self, org_uid: str) -> str:
        """Generate a SCIM bearer token as Generate token does (replacing any live one, as
        confirmed); return the secret."""
        response = self._post_json(scim_settings_path(org_uid) + "/token", {"confirm": "yes"})
        assert response.status_code == 201, f"token: {response.status_code} {response.text}"
        return response.json()["new_token"]

    def scim_state(self, org_uid: str) -> dict[str, Any]:
        """Return the organization's SCIM settings as the JSON API reports them."""
        response = self.http.get(
            self.base_url + scim_settings_path(org_uid), headers=JSON, timeout=TIMEOUT
        )
        assert response.status_code == 200, f"SCIM settings: {response.status_code}"
        return response.json()

    def audit_entries(self, org_uid: str) -> list[dict[str, Any]]:
        """Return the organization's audit log, newest first."""
        response = self.http.get(
            f"{self.base_url}/organizations/{org_uid}/settings/audit-log",
            headers=JSON,
            timeout=TIMEOUT,
        )
        assert response.status_code == 200, f"audit log: {response.status_code}"
        return response.json()["entries"]


def settings_action_in_browser(
    page: Page, base_url: str, org_uid: str, action: str, body: dict[str, str]
) -> dict[str, Any]:
    """POST a SCIM settings action (enable, token …) as the signed-in browser, asking for JSON.

    Uses the browser context's own HTTP client (its cookies) and the CSRF token of the page on
    screen: what the page's form would send, without rendering the steps in between.
    """
    csrf_token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert csrf_token, f"{page.url} carries no CSRF token"
    response = page.context.request.post(
        f"{base_url.rstrip('/')}{scim_settings_path(org_uid)}/{action}",
        data=body,
        headers={**JSON, "X-CSRF-Token": csrf_token},
    )
    assert response.ok, f"{action}: HTTP {response.status} {response.text()[:300]}"
    return response.json()


def browser_session_post(
    base_url: str, path: str, cookies: list[dict[str, Any]], csrf_token: str, data: dict[str, str]
) -> requests.Response:
    """POST with a browser's cookies and CSRF token, as a hand-forged request would."""
    cookie_header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    return requests.post(
        base_url.rstrip("/") + path,
        data={"csrf_token": csrf_token, **data},
        headers={**JSON, "Cookie": cookie_header},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def scim_connection_test(scim_base_url: str, token: str) -> requests.Response:
    """Call the SCIM API the way Okta tests a connection: GET /Users?startIndex=1&count=1."""
    return requests.get(
        scim_base_url.rstrip("/") + "/Users",
        params={"startIndex": 1, "count": 1},
        headers={"Authorization": f"Bearer {token}", "Accept": "application/scim+json"},
        timeout=TIMEOUT,
    )
