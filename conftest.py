"""Root conftest: loads the stub fixtures, the browser settings plugin and every step module."""

import pytest

pytest_plugins = [
    "steps.playwright_plugin",
    "steps.stub_fixtures",
    "steps.sign_in_steps",
    "steps.org_settings_steps",
    "steps.scim_token_steps",
    "steps.audit_log_steps",
    "steps.api_steps",
    "steps.conformance_steps",
]


@pytest.fixture(scope="session")
def base_url(stub) -> str:
    """Base URL the browser and API steps use: the bundled stub, or --base-url.

    Defined here rather than in a plugin so it overrides pytest-playwright's own fixture.
    """
    return stub.base_url
