"""Steps that forge requests from a browser session: the server must refuse what the page
would not offer.
"""

from __future__ import annotations

from playwright.sync_api import APIResponse
from pytest_bdd import parsers, then, when

from steps.people import organization_uid
from steps.settings_client import SettingsClient, scim_settings_path


@when(
    parsers.parse(
        '{who} sends a request to enable SCIM 2.0 for "{organization}" from the browser session'
    ),
    target_fixture="forged_response",
)
def forge_enable_request(actor_client: SettingsClient, who: str, organization: str) -> APIResponse:
    """POST the enable form by hand with the browser's cookies and its valid CSRF token.

    The token is the session's own, so a refusal can only come from the role, plan or
    membership check, never from CSRF.
    """
    path = scim_settings_path(organization_uid(organization)) + "/enable"
    return actor_client.post(path, {"enable_scim": "on", "confirm": "yes"}, as_form=True)


@then(parsers.parse("the server refuses it with status {status:d}"))
def refused_with(forged_response: APIResponse, status: int) -> None:
    """The forged request got this status and a JSON error that says why."""
    assert forged_response.status == status, (
        f"expected {status}, got {forged_response.status}: {forged_response.text()[:300]}"
    )
    assert forged_response.headers["content-type"].startswith("application/json")
    assert forged_response.json()["message"]
