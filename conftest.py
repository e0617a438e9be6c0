"""Root conftest: the CI hypothesis profile, the stub fixtures, the browser settings plugin and
every step module."""

import os

import pytest
from hypothesis import settings

# CI gates releases on the same examples every run (derandomized, no example database);
# locally, hypothesis keeps exploring new examples; `--hypothesis-profile=thorough` tries
# twenty times as many per test (the SCIM fuzz tests: 1000 instead of 50).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("thorough", max_examples=2000)
if os.environ.get("CI"):
    settings.load_profile("ci")

pytest_plugins = [
    "steps.playwright_plugin",
    "steps.stub_fixtures",
    "steps.sessions",
    "steps.who_acts",
    "steps.gherkin_report",
    "steps.sign_in_steps",
    "steps.org_settings_steps",
    "steps.scim_token_steps",
    "steps.token_replacement_steps",
    "steps.api_steps",
    "steps.provisioning_steps",
    "steps.audit_log_steps",
    "steps.conformance_steps",
    "steps.group_push_steps",
    "steps.group_mapping_steps",
    "steps.accessibility",
]


@pytest.fixture(scope="session")
def base_url(stub) -> str:
    """Base URL the browser and API steps use: the bundled stub, or --base-url.

    Defined here rather than in a plugin so it overrides pytest-playwright's own fixture.
    """
    return stub.base_url
